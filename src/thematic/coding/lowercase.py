"""Case-insensitive regular expressions as case-sensitive ones on lower-cased text, with the same matches.

A codebook's ``re:`` patterns are case-insensitive. ``regex.IGNORECASE`` makes every literal a set of
characters and loses the fast literal search, so :func:`rewrite` writes a pattern for lower-cased text,
to run without the flag on the text lower-cased once per document (:func:`lower_text`, one character for
one character: the same offsets), with the same matches.

Exactness is checked, not assumed: what ``IGNORECASE`` matches for a character is read from the
``regex`` module itself (``get_all_cases``), and a literal (or class member) is rewritten only when the
lower-cased text can tell exactly the characters it matches from the ones it does not. That is not
always so: ``IGNORECASE`` is not an equivalence (``I`` matches ``i`` and ``ı``, ``i`` matches ``I`` and
``İ``), and ``ſ``, ``ς``, the Kelvin sign and title-case letters have lower-case forms of their own.
Anything not proven equivalent (an uppercase ``I`` or ``ı``, ``\\p{..}``, ``\\x41``, back-references,
inline flags, nested sets) is refused, and the caller keeps IGNORECASE on the original text.

The same pass writes a loose pattern in Hyperscan's syntax that matches every span the rewritten one
does (and more): ``\\w``/``\\s``/``\\d`` classes exact on ASCII and any non-ASCII character, word
boundaries, anchors and lookarounds dropped, lazy and possessive quantifiers plain, long bounded repeats
unbounded (:mod:`thematic.coding.regexes` uses it as a prefilter).

Example:
    >>> lower_pattern("Strategi(?:en|er)?")
    'strategi(?:en|er)?'
    >>> lower_pattern("I think") is None   # 'I' also matches the dotless 'ı', which lower-casing cannot tell from 'i'
    True
    >>> lower_text("STRATEGİ")
    'strategi'
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import regex
from regex import _regex  # get_all_cases: the characters IGNORECASE matches for a character (no public API)

from ..codepoints import from_code_points

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
    every = from_code_points(np.arange(CASED_LIMIT))  # all of them in one string, fast
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
