"""Small helpers of the project store: row records, argument checks and locating quotes.

Offsets are Unicode code points into the stored NFC document text.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from ..corpus import Document
from ..errors import Errors, NotFoundError, QuoteError, StoreError, ThematicError
from .quotes import find_quote, nearest


def _frame(*args, **kwargs):
    """``pandas.DataFrame(*args, **kwargs)``, with pandas imported here: opening a project, storing
    documents and rule coding do not need it."""
    import pandas as pd

    return pd.DataFrame(*args, **kwargs)


@dataclass(frozen=True)
class _Row:
    doc_id: str
    segment_id: str
    start: int
    end: int
    line_start: int | None
    line_end: int | None
    code: str
    coder: str
    rule: str = ""
    matched: str = ""


class _RowView:
    """Selected rows of a table given as column lists (walked without building a DataFrame)."""

    def __init__(self, columns: dict[str, list], indices: list[int]):
        self.columns, self.indices = columns, indices

    def __len__(self) -> int:
        return len(self.indices)


_FIELDS = ("doc_id", "segment_id", "start", "end", "line_start", "line_end", "code", "coder", "rule", "matched")


def _columns_of(rows):
    """Tuples of the fields a coding insert needs, from a _RowView or a list of records."""
    if isinstance(rows, _RowView):
        cols = [rows.columns.get(f) or [""] * (max(rows.indices) + 1 if rows.indices else 0) for f in _FIELDS]
        return (tuple(c[i] for c in cols) for i in rows.indices)
    return ((r.doc_id, r.segment_id, r.start, r.end, r.line_start, r.line_end, r.code, r.coder,
             getattr(r, "rule", ""), getattr(r, "matched", "")) for r in rows)


def _ids(value) -> list[int]:
    if isinstance(value, (int,)) or hasattr(value, "__index__"):
        return [int(value)]
    pd = sys.modules.get("pandas")  # not imported: the value is no DataFrame
    if pd is not None and isinstance(value, pd.DataFrame):
        return [int(i) for i in value["coding_id"]]
    return [int(i) for i in value]


def _int(value) -> int | None:
    pd = sys.modules.get("pandas")  # not imported: the value is not pd.NA
    return None if value is None or (pd is not None and value is pd.NA) or value != value else int(value)


def _need_coder(coder: str | None, action: str) -> None:
    if not coder or not str(coder).strip():
        raise StoreError(Errors.S011.format(action=action))


def _segment_at(doc: Document, offset: int) -> int | None:
    for s in doc.segments:
        if s.start <= offset < s.end:
            return s.index
    return None


def _locate(doc: Document, quote, start, end, segment_id, occurrence) -> tuple[int, int]:
    if quote is not None:
        spans = find_quote(doc.text, quote)
        if not spans:
            start, end, score = nearest(doc.text, quote)
            line = doc.lines_of(start, end)[0] if end > start else None
            raise QuoteError(Errors.S004.format(doc_id=doc.doc_id, quote=quote, line=line or "?", score=score,
                                                nearest=doc.text[start:end][:300]))
        where = ", ".join(str(s) for s, _ in spans[:10])
        if len(spans) > 1 and occurrence is None:
            raise QuoteError(Errors.S005.format(doc_id=doc.doc_id, quote=quote, count=len(spans), where=where))
        if occurrence is not None and not 1 <= occurrence <= len(spans):
            raise QuoteError(Errors.S022.format(occurrence=occurrence, quote=quote, count=len(spans),
                                                doc_id=doc.doc_id, where=where))
        return spans[(occurrence or 1) - 1]
    if segment_id is not None:
        for s in doc.segments:
            if s.segment_id == segment_id:
                return s.start, s.end
        raise NotFoundError(Errors.S009.format(segment_id=segment_id))
    if start is None or end is None:
        raise ThematicError(Errors.A002.format(detail="give quote=..., segment_id=... or start= and end="))
    if not (0 <= start < end <= len(doc.text)):
        raise StoreError(Errors.S010.format(start=start, end=end, doc_id=doc.doc_id, length=len(doc.text)))
    return int(start), int(end)
