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

_WORD = re.compile(r"[^\W_]+")
_SAMPLE = 4  # keep one shingle in 2**_SAMPLE (by hash): near-duplicates share most of the kept ones
NEAR = 0.8


def _words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFC", text).casefold())


def _shingles(words: list[str]) -> set[int]:
    out = set()
    for i in range(max(len(words) - 4, 1)):
        h = int.from_bytes(hashlib.blake2b(" ".join(words[i:i + 5]).encode(), digest_size=8).digest(), "big")
        if h % (1 << _SAMPLE) == 0 or len(words) < 80:
            out.add(h)
    return out


class Duplicates:
    """Remembers the documents read so far; :meth:`check` names an earlier file with the same text."""

    def __init__(self):
        self.exact: dict[str, str] = {}
        self.index: dict[int, list[int]] = {}
        self.sizes: list[int] = []
        self.names: list[str] = []

    def check(self, name: str, text: str) -> tuple[str, str] | None:
        """``("duplicate" | "near-duplicate", earlier file)``, or ``None`` (then the text is remembered)."""
        words = _words(text)
        key = hashlib.sha256(" ".join(words).encode()).hexdigest()
        if words and key in self.exact:
            return "duplicate", self.exact[key]
        shingles = _shingles(words)
        if shingles:
            shared = Counter(j for s in shingles for j in self.index.get(s, ()))
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
