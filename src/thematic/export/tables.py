"""Tables for the thesis: Excel workbooks and CSV files (LaTeX tables are in ``export.latex``).

Example:
    >>> to_excel({"coverage": m, "quotes": q}, "out/report.xlsx")  # doctest: +SKIP
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..outfiles import OutputFolder, safe_frame, text_cells_as_text, write_atomic

_SHEET_BAD = re.compile(r"[\[\]\*\?/\\:]")


def sheet_name(name: str, used: set[str]) -> str:
    """A valid, unique Excel sheet name (max 31 characters, no []*?/\\:)."""
    base = _SHEET_BAD.sub("_", str(name))[:31] or "sheet"
    candidate, n = base, 2
    while candidate.lower() in used:
        suffix = f"_{n}"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate.lower())
    return candidate


def to_excel(tables: dict[str, pd.DataFrame], target) -> None:
    """One sheet per table: frozen header, bold header row, sensible widths, wrapped long text.

    Written whole or not at all (:func:`thematic.outfiles.write_atomic`); a file object is written directly.
    Every text cell is a text cell, also one starting with ``=`` (never a live formula), and control
    characters an xlsx cannot hold are dropped.
    """
    if hasattr(target, "write"):
        _write_excel(tables, target)
    else:
        write_atomic(Path(target), lambda tmp: _write_excel(tables, tmp))


def _write_excel(tables: dict[str, pd.DataFrame], target) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    used: set[str] = set()
    with pd.ExcelWriter(target, engine="openpyxl") as writer:
        for name, frame in tables.items():
            sheet = sheet_name(name, used)
            keep_index = frame.index.name is not None or not isinstance(frame.index, pd.RangeIndex)
            safe_frame(frame).to_excel(writer, sheet_name=sheet, index=keep_index)
            ws = writer.sheets[sheet]
            text_cells_as_text(ws)
            ws.freeze_panes = "B2" if keep_index else "A2"
            for cell in ws[1]:
                cell.font = Font(bold=True)
            for idx, column in enumerate(ws.iter_cols(min_row=1, max_row=min(ws.max_row, 200)), start=1):
                longest = max((len(str(c.value)) for c in column if c.value is not None), default=8)
                ws.column_dimensions[get_column_letter(idx)].width = max(8, min(70, longest + 2))
                if longest > 70:
                    for c in column[1:]:
                        c.alignment = Alignment(wrap_text=True, vertical="top")


def to_csv(tables: dict[str, pd.DataFrame], directory: str | Path, *, formula_guard: bool = True) -> list[Path]:
    """Each table as ``<name>.csv`` (UTF-8 with BOM so Excel shows æøå); returns the paths.

    With ``formula_guard`` (the default) a text field starting with ``= + - @``, tab or carriage
    return gets a leading ``'`` so that a spreadsheet shows it as text instead of running it as a
    formula (OWASP's advice against CSV injection); pass ``formula_guard=False`` for the raw text
    (e.g. for R or pandas, which never evaluate formulas). Control characters are always dropped.
    """
    out = OutputFolder(directory)
    paths = []
    for name, frame in tables.items():
        keep_index = frame.index.name is not None or not isinstance(frame.index, pd.RangeIndex)
        paths.append(out.write(f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.csv",
                               lambda tmp, f=safe_frame(frame, formulas=formula_guard), k=keep_index:
                               f.to_csv(tmp, index=k, encoding="utf-8-sig")))
    return paths
