"""The regular-expression rules of one language, compiled once: :class:`RegexRules`.

``RegexRules(rules).matches(masked_text)`` gives every match of every rule as ``(rule, start, end)``,
exactly what each pattern compiled with ``regex.IGNORECASE`` finds in the text, rule by rule, with a time
budget per rule and document (W003). Two things make it faster without changing what it finds:

- patterns run case-sensitively on lower-cased text wherever :mod:`thematic.coding.lowercase` proves
  that the same (else IGNORECASE on the original text);
- optionally (the ``fast`` extra: ``pip install thematic[fast]``), a language's loose patterns are
  compiled into one Hyperscan database (cached per set of patterns in this process) that scans a
  document once and reports where each rule's matches can lie: where loose matches start and end, or
  (a pattern Hyperscan finds too large for that) where they end, or only whether there is one. A rule
  then runs inside those windows alone, or not at all; a rule Hyperscan refuses, or a text it cannot
  scan, runs over the whole text. The hits are the same with or without it.

Example:
    >>> from thematic.codebook.model import Pattern
    >>> from thematic.coding.rules import Rule
    >>> rules = RegexRules([Rule("plan", Pattern("nb", "ikke (?:lest|sett) planen", "regex"))])
    >>> [(r.code, a, b) for r, a, b in rules.matches("Vi har IKKE LEST planen.")]
    [('plan', 7, 23)]
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

try:  # the standard library's own pattern parser: the longest match of a pattern (renamed in Python 3.11)
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse

import regex

from ..errors import Warnings, warn
from .lowercase import Rewritten, lower_pattern, lower_text, rewrite

if TYPE_CHECKING:
    from .rules import Rule

__all__ = ["RegexRules", "Prefilter", "prefilter", "lower_pattern", "lower_text", "rewrite"]


# --- Hyperscan prefilter (optional) -------------------------------------------------------------------

@dataclass(frozen=True)
class Prefilter:
    """A Hyperscan database of loose patterns: ``ids`` the rules it decides for; of those, ``starts``
    report where each loose match starts and ends, ``widths`` where it ends (and the longest the rule's
    match can be, so where it can have started); the others only whether there is one at all."""

    database: object
    ids: frozenset[int]
    starts: frozenset[int]
    widths: dict[int, int]

    def locates(self, i: int) -> bool:
        return i in self.starts or i in self.widths


_DATABASES: dict[tuple, Prefilter | None] = {}
#: Ask Hyperscan where loose matches start (else, for a pattern of bounded width, only where they end).
LOCATE_STARTS = True


def _hyperscan():
    """The ``hyperscan`` module, or None when the ``fast`` extra is not installed."""
    try:
        import hyperscan
    except ImportError:
        return None
    return hyperscan


def prefilter(patterns: Sequence[Rewritten | None]) -> Prefilter | None:
    """A Hyperscan database of the rules' loose patterns (None: that rule always runs), cached per set of
    patterns in this process; None without Hyperscan or when it takes none of them. A window pattern is
    compiled to report where its matches start (``HS_FLAG_SOM_LEFTMOST``), the others once per text."""
    hs = _hyperscan()
    if hs is None or not any(p is not None and p.loose is not None for p in patterns):
        return None
    key = (LOCATE_STARTS,) + tuple((p.loose, p.window) if p is not None else None for p in patterns)
    if key in _DATABASES:
        return _DATABASES[key]
    base = hs.HS_FLAG_UTF8 | hs.HS_FLAG_UCP
    chosen: list[tuple[int, bytes, int]] = []
    widths: dict[int, int] = {}
    for i, p in enumerate(patterns):
        if p is None or p.loose is None:
            continue
        width = _max_width(p.lower) if p.window else None
        tries = [base | hs.HS_FLAG_SOM_LEFTMOST] if p.window and LOCATE_STARTS else []  # or "too large"
        tries += [base] if width is not None else []
        tries += [base | hs.HS_FLAG_SINGLEMATCH]
        for flags in tries:  # one at a time first: one Hyperscan refuses (it matches empty text...) always runs
            try:
                hs.Database().compile(expressions=[p.loose.encode()], ids=[i], elements=1, flags=[flags])
            except hs.error:
                continue
            chosen.append((i, p.loose.encode(), flags))
            if flags == base:
                widths[i] = width
            break
    found = None
    if chosen:
        database = hs.Database()
        database.compile(expressions=[e for _, e, _ in chosen], ids=[i for i, _, _ in chosen],
                         elements=len(chosen), flags=[f for _, _, f in chosen])
        found = Prefilter(database, frozenset(i for i, _, _ in chosen),
                          frozenset(i for i, _, f in chosen if f & hs.HS_FLAG_SOM_LEFTMOST), widths)
    if len(_DATABASES) > 16:
        _DATABASES.clear()
    _DATABASES[key] = found
    return found


def _max_width(pattern: str, limit: int = 2000) -> int | None:
    """The most characters a match of the pattern can span, or None when unbounded (or over ``limit``)."""
    try:
        width = sre_parse.parse(pattern).getwidth()[1]
    except re.error:
        return None
    return width if width <= limit else None


# --- the rules of one language ------------------------------------------------------------------------

@dataclass(frozen=True)
class _Compiled:
    rule: Rule
    pattern: regex.Pattern
    lowered: bool  # runs on the lower-cased text (else IGNORECASE on the original)


class RegexRules:
    """The ``re:`` rules of one language, compiled once.

    ``lower`` runs rewritable patterns on lower-cased text (see the module docstring); ``fast`` uses the
    Hyperscan prefilter where the package is installed. Both give the same hits as the plain path
    (``lower=False, fast=False``: every pattern with IGNORECASE on the original text).
    """

    def __init__(self, rules: Sequence[Rule], *, lower: bool = True, fast: bool = True):
        self.compiled: list[_Compiled] = []
        rewritten: list[Rewritten | None] = []
        for rule in rules:
            found = rewrite(rule.pattern.text) if lower else None
            rewritten.append(found)
            if found is None:
                self.compiled.append(_Compiled(rule, regex.compile(rule.pattern.text, regex.IGNORECASE), False))
            else:
                self.compiled.append(_Compiled(rule, regex.compile(found.lower), True))
        self.prefilter = prefilter(rewritten) if fast else None

    def __len__(self) -> int:
        return len(self.compiled)

    def __iter__(self):
        return iter((c.rule, c.pattern) for c in self.compiled)

    @property
    def prefiltered(self) -> int:
        """How many rules the Hyperscan prefilter decides for (0 without the ``fast`` extra)."""
        return len(self.prefilter.ids) if self.prefilter is not None else 0

    def _scan(self, lowered: str) -> dict[int, list[tuple[int, int]]] | None:
        """Per prefiltered rule that may match: the character spans (merged, in order) its matches lie
        in (empty for a rule only known to be possible). None: no prefilter, run every rule."""
        if self.prefilter is None:
            return None
        try:
            data = lowered.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates: not UTF-8, Hyperscan cannot scan it
            return None
        spans: dict[int, list[tuple[int, int]]] = {}

        def on_match(i, start, end, flags, context):
            spans.setdefault(i, []).append((start, end))

        try:
            self.prefilter.database.scan(data, match_event_handler=on_match)
        except _hyperscan().error:  # e.g. its scratch space in use by another thread: run every rule
            return None
        if len(data) != len(lowered):  # UTF-8 byte offsets to character offsets
            chars = _char_offsets(data, {o for found in spans.values() for pair in found for o in pair})
            spans = {i: [(chars[a], chars[b]) for a, b in found] for i, found in spans.items()}
        out: dict[int, list[tuple[int, int]]] = {}
        for i, found in spans.items():
            if i in self.prefilter.starts:
                out[i] = _merged(found)
            elif i in self.prefilter.widths:
                width = self.prefilter.widths[i]
                out[i] = _merged([(max(0, b - width), b) for _, b in found])
            else:
                out[i] = []
        return out

    def matches(self, masked: str, where: str = "", seconds: float = 2.0) -> list[tuple[Rule, int, int]]:
        """Every non-empty match of every rule in ``masked`` (the document text, units walled off) as
        ``(rule, start, end)``, rule by rule in order. A rule that runs past ``seconds`` on this text adds
        nothing and is named in a warning (W003, ``where`` naming the document)."""
        if not self.compiled:
            return []
        lowered = lower_text(masked) if any(c.lowered for c in self.compiled) else masked
        found = self._scan(lowered)
        out: list[tuple[Rule, int, int]] = []
        for i, c in enumerate(self.compiled):
            subject = lowered if c.lowered else masked
            if found is None or i not in self.prefilter.ids:
                out += _run(c, subject, where, seconds)
            elif i in found:
                if self.prefilter.locates(i):
                    out += _run(c, subject, where, seconds, found[i])
                else:
                    out += _run(c, subject, where, seconds)
        return out


def _char_offsets(data: bytes, offsets: set[int]) -> dict[int, int]:
    """Character offsets of UTF-8 byte offsets (each at a character boundary, as Hyperscan reports them)."""
    out, byte, char = {}, 0, 0
    for o in sorted(offsets):
        char += len(data[byte:o].decode("utf-8"))
        out[o], byte = char, o
    return out


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            if b > out[-1][1]:
                out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _run(c: _Compiled, subject: str, where: str, seconds: float,
         windows: list[tuple[int, int]] | None = None) -> list[tuple[Rule, int, int]]:
    """``finditer`` over the subject, or only inside ``windows`` (every match lies inside one: see
    :class:`Rewritten`), non-empty matches only; a W003 warning and nothing past the time budget."""
    found = []
    started = time.monotonic()
    try:
        if windows is None:
            for m in c.pattern.finditer(subject, timeout=seconds):
                if m.end() > m.start():
                    found.append((c.rule, m.start(), m.end()))
            return found
        # Every match lies inside a window (a loose match covers it). Searching a window with ``endpos`` one
        # character past it finds the same first match as the whole text would, as the pattern looks at
        # most one character past its match (a \b). A match running past the window would be a loose
        # match too, so it cannot occur; if it did, the whole text is searched instead.
        end = 0  # where the last match ended: the next starts there or later, as with finditer
        for a, b in windows:
            pos = max(a, end)
            while pos < b:
                m = c.pattern.search(subject, pos, b + 1, timeout=max(seconds - (time.monotonic() - started), 1e-6))
                if m is None:
                    break
                if m.end() > b or m.end() == m.start():  # (an empty match cannot happen: Hyperscan refuses those)
                    return _run(c, subject, where, max(seconds - (time.monotonic() - started), 1e-6))
                found.append((c.rule, m.start(), m.end()))
                pos = end = m.end()
    except TimeoutError:
        warn(Warnings.W003.format(where=where or "a document", pattern=c.rule.source, code=c.rule.code,
                                  seconds=round(time.monotonic() - started, 1)))
        return []
    return found
