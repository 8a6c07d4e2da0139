"""Tables as a reader sees them: code ids become labels in the output language, column names words.

A code label missing in the output language falls back to another of the codebook's languages
with a visible marker (``Strategy [en]``), never to blank; an unknown column keeps its name with
spaces for underscores. Rows and columns keep the codebook's order.

Example:
    >>> words = Localiser(book, "nb")                          # doctest: +SKIP
    >>> words.frame(analysis.matrix(codings, cell="coverage"))  # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import i18n
from ..codebook.model import CodebookBase


@dataclass(frozen=True)
class Localiser:
    """Labels, headers and values for an output in ``lang`` (code labels from ``book``)."""

    book: CodebookBase
    lang: str

    @property
    def order(self) -> tuple[str, ...]:
        return tuple(getattr(self.book, "languages", None) or self.book.info.languages)

    def text(self, key: str, **values) -> str:
        return i18n.text(key, self.lang, **values)

    def label(self, code_id) -> str:
        """The code's label in the output language (with a fallback marker), or the value itself."""
        code_id = str(code_id)
        return self.book.get(code_id).shown("label", self.lang, self.order) if code_id in self.book else code_id

    def definition(self, code_id: str) -> str:
        code = self.book.get(code_id)
        return code.shown("definition", self.lang, self.order) or self.text("no_definition")

    def header(self, name) -> str:
        """A column or axis name as a word: ``case_type`` -> "Type of case" / "Type case"."""
        key = f"col_{name}"
        if i18n.has(key):
            return self.text(key)
        return self.label(name) if str(name) in self.book else str(name).replace("_", " ")

    def value(self, value) -> str:
        """A row value: a code label, a known word (``municipality``) or the value as it is."""
        if str(value) in self.book:
            return self.label(value)
        return str(i18n.word("value", value, self.lang))

    def code_order(self, ids) -> list:
        """``ids`` in codebook order; ids the codebook does not know keep their order at the end."""
        position = {c.id: i for i, c in enumerate(self.book.codes)}
        return sorted(ids, key=lambda x: position.get(str(x), len(position)))

    def frame(self, frame: pd.DataFrame) -> pd.DataFrame:
        """A copy with code columns and rows labelled, other names made words, and codebook order kept."""
        out = frame.copy()
        if any(str(c) in self.book for c in out.columns):
            out = out[self.code_order(list(out.columns))]
        if len(out.index) and all(str(i) in self.book for i in out.index):
            out = out.loc[self.code_order(list(out.index))]
        index_name, columns_name = out.index.name, out.columns.name
        out.columns = [self.label(c) if str(c) in self.book else self.header(c) for c in out.columns]
        if not isinstance(out.index, pd.RangeIndex):
            out.index = pd.Index([self.value(v) for v in out.index])
            out.index.name = self.header(index_name) if index_name is not None else None
        if columns_name is not None:
            out.columns.name = self.header(columns_name)
        return out

    def codebook(self) -> pd.DataFrame:
        """Code, label and definition of every code in the output language, indented by depth."""
        rows = [{self.text("col_code"): code.id,
                 self.text("col_label"): "\u2003" * code.depth + self.label(code.id),
                 self.text("col_definition"): self.definition(code.id)} for code in self.book.codes]
        return pd.DataFrame(rows)
