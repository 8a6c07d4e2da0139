"""From a document's rule matches, as arrays, to its codings: exclusions, conditions, one coding per (unit, code).

A first coding and a re-coding keep a document's matches as three ``int`` arrays (rule, start, end;
the rule as its position in the language's rules). :class:`RuleTable` holds what each rule's
matches need, as arrays over the rules (its code, whether it is a cue, an exclusion, has a context
condition, needs a domain cue, its rank), so that dropping what an exclusion overlaps, checking domain
cues, checking context conditions (a cue in the sentence unit, in the turn, or at most N words away) and
grouping matches by (unit, code) are array operations; Python runs per coding made, not per match (only a
``within: sentence`` condition in turn or paragraph units is still checked match by match). The result is the same as
:meth:`~thematic.coding.rules.RuleCoder.finish` followed by :func:`~thematic.coding.engine.coding_records`
(which stay for code that holds :class:`~thematic.coding.rules.Hit` objects).

Example:
    >>> table = rule_coder(book).table("nb")                                  # doctest: +SKIP
    >>> records = table.records(document, units, rule, start, end, "sentence")  # doctest: +SKIP
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterator, Sequence

import numpy as np

from ..codebook.model import CodebookBase, Spread
from ..codepoints import classify, code_points
from ..corpus import Document, Segment
from ..types import theme_of
from .context import _WORD, CUE, _context_holds, _Spans

if TYPE_CHECKING:
    from .rules import Rule

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
    window: np.ndarray  # per rule with a context condition: _TURN, _SENTENCE or _WORDS (its window), else 0
    words_apart: np.ndarray  # per rule: N of ``within: N`` (at most N words between match and cue), else -1
    with_cues: np.ndarray  # (rules, rules) bool: rule j is a cue of one of rule i's ``with`` patterns
    without_cues: np.ndarray  # (rules, rules) bool: ... of one of its ``without`` patterns
    context_cue: np.ndarray  # bool: a cue some context condition asks for

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
                   flags(lambda r: r.code == CUE and r.source in domain_sources), scope,
                   *_contexts(rules))

    def groups(self, document: Document, units: np.ndarray, rule: np.ndarray, start: np.ndarray, end: np.ndarray,
               unit_kind: str) -> Iterator[tuple[int, str, str, str]]:
        """``(unit row, code, rules, words)`` per (unit, code) that a match codes, in unit then code order,
        and (sentence units) those the codebook's ``spread`` adds (:func:`spread_groups`).

        ``units`` is ``(n, 3)``: start, end, segment index (sorted by start; every segment index is one of the
        document's); ``rule``/``start``/``end`` are the raw matches (exclusions and cues included).
        """
        found = self._matched(document, units, rule, start, end, unit_kind)
        spread = self.codebook.spread
        sentences = spread.before or spread.after if unit_kind == "sentence" else 0
        if not (sentences or spread.answers) or not len(units) or not len(rule):
            yield from found
            return
        found = list(found)
        rule, start, end = (np.asarray(x, dtype=np.int64) for x in (rule, start, end))
        ex = np.flatnonzero(self.exclude[rule] & ~self.cue[rule])
        ex_unit = (np.searchsorted(units[:, 0].astype(np.int64), start[ex], side="right") - 1).tolist()
        excluded: dict[int, list[int]] = {}  # unit row -> codes (indexes) of the exclusions starting in it
        for u, c in zip(ex_unit, self.code[rule[ex]].tolist()):
            excluded.setdefault(u, []).append(c)
        where = {c: i for i, c in enumerate(self.codes)}

        def blocked(j: int, code: str) -> bool:
            return any(self.scope[where[code], c] for c in excluded.get(j, ()))

        if sentences:
            turn_of = _turn_of(document)
            found = spread_groups(found, [turn_of[s] for s in units[:, 2].tolist()], spread, blocked)
        if spread.answers:
            questions, answers = question_spans(document, units)
            if len(questions):  # each question coded as one turn unit, as the answer's units are coded
                near = _near_questions(questions, start, end)
                asked = list(self._matched(document, questions, rule[near], start[near], end[near], "turn"))
                found = answer_groups(found, asked, answers, blocked)
        yield from found

    def _matched(self, document: Document, units: np.ndarray, rule: np.ndarray, start: np.ndarray, end: np.ndarray,
                 unit_kind: str) -> Iterator[tuple[int, str, str, str]]:
        """The ``groups`` the matches themselves make (no spread)."""
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
        turn_windows = None
        if need.any():
            # the domain: some domain cue overlaps the match's unit or (within: turn) its speaker turn
            if self.codebook.domain.within == "turn":
                turn_windows = _turn_windows(document, units)
                w_start, w_end = turn_windows
            else:
                w_start, w_end = u_start, u_end
            at = np.flatnonzero(need)
            d = np.flatnonzero(self.domain_cue[rule])
            ok = _overlap_any(start[d], end[d], w_start[unit[at]], w_end[unit[at]])
            keep[at[~ok]] = False
        with_context = np.flatnonzero(keep & self.context[rule])
        if len(with_context):
            spans = _CueSpans(rule[cue], start[cue], end[cue], self.sources)
            kind = self.window[rule[with_context]]
            fast = (kind == _TURN) | (kind == _WORDS) | ((kind == _SENTENCE) & (unit_kind == "sentence"))
            if fast.any():
                if turn_windows is None and (kind != _SENTENCE).any():
                    turn_windows = _turn_windows(document, units)
                at = with_context[fast]
                turn = kind[fast] != _SENTENCE  # N words apart: cues in the turn are looked at
                ws, we = u_start[unit[at]], u_end[unit[at]]
                if turn.any():
                    ws[turn], we[turn] = turn_windows[0][unit[at[turn]]], turn_windows[1][unit[at[turn]]]
                keep[at[~self._cues_hold(rule[at], ws, we, start[at], end[at], rule, start, end, cue,
                                         document.text)]] = False
            slow = with_context[~fast].tolist()
            if slow:  # N words apart, or a sentence inside a longer unit: match by match
                turns = _turns(document)
                segments = {s.index: s for s in document.segments}
                text = document.text
                unit_rows = units.tolist()
                for h in slow:
                    a, b, s = unit_rows[int(unit[h])]
                    u = _Unit(a, b, segments[s])
                    turn = turns.get(u.segment.turn, (a, b))
                    context = self.rules[int(rule[h])].pattern.context
                    if not _context_holds(_Match(int(start[h]), int(end[h])), context, spans, u, unit_kind, turn,
                                          text):
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

    def _cues_hold(self, rules: np.ndarray, ws: np.ndarray, we: np.ndarray, hs: np.ndarray, he: np.ndarray,
                   rule: np.ndarray, start: np.ndarray, end: np.ndarray, cue: np.ndarray, text: str) -> np.ndarray:
        """Per match (``hs``, ``he``) of a pattern with a context condition: whether one of its ``with`` cues (if any)
        and none of its ``without`` cues is near: overlaps its window (``ws``, ``we``: its sentence unit or turn)
        and, for ``within: N``, overlaps the match or has at most N words between (as
        :func:`~thematic.coding.context._context_holds` decides); every match against every cue match at once."""
        c = np.flatnonzero(cue & self.context_cue[rule])
        ok = np.ones(len(rules), dtype=bool)
        cs, ce, cr = start[c], end[c], rule[c]
        apart = self.words_apart[rules]
        words = _word_counts(text) if (apart >= 0).any() and len(c) else None
        step = max(1, 1_000_000 // max(len(c), 1))  # bounded memory: a block of matches x every cue match
        for lo in range(0, len(rules), step):
            r, hi = rules[lo: lo + step], lo + step
            overlap = (cs[None, :] < we[lo:hi, None]) & (ce[None, :] > ws[lo:hi, None])
            with_cues, without_cues = self.with_cues[r][:, cr], self.without_cues[r][:, cr]
            if words is not None:  # the (match, cue) pairs in the turn whose words between must be counted
                i, j = np.nonzero(overlap & (apart[lo:hi, None] >= 0) & (with_cues | without_cues))
                a, b = hs[lo + i], he[lo + i]
                touching = (cs[j] < b) & (a < ce[j])
                gap = np.where(cs[j] >= b, words.between(b, cs[j]), words.between(ce[j], a))
                far = ~touching & (gap > apart[lo + i])
                overlap[i[far], j[far]] = False
            found_with = (overlap & with_cues).any(axis=1)
            found_without = (overlap & without_cues).any(axis=1)
            ok[lo:hi] = (found_with | ~self.with_cues[r].any(axis=1)) & ~found_without
        return ok

    def records(self, document: Document, units: np.ndarray, rule: np.ndarray, start: np.ndarray, end: np.ndarray,
                unit_kind: str) -> list[tuple]:
        """The codings as :data:`~thematic.coding.engine.RECORD_FIELDS` records (as :func:`~thematic.coding.engine.coding_records`)."""
        found = list(self.groups(document, units, rule, start, end, unit_kind))
        if not found:
            return []
        segments, coder, doc_id = {s.index: s for s in document.segments}, self.codebook.coder_name, document.doc_id
        rows, lines = units.tolist(), _lines(document, units, found)
        # The same rule lists and matched words recur across a corpus: interned, a first coding of 10M words
        # holds one copy of each instead of one per coding until its single write.
        return [(doc_id, segments[rows[i][2]].segment_id, rows[i][0], rows[i][1], *lines[i], code, coder,
                 sys.intern(rules), sys.intern(words)) for i, code, rules, words in found]

    def rows(self, document: Document, units: np.ndarray, rule: np.ndarray, start: np.ndarray, end: np.ndarray,
             unit_kind: str) -> list[tuple]:
        """The codings as rows in ``CODING_COLUMNS`` order (as :func:`~thematic.coding.engine.coding_rows`)."""
        found = list(self.groups(document, units, rule, start, end, unit_kind))
        if not found:
            return []
        segments, coder = {s.index: s for s in document.segments}, self.codebook.coder_name
        rows, lines, out = units.tolist(), _lines(document, units, found), []
        for i, code, rules, words in found:
            a, b, s = rows[i]
            seg = segments[s]
            out.append((document.doc_id, document.case, seg.speaker, seg.role, seg.segment_id, a, b, *lines[i],
                        code, theme_of(code), coder, "rule", rules, words, document.text[a:b]))
        return out


def spread_groups(found: list[tuple[int, str, str, str]], turns: Sequence, spread: Spread,
                  blocked: Callable[[int, str], bool] = lambda unit, code: False) -> list[tuple[int, str, str, str]]:
    """``found`` (``(unit row, code, rules, words)`` in unit then code order, rules and words joined by
    ``"; "``) with the codings :class:`~thematic.codebook.model.Spread` adds, in the same order.

    A coding of unit ``i`` also codes up to ``spread.before`` units before it and ``spread.after`` after it
    (units are the sentences in text order; ``turns[i]`` is unit ``i``'s speaker turn), stopping at the
    turn's end and at a unit where ``blocked(unit, code)`` (an exclusion of the code is there). A unit the
    code already codes keeps its own coding; a spread coding's rules read ``spread: <rules of the
    codings it came from>`` and its words are theirs, so a reviewer sees why.

    >>> spread_groups([(1, "a", "x*", "xa")], ["t", "t", "t", "u"], Spread(before=1, after=2))
    [(0, 'a', 'spread: x*', 'xa'), (1, 'a', 'x*', 'xa'), (2, 'a', 'spread: x*', 'xa')]
    """
    if not spread or not found:
        return found
    own = {(i, code) for i, code, _, _ in found}
    added: dict[tuple[int, str], list[tuple[str, str]]] = {}
    for i, code, rules, words in found:
        for step, count in ((-1, spread.before), (1, spread.after)):
            j = i
            for _ in range(count):
                j += step
                if not 0 <= j < len(turns) or turns[j] != turns[i] or blocked(j, code):
                    break
                if (j, code) not in own:
                    added.setdefault((j, code), []).append((rules, words))
    if not added:
        return found
    more = []
    for (j, code), sources in added.items():
        if len(sources) == 1:  # most spread codings come from one coding
            rules, words = sources[0]
        else:  # each rule and word once, in order
            rules = "; ".join(dict.fromkeys(x for r, _ in sources for x in r.split("; ")))
            words = "; ".join(dict.fromkeys(x for _, w in sources for x in w.split("; ")))
        more.append((j, code, f"spread: {rules}", words))
    return sorted(found + more, key=lambda g: (g[0], g[1]))


def question_spans(document: Document, units: np.ndarray) -> tuple[np.ndarray, list[list[int]]]:
    r"""The interviewer's questions that an answer follows, and the answer's units.

    Returns a ``(q, 3)`` array (start, end and first segment index of each interviewer turn whose next turn,
    past headings and labels, is a turn with coding units) and, per question, those units' rows in
    ``units`` (``(n, 3)``: start, end, segment index).

    >>> from thematic.transcripts import ingest_text
    >>> d = ingest_text("I: Har dere en plan?\n\nK1: Ja. Den er ny.\n\nI: Takk.")
    >>> units = np.array([(s.start, s.end, s.index) for s in d.segments if s.role == "informant"])
    >>> q, rows = question_spans(d, units)
    >>> [d.text[a:b] for a, b, _ in q.tolist()], rows
    (['Har dere en plan?'], [[0]])
    """
    rows_of: dict[int, list[int]] = {}
    turn_of = _turn_of(document)
    for row, index in enumerate(units[:, 2].tolist()):
        rows_of.setdefault(turn_of[index], []).append(row)
    first: dict[object, Segment] = {}  # each turn's first segment, turns in text order
    for s in sorted(document.segments, key=lambda s: s.start):
        first.setdefault(s.turn, s)
    turns = [t for t, s in first.items() if s.role != "unknown"]  # headings, labels: not turns of talk
    spans = _turns(document)
    out, answers = [], []
    for asked, answer in zip(turns, turns[1:]):
        if first[asked].role == "interviewer" and first[answer].role != "interviewer" and answer in rows_of:
            out.append((*spans[asked], first[asked].index))
            answers.append(rows_of[answer])
    return np.array(out, dtype=np.int64).reshape(-1, 3), answers


def answer_groups(found: list[tuple[int, str, str, str]], asked: list[tuple[int, str, str, str]],
                  answers: list[list[int]], blocked: Callable[[int, str], bool] = lambda unit, code: False
                  ) -> list[tuple[int, str, str, str]]:
    """``found`` with the codings the questions give their answers: each ``(question row, code, rules, words)``
    of ``asked`` codes every unit row in ``answers[question row]`` that the code does not code yet and no
    exclusion of it blocks, with rules ``question: <rules>`` and the question's words; in unit then code order.

    >>> answer_groups([(1, "a", "x", "xw")], [(0, "a", "y", "yw"), (0, "b", "z", "zw")], [[0, 1]])
    [(0, 'a', 'question: y', 'yw'), (0, 'b', 'question: z', 'zw'), (1, 'a', 'x', 'xw'), (1, 'b', 'question: z', 'zw')]
    """
    have = {(i, code) for i, code, _, _ in found}
    more = [(j, code, f"question: {rules}", words) for q, code, rules, words in asked for j in answers[q]
            if (j, code) not in have and not blocked(j, code)]
    if not more:
        return found
    return sorted(found + more, key=lambda g: (g[0], g[1]))


def _lines(document: Document, units: np.ndarray, found: list[tuple]) -> dict[int, tuple]:
    """``Document.lines_of`` of each unit row a coding is in (by one search over the line map, not per coding)."""
    used = np.unique(np.fromiter((g[0] for g in found), dtype=np.int64, count=len(found)))
    a, b = units[used, 0].astype(np.int64), units[used, 1].astype(np.int64)
    if not document.line_map:
        return {i: document.lines_of(x, y) for i, x, y in zip(used.tolist(), a.tolist(), b.tolist())}
    starts = np.fromiter((s for s, _ in document.line_map), dtype=np.int64, count=len(document.line_map))
    numbers = [n for _, n in document.line_map]
    first = np.maximum(np.searchsorted(starts, a, side="right") - 1, 0).tolist()
    last = np.maximum(np.searchsorted(starts, np.maximum(a, b - 1), side="right") - 1, 0).tolist()
    return {i: (numbers[f], numbers[t]) for i, f, t in zip(used.tolist(), first, last)}


_TURN, _SENTENCE, _WORDS = 1, 2, 3


def _contexts(rules: list["Rule"]) -> tuple[np.ndarray, ...]:
    """The context conditions as arrays: each rule's window kind, and which cue rules its with/without patterns are
    (cues are told apart by their pattern source, as :func:`~thematic.coding.context.apply_conditions` does)."""
    window = np.zeros(len(rules), dtype=np.int8)
    apart = np.full(len(rules), -1, dtype=np.int64)
    with_cues = np.zeros((len(rules), len(rules)), dtype=bool)
    without_cues = np.zeros((len(rules), len(rules)), dtype=bool)
    cues: dict[str, list[int]] = {}
    for j, r in enumerate(rules):
        if r.code == CUE:
            cues.setdefault(r.source, []).append(j)
    for i, r in enumerate(rules):
        context = r.pattern.context
        if context is None:
            continue
        window[i] = {"turn": _TURN, "sentence": _SENTENCE}.get(context.within, _WORDS)
        if window[i] == _WORDS:
            apart[i] = int(context.within)
        for p in context.with_:
            with_cues[i, cues.get(p.source, [])] = True
        for p in context.without:
            without_cues[i, cues.get(p.source, [])] = True
    return window, apart, with_cues, without_cues, with_cues.any(axis=0) | without_cues.any(axis=0)


class _WordCounts:
    """How many words (runs of ``\\w``, as :data:`~thematic.coding.context._WORD` finds them) ``text[x:y]`` holds,
    for arrays of ``x`` and ``y``: each code point is classed once per distinct character by the same regex."""

    def __init__(self, text: str):
        points = code_points(text)
        w = classify(points, _WORD)
        before = np.zeros_like(w)
        before[1:] = w[:-1]
        self.word = np.concatenate([w, [False]])
        self.starts = np.concatenate([[0], np.cumsum(w & ~before)])  # words starting before each position
        self.n = len(points)

    def between(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        x, y = np.broadcast_arrays(x, y)
        lo = np.clip(x, 0, self.n)
        # words starting inside (x, y), and the one x is in the middle of or starts
        count = self.starts[np.clip(y, 0, self.n)] - self.starts[np.minimum(lo + 1, self.n)] + self.word[lo]
        return np.where(x < y, count, 0)


class _LastOne:
    """A one-entry memo by identity: ``make(key)`` for the last key asked about (coding a document asks for its
    turn maps, turn windows and word counts from up to three places: spread, questions, context conditions;
    remade each time, they were a tenth of its coding time). One read and one write of a tuple, so another
    thread replacing the entry meanwhile never mixes two keys' values. The value is not to be changed."""

    __slots__ = ("make", "held")

    def __init__(self, make):
        self.make, self.held = make, (None, None)

    def __call__(self, key):
        held = self.held
        if held[0] is key:
            return held[1]
        value = self.make(key)
        self.held = (key, value)
        return value


#: The :class:`_WordCounts` of the last text asked about (a document's sentence and question passes share it).
_word_counts = _LastOne(_WordCounts)


def _turns(document: Document) -> dict[object, tuple[int, int]]:
    """Each speaker turn's span (all its paragraphs); not to be changed by the caller."""
    return _turn_maps(document)[1]


def _turn_of(document: Document) -> dict[int, object]:
    """Segment index -> its speaker turn; not to be changed by the caller."""
    return _turn_maps(document)[0]


def _make_turn_maps(document: Document) -> tuple[dict, dict]:
    turn_of: dict[int, object] = {}
    turns: dict[object, tuple[int, int]] = {}
    for s in document.segments:
        turn_of[s.index] = s.turn
        a, b = turns.get(s.turn, (s.start, s.end))
        turns[s.turn] = (min(a, s.start), max(b, s.end))
    return turn_of, turns


#: ``(segment index -> turn, turn -> span)`` of the last document asked about.
_turn_maps = _LastOne(_make_turn_maps)


def _make_turn_spans(document: Document) -> tuple[np.ndarray, np.ndarray]:
    """Per segment index, the start and end of its speaker turn (all the turn's paragraphs)."""
    turn_of, turns = _turn_maps(document)
    first = np.zeros(max(turn_of, default=-1) + 1, dtype=np.int64)
    end = np.zeros_like(first)
    index = np.fromiter(turn_of, dtype=np.int64, count=len(turn_of))
    spans = np.array([turns[t] for t in turn_of.values()], dtype=np.int64).reshape(-1, 2)
    first[index], end[index] = spans[:, 0], spans[:, 1]
    return first, end


_turn_spans = _LastOne(_make_turn_spans)


def _turn_windows(document: Document, units: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per unit, the span of the speaker turn its segment belongs to (all the turn's paragraphs), as arrays:
    laid out once per document by segment index (the sentence and question passes both ask), read per unit."""
    first, end = _turn_spans(document)
    rows = units[:, 2]
    return first[rows], end[rows]


def _near_questions(questions: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Per match, whether it can count when the questions (``(q, 3)``: start, end, segment index, in text order)
    are coded as turn units: it overlaps a question, or a match that starts in one (a phrase may run on past
    the question's end, and an exclusion overlapping it there still drops it). Every cue, exclusion and match
    that coding a question reads is one of these (its domain, context and sentence windows lie inside the
    question), so the rest are left out: a question pass over a document's few questions instead of all
    its matches (half of the grouping time)."""
    q_start, q_end = questions[:, 0].astype(np.int64), questions[:, 1].astype(np.int64)
    k = np.searchsorted(q_start, start, side="right") - 1
    inside = (k >= 0) & (start < q_end[np.maximum(k, 0)])
    reach = q_end.copy()
    np.maximum.at(reach, k[inside], end[inside])
    return _overlap_any(q_start, reach, start, end)


def _overlap_any(starts: np.ndarray, ends: np.ndarray, w_start: np.ndarray, w_end: np.ndarray) -> np.ndarray:
    """Per window, whether one of the spans overlaps it (``start < window end`` and ``end > window start``)."""
    if not len(starts):
        return np.zeros(len(w_start), dtype=bool)
    order = np.argsort(starts, kind="stable")
    starts, furthest = starts[order], np.maximum.accumulate(ends[order])
    k = np.searchsorted(starts, w_end, side="left")  # the spans starting before the window ends
    return (k > 0) & (furthest[np.maximum(k - 1, 0)] > w_start)


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
