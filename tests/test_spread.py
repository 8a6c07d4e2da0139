"""``spread:``: a rule coding of a sentence also codes its neighbours in the speaker's turn (hand-computed examples)."""

from __future__ import annotations

import pytest

import thematic as th
from thematic.codebook import Codebook
from thematic.codebook.model import Spread
from thematic.coding import engine
from thematic.coding.finish import spread_groups
from thematic.errors import CodebookError
from thematic.transcripts import ingest_text

BOOK = """
codebook: {id: spr, version: "1", languages: [nb]}
%s
themes:
  - id: plan
    label: Plan
    patterns:
      nb: ["strategi*", "plan"]
    not_patterns:
      nb: ["ukeplan*"]
  - id: led
    label: Ledelse
    patterns:
      nb: ["rektor"]
"""

TEXT = ("I: Har dere en strategi?\n\n"
        "K1: Vi har en strategi for skolen. Den sier hva vi prioriterer. Den er fin. Ellers er alt rolig.\n\n"
        "I: Og rektor?\n\n"
        "K1: Rektor bestemmer. Ukeplanen er ny. Vi har en plan. Ukeplanen er fin. Den er lang. Slutt.\n\n"
        "K1: Rektor igjen.")


def _coded(spread: str, unit: str = "sentence") -> list[tuple[str, str, str]]:
    """(code, coded text, rule) of every coding of TEXT."""
    book = Codebook.loads(BOOK % spread)
    document = ingest_text(TEXT)
    frame = engine.code_document(document, book, unit=unit)
    return [(c, t, r) for c, t, r in zip(frame["code"], frame["text"], frame["rule"])]


def test_without_spread_only_matched_sentences_are_coded():
    assert [(c, t) for c, t, _ in _coded("")] == [
        ("plan", "Vi har en strategi for skolen."), ("led", "Rektor bestemmer."), ("plan", "Vi har en plan."),
        ("led", "Rektor igjen.")]


def test_after_one_codes_the_next_sentence_of_the_turn_with_the_rule_named():
    got = _coded("spread: {after: 1}")
    assert ("plan", "Den sier hva vi prioriterer.", "spread: strategi*") in got
    assert not any(t == "Den er fin." for _, t, _ in got)  # one sentence, not two
    # "Rektor bestemmer." spreads to the next sentence, whatever it says
    assert ("led", "Ukeplanen er ny.", "spread: rektor") in got
    # "Vi har en plan." would spread to "Ukeplanen er fin.", which the code's not_pattern excludes
    assert not any(c == "plan" and t == "Ukeplanen er fin." for c, t, _ in got)
    # the turn ends after "Slutt.": "Rektor igjen." is a new turn, and nothing spreads into or out of it
    assert [t for c, t, _ in got if c == "led"] == ["Rektor bestemmer.", "Ukeplanen er ny.", "Rektor igjen."]
    assert len(got) == 6


def test_before_and_after_stop_at_the_turn_and_at_an_exclusion():
    got = {(c, t) for c, t, _ in _coded("spread: {before: 1, after: 2}")}
    assert {t for c, t in got if c == "plan"} == {
        "Vi har en strategi for skolen.", "Den sier hva vi prioriterer.", "Den er fin.",  # the turn's first: no before
        "Vi har en plan."}  # before it "Ukeplanen er ny." and after it "Ukeplanen er fin." are excluded
    assert {t for c, t in got if c == "led"} == {"Rektor bestemmer.", "Ukeplanen er ny.", "Vi har en plan.",
                                                 "Rektor igjen."}


def test_turn_and_paragraph_units_do_not_spread():
    for unit in ("turn", "paragraph"):
        assert _coded("spread: {before: 2, after: 2}", unit) == _coded("", unit)


def test_a_sentence_coded_by_its_own_match_keeps_its_own_rule():
    got = _coded("spread: {before: 1, after: 2}")
    assert ("plan", "Vi har en plan.", "plan") in got  # "Rektor bestemmer." spreads here: other code
    assert [r for c, t, r in got if t == "Vi har en plan." and c == "led"] == ["spread: rektor"]


