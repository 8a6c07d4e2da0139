"""thematic.codepoints gives exactly what the per-module code-point tables it replaced gave.

The old implementations are kept below, verbatim but for names, as the oracles: the duplicate check's
``[^\\W_]`` table (filled with ``finditer``, astral points by ``match``), the word counter's ``\\w`` table
(``fullmatch``, astral points through a cache) and the sentence pieces' white-space table (``str.isspace``
up to U+3000, nothing beyond). Every code point of the planes with assigned characters is compared, and the
functions that use the tables give the same results with the old tables and the new on random and hostile
strings (astral characters, lone surrogates, NUL, combining marks, every white space, digits, underscore).
"""

from __future__ import annotations

import functools
import random
import re
import sys

import numpy as np
import pytest

from thematic.codepoints import BMP, classify, code_points, from_code_points
from thematic.corpus import Segment

EVERY = np.arange(sys.maxunicode + 1, dtype=np.uint32)
#: The Basic Multilingual Plane and the astral planes with assigned characters (1-3 letters, digits, emoji,
#: CJK; 14 tags and variation selectors) whole, one point in 97 of the rest (unassigned and private use).
POINTS = EVERY[(EVERY < 0x40000) | ((EVERY >= 0xE0000) & (EVERY < 0xF0000)) | (EVERY % 97 == 0)
               | (EVERY == sys.maxunicode)]

# ---- the old implementations (oracles) --------------------------------------------------------------------

_OLD_WORD_CHAR = re.compile(r"[^\W_]")  # transcripts/duplicates.py
_OLD_WORD = re.compile(r"\w+")  # coding/context.py's _WORD, as coding/finish.py used it


@functools.cache
def old_duplicates_table() -> np.ndarray:
    table = np.zeros(0x10000, dtype=bool)
    table[[m.start() for m in _OLD_WORD_CHAR.finditer("".join(map(chr, range(0x10000))))]] = True
    return table


def old_duplicates_word(codes: np.ndarray) -> np.ndarray:
    word = old_duplicates_table()[np.minimum(codes, 0x10000 - 1)]
    high = codes >= 0x10000
    if high.any():
        for code in np.unique(codes[high]).tolist():
            word[codes == code] = _OLD_WORD_CHAR.match(chr(code)) is not None
    return word


@functools.cache
def old_finish_table() -> np.ndarray:
    word = _OLD_WORD.fullmatch
    return np.fromiter((word(chr(c)) is not None for c in range(0x10000)), dtype=bool, count=0x10000)


def old_finish_word(points: np.ndarray) -> np.ndarray:
    table = old_finish_table()
    w = table[np.minimum(points, len(table) - 1)]
    astral = np.flatnonzero(points >= len(table))
    if len(astral):
        w[astral] = [_OLD_WORD.fullmatch(chr(p)) is not None for p in points[astral].tolist()]
    return w


@functools.cache
def old_spaces() -> np.ndarray:
    return np.array([chr(c).isspace() for c in range(0x3001)], dtype=bool)


def old_spaces_mask(points: np.ndarray) -> np.ndarray:
    spaces = old_spaces()
    return spaces[np.minimum(points, len(spaces) - 1)] & (points < len(spaces))


def old_walled_points(text: str, walls: np.ndarray) -> str:
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).copy()
    points[walls] = ord("\n")
    return points.tobytes().decode("utf-32-le", "surrogatepass")


# ---- hostile text ---------------------------------------------------------------------------------------

SPACES = [chr(c) for c in range(0x3001) if chr(c).isspace()]  # all of them: the test over the planes finds none beyond U+3000
HOSTILE = (
    ["\x00", "_", "__", "a", "Z", "0", "9", "٣", "²", "½", "Ⅻ", "\u0301", "\u20dd", "e\u0301", "\u200b", "\u200d",
     "\ufeff", "\ufe0f", "\ufffd", "\uffff", "æ", "ø", "å", "Æ", "Ø", "Å", "ß", "İ", "K", "ſ", "中", "文", "한",
     "😀", "👩\u200d👩\u200d👧", "🇳🇴", "𝔘", "𐐀", "𠀀", "𝟘", "\U000e0041", "\U0010ffff", "\U000f0000",
     "\ud800", "\udfff", "\ud83d", "\ude00", "\udc80", ".", ",", "-", "'", "\n", "\r\n"]
    + SPACES
)


