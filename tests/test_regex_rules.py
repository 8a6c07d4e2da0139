"""Regex rules on lower-cased text (and through the Hyperscan prefilter) give exactly the IGNORECASE hits.

The reference everywhere is the old path: every pattern compiled with ``regex.IGNORECASE`` and run on the
original text. Hostile text: Turkish İ and ı, long s, the Kelvin sign, Greek final sigma, title-case
digraphs, combining marks, ß/ẞ, mixed case, lone surrogates.
"""

from __future__ import annotations

import random
import sys
import time
import warnings
from pathlib import Path

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import thematic as th
from thematic.codebook import Codebook, CodebookInfo
from thematic.codebook.model import Code, Pattern
from thematic.coding import code_document, engine
from thematic.coding import lowercase as lc
from thematic.coding import regexes as rx
from thematic.coding.rules import Rule
from thematic.errors import ThematicWarning
from thematic.transcripts import ingest_text

ROOT = Path(__file__).resolve().parents[1]
BOOKS = sorted((ROOT / "codebooks").glob("*.yaml"))

# letters whose IGNORECASE matches lower-casing does not simply reproduce
HOSTILE = "İıIiſSsKkKΣσςǄǅǆ\u0345ιΙιßẞµΜμ\u0307\u0301ÅåÆæØøÖöÄä"


def old_hits(patterns: list[str], text: str) -> list[tuple[int, int, int]]:
    """The reference: IGNORECASE on the original text, rule by rule, empty matches dropped."""
    out = []
    for i, p in enumerate(patterns):
        out += [(i, m.start(), m.end()) for m in regex.compile(p, regex.IGNORECASE).finditer(text)
                if m.end() > m.start()]
    return out


def new_hits(patterns: list[str], text: str, **options) -> list[tuple[int, int, int]]:
    rules = [Rule("c", Pattern("nb", p, "regex"), i) for i, p in enumerate(patterns)]
    compiled = rx.RegexRules(rules, **options)
    return [(r.rank, a, b) for r, a, b in compiled.matches(text)]


def shipped_patterns() -> list[str]:
    found = []
    for path in BOOKS:
        for code in Codebook.load(path).codes:
            for p in (*code.patterns, *code.not_patterns):
                if p.kind == "regex" and p.text not in found:
                    found.append(p.text)
    return found


def hostile(text: str, rng: random.Random) -> str:
    """The same text with case flipped at random and letters swapped for their troublesome twins."""
    twins = {"i": "İIı", "s": "ſS", "k": "KK", "e": "E\u0301", "a": "A", "ø": "Ø", "å": "Å", "l": "L"}
    out = []
    for c in text:
        r = rng.random()
        if c.lower() in twins and r < 0.25:
            out.append(rng.choice(twins[c.lower()]))
        elif r < 0.4:
            out.append(c.swapcase() if len(c.swapcase()) == 1 else c)
        else:
            out.append(c)
    return "".join(out)


@pytest.fixture(scope="module")
def sample_docs() -> list:
    return list(th.ingest(ROOT / "data" / "sample_transcripts"))


@pytest.fixture(scope="module")
def sample_text(sample_docs) -> str:
    return "\n".join(d.text for d in sample_docs)


@pytest.fixture
def no_hyperscan(monkeypatch):
    """The ``fast`` extra missing: ``import hyperscan`` fails."""
    monkeypatch.setitem(sys.modules, "hyperscan", None)
    monkeypatch.setattr(rx, "_DATABASES", {})
    engine._CODERS.clear()
    yield
    engine._CODERS.clear()


def test_every_shipped_regex_is_rewritten_for_lower_case_text():
    patterns = shipped_patterns()
    assert len(patterns) >= 30
    refused = [p for p in patterns if rx.lower_pattern(p) is None]
    assert refused == []  # none of the sample codebooks' regexes needs the slow path


def test_shipped_regexes_on_hostile_texts_give_the_old_hits(sample_text):
    patterns = shipped_patterns()
    rng = random.Random(21)
    texts = [sample_text, sample_text.upper(), sample_text.swapcase(), hostile(sample_text, rng),
             hostile(sample_text, rng), "ΣΟΦΟΣ σοφος İSTANBUL ıstanbul ǅ Kelvin ſkolen MÅLBILDE",
             "VET IKKE HVA ET MÅLBİLDE ER. forſkjell på et målbilde. VET İKKE HVA.",
             "ved ıkke noget om målbillede. Vet Ikke Om. \u212aorleis skulen skal sjå ut"]
    total = 0
    for text in texts:
        want = old_hits(patterns, text)
        assert new_hits(patterns, text, fast=False) == want
        assert new_hits(patterns, text) == want  # with the prefilter where installed
        total += len(want)
    assert total > 100  # the texts do exercise the rules


