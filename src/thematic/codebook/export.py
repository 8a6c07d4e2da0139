"""Print a codebook for a thesis appendix or a co-author: docx, md, csv, xlsx, qdc, tex.

The Word export is the appendix: a title with the codebook version, then one
heading and one table per theme (code, definition, when to use, when not to
use, example). The appendix (docx, md, tex) and the xlsx table are written in
``lang`` (default: the codebook's first language): headers from the i18n tables,
labels and definitions in that language, another language's text marked ``[nb]``,
never blank. The csv is the machine table (``Codebook.to_frame``) and keeps its
column names for scripts.

Example:
    >>> write_codebook(book, "out/appendix.docx")  # doctest: +SKIP
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from .. import i18n
from ..errors import AnalysisError, Errors
from ..outfiles import clean_text, safe_frame, text_cells_as_text, write_atomic
from .io import Codebook
from .model import Code

FORMATS = ("docx", "md", "csv", "xlsx", "qdc", "tex")
COLUMN_KEYS = ("col_code", "col_definition", "col_when_to_use", "col_when_not_to_use", "col_example")


def columns(lang: str) -> tuple[str, ...]:
    """The appendix table's headers in ``lang``: Code, Definition, When to use, When not to use, Example."""
    return tuple(i18n.text(key, lang) for key in COLUMN_KEYS)


def write_codebook(book: Codebook, path: str | Path, format: str | None = None, *, lang: str | None = None) -> Path:
    """Write ``book`` to ``path`` in ``format`` (default: from the suffix) with headers, labels and
    definitions in ``lang`` (default: the codebook's first language); return the path."""
    path = Path(path)
    fmt = (format or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise AnalysisError(Errors.A001.format(what="codebook format", value=fmt, choices=", ".join(FORMATS)))
    lang = lang or (book.languages[0] if book.languages else "en")
    i18n.catalogue(lang)  # an unknown language is a coded error naming the languages
    return write_atomic(path, lambda tmp: _write(book, tmp, fmt, lang))


def _write(book: Codebook, path: Path, fmt: str, lang: str) -> None:
    if fmt == "qdc":
        from .qdc import save_qdc

        save_qdc(book, path)
    elif fmt == "docx":
        _docx(book, path, lang)
    elif fmt == "md":
        path.write_text(_markdown(book, lang), encoding="utf-8")
    elif fmt == "csv":
        safe_frame(book.to_frame(), formulas=True).to_csv(path, index=False)
    elif fmt == "xlsx":
        _xlsx(book, path, lang)
    else:
        path.write_text(_latex(book, lang), encoding="utf-8")



def rows(book: Codebook, theme: Code, lang: str) -> list[tuple[str, str, str, str, str]]:
    """Table rows of one theme: the theme itself, then its codes indented by depth."""
    out = []
    for code in [theme] + [c for c in book.codes if c.theme == theme.id and not c.is_theme]:
        order = tuple(book.languages)
        name = "  " * code.depth + f"{code.shown('label', lang, order)} ({code.id})"
        out.append((name, code.shown("definition", lang, order), code.shown("when_to_use", lang, order),
                    code.shown("when_not_to_use", lang, order), code.examples[0] if code.examples else ""))
    return out


def _title(book: Codebook, lang: str) -> str:
    return i18n.text("cb_title", lang, name=book.info.name or book.id, id=book.id, version=book.version)


def _heading(book: Codebook, theme: Code, lang: str) -> str:
    return theme.shown("label", lang, tuple(book.languages))


def _docx(book: Codebook, path: Path, lang: str) -> None:
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.8))
    document.styles["Normal"].font.size = Pt(9)
    document.add_heading(_title(book, lang), level=1)
    if book.info.description:
        document.add_paragraph(book.info.description)
    widths = (Cm(4.5), Cm(6.5), Cm(4.5), Cm(4.5), Cm(5.5))
    for theme in book.themes:
        document.add_heading(_heading(book, theme, lang), level=2)
        table = document.add_table(rows=1, cols=len(COLUMN_KEYS))
        table.style = "Light Grid Accent 1"
        for cell, text in zip(table.rows[0].cells, columns(lang)):
            cell.text = text
            cell.paragraphs[0].runs[0].bold = True
        for values in rows(book, theme, lang):
            cells = table.add_row().cells
            for cell, text, width in zip(cells, values, widths):
                cell.text, cell.width = clean_text(text), width
    document.save(path)


def _markdown(book: Codebook, lang: str) -> str:
    lines = [f"# {_title(book, lang)}", ""]
    if book.info.description:
        lines += [book.info.description, ""]
    for theme in book.themes:
        lines += [f"## {_heading(book, theme, lang)}", "", "| " + " | ".join(columns(lang)) + " |",
                  "|" + "---|" * len(COLUMN_KEYS)]
        for values in rows(book, theme, lang):
            lines.append("| " + " | ".join(v.replace("|", "\\|").replace("\n", " ") for v in values) + " |")
        lines.append("")
    return "\n".join(lines)


