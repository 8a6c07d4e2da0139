"""Illustrative quotes: the framework matrix (case × theme cells holding quotes) and a quotes table.

Selection rule, in order: (1) quotes chosen by people first (source manual,
accepted or resolved; then imported; rule codings last); (2) a coder's flag
(a truthy ``flag`` column) first; (3) the strongest rule evidence, i.e. the most
distinct matched words; (4) length closest to a readable quote of about
150 characters (40-400 preferred). Only informant speech and documents' text are
quoted. Each quote carries a reference in the output language, citing what the source has:
the time for .vtt/.srt ("Myrstad kommune, K5, 00:12:04"), the page for PDF ("Fjordvik kommune,
Fjordvik-strategi, p. 3"), the paragraph for .docx ("paragraph 12"), else the lines
("Fjordvik kommune, K2, lines 34–37").

Example:
    >>> framework(project.codings, per_cell=2)  # doctest: +SKIP
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import i18n
from ..types import CODED_ROLES
from .tables import attach_rows, context_tables, plain

_PARAGRAPH_SUFFIXES = (".docx", ".odt", ".html", ".htm")  # line numbers of these count paragraphs

_SOURCE_RANK = {"manual": 0, "accepted": 0, "resolved": 0, "import": 1, "rule": 2, "suggestion": 3}


def timestamp(seconds: float) -> str:
    """ "00:12:04" (hours always shown, as in transcripts).

    >>> timestamp(724.6)
    '00:12:04'
    """
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def reference(case_name: str, informant: str, line_start, line_end, page=None, *, lang: str = "en",
              kind: str = "line", time=None, page_end=None) -> str:
    """ "Fjordvik kommune, K2, lines 34–37"; with ``time`` the timestamp, with ``page`` the page, and
    ``kind="paragraph"`` for formats whose line numbers count paragraphs (.docx).

    >>> reference("Fjordvik kommune", "K2", 34, 37)
    'Fjordvik kommune, K2, lines 34–37'
    >>> reference("Myrstad kommune", "K5", 40, 41, lang="nb", time=724.0)
    'Myrstad kommune, K5, 00:12:04'
    >>> reference("Askerud kommune", "K1", 12, 12, lang="sv", kind="paragraph")
    'Askerud kommune, K1, stycke 12'
    >>> reference("Fjordvik kommune", "Digitaliseringsstrategi", 120, 124, page=3)
    'Fjordvik kommune, Digitaliseringsstrategi, p. 3'
    """
    parts = [p for p in (case_name, informant) if p]
    if time is not None and pd.notna(time):
        parts.append(timestamp(float(time)))
    elif page is not None and pd.notna(page):
        a = int(page)
        b = int(page_end) if page_end is not None and pd.notna(page_end) else a
        parts.append(i18n.text("ref_page", lang, a=a) if a == b else i18n.text("ref_pages", lang, a=a, b=b))
    elif pd.notna(line_start):
        a, b = int(line_start), int(line_end) if pd.notna(line_end) else int(line_start)
        one, many = ("ref_paragraph", "ref_paragraphs") if kind == "paragraph" else ("ref_line", "ref_lines")
        parts.append(i18n.text(one, lang, a=a) if a == b else i18n.text(many, lang, a=a, b=b))
    return ", ".join(parts)


def quotes(codings: pd.DataFrame, *, rows: str = "case", cols: str = "theme", segments=None, cases=None,
           anonymous: bool = False, lang: str = "en") -> pd.DataFrame:
    """Every informant quote with its rank inside its (row, col) cell and a reference in ``lang``.

    ``anonymous=True`` never uses a speaker's name: informant ids only.
    """
    segments, cases = context_tables(codings, segments, cases)
    df = plain(codings[codings["role"].isin(CODED_ROLES)])
    df = attach_rows(df, rows, segments, cases)
    if df.empty:
        return pd.DataFrame(columns=["row", "col", "rank", "quote", "reference", "doc_id", "code", "coder", "source"])
    df = df.drop_duplicates(["_row", cols, "doc_id", "start", "end"]).copy()
    names = (cases.drop_duplicates("doc_id").set_index("doc_id")["case_name"]
             if cases is not None and "case_name" in cases else None)
    case_name = df["doc_id"].map(names) if names is not None else df["case"]
    case_name = case_name.where(case_name.fillna("") != "", df["case"])
    informant = df["informant"].fillna("")
    if anonymous:
        # An informant id from the case metadata, never a name from a speaker label.
        ids = (plain(segments).set_index("segment_id")["informant"] if segments is not None
               else pd.Series(dtype=object))
        informant = df["segment_id"].map(ids).fillna("")
        named = informant.eq(df["speaker"]) & df["speaker"].str.contains(" ", na=False)
        informant = informant.mask(named | informant.eq(""), i18n.text("ref_informant", lang))
    # A document's paragraphs have no informant: the document itself is the source.
    informant = informant.mask(df["role"].eq("document"), df["doc_id"])
    times = pages = None
    if segments is not None and len(segments):
        by_segment = plain(segments).drop_duplicates("segment_id").set_index("segment_id")
        if "time_start" in by_segment:
            times = df["segment_id"].map(by_segment["time_start"])
        if "page" in by_segment:
            pages = df["segment_id"].map(by_segment["page"])
    files = (cases.drop_duplicates("doc_id").set_index("doc_id")["file"]
             if cases is not None and "file" in cases else pd.Series(dtype=object))
    kinds = [("paragraph" if str(f).lower().endswith(_PARAGRAPH_SUFFIXES) else "line")
             for f in df["doc_id"].map(files).astype(object)]
    n = len(df)
    df["reference"] = [reference(c, i, a, b, lang=lang, kind=k, time=t, page=p) for c, i, a, b, k, t, p in
                       zip(case_name.fillna(""), informant, df["line_start"], df["line_end"], kinds,
                           times if times is not None else [None] * n, pages if pages is not None else [None] * n)]
    length = df["text"].fillna("").str.len()
    df["_source"] = df["source"].map(_SOURCE_RANK).fillna(2)
    df["_flag"] = -df["flag"].fillna(False).astype(bool).astype(int) if "flag" in df else 0
    df["_evidence"] = -df["matched"].fillna("").str.split("; ").map(lambda w: len(set(x for x in w if x)))
    df["_length"] = (length - 150).abs() + np.where((length < 40) | (length > 400), 1000, 0)
    df = df.sort_values(["_row", cols, "_source", "_flag", "_evidence", "_length", "doc_id", "start"])
    df["rank"] = df.groupby(["_row", cols]).cumcount() + 1
    out = df.rename(columns={"_row": "row", cols: "col", "text": "quote"})
    return out[["row", "col", "rank", "quote", "reference", "doc_id", "code", "coder", "source"]].reset_index(drop=True)


def framework(codings: pd.DataFrame, *, rows: str = "case", cols: str = "theme", per_cell: int = 2,
              segments=None, cases=None, anonymous: bool = False) -> pd.DataFrame:
    """A framework matrix: each (row, col) cell holds its ``per_cell`` best quotes with references."""
    table = quotes(codings, rows=rows, cols=cols, segments=segments, cases=cases, anonymous=anonymous)
    best = table[table["rank"] <= per_cell].copy()
    best["cell"] = "«" + best["quote"].str.strip() + "» (" + best["reference"] + ")"
    out = best.groupby(["row", "col"])["cell"].agg("\n\n".join).unstack(fill_value="")
    out.index.name, out.columns.name = rows, cols
    return out
