"""Rule matching over a document's stored token arrays: re-coding without spaCy or parsing.

A first coding keeps, per document, compact ``int32`` arrays (:class:`Remembered`): each token's
form id, character start and length; the coding units (start, end, segment index); and the
hits of every rule (rule id, start, end). Form ids point into the project's vocabulary of one
language (:class:`Vocabulary`: lower-cased form and lemma). When a rule is added, which forms
fill each of its word slots is decided once per distinct form over the vocabulary (by the same
:meth:`~thematic.coding.rules.SlotIndex.form_slots` as a first coding), and the rule is then
matched with array operations: a word is ``isin`` its slot's form ids, a phrase is consecutive
tokens that each fill their slot. Regular expressions run over the stored text as in a first
coding. The result equals what the spaCy matchers of a first coding find.

Example:
    >>> vocab = Vocabulary("nb")
    >>> [vocab.id("strategien", "strategi"), vocab.id("og", "og")]
    [0, 1]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Callable

import numpy as np

from .rules import REGEX_SECONDS, Rule, Slot, SlotIndex, _walled

if TYPE_CHECKING:
    from spacy.tokens import Doc

_EMPTY = np.zeros((0, 3), dtype=np.int32)


def pack(arr: np.ndarray) -> bytes:
    """Little-endian ``int32`` bytes of an array (stored as a BLOB / BYTEA)."""
    return np.ascontiguousarray(arr, dtype="<i4").tobytes()


def unpack(blob: bytes | memoryview | None, width: int = 3) -> np.ndarray:
    """The ``(n, width)`` ``int32`` array :func:`pack` wrote."""
    if not blob:
        return np.zeros((0, width), dtype=np.int32)
    return np.frombuffer(bytes(blob), dtype="<i4").reshape(-1, width)


def pack_ids(ids) -> str:
    """Rule ids as sorted ranges (``0-17,19,21-900``): a document is usually matched with every rule.

    >>> pack_ids({3, 0, 1, 2, 7}), sorted(unpack_ids("0-3,7"))
    ('0-3,7', [0, 1, 2, 3, 7])
    """
    return _pack_ids(frozenset(ids))


@lru_cache(maxsize=64)  # the documents of a project are mostly matched with the same rules
def _pack_ids(ids: frozenset[int]) -> str:
    out: list[str] = []
    run: list[int] = []
    for i in sorted(ids):
        if run and i == run[-1] + 1:
            run[-1] = i
            continue
        if run:
            out.append(f"{run[0]}-{run[1]}" if run[1] > run[0] else str(run[0]))
        run = [i, i]
    if run:
        out.append(f"{run[0]}-{run[1]}" if run[1] > run[0] else str(run[0]))
    return ",".join(out)


def unpack_ids(text: str | None) -> set[int]:
    """The ids :func:`pack_ids` wrote (also reads plain ``1,2,3`` lists, as schema 5 and 6 stored them)."""
    return set(_unpack_ids(text or ""))


@lru_cache(maxsize=64)
def _unpack_ids(text: str) -> frozenset[int]:
    out: set[int] = set()
    for part in (text or "").split(","):
        if "-" in part:
            a, b = part.split("-")
            out.update(range(int(a), int(b) + 1))
        elif part:
            out.add(int(part))
    return frozenset(out)


@dataclass
class Remembered:
    """What the first coding of one document left behind, as arrays."""

    tokens: np.ndarray | None  # (n, 3) int32: form id, character start, length (None: not read from the store)
    units: np.ndarray  # (u, 3) int32: start, end, segment index
    hits: np.ndarray = field(default_factory=lambda: _EMPTY)  # (h, 3) int32: rule id, start, end
    rules: set[int] = field(default_factory=set)  # the rule ids matched in this document (hits or none)


class Vocabulary:
    """The word forms of one language in a project: form id -> lower-cased form and lemma.

    Forms are only ever appended, so stored token arrays stay valid; ``lowers[new_from:]`` are
    the forms added since the vocabulary was loaded (to be written back).
    """

    def __init__(self, lang: str, lowers: list[str] | None = None, lemmas: list[str] | None = None):
        self.lang = lang
        self.lowers: list[str] = list(lowers or ())
        self.lemmas: list[str] = list(lemmas or ())
        self._ids: dict[str, int] | None = None
        self.new_from = len(self.lowers)
        self._by_hash: dict[int, int] = {}  # spaCy LOWER hash -> form id
        self._fills: dict[Slot, np.ndarray] = {}
        self._joined: tuple[int, list] | None = None

    @property
    def ids(self) -> dict[str, int]:
        """Lower-cased form -> form id (made when first needed: re-coding from arrays never looks a form up)."""
        if self._ids is None:
            self._ids = dict(zip(self.lowers, range(len(self.lowers))))
        return self._ids

    def __len__(self) -> int:
        return len(self.lowers)

    def id(self, lower: str, lemma: str) -> int:
        found = self.ids.get(lower)
        if found is None:
            found = self.ids[lower] = len(self.lowers)
            self.lowers.append(lower)
            self.lemmas.append(lemma)
        return found

    def tokens(self, doc: Doc) -> np.ndarray:
        """The ``(n, 3)`` token array of a parsed document (form id, start, length); new forms are added."""
        from spacy.attrs import IDX, LEMMA, LENGTH, LOWER

        if not len(doc):
            return np.zeros((0, 3), dtype=np.int32)
        arr = doc.to_array([LOWER, LEMMA, IDX, LENGTH])
        hashes, first, inverse = np.unique(arr[:, 0], return_index=True, return_inverse=True)
        strings = doc.vocab.strings
        ids = self._ids_of(hashes.tolist(), lambda h, j: (strings[h], strings[int(arr[first[j], 1])]))
        out = np.empty((len(arr), 3), dtype=np.int32)
        out[:, 0] = ids[inverse.reshape(-1)]
        out[:, 1:] = arr[:, 2:].astype(np.int64)
        return out

    @property
    def known(self) -> dict[int, int]:
        """spaCy ``LOWER`` hashes already given a form id in this process."""
        return self._by_hash

    def from_hashes(self, hashes: np.ndarray, forms: dict[int, tuple[str, str]]) -> np.ndarray:
        """Form ids of tokens given by ``LOWER`` hash; ``forms`` has ``(lower, lemma)`` of the hashes
        not :attr:`known` yet."""
        if not len(hashes):
            return np.zeros(0, dtype=np.int32)
        uniq, inverse = np.unique(hashes, return_inverse=True)
        return self._ids_of(uniq.tolist(), lambda h, j: forms[h])[inverse.reshape(-1)]

    def _ids_of(self, hashes: list[int], form_of) -> np.ndarray:
        """Form ids of distinct ``LOWER`` hashes: the known ones by look-ups in C (``map``), the others (once
        per distinct form in this process) added with ``form_of(hash, position) -> (lower, lemma)``."""
        by_hash = self._by_hash
        found = list(map(by_hash.get, hashes))
        if None in found:
            for j, h in enumerate(hashes):
                if found[j] is None:
                    found[j] = by_hash[h] = self.id(*form_of(h, j))
        return np.array(found, dtype=np.int32)

    def _candidates(self, needles: set[str]) -> np.ndarray:
        """Form ids whose lower form or lemma contains one of ``needles`` (a superset of the forms
        that can fill a slot: every way of filling one contains the slot's word or lemma)."""
        if self._joined is None or self._joined[0] != len(self.lowers):
            self._joined = (len(self.lowers), [("\x00".join(parts), _offsets(parts)) for parts in (self.lowers, self.lemmas)])
        found: set[int] = set()
        for joined, offsets in self._joined[1]:
            hits = []
            for needle in needles:
                if not needle:
                    continue
                pos = joined.find(needle)
                while pos >= 0:
                    hits.append(pos)
                    pos = joined.find(needle, pos + 1)
            if hits:
                found.update(np.searchsorted(offsets, np.array(hits), side="right").tolist())
        return np.array(sorted(i - 1 for i in found), dtype=np.int64)

    def fills(self, index: SlotIndex, slot: Slot) -> np.ndarray:
        """Boolean mask over form ids: which forms fill ``slot`` (decided per distinct form, cached)."""
        mask = self._fills.get(slot)
        if mask is not None and len(mask) == len(self.lowers):
            return mask
        mask = np.zeros(len(self.lowers), dtype=bool)
        for i in self._candidates({slot.word, index.slot_lemma.get(slot, slot.word)}).tolist():
            if slot in index.form_slots(self.lemmas[i], self.lowers[i]):
                mask[i] = True
        self._fills[slot] = mask
        return mask


def _offsets(parts: list[str]) -> np.ndarray:
    """Where each part starts in ``"\\x00".join(parts)``, and the end (lengths summed in C: 112k forms in 10 ms)."""
    lengths = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts)) + 1
    return np.concatenate([np.zeros(1, dtype=np.int64), np.cumsum(lengths)])


