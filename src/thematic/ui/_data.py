"""What the notebook views show, as plain data: pure functions over documents, codings and codebooks.

The widgets (``thematic.ui``) send these dicts to the browser; nothing here touches the store or the
browser, so it is tested without either. Offsets are code points into the stored NFC text.

Example:
    >>> from thematic.transcripts import ingest_text
    >>> doc = ingest_text("I: Hva skjer?\\nK1: Vi har ingen målbilde.")
    >>> [(r["speaker"], r["role"]) for r in transcript_rows(doc)]
    [('I', 'interviewer'), ('K1', 'informant')]
    >>> snap(doc.text, 20, 25)  # "ar ing" -> whole words
    (18, 28)
"""

from __future__ import annotations

import getpass
import os
import unicodedata

import pandas as pd

from ..coding.render import PALETTE as OKABE_ITO
from ..coding.render import code_colours as colours
from ..coding.render import colour_of, transcript_rows
from ..corpus import Document
from ..errors import Errors, ViewError

__all__ = ["OKABE_ITO", "colours", "colour_of", "transcript_rows", "default_coder", "snap", "check_selection",
           "code_tree", "coding_records"]


def default_coder(settings: dict | None = None) -> str:
    """The project's ``coder`` setting, else the login name."""
    if settings and str(settings.get("coder") or "").strip():
        return str(settings["coder"]).strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (some containers): fall back to the environment
        return os.environ.get("USER") or os.environ.get("USERNAME") or "coder"


def _word(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LNM" or ch in "-'’"


def snap(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a selection to whole words and trim surrounding spaces (a half-selected word counts whole)."""
    start, end = max(0, min(int(start), len(text))), max(0, min(int(end), len(text)))
    if start > end:
        start, end = end, start
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        return start, end
    while start > 0 and _word(text[start - 1]) and _word(text[start]):
        start -= 1
    while end < len(text) and _word(text[end]) and _word(text[end - 1]):
        end += 1
    return start, end


def check_selection(document: Document, start: int, end: int, *, include_interviewer: bool) -> tuple[int, int]:
    """The snapped span a person selected, or ``ViewError`` saying why it cannot be coded."""
    start, end = snap(document.text, start, end)
    if start >= end:
        raise ViewError(Errors.U003.format(doc_id=document.doc_id))
    if not include_interviewer and document.segments:
        # Every character but spaces must be informant speech: not the interviewer's, not a speaker label.
        spans = sorted((max(s.start, start), min(s.end, end)) for s in document.segments
                       if s.role != "interviewer" and s.start < end and s.end > start)
        pos, outside = start, []
        for a, b in spans:
            outside.append(document.text[pos:a])
            pos = max(pos, b)
        outside.append(document.text[pos:end])
        if not spans or "".join(outside).strip():
            raise ViewError(Errors.U002.format(doc_id=document.doc_id, start=start, end=end))
    return start, end


def code_tree(codebook, lang: str = "en", palette: str = "codebook") -> list[dict]:
    """The codebook as the view's code list: themes with their codes, in file order."""
    if codebook is None:
        return []
    table = colours(codebook, palette)
    out = []
    for theme in codebook.themes:
        for code in [theme] + _descendants(codebook, theme.id):
            out.append({"id": code.id, "label": code.label_in(lang) or code.id, "theme": code.theme,
                        "depth": code.depth, "colour": table[code.id],
                        "definition": code.text_in("definition", lang)})
    return out


def _descendants(codebook, code_id: str) -> list:
    out = []
    for child in codebook.children(code_id):
        out.append(child)
        out.extend(_descendants(codebook, child.id))
    return out


def _text(value) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def coding_records(frame, codebook, memos=None, palette: str = "codebook") -> list[dict]:
    """The codings of one document as the view's records (id, span, code, colour, provenance)."""
    table, fallback = colours(codebook, palette), {}
    labels = {c.id: c.label_in("en") for c in codebook.codes} if codebook is not None else {}
    memo_count: dict[int, int] = {}
    if memos is not None and len(memos):
        for target in memos.loc[memos["target_kind"] == "coding", "target_id"]:
            memo_count[int(target)] = memo_count.get(int(target), 0) + 1
    # Plain column lists: itertuples would copy the frame's attrs (segments, cases) for every chunk.
    fields = ("coding_id", "start", "end", "code", "theme", "coder", "source", "status", "rule", "matched",
              "reviewed_by", "line_start")
    columns = [frame[f].tolist() if f in frame else [""] * len(frame) for f in fields]
    out = []
    for coding_id, start, end, code, theme, coder, source, status, rule, matched, reviewed_by, line in zip(*columns):
        code = str(code)
        out.append({
            "id": int(coding_id), "start": int(start), "end": int(end), "code": code,
            "theme": str(theme), "label": labels.get(code, code), "colour": colour_of(code, table, fallback),
            "coder": _text(coder), "source": _text(source), "status": _text(status),
            "rule": _text(rule), "matched": _text(matched), "reviewed_by": _text(reviewed_by),
            "line": _text(line), "memos": memo_count.get(int(coding_id), 0),
        })
    return out
