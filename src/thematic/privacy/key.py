"""The pseudonym key: real terms mapped to pseudonyms, kept apart from the data.

A key file is UTF-8 CSV with the header ``term,pseudonym,kind``. Several terms
may share a pseudonym (``Kari Lunde`` and ``Kari`` -> ``Rektor A``); one term may
never have two pseudonyms.

Example:
    >>> key = Key.from_rows([("Kari Lunde", "Rektor A", "person"), ("Kari", "Rektor A", "person")])
    >>> key.pseudonym_of("kari")
    'Rektor A'
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from ..errors import Errors, PrivacyError

KINDS = ("person", "place", "municipality", "organisation", "school", "other")
HEADER = ["term", "pseudonym", "kind"]


@dataclass(frozen=True)
class KeyEntry:
    term: str
    pseudonym: str
    kind: str
    line: int | None = None


@dataclass(frozen=True)
class Key:
    """A validated pseudonym key. Never written into outputs or projects."""

    entries: tuple[KeyEntry, ...]
    path: str = ""

    @classmethod
    def load(cls, path: str | Path) -> "Key":
        """Read and validate a key file; every problem names the file and line."""
        path = Path(path)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise PrivacyError(Errors.P001.format(path=path, line=0, detail=f"cannot read the key ({exc.strerror})"),
                               path=path) from None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise PrivacyError(Errors.P001.format(
                path=path, line=line, detail="the key is not UTF-8; save it as 'CSV UTF-8' and try again"),
                path=path, line=line) from None
        return cls.parse(text, path=str(path))

    @classmethod
    def parse(cls, text: str, path: str = "<key>") -> "Key":
        reader = csv.reader(io.StringIO(text))
        rows = list(reader)
        if not rows or [c.strip().lower() for c in rows[0]] != HEADER:
            got = ",".join(rows[0]) if rows else "(empty file)"
            raise PrivacyError(Errors.P001.format(
                path=path, line=1, detail=f"the header must be 'term,pseudonym,kind', found '{got}'"), path=path, line=1)
        entries = []
        for number, row in enumerate(rows[1:], start=2):
            if not any(cell.strip() for cell in row):
                continue
            entries.append(_entry(row, number, path))
        return cls._validated(entries, path)

    @classmethod
    def from_rows(cls, rows, path: str = "<key>") -> "Key":
        """Build a key from ``(term, pseudonym, kind)`` tuples (validated as a file would be)."""
        return cls._validated([_entry(list(r), i, path) for i, r in enumerate(rows, start=1)], path)

    @classmethod
    def _validated(cls, entries: list[KeyEntry], path: str) -> "Key":
        seen: dict[str, KeyEntry] = {}
        for e in entries:
            prior = seen.get(e.term.casefold())
            if prior and prior.pseudonym != e.pseudonym:
                raise PrivacyError(Errors.P001.format(
                    path=path, line=e.line,
                    detail=(f"'{e.term}' has two pseudonyms: '{prior.pseudonym}' (line {prior.line}) and "
                            f"'{e.pseudonym}'. Keep one row per term.")), path=path, line=e.line)
            seen.setdefault(e.term.casefold(), e)
        # One row per distinct term; duplicates with the same pseudonym are harmless.
        return cls(tuple(seen.values()), path)

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def terms(self) -> list[str]:
        return [e.term for e in self.entries]

    def pseudonym_of(self, term: str) -> str | None:
        for e in self.entries:
            if e.term.casefold() == term.casefold():
                return e.pseudonym
        return None


def _entry(row: list[str], line: int, path: str) -> KeyEntry:
    if len(row) != 3:
        raise PrivacyError(Errors.P001.format(
            path=path, line=line, detail=f"expected 3 columns (term,pseudonym,kind), found {len(row)}"),
            path=path, line=line)
    term, pseudonym, kind = (" ".join(c.split()) for c in row)
    if not term:
        raise PrivacyError(Errors.P001.format(path=path, line=line, detail="the term is empty; fill it in or delete the row"),
                           path=path, line=line)
    if not pseudonym:
        raise PrivacyError(Errors.P001.format(
            path=path, line=line, detail=f"'{term}' has an empty pseudonym; give it one (e.g. 'Informant 3')"),
            path=path, line=line)
    if kind.lower() not in KINDS:
        raise PrivacyError(Errors.P001.format(
            path=path, line=line, detail=f"unknown kind '{kind}' for '{term}'; use one of: {', '.join(KINDS)}"),
            path=path, line=line)
    return KeyEntry(term, pseudonym, kind.lower(), line)
