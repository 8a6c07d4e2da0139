"""Matches as arrays (rule, start, end) give the same codings as the Hit objects they replace on the coding path."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

import thematic as th
from thematic.codebook import Codebook
from thematic.coding import engine, rule_coder
from thematic.coding.engine import coding_records, coding_rows, coding_units, question_units, unit_array
from thematic.coding.context import CUE
from thematic.coding.rules import SlotIndex, slot_accepts
from thematic.nlp import lemma, parse, pattern_lemma
from thematic.transcripts import ingest_text

ROOT = Path(__file__).resolve().parents[1]
BOOKS = sorted((ROOT / "codebooks").glob("*.yaml"))


def by_hits(coder, document, doc, units, unit):
    """The codings the Hit-object path makes (raw_hits -> finish -> coding_records/coding_rows)."""
    hits = coder.raw_hits(doc, document.language, [(u.start, u.end) for u in units], text=document.text,
                          where=document.doc_id)
    kept = coder.finish(hits, document, units, unit)
    excluded = [h for h in hits if h.rule.pattern.exclude and h.rule.code != CUE]
    asked = question_units(document, units)  # each question finished as one turn unit
    questions = (asked, coder.finish(hits, document, asked, "turn") if asked else [])
    return (coding_records(document, units, kept, coder.codebook, unit_kind=unit, excluded=excluded,
                           questions=questions),
            coding_rows(document, units, kept, coder.codebook, unit_kind=unit, excluded=excluded,
                        questions=questions))


def by_arrays(coder, document, doc, units, unit):
    rule, start, end = coder.raw_arrays(doc, document.language, [(u.start, u.end) for u in units],
                                        text=document.text, where=document.doc_id)
    table = coder.table(document.language)
    arr = unit_array(units)
    return table.records(document, arr, rule, start, end, unit), table.rows(document, arr, rule, start, end, unit)


@pytest.fixture(scope="module")
def sample():
    return [d for d in th.ingest(ROOT / "data" / "sample_transcripts")]


@pytest.mark.parametrize("path", BOOKS, ids=lambda p: p.stem)
def test_array_codings_equal_hit_codings_on_the_sample(sample, path):
    book = th.Codebook.load(path)
    coder = rule_coder(book)
    made = 0
    for document in sample:
        doc = next(parse([document.text], document.language))
        for unit in ("sentence", "turn", "paragraph"):
            units = coding_units(document, doc, unit)
            got, want = by_arrays(coder, document, doc, units, unit), by_hits(coder, document, doc, units, unit)
            assert got == want, (document.doc_id, unit)
            made += len(got[0])
    assert made > 40  # the comparison is not between two empty lists


@pytest.mark.parametrize("spread", ["", "spread: {before: 1, after: 2}", "spread: {after: 1, answers: true}"])
def test_exclusions_domain_and_context_as_arrays_equal_hits(spread):
    book = Codebook.loads("""
codebook: {id: arr, version: "1", languages: [nb]}
%s
domain:
  within: turn
  cues:
    nb: ["skole", "*skole"]
themes:
  - id: t
    label: T
    requires_domain: true
    patterns:
      nb: ["*plan", {pattern: "*samarbeid", with: ["*kommune"], within: 3}, {pattern: "mål", without: ["fotball"], within: sentence}]
    not_patterns:
      nb: ["ukeplan"]
    codes:
      - id: sub
        label: Sub
        requires_domain: false
        patterns:
          nb: ["handlingsplan", "tiltak"]
""" % spread)
    text = ("I: Hva med skolen?\n\nK1: Vi har en ukeplan og en handlingsplan. Samarbeidet med kommunen er godt. "
            "Målet i fotball er enkelt.\n\nI: Og tiltak?\n\nK1: Mål og plan, men ikke her. Tiltak. "
            "Kommunesamarbeid gir mål.")
    document = ingest_text(text)
    coder = rule_coder(book)
    doc = next(parse([document.text], "nb"))
    for unit in ("sentence", "turn", "paragraph"):
        units = coding_units(document, doc, unit)
        got, want = by_arrays(coder, document, doc, units, unit), by_hits(coder, document, doc, units, unit)
        assert got == want, unit
        if unit == "sentence":
            assert any(r[8].startswith("spread: ") for r in got[0]) == bool(spread)
            assert any(r[8].startswith("question: ") for r in got[0]) == ("answers" in spread)
    codes = [(r[6], r[9]) for r in got[0]]
    assert ("t", "ukeplan") not in codes and ("t.sub", "handlingsplan") in codes  # the exclusion drops *plan only
    assert all(words != "Målet" for _, words in codes)  # "without: fotball" in its sentence


def test_hits_outside_units_and_unknown_rules_code_nothing():
    book = th.Codebook.load(ROOT / "codebooks" / "digitalisering.yaml")
    coder = rule_coder(book)
    document = ingest_text("I: Har dere en strategi?\n\nK1: Ja, strategien for skolen er ny.")
    doc = next(parse([document.text], "nb"))
    units = coding_units(document, doc, "sentence")
    records, _ = by_arrays(coder, document, doc, units, "sentence")
    assert [r[9] for r in records] == ["strategien"]  # the interviewer's "strategi" is not coded
    table = coder.table("nb")
    empty = table.records(document, unit_array(units), np.zeros(0, np.int64), np.zeros(0, np.int64),
                          np.zeros(0, np.int64), "sentence")
    assert empty == []


def test_trie_slots_equal_the_reference_predicate_on_distinct_forms(tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import scale

    files = scale.build_corpus(20_000, tmp_path, distinct=True)
    words = sorted({w.strip(".,;:!?«»\"()").lower() for f in files for w in f.read_text("utf-8").split()} - {""})
    book = th.Codebook.load(ROOT / "codebooks" / "digitalisering.yaml")
    index = SlotIndex("nb", rule_coder(book).rules_for("nb"))
    slots = list(index.slots)
    lemmas = {s: pattern_lemma(s.word, "nb") for s in slots}
    filled = 0
    for w in words[:: max(1, len(words) // 1500)]:
        lem = lemma(w, "nb")
        expected = {s for s in slots if slot_accepts(s, lem, w, lemmas[s])}
        assert index.form_slots(lem, w) == expected, w
        filled += bool(expected)
    assert filled > 20


def test_code_parsed_is_the_array_path(monkeypatch):
    """code_document goes through RuleTable.rows: breaking it breaks the codings."""
    book = th.Codebook.load(ROOT / "codebooks" / "digitalisering.yaml")
    document = ingest_text("K1: Vi har ingen målbilde, men strategien er nyttig.")
    assert len(engine.code_document(document, book, unit="turn")) == 3
    monkeypatch.setattr(type(rule_coder(book).table("nb")), "rows", lambda self, *a: [])
    assert engine.code_document(document, book, unit="turn").empty


def _reference_sentence_units(document, doc):
    """coding_units' sentence units as the per-unit Python loop made them before they became arrays."""
    import bisect

    from thematic.nlp import sentence_starts
    from thematic.types import CODED_ROLES

    starts = sentence_starts(doc).tolist()
    text = document.text
    out = []
    for s in (s for s in document.segments if s.role in CODED_ROLES):
        cuts = [s.start] + starts[bisect.bisect_right(starts, s.start): bisect.bisect_left(starts, s.end)] + [s.end]
        for a, b in zip(cuts, cuts[1:]):
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            if b > a:
                out.append((a, b, s.index))
    return out


