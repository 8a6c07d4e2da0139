"""Frequencies and case × theme matrices: pure, vectorised functions over the codings table.

Every function takes the tidy codings table (``thematic.types.CODING_COLUMNS``).
Denominators (informant words, all cases) come from the segments table and
case attributes from the cases table; ``Project.codings`` carries both in
``df.attrs``, or pass ``segments=`` and ``cases=``.

Definitions used throughout:
    count       distinct coded passages (doc_id, start, end) in the cell
    codings     rows in the cell
    coverage    words in the union of coded passages / informant words of the row, in %
    presence    1 if the cell has any coding, else 0
    informants  distinct informants with a coding in the cell
    row_pct     count / the row's total count, in %
    col_pct     count / the column's total count, in %

Example:
    >>> import thematic as th
    >>> m = th.analysis.matrix(project.codings, rows="case", cell="coverage")  # doctest: +SKIP
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import AnalysisError, Errors

CELLS = ("count", "codings", "coverage", "presence", "informants", "row_pct", "col_pct")
ROW_KINDS_DIRECT = ("case", "doc_id", "speaker", "code", "theme", "coder", "source")


def context_tables(codings: pd.DataFrame, segments: pd.DataFrame | None = None,
                   cases: pd.DataFrame | None = None) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """Segments and cases given explicitly, else carried in ``codings.attrs``."""
    if segments is None:
        segments = codings.attrs.get("segments")
    if cases is None:
        cases = codings.attrs.get("cases")
    return segments, cases


def filter_codings(codings: pd.DataFrame, *, coder=None, source=None, role=None) -> pd.DataFrame:
    """Keep codings by coder, source (rule, manual, accepted, ...) and speaker role; each may be a list."""
    mask = pd.Series(True, index=codings.index)
    for column, wanted in (("coder", coder), ("source", source), ("role", role)):
        if wanted is not None:
            wanted = [wanted] if isinstance(wanted, str) else list(wanted)
            mask &= codings[column].isin(wanted)
    return codings[mask]


def with_informant(codings: pd.DataFrame, segments: pd.DataFrame | None) -> pd.DataFrame:
    """Add an ``informant`` column (informant id from the segments table, else the speaker)."""
    out = codings.copy()
    if segments is not None and "informant" in segments and len(out):
        ids = segments.set_index("segment_id")["informant"]
        out["informant"] = out["segment_id"].map(ids)
        out["informant"] = out["informant"].where(out["informant"].fillna("") != "", out["speaker"])
    else:
        out["informant"] = out["speaker"]
    return out


def attach_rows(codings: pd.DataFrame, rows: str, segments=None, cases=None) -> pd.DataFrame:
    """Add a ``_row`` column holding each coding's row key (a column, ``informant`` or a case attribute)."""
    out = with_informant(codings, segments)
    if rows in out.columns:
        out["_row"] = out[rows]
        return out
    if cases is not None and rows in cases.columns:
        out["_row"] = out["doc_id"].map(cases.drop_duplicates("doc_id").set_index("doc_id")[rows])
        return out
    choices = list(ROW_KINDS_DIRECT) + ["informant"] + ([c for c in cases.columns] if cases is not None else [])
    raise AnalysisError(Errors.A001.format(what="row kind", value=rows, choices=", ".join(dict.fromkeys(choices))))


def segment_rows(segments: pd.DataFrame, rows: str, cases=None) -> pd.DataFrame:
    """The segments table with the same ``_row`` key (for denominators and empty rows)."""
    seg = segments.copy()
    if rows == "informant":
        seg["_row"] = seg["informant"]
    elif rows in seg.columns:
        seg["_row"] = seg[rows]
    elif cases is not None and rows in cases.columns:
        seg["_row"] = seg["doc_id"].map(cases.drop_duplicates("doc_id").set_index("doc_id")[rows])
    else:
        seg["_row"] = np.nan
    return seg


def coded_words(codings: pd.DataFrame, keys: list[str]) -> pd.Series:
    """Words in the union of coded spans per group of ``keys`` (overlaps are not counted twice).

    Spans are merged per document; a merged block's words are its characters times the
    words-per-character of the codings inside it (exact when codings do not overlap).
    """
    if codings.empty:
        return pd.Series(dtype="float64")
    df = codings[keys + ["doc_id", "start", "end", "text"]].copy()
    df["start"], df["end"] = df["start"].astype("int64"), df["end"].astype("int64")
    df["_words"] = df["text"].fillna("").str.split().str.len().astype("float64")
    df = df.drop_duplicates(keys + ["doc_id", "start", "end"]).sort_values(keys + ["doc_id", "start"])
    group = keys + ["doc_id"]
    reach = df.groupby(group, sort=False)["end"].cummax()
    prev_reach = reach.groupby([df[k] for k in group], sort=False).shift(1)
    df["_block"] = (prev_reach.isna() | (df["start"] >= prev_reach)).cumsum()
    blocks = df.groupby(keys + ["_block"], sort=False).agg(
        start=("start", "min"), end=("end", "max"), words=("_words", "sum"))
    chars = df.assign(_chars=df["end"] - df["start"]).groupby(keys + ["_block"], sort=False)["_chars"].sum()
    span = blocks["end"] - blocks["start"]
    blocks["union_words"] = np.where(chars > 0, blocks["words"] * np.minimum(1.0, span / chars.clip(lower=1)), 0.0)
    return blocks.groupby(level=list(range(len(keys))))["union_words"].sum()


