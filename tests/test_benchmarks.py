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
