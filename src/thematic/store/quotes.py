"""Finding a typed quote in a document, forgiving how it was typed.

A researcher copies a quote from a Word file, a PDF or an e-mail: its case, spaces, line
breaks, dashes and quote marks, and its Unicode form (NFC/NFD), may differ from the stored
text. Both are folded the same way (NFC; case-folded; every run of white space one space;
every dash "-"; every quote mark ' or "; "…" as "..."), the quote is searched in the folded
text, and the match is mapped back to code points of the stored NFC text.

A quote still not found gives the nearest passage of the document, its line and how close
it is (RapidFuzz's partial-ratio alignment, a maintained C++ implementation, rather than a
hand-written edit-distance scan).

Example:
    >>> from thematic.store.quotes import find_quote
    >>> find_quote("Vi har  ingen\\nmålbilde – ennå.", "ingen målbilde - ENNÅ")
    [(8, 29)]
"""

from __future__ import annotations

import re
import unicodedata

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\ufe58\ufe63\uff0d"
_DOUBLE = "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\u301d\u301e\uff02"
_SINGLE = "\u2018\u2019\u201a\u201b\u2039\u203a\u2032\u00b4\u0060"
_FOLD = {**{ord(c): "-" for c in _DASHES}, **{ord(c): '"' for c in _DOUBLE}, **{ord(c): "'" for c in _SINGLE},
         ord("\u2026"): "..."}


def fold(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index of the character it came from."""
    text = unicodedata.normalize("NFC", text)
    out: list[str] = []
    origin: list[int] = []
    space = False
    for i, ch in enumerate(text):
        if ch.isspace() or unicodedata.category(ch) in ("Zs", "Cf"):
            if unicodedata.category(ch) == "Cf" and not ch.isspace():
                continue  # soft hyphens, zero-width spaces and joiners vanish
            if not space and out:
                out.append(" ")
                origin.append(i)
            space = True
            continue
        space = False
        piece = ch.translate(_FOLD).casefold()
        out.extend(piece)
        origin.extend([i] * len(piece))
    if out and out[-1] == " ":
        out.pop()
        origin.pop()
    return "".join(out), origin


def find_quote(text: str, quote: str) -> list[tuple[int, int]]:
    """Every ``(start, end)`` in ``text`` (code points) where ``quote`` occurs, forgiving typing."""
    exact = [m.start() for m in re.finditer(re.escape(quote), text)] if quote else []
    if exact:
        return [(i, i + len(quote)) for i in exact]
    folded, origin = fold(text)
    needle, _ = fold(quote)
    if not needle:
        return []
    hits = []
    i = folded.find(needle)
    while i != -1:
        j = i + len(needle) - 1
        hits.append((origin[i], origin[j] + 1))
        i = folded.find(needle, i + 1)
    return hits


def nearest(text: str, quote: str) -> tuple[int, int, float]:
    """The passage of ``text`` most like ``quote``: ``(start, end, score 0-100)``."""
    from rapidfuzz import fuzz

    folded, origin = fold(text)
    needle, _ = fold(quote)
    if not folded or not needle:
        return 0, 0, 0.0
    found = fuzz.partial_ratio_alignment(needle, folded)
    start, end = found.dest_start, max(found.dest_end, found.dest_start + 1)
    start, end = origin[start], origin[min(end, len(origin)) - 1] + 1
    while start > 0 and text[start - 1].isalnum():  # whole words
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end, float(found.score)
