"""Agreement coefficients over a reliability matrix, as in Krippendorff's papers.

A reliability matrix has one row per coder and one column per unit; values may
be any hashable type; ``None``/NaN marks a missing value. It may be a list of
lists, a NumPy array or a DataFrame.

Well-kept implementations are used where they fit: ``krippendorff`` for alpha and
scikit-learn for Cohen's kappa. Percent agreement, Scott's pi, Fleiss' kappa and
Gwet's AC1/AC2 are written here, following Gwet (2014) as the irrCAC package does,
because no Python library has AC1/AC2 or treats missing ratings that way (units
rated by two or more coders for agreement, every rated unit for prevalence).
The tests check each against the values irrCAC's documentation prints.

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

    With missing ratings, as Gwet (2014) and irrCAC treat them: agreement over the units both
    coders rated, the pooled prevalences over every unit either rated (Scott's pi is then
    Fleiss' kappa for two coders). On irrCAC's ``cont3x3abstractors`` table its documentation
    prints π = 0.7962397.

    Reference: Scott, W. A. (1955). Reliability of content analysis: the case of nominal scale coding.
    Public Opinion Quarterly 19, 321–325.

    >>> round(scott_pi([["y"] * 20 + ["y"] * 5 + ["n"] * 10 + ["n"] * 15,
    ...                 ["y"] * 20 + ["n"] * 5 + ["y"] * 10 + ["n"] * 15]), 4)
    0.3939
    """
    rows = as_matrix(data)
    if len(rows) != 2:
        raise ReliabilityError(Errors.R001.format(detail=f"this coefficient is for two coders, got {len(rows)}; "
                                                         "use fleiss_kappa, krippendorff_alpha or gwet_ac1"))
    if not any(a is not None and b is not None for a, b in zip(*rows)):
        raise ReliabilityError(Errors.R001.format(detail="no unit was coded by both coders"))
    return _chance_corrected(rows, "fleiss")


def fleiss_kappa(data) -> float:
    """Fleiss' kappa for any number of coders, with missing ratings as Gwet (2014) generalises it.

    κ = (p_a − p_e) / (1 − p_e). Agreement p_a is averaged over the units rated by at least
    two coders; the category prevalences π_k behind p_e = Σ π_k² are averaged over every unit
    rated by at least one coder (each unit's share r_ik / r_i). With no missing ratings this is
    Fleiss (1971) exactly. It is what irrCAC's ``fleiss.kappa.raw`` computes: on irrCAC's
    ``cac.raw4raters`` data (12 units, 4 coders, 9 ratings missing) its documentation prints
    κ = 0.76117.

    Written here because statsmodels' ``fleiss_kappa`` needs every unit rated by the same number
    of coders. References: Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters.
    Psychological Bulletin 76, 378–382. Gwet, K. L. (2014). Handbook of Inter-Rater Reliability,
    4th ed. Advanced Analytics.

    >>> round(fleiss_kappa(CAC_RAW4RATERS), 5)
    0.76117
    """
    return _chance_corrected(as_matrix(data), "fleiss")


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
    """Gwet's AC1 for any number of coders: (p_a − p_e) / (1 − p_e), p_e = Σ π_k(1 − π_k) / (q − 1).

    Missing ratings are treated as in Gwet (2014) and irrCAC's ``gwet.ac1.raw``: p_a over the
    units rated by at least two coders, π_k over every unit rated by at least one, q the number
    of categories used anywhere. On irrCAC's ``cac.raw4raters`` its documentation prints
    AC1 = 0.77544 (p_a = 0.8181818, p_e = 0.1903212).

    References: Gwet, K. L. (2008). Computing inter-rater reliability and its variance in the presence
    of high agreement. British Journal of Mathematical and Statistical Psychology 61, 29–48.
    Gwet, K. L. (2014). Handbook of Inter-Rater Reliability, 4th ed. Advanced Analytics.

    >>> round(gwet_ac1(CAC_RAW4RATERS), 5)
    0.77544
    """
    return _chance_corrected(as_matrix(data), "ac")


