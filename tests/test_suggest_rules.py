"""Learned help where rules stop: rule hits as features of the suggester, texts that carry their language."""

from __future__ import annotations

import pickle

import pandas as pd
import pytest

import thematic as th
from thematic.suggest import RuleHits, Suggester, Text, with_languages

TINY = """\
codebook:
  id: tiny
  name: Tiny
  version: 1.0.0
  languages: [nb, en]
themes:
  - id: strategy
    label: {en: Strategy}
    definition: {en: Plans for digitalisation.}
    patterns: {nb: ["*strategi"], en: ["strategy"]}
    codes:
      - id: plans
        label: {en: Plans}
        definition: {en: Plans in place.}
        patterns: {nb: ["handlingsplan"], en: ["action plan"]}
  - id: learning
    label: {en: Learning}
    definition: {en: Staff learning.}
    patterns: {nb: ["kurs"], en: ["course"]}
"""


@pytest.fixture()
def tiny(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY, encoding="utf-8")
    return th.Codebook.load(path)


def test_rule_hits_are_one_feature_per_theme_and_code_in_each_texts_language(tiny):
    hits = RuleHits(tiny, "nb").fit([])
    assert list(hits.get_feature_names_out()) == ["rule:strategy", "rule:strategy.plans", "rule:learning"]
    matrix = hits.transform([Text("We have an action plan and a strategy.", "en"), "Vi har en handlingsplan.",
                             "Vi tok et kurs.", Text("We took a course.", "en"), "Ingenting her.",
                             "We took a course."]).toarray()  # the last is read as Norwegian: no hit
    assert matrix.tolist() == [[1, 1, 0], [1, 1, 0], [0, 0, 1], [0, 0, 1], [0, 0, 0], [0, 0, 0]]


def test_texts_carry_their_language_through_pickling_and_default_when_missing():
    texts = with_languages(["a", "b", "c"], ["sv", None, float("nan")])
    assert [t.lang for t in texts] == ["sv", None, None] and texts[0] == "a"
    again = pickle.loads(pickle.dumps(texts[0]))
    assert isinstance(again, Text) and again.lang == "sv" and again == "a"


def test_the_suggester_learns_from_rule_hits_and_names_them_when_it_explains(tiny):
    words = ["budsjett", "møte", "skole", "rektor", "lærer", "elev", "plan", "tid", "dag", "uke"]
    texts, codes = [], []
    for i, w in enumerate(words):
        texts += [f"Vi har en handlingsplan om {w}.", f"Vi tok et kurs om {w}."]
        codes += ["strategy", "learning"]
    segments = pd.DataFrame({"segment_id": [f"d:{i}" for i in range(len(texts))], "text": texts,
                             "role": "informant"})
    codings = pd.DataFrame({"segment_id": segments["segment_id"], "code": codes, "theme": codes,
                            "source": "manual"})
    plain = Suggester(level="theme", min_examples=3).fit(segments, codings)
    hybrid = Suggester(level="theme", min_examples=3, rules=tiny).fit(segments, codings)
    names = set(hybrid.pipeline_.named_steps["features"].get_feature_names_out())
    assert {"rules__rule:strategy", "rules__rule:learning"} <= names
    assert not any(n.startswith("rules__") for n in plain.pipeline_.named_steps["features"].get_feature_names_out())
    new = pd.DataFrame({"segment_id": ["n:0"], "text": ["Handlingsplanen for neste år er klar."]})
    suggestion = hybrid.predict(new).set_index("code")
    assert "strategy" in suggestion.index and "rule:strategy" in suggestion.loc["strategy", "words"]
    assert hybrid.evaluate(cv=3).set_index("theme").loc["strategy", "f1"] == 1.0


def test_lemmas_are_taken_in_each_texts_language():
    from thematic.suggest import LemmaAnalyzer

    analyzer = LemmaAnalyzer("nb")
    assert analyzer(Text("Ledelsen", "nb")) == analyzer("Ledelsen")
    assert analyzer(Text("Skolorna", "sv")) == LemmaAnalyzer("sv")("Skolorna")
