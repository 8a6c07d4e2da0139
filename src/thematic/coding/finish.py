"""From a document's rule matches, as arrays, to its codings: exclusions, conditions, one coding per (unit, code).

A first coding and a re-coding keep a document's matches as three ``int`` arrays (rule, start, end;
the rule as its position in the language's rules). :class:`RuleTable` holds what each rule's
matches need, as arrays over the rules (its code, whether it is a cue, an exclusion, has a context
condition, needs a domain cue, its rank), so that dropping what an exclusion overlaps, checking domain
cues and grouping matches by (unit, code) are array operations; Python runs per coding made (and per
match of a pattern with a context condition), not per match. The result is the same as
:meth:`~thematic.coding.rules.RuleCoder.finish` followed by :func:`~thematic.coding.engine.coding_records`
(which stay for code that holds :class:`~thematic.coding.rules.Hit` objects).

Example:
    >>> table = rule_coder(book).table("nb")                                  # doctest: +SKIP
    >>> records = table.records(document, units, rule, start, end, "sentence")  # doctest: +SKIP
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

import numpy as np

from ..codebook.model import CodebookBase
from ..corpus import Document, Segment
from ..types import theme_of
from .context import CUE, _context_holds, _Spans

if TYPE_CHECKING:
    from .rules import Rule

_NONE = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True)
class _Unit:
    """A coding unit as :func:`~thematic.coding.context._context_holds` reads one."""

    start: int
    end: int
    segment: Segment


@dataclass(frozen=True)
class _Match:
    """A match as :func:`~thematic.coding.context._context_holds` reads one (made only for patterns with a context)."""

    start: int
    end: int


@dataclass(frozen=True, eq=False)
class RuleTable:
    """The rules of one language as arrays over their positions (see the module docstring)."""

    rules: tuple["Rule", ...]
    sources: tuple[str, ...]  # per rule: the pattern as written
    codebook: CodebookBase
    codes: tuple[str, ...]  # the rules' codes, sorted (a code's index orders codings as its id does)
    code: np.ndarray  # per rule: index into ``codes``
    rank: np.ndarray
    cue: np.ndarray  # bool: a cue of a context condition or of the domain (never a coding)
    exclude: np.ndarray  # bool: a not_pattern
    context: np.ndarray  # bool: a pattern with a context condition
    domain: np.ndarray  # bool: its code needs a domain cue
    domain_cue: np.ndarray  # bool: a cue whose pattern is one of the domain's
    scope: np.ndarray  # (codes, codes) bool: an exclusion of code j drops matches of code i

    @classmethod
    def of(cls, rules: list["Rule"], codebook: CodebookBase, lang: str,
           exclusion_scope: dict[str, tuple[str, ...]]) -> "RuleTable":
        codes = tuple(sorted({r.code for r in rules}))
        where = {c: i for i, c in enumerate(codes)}
        requires = {c.id: codebook.requires_domain(c.id) for c in codebook.codes}
        domain_sources = {p.source for p in codebook.domain.for_language(lang)}
        scope = np.zeros((len(codes), len(codes)), dtype=bool)
        for c, i in where.items():
            for ancestor in exclusion_scope.get(c, (c,)):
                if ancestor in where:
                    scope[i, where[ancestor]] = True

        def flags(test) -> np.ndarray:
            return np.fromiter(map(test, rules), dtype=bool, count=len(rules))

        return cls(tuple(rules), tuple(r.source for r in rules), codebook, codes,
                   np.fromiter((where[r.code] for r in rules), dtype=np.int64, count=len(rules)),
                   np.fromiter((r.rank for r in rules), dtype=np.int64, count=len(rules)),
                   flags(lambda r: r.code == CUE), flags(lambda r: r.pattern.exclude),
                   flags(lambda r: r.pattern.context is not None), flags(lambda r: bool(requires.get(r.code))),
                   flags(lambda r: r.code == CUE and r.source in domain_sources), scope)

    def groups(self, document: Document, units: np.ndarray, rule: np.ndarray, start: np.ndarray, end: np.ndarray,
               unit_kind: str) -> Iterator[tuple[int, str, str, str]]:
        """``(unit row, code, rules, words)`` per (unit, code) that a match codes, in unit then code order.

        ``units`` is ``(n, 3)``: start, end, segment index (sorted by start; every segment index is one of the
        document's); ``rule``/``start``/``end`` are the raw matches (exclusions and cues included).
        """
        if not len(rule) or not len(units):
            return
        rule, start, end = (np.asarray(x, dtype=np.int64) for x in (rule, start, end))
        code = self.code[rule]
        # exclusions (of the code or an ancestor) drop the positive matches they overlap; cues never code
        keep = ~self.cue[rule] & ~self.exclude[rule]
        for j in np.flatnonzero(self.exclude[rule] & ~self.cue[rule]).tolist():
            keep &= ~(self.scope[code, code[j]] & (start[j] < end) & (start < end[j]))
        # the unit a match starts in; matches outside the coded speech (interviewer, labels) code nothing
        u_start, u_end = units[:, 0].astype(np.int64), units[:, 1].astype(np.int64)
        unit = np.searchsorted(u_start, start, side="right") - 1
        keep &= unit >= 0
        keep &= start < u_end[np.maximum(unit, 0)]
        if not keep.any():
            return
        cue = self.cue[rule]
        need = keep & self.domain[rule]
        turns = None
        if need.any():
            # the domain: some domain cue overlaps the match's unit or (within: turn) its speaker turn
            if self.codebook.domain.within == "turn":
                turns = _turns(document)
                w_start, w_end = _turn_windows(turns, document, units)
            else:
                w_start, w_end = u_start, u_end
            at = np.flatnonzero(need)
            ws, we = w_start[unit[at]], w_end[unit[at]]
            d = np.flatnonzero(self.domain_cue[rule])
            if len(d):
                order = np.argsort(start[d], kind="stable")
                d_start, d_end = start[d][order], np.maximum.accumulate(end[d][order])
                k = np.searchsorted(d_start, we, side="left")  # the cues starting before the window ends
                ok = (k > 0) & (d_end[np.maximum(k - 1, 0)] > ws)
            else:
                ok = np.zeros(len(at), dtype=bool)
            keep[at[~ok]] = False
        with_context = np.flatnonzero(keep & self.context[rule])
        if len(with_context):
            spans = _CueSpans(rule[cue], start[cue], end[cue], self.sources)
            turns = turns if turns is not None else _turns(document)
            segments = {s.index: s for s in document.segments}
            text = document.text
            unit_rows = units.tolist()
            for h in with_context.tolist():
                i = int(unit[h])
                a, b, s = unit_rows[i]
                u = _Unit(a, b, segments[s])
                turn = turns.get(u.segment.turn, (a, b))
                context = self.rules[int(rule[h])].pattern.context
                if not _context_holds(_Match(int(start[h]), int(end[h])), context, spans, u, unit_kind, turn, text):
                    keep[h] = False
        at = np.flatnonzero(keep)
        if not len(at):
            return
        r, a, b, un = rule[at], start[at], end[at], unit[at]
        c = code[at]
        # grouped by (unit, code); inside a group in text order, rules matching one span in codebook order
        order = np.lexsort((self.rank[r], b, a, c, un))
        r, a, b, un, c = r[order], a[order], b[order], un[order], c[order]
        key = un * len(self.codes) + c
        bounds = np.flatnonzero(np.diff(key)) + 1
        firsts = np.concatenate([[0], bounds]).tolist()
        lasts = np.concatenate([bounds, [len(key)]]).tolist()
        text = document.text
        sources = self.sources
        r_, a_, b_, un_, c_ = r.tolist(), a.tolist(), b.tolist(), un.tolist(), c.tolist()
        for lo, hi in zip(firsts, lasts):
            if hi - lo == 1:  # most codings rest on one match
                yield un_[lo], self.codes[c_[lo]], sources[r_[lo]], text[a_[lo]:b_[lo]]
                continue
            found: dict[str, None] = {}  # in order, once each
            words: dict[str, None] = {}
            for k in range(lo, hi):
                found.setdefault(sources[r_[k]])
                words.setdefault(text[a_[k]:b_[k]])
            yield un_[lo], self.codes[c_[lo]], "; ".join(found), "; ".join(words)

    def records(self, document: Document, units: np.ndarray, rule: np.ndarray, start: np.ndarray, end: np.ndarray,
                unit_kind: str) -> list[tuple]:
        """The codings as :data:`~thematic.coding.engine.RECORD_FIELDS` records (as :func:`~thematic.coding.engine.coding_records`)."""
        out = []
        segments, lines, coder = None, {}, self.codebook.coder_name
        for i, code, rules, words in self.groups(document, units, rule, start, end, unit_kind):
            if segments is None:
                segments, unit_rows = {s.index: s for s in document.segments}, units.tolist()
            a, b, s = unit_rows[i]
            line = lines.get(i)
            if line is None:
                line = lines[i] = document.lines_of(a, b)
            # The same rule lists and matched words recur across a corpus: interned, a first coding of 10M words
            # holds one copy of each instead of one per coding until its single write.
            out.append((document.doc_id, segments[s].segment_id, a, b, line[0], line[1], code, coder,
                        sys.intern(rules), sys.intern(words)))
        return out

    def rows(self, document: Document, units: np.ndarray, rule: np.ndarray, start: np.ndarray, end: np.ndarray,
             unit_kind: str) -> list[tuple]:
        """The codings as rows in ``CODING_COLUMNS`` order (as :func:`~thematic.coding.engine.coding_rows`)."""
        out = []
        segments, lines, coder = None, {}, self.codebook.coder_name
        for i, code, rules, words in self.groups(document, units, rule, start, end, unit_kind):
            if segments is None:
                segments, unit_rows = {s.index: s for s in document.segments}, units.tolist()
            a, b, s = unit_rows[i]
            seg = segments[s]
            line = lines.get(i)
            if line is None:
                line = lines[i] = document.lines_of(a, b)
            out.append((document.doc_id, document.case, seg.speaker, seg.role, seg.segment_id, a, b, line[0],
                        line[1], code, theme_of(code), coder, "rule", rules, words, document.text[a:b]))
        return out


def _turns(document: Document) -> dict[object, tuple[int, int]]:
    """Each speaker turn's span (all its paragraphs)."""
    turns: dict[object, tuple[int, int]] = {}
    for s in document.segments:
        a, b = turns.get(s.turn, (s.start, s.end))
        turns[s.turn] = (min(a, s.start), max(b, s.end))
    return turns


def _turn_windows(turns: dict, document: Document, units: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per unit, the span of the turn its segment belongs to."""
    by_segment = {s.index: turns[s.turn] for s in document.segments}
    spans = np.array([by_segment[s] for s in units[:, 2].tolist()], dtype=np.int64).reshape(-1, 2)
    return spans[:, 0], spans[:, 1]


class _CueSpans:
    """The cue matches by pattern source, as :func:`~thematic.coding.context.apply_conditions` files them;
    only the sources a context condition asks for are gathered (most matches are cues: domain words)."""

    def __init__(self, rule: np.ndarray, start: np.ndarray, end: np.ndarray, sources: tuple[str, ...]):
        order = np.argsort(rule, kind="stable")
        self.rule, self.start, self.end, self.sources = rule[order], start[order], end[order], sources
        self._slices: dict[str, list[tuple[int, int]]] | None = None
        self._spans: dict[str, _Spans | None] = {}

    def get(self, source: str) -> _Spans | None:
        found = self._spans.get(source, False)
        if found is not False:
            return found
        if self._slices is None:  # where each cue rule's matches are, filed under its pattern source
            self._slices = {}
            rules, firsts, counts = np.unique(self.rule, return_index=True, return_counts=True)
            for r, lo, n in zip(rules.tolist(), firsts.tolist(), counts.tolist()):
                self._slices.setdefault(self.sources[r], []).append((lo, lo + n))
        slices = self._slices.get(source)
        found = None
        if slices is not None:
            found = _Spans([sp for lo, hi in slices
                            for sp in zip(self.start[lo:hi].tolist(), self.end[lo:hi].tolist())])
        self._spans[source] = found
        return found
