"""Re-coding after a codebook edit from the project's stored token arrays, without parsing.

The first coding of a document keeps its token arrays, coding units and the hits of every rule
(:class:`thematic.coding.arrays.Remembered`); the project keeps the vocabulary (form -> lemma)
per language. When the codebook changes:

* a rule whose hits a document remembers is not matched again;
* an added or changed rule is matched over the stored arrays (:func:`~thematic.coding.arrays.array_hits`):
  no spaCy, no parse, and no lemmatiser dictionary: a new pattern word's lemma comes from the
  dictionary forms of the vocabulary's lemmas the project keeps (:meth:`Memory.pattern_lemma`);
* only the documents where an added or removed rule matches (or whose codings people changed
  since the last run) are coded again (:class:`Previous`); the codings of the others stay as
  they are, so the store rewrites only the (unit, code) groups that can have changed.

A document with no memory (new, edited, or coded before schema 5) is parsed and remembered.

Example:
    >>> rows, dirty, stats = code_with_memory(memory, book, previous=None)  # doctest: +SKIP
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterable, Iterator, Protocol

import numpy as np

from ..codebook.model import CodebookBase
from ..corpus import Document
from ..nlp import PIPELINE_VERSION, check_language
from .arrays import Remembered, Vocabulary, array_hits
from .engine import rule_coder
from .records import Records
from .remember import with_parses
from .rules import Rule, RuleCoder, SlotIndex


class Memory(Protocol):
    """Where remembered coding work is kept (the project store implements it)."""

    def entries(self, version: str) -> Iterator[tuple[str, str, Remembered | None]]:
        """``(doc_id, language, remembered or None)`` for every stored document (None: not remembered
        for this version, or the transcript changed since). ``remembered.tokens`` may be None: then
        :meth:`tokens` reads them when needed."""

    def tokens(self, doc_id: str, version: str) -> np.ndarray:
        """A remembered document's token array."""

    def document(self, doc_id: str) -> Document: ...

    def vocabulary(self, lang: str) -> Vocabulary: ...

    def rule_ids(self, keys: Iterable[str]) -> dict[str, int]:
        """A stable id per rule key (new keys get new ids)."""

    def remember(self, doc_id: str, version: str, remembered: Remembered, *, tokens: bool = True,
                 hits: bool = True) -> None:
        """Keep a document's memory (``tokens=False``: only its rule ids changed, and its hits if ``hits``)."""

    def pattern_lemma(self, word: str, lang: str) -> str:
        """A pattern word's lemma as :func:`thematic.nlp.pattern_lemma` gives it, as far as matching the
        vocabulary's forms can tell (the project keeps the dictionary forms of its lemmas, so this
        need not load the lemmatiser's dictionary)."""


@dataclass(frozen=True)
class Previous:
    """What the last coding with this codebook id used: its rule keys in codebook order and the
    codebook-wide settings that decide codings besides the rules (:func:`semantics`)."""

    keys: tuple[str, ...]
    semantics: str

    @classmethod
    def of(cls, codebook: CodebookBase) -> "Previous":
        return cls(tuple(rule_keys(rule_coder(codebook))), semantics(codebook))


def memory_version(unit: str, include_interviewer: bool) -> str:
    """The memory of a document is kept per pipeline version, unit and interviewer setting."""
    return f"{PIPELINE_VERSION}/{unit}/{int(include_interviewer)}"


def semantics(codebook: CodebookBase) -> str:
    """The codebook's settings that change codings without changing a rule key."""
    settings = {"domain_within": codebook.domain.within,
                "requires_domain": sorted(c.id for c in codebook.codes if codebook.requires_domain(c.id))}
    if codebook.spread:  # only when set: a project coded before ``spread`` existed keeps its semantics
        settings["spread"] = [codebook.spread.before, codebook.spread.after, codebook.spread.answers]
    return json.dumps(settings, sort_keys=True)


def rule_keys(coder: RuleCoder) -> list[str]:
    """Every rule key of the coder, in codebook order (rank)."""
    rules = [r for lang in coder.languages for r in coder.rules_for(lang)]
    return [r.key for r in sorted(rules, key=lambda r: r.rank)]


def _same_order(before: Iterable[str], after: list[str]) -> bool:
    kept = set(before) & set(after)
    return [k for k in before if k in kept] == [k for k in after if k in kept]


def rows_of(document: Document, remembered: Remembered, rules: dict[int, Rule], coder: RuleCoder, unit: str,
            codebook: CodebookBase) -> list[tuple]:
    """The codings (``RECORD_FIELDS`` records) of a remembered document under the current rules."""
    units, hits = remembered.units, remembered.hits
    if not len(units) or not len(hits):
        return []
    indexes = np.fromiter((s.index for s in document.segments), dtype=np.int64, count=len(document.segments))
    units = units[np.isin(units[:, 2], indexes)]
    table = coder.table(document.language)
    position = _positions(table, rules)
    ids = hits[:, 0].astype(np.int64)
    known = (ids >= 0) & (ids < len(position))
    rule = np.full(len(ids), -1, dtype=np.int64)
    rule[known] = position[ids[known]]
    found = rule >= 0  # hits of rules no longer in the codebook are left out
    return table.records(document, units, rule[found], hits[found, 1], hits[found, 2], unit)


