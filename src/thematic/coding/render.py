"""A coded transcript as HTML: rows of speech with line numbers, speakers and coloured, named codings.

Each row is one line of one speaker turn, with the line number in the original file (the time for
.vtt/.srt captions) and the speaker on a turn's first row; the interviewer's rows are set apart and end
with their own row, never running into the next speaker's label. ``standalone=True`` gives a complete,
self-contained HTML page (no scripts, no external files) for a supervisor without Python.

Example:
    >>> from thematic.transcripts import ingest_text
    >>> import pandas as pd
    >>> doc = ingest_text("K1: Vi har ingen <målbilde>.")
    >>> html = render_html(doc, pd.DataFrame([{"start": 4, "end": 27, "code": "target_picture.unclear",
    ...                                          "coder": "ida", "source": "manual", "rule": ""}]))
    >>> "&lt;målbilde&gt;" in html and "target_picture.unclear" in html
    True
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..corpus import Document

if TYPE_CHECKING:  # annotations only: the coding package loads without pandas
    import pandas as pd

#: Okabe-Ito colours (readable with the common colour-vision deficiencies), for themes without a colour.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")


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

    >>> from thematic.transcripts import ingest_text
    >>> [(r["speaker"], r["role"], r["line"]) for r in transcript_rows(ingest_text("I: Hva?\\nK1: Ja."))]
    [('I', 'interviewer', 1), ('K1', 'informant', 2)]
    """
    rows: list[dict] = []
    spans = [(s.start, s.end, s) for s in document.segments] or [(0, len(document.text), None)]
    last_turn = None
    for start, end, seg in spans:
        pos, first = start, True
        for line in document.text[start:end].split("\n"):
            a, b = pos, pos + len(line)
            pos = b + 1
            while a < b and document.text[a].isspace():
                a += 1
            while b > a and document.text[b - 1].isspace():
                b -= 1
            if a == b:
                continue
            new_turn = seg is not None and first and seg.turn != last_turn
            line_no = document.lines_of(a, a + 1)[0]
            rows.append({
                "start": a, "end": b, "line": line_no if line_no is not None else "",
                "time": _clock(seg.time_start) if seg is not None and first else "",
                "speaker": seg.speaker if new_turn else "",
                "role": seg.role if seg is not None else "unknown",
                "segment": seg.index if seg is not None else None,
                "turn_start": bool(new_turn),
            })
            first = False
            if seg is not None:
                last_turn = seg.turn
    return rows


#: ``codebook``: each theme's colour from the codebook; ``colour-blind``: Okabe-Ito colours, one per theme.
PALETTES = ("codebook", "colour-blind")


def code_colours(codebook, palette: str = "codebook") -> dict[str, str]:
    """Each code's colour: its theme's (from the codebook, or Okabe-Ito with ``palette="colour-blind"``)."""
    if palette not in PALETTES:
        from ..errors import Errors, ThematicError

        raise ThematicError(Errors.A001.format(what="palette", value=palette, choices=", ".join(PALETTES)))
    out: dict[str, str] = {}
    if codebook is None:
        return out
    spare = iter(PALETTE * 4)
    themes = [c for c in codebook.codes if c.is_theme]
    if palette == "colour-blind":
        theme_colour = {t.id: PALETTE[i % len(PALETTE)] for i, t in enumerate(themes)}
    else:
        theme_colour = {t.id: t.colour or next(spare) for t in themes}
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
    return fallback.setdefault(theme, PALETTE[len(fallback) % len(PALETTE)])


_CSS = """
.thematic-doc { font-family: system-ui, "Segoe UI", "Noto Sans", "DejaVu Sans", sans-serif; font-size: 15px;
  color: #1f2328; line-height: 1.85; max-width: 62em; }
.thematic-doc h2 { font-size: 18px; margin: 0 0 .2em; }
.thematic-doc .meta { color: #59636e; font-size: 13px; margin-bottom: 1em; }
.thematic-doc .row { display: grid; grid-template-columns: 3em 6.5em minmax(0, 1fr) 12em; column-gap: 10px; }
.thematic-doc .row.turn { margin-top: .6em; }
.thematic-doc .ln { color: #8c959f; text-align: right; font-size: 12px; font-variant-numeric: tabular-nums; }
.thematic-doc .spk { font-weight: 600; }
.thematic-doc .interviewer .spk { color: #59636e; font-weight: 500; }
.thematic-doc .interviewer .txt { color: #4b535c; font-style: italic; background: #f6f8fa;
  border-left: 3px solid #afb8c1; padding-left: 8px; }
.thematic-doc .informant .txt, .thematic-doc .unknown .txt { padding-left: 11px; }
.thematic-doc .txt { white-space: pre-wrap; overflow-wrap: anywhere; }
.thematic-doc mark { color: inherit; border-radius: 2px; padding: 1px 0; }
.thematic-doc .codes { font-size: 11px; line-height: 1.5; }
.thematic-doc .code { display: block; border: 1px solid; border-left-width: 4px; border-radius: 4px; padding: 0 4px;
  margin-bottom: 2px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.thematic-doc .pending { border-style: dashed; border-left-style: solid; }
.thematic-doc .legend { margin-top: 1em; border-top: 1px solid #d1d9e0; padding-top: .4em; font-size: 12px; color: #59636e; }
.thematic-doc .legend span { margin-right: 1em; }
@media print { .thematic-doc { max-width: none; } }
"""


