"""Agreement with missing ratings against the values irrCAC's documentation prints (Gwet 2014).

Reference values: the irrCAC README / overview vignette (cac.raw4raters, cont3x3abstractors) and the
weighting vignette (quadratic weights), by K. L. Gwet. Written down from the documentation, not computed here.
"""

from __future__ import annotations

import pytest

from thematic.reliability import (fleiss_kappa, gwet_ac1, gwet_ac2, krippendorff_alpha, percent_agreement,
                                  scott_pi)
from thematic.reliability.coefficients import CAC_RAW4RATERS
from thematic.errors import ReliabilityError

# cac.raw4raters as irrCAC prints it: one row per subject, one column per rater, NA missing.
SUBJECTS = """
1 1 NA 1
2 2 3 2
3 3 3 3
3 3 3 3
2 2 2 2
1 2 3 4
4 4 4 4
1 1 2 1
2 2 2 2
NA 5 5 5
NA NA 1 1
NA NA 3 NA
"""


def _raters():
    rows = [[None if v == "NA" else int(v) for v in line.split()] for line in SUBJECTS.strip().splitlines()]
    return [list(column) for column in zip(*rows)]  # coders x units, as thematic takes it


def test_the_module_copy_of_the_example_is_irrcacs():
    assert _raters() == CAC_RAW4RATERS


@pytest.mark.parametrize("fn, printed, places", [
    (percent_agreement, 0.8181818, 7),   # pa.coeff.raw
    (gwet_ac1, 0.77544, 5),              # gwet.ac1.raw
    (fleiss_kappa, 0.76117, 5),          # fleiss.kappa.raw
    (krippendorff_alpha, 0.74342, 5),    # krippen.alpha.raw
])
def test_missing_ratings_match_irrcac(fn, printed, places):
    assert round(fn(_raters()), places) == printed


def test_weighted_ac2_and_alpha_match_irrcac():
    assert round(gwet_ac2(_raters(), "quadratic"), 3) == 0.914  # gwet.ac1.raw(weights = "quadratic")
    assert round(krippendorff_alpha(_raters(), level="interval"), 5) == 0.84911  # krippen.alpha.raw(quadratic)


def _table(table, labels):
    a, b = [], []
    for i, row in enumerate(table):
        for j, count in enumerate(row):
            a += [labels[i]] * count
            b += [labels[j]] * count
    return [a, b]


ABSTRACTORS = [[13, 0, 0], [0, 20, 7], [0, 4, 56]]  # cont3x3abstractors


def test_two_raters_match_irrcac_contingency_table():
    data = _table(ABSTRACTORS, ["Ectopic", "AIU", "NIU"])
    assert round(scott_pi(data), 7) == 0.7962397      # scott2.table
    assert round(gwet_ac1(data), 7) == 0.8493305      # gwet.ac1.table
    assert round(percent_agreement(data), 2) == 0.89  # pa2.table
    assert round(krippendorff_alpha(data), 7) == 0.7972585  # krippen2.table
    numeric = _table(ABSTRACTORS, [1, 2, 3])
    assert round(gwet_ac2(numeric, "quadratic"), 7) == 0.9402369  # gwet.ac1.table(quadratic.weights)


def test_missing_ratings_change_the_answer_the_way_gwet_says():
    # Prevalence counts units rated once: dropping unit 12 (rated by one coder only) changes p_e.
    without_single = [row[:11] for row in _raters()]
    assert round(gwet_ac1(without_single), 5) != 0.77544
    # Scott's pi with a missing rating uses the unit for prevalence, not for agreement.
    assert scott_pi([[1, 1, 2, None], [1, 2, 2, 1]]) == pytest.approx(fleiss_kappa([[1, 1, 2, None], [1, 2, 2, 1]]))


def test_weights_need_ordered_numbers():
    with pytest.raises(ReliabilityError, match=r"\[R001\].*numeric"):
        gwet_ac2([["a", "b"], ["a", "a"]])
    with pytest.raises(ReliabilityError, match=r"weights must be one of"):
        gwet_ac2(_raters(), "cubic")
