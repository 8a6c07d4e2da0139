"""Labelled excerpt sets: the loader refuses bad files with file and line; quality figures by hand."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from thematic.errors import AnalysisError
from thematic.excerpts import excerpt_quality, load_excerpts

ROOT = Path(__file__).resolve().parents[1]
THEMES = ["strategy", "target_picture", "leadership", "learning", "organisation"]


def test_the_development_set_is_large_multilingual_and_has_everyday_senses_and_no_theme_excerpts():
    frame = load_excerpts(ROOT / "data" / "dev_excerpts" / "excerpts.yaml", themes=THEMES)
    assert len(frame) >= 150 and frame["id"].is_unique
    assert set(frame["lang"]) == {"nb", "nn", "sv", "da", "en"} and frame.groupby("lang").size().min() >= 30
    assert (frame["kind"] == "everyday").sum() >= 40 and (frame["themes"].map(len) == 0).sum() >= 50
    assert set(t for ts in frame["themes"] for t in ts) == set(THEMES)
    assert frame.loc[frame["kind"] != "domain", "themes"].map(len).eq(0).all()


@pytest.mark.parametrize("body, message", [
    ("excerpts: [", "line 1: not a readable excerpt set"),
    ("other: []\n", "expected a list under 'excerpts:'"),
    ("excerpts: []\n", "the excerpt set is empty"),
    ("excerpts:\n- {id: a, lang: nb, kind: none, themes: [], text: x}\n- {id: a, lang: nb, kind: none, themes: [],"
     " text: y}\n", "line 3: duplicate id 'a' (also on line 2)"),
    ("excerpts:\n- {id: a, lang: de, kind: none, themes: [], text: x}\n", "line 2: language 'de'"),
    ("excerpts:\n- {id: a, lang: nb, kind: odd, themes: [], text: x}\n", "kind 'odd'"),
    ("excerpts:\n- {id: a, lang: nb, kind: domain, themes: [weather], text: x}\n", "themes ['weather']"),
    ("excerpts:\n- {id: a, lang: nb, kind: domain, themes: [], text: '  '}\n", "has no text"),
    ("excerpts:\n- {id: a, lang: nb, text: x}\n", "excerpt lacks kind, themes"),
    ("excerpts:\n- just text\n", "an excerpt is a mapping"),
])
def test_bad_excerpt_sets_are_refused_with_file_and_line(tmp_path, body, message):
    path = tmp_path / "set.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(AnalysisError, match=r"\[A009\]") as info:
        load_excerpts(path, themes=THEMES)
    assert str(path) in str(info.value) and message in str(info.value)


def test_excerpt_quality_by_hand(tmp_path):
    path = tmp_path / "set.yaml"
    path.write_text("excerpts:\n"
                    "- {id: a, lang: nb, kind: domain, themes: [strategy], text: Planen er nyttig.}\n"
                    "- {id: b, lang: nb, kind: domain, themes: [strategy, learning], text: Vi deler planer.}\n"
                    "- {id: c, lang: nb, kind: everyday, themes: [], text: Vi styrer etter kartet.}\n"
                    "- {id: d, lang: nb, kind: none, themes: [], text: 'Kaffe?'}\n", encoding="utf-8")
    frame = load_excerpts(path, themes=THEMES)
    machine = pd.DataFrame({"doc_id": ["a", "c"], "code": ["strategy.plans", "organisation.governance"],
                            "theme": ["strategy", "organisation"]})
    q = excerpt_quality(frame, machine)
    table = q["table"].set_index("theme")
    # strategy: machine {a}, person {a, b} -> P 1, R 0.5, F1 2/3; learning: person {b} only -> F1 0;
    # organisation: machine {c} only -> F1 0. Macro over the three themes present: (2/3 + 0 + 0) / 3.
    assert table.loc["strategy", "precision"] == 1 and table.loc["strategy", "recall"] == 0.5
    assert q["macro_f1"] == pytest.approx((2 / 3) / 3)
    assert q["themed_uncoded"] == 0.5  # b has themes, the machine coded nothing in it
    assert q["outside_coded"] == 0.5  # c (everyday) coded, d not


def test_excerpt_errors_name_the_extra_and_missing_themes_and_the_rules_behind_the_extra_ones(tmp_path):
    path = tmp_path / "set.yaml"
    path.write_text("excerpts:\n"
                    "- {id: a, lang: nb, kind: domain, themes: [strategy], text: Planen er nyttig.}\n"
                    "- {id: c, lang: nb, kind: everyday, themes: [], text: Vi styrer etter kartet.}\n", encoding="utf-8")
    frame = load_excerpts(path, themes=THEMES)
    machine = pd.DataFrame({"doc_id": ["a", "c"], "code": ["strategy.plans", "organisation.governance"],
                            "theme": ["strategy", "organisation"], "rule": ["plan", "styre"]})
    errors = excerpt_quality(frame, machine)["errors"]
    assert errors.to_dict("records") == [{"id": "c", "lang": "nb", "kind": "everyday", "labels": "",
                                          "extra": "organisation", "missing": "",
                                          "rules": "organisation.governance: styre", "text": "Vi styrer etter kartet."}]
