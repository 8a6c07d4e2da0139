"""Noticing a transcript that is in the corpus twice.

The same interview often arrives twice: saved again under another name or encoding, or
exported from Teams as .vtt and from Zoom as .srt. Documents are compared by their words
(case-folded, NFC, without punctuation and layout; readers have already taken time
codes out of captions):
the same words are a duplicate; mostly the same word 5-grams (Jaccard >= 0.8 over a
sample of shingles, found through an inverted index so a large corpus is not compared
pair by pair) are a near-duplicate. The first file read is kept.

Example:
    >>> seen = Duplicates()
    >>> seen.check("a.txt", "K1: Vi har en strategi.") is None
    True
    >>> seen.check("b.txt", "k1:  vi HAR en\\nstrategi")
    ('duplicate', 'a.txt')
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from itertools import chain, repeat
from dataclasses import dataclass

import numpy as np

from ..codepoints import classify, code_points, from_code_points

_WORD = re.compile(r"[^\W_]+")
_SAMPLE = 4  # keep one shingle in 2**_SAMPLE (by hash): near-duplicates share most of the kept ones
NEAR = 0.8


def _words(text: str) -> list[str]:
    """The case-folded words (runs of letters and digits) of ``text``: what :func:`signature` compares."""
    return _WORD.findall(unicodedata.normalize("NFC", text).casefold())


@dataclass(frozen=True)
class Signature:
    """What :class:`Duplicates` compares of one text: a digest of its words and its sampled 5-gram hashes.

    A pure function of the text (:func:`signature`), so worker processes can make it while the
    parent only looks it up.
    """

    key: str  # sha256 of the case-folded words joined by spaces
    has_words: bool
    shingles: frozenset[int]


def signature(text: str) -> Signature:
    joined, n = _joined_words(text)
    return Signature(hashlib.sha256(joined).hexdigest(), n > 0, _shingles(joined, n))


_WORD_CHAR = re.compile(r"[^\W_]")  # one character of a _WORD


def _joined_words(text: str) -> tuple[bytes, int]:
    """``(" ".join(_words(text)).encode(), len(_words(text)))``, without a string per word.

    Hand-written with numpy over the code points because ``_WORD.findall`` and the join took 0.35 s per
    million words (a third of the duplicate check); this takes 0.12 s (measured on benchmarks/scale.py's
    corpus). Word characters are classed by the same regex (:func:`~thematic.codepoints.classify`).
    """
    codes = code_points(unicodedata.normalize("NFC", text).casefold())
    if not len(codes):
        return b"", 0
    word = classify(codes, _WORD_CHAR)
    # every word character, and one space for each run of other characters that follows a word
    space = ~word
    space[1:] &= word[:-1]
    space[0] = False
    joined = np.where(word, codes, 32)[word | space]
    if len(joined) and joined[-1] == 32:
        joined = joined[:-1]
    if not len(joined):
        return b"", 0
    return from_code_points(joined).encode(), int(np.count_nonzero(joined == 32)) + 1


def _shingles(joined: bytes, n: int) -> frozenset[int]:
    """The sampled hashes of the word 5-grams of ``joined`` (``n`` words separated by single spaces).

    Each 5-gram is a slice of the joined bytes (word bounds found with numpy, no string per 5-gram);
    blake2b still runs once per 5-gram in Python, because no vectorised routine computes the same
    hashes and another hash would sample other 5-grams (and could decide a borderline pair otherwise).
    Each hash is a copy of one blake2b object made with ``digest_size=8``: a new blake2b object per
    5-gram (parameter block and all) took 0.63 s per million 5-grams, the copies take 0.45 s (measured).
    """
    if n < 5:
        pairs = [(0, len(joined))]  # one 5-gram of all the words (of none, for an empty text)
    else:
        spaces = np.flatnonzero(np.frombuffer(joined, dtype=np.uint8) == 32)
        starts = np.concatenate(([0], spaces[:n - 5] + 1))
        ends = np.concatenate((spaces[4:], [len(joined)]))
        pairs = zip(starts.tolist(), ends.tolist())
    copy = hashlib.blake2b(digest_size=8).copy
    hashes = np.frombuffer(b"".join([(h := copy()).update(joined[a:b]) or h.digest() for a, b in pairs]),
                           dtype=">u8")
    if n >= 80:
        hashes = hashes[hashes % (1 << _SAMPLE) == 0]
    return frozenset(hashes.tolist())


class Duplicates:
    """Remembers the documents read so far; :meth:`check` names an earlier file with the same text."""

    def __init__(self):
        self.exact: dict[str, str] = {}
        self.index: dict[int, list[int]] = {}
        self.sizes: list[int] = []
        self.names: list[str] = []

    def check(self, name: str, text: str | Signature) -> tuple[str, str] | None:
        """``("duplicate" | "near-duplicate", earlier file)``, or ``None`` (then the text is remembered).

        ``text`` may be given as its :func:`signature`."""
        sig = text if isinstance(text, Signature) else signature(text)
        key, shingles = sig.key, sig.shingles
        if sig.has_words and key in self.exact:
            return "duplicate", self.exact[key]
        if shingles:
            # counted in C (chain and Counter): a corpus that shares many 5-grams has long lists here
            shared = Counter(chain.from_iterable(map(self.index.get, shingles, repeat(()))))
            for j, common in shared.most_common(3):
                if common / (len(shingles) + self.sizes[j] - common) >= NEAR:
                    return "near-duplicate", self.names[j]
        self.exact[key] = name
        me = len(self.names)
        self.names.append(name)
        self.sizes.append(len(shingles))
        for s in shingles:
            self.index.setdefault(s, []).append(me)
        return None
