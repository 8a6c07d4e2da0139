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
from .tables import _codes

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