def _hex_alpha(colour: str, alpha: str) -> str:
    return colour + alpha if colour.startswith("#") and len(colour) == 7 else colour


def render_html(document: Document, codings: pd.DataFrame, codebook=None, *, standalone: bool = False,
                title: str | None = None, palette: str = "codebook") -> str:
    """HTML of the document with every coding highlighted in its theme's colour and named in the margin.

    Rows carry line numbers (times for captions); hovering a highlight shows each coding's code, coder,
    source and rule. ``standalone=True`` returns a whole HTML page with its styles inline;
    ``palette="colour-blind"`` colours the themes with Okabe-Ito colours instead of the codebook's.
    """
    rows = codings[codings["doc_id"] == document.doc_id] if "doc_id" in codings else codings
    table, fallback = code_colours(codebook, palette), {}
    spans = []
    for r in rows.itertuples():
        code = str(r.code)
        source, status = str(getattr(r, "source", "") or ""), str(getattr(r, "status", "") or "")
        who = getattr(r, "rule", "") or getattr(r, "coder", "")
        reviewed = getattr(r, "reviewed_by", "")
        note = f"{code} — {source}: {who}" + (f"; reviewed by {reviewed}" if isinstance(reviewed, str) and reviewed else "")
        spans.append((int(r.start), int(r.end), code, note + (" (pending)" if status == "pending" else ""),
                      colour_of(code, table, fallback), status == "pending"))
    spans.sort(key=lambda s: (s[0], -s[1]))
    timed = any(s.time_start is not None for s in document.segments)
    text = document.text
    out = [f'<div class="thematic-doc" lang="{html.escape(document.language)}">']
    if not standalone:
        out.append(f"<style>{_CSS}</style>")
    out.append(f"<h2>{html.escape(title or document.doc_id)}</h2>")
    meta = [m for m in (document.case, document.format, f"{len(spans)} codings") if m]
    out.append(f'<div class="meta">{html.escape(" · ".join(meta))}</div>')
    placed: set[int] = set()
    following, active = 0, []
    for row in transcript_rows(document):
        a, b = row["start"], row["end"]
        while following < len(spans) and spans[following][0] < b:  # one sweep over rows and codings
            active.append((following, spans[following]))
            following += 1
        active = [(i, s) for i, s in active if s[1] > a]
        near = active
        cuts = sorted({a, b} | {max(a, s[0]) for _, s in near} | {min(b, s[1]) for _, s in near})
        pieces = []
        for x, y in zip(cuts, cuts[1:]):
            piece = html.escape(text[x:y])
            over = sorted((s for _, s in near if s[0] <= x and y <= s[1]), key=lambda s: s[1] - s[0])
            if over:
                lines = ", ".join(f"0 {2 + 3 * k}px 0 0 {s[4]}" for k, s in enumerate(over[:3]))
                tint = "33" if len(over) == 1 else "55"
                piece = (f'<mark title="{html.escape(chr(10).join(s[3] for s in over))}" '
                         f'style="background: {_hex_alpha(over[0][4], tint)}; box-shadow: {lines}">{piece}</mark>')
            pieces.append(piece)
        here = [s for i, s in near if i not in placed]
        placed.update(i for i, _ in near)
        codes = "".join(f'<span class="code{" pending" if s[5] else ""}" style="border-color: {s[4]}" '
                        f'title="{html.escape(s[3])}">{html.escape(s[2])}</span>' for s in here)
        where = row["time"] if timed else row["line"]
        out.append(f'<div class="row {row["role"]}{" turn" if row["turn_start"] else ""}">'
                   f'<span class="ln">{html.escape(str(where))}</span>'
                   f'<span class="spk">{html.escape(row["speaker"])}</span>'
                   f'<span class="txt">{"".join(pieces)}</span><span class="codes">{codes}</span></div>')
    themes = {}
    for s in spans:
        themes.setdefault(s[2].split(".", 1)[0], s[4])
    if themes:
        out.append('<div class="legend">' + "".join(
            f'<span><b style="color: {c}">■</b> {html.escape(t)}</span>' for t, c in themes.items())
            + "<span>dashed: pending machine coding</span></div>")
    out.append("</div>")
    body = "".join(out)
    if not standalone:
        return body
    return ('<!DOCTYPE html>\n<html lang="' + html.escape(document.language) + '"><head><meta charset="utf-8">'
            f"<title>{html.escape(title or document.doc_id)}</title><style>{_CSS}</style></head>"
            f"<body>{body}</body></html>\n")


@dataclass(frozen=True)
class CodedDocument:
    """A document with its codings; shows itself highlighted, with line numbers, in a notebook."""

    document: Document
    codings: pd.DataFrame
    codebook: object = None

    def _repr_html_(self) -> str:
        return render_html(self.document, self.codings, self.codebook)

    def __repr__(self) -> str:
        n = int((self.codings["doc_id"] == self.document.doc_id).sum()) if "doc_id" in self.codings else len(self.codings)
        return f"CodedDocument({self.document.doc_id!r}, codings={n})"
