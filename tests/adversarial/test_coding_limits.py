"""Hostile input to the rule coder ends in a coded error or a correct result in bounded time.

Each input is built here: a regex rule with exponential backtracking, a five-million-character
"word", a very long line of ordinary words, and a long word handed straight to the slot index.
"""

from __future__ import annotations

import sys
import time
import warnings

import pytest

from thematic.codebook import Codebook
from thematic.coding import code_document, engine
from thematic.coding import rules as rules_module
from thematic.coding.rules import Rule, _LanguageRules
from thematic.errors import PipelineError, ThematicWarning
from thematic.transcripts import ingest_text


def book(patterns: str) -> Codebook:
    return Codebook.loads(f"""
codebook: {{id: hostile, version: "1", languages: [nb]}}
themes:
  - id: t
    label: T
    patterns: {{nb: [{patterns}]}}
""")


@pytest.mark.timeout(60)
def test_a_backtracking_regex_is_stopped_and_named_and_other_rules_still_code(monkeypatch):
    # (x|xx)+y takes time doubling per x when no y follows: 2^40 steps here without a budget. Codebook
    # lint refuses this shape in YAML; a codebook built in Python (or a shape lint does not know) reaches
    # the coder anyway, so the coder has its own budget.
    from thematic.codebook import CodebookInfo
    from thematic.codebook.model import Code, Pattern

    codebook = Codebook(CodebookInfo("hostile", languages=("nb",)), [Code(
        "t", label={"nb": "T"}, patterns=(Pattern("nb", "(x|xx)+y", "regex"), Pattern.parse("strategi", "nb")))],
        source_text="hostile-regex")
    doc = ingest_text("K1: Strategien er god. " + "x" * 40 + ".", doc_id="Hostile-K1")
    monkeypatch.setattr(rules_module, "REGEX_SECONDS", 0.2)
    # without the Hyperscan prefilter (the fast extra), which would see that no 'y' follows an 'x' and not run
    # the pattern at all; the budget with the prefilter: tests/test_regex_rules.py
    monkeypatch.setitem(sys.modules, "hyperscan", None)
    engine._CODERS.clear()
    start = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        codings = code_document(doc, codebook, unit="sentence")
    assert time.perf_counter() - start < 30
    messages = [str(w.message) for w in caught if issubclass(w.category, ThematicWarning)]
    assert any("W003" in m and "Hostile-K1" in m and "(x|xx)+y" in m for m in messages), messages
    assert list(codings.matched) == ["Strategien"]  # the other rule still codes; the stopped one adds nothing


@pytest.mark.timeout(60)
def test_a_five_million_character_word_is_a_coded_error_naming_document_and_line():
    text = "K1: Vi har en strategi.\n\nK1: " + "a" * 5_000_000 + " og mer.\n"
    doc = ingest_text(text, doc_id="Huge-K1")
    start = time.perf_counter()
    with pytest.raises(PipelineError) as err:
        code_document(doc, book('"strategi"'))
    assert time.perf_counter() - start < 20
    message = str(err.value)
    assert "N002" in message and "Huge-K1" in message and "line 3" in message and "5,000,000" in message


@pytest.mark.timeout(120)
def test_a_very_long_line_of_ordinary_words_is_coded_in_linear_time():
    line = " ".join(["vi", "har", "en", "strategi", "for", "skolen"] * 40_000)  # one 960,000-character line
    small = ingest_text("K1: " + line[: len(line) // 8])
    large = ingest_text("K1: " + line)
    codebook = book('"strategi", "*skole"')
    code_document(ingest_text("K1: strategi"), codebook)  # load the pipeline first
    start = time.perf_counter()
    code_document(small, codebook, unit="turn")
    small_seconds = time.perf_counter() - start
    start = time.perf_counter()
    codings = code_document(large, codebook, unit="turn")
    large_seconds = time.perf_counter() - start
    assert set(codings.code) == {"t"} and codings.matched.iloc[0].startswith("strategi")
    assert large_seconds < 8 * small_seconds * 2.5 + 1  # 8x the text: linear, with room for a busy machine


@pytest.mark.timeout(30)
def test_slot_lookup_is_linear_in_the_length_of_a_word():
    rules = _LanguageRules("nb", [Rule("t", p) for p in book('"*strategi*", "*plan", "nett*"').codes[0].patterns])
    short, long_ = "x" * 20_000 + "strategi", "x" * 400_000 + "strategi"
    start = time.perf_counter()
    assert rules.slots_for(short, short)
    short_seconds = time.perf_counter() - start
    start = time.perf_counter()
    assert rules.slots_for(long_, long_)
    long_seconds = time.perf_counter() - start
    assert long_seconds < 20 * short_seconds * 3 + 0.5  # 20x the word: linear (it was quadratic)


def test_the_long_word_check_finds_what_the_regex_it_replaced_finds():
    """``long_word`` (numpy over the code points) against the regex it replaced, on hostile texts: every kind
    of Unicode white space, astral characters, runs of exactly the limit and one more, at either end."""
    import random
    import re
    import sys

    from thematic.coding.engine import MAX_WORD_CHARS, long_word

    regex = re.compile(r"(?<!\S)\S{%d,}" % (MAX_WORD_CHARS + 1))
    spaces = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    solid = ["a", "ø", "😀", "\U00010400", "\u0301", "_", "\x00", "\ud800"]
    rng = random.Random(7)
    texts = ["", "x" * MAX_WORD_CHARS, "x" * (MAX_WORD_CHARS + 1), " " + "x" * (MAX_WORD_CHARS + 1),
             "x" * (MAX_WORD_CHARS + 1) + "\u2028", "y " * 600 + "😀" * (MAX_WORD_CHARS + 1)]
    for _ in range(150):
        parts = []
        for _ in range(rng.randint(1, 6)):
            length = rng.choice([0, 1, 5, MAX_WORD_CHARS - 1, MAX_WORD_CHARS, MAX_WORD_CHARS + 1, 3000])
            parts.append("".join(rng.choice(solid) for _ in range(length)))
            parts.append("".join(rng.choice(spaces) for _ in range(rng.randint(1, 3))))
        texts.append("".join(parts))
    for text in texts:
        m = regex.search(text)
        assert long_word(text) == (None if m is None else m.span()), repr(text[:40])
    assert sum(regex.search(t) is not None for t in texts) > 40  # both outcomes are tried, many times
