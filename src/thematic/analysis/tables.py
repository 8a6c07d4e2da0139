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

from ..context import tables_of
from ..errors import AnalysisError, Errors
from ..types import CODED_ROLES
from .arrays import Passages, codes_of, distinct, gather, informant_codes, integral, prepared, word_counts

CELLS = ("count", "codings", "coverage", "presence", "informants", "row_pct", "col_pct")
ROW_KINDS_DIRECT = ("case", "doc_id", "speaker", "code", "theme", "coder", "source")


def context_tables(codings: pd.DataFrame, segments: pd.DataFrame | None = None,
                   cases: pd.DataFrame | None = None) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """Segments and cases given explicitly, else carried in ``codings.attrs`` (see ``thematic.context``)."""
    carried_segments, carried_cases = tables_of(codings)
    return (segments if segments is not None else carried_segments,
            cases if cases is not None else carried_cases)


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    """The table with categorical columns as plain objects (for string work on small tables)."""
    kinds = {c: object for c, t in frame.dtypes.items() if isinstance(t, pd.CategoricalDtype)}
    out = frame.astype(kinds) if kinds else frame.copy(deep=False)
    out.attrs = {}
    return out


def filter_codings(codings: pd.DataFrame, *, coder=None, source=None, role=None) -> pd.DataFrame:
    """Keep codings by coder, source (rule, manual, accepted, ...) and speaker role; each may be a list."""
    if coder is None and source is None and role is None:
        return codings  # no copy of a million rows when nothing is filtered
    mask = pd.Series(True, index=codings.index)
    for column, wanted in (("coder", coder), ("source", source), ("role", role)):
        if wanted is not None:
            wanted = [wanted] if isinstance(wanted, str) else list(wanted)
            mask &= codings[column].isin(wanted)
    return codings[mask]


_codes, _gather = codes_of, gather  # the names other modules imported before arrays.py


def row_codes(codings: pd.DataFrame, rows: str, segments=None, cases=None) -> tuple[np.ndarray, pd.Index]:
    """Integer row keys (-1 for none) and their labels: a column, ``informant`` or a case attribute."""
    if rows == "informant":
        return informant_codes(codings, segments)
    if rows in codings.columns:
        return prepared(codings).codes(rows)
    if cases is not None and rows in cases.columns:
        doc, doc_labels = prepared(codings).codes("doc_id")
        values = pd.Series(doc_labels, dtype=object).map(cases.drop_duplicates("doc_id").set_index("doc_id")[rows])
        return _gather(doc, values.to_numpy(dtype=object))
    choices = list(ROW_KINDS_DIRECT) + ["informant"] + ([c for c in cases.columns] if cases is not None else [])
    raise AnalysisError(Errors.A001.format(what="row kind", value=rows, choices=", ".join(dict.fromkeys(choices))))


def _labels(codes: np.ndarray, labels: pd.Index, index) -> pd.Series:
    values = np.asarray(labels, dtype=object)[np.maximum(codes, 0)] if len(labels) else np.full(len(codes), None)
    return pd.Series(np.where(codes >= 0, values, None), index=index, dtype=object)


def row_keys(codings: pd.DataFrame, rows: str, segments=None, cases=None) -> pd.Series:
    """Each coding's row key (None where it has none): a column, ``informant`` or a case attribute."""
    return _labels(*row_codes(codings, rows, segments, cases), codings.index)


def informant_column(codings: pd.DataFrame, segments: pd.DataFrame | None) -> pd.Series:
    """Informant id per coding (from the segments table, else the speaker)."""
    return row_keys(codings, "informant", segments)


def with_informant(codings: pd.DataFrame, segments: pd.DataFrame | None) -> pd.DataFrame:
    """Add an ``informant`` column (informant id from the segments table, else the speaker)."""
    return codings.assign(informant=informant_column(codings, segments))


