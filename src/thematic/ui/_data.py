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

from ..corpus import Document
from ..errors import Errors, ViewError

#: Okabe-Ito colours (readable with the common colour-vision deficiencies), for themes without a colour.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")


def default_coder(settings: dict | None = None) -> str:
    """The project's ``coder`` setting, else the login name."""
    if settings and str(settings.get("coder") or "").strip():
        return str(settings["coder"]).strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (some containers): fall back to the environment
        return os.environ.get("USER") or os.environ.get("USERNAME") or "coder"


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return ""
    whole = int(seconds)
    h, m, s = whole // 3600, whole // 60 % 60, whole % 60
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


def transcript_rows(document: Document) -> list[dict]:
    """One row per line of speech: offsets, original line number (and time), speaker on a turn's first row.

    Text between segments (speaker labels, blank lines) is not a row: the speaker is shown beside the
    row instead. A document without segments is one row per line of its text.
    """
    rows: list[dict] = []
    segments = document.segments or ()
    spans = [(s.start, s.end, s) for s in segments] or [(0, len(document.text), None)]
    last_turn = None
    for start, end, seg in spans:
        pos = start
        first = True
        for line in document.text[start:end].split("\n"):
            a, b = pos, pos + len(line)
            pos = b + 1
            while a < b and document.text[a].isspace():
                a += 1
            while b > a and document.text[b - 1].isspace():
                b -= 1
            if a == b:
                continue
            line_no = document.lines_of(a, a + 1)[0]
            turn = (seg.turn if seg is not None else None)
            new_turn = seg is not None and first and turn != last_turn
            rows.append({
                "start": a, "end": b, "line": line_no if line_no is not None else "",
                "time": _clock(seg.time_start) if seg is not None and first else "",
                "speaker": seg.speaker if new_turn else "",
                "role": seg.role if seg is not None else "unknown",
                "segment": seg.index if seg is not None else None,
                "turn_start": bool(new_turn),
            })
            first = False
            last_turn = turn if seg is not None else last_turn
    return rows


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


def colours(codebook) -> dict[str, str]:
    """Each code's colour: its own, else its theme's, else an Okabe-Ito colour per theme."""
    out: dict[str, str] = {}
    if codebook is None:
        return out
    spare = iter(OKABE_ITO * 4)
    theme_colour: dict[str, str] = {}
    for code in codebook.codes:
        if code.is_theme:
            theme_colour[code.id] = code.colour or next(spare)
    for code in codebook.codes:
        out[code.id] = theme_colour.get(code.theme) or code.colour or next(spare)
    return out


def colour_of(code: str, table: dict[str, str], fallback: dict[str, str]) -> str:
    """The colour of ``code``'s theme (codes outside the codebook get an Okabe-Ito colour per theme)."""
    if code in table:
        return table[code]
    theme = code.split(".", 1)[0]
    if theme in table:
        return table[theme]
    return fallback.setdefault(theme, OKABE_ITO[len(fallback) % len(OKABE_ITO)])


def code_tree(codebook, lang: str = "en") -> list[dict]:
    """The codebook as the view's code list: themes with their codes, in file order."""
    if codebook is None:
        return []
    table = colours(codebook)
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


def coding_records(frame, codebook, memos=None) -> list[dict]:
    """The codings of one document as the view's records (id, span, code, colour, provenance)."""
    table, fallback = colours(codebook), {}
    labels = {c.id: c.label_in("en") for c in codebook.codes} if codebook is not None else {}
    memo_count: dict[int, int] = {}
    if memos is not None and len(memos):
        for target in memos.loc[memos["target_kind"] == "coding", "target_id"]:
            memo_count[int(target)] = memo_count.get(int(target), 0) + 1
    out = []
    for r in frame.itertuples(index=False):
        code = str(r.code)
        out.append({
            "id": int(r.coding_id), "start": int(r.start), "end": int(r.end), "code": code,
            "theme": str(r.theme), "label": labels.get(code, code), "colour": colour_of(code, table, fallback),
            "coder": _text(r.coder), "source": _text(r.source), "status": _text(r.status),
            "rule": _text(getattr(r, "rule", "")), "matched": _text(getattr(r, "matched", "")),
            "reviewed_by": _text(getattr(r, "reviewed_by", "")),
            "line": _text(r.line_start),
            "memos": memo_count.get(int(r.coding_id), 0),
        })
    return out
