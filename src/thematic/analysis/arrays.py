"""Integer forms of one codings table, computed once and shared by every matrix of it.

A codings table's labels (document, case, theme, speaker) become integer codes (free for the
categoricals ``Project.codings`` gives), and what several matrices need is derived once with numpy and
cached per table, dropped when the table is garbage-collected. The cache is keyed by the table object
and its length, as before: a table edited in place after its first matrix (``df["theme"] = ...``) keeps
its old figures, so take matrices of a new table (``df.assign(theme=...)``, ``df.copy()``) after editing.

- :class:`Passages`: the codings sorted once by (column, document, start, end), giving per
  (column, document) the distinct coded passages, the codings, and the merged blocks of coded text
  whose words make coverage. When a row kind is fixed by the document (case, case attributes,
  doc_id), a matrix is a sum of these per-document figures over the row's documents, so each further
  matrix costs one ``np.bincount`` over documents or blocks instead of a pass over every coding.
- :func:`informant_codes`: the informant of each coding, looked up once per distinct (document,
  speaker) in the segments table with integer codes rather than per coding with strings.

Hand-written with numpy where pandas' groupby would hash strings per row (the speed target of issue
21: every matrix over 1M codings under 0.5 s in a new process). Results are exactly those of the
plain groupby definitions (tests/test_matrix_equivalence.py); where exactness would depend on summation
order (zero-length spans, fractional word counts) the callers fall back to the general path.
"""

from __future__ import annotations

import weakref

import numpy as np
import pandas as pd

#: Largest dense integer key space counted with ``np.bincount`` instead of hashing (8 bytes per slot).
DENSE = 4_000_000


