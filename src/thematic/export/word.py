"""The Word report: title, method summary, codebook, matrices as real tables, figures, quotes and memos.

What a supervisor expects from a thesis chapter: the document's language is set (Word spell-checks
Norwegian as Norwegian), captions are numbered Word fields (``SEQ Tabell``) so Word can build lists
of tables and figures, headings and captions keep with what follows, numbers are right-aligned with
a fixed number of decimals in the language's notation, and quotes use the language's quotation marks.

Example:
    >>> to_word(ReportContent(title="Funn", lang="nb"), "out/report.docx")  # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import i18n
from ..outfiles import clean_text, write_atomic


@dataclass
class ReportContent:
    """Everything the Word report shows, in order; texts are already in ``lang``."""

    title: str
    method: list[str] = field(default_factory=list)  # paragraphs
    codebook: pd.DataFrame | None = None  # columns shown as they are (one row per code)
    tables: list[tuple[str, pd.DataFrame]] = field(default_factory=list)  # (caption, table)
    figures: list[tuple[str, Path]] = field(default_factory=list)  # (caption, PNG path)
    quotes: pd.DataFrame | None = None  # columns: theme, reference, quote
    memos: list[tuple[str, str, str]] = field(default_factory=list)  # (heading, text, author and date)
    lang: str = "en"
    headings: dict[str, str] = field(default_factory=dict)  # overrides of the i18n headings


def decimals_for(frame: pd.DataFrame) -> dict[str, int]:
    """Fixed decimals per numeric column: 0 for integers, 2 for coefficients in [0, 1], else 1."""
    out = {}
    for column in frame.columns:
        values = frame[column]
        if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            continue
        finite = values.dropna()
        whole = pd.api.types.is_integer_dtype(values) or bool(len(finite) and np.all(finite == np.round(finite)))
        out[column] = 0 if whole else (2 if len(finite) and finite.abs().max() <= 1 else 1)
    return out


def _heading(document, text: str, level: int):
    paragraph = document.add_heading(clean_text(str(text)), level=level)
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def _field(paragraph, instruction: str, shown: str) -> None:
    """A complex Word field (begin, instruction, separate, cached result, end)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def fld(kind: str):
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)

    fld("begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    fld("separate")
    paragraph.add_run(shown)
    fld("end")


class _Captions:
    """Numbered captions: "Tabell 1: …" with the number a SEQ field Word updates and lists."""

    def __init__(self, lang: str):
        self.lang = lang
        self.count = {"caption_table": 0, "caption_figure": 0}

    def add(self, document, kind: str, caption: str, *, keep_with_next: bool):
        self.count[kind] += 1
        label = i18n.text(kind, self.lang)
        paragraph = document.add_paragraph(style="Caption")
        paragraph.add_run(f"{label} ")
        _field(paragraph, f"SEQ {label} \\* ARABIC", str(self.count[kind]))
        paragraph.add_run(f": {clean_text(caption)}")
        paragraph.paragraph_format.keep_with_next = keep_with_next
        return paragraph


def _table(document, frame: pd.DataFrame, caption: str, captions: _Captions, lang: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    captions.add(document, "caption_table", caption, keep_with_next=True)
    show_index = frame.index.name is not None or not isinstance(frame.index, pd.RangeIndex)
    body = frame.reset_index() if show_index else frame
    body.columns = [str(c) for c in body.columns]
    decimals = decimals_for(body)
    table = document.add_table(rows=1, cols=len(body.columns))
    table.style = "Light Grid Accent 1"
    for cell, text in zip(table.rows[0].cells, body.columns):
        cell.text = clean_text(text)
    for row in body.itertuples(index=False):
        for cell, column, value in zip(table.add_row().cells, body.columns, row):
            if column in decimals:
                cell.text = i18n.number(value, decimals[column], lang)
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            else:
                cell.text = "" if value is None or (isinstance(value, float) and np.isnan(value)) else clean_text(str(value))
    for column, header in zip(body.columns, table.rows[0].cells):
        if column in decimals:
            header.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(8)
    header_row = table.rows[0]._tr
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = header_row.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")  # the header row repeats on every page a long table spans
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)


def set_language(document, lang: str) -> None:
    """Set the proofing language of the whole document (default run properties and the core property)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tag = i18n.locale_tag(lang)
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    element = OxmlElement("w:lang")
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        element.set(qn(attribute), tag)
    rpr.append(element)
    document.core_properties.language = tag


def to_word(content: ReportContent, target) -> None:
    """Write the report to a path or binary file object."""
    import docx
    from docx.shared import Cm

    lang = content.lang
    heading = {key: content.headings.get(key) or i18n.text(key, lang)
               for key in ("h_method", "h_codebook", "h_tables", "h_figures", "h_quotes", "h_memos")}
    document = docx.Document()
    set_language(document, lang)
    document.core_properties.title = clean_text(content.title)
    document.core_properties.author = ""
    section = document.sections[0]
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2))
    captions = _Captions(lang)
    _heading(document, content.title, 0)
    if content.method:
        _heading(document, heading["h_method"], 1)
        for paragraph in content.method:
            document.add_paragraph(clean_text(paragraph))
    if content.codebook is not None and len(content.codebook):
        _heading(document, heading["h_codebook"], 1)
        _table(document, content.codebook.reset_index(drop=True), i18n.text("cap_codebook", lang), captions, lang)
    if content.tables:
        _heading(document, heading["h_tables"], 1)
        for caption, frame in content.tables:
            _table(document, frame, caption, captions, lang)
            document.add_paragraph()
    if content.figures:
        _heading(document, heading["h_figures"], 1)
        for caption, path in content.figures:
            document.add_picture(str(path), width=Cm(16))
            document.paragraphs[-1].paragraph_format.keep_with_next = True  # the picture stays with its caption
            captions.add(document, "caption_figure", caption, keep_with_next=False)
    if content.quotes is not None and len(content.quotes):
        _heading(document, heading["h_quotes"], 1)
        for theme, block in content.quotes.groupby("theme", sort=False):
            _heading(document, str(theme), 2)
            for row in block.itertuples(index=False):
                paragraph = document.add_paragraph(style="Quote")
                paragraph.add_run(i18n.quoted(mark_partial(clean_text(str(row.quote))), lang))
                paragraph.add_run(f" ({clean_text(str(row.reference))})").italic = True
    if content.memos:
        _heading(document, heading["h_memos"], 1)
        last = None
        for title, text, by in content.memos:
            if title != last:
                _heading(document, title, 2)
                last = title
            document.add_paragraph(clean_text(str(text)))  # a memo is free text: no control characters
            if by:
                document.add_paragraph(clean_text(by)).runs[0].italic = True
    if hasattr(target, "write"):
        document.save(target)
    else:
        write_atomic(Path(target), document.save)


_SENTENCE_END = ("." , "!", "?", "…", "»", "”", '"', ")")


def mark_partial(quote: str) -> str:
    """Mark a quote cut out of a longer utterance with […]: where it starts mid-sentence (a lower-case
    first letter) and where it stops mid-sentence (no closing punctuation).

    >>> mark_partial("og så hadde vi en plan")
    '[…] og så hadde vi en plan […]'
    >>> mark_partial("Vi har en plan.")
    'Vi har en plan.'
    """
    words = " ".join(str(quote).split())
    if not words:
        return words
    first = next((ch for ch in words if ch.isalpha()), "")
    if first and first.islower():
        words = f"{i18n.PARTIAL} {words}"
    if not words.endswith(_SENTENCE_END):
        words = f"{words} {i18n.PARTIAL}"
    return words