def hostile_texts(n: int, seed: int = 21) -> list[str]:
    rng = random.Random(seed)
    texts = ["", " ", "\x00", "\ud800", "😀", "_", "\u3000", "\U0010ffff", "\ud83d\ude00"]
    for _ in range(n):
        texts.append("".join(rng.choice(HOSTILE) for _ in range(rng.randint(1, 60))))
    for _ in range(n // 4):  # random code points anywhere in Unicode, surrogates included
        texts.append("".join(chr(rng.randrange(sys.maxunicode + 1)) for _ in range(rng.randint(1, 40))))
    return texts


# ---- the module itself --------------------------------------------------------------------------------------

def test_code_points_round_trip_every_code_point_including_lone_surrogates():
    text = EVERY.tobytes().decode("utf-32-le", "surrogatepass")
    points = code_points(text)
    assert points.dtype == np.dtype("<u4") and len(points) == len(text) == sys.maxunicode + 1
    assert np.array_equal(points, EVERY)
    assert from_code_points(points) == text
    assert from_code_points(points[0xD800:0xE000].astype(np.int64)) == text[0xD800:0xE000]
    assert code_points("").shape == (0,) and from_code_points(code_points("")) == ""
    with pytest.raises(ValueError):
        code_points("abc")[0] = 1  # a view of the encoded bytes: callers copy before writing


def test_classify_empty_and_fresh_array():
    assert classify(code_points(""), str.isspace).shape == (0,)
    points = code_points("a b")
    out = classify(points, str.isspace)
    out[:] = True  # the result is the caller's own array, not the cached table
    assert classify(points, str.isspace).tolist() == [False, True, False]


@pytest.mark.parametrize("name", ["duplicates [^\\W_]", "finish \\w", "engine isspace"])
def test_classify_equals_the_old_tables_on_all_assigned_planes(name):
    old, new = {
        "duplicates [^\\W_]": (old_duplicates_word, lambda p: classify(p, re.compile(r"[^\W_]"))),
        "finish \\w": (old_finish_word, lambda p: classify(p, _OLD_WORD)),
        "engine isspace": (old_spaces_mask, lambda p: classify(p, str.isspace)),
    }[name]
    if name == "duplicates [^\\W_]":  # its astral loop is quadratic: check the BMP whole, astral points apart
        assert np.array_equal(old(POINTS[:BMP]), new(POINTS[:BMP]))
        astral = POINTS[BMP:]
        expected = np.fromiter((_OLD_WORD_CHAR.match(chr(p)) is not None for p in astral.tolist()), dtype=bool)
        assert np.array_equal(new(astral), expected)
    else:
        assert np.array_equal(old(POINTS), new(POINTS))
    assert new(POINTS).any() and not new(POINTS).all()


def test_classify_hostile_strings_in_any_order():
    for text in hostile_texts(300):
        points = code_points(text)
        assert np.array_equal(classify(points, str.isspace), old_spaces_mask(points))
        assert np.array_equal(classify(points, _OLD_WORD), old_finish_word(points))
        assert np.array_equal(classify(points, re.compile(r"[^\W_]")), old_duplicates_word(points))


def test_classify_takes_a_regex_module_pattern_and_any_predicate():
    regex = pytest.importorskip("regex")
    points = code_points("a_1 😀𝔘\ud800")
    assert classify(points, regex.compile(r"\w")).tolist() == [True, True, True, False, False, True, False]
    assert classify(points, lambda c: "😀" if c == "😀" else "").tolist() == [False] * 4 + [True, False, False]


# ---- the callers give what they gave -------------------------------------------------------------------------

def test_duplicate_words_unchanged(monkeypatch):
    import thematic.transcripts.duplicates as duplicates

    texts = hostile_texts(400) + ["K1: Vi har en strategi.", "Ærlig talt, Ødegård—ja_nei 😀 2024 ½ \u0301x"]
    new = [duplicates._joined_words(text) for text in texts]
    assert new[-2] == (b"k1 vi har en strategi", 5)
    monkeypatch.setattr(duplicates, "classify", lambda points, test: old_duplicates_word(points))
    assert new == [duplicates._joined_words(text) for text in texts]


def test_word_counts_unchanged(monkeypatch):
    import thematic.coding.finish as finish

    rng = random.Random(5)
    texts = hostile_texts(300)
    ends = [(np.array([rng.randint(-2, len(t) + 2) for _ in range(20)]),
             np.array([rng.randint(-2, len(t) + 2) for _ in range(20)])) for t in texts]
    new = [finish._WordCounts(text) for text in texts]
    assert new[-1].n == len(texts[-1])
    monkeypatch.setattr(finish, "classify", lambda points, test: old_finish_word(points))
    for text, counts, (x, y) in zip(texts, new, ends):
        old = finish._WordCounts(text)
        assert np.array_equal(counts.word, old.word) and np.array_equal(counts.starts, old.starts)
        assert np.array_equal(counts.between(x, y), old.between(x, y))
    assert finish._WordCounts("Ja 😀 𝔘𝔘 _x ø").between(np.array([0]), np.array([12])).tolist() == [4]


def test_sentence_pieces_unchanged(monkeypatch):
    import thematic.coding.engine as engine

    rng = random.Random(7)
    cases = []
    for text in hostile_texts(200):
        n = len(text)
        cuts = sorted(rng.sample(range(n + 1), min(n + 1, 4)))
        segments = [Segment("d", i, a, b) for i, (a, b) in enumerate(zip(cuts, cuts[1:]))]
        starts = np.array(sorted(rng.sample(range(n + 1), min(n + 1, 3))), dtype=np.int64)
        cases.append((text, starts, segments))
    new = [engine._sentence_spans(*case) for case in cases]
    for (text, _, segments), got in zip(cases, new):
        space = old_spaces_mask(code_points(text))
        for a, b, index in got.tolist():  # every piece is trimmed of white space and inside its segment
            assert segments[index].start <= a < b <= segments[index].end
            assert not space[a] and not space[b - 1]
    monkeypatch.setattr(engine, "classify", lambda points, test: old_spaces_mask(points))
    for case, got in zip(cases, new):
        assert np.array_equal(got, engine._sentence_spans(*case))


def test_walled_text_unchanged():
    from thematic.coding.rules import _walled

    rng = random.Random(11)
    for text in hostile_texts(200):
        n = len(text)
        cuts = sorted(rng.sample(range(n + 1), min(n + 1, 6)))
        units = list(zip(cuts[::2], cuts[1::2]))  # units do not overlap
        got = _walled(text, units)
        assert len(got) == n
        changed = [i for i in range(n) if got[i] != text[i]]
        assert got == old_walled_points(text, np.array(changed, dtype=np.int64))  # surrogates, astral kept
        assert all(got[i] == "\n" and not any(a <= i < b for a, b in units) for i in changed)


def test_module_examples():
    import doctest

    import thematic.cachedir
    import thematic.codepoints

    for module in (thematic.codepoints, thematic.cachedir):
        result = doctest.testmod(module)
        assert result.attempted and not result.failed
