"""Coding is a pure function of the document: alone or inside a corpus, in any order, the same codings."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

import thematic as th
from thematic.coding import code_corpus, code_document, engine
from thematic.coding.rules import _LanguageRules, Rule, pattern_lemma, slot_accepts, Slot
from thematic.nlp import lemma
from thematic.transcripts import ingest_text

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def benchmark_docs(tmp_path_factory):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import scale

    out = tmp_path_factory.mktemp("scale")
    scale.build_corpus(100_000, out)  # the benchmark's corpus: shuffled, recombined sample turns
    return list(th.ingest(out))


def test_every_document_coded_alone_equals_it_coded_in_a_corpus(benchmark_docs):
    book = th.Codebook.load(ROOT / "codebooks" / "digitalisering.yaml")
    alone = {}
    for d in benchmark_docs:
        engine._CODERS.clear()  # a fresh coder: nothing learned from other documents
        alone[d.doc_id] = code_document(d, book).reset_index(drop=True)
    for order in (benchmark_docs, benchmark_docs[::-1]):
        engine._CODERS.clear()
        together = code_corpus(order, book)
        for d in benchmark_docs:
            got = together[together.doc_id == d.doc_id].reset_index(drop=True)
            pd.testing.assert_frame_equal(got, alone[d.doc_id], obj=d.doc_id)


def test_a_form_filling_a_slot_does_not_make_its_lemma_match():
    # "delen" fills the slot "dele" (to share) as an inflection, and its lemma is "del" (a part): once a
    # document said "delen", every "en del av" in later documents was coded as sharing
    book = th.Codebook.load(ROOT / "codebooks" / "digitalisering.yaml")
    part = ingest_text("K1: Det er en del av jobben.")
    engine._CODERS.clear()
    before = code_document(part, book)
    code_document(ingest_text("K1: Vi fikk delen av midlene."), book)
    after = code_document(part, book)
    assert "learning.sharing" not in set(after.code)
    pd.testing.assert_frame_equal(before, after)


def test_form_slots_agree_with_the_reference_predicate_including_pattern_lemmas():
    book = th.Codebook.load(ROOT / "codebooks" / "digitalisering.yaml")
    rules = _LanguageRules("nb", [Rule(c.id, p) for c in book.codes for p in c.patterns if p.lang == "nb"])
    words = ["del", "dele", "deler", "delt", "strategien", "digitaliseringsstrategiene", "styrer", "styret",
             "ledelsen", "nettverkene", "målbildet", "satt", "fulgt", "kompetanseheving", "skuffen"]
    for w in words:
        lem = lemma(w, "nb")
        expected = {s for s in rules.slots if slot_accepts(s, lem, w, pattern_lemma(s.word, "nb"))}
        assert rules.form_slots(lem, w) == expected, w