def test_spread_groups_merge_the_rules_of_both_sides():
    found = [(0, "a", "x", "xw"), (2, "a", "y; x", "yw")]
    assert spread_groups(found, [1, 1, 1], Spread(before=1, after=1)) == [
        (0, "a", "x", "xw"), (1, "a", "spread: x; y", "xw; yw"), (2, "a", "y; x", "yw")]
    assert spread_groups(found, [1, 1, 1], Spread()) is found
    assert spread_groups(found, [1, 2, 2], Spread(after=1)) == found  # unit 1 is in another turn than unit 0
    assert spread_groups(found, [1, 1, 1], Spread(after=1), lambda j, code: j == 1) == found


def test_the_examples_in_the_docstrings_hold():
    import doctest

    from thematic.codebook import model
    from thematic.coding import finish, records

    for module in (finish, records, model):
        failed, tried = doctest.testmod(module)
        assert tried and not failed, module.__name__


def test_the_format_reads_writes_and_checks_spread():
    book = Codebook.loads(BOOK % "spread: {after: 1}")
    assert book.spread == Spread(before=0, after=1)
    assert Codebook.loads(book.to_yaml()).spread == Spread(before=0, after=1)
    assert Codebook.loads(BOOK % "").spread == Spread() and "spread" not in Codebook.loads(BOOK % "").to_yaml()
    for bad, said in (("spread: {after: two}", "'two' is not a number of sentences from 0 to 5"),
                      ("spread: {after: 6}", "'6' is not a number"),
                      ("spread: {after: -1}", "'-1' is not a number"),
                      ("spread: {afterwards: 1}", "did you mean 'after'"),
                      ("spread: 1", "'spread' should be a mapping"),
                      ("spread: {after: [1]}", "after should be a single value")):
        with pytest.raises(CodebookError) as caught:
            Codebook.loads(BOOK % bad)
        assert said in str(caught.value) and "line 3" in str(caught.value), bad


def test_lint_warns_about_a_wide_spread():
    assert not [w for w in Codebook.loads(BOOK % "spread: {before: 1, after: 1}").lint() if "spread" in w]
    warned = [w for w in Codebook.loads(BOOK % "spread: {before: 1, after: 2}").lint() if "spread" in w]
    assert len(warned) == 1 and "1 sentence(s) before and 2 after" in warned[0] and "thematic evaluate" in warned[0]


def test_recoding_when_spread_changes_equals_a_fresh_coding(tmp_path):
    document = ingest_text(TEXT, doc_id="d")
    key = ["doc_id", "start", "end", "code", "rule", "matched"]
    with th.Project.open(tmp_path / "a.thematic") as project:
        project.add([document])
        for spread in ("", "spread: {after: 1}", "spread: {before: 1, after: 2}", "spread: {after: 1, answers: true}",
                       "spread: {answers: true}", ""):
            book = Codebook.loads(BOOK % spread)
            project.autocode(book)
            with th.Project.open(tmp_path / f"fresh{len(spread)}.thematic") as fresh:
                fresh.add([document])
                fresh.autocode(book)
                want = fresh.codings[key].astype(str).sort_values(key).reset_index(drop=True)
            got = project.codings[key].astype(str).sort_values(key).reset_index(drop=True)
            assert got.equals(want), spread
            assert got["rule"].str.startswith("spread: ").any() == ("after" in spread)
            assert got["rule"].str.startswith("question: ").any() == ("answers" in spread)