def codes_of(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Integer codes (-1 for missing) and labels of a column: free for categoricals, one factorize otherwise."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(np.int64), pd.Index(values.cat.categories)
    codes, uniques = pd.factorize(values, sort=False)
    return codes.astype(np.int64), pd.Index(uniques)


def gather(codes: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, pd.Index]:
    """Codes of ``values[codes]`` (-1 where a code is -1 or its value is missing) without building the per-row
    objects: labels are looked up once per value, and only labels some row has are kept."""
    mapped, labels = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    present = np.bincount(codes + 1, minlength=len(values) + 1)[1:] > 0  # values some row points at
    hit = mapped[present]
    used = distinct(hit[hit >= 0], len(labels))
    remap = np.full(len(labels) + 1, -1, dtype=np.int64)  # the last slot: a missing value stays -1
    remap[used] = np.arange(len(used))
    per_value = np.append(remap[mapped], -1)  # the last slot: code -1 stays -1
    return per_value[codes], pd.Index(np.asarray(labels, dtype=object)[used])


def distinct(keys: np.ndarray, size: int) -> np.ndarray:
    """The distinct values of non-negative integer ``keys`` below ``size``, ascending."""
    if size <= DENSE:
        return np.flatnonzero(np.bincount(keys, minlength=size))
    return np.unique(keys)


def integral(values: np.ndarray) -> bool:
    """Finite whole numbers whose float sums are exact in any order (so a faster summation is identical)."""
    return bool(len(values) == 0 or (np.isfinite(values).all() and (values == np.round(values)).all()
                                     and np.abs(values).sum() < 2.0 ** 52))


class Passages:
    """Codings sorted by (column, document, start, end): per (column, document) the distinct passages, the
    codings and the merged blocks of coded text; ``None`` from :meth:`build` when the spans do not fit."""

    def __init__(self, ordered: np.ndarray, width: int, n_col: int, n_doc: int, col: np.ndarray, doc: np.ndarray,
                 words: np.ndarray | None):
        self.n_col, self.n_doc = n_col, n_doc
        # ordered // width = group * width + start: a position on one line where each (column, document)
        # group has its own stretch of ``width`` characters
        position, end = np.divmod(ordered, width)
        group = position // width  # (column + 1) * n_doc + document
        first = np.empty(len(ordered), dtype=bool)
        first[:1] = True
        np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
        size = (n_col + 1) * n_doc
        #: distinct (document, start, end) passages per (column, document)
        self.passages = np.bincount(group[first], minlength=size).reshape(n_col + 1, n_doc)[1:]
        #: codings per (column, document)
        self.codings = np.bincount(group, minlength=size).reshape(n_col + 1, n_doc)[1:]
        del group, first
        #: merged blocks of coded text (column, document, words), in (column, document, start) order
        self.blocks = None
        if words is not None:
            block_group, value = _blocks(position, end, width, words)
            self.blocks = (block_group // n_doc - 1, block_group % n_doc, value)
        self._who: dict = {}

    @classmethod
    def build(cls, col, n_col, doc, n_doc, start, end, words) -> "Passages | None":
        if len(doc) == 0 or (doc < 0).any() or (start < 0).any() or (end < start).any():
            return None
        width = int(max(start.max(), end.max())) + 1
        room = (n_col + 1) * n_doc * width * width
        if room >= 2 ** 62:  # the packed key would overflow
            return None
        key = col + 1  # ((column + 1) * n_doc + document) * width² + start * width + end, built in place
        key *= n_doc
        key += doc
        key *= width * width
        part = start * width
        key += part
        key += end
        # blocks' words are exact in any order only for positive spans and whole word counts
        whole = bool((end > start).all()) and integral(words)
        top = int(words.max()) + 1 if whole and words.min() >= 0 else 0
        if top and room * top < 2 ** 62:  # words packed in too: one np.sort, no argsort and gathers
            key *= top
            np.copyto(part, words, casting="unsafe")  # whole numbers: exact as integers
            key += part
            del part
            key.sort()
            ordered, packed_words = np.divmod(key, top)
            del key
            return cls(ordered, width, n_col, n_doc, col, doc, packed_words)
        order = np.argsort(key)  # ties are identical passages: their order cannot change a result
        return cls(key[order], width, n_col, n_doc, col, doc, words[order] if whole else None)

    def triples(self, col: np.ndarray, doc: np.ndarray, who: np.ndarray) -> tuple[np.ndarray, int]:
        """The distinct (column + 1, document, informant + 1) keys of the codings (cached per informant codes)."""
        n_who = int(who.max()) + 2 if len(who) else 1
        hit = self._who.get(id(who))
        if hit is None or hit[0] is not who:
            keys = ((col + 1) * self.n_doc + doc) * n_who + who + 1
            hit = (who, distinct(keys, (self.n_col + 1) * self.n_doc * n_who), n_who)
            self._who[id(who)] = hit
        return hit[1], hit[2]


def _blocks(position: np.ndarray, end: np.ndarray, width: int, words: np.ndarray):
    """Merged blocks of overlapping spans per group, from spans sorted by (group, start, end) given as
    ``position = group * width + start`` and ``end``: each block's group and words (words times
    min(1, block length / summed span lengths), as ``union_words``). Groups need no resetting: a group's
    spans lie past every end of the groups before it."""
    start = position % width
    reach = position - start
    reach += end
    np.maximum.accumulate(reach, out=reach)  # furthest end so far, on the same line
    new_block = np.empty(len(position), dtype=bool)
    new_block[:1] = True
    np.greater_equal(position[1:], reach[:-1], out=new_block[1:])
    first = np.flatnonzero(new_block)
    del new_block
    np.subtract(end, start, out=start)  # now each span's length in characters
    # whole numbers (Passages checks), so these sums are exact and equal to summing floats in any order
    if len(first) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    value = np.add.reduceat(words, first).astype(np.float64)
    chars = np.add.reduceat(start, first)
    last = np.empty_like(first)
    last[:-1] = first[1:] - 1
    last[-1] = len(position) - 1
    at = position[first]
    length = reach[last]
    length -= at
    np.maximum(chars, 1, out=chars)
    fraction = np.minimum(1.0, length / chars)
    value *= fraction
    return at // width, value


class Prepared:
    """Integer forms of one codings table, computed on first use and reused by every matrix of it."""

    def __init__(self, codings: pd.DataFrame):
        # A shallow copy without attrs: pandas deep-copies a table's attrs on every column access, and plain
        # attrs["segments"] would be copied each time (Project.codings' Context is not); columns are shared.
        self.frame = codings.copy(deep=False)
        self.frame.attrs = {}
        self._n = len(codings)
        self._columns: dict = {}  # column -> (codes, labels)
        self._arrays: dict = {}
        self.rows: dict = {}  # (row kind, segments id, cases id) -> (codes, labels)
        self.first: dict = {}  # column kind -> first occurrence of each (passage, column) pair
        self.informant: dict = {}  # (segments id) -> informant codes
        self.lut: dict = {}  # row key -> documents' row codes, or None when the row is not fixed by the document
        self.sorted: dict = {}  # column kind -> Passages or None

    def codes(self, column: str) -> tuple[np.ndarray, pd.Index]:
        if column not in self._columns:
            self._columns[column] = codes_of(self.frame[column])
        return self._columns[column]

    def array(self, column: str) -> np.ndarray:
        if column not in self._arrays:
            if column == "words":
                self._arrays[column] = word_counts(self.frame)
            else:
                self._arrays[column] = self.frame[column].to_numpy(np.int64)
        return self._arrays[column]

    @property
    def doc(self) -> np.ndarray:
        return self.codes("doc_id")[0]

    @property
    def order(self) -> np.ndarray:
        """Rows by document, then start (reused by every union of spans)."""
        if "_order" not in self._arrays:
            start, end = self.array("start"), self.array("end")
            width = int(end.max()) + 1 if len(end) else 1
            self._arrays["_order"] = np.argsort(self.doc * width + start)
        return self._arrays["_order"]

    @property
    def passage(self) -> np.ndarray:
        """One id per distinct (document, start, end) passage."""
        if "_passage" not in self._arrays:
            doc, start, end = self.doc, self.array("start"), self.array("end")
            width = int(end.max()) + 1 if len(end) else 1
            self._arrays["_passage"] = pd.factorize(doc * width * width + start * width + end)[0].astype(np.int64) \
                if width < 3_000_000 else pd.MultiIndex.from_arrays([doc, start, end]).factorize()[0]
        return self._arrays["_passage"]

    def passages(self, cols: str) -> Passages | None:
        if cols not in self.sorted:
            col, labels = self.codes(cols)
            self.sorted[cols] = Passages.build(col, len(labels), self.doc, len(self.codes("doc_id")[1]),
                                               self.array("start"), self.array("end"), self.array("words"))
        return self.sorted[cols]

    def by_document(self, key, codes: np.ndarray) -> np.ndarray | None:
        """Each document's row code when every coding's row is fixed by its document, else None."""
        if key not in self.lut:
            doc = self.doc
            lut = np.full(len(self.codes("doc_id")[1]), -1, dtype=np.int64)
            lut[doc] = codes
            self.lut[key] = lut if len(doc) and (doc >= 0).all() and (lut[doc] == codes).all() else None
        return self.lut[key]


_PREPARED: dict[int, tuple] = {}


def prepared(codings: pd.DataFrame) -> Prepared:
    """The cached :class:`Prepared` of a table (dropped when the table is garbage-collected)."""
    key = id(codings)
    hit = _PREPARED.get(key)
    if hit is not None and hit[0]() is codings and hit[1] == len(codings):
        return hit[2]
    prep = Prepared(codings)
    _PREPARED[key] = (weakref.ref(codings, lambda _ref, k=key: _PREPARED.pop(k, None)), len(codings), prep)
    return prep


def word_counts(codings: pd.DataFrame) -> np.ndarray:
    """Words per coding: the ``words`` column when present (the store provides it), else counted."""
    if "words" in codings:
        return codings["words"].to_numpy(dtype=np.float64)
    return codings["text"].fillna("").astype(str).str.split().str.len().to_numpy(dtype=np.float64)


def _in_labels(column: pd.Series, labels: pd.Index) -> np.ndarray:
    """Each value's position in ``labels`` (-1 when absent or missing), looked up once per category."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        where = labels.get_indexer(column.cat.categories)
        codes = column.cat.codes.to_numpy(np.int64)
        return np.where(codes >= 0, where[np.maximum(codes, 0)] if len(where) else -1, -1)
    return labels.get_indexer(column.astype(object))


def _first_rows(keys: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct non-negative ``keys`` below ``size``, ascending, and the position of each one's first occurrence."""
    if size > DENSE:
        return np.unique(keys, return_index=True)
    first = np.full(size, len(keys), dtype=np.int64)
    np.minimum.at(first, keys, np.arange(len(keys)))
    seen = np.flatnonzero(first < len(keys))
    return seen, first[seen]


def informant_codes(codings: pd.DataFrame, segments: pd.DataFrame | None) -> tuple[np.ndarray, pd.Index]:
    """Informant ids from the segments table, else the speaker label.

    An informant id is fixed by document and speaker (or, without a speaker column, by segment): the
    segments table's first informant row of each (document, speaker) names it; where that row has no
    informant, the speaker label stands in. Looked up once per distinct key, on integer codes.
    """
    prep = prepared(codings)
    speaker, speaker_labels = prep.codes("speaker")
    if segments is None or "informant" not in segments:
        return speaker, speaker_labels
    if "speaker" in segments:
        doc, doc_labels = prep.codes("doc_id")
        n_s = max(len(speaker_labels), 1)
        key = doc * n_s + speaker
        if (doc < 0).any() or (speaker < 0).any():  # a coding without document or speaker has no informant
            key[(doc < 0) | (speaker < 0)] = -1
        size = len(doc_labels) * n_s
        seg_doc, seg_speaker = _in_labels(segments["doc_id"], doc_labels), _in_labels(segments["speaker"], speaker_labels)
        seg_key = np.where((seg_doc >= 0) & (seg_speaker >= 0), seg_doc * n_s + seg_speaker, -1)
        fallback_of = lambda k: np.asarray(speaker_labels, dtype=object)[k % n_s]  # noqa: E731
    else:
        key, seg_labels = prep.codes("segment_id")
        size = len(seg_labels)
        seg_key = _in_labels(segments["segment_id"], seg_labels)
        fallback_of = None
    role = segments["role"].astype(object).to_numpy() == "informant" if not isinstance(
        segments["role"].dtype, pd.CategoricalDtype) else _in_labels(segments["role"], pd.Index(["informant"])) == 0
    rows = np.flatnonzero(role & (seg_key >= 0))
    # the first informant row of each key names it (as drop_duplicates keeps the first)
    keys_seen, first_row = _first_rows(seg_key[rows], size)
    informant, informant_labels = codes_of(segments["informant"])
    named = informant[rows[first_row]]
    name = np.asarray(informant_labels, dtype=object)[np.maximum(named, 0)] if len(informant_labels) else \
        np.full(len(named), None, dtype=object)
    ok = (named >= 0) & (name != "")
    found = pd.Series(name[ok], index=keys_seen[ok], dtype=object)
    some = key[key >= 0] if (key < 0).any() else key
    present = distinct(some, max(size, 1)) if size else np.zeros(0, dtype=np.int64)
    values = found.reindex(present).to_numpy(dtype=object, copy=True)
    if fallback_of is not None:
        missing = pd.isna(values)
        values[missing] = fallback_of(present[missing])
    else:  # per segment: the speaker of a row holding the segment stands in
        first = np.full(size, -1, dtype=np.int64)
        rows_of = np.flatnonzero(key >= 0)
        keys_at, first_at = _first_rows(key[rows_of], size)
        first[keys_at] = rows_of[first_at]
        fallback = np.where(speaker[first[present]] >= 0,
                            np.asarray(speaker_labels, dtype=object)[np.maximum(speaker[first[present]], 0)], None) \
            if len(speaker_labels) else np.full(len(present), None, dtype=object)
        missing = pd.isna(values)
        values[missing] = fallback[missing]
    key_codes, labels = gather(np.arange(len(present)), values)  # per distinct key, then one lookup per coding
    lookup = np.full(max(size, 1) + 1, -1, dtype=np.int64)  # the last slot: key -1 has no informant
    lookup[present] = key_codes
    return lookup[key], labels
