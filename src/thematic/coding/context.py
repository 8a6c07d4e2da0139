"""Context conditions and domain requirements, applied to a document's rule matches.

A pattern with a :class:`~thematic.codebook.model.Context` keeps its match only when one of its
``with`` cues occurs in the window (and none of its ``without`` cues does); a code that requires
the study's domain keeps a match only when a domain cue occurs in the match's unit or turn.
Cues are patterns compiled into the same matchers as the rules (filed under the code
:data:`CUE`), so this step only compares spans: no parsing, and the same result from a fresh
coding and from re-coding with remembered hits.

Windows:
    ``sentence``  the sentence of the match: the coding unit when coding by sentence; in turn or
                  paragraph units, the part of the unit between sentence ends (. ! ? … and a space)
    ``turn``      the speaker's turn the match is in (all its paragraphs)
    ``N``         at most N words between the match and the cue (a cue overlapping the match counts)
"""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING, Sequence

from ..codebook.model import CodebookBase, Context
from ..corpus import Document

if TYPE_CHECKING:
    from .rules import Hit

#: The code cue rules are filed under (never a coding: ids are slugs, so no code can be called this).
CUE = "@cue"
_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


class _Spans:
    """Sorted spans with an overlap query."""

    def __init__(self, spans: Sequence[tuple[int, int]]):
        self.spans = sorted(spans)
        self.starts = [a for a, _ in self.spans]
        self.longest = max((b - a for a, b in self.spans), default=0)

    def overlapping(self, start: int, end: int) -> list[tuple[int, int]]:
        lo = bisect.bisect_left(self.starts, start - self.longest)
        hi = bisect.bisect_left(self.starts, end)
        return [(a, b) for a, b in self.spans[lo:hi] if a < end and start < b]


def apply_conditions(hits: list["Hit"], cues: list["Hit"], document: Document, units, unit_kind: str,
                     codebook: CodebookBase) -> list["Hit"]:
    """``hits`` without the matches whose context condition or domain requirement does not hold."""
    domain_codes = {code.id: codebook.requires_domain(code.id) for code in codebook.codes}
    if not any(h.rule.pattern.context is not None or domain_codes.get(h.rule.code) for h in hits):
        return hits
    by_source: dict[str, list[tuple[int, int]]] = {}
    for cue in cues:
        by_source.setdefault(cue.rule.source, []).append((cue.start, cue.end))
    spans = {source: _Spans(found) for source, found in by_source.items()}
    domain = _Spans([sp for p in codebook.domain.for_language(document.language)
                     for sp in by_source.get(p.source, ())])
    turns: dict[object, tuple[int, int]] = {}
    for s in document.segments:
        a, b = turns.get(s.turn, (s.start, s.end))
        turns[s.turn] = (min(a, s.start), max(b, s.end))
    starts = [u.start for u in units]
    text = document.text
    kept = []
    for h in hits:
        i = bisect.bisect_right(starts, h.start) - 1
        if i < 0 or h.start >= units[i].end:
            kept.append(h)  # outside the coded speech: coding_rows leaves it out anyway
            continue
        unit = units[i]
        turn = turns.get(unit.segment.turn, (unit.start, unit.end))
        context = h.rule.pattern.context
        if context is not None and not _context_holds(h, context, spans, unit, unit_kind, turn, text):
            continue
        if domain_codes.get(h.rule.code):
            window = turn if codebook.domain.within == "turn" else (unit.start, unit.end)
            if not domain.overlapping(*window):
                continue
        kept.append(h)
    return kept


def _context_holds(h: "Hit", context: Context, spans: dict[str, _Spans], unit, unit_kind: str,
                   turn: tuple[int, int], text: str) -> bool:
    def near(cue_patterns) -> bool:
        for p in cue_patterns:
            found = spans.get(p.source)
            if found is None:
                continue
            if context.within == "turn":
                if found.overlapping(*turn):
                    return True
            elif context.within == "sentence":
                if found.overlapping(*_sentence(h, unit, unit_kind, text)):
                    return True
            else:
                for a, b in found.overlapping(*turn):
                    if a < h.end and h.start < b:
                        return True
                    gap = text[h.end:a] if a >= h.end else text[b:h.start]
                    if len(_WORD.findall(gap)) <= int(context.within):
                        return True
        return False

    if context.with_ and not near(context.with_):
        return False
    return not (context.without and near(context.without))


def _sentence(h: "Hit", unit, unit_kind: str, text: str) -> tuple[int, int]:
    """The sentence a match is in: its unit, or (in turn and paragraph units) the part between sentence ends."""
    if unit_kind == "sentence":
        return unit.start, unit.end
    start = unit.start
    for m in _SENTENCE_END.finditer(text, unit.start, unit.end):
        if m.start() >= h.start:
            return start, m.start()
        start = m.end()
    return start, unit.end
