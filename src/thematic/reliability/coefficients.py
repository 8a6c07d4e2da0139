"""Agreement coefficients over a reliability matrix, as in Krippendorff's papers.

A reliability matrix has one row per coder and one column per unit; values may
be any hashable type; ``None``/NaN marks a missing value. It may be a list of
lists, a NumPy array or a DataFrame.

Well-kept implementations are used where they fit: ``krippendorff`` for alpha,
statsmodels for Fleiss' kappa, scikit-learn for Cohen's kappa. Percent
agreement, Scott's pi and Gwet's AC1 are written here because none of those
libraries has them (AC1 and pi) or handles missing values pairwise (agreement).

Example:
    >>> cohen_kappa([["y", "y", "n", "n"], ["y", "n", "n", "n"]])
    0.5
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np
import pandas as pd

from ..errors import Errors, ReliabilityError

LEVELS = ("nominal", "ordinal", "interval", "ratio")


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def as_matrix(data) -> list[list]:
    """A reliability matrix as a list of rows (coders) of values, ``None`` for missing."""
    if isinstance(data, pd.DataFrame):
        rows = data.to_numpy(dtype=object).tolist()
    elif isinstance(data, np.ndarray):
        rows = data.astype(object).tolist() if data.ndim == 2 else None
    else:
        rows = [list(r) for r in data]
    if not rows or any(len(r) != len(rows[0]) for r in rows):
        raise ReliabilityError(Errors.R001.format(detail="a reliability matrix needs one row per coder, all the same "
                                                         "length (one column per unit)"))
    if len(rows) < 2:
        raise ReliabilityError(Errors.R001.format(detail=f"agreement needs at least two coders, got {len(rows)}"))
    return [[None if _missing(v) else v for v in row] for row in rows]


def _pairable_units(rows: list[list]) -> list[list]:
    """Columns (units) with at least two values, each as the list of its non-missing values."""
    units = [[row[j] for row in rows if row[j] is not None] for j in range(len(rows[0]))]
    units = [u for u in units if len(u) >= 2]
    if not units:
        raise ReliabilityError(Errors.R001.format(detail="no unit was coded by two or more coders"))
    return units


def _two(data) -> tuple[list, list]:
    rows = as_matrix(data)
    if len(rows) != 2:
        raise ReliabilityError(Errors.R001.format(detail=f"this coefficient is for two coders, got {len(rows)}; "
                                                         "use fleiss_kappa, krippendorff_alpha or gwet_ac1"))
    pairs = [(a, b) for a, b in zip(*rows) if a is not None and b is not None]
    if not pairs:
        raise ReliabilityError(Errors.R001.format(detail="no unit was coded by both coders"))
    return [a for a, _ in pairs], [b for _, b in pairs]


def percent_agreement(data) -> float:
    """Share of agreeing coder pairs per unit, averaged over units with two or more values.

    For two coders this is the share of units coded alike.

    >>> percent_agreement([[1, 1, 0, None], [1, 0, 0, 1]])
    0.6666666666666666
    """
    units = _pairable_units(as_matrix(data))
    scores = []
    for u in units:
        n = len(u)
        counts = pd.Series(u).value_counts().to_numpy()
        scores.append(float((counts * (counts - 1)).sum()) / (n * (n - 1)))
    return float(np.mean(scores))


def cohen_kappa(data) -> float:
    """Cohen's kappa for two coders: κ = (p_o − p_e) / (1 − p_e), with each coder's own marginals.

    Reference: Cohen, J. (1960). A coefficient of agreement for nominal scales.
    """
    from sklearn.metrics import cohen_kappa_score

    a, b = _two(data)
    labels = sorted({*a, *b}, key=str)
    if len(labels) == 1:
        return 1.0  # both coders used one category for every unit: perfect, kappa undefined (0/0)
    index = {v: i for i, v in enumerate(labels)}
    return float(cohen_kappa_score([index[x] for x in a], [index[x] for x in b]))


def scott_pi(data) -> float:
    """Scott's pi for two coders: like kappa, but p_e from the pooled marginals.

    Reference: Scott, W. A. (1955). Reliability of content analysis.

    >>> round(scott_pi([["y"] * 20 + ["y"] * 5 + ["n"] * 10 + ["n"] * 15,
    ...                 ["y"] * 20 + ["n"] * 5 + ["y"] * 10 + ["n"] * 15]), 4)
    0.3939
    """
    a, b = _two(data)
    p_o = float(np.mean([x == y for x, y in zip(a, b)]))
    pooled = pd.Series(a + b).value_counts(normalize=True)
    p_e = float((pooled ** 2).sum())
    return 1.0 if p_e == 1 else (p_o - p_e) / (1 - p_e)


def fleiss_kappa(data) -> float:
    """Fleiss' kappa for any number of coders (units coded by every coder only).

    Reference: Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters.
    """
    from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa as sm_fleiss

    rows = as_matrix(data)
    complete = [j for j in range(len(rows[0])) if all(r[j] is not None for r in rows)]
    if not complete:
        raise ReliabilityError(Errors.R001.format(detail="Fleiss' kappa needs units coded by every coder"))
    labels = sorted({r[j] for r in rows for j in complete}, key=str)
    index = {v: i for i, v in enumerate(labels)}
    subjects = np.array([[index[r[j]] for r in rows] for j in complete])
    table, _ = aggregate_raters(subjects, n_cat=len(labels))
    if len(labels) == 1:
        return 1.0
    return float(sm_fleiss(table, method="fleiss"))


def krippendorff_alpha(data, level: str = "nominal") -> float:
    """Krippendorff's alpha at the ``nominal``, ``ordinal``, ``interval`` or ``ratio`` level; handles missing values.

    Reference: Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability.

    >>> round(krippendorff_alpha([[0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]]), 3)
    0.095
    """
    import krippendorff

    if level not in LEVELS:
        raise ReliabilityError(Errors.R001.format(detail=f"level must be one of {', '.join(LEVELS)}, got '{level}'"))
    rows = as_matrix(data)
    values = sorted({v for r in rows for v in r if v is not None}, key=str)
    if level == "nominal":
        index = {v: float(i) for i, v in enumerate(values)}
        array = np.array([[np.nan if v is None else index[v] for v in r] for r in rows], dtype=float)
        domain = sorted(index.values())
    else:
        if not all(isinstance(v, (int, float, np.number)) and not isinstance(v, bool) for v in values):
            raise ReliabilityError(Errors.R001.format(detail=f"{level} alpha needs numeric values; got "
                                                             f"{', '.join(map(str, values[:5]))}"))
        array = np.array([[np.nan if v is None else float(v) for v in r] for r in rows], dtype=float)
        domain = sorted(float(v) for v in values)
    _pairable_units(rows)
    if len(values) == 1:
        return 1.0
    return float(krippendorff.alpha(reliability_data=array, level_of_measurement=level, value_domain=domain))


def gwet_ac1(data) -> float:
    """Gwet's AC1 for any number of coders: (p_a − p_e) / (1 − p_e) with p_e = Σ π_k(1 − π_k) / (q − 1).

    Reference: Gwet, K. L. (2008). Computing inter-rater reliability and its variance in the presence of
    high agreement. British Journal of Mathematical and Statistical Psychology 61, 29–48.
    """
    rows = as_matrix(data)
    units = _pairable_units(rows)
    categories = sorted({v for u in units for v in u}, key=str)
    q = len(categories)
    p_a = percent_agreement(rows)
    if q == 1:
        return 1.0
    pi = np.zeros(q)
    for u in units:
        counts = pd.Series(u).value_counts()
        for k, c in enumerate(categories):
            pi[k] += counts.get(c, 0) / len(u)
    pi /= len(units)
    p_e = float((pi * (1 - pi)).sum() / (q - 1))
    return (p_a - p_e) / (1 - p_e)


def bootstrap_ci(fn: Callable, data, *, n: int = 1000, level: float = 0.95, seed: int = 0) -> tuple[float, float, float]:
    """The coefficient and a percentile bootstrap interval, resampling units (columns).

    >>> est, low, high = bootstrap_ci(percent_agreement, [[1, 0, 1, 1], [1, 0, 0, 1]], n=200)
    >>> low <= est <= high
    True
    """
    rows = as_matrix(data)
    estimate = fn(rows)
    rng = np.random.default_rng(seed)
    m = len(rows[0])
    values = []
    for _ in range(n):
        cols = rng.integers(0, m, m)
        try:
            value = fn([[r[j] for j in cols] for r in rows])
        except ReliabilityError:
            continue
        if not math.isnan(value):
            values.append(value)
    if not values:
        return estimate, float("nan"), float("nan")
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(values, [tail, 100 - tail])
    return estimate, float(low), float(high)