def attach_rows(codings: pd.DataFrame, rows: str, segments=None, cases=None) -> pd.DataFrame:
    """Add ``informant`` and ``_row`` (each coding's row key) columns."""
    out = with_informant(codings, segments)
    out["_row"] = out["informant"] if rows == "informant" else row_keys(codings, rows, segments, cases).to_numpy()
    return out


def segment_keys(segments: pd.DataFrame, rows: str, cases=None) -> pd.Series:
    if rows == "informant":
        return segments["informant"]
    if rows in segments.columns:
        return segments[rows]
    if cases is not None and rows in cases.columns:
        return segments["doc_id"].map(cases.drop_duplicates("doc_id").set_index("doc_id")[rows])
    return pd.Series(np.nan, index=segments.index)


def _segment_codes(segments: pd.DataFrame, rows: str, cases=None) -> tuple[np.ndarray, pd.Index] | None:
    """Integer row keys of the segments (as :func:`segment_keys`) where they come from a categorical column."""
    if rows == "informant" or rows in segments.columns:
        column = segments["informant" if rows == "informant" else rows]
        return codes_of(column) if isinstance(column.dtype, pd.CategoricalDtype) else None
    if cases is not None and rows in cases.columns and isinstance(segments["doc_id"].dtype, pd.CategoricalDtype):
        doc, doc_labels = codes_of(segments["doc_id"])
        values = pd.Series(doc_labels, dtype=object).map(cases.drop_duplicates("doc_id").set_index("doc_id")[rows])
        return gather(doc, values.to_numpy(dtype=object))
    return None


def denominators(segments: pd.DataFrame, rows: str, cases=None) -> tuple[set, pd.Series]:
    """Row labels known from informant speech, and informant words per row (cached per table)."""
    import weakref

    key = (id(segments), rows, id(cases))
    hit = _DENOMINATORS.get(key)
    if hit is not None and hit[0]() is segments:
        return hit[1]
    informant, words, whole = _coded_words(segments)
    coded = _segment_codes(segments, rows, cases)
    if coded is not None and whole:  # per-code sums of whole numbers: exact, so equal to groupby's
        codes, labels = coded
        keep = informant & (codes >= 0)
        present = np.bincount(codes[keep], minlength=len(labels)) > 0
        sums = np.bincount(codes[keep], weights=np.nan_to_num(words[keep]), minlength=len(labels))
        result = (set(labels[present]), pd.Series(sums[present], index=labels[present]).sort_index())
    else:
        keys = segment_keys(segments, rows, cases)[informant]
        result = (set(keys.dropna().unique()), pd.Series(words[informant]).groupby(keys.to_numpy()).sum())
    _DENOMINATORS[key] = (weakref.ref(segments, lambda _r, k=key: _DENOMINATORS.pop(k, None)), result)
    return result


_DENOMINATORS: dict = {}


def _coded_words(segments: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, bool]:
    """Which segments are coded speech, their words as floats, and whether those are whole numbers (cached)."""
    import weakref

    key = ("words", id(segments))
    hit = _DENOMINATORS.get(key)
    if hit is not None and hit[0]() is segments:
        return hit[1]
    informant = segments["role"].isin(CODED_ROLES).to_numpy()  # informant speech and documents' text
    words = segments["words"].astype("float64").to_numpy()
    result = (informant, words, integral(words[informant & ~np.isnan(words)]))
    _DENOMINATORS[key] = (weakref.ref(segments, lambda _r, k=key: _DENOMINATORS.pop(k, None)), result)
    return result


