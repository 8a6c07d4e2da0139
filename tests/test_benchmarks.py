"""The benchmark scripts run and print sane figures (speed targets are not asserted here)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pandas as pd
import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def load(name: str):
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_rule_quality_is_thematic_evaluate_beside_the_baseline():
    rq = load("rule_quality")
    themes = pd.DataFrame({"theme": ["a", "(all)"], "machine": [4, 4], "person": [2, 2], "precision": [0.5, 0.5],
                           "precision_low": [0.15, 0.15], "precision_high": [0.85, 0.85], "recall": [1.0, 1.0],
                           "recall_low": [0.34, 0.34], "recall_high": [1.0, 1.0], "f1": [2 / 3, 2 / 3],
                           "kappa": [0.5, 0.5]})
    table = rq.beside_baseline(themes, "sentence").set_index("theme")
    assert table.loc["a", "precision"] == "0.50 [0.15-0.85]" and table.loc["a", "target met"] == "no"
    assert table.loc["(all)", "baseline P"] == rq.BASELINE_REFERENCE["(all)"][0]
    full = rq.beside_baseline(themes, "sentence", "full_reference").set_index("theme")
    assert full.loc["(all)", "baseline P"] == rq.BASELINE_FULL["(all)"][0] != rq.BASELINE_REFERENCE["(all)"][0]


def test_rule_quality_script_prints_per_theme_figures(capsys):
    assert load("rule_quality").main([]) == 0
    out = capsys.readouterr().out
    for theme in ("strategy", "target_picture", "leadership", "learning", "organisation", "(all)"):
        assert theme in out
    assert "precision" in out and "recall" in out and "baseline P" in out and "thematic evaluate" in out


def test_rule_quality_against_the_exhaustive_blind_coding(capsys):
    assert load("rule_quality").main(["--reference", "full_reference"]) == 0
    out = capsys.readouterr().out
    assert "hand coding 'full_reference'" in out
    row = next(line.split() for line in out.splitlines() if line.strip().startswith("(all)"))
    assert int(row[2]) == 879  # the exhaustive coding's (sentence, theme) pairs


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
    assert set(figures) == {"words", "distinct_forms", "tokenizer_wps", "first_code_s", "first_code_wps", "first_cpu_s",
                            "recode_s", "recode_wps", "parallel_wps", "parallel_s", "parallel_cpu_s", "pandas_wps",
                            "pandas_recall", "our_recall", "matrices_s", "peak_rss_mb", "codings", "recode_stages",
                            "recode_imports_spacy", "stages", "dictionary_cache", "floor_s", "tokenizer_s", "pandas_s"}
    assert figures["recode_imports_spacy"] is False  # re-coding works on the stored arrays
    assert figures["dictionary_cache"] == "warm" or figures["dictionary_cache"].startswith("built in ")
    assert {"ingest", "tokenize", "lemmas", "matching", "regexes", "rows", "store write"} <= set(figures["stages"])
    assert all(v >= 0 for v in figures["stages"].values()) and figures["codings"] > 0
    assert 14_000 <= figures["words"] <= 20_000
    assert 500 < figures["distinct_forms"] < figures["words"] and figures["first_code_s"] > 0
    assert figures["tokenizer_wps"] > figures["first_code_wps"] > 0 and figures["recode_wps"] > 0
    assert 0 < figures["pandas_recall"] <= 1 and 0 < figures["our_recall"] <= 1
    assert 0 < figures["matrices_s"] < 30 and 50 < figures["peak_rss_mb"] < 4000
    # the floor imports spaCy and loads a dictionary on top of tokenizing the same files
    assert figures["floor_s"] > figures["tokenizer_s"] > 0 and figures["pandas_s"] > 0


def test_scale_corpus_varies_the_sample_turns(tmp_path):
    scale = load("scale")
    files = scale.build_corpus(12_000, tmp_path)
    texts = [f.read_text(encoding="utf-8") for f in files]
    assert len(files) == 3 and len(set(texts)) == 3
    assert sum(len(t.split()) for t in texts) >= 12_000


def test_distinct_corpus_has_many_more_word_forms(tmp_path):
    scale = load("scale")

    def forms(distinct: bool) -> int:
        files = scale.build_corpus(20_000, tmp_path / str(distinct), distinct=distinct)
        return len({w.lower() for f in files for w in f.read_text(encoding="utf-8").split()})

    plain, distinct = forms(False), forms(True)
    assert distinct > 2 * plain and distinct > 3_000


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


def test_dev_set_quality_prints_macro_f1_and_uncoded_shares_beside_the_baseline(capsys):
    assert load("dev_set_quality").main([]) == 0
    out = capsys.readouterr().out
    assert "macro-F1 over themes" in out and "themed excerpts with no theme coded" in out and "baseline 0.815" in out
    for lang in ("nb", "nn", "sv", "da", "en"):
        assert f"  {lang} " in out


def test_hybrid_quality_scores_by_hand():
    import numpy as np

    hq = load("hybrid_quality")
    pred = np.array([[1, 0], [1, 1], [0, 0]], dtype=bool)
    truth = np.array([[1, 0], [0, 1], [0, 1]], dtype=bool)
    s = hq.scores(pred, truth)
    # theme 0: tp 1, fp 1 -> P 0.5, R 1, F1 2/3; theme 1: tp 1, fn 1 -> P 1, R 0.5, F1 2/3; pooled tp 2 fp 1 fn 1
    assert s["precision"].tolist() == [0.5, 1.0] and s["recall"].tolist() == [1.0, 0.5]
    assert s["macro_f1"] == pytest.approx(2 / 3) and s["micro_f1"] == pytest.approx(2 / 3)


def test_pdf_readers_script_shows_the_chosen_reader_glues_no_words(capsys):
    assert load("pdf_readers").main([]) == 0
    out = capsys.readouterr().out
    assert "pdfplumber (x_tolerance=1.5, thematic)        73     0       5 of 5" in out
    assert "thematic's reader: 11 paragraphs/headings, 0 glued words, running header 0 times" in out


def test_team_coders_benchmark_at_small_n_checks_the_final_state(capsys):
    import json

    assert load("team_coders").main(["--coders", "2", "--codings", "12", "--undos", "1", "--engine", "sqlite",
                                     "--json"]) == 0
    rows = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert [(r["engine"], r["coders"], r["final_state_ok"]) for r in rows] == [("sqlite", 2, True)]
    assert rows[0]["actions"] == 2 * (12 + 1 + 1)  # each coder: 12 codings, the 6th retried, one undo
    assert 0 < rows[0]["median_ms"] <= rows[0]["p95_ms"]


def test_hostile_inputs_benchmark_prints_each_probe_with_its_code(capsys, monkeypatch):
    bench = load("hostile_inputs")
    monkeypatch.setattr(bench, "_docx_bomb", lambda folder: _small_docx_bomb(folder))
    monkeypatch.setattr(bench, "_qdpx_bomb", lambda folder: _small_qdpx_bomb(folder))
    assert bench.main([]) == 0
    out = capsys.readouterr().out
    for code in ("[Q002]", "[C001]", "[C004]"):
        assert code in out
    assert "before (issue 15)" in out and "peak MB" in out


def _small_docx_bomb(folder):
    import io
    import zipfile

    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    path = folder / "bomb" / "bomb.docx"
    path.parent.mkdir()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info.filename, src.read(info.filename))
        z.writestr("word/media/zeros.bin", b"\0" * 3_000_000)
    return path.parent


def _small_qdpx_bomb(folder):
    import zipfile

    path = folder / "bomb.qdpx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("project.qde", '<Project xmlns="urn:QDA-XML:project:1.0" name="p"/>')
        z.writestr("sources/a.txt", b"Kari " * 1_000_000)
    return path


def test_matrices_benchmark_times_every_call_and_prints_beside_the_baseline(monkeypatch):
    matrices = load("matrices")
    figures = matrices.child(5000)  # the child's work, in this process
    assert figures["codings"] == 5000 and figures["imports_s"] >= 0
    expected = [f"{rows} {cell}" for rows, cell in matrices.calls()]
    assert list(figures["calls"]) == expected and len(expected) == 15
    assert all(s > 0 for s in figures["calls"].values())
    monkeypatch.setattr(matrices, "measure", lambda n, repeat: {
        **figures, "codings": 1_000_000, "repeat": 1, "total_s": 0.4, "totals_s": [0.4],
        "cpu_total_s": 0.3, "load": 1.0})
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert matrices.main(["--repeat", "1"]) == 0
    text = out.getvalue()
    assert "case coverage" in text and "theme cooccurrence" in text and "target < 0.5 s" in text
    assert f"{sum(matrices.BASELINE['calls'].values()):.3f}" in text  # the baseline total beside ours


def test_ingest_speed_prints_every_stage_beside_the_baseline(capsys):
    assert load("ingest_speed").main(["--words", "20000", "--runs", "1"]) == 0
    out = capsys.readouterr().out
    assert "ingest of 20,000 words: 4 documents" in out
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines()[2:]}
    for stage in ("read", "labels", "segments", "language", "signature", "duplicates", "total"):
        assert float(rows[stage][0]) >= 0
    assert float(rows["total"][0]) > float(rows["language"][0]) > 0 and float(rows["peak"][1]) > 0


def test_rule_quality_of_rules_and_suggestions_on_held_out_interviews(capsys):
    assert load("rule_quality").main(["--reference", "full_reference", "--codes", "machine", "--folds", "2"]) == 0
    out = capsys.readouterr().out
    assert "2 groups of interviews each held out once" in out
    row = next(line.split() for line in out.splitlines() if line.strip().startswith("(all)"))
    assert int(row[2]) == 879 and 0 < float(row[3]) <= 1  # every interview held out once: all of the truth
