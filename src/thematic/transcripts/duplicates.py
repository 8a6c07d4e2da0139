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
from bisect import bisect_left
from itertools import chain, repeat
from dataclasses import dataclass
from functools import lru_cache

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
    points = _joined_points(text)
    joined, n = _encoded(points)
    return Signature(hashlib.sha256(joined).hexdigest(), n > 0, _shingles(points, n))


_WORD_CHAR = re.compile(r"[^\W_]")  # one character of a _WORD


def _joined_points(text: str) -> np.ndarray:
    """The code points of ``" ".join(_words(text))`` (``uint32``), without a string per word.

    Hand-written with numpy over the code points because ``_WORD.findall`` and the join took 0.35 s per
    million words (a third of the duplicate check); this takes 0.12 s (measured on benchmarks/scale.py's
    corpus). Word characters are classed by the same regex (:func:`~thematic.codepoints.classify`).
    """
    codes = code_points(unicodedata.normalize("NFC", text).casefold())
    if not len(codes):
        return codes
    word = classify(codes, _WORD_CHAR)
    # every word character, and one space for each run of other characters that follows a word
    space = ~word
    space[1:] &= word[:-1]
    space[0] = False
    joined = np.where(word, codes, 32)[word | space]
    if len(joined) and joined[-1] == 32:
        joined = joined[:-1]
    return joined


def _joined_words(text: str) -> tuple[bytes, int]:
    """``(" ".join(_words(text)).encode(), len(_words(text)))``."""
    return _encoded(_joined_points(text))


def _encoded(points: np.ndarray) -> tuple[bytes, int]:
    """The UTF-8 of :func:`_joined_points`'s words and how many words they are."""
    if not len(points):
        return b"", 0
    return from_code_points(points).encode(), int(np.count_nonzero(points == 32)) + 1


# The 5-gram hash: a polynomial hash mod 2**64 of the 5-gram's code points, finished by MurmurHash3's
# 64-bit mixer (fmix64) so that its low bits, which pick the sampled 5-grams, depend on every code point.
# Hand-written with numpy because no library hashes all the substrings of one buffer in one call: one
# blake2b per 5-gram in Python took 1.1-1.3 s per million words (most of ingest's duplicate check), this
# takes about 0.05 s. The hashes are never stored (a signature lives in one run of ingest), so
# changing the function changes nothing saved. Not a cryptographic hash: a text written to collide with
# another could at worst be reported as its near-duplicate (a warning naming both files).
_BASE = 0x9E3779B97F4A7C15  # odd, so it has an inverse mod 2**64
_BASE_INVERSE = pow(_BASE, -1, 1 << 64)
_LENGTH_MIX = np.uint64(0xD6E8FEB86659FD93)


_CHUNK = 1 << 18  # code points hashed per numpy pass: memory stays bounded on a 50 MB text of one word


def _powers(base: int, n: int) -> np.ndarray:
    """``base**k mod 2**64`` for k in 0..n-1 (uint64 products wrap: numpy's integer arithmetic is modular)."""
    out = np.full(n, base, dtype=np.uint64)
    if n:
        out[0] = 1
    return np.cumprod(out, dtype=np.uint64)


def _fmix64(h: np.ndarray) -> np.ndarray:
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xFF51AFD7ED558CCD)
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xC4CEB9FE1A85EC53)
    return h ^ (h >> np.uint64(33))


@lru_cache(maxsize=2)
def _chunk_powers(chunk: int) -> tuple[np.ndarray, np.ndarray]:
    """``B**k`` and ``B**-k`` (mod 2**64) for k in 0..chunk."""
    return _powers(_BASE, chunk + 1), _powers(_BASE_INVERSE, chunk + 1)


