"""Regular expressions whose matching time can explode (catastrophic backtracking), found before coding.

``re:(\\w+\\s?)*$`` takes seconds on a 20-word sentence and doubles with every word:
the inner ``\\w+`` and the outer ``*`` can split the same text in exponentially many
ways. The shapes refused here are those of the usual ReDoS checkers (star height
above one, as ``safe-regex`` does, and alternatives that can match the same text
under a repeat):

- a repeat inside an unbounded repeat: ``(a+)+``, ``(\\w+\\s?)*``, ``(x{1,9})*``;
- an optional part that can start like the repeated group: ``(a a?)*``;
- alternatives that can start alike, or an empty one, under an unbounded repeat: ``(a|aa)*``, ``(\\w|ab)*``.

Atomic groups and possessive quantifiers (``(?>...)``, ``*+``, ``++``; Python 3.11)
never backtrack into what they matched, so repeats inside them are allowed: they
are the rewrite the explanation suggests.

Hand-written over the standard library's own regex parser (``re._parser``, the
tree ``re.compile`` builds): no maintained Python library checks patterns for
exponential shapes.

Example:
    >>> exponential_shape(r"(\\w+\\s?)*$") is not None
    True
    >>> exponential_shape(r"(?:bruker|brukt) (?:vi |det )*aktivt") is None
    True
"""

from __future__ import annotations

try:
    import re._constants as _c
    import re._parser as _p
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT}
_UNBOUNDED = _c.MAXREPEAT
_ANY = object()  # a first character that could be anything in a class


def exponential_shape(pattern: str) -> str | None:
    """Why ``pattern`` can take exponential time, or None when its shape is safe."""
    try:
        tree = _p.parse(pattern)
    except Exception:  # noqa: BLE001 - invalid patterns are reported by the caller's re.compile
        return None
    return _walk(list(tree), None)


_NESTED = ("a repeat inside a repeated group (nested quantifiers, e.g. (\\w+\\s?)*): the text can be split "
           "between them in exponentially many ways, so one long sentence can hang coding")
_ALTERNATIVES = ("alternatives that can match the same text inside a repeat (e.g. (a|aa)*): backtracking tries "
                 "every way of choosing between them")


def _walk(items, outer_first) -> str | None:
    """``outer_first``: the first characters of the enclosing unbounded repeat's body, None outside one."""
    for op, arg in items:
        if op in _REPEATS:
            low, high, body = arg
            body = list(body)
            if outer_first is not None:
                if high > 1:
                    return _NESTED
                if low == 0 and _overlap(_first(body), outer_first):  # (a a?)*: an optional part like the start
                    return _NESTED
            inner = outer_first
            if high == _UNBOUNDED and outer_first is None:
                inner = _first(body)
            found = _walk(body, inner)
            if found:
                return found
        elif op == _c.SUBPATTERN:
            found = _walk(list(arg[-1]), outer_first)
            if found:
                return found
        elif op == _c.BRANCH:
            branches = [list(b) for b in arg[1]]
            if outer_first is not None:
                firsts = [_first(b) if b else None for b in branches]
                if None in firsts:  # an empty alternative, as (a|aa) becomes a(?:|a)
                    return _ALTERNATIVES
                if any(_overlap(a, b) for i, a in enumerate(firsts) for b in firsts[i + 1:]):
                    return _ALTERNATIVES
            for branch in branches:
                found = _walk(branch, outer_first)
                if found:
                    return found
        elif op in (_c.ASSERT, _c.ASSERT_NOT):
            found = _walk(list(arg[1]), outer_first)
            if found:
                return found
        # ATOMIC_GROUP and POSSESSIVE_REPEAT never backtrack into what they matched: not walked.
    return None


def _overlap(a, b) -> bool:
    return a is _ANY or b is _ANY or bool(a & b)


def _first(items):
    """The literal characters a sequence can start with, or _ANY when a class or wildcard comes first."""
    for op, arg in items:
        if op == _c.LITERAL:
            return {chr(arg).lower()}
        if op == _c.SUBPATTERN:
            return _first(list(arg[-1]))
        if op in _REPEATS and arg[0] >= 1:
            return _first(list(arg[2]))
        if op == _c.AT:
            continue
        return _ANY
    return _ANY