def union_words(group: np.ndarray, doc: np.ndarray, start: np.ndarray, end: np.ndarray,
                words: np.ndarray, n_groups: int, order: np.ndarray | None = None) -> np.ndarray:
    """Words in the union of coded spans per group (overlaps within a document counted once).

    Spans are merged per (group, document); a merged block's words are its words times
    min(1, block length / summed span lengths), which is exact when spans do not overlap.
    Hand-written with numpy because interval union per group has no vectorised pandas form.
    """
    if len(group) == 0:
        return np.zeros(n_groups)
    if order is None:
        order = np.lexsort((start, doc, group))
    else:  # rows already sorted by (doc, start): a stable sort by group keeps that order inside groups
        small = group[order].astype(np.int16 if n_groups < 32_000 else np.int64)
        order = order[np.argsort(small, kind="stable")]  # radix sort for 16-bit keys
    g, d, s, e, w = group[order], doc[order], start[order].astype(np.int64), end[order].astype(np.int64), words[order]
    new_key = np.ones(len(g), dtype=bool)
    new_key[1:] = (g[1:] != g[:-1]) | (d[1:] != d[:-1])
    key_id = np.cumsum(new_key) - 1
    span = int(e.max()) + 1
    reach = np.maximum.accumulate(e + key_id * span) - key_id * span  # running max of end inside each key
    new_block = new_key.copy()
    new_block[1:] |= s[1:] >= reach[:-1]
    first = np.flatnonzero(new_block)
    block_start = s[first]
    block_end = np.maximum.reduceat(e, first)
    block_words = np.add.reduceat(w, first)
    block_chars = np.add.reduceat(e - s, first)
    fraction = np.minimum(1.0, (block_end - block_start) / np.maximum(block_chars, 1))
    return np.bincount(g[first], weights=block_words * fraction, minlength=n_groups)


def coded_words(codings: pd.DataFrame, keys: list[str]) -> pd.Series:
    """Words in the union of coded spans per group of ``keys`` (overlaps are not counted twice)."""
    if codings.empty:
        return pd.Series(dtype="float64")
    grouped = codings.groupby(keys, sort=True, observed=True).ngroup().to_numpy(np.int64)
    index = codings.groupby(keys, sort=True, observed=True).size().index
    doc, _ = _codes(codings["doc_id"])
    totals = union_words(grouped, doc, codings["start"].to_numpy(), codings["end"].to_numpy(),
                         word_counts(codings), len(index))
    return pd.Series(totals, index=index)


