"""Re-anchoring codings when a transcript is corrected and ingested again.

A coding remembers its quote and a little context on each side. In the new
text it is placed by the exact quote (the occurrence whose context fits best),
else by a fuzzy match (rapidfuzz), else it is reported as unplaced: never
dropped silently.

Example:
    >>> place("vi har ingen målbilde", "Nei, ", ".", 10, "Nei, altså, vi har ingen målbilde.")
    Placement(start=12, end=33, score=100.0, method='exact')
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

CONTEXT = 40
MIN_SCORE = 85.0


@dataclass(frozen=True)
class Placement:
    start: int
    end: int
    score: float
    method: str  # "exact" | "fuzzy"


def context(text: str, start: int, end: int) -> tuple[str, str]:
    """Up to ``CONTEXT`` characters before and after a span."""
    return text[max(0, start - CONTEXT):start], text[end:end + CONTEXT]


def place(quote: str, before: str, after: str, old_start: int, new_text: str,
          min_score: float = MIN_SCORE) -> Placement | None:
    """Where ``quote`` (with its context) sits in ``new_text``, or None when it cannot be placed."""
    if not quote:
        return None
    hits = []
    i = new_text.find(quote)
    while i != -1:
        hits.append(i)
        i = new_text.find(quote, i + 1)
    if hits:
        def fit(pos: int) -> tuple[float, int]:
            b, a = context(new_text, pos, pos + len(quote))
            return (fuzz.ratio(b, before) + fuzz.ratio(a, after), -abs(pos - old_start))

        best = max(hits, key=fit)
        return Placement(best, best + len(quote), 100.0, "exact")
    alignment = fuzz.partial_ratio_alignment(quote, new_text, score_cutoff=min_score)
    if alignment is None or alignment.score < min_score:
        return None
    start, end = alignment.dest_start, alignment.dest_end
    while start < end and new_text[start].isspace():
        start += 1
    while end > start and new_text[end - 1].isspace():
        end -= 1
    return Placement(start, end, float(alignment.score), "fuzzy") if end > start else None
