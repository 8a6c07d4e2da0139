"""Coding records (:data:`~thematic.coding.engine.RECORD_FIELDS`) held column by column until they are written.

A first coding writes all its codings in one transaction at the end (nothing is half-written), so it
holds them until then: 700,000 at 10M words with the study codebook. As tuples, each record with its
four integers costs about 250 bytes; here the strings are references in lists (they are interned: one
copy of each rule list and matched word, segment id and document id) and the integers sit in arrays,
about 80 bytes a record. Python's ``array`` rather than numpy: records arrive a document at a time
(``+=``), which ``array.extend`` takes without copying what is already held.

Example:
    >>> records = Records()
    >>> records += [("d", "d:1", 0, 9, 1, 1, "a", "rules@b:1", "x", "x"), ("d", "d:2", 10, 20, None, None, "b", "r", "", "")]
    >>> len(records), list(records)[1]
    (2, ('d', 'd:2', 10, 20, None, None, 'b', 'r', '', ''))
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator

#: A missing line number (a document without a line map), in the integer arrays.
_NONE = -(2 ** 63)


class Records:
    """A list-like of coding records: ``+=`` / :meth:`extend` with tuples, ``len``, iteration yields tuples."""

    __slots__ = ("_strings", "_numbers")

    def __init__(self, records: Iterable[tuple] = ()):
        self._strings: tuple[list, ...] = ([], [], [], [], [], [])  # doc_id, segment_id, code, coder, rule, matched
        self._numbers = (array("q"), array("q"), array("q"), array("q"))  # start, end, line_start, line_end
        self.extend(records)

    def extend(self, records: Iterable[tuple]) -> None:
        columns = list(zip(*records))
        if not columns:
            return
        for held, k in zip(self._strings, (0, 1, 6, 7, 8, 9)):
            held.extend(columns[k])
        for held, k in zip(self._numbers, (2, 3, 4, 5)):
            held.extend(_NONE if v is None else v for v in columns[k])

    def __iadd__(self, records: Iterable[tuple]) -> "Records":
        self.extend(records)
        return self

    def __len__(self) -> int:
        return len(self._strings[0])

    def __bool__(self) -> bool:
        return bool(self._strings[0])

    def runs(self) -> Iterator[tuple]:
        """The records column by column, one run of consecutive records of a document at a time:
        ``(doc_id, segment_ids, starts, ends, line_starts, line_ends, codes, coders, rules, matched)``,
        each a list (a missing line number is None), so a writer makes its rows with ``zip``, not per record."""
        doc, segment, code, coder, rule, matched = self._strings
        start, end, first, last = self._numbers
        n = len(doc)
        if not n:
            return
        bounds = [0, *(k for k in range(1, n) if doc[k] != doc[k - 1]), n]
        for lo, hi in zip(bounds, bounds[1:]):
            lines = [first[lo:hi].tolist(), last[lo:hi].tolist()]
            for k, held in enumerate(lines):
                if _NONE in held:
                    lines[k] = [None if v == _NONE else v for v in held]
            yield (doc[lo], segment[lo:hi], start[lo:hi].tolist(), end[lo:hi].tolist(), *lines, code[lo:hi],
                   coder[lo:hi], rule[lo:hi], matched[lo:hi])

    def __iter__(self) -> Iterator[tuple]:
        doc, segment, code, coder, rule, matched = self._strings
        start, end, first, last = self._numbers
        for k in range(len(doc)):
            a, b = first[k], last[k]
            yield (doc[k], segment[k], start[k], end[k], None if a == _NONE else a, None if b == _NONE else b,
                   code[k], coder[k], rule[k], matched[k])
