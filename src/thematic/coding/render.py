"""A coded transcript as HTML: coloured, labelled spans with the rule or coder behind each.

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

import pandas as pd

from ..corpus import Document

PALETTE = ("#1F77B4", "#FF7F0E", "#2CA02C", "#D62728", "#9467BD", "#8C564B", "#E377C2", "#7F7F7F",
           "#BCBD22", "#17BECF")


def _colour(code: str, codebook, fallback: dict[str, str]) -> str:
    if codebook is not None and code in codebook and codebook.get(code).colour:
        return codebook.get(code).colour
    theme = code.split(".", 1)[0]
    if codebook is not None and theme in codebook and codebook.get(theme).colour:
        return codebook.get(theme).colour
    return fallback.setdefault(theme, PALETTE[len(fallback) % len(PALETTE)])


def render_html(document: Document, codings: pd.DataFrame, codebook=None) -> str:
    """HTML of the document with every coding highlighted; speaker labels in bold."""
    rows = codings[codings["doc_id"] == document.doc_id] if "doc_id" in codings else codings
    spans = [(int(r.start), int(r.end), str(r.code),
              f"{r.code} — {getattr(r, 'source', '')}: {getattr(r, 'rule', '') or getattr(r, 'coder', '')}")
             for r in rows.itertuples()]
    fallback: dict[str, str] = {}
    cuts = sorted({0, len(document.text)} | {s for s, _, _, _ in spans} | {e for _, e, _, _ in spans}
                  | {seg.start for seg in document.segments})
    starts_label = {}
    for s, _, code, _ in spans:
        starts_label.setdefault(s, []).append(code)
    speaker_at = {seg.start: seg for seg in document.segments}
    out = ['<div class="thematic-doc" style="font-family: sans-serif; line-height: 2.1; white-space: pre-wrap;">',
           f'<div style="font-weight: bold; margin-bottom: .5em">{html.escape(document.doc_id)}</div>']
    for a, b in zip(cuts, cuts[1:]):
        piece = html.escape(document.text[a:b])
        if a in speaker_at and speaker_at[a].role == "interviewer":
            piece = f'<span style="color: #777">{piece}</span>'
        active = [sp for sp in spans if sp[0] <= a and b <= sp[1]]
        if active:
            colour = _colour(active[-1][2], codebook, fallback)
            title = html.escape("\n".join(t for _, _, _, t in active))
            labels = "".join(
                f'<sup style="background:{_colour(c, codebook, fallback)}; color: white; border-radius: 3px; '
                f'padding: 0 3px; font-size: 65%; margin-right: 2px">{html.escape(c)}</sup>'
                for c in starts_label.get(a, []))
            border = "".join(f"box-shadow: 0 {2 + 3 * i}px 0 {_colour(c, codebook, fallback)};"
                             for i, (_, _, c, _) in enumerate(active[:1]))
            piece = (f'{labels}<mark title="{title}" style="background: {colour}33; {border} '
                     f'padding: 1px 0">{piece}</mark>')
        out.append(piece)
    out.append("</div>")
    return "".join(out)


@dataclass(frozen=True)
class CodedDocument:
    """A document with its codings; shows itself highlighted in a notebook."""

    document: Document
    codings: pd.DataFrame
    codebook: object = None

    def _repr_html_(self) -> str:
        return render_html(self.document, self.codings, self.codebook)

    def __repr__(self) -> str:
        n = int((self.codings["doc_id"] == self.document.doc_id).sum()) if "doc_id" in self.codings else len(self.codings)
        return f"CodedDocument({self.document.doc_id!r}, codings={n})"