def frequencies(codings: pd.DataFrame, segments: pd.DataFrame | None = None, level: str = "code",
                cases: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per code (or theme): codings, coded passages, segments, documents, cases, informants,
    words coded and coverage (% of all informant words).

    >>> frequencies(project.codings, level="theme")  # doctest: +SKIP
    """
    if level not in ("code", "theme"):
        raise AnalysisError(Errors.A001.format(what="level", value=level, choices="code, theme"))
    segments, cases = context_tables(codings, segments, cases)
    df = codings.assign(informant=informant_column(codings, segments)) if len(codings) else codings
    if df.empty:
        return pd.DataFrame(columns=[level, "codings", "passages", "segments", "documents", "cases", "informants",
                                     "words", "coverage"])
    df["_passage"] = df["doc_id"].astype(str) + "@" + df["start"].astype(str) + "-" + df["end"].astype(str)
    out = df.groupby(level).agg(codings=("code", "size"), passages=("_passage", "nunique"),
                                segments=("segment_id", "nunique"), documents=("doc_id", "nunique"),
                                cases=("case", "nunique"), informants=("informant", "nunique"))
    out["words"] = coded_words(df, [level]).reindex(out.index).fillna(0).round(0)
    if segments is not None:
        total = float(segments.loc[segments["role"].isin(CODED_ROLES), "words"].sum())
        out["coverage"] = (out["words"] / total * 100).round(2) if total else np.nan
    else:
        out["coverage"] = np.nan
    return out.reset_index().sort_values("passages", ascending=False, ignore_index=True)


def _first_in(keys: np.ndarray) -> np.ndarray:
    return ~pd.Series(keys).duplicated().to_numpy()


def matrix(codings: pd.DataFrame, rows: str = "case", cols: str = "theme", cell: str = "count", *,
           segments: pd.DataFrame | None = None, cases: pd.DataFrame | None = None, coder=None, source=None,
           role=None, columns: list[str] | None = None) -> pd.DataFrame:
    """A rows × cols matrix of ``cell`` values (see the module docstring for each cell).

    ``rows`` is case, doc_id, informant, speaker, or any case attribute (e.g. ``case_type``
    for municipalities against networks); ``cols`` is theme or code. Filters: coder,
    source and speaker role. Rows known from the segments table appear even when empty.
    Computed on integer codes with numpy (see ``thematic.analysis.arrays``): a million codings take
    well under a second for the first matrix and a few milliseconds for each further one.

    >>> matrix(project.codings, rows="case_type", cell="coverage")  # doctest: +SKIP
    """
    if cell not in CELLS:
        raise AnalysisError(Errors.A001.format(what="cell", value=cell, choices=", ".join(CELLS)))
    if cols not in ("theme", "code"):
        raise AnalysisError(Errors.A001.format(what="columns", value=cols, choices="theme, code"))
    segments, cases = context_tables(codings, segments, cases)
    if cell == "coverage" and segments is None:
        raise AnalysisError(Errors.A002.format(detail="coverage needs the segments table: pass "
                                                      "segments=project.segments (or use project.codings)"))
    df = filter_codings(codings, coder=coder, source=source, role=role)
    prep = prepared(codings)
    taken = None if df is codings else codings.index.get_indexer(df.index)
    row_key = (rows, id(segments), id(cases))
    if row_key not in prep.rows:
        prep.rows[row_key] = row_codes(codings, rows, segments, cases)
    r_all, r_labels = prep.rows[row_key]
    c_all, c_labels = prep.codes(cols)
    n_r, n_c = len(r_labels), len(c_labels)
    flat = None
    if taken is None and n_r and n_c:
        flat = _by_document(prep, codings, row_key, r_all, n_r, c_all, cols, cell, segments, cases)
    if flat is None:
        flat = _by_coding(prep, codings, df, taken, r_all, n_r, c_all, n_c, cols, cell, segments, cases)
    known, words_per_row = denominators(segments, rows, cases) if segments is not None else (set(), None)
    row_index = pd.Index(sorted(set(r_labels) | known, key=str))
    col_index = pd.Index(list(columns) if columns is not None else sorted(c_labels, key=str))
    values = _reindexed(flat.reshape(n_r, n_c), r_labels, c_labels, row_index, col_index)
    with np.errstate(divide="ignore", invalid="ignore"):
        if cell == "coverage":
            per_row = words_per_row.reindex(row_index).to_numpy(np.float64)
            values = _nan_to_zero(values / per_row[:, None]) * 100
        elif cell == "row_pct":
            total = values.sum(axis=1)
            values = _nan_to_zero(values / np.where(total == 0, np.nan, total)[:, None]) * 100
        elif cell == "col_pct":
            total = values.sum(axis=0)
            values = _nan_to_zero(values / np.where(total == 0, np.nan, total)[None, :]) * 100
    if cell == "presence":
        values = (values > 0).astype("int64")
    elif cell in ("count", "codings", "informants"):
        values = values.astype("int64")
    else:
        values = values.round(2)
    out = pd.DataFrame(values, index=row_index, columns=col_index)
    out.index.name, out.columns.name = rows, cols
    return out


def _nan_to_zero(values: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(values), 0.0, values)  # as fillna(0): infinities stay


def _reindexed(values: np.ndarray, r_labels: pd.Index, c_labels: pd.Index, row_index: pd.Index,
               col_index: pd.Index) -> np.ndarray:
    """``values`` (labelled r_labels x c_labels) on the target labels, 0 where a label has no values."""
    out = np.zeros((len(row_index), len(col_index)))
    rows = pd.Index(r_labels).get_indexer(row_index) if len(r_labels) else np.full(len(row_index), -1)
    cols = pd.Index(c_labels).get_indexer(col_index) if len(c_labels) else np.full(len(col_index), -1)
    have_r, have_c = np.flatnonzero(rows >= 0), np.flatnonzero(cols >= 0)
    out[np.ix_(have_r, have_c)] = values[np.ix_(rows[have_r], cols[have_c])]
    return out


def _by_document(prep, codings, row_key, r_all, n_r, c_all, cols, cell, segments, cases) -> np.ndarray | None:
    """The flat cell values from per-document figures, when every coding's row is fixed by its document
    (case, doc_id, case attributes) and the spans allow it; else None."""
    lut = prep.by_document(row_key, r_all)
    passages = prep.passages(cols) if lut is not None else None
    if passages is None:
        return None
    n_c = passages.n_col
    cell_of = lut[None, :] * n_c + np.arange(n_c)[:, None]  # (column, document) -> cell
    use = (lut >= 0)[None, :] & np.ones((n_c, 1), dtype=bool)
    if cell in ("count", "presence", "row_pct", "col_pct"):
        return np.bincount(cell_of[use], weights=passages.passages[use], minlength=n_r * n_c)
    if cell == "codings":
        return np.bincount(cell_of[use], weights=passages.codings[use], minlength=n_r * n_c)
    if cell == "informants":
        who = _informants(prep, codings, segments, cases)
        triples, n_who = passages.triples(c_all, prep.doc, who)
        group, person = triples // n_who, triples % n_who
        col, doc = group // passages.n_doc - 1, group % passages.n_doc
        keep = (col >= 0) & (lut[doc] >= 0)
        pairs = np.unique((lut[doc[keep]] * n_c + col[keep]) * n_who + person[keep])
        return np.bincount(pairs // n_who, minlength=n_r * n_c).astype("float64")
    if passages.blocks is None:  # coverage over spans whose order would matter: the general path
        return None
    col, doc, value = passages.blocks
    row = lut[doc]
    if (lut < 0).any() or (col < 0).any():
        keep = (col >= 0) & (row >= 0)
        row, col, value = row[keep], col[keep], value[keep]
    return np.bincount(row * n_c + col, weights=value, minlength=n_r * n_c)


def _informants(prep, codings, segments, cases) -> np.ndarray:
    if id(segments) not in prep.informant:
        prep.informant[id(segments)] = row_codes(codings, "informant", segments, cases)[0]
    return prep.informant[id(segments)]


def _by_coding(prep, codings, df, taken, r_all, n_r, c_all, n_c, cols, cell, segments, cases) -> np.ndarray:
    """The flat cell values computed over the codings themselves (any row kind, filtered tables)."""
    r, c = (r_all, c_all) if taken is None else (r_all[taken], c_all[taken])
    keep = (r >= 0) & (c >= 0)
    cell_id = r * n_c + c
    if cell in ("count", "presence", "row_pct", "col_pct"):
        # A passage lies in one segment, so its row is fixed: count each (passage, column) pair once.
        if cols not in prep.first:
            pair = prep.passage * (n_c + 1) + c_all
            prep.first[cols] = ~pd.Series(pair).duplicated().to_numpy()
        first = prep.first[cols] if taken is None else _first_in(prep.passage[taken] * (n_c + 1) + c)
        return np.bincount(cell_id[keep & first], minlength=n_r * n_c).astype("float64")
    if cell == "codings":
        return np.bincount(cell_id[keep], minlength=n_r * n_c).astype("float64")
    if cell == "informants":
        who = _informants(prep, codings, segments, cases)
        who = who if taken is None else who[taken]
        if not keep.any():
            return np.zeros(n_r * n_c)
        n_who = int(who.max()) + 2
        pairs = pd.unique(cell_id[keep] * n_who + who[keep] + 1)
        return np.bincount(pairs // n_who, minlength=n_r * n_c).astype("float64")
    ids = np.where(keep, cell_id, n_r * n_c)  # coverage: rows without a key go to a spare group
    doc, start, end, words = prep.doc, prep.array("start"), prep.array("end"), prep.array("words")
    order = prep.order
    if taken is not None:
        doc, start, end, words, order = doc[taken], start[taken], end[taken], words[taken], None
    return union_words(ids, doc, start, end, words, n_r * n_c + 1, order)[: n_r * n_c]