@pytest.mark.parametrize("pattern", [
    "skole", "ſkole", "SKOLE", "i", "I", "ı", "İ", "k", "K", "σ", "ς", "Σ", "ǅ", "ß", "ẞ", "µ", "\u0345",
    "[a-z]+", "[A-Z]+", "[^i]", "[^I]", "[sk]", "[^ſ]", "[ǅ]", "[a-zæøå]+", "[^a-zæøå ]+", "[\\w-]+",
    "\\bdel\\w*", "\\Bk\\B", "del(?=e)", "(?<!s)k", "(?<=İ)x", "x{,2}y", "a{2,3}?", "(?:ab)++", "(?>ab|a)b",
    "(?P<w>k)s", "(k)\\1", "\\p{Lu}", "\\x4b", "(?i)k", "(?-i:k)", "[[:alpha:]]", "\\N{LATIN SMALL LETTER K}",
    "ı[a-z]", ".{0,5}ς", "^k|s$", "\\Ak", "x\\Z", "[\\s\\S]", "\\W+", "[\\d.]+",
])
def test_patterns_on_hostile_text_give_the_old_hits(pattern):
    alphabet = HOSTILE + " xyzabcdelt.-\n0123"
    rng = random.Random(pattern)
    text = "".join(rng.choice(alphabet) for _ in range(4000)) + " " + HOSTILE + " " + HOSTILE.upper()
    want = old_hits([pattern], text)
    assert new_hits([pattern], text, fast=False) == want
    assert new_hits([pattern], text) == want


def test_what_is_rewritten_and_what_keeps_ignorecase():
    assert rx.lower_pattern("Målbild\\w*.{0,60}(?:VET|osäker)") == "målbild\\w*.{0,60}(?:vet|osäker)"
    assert rx.lower_pattern("ſkole") == "skole"  # ſ and s are matched together by IGNORECASE and by lower_text
    assert rx.lower_pattern("ΣΟΦΟΣ") == "σοφοσ"
    assert rx.lower_pattern("i") == "i"
    for kept in ("I", "ı", "İ", "\\p{Lu}", "(?-i:k)", "(k)\\1", "\\x4b", "[[:alpha:]]", "(?#comment)k"):
        assert rx.lower_pattern(kept) is None, kept
    assert rx.lower_text("İSTANBUL ΟΔΟΣ ſ K") == "istanbul οδοσ s k"
    assert len(rx.lower_text("İİİ")) == 3


def test_the_case_tables_cover_every_code_point():
    # nothing above CASED_LIMIT has a case or a case-insensitive twin, so the tables miss nothing
    limit = lc.CASED_LIMIT
    for block in range(limit, 0x110000, 4096):
        chunk = "".join(map(chr, range(block, min(block + 4096, 0x110000))))
        assert chunk.lower() == chunk and chunk.upper() == chunk, hex(block)
    flags = regex.IGNORECASE
    assert all(len(regex._regex.get_all_cases(flags, i)) == 1 for i in range(limit, 0x110000, 7))
    t = lc.tables()
    assert t.safe_escapes == frozenset("wWdDsS")
    assert all(len(v) == 1 for v in t.to_lower.values())


def test_every_cased_letter_as_a_literal_matches_what_ignorecase_matches():
    t = lc.tables()
    letters = sorted(set(t.to_lower) | set(t.to_lower.values()) | {chr(c) for c in t.fix})
    subject = "".join(letters) + " 0_-"
    low = rx.lower_text(subject)
    rewritten = 0
    for c in letters:
        pattern = regex.escape(c)
        lowered = rx.lower_pattern(pattern)
        if lowered is None:
            continue
        rewritten += 1
        want = [m.span() for m in regex.finditer(pattern, subject, regex.IGNORECASE)]
        assert [m.span() for m in regex.finditer(lowered, low)] == want, (c, lowered)
    assert rewritten > 0.95 * len(letters)