_POSITIONS: list = [None, None]


def _positions(table, rules: dict[int, Rule]) -> np.ndarray:
    """Project rule id -> the rule's position in ``table`` (-1: not one of ``rules``), for the last (table, rules)."""
    if _POSITIONS[0] is table and _POSITIONS[1] is rules:
        return _POSITIONS[2]
    where = {id(r): i for i, r in enumerate(table.rules)}
    by_key = None
    position = np.full(max(rules, default=-1) + 1, -1, dtype=np.int64)
    for rid, r in rules.items():
        found = where.get(id(r))
        if found is None:  # a rule of an equal codebook compiled apart: found by its key
            by_key = by_key or {t.key: i for i, t in enumerate(table.rules)}
            found = by_key.get(r.key, -1)
        position[rid] = found
    _POSITIONS[:] = [table, rules, position]
    return position


def _impossible(index: SlotIndex, vocab: Vocabulary, key: str) -> bool:
    """Whether some word of a word or phrase rule is filled by no form of the vocabulary (then the rule
    matches in no document the vocabulary's forms make up)."""
    return any(not vocab.fills(index, slot).any() for slot in index.slots_of_key[key])


def code_with_memory(memory: Memory, codebook: CodebookBase, *, unit: str = "sentence",
                     include_interviewer: bool = False, previous: Previous | None = None,
                     touched: set[str] = frozenset(), n_process: int = 1, workers=None
                     ) -> tuple[Records, set[str], dict]:
    """Rule-code the memory's documents, reusing remembered arrays and hits.

    Returns the codings (:data:`~thematic.coding.engine.RECORD_FIELDS` records) of the documents whose codings can have changed since the coding
    described by ``previous`` (all documents when it is None or its settings differ), those
    documents' ids, and counts (documents, parsed, matched: remembered documents a new rule
    was matched in, coded: documents coded again). ``touched`` names documents to code again
    anyway (people changed their codings since). Documents without memory are parsed in batches,
    in ``n_process`` worker processes when > 1 (:func:`thematic.coding.remember.with_parses`), or by
    ``workers`` (:class:`thematic.coding.remember.Workers`, which may also have read the documents).
    """
    coder = rule_coder(codebook)
    version = memory_version(unit, include_interviewer)
    keys = rule_keys(coder)
    ids = memory.rule_ids(keys)
    everything = (previous is None or previous.semantics != semantics(codebook)
                  or not _same_order(previous.keys, keys))
    current = set(keys)
    removed = np.array(sorted(memory.rule_ids([k for k in previous.keys if k not in current]).values())
                       if previous is not None else [], dtype=np.int32)
    by_lang: dict[str, dict[int, Rule]] = {}
    sub_indexes: dict[tuple[str, frozenset], SlotIndex] = {}
    rows = Records()  # compact until the single write (700,000 records at 10M words)
    dirty: set[str] = set()
    stats = {"documents": 0, "parsed": 0, "matched": 0, "coded": 0}
    entries = with_parses(memory.entries(version), memory, codebook, ids, version, unit, include_interviewer,
                          n_process=n_process, workers=workers)
    for doc_id, lang, remembered, document, parsed, made in entries:
        stats["documents"] += 1
        lang = check_language(lang)
        rules = by_lang.get(lang)
        if rules is None:
            rules = by_lang[lang] = {ids[r.key]: r for r in coder.rules_for(lang)}
        if parsed:
            stats["parsed"] += 1
            changed = True
        else:
            changed = everything or doc_id in touched
            missing = frozenset(rid for rid in rules if rid not in remembered.rules)
            if missing:
                index = sub_indexes.get((lang, missing))
                if index is None:
                    index = sub_indexes[(lang, missing)] = SlotIndex(
                        lang, sorted((rules[r] for r in missing), key=lambda r: r.rank), lemma_of=memory.pattern_lemma)
                got: list[Document] = []

                def text() -> str:
                    if not got:
                        got.append(memory.document(doc_id))
                    return got[0].text

                vocab = memory.vocabulary(lang)
                if index.regexes or not all(_impossible(index, vocab, key) for key in index.slots_of_key):
                    if remembered.tokens is None:
                        remembered.tokens = memory.tokens(doc_id, version)
                    found = array_hits(index, vocab, remembered, text, where=doc_id)
                else:
                    found = []  # no form of the vocabulary fills some word of each added rule: no token array read
                document = got[0] if got else None
                if found:
                    new = np.array([(ids[r.key], a, b) for r, a, b in found], dtype=np.int32).reshape(-1, 3)
                    remembered.hits = np.concatenate([remembered.hits, new])
                    changed = True
                remembered.rules |= missing
                memory.remember(doc_id, version, remembered, tokens=False, hits=bool(found))
                stats["matched"] += 1
            if not changed and len(removed) and np.isin(remembered.hits[:, 0], removed).any():
                changed = True  # a removed rule had matched here
        if changed:
            if made is not None:
                rows += made  # a worker made them while reading the file, with rows_of as below
            else:
                document = document or memory.document(doc_id)
                rows += rows_of(document, remembered, rules, coder, unit, codebook)
            dirty.add(doc_id)
            stats["coded"] += 1
    return rows, dirty, stats
