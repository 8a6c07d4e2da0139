"""Re-coding after a codebook edit without parsing the corpus again.

For every document the first coding keeps, in the project, what rule coding needs
besides the rules: the coding units, the distinct word forms (lower form and
lemma), and the hits of every rule, filed under the rule's key. When the codebook
changes, the hits of unchanged rules are reused; a new or changed rule is matched
only in documents whose word forms could fill its slots (decided once per
distinct form), and only those documents are parsed.

Example:
    >>> codings = code_with_memory(documents, book, memory)  # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Protocol

import numpy as np
import pandas as pd  # noqa: F401  (the result is a DataFrame)
from spacy.attrs import LEMMA, LOWER

from ..codebook.model import CodebookBase
from ..corpus import Document
from ..nlp import PIPELINE_VERSION, check_language, parse
from .engine import Unit, check_word_lengths, coding_rows, coding_units, codings_frame, rule_coder
from .rules import Hit, Rule, RuleCoder


@dataclass
class Remembered:
    """What the first coding of one document left behind."""

    units: list[tuple[int, int, int]]  # (start, end, segment index)
    forms: list[tuple[str, str]]  # distinct (lower form, lemma)
    hits: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict)  # rule key -> (start, end, text)


class Memory(Protocol):
    """Where remembered coding work is kept (the project store implements it)."""

    def recall(self, document: Document, unit: str, include_interviewer: bool, version: str) -> Remembered | None: ...

    def remember(self, document: Document, unit: str, include_interviewer: bool, version: str,
                 remembered: Remembered, new_keys: Iterable[str]) -> None: ...


def _forms(doc) -> list[tuple[str, str]]:
    if not len(doc):
        return []
    arr = doc.to_array([LOWER, LEMMA]).reshape(-1, 2)
    lowers, first = np.unique(arr[:, 0], return_index=True)
    strings = doc.vocab.strings
    return [(strings[a], strings[b]) for a, b in zip(lowers.tolist(), arr[first, 1].tolist())]


class _SubCoder:
    """A coder for the rules a document has no remembered hits for."""

    def __init__(self, codebook: CodebookBase, rules: list[Rule]):
        self.coder = RuleCoder(codebook, only=rules)

    def might_match(self, lang: str, forms: list[tuple[str, str]], text: str, units) -> bool:
        rules = self.coder.for_language(lang)
        if rules is None:
            return False
        if rules.regexes:
            return True  # regexes are cheap to run but need the walled text: parse and match
        present: set = set()
        for lower, lemma in forms:  # the same per-form decision as coding (cached per form)
            present |= rules.form_slots(lemma, lower)
        return any(all(slot in present for slot in slots) for slots in rules.slots_of_key.values())


def code_with_memory(documents: Iterable[Document], codebook: CodebookBase, memory: Memory, *,
                     unit: str = "sentence", include_interviewer: bool = False) -> tuple[pd.DataFrame, dict]:
    """Rule-code documents, reusing remembered units, forms and rule hits; returns codings and counts."""
    coder = rule_coder(codebook)
    version = f"{PIPELINE_VERSION}/{unit}/{int(include_interviewer)}"
    sub_coders: dict[frozenset, _SubCoder] = {}
    rows: list[tuple] = []
    stats = {"documents": 0, "parsed": 0, "reused": 0}
    for document in documents:
        stats["documents"] += 1
        lang = check_language(document.language)
        rules = {r.key: r for r in coder.rules_for(lang)}
        remembered = memory.recall(document, unit, include_interviewer, version)
        new_keys: list[str] = []
        if remembered is None:
            check_word_lengths(document)
            doc = next(parse([document.text], lang))
            units = coding_units(document, doc, unit, include_interviewer)
            spans = [(u.start, u.end) for u in units]
            hits = coder.raw_hits(doc, lang, spans, text=document.text, where=document.doc_id)
            remembered = Remembered([(u.start, u.end, u.segment.index) for u in units], _forms(doc),
                                    {key: [] for key in rules})
            for h in hits:
                remembered.hits[h.rule.key].append((h.start, h.end, h.text))
            new_keys = list(rules)
            stats["parsed"] += 1
        else:
            missing = [k for k in rules if k not in remembered.hits]
            if missing:
                sub = sub_coders.setdefault(frozenset(missing), _SubCoder(codebook, [rules[k] for k in missing]))
                spans = [(a, b) for a, b, _ in remembered.units]
                found: list[Hit] = []
                if sub.might_match(lang, remembered.forms, document.text, spans):
                    doc = next(parse([document.text], lang))
                    found = sub.coder.raw_hits(doc, lang, spans, text=document.text, where=document.doc_id)
                    stats["parsed"] += 1
                for key in missing:
                    remembered.hits[key] = []
                for h in found:
                    remembered.hits[h.rule.key].append((h.start, h.end, h.text))
                new_keys = missing
            else:
                stats["reused"] += 1
        if new_keys:
            memory.remember(document, unit, include_interviewer, version, remembered, new_keys)
        segments = {s.index: s for s in document.segments}
        units = [Unit(a, b, segments[i]) for a, b, i in remembered.units if i in segments]
        hits = [Hit(a, b, rules[key], text) for key in rules for a, b, text in remembered.hits.get(key, ())]
        rows += coding_rows(document, units, coder.finish(hits, document, units, unit), codebook)
    return codings_frame(rows), stats