def gwet_ac2(data, weights: str = "quadratic") -> float:
    """Gwet's AC2: AC1 with agreement weights for ordered categories (``quadratic`` or ``linear``).

    Weights as in irrCAC: quadratic w_kl = 1 − (x_k − x_l)² / (x_max − x_min)², linear
    w_kl = 1 − |x_k − x_l| / (x_max − x_min), over the numeric category values. p_a counts
    partial agreement r*_ik = Σ_l w_kl r_il; p_e = T_w / (q(q − 1)) · Σ π_k(1 − π_k) with T_w the sum of
    the weights. On ``cac.raw4raters`` with quadratic weights irrCAC's documentation prints
    AC2 = 0.914 (p_a = 0.9753788, p_e = 0.7137044).

    Reference: Gwet, K. L. (2014). Handbook of Inter-Rater Reliability, 4th ed., chapter 3.

    >>> round(gwet_ac2(CAC_RAW4RATERS), 3)
    0.914
    """
    if weights not in WEIGHTS:
        raise ReliabilityError(Errors.R001.format(detail=f"weights must be one of {', '.join(WEIGHTS)}, "
                                                         f"got '{weights}'"))
    return _chance_corrected(as_matrix(data), "ac", weights)


#: irrCAC's example of raw ratings with missing values (``cac.raw4raters``): 4 coders (rows) x 12 units.
CAC_RAW4RATERS = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, None],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 3],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]
WEIGHTS = ("identity", "quadratic", "linear")


def _weights(categories: list, kind: str) -> np.ndarray:
    q = len(categories)
    if kind == "identity":
        return np.eye(q)
    if not all(isinstance(c, (int, float, np.number)) and not isinstance(c, bool) for c in categories):
        raise ReliabilityError(Errors.R001.format(detail=f"{kind} weights need numeric (ordered) categories; got "
                                                         f"{', '.join(map(str, categories[:5]))}"))
    x = np.array(categories, dtype=float)
    spread = x.max() - x.min()
    distance = np.abs(x[:, None] - x[None, :]) / (spread if spread else 1)
    return 1 - distance ** 2 if kind == "quadratic" else 1 - distance


def _chance_corrected(rows: list[list], kind: str, weights: str = "identity") -> float:
    """Gwet's (2014) general form for raw ratings with missing values (Fleiss' kappa and AC1/AC2).

    Hand-written: the formulas of Gwet (2014) as irrCAC implements them; no Python library has them.
    """
    n_units = len(rows[0])
    columns = [[row[j] for row in rows if row[j] is not None] for j in range(n_units)]
    columns = [c for c in columns if c]
    if not any(len(c) >= 2 for c in columns):
        raise ReliabilityError(Errors.R001.format(detail="no unit was coded by two or more coders"))
    numeric = all(isinstance(v, (int, float, np.number)) and not isinstance(v, bool) for c in columns for v in c)
    categories = sorted({v for c in columns for v in c}, key=None if numeric else str)
    q = len(categories)
    if q == 1:
        return 1.0  # every coder used one category everywhere: perfect, the coefficient is 0/0
    index = {v: k for k, v in enumerate(categories)}
    counts = np.zeros((len(columns), q))
    for i, column in enumerate(columns):
        for v in column:
            counts[i, index[v]] += 1
    w = _weights(categories, weights)
    r = counts.sum(axis=1)
    two = r >= 2
    weighted = counts @ w.T  # r*_ik: ratings agreeing (fully or partly) with category k
    p_a = float(np.mean((counts[two] * (weighted[two] - 1)).sum(axis=1) / (r[two] * (r[two] - 1))))
    pi = (counts / r[:, None]).mean(axis=0)
    if kind == "fleiss":
        p_e = float(pi @ w @ pi)
    else:
        p_e = float(w.sum() / (q * (q - 1)) * (pi * (1 - pi)).sum())
    return 1.0 if p_e == 1 else (p_a - p_e) / (1 - p_e)


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
