"""Code co-occurrence: counts, Jaccard and ATLAS.ti's c-coefficient.

Units are segments (``window=0``) or windows of ``window + 1`` consecutive
segments of one document. With ``P`` the unit × code presence matrix and ``Q``
the unit × code count of codings:
    count    n12 = units holding both codes (P^T P)
    jaccard  n12 / (n1 + n2 - n12) on units
    c        c = n12 / (n1 + n2 - n12) with ATLAS.ti's counts: n1, n2 codings (quotations) of
             each code and n12 co-occurring codings, each paired at most once per unit
             (sum over units of min(Q_a, Q_b)), so 0 <= c <= 1; equals Jaccard when no unit
             holds a code twice.

Example:
    >>> cooccurrence(project.codings, level="theme", measure="c")  # doctest: +SKIP
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import AnalysisError, Errors
from .arrays import DENSE, codes_of, prepared

MEASURES = ("count", "jaccard", "c")


def _placed(codings: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, pd.Index]:
    """Rows with a segment (unplaced codings have segment_id ""), their segment codes and the segment labels."""
    seg, seg_labels = prepared(codings).codes("segment_id")
    if isinstance(codings.dtypes["segment_id"], pd.CategoricalDtype):
        empty = np.flatnonzero(np.asarray(seg_labels == "", dtype=bool))  # no hash table of every label
        rows = np.flatnonzero((seg >= 0) & (seg != empty[0])) if len(empty) else np.flatnonzero(seg >= 0)
    else:
        rows = np.flatnonzero((codings["segment_id"].fillna("") != "").to_numpy())
    return rows, (seg if len(rows) == len(seg) else seg[rows]), seg_labels


def _units(codings: pd.DataFrame, level: str, window: int):
    """Each placed coding's units (one row per unit it falls in), its label's code, the unit and label counts.

    Units are segments, or (window > 0) windows starting at each segment index of a document and
    covering ``window + 1`` segments: a coding at segment j counts in the windows starting at
    j - window ... j. Codings without a label (missing theme) are left out.
    """
    rows, seg, seg_labels = _placed(codings)
    if isinstance(codings.dtypes[level], pd.CategoricalDtype):
        lab, labels = prepared(codings).codes(level)
        lab = lab if len(rows) == len(lab) else lab[rows]
    else:  # labels in order of first appearance among placed codings, as before
        lab, labels = codes_of(codings[level].iloc[rows])
    if window <= 0:
        unit, n_units = seg, len(seg_labels)
    else:
        used = np.unique(seg)
        parts = pd.Series(np.asarray(seg_labels, dtype=object)[used]).astype(str).str.rsplit(":", n=1)
        index = pd.to_numeric(parts.str[1], errors="coerce")
        doc_of = np.full(len(seg_labels), -1, dtype=np.int64)
        idx_of = np.full(len(seg_labels), -1, dtype=np.int64)
        ok = index.notna().to_numpy() & (parts.str.len() == 2).to_numpy()  # "doc:index"; others have no window
        doc_of[used[ok]] = pd.factorize(parts.str[0][ok])[0]
        idx_of[used[ok]] = index[ok].astype(np.int64).to_numpy()
        doc, idx = doc_of[seg], idx_of[seg]
        doc = np.repeat(doc, window + 1)
        start = np.repeat(idx, window + 1) - np.tile(np.arange(window + 1), len(idx))
        lab = np.repeat(lab, window + 1)
        keep = (start >= 0) & (doc >= 0)
        unit = pd.factorize(pd.MultiIndex.from_arrays([doc[keep], start[keep]]))[0] if keep.any() else \
            np.zeros(0, dtype=np.int64)
        lab = lab[keep]
        n_units = int(unit.max()) + 1 if len(unit) else 0
    have = lab >= 0
    return unit[have].astype(np.int64), lab[have], n_units, list(labels)


def _n12(unit: np.ndarray, lab: np.ndarray, n_units: int, n_labels: int, measure: str) -> np.ndarray:
    """Co-occurrence counts (see the module docstring): dense numpy when units x labels is small, else sparse."""
    if measure != "c" and 0 < n_labels <= 12:
        # few labels: each unit's set of labels as a bit mask, units counted per mask, pairs read off the masks
        mask = np.zeros(n_units, dtype=np.int64)
        np.bitwise_or.at(mask, unit, np.left_shift(1, lab))
        per_mask = np.bincount(mask, minlength=1 << n_labels)
        bits = (np.arange(1 << n_labels)[:, None] >> np.arange(n_labels)[None, :]) & 1
        return (bits.T * per_mask) @ bits.astype(np.float64)  # whole numbers: exact in float64
    if n_units * n_labels <= DENSE:
        q = np.bincount(unit * n_labels + lab, minlength=n_units * n_labels).reshape(n_units, n_labels)
        if measure == "c":
            n12 = np.zeros((n_labels, n_labels))
            for a in range(n_labels):
                block = q[q[:, a] > 0]
                n12[a] = np.minimum(block[:, [a]], block).sum(axis=0)
            return n12
        m = q[(q > 0).any(axis=1)] > 0
        m = m.astype("float64")
        return m.T @ m  # whole numbers: exact in float64
    from scipy import sparse

    q = sparse.coo_matrix((np.ones(len(unit)), (unit, lab)), shape=(n_units, n_labels)).tocsc()
    if measure == "c":
        # sum over units of min(Q_a, Q_b): one column at a time, on the units where code a occurs.
        n12 = np.zeros((n_labels, n_labels))
        for a in range(n_labels):
            rows = q[:, a].nonzero()[0]
            block = q[rows].toarray()
            n12[a] = np.minimum(block[:, [a]], block).sum(axis=0)
        return n12
    m = (q > 0).astype("float64")
    return (m.T @ m).toarray()


def cooccurrence(codings: pd.DataFrame, level: str = "code", window: int = 0, measure: str = "count") -> pd.DataFrame:
    """A symmetric code × code (or theme × theme) matrix; the diagonal holds n1 (units, or codings for c)."""
    if level not in ("code", "theme"):
        raise AnalysisError(Errors.A001.format(what="level", value=level, choices="code, theme"))
    if measure not in MEASURES:
        raise AnalysisError(Errors.A001.format(what="measure", value=measure, choices=", ".join(MEASURES)))
    if codings.empty:
        return pd.DataFrame()
    unit, lab, n_units, labels = _units(codings, level, window)
    n12 = _n12(unit, lab, n_units, len(labels), measure)
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
