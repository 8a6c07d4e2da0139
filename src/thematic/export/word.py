"""The Word report: title, method summary, codebook, matrices as real tables, figures and quotes.

Example:
    >>> to_word(ReportContent(title="Funn"), "out/report.docx")  # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..outfiles import clean_text, write_atomic


@dataclass
class ReportContent:
    """Everything the Word report shows, in order."""

    title: str
    method: list[str] = field(default_factory=list)  # paragraphs
    codebook: pd.DataFrame | None = None  # columns: code, definition (one row per code)
    tables: list[tuple[str, pd.DataFrame]] = field(default_factory=list)  # (caption, table)
    figures: list[tuple[str, Path]] = field(default_factory=list)  # (caption, PNG path)
    quotes: pd.DataFrame | None = None  # columns: theme, case, reference, quote


def _table(document, frame: pd.DataFrame, caption: str, precision: int | None = None) -> None:
    from docx.shared import Pt

    if precision is None:  # coefficients between 0 and 1 need two decimals, percentages one
        numeric = frame.select_dtypes("number")
        precision = 2 if len(numeric.columns) and numeric.abs().max().max() <= 1 else 1
    document.add_paragraph(caption, style="Caption")
    show_index = frame.index.name is not None or not isinstance(frame.index, pd.RangeIndex)
    columns = ([str(frame.index.name or "")] if show_index else []) + [str(c) for c in frame.columns]
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Light Grid Accent 1"
    for cell, text in zip(table.rows[0].cells, columns):
        cell.text = clean_text(text.replace("_", " "))
    for index, row in zip(frame.index, frame.itertuples(index=False)):
        values = ([str(index)] if show_index else []) + [
            f"{v:.{precision}f}" if isinstance(v, float) else str(v) for v in row]
        for cell, text in zip(table.add_row().cells, values):
            cell.text = clean_text(text)  # a form feed or NUL in a quote would make python-docx fail
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(8)


def to_word(content: ReportContent, target) -> None:
    """Write the report to a path or binary file object."""
    import docx
    from docx.shared import Cm

    document = docx.Document()
    section = document.sections[0]
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2))
    document.add_heading(content.title, level=0)
    if content.method:
        document.add_heading("Method", level=1)
        for paragraph in content.method:
            document.add_paragraph(paragraph)
    if content.codebook is not None and len(content.codebook):
        document.add_heading("Codebook", level=1)
        _table(document, content.codebook.reset_index(drop=True), "Codes and definitions")
    if content.tables:
        document.add_heading("Case comparisons", level=1)
        for caption, frame in content.tables:
            _table(document, frame, caption)
            document.add_paragraph()
    if content.figures:
        document.add_heading("Figures", level=1)
        for caption, path in content.figures:
            document.add_picture(str(path), width=Cm(16))
            document.add_paragraph(caption, style="Caption")
    if content.quotes is not None and len(content.quotes):
        document.add_heading("Quotes per theme", level=1)
        for theme, block in content.quotes.groupby("theme", sort=False):
            document.add_heading(str(theme).replace("_", " ").capitalize(), level=2)
            for row in block.itertuples(index=False):
                paragraph = document.add_paragraph(style="Quote")
                paragraph.add_run(f"«{clean_text(row.quote.strip())}»")
                paragraph.add_run(f" ({row.reference})").italic = True
    if hasattr(target, "write"):
        document.save(target)
    else:
        write_atomic(Path(target), document.save)