@pytest.mark.parametrize("text", [
    "K1: Strategien er ny.\u3000 Planen\u00a0også!\u2028 Nei.\u2003\u2003",
    "K1: 😀 Målbildet er 😀 klart. 𝔸 Nettverket? Ja. \t\n",
    "K1: .\n\nK1: ! ? …  \n\nK2: Ett ord",
    "K1:    ",
])
def test_sentence_units_as_arrays_strip_every_kind_of_white_space(text):
    document = ingest_text(text)
    doc = next(parse([document.text], "nb"))
    got = [(u.start, u.end, u.segment.index) for u in coding_units(document, doc, "sentence")]
    assert got == _reference_sentence_units(document, doc)
    for a, b, _ in got:
        assert not document.text[a].isspace() and not document.text[b - 1].isspace()


def _reference_walled(text, units):
    """rules._walled as it was written with bisect, per position."""
    import bisect

    spans = sorted(units)
    starts = [a for a, _ in spans]

    def covered(p):
        i = bisect.bisect_right(starts, p) - 1
        return i >= 0 and spans[i][0] <= p < spans[i][1]

    walls = sorted({p for a, b in spans for p in (a - 1, b) if 0 <= p < len(text) and not covered(p)})
    out = list(text)
    for p in walls:
        out[p] = "\n"
    return "".join(out)


def test_walled_text_equals_the_per_position_reference():
    import random

    from thematic.coding.rules import _walled

    rng = random.Random(3)
    alphabet = "ab ø😀\n\u3000."
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        units = []
        for _ in range(rng.randint(0, 6)):
            a = rng.randint(0, len(text))
            units.append((a, rng.randint(a, len(text))))
        assert _walled(text, units) == _reference_walled(text, units), (text, units)
        assert _walled(text, np.array(units, dtype=np.int32).reshape(-1, 2)) == _reference_walled(text, units)


def test_word_counts_between_offsets_equal_the_regex():
    import random

    from thematic.coding.context import _WORD
    from thematic.coding.finish import _WordCounts

    rng = random.Random(5)
    for text in ["", "a", "Vi har  en plan, ikke-noe å_si 😀 123 ø.", "".join(rng.choice("ab _-ø😀\n1") for _ in range(200))]:
        counts = _WordCounts(text)
        xs = np.array([rng.randint(0, len(text)) for _ in range(100)], dtype=np.int64)
        ys = np.array([rng.randint(0, len(text)) for _ in range(100)], dtype=np.int64)
        want = [len(_WORD.findall(text[x:y])) for x, y in zip(xs.tolist(), ys.tolist())]
        assert counts.between(xs, ys).tolist() == want, text


def test_turn_windows_are_each_units_turn_span_for_every_document_asked_in_turn():
    """``finish._turn_windows`` (laid out once per document) gives each unit the span of all its turn's segments,
    as a plain loop over the segments does, when documents are asked about in turn and again."""
    from pathlib import Path

    import numpy as np

    import thematic as th
    from thematic.coding.finish import _turn_windows

    documents = list(th.ingest(Path(__file__).resolve().parents[1] / "data" / "sample_transcripts"))
    for document in documents + documents[::-1]:
        units = np.array([(s.start, s.end, s.index) for s in document.segments], dtype=np.int32).reshape(-1, 3)
        want_start, want_end = [], []
        for s in document.segments:
            same = [t for t in document.segments if t.turn == s.turn]
            want_start.append(min(t.start for t in same))
            want_end.append(max(t.end for t in same))
        got = _turn_windows(document, units)
        assert got[0].tolist() == want_start and got[1].tolist() == want_end, document.doc_id
        assert _turn_windows(document, units[::-1])[0].tolist() == want_start[::-1]
