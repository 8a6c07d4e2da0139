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

MEASURES = ("count", "jaccard", "c")


def _units(codings: pd.DataFrame, level: str, window: int) -> pd.DataFrame:
    df = codings[codings["segment_id"].fillna("") != ""]
    idx = df["segment_id"].str.rsplit(":", n=1).str[-1].astype("int64")
    counts = pd.crosstab([df["doc_id"], idx.rename("idx")], df[level])
    if window <= 0:
        return counts
    frames = []
    for doc_id, block in counts.groupby(level=0):
        block = block.droplevel(0)
        full = block.reindex(range(int(block.index.min()), int(block.index.max()) + 1), fill_value=0)
        # Window starting at each segment: that segment and the next `window` ones.
        rolled = full[::-1].rolling(window + 1, min_periods=1).sum()[::-1]
        rolled.index = pd.MultiIndex.from_product([[doc_id], rolled.index], names=["doc_id", "idx"])
        frames.append(rolled)
    return pd.concat(frames)


def cooccurrence(codings: pd.DataFrame, level: str = "code", window: int = 0, measure: str = "count") -> pd.DataFrame:
    """A symmetric code × code (or theme × theme) matrix; the diagonal holds n1 (units, or codings for c)."""
    if level not in ("code", "theme"):
        raise AnalysisError(Errors.A001.format(what="level", value=level, choices="code, theme"))
    if measure not in MEASURES:
        raise AnalysisError(Errors.A001.format(what="measure", value=measure, choices=", ".join(MEASURES)))
    if codings.empty:
        return pd.DataFrame()
    counts = _units(codings, level, window)
    labels = list(counts.columns)
    q = counts.to_numpy(dtype="float64")
    if measure == "c":
        # min(Q_a, Q_b) per unit: one column at a time keeps memory at units x codes.
        n12 = np.stack([np.minimum(q[:, [a]], q).sum(axis=0) for a in range(q.shape[1])])
    else:
        m = (q > 0).astype("float64")
        n12 = m.T @ m
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
