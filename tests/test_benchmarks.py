"""The benchmark scripts run and print sane figures (speed targets are not asserted here)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pandas as pd

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def load(name: str):
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_quality_by_hand():
    rq = load("rule_quality")
    rule = pd.DataFrame({"doc_id": ["d", "d", "d"], "theme": ["a", "a", "b"], "start": [0, 50, 0], "end": [10, 60, 10]})
    ref = pd.DataFrame({"doc_id": ["d", "d"], "theme": ["a", "a"], "start": [5, 100], "end": [8, 110]})
    table = rq.quality(rule, ref).set_index("theme")
    # theme a: rule codings [0,10) hits, [50,60) misses -> precision 0.5; reference [5,8) found, [100,110) not -> 0.5
    assert table.loc["a", "precision"] == 0.5 and table.loc["a", "recall"] == 0.5
    assert table.loc["b", "precision"] == 0.0
    assert table.loc["micro (all)", "rule_codings"] == 3


def test_rule_quality_script_prints_per_theme_figures(capsys):
    assert load("rule_quality").main([]) == 0
    out = capsys.readouterr().out
    for theme in ("strategy", "target_picture", "leadership", "learning", "organisation", "micro (all)"):
        assert theme in out
    assert "precision" in out and "recall" in out


def test_agreement_sample_prints_figures_and_disagreements(capsys):
    assert load("agreement_sample").main() == 0
    out = capsys.readouterr().out
    assert "(overall)" in out and "krippendorff_alpha" in out and "segments where the coders differ" in out


def test_suggest_quality_prints_cross_validated_figures(capsys):
    assert load("suggest_quality").main(["--folds", "3"]) == 0
    out = capsys.readouterr().out
    assert "Cross-validated (3 folds)" in out and "too few examples" in out


def test_scale_benchmark_at_small_n_prints_sane_figures(capsys):
    import json

    assert load("scale").main(["--words", "15000", "--workers", "1", "--matrix-codings", "20000", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert set(figures) == {"words", "tokenizer_wps", "first_code_wps", "recode_wps", "pandas_wps", "pandas_recall",
                            "our_recall", "matrices_s", "peak_rss_mb"}
    assert 14_000 <= figures["words"] <= 20_000
    assert figures["tokenizer_wps"] > figures["first_code_wps"] > 0 and figures["recode_wps"] > 0
    assert 0 < figures["pandas_recall"] <= 1 and 0 < figures["our_recall"] <= 1
    assert 0 < figures["matrices_s"] < 30 and 50 < figures["peak_rss_mb"] < 4000


def test_scale_corpus_varies_the_sample_turns(tmp_path):
    scale = load("scale")
    files = scale.build_corpus(12_000, tmp_path)
    texts = [f.read_text(encoding="utf-8") for f in files]
    assert len(files) == 3 and len(set(texts)) == 3
    assert sum(len(t.split()) for t in texts) >= 12_000


def test_dask_path_codes_like_the_library_and_writes_parquet(tmp_path, sample_dir, codebook_dir):
    import pandas as pd

    import thematic as th
    from thematic.coding import code_corpus

    result = load("dask_coding").run(sample_dir, codebook_dir / "digitalisering.yaml", tmp_path / "codings.parquet",
                                     partitions=3, scheduler="synchronous")
    assert result["files"] == 8 and result["parts"] == 3
    written = pd.read_parquet(tmp_path / "codings.parquet")
    expected = code_corpus(th.ingest(sample_dir), th.Codebook.load(codebook_dir / "digitalisering.yaml"))
    key = ["doc_id", "start", "end", "code"]
    assert sorted(map(tuple, written[key].astype(str).to_numpy())) == sorted(map(tuple, expected[key].astype(str).to_numpy()))


def test_team_coders_benchmark_at_small_n_checks_the_final_state(capsys):
    import json

    assert load("team_coders").main(["--coders", "2", "--codings", "12", "--undos", "1", "--engine", "sqlite",
                                     "--json"]) == 0
    rows = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert [(r["engine"], r["coders"], r["final_state_ok"]) for r in rows] == [("sqlite", 2, True)]
    assert rows[0]["actions"] == 2 * (12 + 1 + 1)  # each coder: 12 codings, the 6th retried, one undo
    assert 0 < rows[0]["median_ms"] <= rows[0]["p95_ms"]