def shingle_hashes(points: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The 64-bit hash of each substring ``points[start:end]`` of code points (``starts`` and ``ends``
    ascending): a pure function of the substring, wherever it is.

    The hash of ``c_0 .. c_(m-1)`` is ``fmix64(sum((c_k + 1) * B**k) ^ m * L)`` mod 2**64, for all
    substrings at once from the prefix sums ``S[i] = sum((c_k + 1) * B**k for k < i)``:
    ``(S[end] - S[start]) * B**-start``. The sums are made a chunk of code points at a time, so memory
    stays bounded on a long text.
    """
    forward, backward = _chunk_powers(_CHUNK)
    at_start = np.empty(len(starts), dtype=np.uint64)
    at_end = np.empty(len(ends), dtype=np.uint64)
    inverse = np.empty(len(starts), dtype=np.uint64)
    carry, n = 0, len(points)
    with np.errstate(over="ignore"):
        for a in range(0, n + 1, _CHUNK):
            chunk = points[a:a + _CHUNK]
            local = np.zeros(len(chunk) + 1, dtype=np.uint64)
            terms = np.add(chunk, 1, dtype=np.uint64)
            np.cumsum(np.multiply(terms, forward[:len(chunk)], out=terms), dtype=np.uint64, out=local[1:])
            local = np.uint64(carry) + np.uint64(pow(_BASE, a, 1 << 64)) * local  # S[a] .. S[a + len(chunk)]
            # positions a .. a + len(chunk); one at a chunk's end is found again (equal) in the next chunk
            lo, hi = np.searchsorted(starts, [a, a + len(chunk) + 1])
            at = (starts[lo:hi] - a).astype(np.intp)
            at_start[lo:hi] = local[at]
            inverse[lo:hi] = np.uint64(pow(_BASE_INVERSE, a, 1 << 64)) * backward[at]
            lo, hi = np.searchsorted(ends, [a, a + len(chunk) + 1])
            at_end[lo:hi] = local[(ends[lo:hi] - a).astype(np.intp)]
            carry = int(local[-1])
        raw = (at_end - at_start) * inverse
        return _fmix64(raw ^ ((ends - starts).astype(np.uint64) * _LENGTH_MIX))


def _shingles(points: np.ndarray, n: int) -> frozenset[int]:
    """The sampled hashes of the word 5-grams of ``points`` (``n`` words separated by single spaces)."""
    if n < 5:
        starts, ends = np.array([0]), np.array([len(points)])  # one 5-gram of all the words (of none)
    else:
        spaces = np.flatnonzero(points == 32)
        starts = np.concatenate(([0], spaces[:n - 5] + 1))
        ends = np.concatenate((spaces[4:], [len(points)]))
    hashes = shingle_hashes(points, starts, ends)
    if n >= 80:
        hashes = hashes[(hashes & np.uint64((1 << _SAMPLE) - 1)) == 0]
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
            j = self._near(shingles)
            if j is not None:
                return "near-duplicate", self.names[j]
        self.exact[key] = name
        me = len(self.names)
        self.names.append(name)
        self.sizes.append(len(shingles))
        for s in shingles:
            self.index.setdefault(s, []).append(me)
        return None

    def _near(self, shingles: frozenset[int]) -> int | None:
        """The earlier document this one is a near-duplicate of: of the (at most) three documents sharing
        most of its shingles, ties in the order their shared shingles come up in ``shingles``, the first
        whose Jaccard similarity is at least NEAR.

        Counting every document's shared shingles (a Counter over the lists of all the shingles) grew with
        the square of the corpus: a 5-gram common to many documents lists all of them (1.8 s at 5M words,
        0.08 s at 1M; this takes 0.25 s and 0.04 s). Only a document that shares at least ``least`` of the
        ``m`` shingles can pass, so it is among those in the lists of the ``r`` shingles with the shortest
        lists at least ``least - (m - r)`` times; those few are then counted exactly (lists are in document
        order: bisect). Documents sharing fewer rank below every one that can pass, so the answer is the same.
        """
        order = list(shingles)  # the order the shared documents first come up in, as counted before
        postings = list(map(self.index.get, order, repeat(())))
        m = len(order)
        least = max(1, int(0.79 * m))  # below 0.79 of the shingles, Jaccard < 0.79 < NEAR whatever the sizes
        rare = sorted(range(m), key=list(map(len, postings)).__getitem__)[:2 * (m - least + 1)]
        need = least - (m - len(rare))
        listed = np.fromiter(chain.from_iterable(map(postings.__getitem__, rare)), dtype=np.int64)
        hits = np.bincount(listed, minlength=len(self.names))  # counted in numpy: the lists can be long
        common = {j: sum(map(_has, postings, repeat(j))) for j in np.flatnonzero(hits >= need).tolist()}
        ranked = sorted((j for j, c in common.items() if c >= least),
                        key=lambda j: (-common[j], next(i for i, p in enumerate(postings) if _has(p, j)), j))
        for j in ranked[:3]:
            if common[j] / (m + self.sizes[j] - common[j]) >= NEAR:
                return j
        return None


def _has(posting: list[int], j: int) -> bool:
    """Whether ``j`` is in a posting list (ascending document numbers)."""
    k = bisect_left(posting, j)
    return k < len(posting) and posting[k] == j
