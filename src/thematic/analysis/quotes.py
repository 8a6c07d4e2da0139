"""Illustrative quotes: the framework matrix (case × theme cells holding quotes) and a quotes table.

Selection rule, in order: (1) quotes chosen by people first (source manual,
accepted or resolved; then imported; rule codings last); (2) a coder's flag
(a truthy ``flag`` column) first; (3) the strongest rule evidence, i.e. the most
distinct matched words; (4) length closest to a readable quote of about
150 characters (40-400 preferred). Only informant speech and documents' text are
quoted. Each quote carries a reference such as "Fjordvik kommune, K2, lines 34–37",
or "Fjordvik kommune, Fjordvik-strategi, p. 3" for a PDF.

Example:
    >>> framework(project.codings, per_cell=2)  # doctest: +SKIP
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..types import CODED_ROLES
from .tables import attach_rows, context_tables, plain

_SOURCE_RANK = {"manual": 0, "accepted": 0, "resolved": 0, "import": 1, "rule": 2, "suggestion": 3}


def reference(case_name: str, informant: str, line_start, line_end, page=None) -> str:
    """ "Fjordvik kommune, K2, lines 34–37" (or "line 34"); a PDF page wins: "..., p. 3".

    >>> reference("Fjordvik kommune", "K2", 34, 37)
    'Fjordvik kommune, K2, lines 34–37'
    >>> reference("Fjordvik kommune", "Digitaliseringsstrategi", 120, 124, page=3)
    'Fjordvik kommune, Digitaliseringsstrategi, p. 3'
    """
    parts = [p for p in (case_name, informant) if p]
    if page is not None and pd.notna(page):
        parts.append(f"p. {int(page)}")
    elif pd.notna(line_start):
        a, b = int(line_start), int(line_end) if pd.notna(line_end) else int(line_start)
        parts.append(f"line {a}" if a == b else f"lines {a}–{b}")
    return ", ".join(parts)


def quotes(codings: pd.DataFrame, *, rows: str = "case", cols: str = "theme", segments=None, cases=None,
           anonymous: bool = False) -> pd.DataFrame:
    """Every informant quote with its rank inside its (row, col) cell and a reference.

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
        informant = informant.mask(named | informant.eq(""), "informant")
    # A document's paragraphs have no informant: the document itself is the source.
    informant = informant.mask(df["role"].eq("document"), df["doc_id"])
    pages = (plain(segments).set_index("segment_id")["page"]
             if segments is not None and "page" in segments else pd.Series(dtype=object))
    page = df["segment_id"].map(pages) if len(pages) else pd.Series([None] * len(df), index=df.index)
    df["reference"] = [reference(c, i, a, b, p) for c, i, a, b, p in
                       zip(case_name.fillna(""), informant, df["line_start"], df["line_end"], page)]
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
