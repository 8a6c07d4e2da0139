"""Print a codebook for a thesis appendix or a co-author: docx, md, csv, xlsx, qdc, tex.

The Word export is the appendix: a title with the codebook version, then one
heading and one table per theme (code, definition, when to use, when not to
use, example).

Example:
    >>> write_codebook(book, "out/appendix.docx")  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

from ..errors import AnalysisError, Errors
from ..outfiles import clean_text, safe_frame, text_cells_as_text, write_atomic
from .io import Codebook
from .model import Code

FORMATS = ("docx", "md", "csv", "xlsx", "qdc", "tex")
COLUMNS = ("Code", "Definition", "When to use", "When not to use", "Example")


def write_codebook(book: Codebook, path: str | Path, format: str | None = None, *, lang: str = "en") -> Path:
    """Write ``book`` to ``path`` in ``format`` (default: from the suffix); return the path."""
    path = Path(path)
    fmt = (format or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise AnalysisError(Errors.A001.format(what="codebook format", value=fmt, choices=", ".join(FORMATS)))
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
        _xlsx(book, path)
    else:
        path.write_text(_latex(book, lang), encoding="utf-8")



def rows(book: Codebook, theme: Code, lang: str) -> list[tuple[str, str, str, str, str]]:
    """Table rows of one theme: the theme itself, then its codes indented by depth."""
    out = []
    for code in [theme] + [c for c in book.codes if c.theme == theme.id and not c.is_theme]:
        name = "  " * code.depth + f"{code.label_in(lang)} ({code.id})"
        out.append((name, code.text_in("definition", lang), code.text_in("when_to_use", lang),
                    code.text_in("when_not_to_use", lang), code.examples[0] if code.examples else ""))
    return out


def _title(book: Codebook) -> str:
    return f"{book.info.name or book.id} (codebook {book.id}, version {book.version})"


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
    document.add_heading(_title(book), level=1)
    if book.info.description:
        document.add_paragraph(book.info.description)
    widths = (Cm(4.5), Cm(6.5), Cm(4.5), Cm(4.5), Cm(5.5))
    for theme in book.themes:
        document.add_heading(theme.label_in(lang), level=2)
        table = document.add_table(rows=1, cols=len(COLUMNS))
        table.style = "Light Grid Accent 1"
        for cell, text in zip(table.rows[0].cells, COLUMNS):
            cell.text = text
            cell.paragraphs[0].runs[0].bold = True
        for values in rows(book, theme, lang):
            cells = table.add_row().cells
            for cell, text, width in zip(cells, values, widths):
                cell.text, cell.width = clean_text(text), width
    document.save(path)


def _markdown(book: Codebook, lang: str) -> str:
    lines = [f"# {_title(book)}", ""]
    if book.info.description:
        lines += [book.info.description, ""]
    for theme in book.themes:
        lines += [f"## {theme.label_in(lang)}", "", "| " + " | ".join(COLUMNS) + " |",
                  "|" + "---|" * len(COLUMNS)]
        for values in rows(book, theme, lang):
            lines.append("| " + " | ".join(v.replace("|", "\\|").replace("\n", " ") for v in values) + " |")
        lines.append("")
    return "\n".join(lines)


def _xlsx(book: Codebook, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "codebook"
    frame = safe_frame(book.to_frame())
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
                   "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def latex_escape(text: str) -> str:
    """Escape LaTeX special characters.

    >>> latex_escape("50% & #1_a")
    '50\\\\% \\\\& \\\\#1\\\\_a'
    """
    return "".join(_LATEX_SPECIALS.get(ch, ch) for ch in text)


def _latex(book: Codebook, lang: str) -> str:
    out = [f"% {latex_escape(_title(book))}", r"% requires \usepackage{booktabs,longtable}"]
    for theme in book.themes:
        out += [r"\begin{longtable}{p{3.2cm}p{4.2cm}p{3cm}p{3cm}p{3.4cm}}",
                rf"\caption{{{latex_escape(theme.label_in(lang))}}}\\", r"\toprule",
                " & ".join(rf"\textbf{{{c}}}" for c in COLUMNS) + r" \\", r"\midrule", r"\endhead"]
        for values in rows(book, theme, lang):
            out.append(" & ".join(latex_escape(v.strip()) for v in values) + r" \\")
        out += [r"\bottomrule", r"\end{longtable}", ""]
    return "\n".join(out)
