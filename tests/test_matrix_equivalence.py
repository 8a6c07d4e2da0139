"""analysis.matrix, cooccurrence, frequencies and row keys give exactly what they gave before the numpy
rewrite (issue 21): same values, dtypes, index and column order, compared with the frozen copy of the old
implementation in tests/matrix_reference.py on random tables and on edge cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import matrix_reference as ref
from thematic import analysis
from thematic.analysis import tables
from thematic.errors import AnalysisError

CODES = ["strategy.useful", "strategy.plans", "strategy", "leadership", "learning.courses", "learning",
         "organisation.roles", "target_picture"]
SPEAKERS = ["K1", "Intervjuer", "Kari Lunde", "K2"]


def build(seed: int = 0, n: int = 5000, *, docs: int = 40, categorical: bool = True, nullable: bool = False,
          words: bool = True, zero_length: bool = False, na_case: bool = False, one_case: bool = False,
          unplaced: bool = True, many_codes: bool = False):
    """A random codings table with its segments and cases, shaped like Project.codings (see the flags)."""
    rng = np.random.default_rng(seed)
    doc_ids = [f"Kom{d:02d}-K{d % 3 + 1}" for d in range(docs)]
    case_of = {d: ("A" if one_case else f"case{i % 7}") for i, d in enumerate(doc_ids)}
    doc = rng.integers(0, docs, n)
    seg = rng.integers(0, 30, n)
    start = seg * 100 + rng.integers(0, 80, n)
    length = rng.integers(0 if zero_length else 1, 40, n)
    speaker = np.array(SPEAKERS)[(doc + seg) % len(SPEAKERS)]  # fixed by the segment, as in a transcript
    role = np.where(speaker == "Intervjuer", "interviewer", "informant")
    role = np.where((doc % 11 == 5), "document", role)
    book = CODES + ([f"theme{t}.c{c}" for t in range(14) for c in range(2)] if many_codes else [])
    codes = np.array(book)[rng.integers(0, len(book), n)]
    frame = pd.DataFrame({
        "doc_id": np.array(doc_ids)[doc], "case": [case_of[doc_ids[d]] for d in doc], "speaker": speaker,
        "role": role, "segment_id": [f"{doc_ids[d]}:{s}" for d, s in zip(doc, seg)],
        "start": start, "end": start + length, "line_start": seg + 1, "line_end": seg + 1, "code": codes,
        "theme": [c.split(".")[0] for c in codes], "coder": np.array(["ida", "ola", "rules@x:1"])[rng.integers(0, 3, n)],
        "source": np.array(["manual", "rule", "accepted"])[rng.integers(0, 3, n)], "rule": "", "matched": "",
        "text": np.array(["en to tre", "fire fem seks sju", "åtte", ""])[rng.integers(0, 4, n)]})
    if words:
        frame["words"] = rng.integers(0, 30, n)
    # the same passage coded again with another code, and an exact duplicate row
    again = frame.sample(n // 10, random_state=seed).assign(code="leadership", theme="leadership")
    frame = pd.concat([frame, again, frame.iloc[: n // 50]], ignore_index=True)
    if unplaced:
        frame.loc[frame.index % 97 == 3, "segment_id"] = ""
    if na_case:
        frame.loc[frame["doc_id"] == doc_ids[1], "case"] = None
    if nullable:
        for c in ("start", "end", "line_start", "line_end"):
            frame[c] = frame[c].astype("Int64")
    if categorical:
        for c in ("doc_id", "case", "speaker", "role", "segment_id", "code", "theme", "coder", "source"):
            frame[c] = frame[c].astype("category")
        frame["code"] = frame["code"].cat.add_categories(["unused.code"])  # a code with no codings
        frame["theme"] = frame["theme"].cat.add_categories(["unused"])
    rows = []
    for d in doc_ids[:-1]:  # the last document has codings but no segments
        for s in range(30):
            i = doc_ids.index(d)
            spk = SPEAKERS[(i + s) % len(SPEAKERS)]
            r = "interviewer" if spk == "Intervjuer" else "informant"
            r = "document" if i % 11 == 5 else r
            informant = "" if r != "informant" else ("" if spk == "K2" and i % 2 else spk.replace("Kari Lunde", "K3"))
            rows.append({"doc_id": d, "segment_id": f"{d}:{s}", "index": s, "case": case_of[d], "speaker": spk,
                         "role": r, "informant": informant, "start": s * 100, "end": s * 100 + 95,
                         "words": int(rng.integers(5, 60))})
    rows.append({"doc_id": "Kom99-K9", "segment_id": "Kom99-K9:0", "index": 0, "case": "case_nothing",
                 "speaker": "K9", "role": "informant", "informant": "K9", "start": 0, "end": 10, "words": 7})
    segments = pd.DataFrame(rows)
    if nullable:
        segments["words"] = segments["words"].astype("Int64")
    if categorical:
        for c in ("doc_id", "segment_id", "case", "speaker", "role", "informant"):
            segments[c] = segments[c].astype("category")
    cases = pd.DataFrame({"doc_id": doc_ids + ["Kom99-K9"], "case": [case_of[d] for d in doc_ids] + ["case_nothing"],
                          "case_type": [("network" if i % 3 == 0 else "municipality") for i in range(docs)] + ["network"]})
    if na_case:
        cases.loc[2, "case_type"] = None
    frame.attrs["segments"], frame.attrs["cases"] = segments, cases
    return frame


ROWS = ("case", "case_type", "doc_id", "speaker", "informant", "coder", "source", "code")
VARIANTS = {
    "categorical": {}, "nullable ints": {"nullable": True}, "plain strings": {"categorical": False},
    "no words column": {"words": False}, "zero-length spans": {"zero_length": True},
    "NA case": {"na_case": True}, "one case": {"one_case": True, "docs": 5, "n": 300},
    "many codes": {"many_codes": True},
}


def same(new, old) -> None:
    if isinstance(old, pd.DataFrame):
        pd.testing.assert_frame_equal(new, old, check_exact=True)
        assert list(new.index) == list(old.index) and list(new.columns) == list(old.columns)
    else:
        pd.testing.assert_series_equal(new, old, check_exact=True)


def both(name: str, codings: pd.DataFrame, *args, **kwargs):
    """The new and the reference result of one call (or the same error from both)."""
    try:
        old = getattr(ref, name)(codings, *args, **kwargs)
    except AnalysisError as error:
        with pytest.raises(AnalysisError) as caught:
            getattr(analysis, name)(codings, *args, **kwargs)
        assert str(caught.value) == str(error)
        return None, None
    return getattr(analysis, name)(codings, *args, **kwargs), old


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_every_matrix_equals_the_reference(variant):
    codings = build(**VARIANTS[variant])
    every = variant in ("categorical", "plain strings")
    for rows in ROWS if every else ("case", "case_type", "informant", "speaker"):
        for cols in ("theme", "code") if every else ("theme",):
            for cell in analysis.CELLS:
                new, old = both("matrix", codings, rows=rows, cols=cols, cell=cell)
                if old is not None:
                    same(new, old)
    for kwargs in ({"coder": "ida"}, {"source": ["manual", "accepted"], "role": "informant"},
                   {"columns": ["strategy", "leadership", "no_such_theme"]}):
        for rows in ("case", "case_type", "informant") if every else ("case",):
            for cell in analysis.CELLS:
                new, old = both("matrix", codings, rows=rows, cell=cell, **kwargs)
                if old is not None:
                    same(new, old)


def test_informants_of_a_filter_that_keeps_nothing_are_zeros():
    """The old code failed here (max of an empty array); now the cells are 0, as for the other cells."""
    codings = build(2, n=500)
    for rows in ("case", "case_type", "informant"):
        zeros = ref.matrix(codings, rows=rows, cell="count", coder="nobody")
        assert zeros.to_numpy().sum() == 0 and zeros.shape[0] > 0
        same(analysis.matrix(codings, rows=rows, cell="informants", coder="nobody"), zeros)


def without_unplaced_category(codings: pd.DataFrame) -> pd.DataFrame:
    """The table without unplaced codings (segment_id "") nor the "" category: the old windowed co-occurrence
    failed on a categorical segment_id holding "" (as Project.codings gives for unplaced codings); both
    leave unplaced codings out."""
    if not isinstance(codings["segment_id"].dtype, pd.CategoricalDtype) or "" not in codings["segment_id"].cat.categories:
        return codings
    out = codings[codings["segment_id"] != ""].copy()
    out["segment_id"] = out["segment_id"].cat.remove_categories([""])
    return out


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_cooccurrence_frequencies_and_row_keys_equal_the_reference(variant):
    codings = build(**VARIANTS[variant])
    for level in ("code", "theme"):
        for measure in ("count", "jaccard", "c"):
            same(*both("cooccurrence", codings, level=level, measure=measure))
            for window in (1, 2) if variant in ("categorical", "plain strings") else ():
                same(analysis.cooccurrence(codings, level=level, window=window, measure=measure),
                     ref.cooccurrence(without_unplaced_category(codings), level=level, window=window,
                                      measure=measure))
        same(*both("frequencies", codings, level=level))
    segments, cases = codings.attrs["segments"], codings.attrs["cases"]
    for rows in ROWS:
        same(tables.row_keys(codings, rows, segments, cases), ref.row_keys(codings, rows, segments, cases))


def test_matrices_of_a_filtered_and_reordered_table_equal_the_reference():
    codings = build(3)
    part = codings[codings["coder"] != "ola"].sample(frac=1.0, random_state=1)  # a view in another order
    for rows in ("case", "case_type", "informant", "speaker"):
        for cell in analysis.CELLS:
            same(*both("matrix", part, rows=rows, cell=cell))
    same(*both("cooccurrence", part, level="theme", measure="c"))


def test_edge_cases_equal_the_reference():
    codings = build(5)
    empty = codings.iloc[:0].copy()
    empty.attrs = codings.attrs
    single = codings.iloc[:1].copy()
    single.attrs = codings.attrs
    for table in (empty, single):
        for rows in ("case", "case_type", "informant"):
            for cell in analysis.CELLS:
                if cell == "informants" and table is empty:  # the old code failed here: 0 as the count is
                    same(analysis.matrix(table, rows=rows, cell=cell), ref.matrix(table, rows=rows, cell="count"))
                    continue
                new, old = both("matrix", table, rows=rows, cell=cell)
                if old is not None:
                    same(new, old)
        for measure in ("count", "jaccard", "c"):
            same(*both("cooccurrence", table, level="theme", measure=measure))
            same(analysis.cooccurrence(table, level="theme", window=1, measure=measure),
                 ref.cooccurrence(without_unplaced_category(table), level="theme", window=1, measure=measure))
    # no segments table: every cell but coverage, with the speaker as the informant
    bare = codings.copy()
    bare.attrs = {}
    for rows in ("case", "informant"):
        for cell in analysis.CELLS:
            new, old = both("matrix", bare, rows=rows, cell=cell)
            if old is not None:
                same(new, old)



def test_the_paths_for_large_key_spaces_equal_the_reference(monkeypatch):
    """Hashing instead of dense counting, and sparse co-occurrence, as for tables with huge key spaces."""
    import sys

    from thematic.analysis import arrays

    monkeypatch.setattr(arrays, "DENSE", 0)
    monkeypatch.setattr(sys.modules["thematic.analysis.cooccurrence"], "DENSE", 0)
    for variant in ("categorical", "many codes"):
        codings = build(7, n=1500, **VARIANTS[variant])
        for rows in ("case", "case_type", "informant"):
            for cell in analysis.CELLS:
                same(*both("matrix", codings, rows=rows, cell=cell))
        for level in ("code", "theme"):
            for measure in ("count", "jaccard", "c"):
                same(*both("cooccurrence", codings, level=level, measure=measure))
        segments = codings.attrs["segments"]
        same(tables.row_keys(codings, "informant", segments), ref.row_keys(codings, "informant", segments))


def test_codings_without_a_theme_are_left_out_of_cooccurrence():
    """The old code failed on a missing theme (a negative sparse index); now such codings count in no unit."""
    codings = build(8, n=400, categorical=False)
    codings.loc[codings.index[:7], "theme"] = None
    kept = codings.iloc[7:].copy()
    kept.attrs = codings.attrs
    for measure in ("count", "jaccard", "c"):
        same(analysis.cooccurrence(codings, level="theme", measure=measure),
             ref.cooccurrence(kept, level="theme", measure=measure))


def test_a_coding_without_speaker_has_no_informant():
    """The old lookup gave a coding with a missing speaker some other speaker's informant; now it has none."""
    codings = build(9, n=400, categorical=False)
    codings.loc[codings.index[:5], "speaker"] = None
    segments = codings.attrs["segments"]
    keys = tables.row_keys(codings, "informant", segments)
    assert keys.iloc[:5].isna().all()
    same(keys.iloc[5:], ref.row_keys(codings, "informant", segments).iloc[5:])
