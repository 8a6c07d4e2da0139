"""Frozen copy of analysis.matrix and analysis.cooccurrence as of commit ddb0e42 (before the numpy rewrite
for issue 21): the reference that tests/test_matrix_equivalence.py compares the current implementation with.

Do not edit: it is the definition of "the same results". Only the imports were changed (absolute).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from thematic.context import tables_of
from thematic.errors import AnalysisError, Errors
from thematic.types import CODED_ROLES

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


class _Prepared:
    """Integer forms of one codings table, computed once and reused by every matrix of it."""

    def __init__(self, codings: pd.DataFrame):
        self.doc, _ = _codes(codings["doc_id"])
        start, end = codings["start"].to_numpy(np.int64), codings["end"].to_numpy(np.int64)
        width = int(end.max()) + 1 if len(end) else 1
        # one id per distinct (document, start, end) passage
        self.passage = pd.factorize(self.doc * width * width + start * width + end)[0].astype(np.int64) \
            if width < 3_000_000 else pd.MultiIndex.from_arrays([self.doc, start, end]).factorize()[0]
        self.words = word_counts(codings)
        self.order = np.argsort(self.doc * width + start)  # by document, then start: reused by every union
        self.rows: dict = {}  # row kind -> (codes, labels)
        self.first: dict = {}  # column kind -> first occurrence of each (passage, column) pair
        self.informant: np.ndarray | None = None


_PREPARED: dict[int, tuple] = {}


def prepared(codings: pd.DataFrame) -> _Prepared:
    """The cached :class:`_Prepared` of a table (dropped when the table is garbage-collected)."""
    import weakref

    key = id(codings)
    hit = _PREPARED.get(key)
    if hit is not None and hit[0]() is codings and hit[1] == len(codings):
        return hit[2]
    prep = _Prepared(codings)
    _PREPARED[key] = (weakref.ref(codings, lambda _ref, k=key: _PREPARED.pop(k, None)), len(codings), prep)
    return prep


def _codes(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Integer codes and labels of a column (free for categoricals, one factorize otherwise)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(np.int64), pd.Index(values.cat.categories)
    codes, uniques = pd.factorize(values, sort=False)
    return codes.astype(np.int64), pd.Index(uniques)


def _gather(codes: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, pd.Index]:
    """Codes of ``values[codes]`` without building the per-row objects (labels looked up once)."""
    mapped, labels = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    out = np.full(len(codes), -1, dtype=np.int64)
    valid = codes >= 0
    out[valid] = mapped[codes[valid]]
    used = np.unique(out[out >= 0])  # keep only labels some row actually has
    remap = np.full(len(labels) + 1, -1, dtype=np.int64)
    remap[used] = np.arange(len(used))
    return np.where(out >= 0, remap[out], -1), pd.Index(np.asarray(labels, dtype=object)[used])


def row_codes(codings: pd.DataFrame, rows: str, segments=None, cases=None) -> tuple[np.ndarray, pd.Index]:
    """Integer row keys (-1 for none) and their labels: a column, ``informant`` or a case attribute."""
    if rows == "informant":
        return _informant_codes(codings, segments)
    if rows in codings.columns:
        return _codes(codings[rows])
    if cases is not None and rows in cases.columns:
        doc, doc_labels = _codes(codings["doc_id"])
        values = pd.Series(doc_labels, dtype=object).map(cases.drop_duplicates("doc_id").set_index("doc_id")[rows])
        return _gather(doc, values.to_numpy(dtype=object))
    choices = list(ROW_KINDS_DIRECT) + ["informant"] + ([c for c in cases.columns] if cases is not None else [])
    raise AnalysisError(Errors.A001.format(what="row kind", value=rows, choices=", ".join(dict.fromkeys(choices))))


def _informant_codes(codings: pd.DataFrame, segments) -> tuple[np.ndarray, pd.Index]:
    """Informant ids from the segments table, else the speaker label.

    An informant id is fixed by document and speaker (or, without a speaker column, by segment), so
    the few distinct keys are looked up rather than every coding.
    """
    speaker, speaker_labels = _codes(codings["speaker"])
    if segments is None or "informant" not in segments:
        return speaker, speaker_labels
    if "speaker" in segments:
        columns = ["doc_id", "speaker"]
        doc, doc_labels = _codes(codings["doc_id"])
        key = doc * (len(speaker_labels) + 1) + speaker
    else:
        columns = ["segment_id"]
        key, seg_labels = _codes(codings["segment_id"])
    keys, key_index = pd.factorize(key)
    first = np.zeros(len(key_index), dtype=np.int64)
    first[keys[::-1]] = np.arange(len(keys))[::-1]  # a row of each distinct key
    if len(columns) == 2:
        lookup = pd.MultiIndex.from_arrays([np.asarray(doc_labels, dtype=object)[doc[first]],
                                            np.asarray(speaker_labels, dtype=object)[speaker[first]]])
    else:
        lookup = pd.Index(np.asarray(seg_labels, dtype=object)[key[first]])
    known = (segments.loc[segments["role"] == "informant", columns + ["informant"]]
             .astype(object).drop_duplicates(columns))
    known = known[known["informant"].fillna("") != ""]
    index = pd.MultiIndex.from_frame(known[columns]) if len(columns) == 2 else pd.Index(known[columns[0]])
    found = pd.Series(known["informant"].to_numpy(), index=index).reindex(lookup).to_numpy(dtype=object)
    fallback = np.asarray(speaker_labels, dtype=object)[speaker[first]]
    return _gather(keys, np.where(pd.isna(found) | (found == ""), fallback, found))


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


def denominators(segments: pd.DataFrame, rows: str, cases=None) -> tuple[set, pd.Series]:
    """Row labels known from informant speech, and informant words per row (cached per table)."""
    import weakref

    key = (id(segments), rows, id(cases))
    hit = _DENOMINATORS.get(key)
    if hit is not None and hit[0]() is segments:
        return hit[1]
    informant = segments["role"].isin(CODED_ROLES).to_numpy()  # informant speech and documents' text
    keys = segment_keys(segments, rows, cases)[informant]
    words = segments.loc[informant, "words"].astype("float64")
    result = (set(keys.dropna().unique()), words.groupby(keys.to_numpy()).sum())
    _DENOMINATORS[key] = (weakref.ref(segments, lambda _r, k=key: _DENOMINATORS.pop(k, None)), result)
    return result


_DENOMINATORS: dict = {}


def word_counts(codings: pd.DataFrame) -> np.ndarray:
    """Words per coding: the ``words`` column when present (the store provides it), else counted."""
    if "words" in codings:
        return codings["words"].to_numpy(dtype=np.float64)
    return codings["text"].fillna("").astype(str).str.split().str.len().to_numpy(dtype=np.float64)


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
    Computed on integer codes with numpy, so a million codings take well under a second.

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
    if rows not in prep.rows:
        prep.rows[rows] = row_codes(codings, rows, segments, cases)
    r_all, r_labels = prep.rows[rows]
    c_all, c_labels = _codes(codings[cols])
    r, c = (r_all, c_all) if taken is None else (r_all[taken], c_all[taken])
    keep = (r >= 0) & (c >= 0)
    n_r, n_c = len(r_labels), len(c_labels)
    cell_id = r * n_c + c
    if cell in ("count", "presence", "row_pct", "col_pct"):
        # A passage lies in one segment, so its row is fixed: count each (passage, column) pair once.
        if cols not in prep.first:
            pair = prep.passage * (len(c_labels) + 1) + c_all
            prep.first[cols] = ~pd.Series(pair).duplicated().to_numpy()
        first = prep.first[cols] if taken is None else _first_in(prep.passage[taken] * (n_c + 1) + c)
        flat = np.bincount(cell_id[keep & first], minlength=n_r * n_c).astype("float64")
    elif cell == "codings":
        flat = np.bincount(cell_id[keep], minlength=n_r * n_c).astype("float64")
    elif cell == "informants":
        if prep.informant is None:
            prep.informant = row_codes(codings, "informant", segments, cases)[0]
        who = prep.informant if taken is None else prep.informant[taken]
        pairs = pd.unique(cell_id[keep] * (int(who.max()) + 2) + who[keep] + 1)
        flat = np.bincount(pairs // (int(who.max()) + 2), minlength=n_r * n_c).astype("float64")
    else:  # coverage
        ids = np.where(keep, cell_id, n_r * n_c)  # rows without a key go to a spare group
        doc, start, end = prep.doc, codings["start"].to_numpy(), codings["end"].to_numpy()
        words, order = prep.words, prep.order
        if taken is not None:
            doc, start, end, words, order = doc[taken], df["start"].to_numpy(), df["end"].to_numpy(), words[taken], None
        flat = union_words(ids, doc, start, end, words, n_r * n_c + 1, order)[: n_r * n_c]
    values = pd.DataFrame(flat.reshape(n_r, n_c), index=r_labels, columns=c_labels)
    known, words_per_row = denominators(segments, rows, cases) if segments is not None else (set(), None)
    row_index = sorted(set(r_labels) | known, key=str)
    col_index = list(columns) if columns is not None else sorted(c_labels, key=str)
    values = values.reindex(index=row_index, columns=col_index, fill_value=0.0).fillna(0.0)
    if cell == "coverage":
        values = values.div(words_per_row.reindex(values.index), axis=0).fillna(0.0) * 100
    elif cell == "presence":
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


# --- cooccurrence.py as of ddb0e42 ---

MEASURES = ("count", "jaccard", "c")


def _unit_matrix(codings: pd.DataFrame, level: str, window: int):
    """Sparse units × labels matrix of coding counts, and the labels.

    Units are segments, or (window > 0) windows starting at each segment index of a document and
    covering ``window + 1`` segments: a coding at segment j counts in the windows starting at
    j - window ... j. Built on integer codes so a million codings take a fraction of a second.
    """
    from scipy import sparse

    df = codings[codings["segment_id"].fillna("") != ""]
    seg, seg_labels = _codes(df["segment_id"])
    lab, labels = _codes(df[level])
    if window <= 0:
        unit, n_units = seg, len(seg_labels)
    else:
        parts = pd.Series(seg_labels, dtype=object).str.rsplit(":", n=1)
        doc_of, _ = pd.factorize(parts.str[0])
        idx_of = parts.str[1].astype(np.int64).to_numpy()
        doc, idx = doc_of[seg], idx_of[seg]
        shifts = np.arange(window + 1)
        doc = np.repeat(doc, window + 1)
        start = np.repeat(idx, window + 1) - np.tile(shifts, len(idx))
        lab = np.repeat(lab, window + 1)
        keep = start >= 0
        unit, n_units = pd.factorize(pd.MultiIndex.from_arrays([doc[keep], start[keep]]))[0], None
        lab = lab[keep]
        n_units = int(unit.max()) + 1 if len(unit) else 0
    q = sparse.coo_matrix((np.ones(len(unit)), (unit, lab)), shape=(n_units, len(labels))).tocsc()
    return q, list(labels)


def cooccurrence(codings: pd.DataFrame, level: str = "code", window: int = 0, measure: str = "count") -> pd.DataFrame:
    """A symmetric code × code (or theme × theme) matrix; the diagonal holds n1 (units, or codings for c)."""
    if level not in ("code", "theme"):
        raise AnalysisError(Errors.A001.format(what="level", value=level, choices="code, theme"))
    if measure not in MEASURES:
        raise AnalysisError(Errors.A001.format(what="measure", value=measure, choices=", ".join(MEASURES)))
    if codings.empty:
        return pd.DataFrame()
    q, labels = _unit_matrix(codings, level, window)
    if measure == "c":
        # sum over units of min(Q_a, Q_b): one column at a time, on the units where code a occurs.
        n12 = np.zeros((len(labels), len(labels)))
        for a in range(len(labels)):
            rows = q[:, a].nonzero()[0]
            block = q[rows].toarray()
            n12[a] = np.minimum(block[:, [a]], block).sum(axis=0)
    else:
        m = (q > 0).astype("float64")
        n12 = (m.T @ m).toarray()
    if measure == "count":
        out = n12
    else:
        n1 = np.diag(n12)
        denominator = n1[:, None] + n1[None, :] - n12
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.where(denominator > 0, n12 / denominator, 0.0)
        out = np.round(out, 4)
    frame = pd.DataFrame(out, index=labels, columns=labels)
    if measure == "count":
        frame = frame.astype("int64")
    frame.index.name, frame.columns.name = level, level
    return frame