def informant_words(segments: pd.DataFrame, key: str = "_row") -> pd.Series:
    inf = segments[segments["role"] == "informant"]
    return inf.groupby(key)["words"].sum().astype("float64")


def frequencies(codings: pd.DataFrame, segments: pd.DataFrame | None = None, level: str = "code",
                cases: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per code (or theme): codings, coded passages, segments, documents, cases, informants,
    words coded and coverage (% of all informant words).

    >>> frequencies(project.codings, level="theme")  # doctest: +SKIP
    """
    if level not in ("code", "theme"):
        raise AnalysisError(Errors.A001.format(what="level", value=level, choices="code, theme"))
    segments, cases = context_tables(codings, segments, cases)
    df = with_informant(codings, segments)
    if df.empty:
        return pd.DataFrame(columns=[level, "codings", "passages", "segments", "documents", "cases", "informants",
                                     "words", "coverage"])
    df["_passage"] = df["doc_id"].astype(str) + "@" + df["start"].astype(str) + "-" + df["end"].astype(str)
    out = df.groupby(level).agg(codings=("code", "size"), passages=("_passage", "nunique"),
                                segments=("segment_id", "nunique"), documents=("doc_id", "nunique"),
                                cases=("case", "nunique"), informants=("informant", "nunique"))
    out["words"] = coded_words(df, [level]).reindex(out.index).fillna(0).round(0)
    if segments is not None:
        total = float(segments.loc[segments["role"] == "informant", "words"].sum())
        out["coverage"] = (out["words"] / total * 100).round(2) if total else np.nan
    else:
        out["coverage"] = np.nan
    return out.reset_index().sort_values("passages", ascending=False, ignore_index=True)


def matrix(codings: pd.DataFrame, rows: str = "case", cols: str = "theme", cell: str = "count", *,
           segments: pd.DataFrame | None = None, cases: pd.DataFrame | None = None, coder=None, source=None,
           role=None, columns: list[str] | None = None) -> pd.DataFrame:
    """A rows × cols matrix of ``cell`` values (see the module docstring for each cell).

    ``rows`` is case, doc_id, informant, speaker, or any case attribute (e.g. ``case_type``
    for municipalities against networks); ``cols`` is theme or code. Filters: coder,
    source and speaker role. Rows known from the segments table appear even when empty.

    >>> matrix(project.codings, rows="case_type", cell="coverage")  # doctest: +SKIP
    """
    if cell not in CELLS:
        raise AnalysisError(Errors.A001.format(what="cell", value=cell, choices=", ".join(CELLS)))
    if cols not in ("theme", "code"):
        raise AnalysisError(Errors.A001.format(what="columns", value=cols, choices="theme, code"))
    segments, cases = context_tables(codings, segments, cases)
    df = attach_rows(filter_codings(codings, coder=coder, source=source, role=role), rows, segments, cases)
    df = df[df["_row"].notna()]
    seg = segment_rows(segments, rows, cases) if segments is not None else None
    row_index = sorted(set(df["_row"]) | (set(seg.loc[seg["role"] == "informant", "_row"].dropna())
                                          if seg is not None else set()), key=str)
    col_index = list(columns) if columns is not None else sorted(set(df[cols]))
    if cell in ("count", "presence", "row_pct", "col_pct"):
        passages = df.drop_duplicates(["_row", cols, "doc_id", "start", "end"])
        values = pd.crosstab(passages["_row"], passages[cols]).astype("float64")
    elif cell == "codings":
        values = pd.crosstab(df["_row"], df[cols]).astype("float64")
    elif cell == "informants":
        values = df.groupby(["_row", cols])["informant"].nunique().unstack(fill_value=0).astype("float64")
    else:  # coverage
        if seg is None:
            raise AnalysisError(Errors.A002.format(detail="coverage needs the segments table: pass "
                                                          "segments=project.segments (or use project.codings)"))
        words = coded_words(df, ["_row", cols]).unstack(fill_value=0.0) if len(df) else pd.DataFrame()
        denominator = informant_words(seg)
        values = words.div(denominator.reindex(words.index), axis=0) * 100
    values = values.reindex(index=row_index, columns=col_index, fill_value=0.0).fillna(0.0)
    if cell == "presence":
        values = (values > 0).astype("int64")
    elif cell == "row_pct":
        values = values.div(values.sum(axis=1).replace(0, np.nan), axis=0).fillna(0) * 100
    elif cell == "col_pct":
        values = values.div(values.sum(axis=0).replace(0, np.nan), axis=1).fillna(0) * 100
    if cell in ("count", "codings", "informants"):
        values = values.astype("int64")
    elif cell != "presence":
        values = values.round(2)
    values.index.name, values.columns.name = rows, cols
    return values