CHARS = st.sampled_from(list(HOSTILE + "abelkstxz -.\n"))
ATOMS = st.one_of(CHARS.map(regex.escape), st.sampled_from(
    ["[a-z]", "[^i]", "[sk]", "[^a-zß]", "\\w", "\\W", "\\s", "\\b", ".", "[\\w-]", "[İı]", "(?=k)", "(?<!s)"]))


@st.composite
def patterns(draw) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 5))):
        atom = draw(ATOMS)
        if draw(st.booleans()) and not atom.startswith(("(?", "\\b")):
            atom += draw(st.sampled_from(["*", "+", "?", "{1,2}", "*?", "++"]))
        parts.append(atom)
    if draw(st.booleans()):
        parts = ["(?:" + "".join(parts[: len(parts) // 2 + 1]) + "|" + "".join(parts[len(parts) // 2 + 1:]) + ")"]
    return "".join(parts)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pattern=patterns(), text=st.text(CHARS, max_size=60))
def test_random_patterns_on_random_hostile_text_give_the_old_hits(pattern, text):
    want = old_hits([pattern], text)
    assert new_hits([pattern], text, fast=False) == want
    assert new_hits([pattern], text) == want


def test_the_prefilter_is_used_and_gives_the_same_hits_as_without_it(sample_text, monkeypatch):
    pytest.importorskip("hyperscan", reason="the fast extra (pip install thematic[fast])")
    patterns = shipped_patterns()
    rules = [Rule("c", Pattern("nb", p, "regex"), i) for i, p in enumerate(patterns)]
    assert rx.RegexRules(rules).prefiltered == len(patterns)
    assert rx.RegexRules(rules, fast=False).prefiltered == 0
    monkeypatch.setattr(rx, "_run", counting := _Counting(rx._run))
    text = hostile(sample_text, random.Random(5))
    with_filter = new_hits(patterns, text)
    filtered_runs = counting.calls
    assert new_hits(patterns, text, fast=False) == with_filter == old_hits(patterns, text)
    assert filtered_runs < counting.calls - filtered_runs  # rules that cannot match were not run
    # a document the prefilter cannot scan (a lone surrogate is not UTF-8) runs every rule
    odd = "Vet ikke hva et målbilde er \ud800"
    assert new_hits(patterns, odd) == old_hits(patterns, odd) != []


class _Counting:
    def __init__(self, run):
        self.run, self.calls = run, 0

    def __call__(self, *args):
        self.calls += 1
        return self.run(*args)


def test_without_hyperscan_the_standard_path_codes_the_same(no_hyperscan, monkeypatch, sample_text, sample_docs):
    assert rx._hyperscan() is None
    patterns = shipped_patterns()
    rules = [Rule("c", Pattern("nb", p, "regex"), i) for i, p in enumerate(patterns)]
    assert rx.RegexRules(rules).prefiltered == 0
    text = hostile(sample_text, random.Random(7))
    assert new_hits(patterns, text) == old_hits(patterns, text)
    book = Codebook.load(ROOT / "codebooks" / "digitalisering.yaml")
    docs = [d for d in sample_docs if d.language == "nb"]
    without = [code_document(d, book) for d in docs]
    monkeypatch.delitem(sys.modules, "hyperscan")
    engine._CODERS.clear()
    with_fast = [code_document(d, book) for d in docs]
    for a, b in zip(without, with_fast):
        assert a.equals(b)
    assert sum(len(a) for a in without) > 0


def test_a_pattern_hyperscan_refuses_still_runs():
    pytest.importorskip("hyperscan", reason="the fast extra (pip install thematic[fast])")
    # matches the empty string (Hyperscan refuses it), a quantified lookaround (no simple superset), a plain one
    patterns = ["x*", "(?=k)+s", "strategi"]
    rules = [Rule("c", Pattern("nb", p, "regex"), i) for i, p in enumerate(patterns)]
    assert rx.RegexRules(rules).prefiltered == 1
    text = "xx STRATEGİ ſtrategi Kxs"
    assert new_hits(patterns, text) == old_hits(patterns, text) != []


@pytest.mark.timeout(60)
def test_the_prefilter_rules_out_a_backtracking_regex_that_cannot_match():
    pytest.importorskip("hyperscan", reason="the fast extra (pip install thematic[fast])")
    codebook = Codebook(CodebookInfo("hostile", languages=("nb",)), [Code(
        "t", label={"nb": "T"}, patterns=(Pattern("nb", "(x|xx)+y", "regex"), Pattern.parse("strategi", "nb")))],
        source_text="hostile-regex-prefilter")
    doc = ingest_text("K1: Strategien er god. " + "x" * 60 + ".", doc_id="Hostile-K2")
    start = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        codings = code_document(doc, codebook, unit="sentence")
    assert time.perf_counter() - start < 20  # 2^60 steps if the regex ran (it would be stopped at 2 s)
    assert not [w for w in caught if issubclass(w.category, ThematicWarning)]
    assert list(codings.matched) == ["Strategien"]


@pytest.mark.parametrize("starts", [True, False])
def test_matches_are_confirmed_inside_the_spans_hyperscan_reports(starts, monkeypatch):
    pytest.importorskip("hyperscan", reason="the fast extra (pip install thematic[fast])")
    # Hyperscan reports where loose matches start or, where that is "too large" for it, where they end (a
    # bounded pattern: its match starts at most its longest width before); the rule then runs there only
    monkeypatch.setattr(rx, "LOCATE_STARTS", starts)
    patterns = ["\\bdel(?:e|er|te)\\b.{0,40}(?:erfaring|kunnskap|opplegg|planer|vurdering)", "\\bmål\\b",
                "(?<!ikke )lest", "målbild\\w*"]
    rules = [Rule("c", Pattern("nb", p, "regex"), i) for i, p in enumerate(patterns)]
    compiled = rx.RegexRules(rules)
    if starts:
        assert compiled.prefilter.starts == {0, 1, 2, 3} and not compiled.prefilter.widths
    else:
        assert compiled.prefilter.widths == {0: 54, 1: 3, 2: 4} and not compiled.prefilter.starts
        assert compiled.prefiltered == 4  # målbild\w* (unbounded) is only known to be possible in a text
    longest = "Vi DELTE" + " ø" * 20 + "VURDERING"  # a match exactly 54 characters long, not ASCII
    texts = [longest, "x" + longest, "delte" + "å" * 41 + "vurdering delte vurdering", "mål målet MÅL mål.",
             "ikke lest, har lest, İkke lest", "SKJØNNER DELTE MÅL", "MÅLBILDET, målbilde og målbildeſ"]
    for text in texts:
        want = old_hits(patterns, text)
        assert new_hits(patterns, text) == want, text
    assert old_hits(patterns[:1], longest) == [(0, 3, 57)]


@pytest.mark.timeout(60)
def test_the_time_budget_holds_inside_the_windows_hyperscan_reports(monkeypatch):
    pytest.importorskip("hyperscan", reason="the fast extra (pip install thematic[fast])")
    from thematic.coding import rules as rules_module

    # the loose pattern (no \b) matches the x's and the y, so the rule runs there, and backtracks 2^60 ways
    codebook = Codebook(CodebookInfo("hostile", languages=("nb",)), [Code(
        "t", label={"nb": "T"}, patterns=(Pattern("nb", "(x|xx)+y\\b", "regex"), Pattern.parse("strategi", "nb")))],
        source_text="hostile-regex-window")
    doc = ingest_text("K1: Strategien er god. " + "x" * 60 + "yz.", doc_id="Hostile-K3")
    monkeypatch.setattr(rules_module, "REGEX_SECONDS", 0.2)
    engine._CODERS.clear()
    start = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        codings = code_document(doc, codebook, unit="sentence")
    assert time.perf_counter() - start < 30
    assert engine.rule_coder(codebook).for_language("nb").regexes.prefilter.starts == {0}
    messages = [str(w.message) for w in caught if issubclass(w.category, ThematicWarning)]
    assert any("W003" in m and "Hostile-K3" in m and "(x|xx)+y" in m for m in messages), messages
    assert list(codings.matched) == ["Strategien"]


def test_the_regex_benchmark_prints_the_three_paths_with_the_same_hits(capsys):
    import importlib.util
    import json

    spec = importlib.util.spec_from_file_location("regex_rules", ROOT / "benchmarks" / "regex_rules.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.main(["--words", "10000", "--repeat", "1", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert figures["words"] >= 10000 and figures["rules"] >= 10
    assert figures["ignorecase"]["same_hits"] and figures["lower-case"]["same_hits"]
    assert figures["lower-case"]["lowered"] == figures["rules"]
    if figures["hyperscan"] is not None:
        assert figures["hyperscan"]["same_hits"] and figures["hyperscan"]["prefiltered"] == figures["rules"]


def test_the_module_examples_hold():
    import doctest

    for module in (lc, rx):
        assert doctest.testmod(module).failed == 0