def test_answers_take_the_codes_of_the_question():
    got = _coded("spread: {answers: true}")
    first = ["Vi har en strategi for skolen.", "Den sier hva vi prioriterer.", "Den er fin.", "Ellers er alt rolig."]
    assert [(c, t) for c, t, _ in got if t in first] == [("plan", t) for t in first]
    assert [r for c, t, r in got if t == "Den er fin."] == ["question: strategi*"]
    assert [r for c, t, r in got if t == "Vi har en strategi for skolen."] == ["strategi*"]  # its own rule
    second = ["Rektor bestemmer.", "Ukeplanen er ny.", "Vi har en plan.", "Ukeplanen er fin.", "Den er lang.", "Slutt."]
    assert [t for c, t, _ in got if c == "led"] == [*second, "Rektor igjen."]  # the last turn answers no question
    assert [t for c, t, _ in got if c == "plan" and t in second] == ["Vi har en plan."]
    # turn units: the answer turn is one unit
    turns = _coded("spread: {answers: true}", "turn")
    assert [(c, r) for c, _, r in turns] == [("plan", "strategi*"), ("led", "rektor"), ("plan", "plan"),
                                             ("led", "rektor")]


def test_a_question_is_read_with_exclusions_and_the_domain_like_any_unit():
    book = Codebook.loads("""
codebook: {id: q, version: "1", languages: [nb]}
domain: {within: turn, cues: {nb: ["*skole"]}}
spread: {answers: true}
themes:
  - id: org
    label: Org
    requires_domain: true
    patterns: {nb: ["*organisert", "styre"]}
  - id: plan
    label: Plan
    patterns: {nb: ["*plan"]}
    not_patterns: {nb: ["ukeplan*"]}
""")
    text = ("I: Hvordan er dette organisert?\n\nK1: Det vet jeg ikke.\n\n"
            "I: Hvordan er skolen organisert?\n\nK1: Godt. Veldig godt.\n\n"
            "I: Har dere en ukeplan?\n\nK1: Ja. Den er fin.\n\n"
            "Intervjuer: Og en handlingsplan?\n\nK1: Ja. Ukeplanen også.")
    frame = engine.code_document(ingest_text(text), book, unit="sentence")
    coded = list(zip(frame["code"], frame["text"], frame["rule"]))
    assert coded == [("org", "Godt.", "question: *organisert"), ("org", "Veldig godt.", "question: *organisert"),
                     ("plan", "Ja.", "question: *plan")]  # "Ukeplanen også." is excluded from plan


def test_a_question_pass_reads_only_the_matches_near_the_questions_and_loses_nothing():
    """The question pass leaves out matches far from every question (``_near_questions``); what it codes is
    what coding each question over all the document's matches codes, on the sample interviews with every
    study codebook, and a match running on past a question's end keeps the exclusion that overlaps it there."""
    import numpy as np

    from thematic.coding import rule_coder
    from thematic.coding.engine import unit_spans
    from thematic.coding.finish import _near_questions, question_spans
    from thematic.nlp import parse

    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    documents = [d for d in th.ingest(root / "data" / "sample_transcripts")]
    checked = 0
    for name in ("digitalisering", "framgangsfaktorer", "styrkedja"):
        book = Codebook.loads((root / "codebooks" / f"{name}.yaml").read_text(encoding="utf-8"))
        coder = rule_coder(book)
        for document in documents:
            if document.language not in coder.languages:
                continue
            doc = next(iter(parse([document.text], document.language)))
            units = unit_spans(document, doc)
            rule, start, end = coder.raw_arrays(doc, document.language, units[:, :2].tolist(), document.text)
            questions, _ = question_spans(document, units)
            if not len(questions) or not len(rule):
                continue
            table = coder.table(document.language)
            near = _near_questions(questions, start, end)
            assert list(table._matched(document, questions, rule[near], start[near], end[near], "turn")) == \
                list(table._matched(document, questions, rule, start, end, "turn"))
            checked += int((~near).any())
    assert checked >= 3  # matches were left out, and nothing changed
    questions = np.array([(10, 20, 0), (40, 50, 3)])
    start, end = np.array([0, 15, 21, 30, 45, 55, 19]), np.array([5, 25, 24, 35, 60, 58, 21])
    # 15-25 starts in the first question and runs on: 21-24 overlaps it past the question's end, 19-21 overlaps
    # the question; 0-5 and 30-35 are far from both; 55-58 overlaps 45-60, which starts in the second
    assert _near_questions(questions, start, end).tolist() == [False, True, True, False, True, True, True]