def table(book: Codebook, lang: str) -> pd.DataFrame:
    """The codebook as a table for people, headers in ``lang``: code, theme, parent, level, then label,
    definition and rules in ``lang`` (fallbacks marked), examples, colour, and every language's label,
    definition and patterns."""
    order = tuple(book.languages)
    t = lambda key, **values: i18n.text(key, lang, **values)  # noqa: E731
    frame = {t("col_code"): [c.id for c in book.codes], t("col_theme"): [c.theme for c in book.codes],
             t("col_parent"): [c.parent or "" for c in book.codes], t("col_depth"): [c.depth for c in book.codes]}
    for field in ("label", "definition", "when_to_use", "when_not_to_use"):
        frame[t(f"col_{field}")] = [c.shown(field, lang, order) for c in book.codes]
    frame[t("col_examples")] = [" | ".join(c.examples) for c in book.codes]
    frame[t("col_colour")] = [c.colour for c in book.codes]
    for other in order:
        frame[t("col_label_in", language=other)] = [c.label.get(other, "") for c in book.codes]
        frame[t("col_definition_in", language=other)] = [c.definition.get(other, "") for c in book.codes]
        frame[t("col_patterns_in", language=other)] = ["; ".join(p.source for p in c.patterns if p.lang == other)
                                                        for c in book.codes]
    return pd.DataFrame(frame)


def _xlsx(book: Codebook, path: Path, lang: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = i18n.text("sheet_codebook", lang)
    frame = safe_frame(table(book, lang))
    ws.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        ws.append(list(row))
    text_cells_as_text(ws)  # a definition starting with "=" stays text
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    for column in ws.columns:
        width = min(60, max(10, *(len(str(c.value or "")) for c in column[:50])))
        ws.column_dimensions[column[0].column_letter].width = width
        for c in column[1:]:
            c.alignment = Alignment(wrap_text=True, vertical="top")
    wb.save(path)


_LATEX_SPECIALS = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                   "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
                   "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}", "[": "{[}", "]": "{]}",
                   "\n": " ", "\r": " ", "\t": " "}
# Characters pdflatex (utf8 input, T1 fonts) typesets beyond Latin-1 and Latin Extended-A.
_LATEX_KNOWN = set("–—‘’‚“”„…•€−«»‹›")


def latex_escape(text) -> str:
    """Escape every LaTeX special; characters pdflatex cannot typeset (emoji, CJK, controls) become '?'.

    >>> latex_escape("50% & #1_a [x] <b>")
    '50\\\\% \\\\& \\\\#1\\\\_a {[}x{]} \\\\textless{}b\\\\textgreater{}'
    """
    out = []
    for ch in str(text):
        if ch in _LATEX_SPECIALS:
            out.append(_LATEX_SPECIALS[ch])
        elif ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0:
            continue
        elif ord(ch) < 0x180 or ch in _LATEX_KNOWN:
            out.append(ch)
        else:
            out.append("?")
    return "".join(out)


def _latex_cell(value: str) -> str:
    """A ragged-right cell whose ids may break after '.' and '_' (narrow columns never overflow)."""
    text = latex_escape(value.strip()).replace(r"\_", r"\_\allowbreak{}")
    text = re.sub(r"(?<=\w)\.(?=\w)", r".\\allowbreak{}", text)
    return rf"{{\raggedright\hspace{{0pt}}{text}\par}}"  # \hspace: the first word may hyphenate too


def _latex(book: Codebook, lang: str) -> str:
    out = [f"% {latex_escape(_title(book, lang))}", r"% requires \usepackage[T1]{fontenc} and \usepackage{booktabs,longtable}"]
    widths = (0.17, 0.25, 0.17, 0.17, 0.14)  # of the line width, leaving room for the column gaps
    spec = "".join(rf"p{{{w}\linewidth}}" for w in widths)
    for theme in book.themes:
        out += [r"\begingroup\footnotesize\setlength{\tabcolsep}{3pt}", rf"\begin{{longtable}}{{{spec}}}",
                rf"\caption{{{latex_escape(_heading(book, theme, lang))}}}\\", r"\toprule",
                " & ".join(rf"\textbf{{{latex_escape(c)}}}" for c in columns(lang)) + r" \\", r"\midrule", r"\endhead"]
        for values in rows(book, theme, lang):
            out.append(" & ".join(_latex_cell(v) for v in values) + r" \\")
        out += [r"\bottomrule", r"\end{longtable}", r"\endgroup", ""]
    return "\n".join(out)
