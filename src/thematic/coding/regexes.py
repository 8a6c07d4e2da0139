"""The regular-expression rules of one language, compiled once and matched exactly as written.

A codebook's ``re:`` patterns are case-insensitive. ``regex.IGNORECASE`` makes every literal a set of
characters and loses the fast literal search, so a pattern is instead rewritten for lower-cased text
(:func:`lower_pattern`) and run without the flag on the text lower-cased once per document
(:func:`lower_text`), which gives the same matches at the same offsets, several times faster.

Exactness is checked, not assumed: what ``IGNORECASE`` matches for a character is read from the
``regex`` module itself (``get_all_cases``), and a literal (or class member) is rewritten only when the
lower-cased text can tell exactly the characters it matches from the ones it does not. That is not
always so: ``IGNORECASE`` is not an equivalence (``I`` matches ``i`` and ``ı``, ``i`` matches ``I`` and
``İ``), and ``ſ``, ``ς``, the Kelvin sign and title-case letters have lower-case forms of their own.
Anything not proven equivalent (an uppercase ``I`` or ``ı``, ``\\p{..}``, ``\\x41``, back-references,
inline flags, nested sets) keeps the ``IGNORECASE`` pattern on the original text.

Optionally (the ``fast`` extra: ``pip install thematic[fast]``), all of a language's rewritten patterns
are compiled into one Hyperscan database, cached per set of patterns in this process, that scans a
document once and says which rules can match in it; only those run, on the exact path above, so the hits
are the same with or without it. Each pattern is loosened for Hyperscan (``\\w``/``\\s``/``\\d``
classes become any character, word boundaries, anchors and lookarounds are dropped, lazy and
possessive quantifiers become plain ones), so what it finds is a superset of what the rule finds; a
pattern it refuses, or a document it cannot scan, runs every rule.

Example:
    >>> lower_pattern("Strategi(?:en|er)?")
    'strategi(?:en|er)?'
    >>> lower_pattern("I think") is None   # 'I' also matches the dotless 'ı', which lower-casing cannot tell from 'i'
    True
    >>> lower_text("STRATEGİ")
    'strategi'
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Sequence

try:  # the standard library's own pattern parser: the longest match of a pattern (renamed in Python 3.11)
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse

import numpy as np
import regex
from regex import _regex  # get_all_cases: the characters IGNORECASE matches for a character (no public API)

from ..errors import Warnings, warn

if TYPE_CHECKING:
    from .rules import Rule

#: Every character with a case (or a case-insensitive match other than itself) is below this code point
#: (the highest in Unicode 15 is U+1E943); a test checks all of Unicode, so the tables are built in ~30 ms.
CASED_LIMIT = 0x20000
_FLAGS = regex.IGNORECASE  # regex's default VERSION0, as the rules compile: simple case folding
_LOOSE_REPEAT = 8  # a bounded repeat up to this many stays bounded in the Hyperscan pattern
_MAX_RANGE = 0x3000  # a class range longer than this (with cased characters) keeps the IGNORECASE path
_NON_ASCII = "\\x{80}-\\x{d7ff}\\x{e000}-\\x{10ffff}"  # Hyperscan syntax (UTF-8 mode)


@dataclass(frozen=True)
class _Tables:
    """What lower-casing does to text, and which characters it maps together."""

    to_lower: dict[str, str]  # T(c) where it is not c: the character c becomes in lower-cased text
    from_lower: dict[str, frozenset[str]]  # T⁻¹(v) for every v some other character becomes
    special: dict[int, str]  # characters whose str.lower() is not one character, and what T makes them
    fix: dict[int, str]  # lower-case variants (ſ, ς, µ...) mapped to the common form after str.lower()
    special_chars: tuple[str, ...]
    fix_chars: tuple[str, ...]
    safe_escapes: frozenset[str]  # \w \d \s ...: classes every character and its T agree on


def cases(c: str) -> frozenset[str]:
    """The characters ``regex.IGNORECASE`` matches for the literal ``c`` (``c`` itself included).

    >>> sorted(cases("k")) == sorted("kK\\u212a")
    True
    """
    return frozenset(map(chr, _regex.get_all_cases(_FLAGS, ord(c))))


@lru_cache(maxsize=1)
def tables() -> _Tables:
    """Lower-casing as a map on single characters: ``str.lower()`` where that gives one character that
    ``IGNORECASE`` matches, else the character itself; then lower-case variants to their common form
    (``ſ`` -> ``s``, ``ς`` -> ``σ``) where ``IGNORECASE`` matches them together."""
    to_lower: dict[str, str] = {}
    special: dict[int, str] = {}
    fix: dict[int, str] = {}
    every = np.arange(CASED_LIMIT, dtype="<u4").tobytes().decode("utf-32-le", "surrogatepass")  # all, fast
    for block in range(0, CASED_LIMIT, 256):
        chunk = every[block:block + 256]
        if chunk.lower() == chunk and chunk.upper() == chunk:
            continue  # no cased character here: the usual case, decided in C
        for c in chunk:
            low = c.lower()
            if low != c:
                if len(low) == 1:
                    to_lower[c] = low
                else:
                    special[ord(c)] = low[0] if low[0] in cases(c) else c
                continue
            up = c.upper()
            common = up.lower() if len(up) == 1 else c
            if common != c and len(common) == 1 and common in cases(c):
                fix[ord(c)] = common
    for c, low in list(to_lower.items()):
        if ord(low) in fix:
            to_lower[c] = fix[ord(low)]
    for code, low in special.items():
        to_lower[chr(code)] = fix.get(ord(low), low)
    for code, common in fix.items():
        to_lower[chr(code)] = common
    to_lower = {c: v for c, v in to_lower.items() if v != c}
    from_lower: dict[str, set[str]] = {}
    for c, v in to_lower.items():
        from_lower.setdefault(v, {v} if to_lower.get(v, v) == v else set()).add(c)
    safe = set()
    before, after = "".join(to_lower), "".join(to_lower.values())
    for escape in ("w", "W", "d", "D", "s", "S"):
        member = regex.compile("\\" + escape)
        if [m.start() for m in member.finditer(before)] == [m.start() for m in member.finditer(after)]:
            safe.add(escape)
    return _Tables(to_lower, {v: frozenset(s) for v, s in from_lower.items()}, special, fix,
                   tuple(map(chr, special)), tuple(map(chr, fix)),
                   frozenset(safe))


def lower_char(c: str) -> str:
    """What ``c`` becomes in :func:`lower_text`."""
    return tables().to_lower.get(c, c)


def lower_text(text: str) -> str:
    """``text`` lower-cased one character for one character (same length, same offsets), the way
    :func:`lower_pattern`'s patterns expect it.

    >>> lower_text("Strategi ΣΟΦΟΣ Kelvin")
    'strategi σοφοσ kelvin'
    """
    t = tables()
    if any(c in text for c in t.special_chars):  # str.__contains__: far faster than a class search here
        text = text.translate(t.special)
    low = text.lower()
    if any(c in low for c in t.fix_chars):
        low = low.translate(t.fix)
    return low


def _lowered_set(chars: frozenset[str]) -> frozenset[str] | None:
    """The lower-cased characters that stand exactly for ``chars`` (the characters IGNORECASE matches),
    or None when lower-cased text cannot tell them from some other character."""
    t = tables()
    lowered = frozenset(t.to_lower.get(c, c) for c in chars)
    back = set()
    for v in lowered:
        back |= t.from_lower.get(v, {v} if v not in t.to_lower else set())
    return lowered if back == chars else None


def _class_text(chars: frozenset[str], negated: bool = False, extra: str = "") -> str:
    """A character class listing ``chars`` (consecutive runs as ranges), every character escaped."""
    points = sorted(map(ord, chars))
    parts, i = [], 0
    while i < len(points):
        j = i
        while j + 1 < len(points) and points[j + 1] == points[j] + 1:
            j += 1
        a, b = _class_char(chr(points[i])), _class_char(chr(points[j]))
        parts.append(a if i == j else (a + b if j == i + 1 else f"{a}-{b}"))
        i = j + 1
    return "[" + ("^" if negated else "") + "".join(parts) + extra + "]"


def _class_char(c: str) -> str:
    if c.isascii() and not c.isprintable():
        return f"\\x{ord(c):02x}"  # the same in regex and Hyperscan (a NUL would end Hyperscan's pattern)
    return "\\" + c if c.isascii() and not c.isalnum() else c


def _literal(c: str) -> str:
    return c if c == " " else _class_char(c)


class _Refused(Exception):
    """The pattern uses something :func:`rewrite` cannot prove equivalent on lower-cased text."""


_ESCAPE_CHARS = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "a": "\a"}


@dataclass(frozen=True)
class Rewritten:
    """A pattern rewritten for lower-cased text.

    ``lower`` runs without IGNORECASE on :func:`lower_text` with exactly the original's matches. ``loose``
    (or None) is for Hyperscan: it matches every span ``lower`` matches, and more. ``window`` says that a
    match of ``lower`` can be looked for inside the spans of ``loose`` matches alone (``endpos`` one past
    their end, for a ``\\b``): the pattern never looks further past the end of what it matched (no
    lookahead, ``$``, ``\\Z``, atomic group or possessive quantifier).
    """

    lower: str
    loose: str | None
    window: bool


def rewrite(pattern: str) -> Rewritten | None:
    """The pattern for lower-cased text (see :class:`Rewritten`), or None where lower-cased text cannot
    be proven to give the same matches (then the pattern keeps IGNORECASE on the original text)."""
    try:
        return _Rewriter(pattern).run()
    except _Refused:
        return None


def lower_pattern(pattern: str) -> str | None:
    """The pattern to run without IGNORECASE on :func:`lower_text`, with exactly the same matches, or
    None where that cannot be proven (then the pattern keeps IGNORECASE on the original text)."""
    found = rewrite(pattern)
    return None if found is None else found.lower


class _Rewriter:
    """A single left-to-right pass over a pattern in Python ``re`` syntax (codebook lint compiles every
    regex with ``re``), writing the lower-case pattern and the Hyperscan one side by side.

    Hand-written: neither ``re`` nor ``regex`` can write a parsed pattern back out, and only a small,
    checkable subset of the syntax is accepted; everything else is refused (IGNORECASE path)."""

    _GROUPS = ("(?:", "(?>", "(?=", "(?!", "(?<=", "(?<!")
    _LOOK = ("(?=", "(?!", "(?<=", "(?<!")

    def __init__(self, pattern: str):
        self.p = pattern
        self.i = 0
        self.out: list[str] = []
        self.hs: list[str] = []
        self.hs_ok = True
        self.stack: list[bool] = []  # per open group: is it a lookaround (dropped from the loose pattern)
        self.dropped = False  # the last atom was dropped from the loose pattern: a quantifier after it cannot stay
        self.quantified = False  # the last thing written was a quantifier (a following ? or + modifies it)
        self.window = True

    def emit(self, lower: str, loose: str | None = None) -> None:
        self.out.append(lower)
        if not any(self.stack):
            self.hs.append(lower if loose is None else loose)

    def run(self) -> Rewritten:
        p = self.p
        while self.i < len(p):
            c = p[self.i]
            if self.quantified and c in "?+":  # lazy or possessive: the loose pattern keeps a plain quantifier
                self.window = self.window and c == "?"
                self.emit(c, "")
                self.i += 1
                self.quantified = False
                continue
            self.quantified = False
            if c == "\\":
                self.escape()
            elif c == "[":
                self.char_class()
            elif c == "(":
                self.group()
            elif c == ")":
                look = self.stack.pop()
                self.out.append(")")
                if not look and not any(self.stack):
                    self.hs.append(")")
                self.dropped = look
                self.i += 1
            elif c in "*+?":
                self.quantifier(c, 1)
            elif c == "{":
                m = regex.match(r"\{(\d*)(?:(,)(\d*))?\}", p[self.i:])
                if m is None or m.group() == "{}":
                    self.atom("{", "\\{")
                    self.i += 1
                else:
                    low, comma, high = m.groups()
                    if comma and high and int(high) > _LOOSE_REPEAT:
                        high = ""  # x{0,120} as x{0,}: a superset, and Hyperscan compiles it 10-100x faster
                    loose = "{%s%s%s}" % (low or "0", comma or "", high or "")
                    self.quantifier(m.group(), len(m.group()), loose)
            elif c in "^$":
                self.window = self.window and c == "^"
                self.emit(c, "")
                self.dropped = True
                self.i += 1
            elif c in "|.":
                self.emit(c)
                self.dropped = False
                self.i += 1
            else:
                self.literal(c)
                self.i += 1
        lower = "".join(self.out)
        return Rewritten(lower, "".join(self.hs) if self.hs_ok else None, self.window)

    def quantifier(self, text: str, length: int, loose: str | None = None) -> None:
        if self.dropped:
            self.hs_ok = False  # a quantified word boundary or lookaround: no simple superset
        self.emit(text, loose)
        self.i += length
        self.quantified = True

    def atom(self, lower: str, loose: str | None = None) -> None:
        self.emit(lower, loose)
        self.dropped = False

    def literal(self, c: str) -> None:
        chars = _lowered_set(cases(c))
        if chars is None:
            raise _Refused
        text = _literal(next(iter(chars))) if len(chars) == 1 else _class_text(chars)
        self.atom(text)

    def escape(self) -> None:
        p, i = self.p, self.i
        if i + 1 >= len(p):
            raise _Refused
        d = p[i + 1]
        self.i += 2
        if d in "bB":
            if "w" not in tables().safe_escapes:
                raise _Refused  # a word boundary is where \w changes
            self.emit("\\" + d, "")
            self.dropped = True
        elif d in "AZ":
            self.window = self.window and d == "A"
            self.emit("\\" + d, "")
            self.dropped = True
        elif d in "wWdDsS":
            if d not in tables().safe_escapes:
                raise _Refused
            self.atom("\\" + d, _loose_class("\\" + d))
        elif d in _ESCAPE_CHARS:
            self.atom("\\" + d)
        elif d.isascii() and not d.isalnum():
            self.literal(d)
        else:
            raise _Refused  # \p{..}, \x41, \N{..}, \1, octal, \g<..>: not rewritten

    def group(self) -> None:
        p, i = self.p, self.i
        if not p.startswith("(?", i):
            self.stack.append(False)
            self.atom("(")
            self.i += 1
            return
        for prefix in self._GROUPS:
            if p.startswith(prefix, i):
                look = prefix in self._LOOK
                if prefix in ("(?=", "(?!", "(?>"):
                    self.window = False  # looks past the match (lookahead), or an atomic group
                self.stack.append(look)  # before writing: a lookaround is left out of the loose pattern
                self.out.append(prefix)
                if not any(self.stack):
                    self.hs.append("(?:" if prefix == "(?>" else prefix)
                self.dropped = False
                self.i += len(prefix)
                return
        m = regex.match(r"\(\?P<\w+>", p[i:])
        if m is None:
            raise _Refused  # inline flags, comments, (?P=name), conditionals
        self.emit(m.group(), "(?:")
        self.stack.append(False)
        self.i += len(m.group())

    def char_class(self) -> None:
        """``[...]``: literal members and ranges become the lower-case characters standing for what
        IGNORECASE matches; ``\\w``-like members stay (and make the loose class any character)."""
        p = self.p
        i = self.i + 1
        negated = p.startswith("^", i)
        i += negated
        members: set[str] = set()
        escapes = []
        first = True
        while True:
            if i >= len(p):
                raise _Refused
            c = p[i]
            if c == "]" and not first:
                i += 1
                break
            first = False
            if c == "[" or p.startswith(("&&", "||", "--", "~~"), i):
                raise _Refused  # nested sets and set operations (a FutureWarning in regex's VERSION0)
            if c == "\\":
                if i + 1 >= len(p):
                    raise _Refused
                d = p[i + 1]
                i += 2
                if d in "wWdDsS":
                    if d not in tables().safe_escapes:
                        raise _Refused
                    escapes.append("\\" + d)
                    continue
                if d in _ESCAPE_CHARS:
                    c = _ESCAPE_CHARS[d]
                elif d.isascii() and not d.isalnum():
                    c = d
                else:
                    raise _Refused
            else:
                i += 1
            if p.startswith("-", i) and i + 1 < len(p) and p[i + 1] != "]":
                end = p[i + 1]
                if end in "\\[":
                    raise _Refused
                i += 2
                if ord(end) < ord(c):
                    raise _Refused
                members |= _range_cases(c, end)
            else:
                members |= cases(c)
        chars = _lowered_set(frozenset(members)) if members else frozenset()
        if chars is None:
            raise _Refused
        text = _class_text(chars, negated, "".join(escapes))
        self.atom(text, _loose_class(text) if escapes else None)
        self.i = i


@lru_cache(maxsize=256)
def _loose_class(atom: str) -> str:
    """A Hyperscan class holding every character the ``regex`` class ``atom`` (``\\w``, ``[^\\s,]``...)
    matches: its ASCII members exactly (asked of ``regex`` itself), and every non-ASCII character (where
    Hyperscan's idea of \\w or \\s may differ from Python's)."""
    member = regex.compile(atom)
    ascii_members = frozenset(c for c in map(chr, range(128)) if member.fullmatch(c))
    return _class_text(ascii_members, extra=_NON_ASCII)


def _range_cases(a: str, b: str) -> set[str]:
    """Every character IGNORECASE matches for the class range ``a-b``."""
    lo, hi = ord(a), ord(b)
    found = set(map(chr, range(lo, hi + 1)))
    if hi - lo > _MAX_RANGE:
        if any(c in tables().to_lower or c in tables().from_lower for c in found):
            raise _Refused
        return found
    for c in list(found):
        found |= cases(c)
    return found


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