def array_hits(index: SlotIndex, vocab: Vocabulary, remembered: Remembered, text: Callable[[], str],
               where: str = "") -> list[tuple[Rule, int, int]]:
    """Every match of ``index``'s rules in one remembered document: ``(rule, start, end)``.

    ``text`` gives the document text; it is read only when a regular expression must run.
    """
    out: list[tuple[Rule, int, int]] = []
    tokens = remembered.tokens
    n = len(tokens)
    if n and index.slots_of_key:
        forms = tokens[:, 0]
        for key, slots in index.slots_of_key.items():
            k = len(slots)
            if k > n:
                continue
            match = vocab.fills(index, slots[0])[forms]
            for j in range(1, k):  # a phrase: the next tokens fill the next slots
                match[: n - j] &= vocab.fills(index, slots[j])[forms[j:]]
                match[n - j:] = False
            at = np.flatnonzero(match)
            if len(at):
                rule = index.rules[key]
                ends = tokens[at + k - 1, 1].astype(np.int64) + tokens[at + k - 1, 2]
                out += [(rule, a, b) for a, b in zip(tokens[at, 1].tolist(), ends.tolist())]
    if index.regexes:
        full = text()
        masked = _walled(full, [(int(a), int(b)) for a, b, _ in remembered.units.tolist()])
        out += index.regexes.matches(masked, where, REGEX_SECONDS)
    return out
