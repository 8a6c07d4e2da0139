"""Compile a codebook's patterns into spaCy matchers and explain every match.

Word and phrase patterns become spaCy matcher rules over lower-cased word forms:
each word slot matches a set of forms. Whether a form fills a slot (its lemma is
the word, it is an inflection or a compound of it: ``*strategi`` inside
``digitaliseringsstrategien``) is decided once per distinct form, from the form
and its lemma alone, and the form is added to the slot's set; the compiled
matcher does the work per token and Python only looks at new word forms. So the
coding of a document depends only on that document, never on what was coded
before it (a form such as ``dele`` filling a slot does not make every token with
its lemma ``del`` match). Regular expressions run on
the unit text with the ``regex`` module (the syntax of ``re``, plus a timeout; see :mod:`.regexes`): each
pattern gets :data:`REGEX_SECONDS` per document, and a pattern stopped there is named
in a warning (W003) instead of hanging the coding. ``not_patterns`` of a code (and of its ancestors) drop the
positive matches they overlap.

Example:
    >>> from thematic.codebook import Codebook
    >>> coder = RuleCoder(Codebook.load("codebooks/digitalisering.yaml"))  # doctest: +SKIP
"""

from __future__ import annotations

import itertools
from functools import cached_property
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ..codebook.model import CodebookBase, Pattern
from ..codepoints import code_points, from_code_points
from ..corpus import Document
from ..nlp import forms_of, pattern_lemma, pipeline, unseen, word_tokens
from .context import CUE, apply_conditions
from .finish import RuleTable
from .regexes import RegexRules

if TYPE_CHECKING:  # spaCy loads with the first parse (re-coding from stored arrays does without it)
    from spacy.tokens import Doc

# Nordic and English inflection endings a compound's head may carry when the
# lemmatizer does not know the compound (hand-written: no offline compound splitter exists).
_ENDINGS = ("", "e", "en", "et", "er", "ene", "a", "ar", "ane", "ne", "s", "n", "na", "arna", "orna", "erna",
            "erne", "ens", "ets", "es")
MIN_COMPOUND_PART = 3
#: Seconds each regular-expression rule may match on one document before it is stopped (W003).
REGEX_SECONDS = 2.0
_NO_MATCHES = (np.zeros(0, dtype=np.int64),) * 3


@dataclass(frozen=True)
class Rule:
    """One compiled pattern: the code it votes for and how it was written."""

    code: str
    pattern: Pattern
    rank: int = field(default=0, compare=False)  # position in the codebook: orders rules that match one span

    @property
    def source(self) -> str:
        return self.pattern.source

    @cached_property  # looked up per document and rule when a corpus is coded (76,000 times per million words)
    def key(self) -> str:
        """Stable identity of the rule (language, code, kind, pattern, exclusion): cached hits are filed under it."""
        p = self.pattern
        key = "\x1f".join((p.lang, self.code, p.kind, p.source, "1" if p.exclude else "0"))
        return key + "\x1f" + p.context.source if p.context is not None else key


@dataclass(frozen=True)
class Slot:
    """A word position in a pattern: the word, whether compounds may end or start with it, and whether
    only this exact form fills it (``=styre``)."""

    word: str
    head: bool
    first: bool
    exact: bool = False


@dataclass(frozen=True)
class Hit:
    """A match: character span in the document, the rule and the words matched."""

    start: int
    end: int
    rule: Rule
    text: str


def slot_accepts(slot: Slot, word_lemma: str, lower: str, slot_lemma: str) -> bool:
    """Does a token with this lemma and lower form fill the slot?

    >>> slot_accepts(Slot("strategi", True, False), "digitaliseringsstrategi", "digitaliseringsstrategien", "strategi")
    True
    >>> slot_accepts(Slot("strategi", False, True), "strategisk", "strategisk", "strategi")
    False
    >>> slot_accepts(Slot("styre", False, False, exact=True), "styre", "styrer", "styre")
    False
    """
    if slot.exact:
        return lower == slot.word
    if word_lemma in (slot.word, slot_lemma) or lower == slot.word:
        return True
    for candidate in (word_lemma, lower):
        # a hyphenated compound names its parts explicitly: IT-folk, IKT-avdelingen
        if candidate.startswith(slot.word + "-") or candidate.endswith("-" + slot.word):
            return True
        for ending in _ENDINGS:  # an inflected form the lemmatizer did not know
            if ending and candidate.endswith(ending) and candidate[: -len(ending)] == slot.word:
                return True
    if slot.head:
        for candidate in (word_lemma, lower):
            for ending in _ENDINGS:
                stem = candidate[: len(candidate) - len(ending)] if ending else candidate
                if ending and not candidate.endswith(ending):
                    continue
                if stem.endswith(slot.word) and len(stem) - len(slot.word) >= MIN_COMPOUND_PART:
                    return True
    if slot.first:
        for candidate in (word_lemma, lower):
            if candidate.startswith(slot.word) and len(candidate) - len(slot.word) >= MIN_COMPOUND_PART:
                return True
    return False


class SlotIndex:
    """The rules of one language as word slots, and which slots a word form fills (no spaCy).

    ``slots_of_key`` lists the slots of each word or phrase rule (filed under a match key
    ``code#i``); :meth:`form_slots` decides per distinct form. Both the spaCy matchers of a
    first coding (:class:`_LanguageRules`) and matching over a project's stored token arrays
    (:mod:`thematic.coding.arrays`) build on it, so both decide alike.
    """

    def __init__(self, lang: str, rules: list[Rule], lemma_of=pattern_lemma):
        # lemma_of(word, lang): a pattern word's lemma (re-coding passes the project's lexicon)
        self.lang = lang
        self.rules: dict[str, Rule] = {}
        self.slots: dict[Slot, set[str]] = {}  # slot -> the lower-cased forms seen so far that fill it
        self.slot_lemma: dict[Slot, str] = {}
        self._form_slots: dict[tuple[str, str], frozenset[Slot]] = {}
        self.keys_of_slot: dict[Slot, list[str]] = {}
        self.slots_of_key: dict[str, list[Slot]] = {}
        self.seen: set[int] = set()
        for i, rule in enumerate(rules):
            key = f"{rule.code}#{i}"
            self.rules[key] = rule
            if rule.pattern.kind == "regex":
                continue
            slots = [Slot(t, w.head, w.first, w.exact) for w in rule.pattern.words() for t in self._tokens(w.text)]
            self.slots_of_key[key] = slots
            for slot in slots:
                if slot not in self.slots:
                    self.slots[slot] = {slot.word}
                    self.slot_lemma[slot] = lemma_of(slot.word, lang)
                self.keys_of_slot.setdefault(slot, []).append(key)
        self.ordered: list[Rule] = list(rules)  # position -> rule (the i of its key ``code#i``)
        self.position: dict[int, int] = {id(r): i for i, r in enumerate(rules)}  # id(rule) -> position
        self.regexes = RegexRules([r for r in rules if r.pattern.kind == "regex"])
        self._index_slots()

    def _tokens(self, text: str) -> list[str]:
        """A pattern word split the way the tokenizer splits text (``IT-avdeling`` stays whole in nb)."""
        return word_tokens(text, self.lang)

    def _index_slots(self) -> None:
        self.by_word: dict[str, list[Slot]] = {}
        self.by_head: dict[str, list[Slot]] = {}
        self.by_first: dict[str, list[Slot]] = {}
        self.by_lemma: dict[str, list[Slot]] = {}  # the dictionary lemma of a slot's word, where it differs
        self.by_exact: dict[str, list[Slot]] = {}  # "=word" slots: filled by that lower-case form only
        for slot in self.slots:
            if slot.exact:
                self.by_exact.setdefault(slot.word, []).append(slot)
                continue
            self.by_word.setdefault(slot.word, []).append(slot)
            if self.slot_lemma[slot] != slot.word:
                self.by_lemma.setdefault(self.slot_lemma[slot], []).append(slot)
            if slot.head:
                self.by_head.setdefault(slot.word, []).append(slot)
            if slot.first:
                self.by_first.setdefault(slot.word, []).append(slot)
        # Character tries of the slot words: the words a form ends with (read backwards) and the words it
        # starts with. Walking a trie stops at the first character no slot word continues with (two or three
        # steps for most forms), where looking up every suffix and prefix by slicing cost 112k distinct forms
        # 3.4 s at 1M words of the benchmark's --distinct corpus (hand-written: a trie of a few hundred
        # words in plain dicts is faster here than calling out to a library per form).
        # every slot word with every ending, read backwards: one walk from a form's end finds the inflected
        # slot words and the compound heads it ends with, whatever its ending (no stem per ending)
        self._tails: dict = {}
        for w in self.by_word:
            head = w in self.by_head
            for e in _ENDINGS:
                node = self._tails
                for ch in reversed(w + e):
                    node = node.setdefault(ch, {})
                node.setdefault(_END, []).append((w, len(e), head))
        self._prefixes = _trie((w, True) for w in self.by_first)

    def slots_for(self, word_lemma: str, lower: str) -> set[Slot]:
        """Slots this form fills, found by walking tries of the slot words over its suffixes and prefixes
        (same result as :func:`slot_accepts` over every slot, in time proportional to the word's length)."""
        by_word, by_head = self.by_word, self.by_head
        found: set[Slot] = set()
        for candidate in {word_lemma, lower}:
            # inflected forms the lemmatizer did not know (the form less an ending is a slot word), and compounds
            # whose head is a slot word (with an ending) with at least MIN_COMPOUND_PART characters before it
            node, n = self._tails, len(candidate)
            for depth in range(n):
                node = node.get(candidate[n - 1 - depth])
                if node is None:
                    break
                ends = node.get(_END)
                if ends is not None:
                    for word, ending, head in ends:
                        before = n - ending - len(word)  # characters before the slot word
                        if before == 0:
                            found.update(by_word[word])
                        elif head and before >= MIN_COMPOUND_PART:
                            found.update(by_head[word])
            if "-" in candidate:  # hyphenated compounds: IT-folk, IKT-avdelingen
                found.update(by_word.get(candidate.split("-", 1)[0], ()))
                found.update(by_word.get(candidate.rsplit("-", 1)[1], ()))
            node, limit = self._prefixes, len(candidate) - MIN_COMPOUND_PART
            for depth in range(limit):  # compounds that start with a slot word
                node = node.get(candidate[depth])
                if node is None:
                    break
                if _END in node:
                    found.update(self.by_first[candidate[: depth + 1]])
        return found

    def form_slots(self, word_lemma: str, lower: str) -> frozenset[Slot]:
        """Every slot a word form fills: the same as :func:`slot_accepts` over every slot, found by
        index look-ups, and cached per (lemma, form) for the life of the compiled codebook."""
        key = (word_lemma, lower)
        found = self._form_slots.get(key)
        if found is None:
            found = self._form_slots[key] = self.slots_of_form(word_lemma, lower)
        return found

    def slots_of_form(self, word_lemma: str, lower: str) -> frozenset[Slot]:
        """:meth:`form_slots` without its cache: a first coding asks once per distinct form (``learn``), and
        caching every form held 20 MB at 113,000 forms for nothing."""
        slots = self.slots_for(word_lemma, lower)
        slots.update(self.by_lemma.get(word_lemma, ()))
        slots.update(self.by_exact.get(lower, ()))
        # most forms fill no slot: they share one empty set (a frozenset each was 28 MB at 113,000 forms)
        return frozenset(slots) if slots else _NO_SLOTS


_NO_SLOTS: frozenset = frozenset()


def token_array(doc: Doc) -> np.ndarray:
    """``(n, 4)`` ``uint64``: each token's ``LOWER`` and ``LEMMA`` hash, character start and length (one
    ``Doc.to_array`` for the matchers and the project's memory of the document)."""
    from spacy.attrs import IDX, LEMMA, LENGTH, LOWER

    if not len(doc):
        return np.zeros((0, 4), dtype=np.uint64)
    return doc.to_array([LOWER, LEMMA, IDX, LENGTH]).reshape(-1, 4)


class _LanguageRules(SlotIndex):
    """The matchers of one language, grown as new word forms are seen.

    Single words and plain phrases go to a hash-based ``PhraseMatcher`` on lower-cased
    forms (forms that fill a slot are added to it as they appear); only phrases with a
    compound slot need the slower token ``Matcher``. A form is added to a slot only when
    :meth:`form_slots` says it fills it, which depends on the form alone: growing the
    matchers never changes what an earlier or later document matches.
    """

    def __init__(self, lang: str, rules: list[Rule]):
        from spacy.matcher import Matcher, PhraseMatcher

        super().__init__(lang, rules)
        self.nlp = pipeline(lang)
        self.vocab = self.nlp.vocab
        self.phrases = PhraseMatcher(self.vocab, attr="LOWER")
        self._position_of_hash = {self.vocab.strings.add(key): i for i, key in enumerate(self.rules)}
        self.matcher = Matcher(self.vocab, validate=False)
        for key, slots in self.slots_of_key.items():
            if self._uses_phrase_matcher(slots):
                self._add_phrases(key, [sorted(self.slots[s]) for s in slots])
            else:
                self._compile(key)

    @staticmethod
    def _uses_phrase_matcher(slots: list[Slot]) -> bool:
        return len(slots) == 1 or not any(s.head or s.first for s in slots)

    def _add_phrases(self, key: str, alternatives: list[list[str]]) -> None:
        from spacy.tokens import Doc

        docs = [Doc(self.vocab, words=list(combo), lemmas=list(combo)) for combo in itertools.product(*alternatives)]
        self.phrases.add(key, docs)

    def _compile(self, key: str) -> None:
        if key in self.matcher:
            self.matcher.remove(key)
        self.matcher.add(key, [[{"LOWER": {"IN": sorted(self.slots[s])}} for s in self.slots_of_key[key]]])

    def learn(self, doc: Doc) -> None:
        """Add this document's new forms to the slots they fill (once per distinct form)."""
        recompile: set[str] = set()
        added: dict[str, list[str]] = {}  # single-word rules: the forms to add (one PhraseMatcher.add per rule)
        strings = self.vocab.strings
        forms, lemmas = forms_of(doc)  # distinct forms only (a lower form has one lemma)
        new = unseen(forms, self.seen)
        for lower_hash, lemma_hash in zip(forms[new].tolist(), lemmas[new].tolist()):
            self.seen.add(lower_hash)
            lower = strings[lower_hash]
            for slot in self.slots_of_form(strings[lemma_hash], lower):  # once per form: ``seen``
                if lower in self.slots[slot]:
                    continue
                self.slots[slot].add(lower)
                for key in self.keys_of_slot[slot]:
                    if len(self.slots_of_key[key]) == 1:
                        added.setdefault(key, []).append(lower)
                    else:
                        recompile.add(key)
        for key, forms in added.items():
            self._add_phrases(key, [forms])
        for key in recompile:
            if key in self.matcher:
                self._compile(key)
            else:  # a plain phrase whose word gained a lemma: add the new combinations
                self.phrases.remove(key)
                self._add_phrases(key, [sorted(self.slots[s]) for s in self.slots_of_key[key]])

    def match_arrays(self, doc: Doc, tokens: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every word and phrase match in ``doc`` as arrays: rule (its position in this language's rules),
        character start and end; no Python object per match. ``tokens``: ``doc.to_array(TOKEN_ATTRS)``, if
        the caller has it (else it is made here, once)."""
        if tokens is None:
            tokens = token_array(doc)
        self.learn(doc)
        matches = self.phrases(doc)
        if len(self.matcher):
            matches += self.matcher(doc)
        if not matches:
            return _NO_MATCHES
        found = np.array(matches, dtype=np.uint64).reshape(-1, 3)
        ids, inverse = np.unique(found[:, 0], return_inverse=True)
        position = self._position_of_hash
        rule = np.fromiter((position[h] for h in ids.tolist()), dtype=np.int64, count=len(ids))[inverse.reshape(-1)]
        # character spans from the token arrays: no Span objects per match
        first, last = found[:, 1].astype(np.int64), found[:, 2].astype(np.int64) - 1
        starts = tokens[first, 2].astype(np.int64)
        return rule, starts, tokens[last, 2].astype(np.int64) + tokens[last, 3].astype(np.int64)

    def regex_arrays(self, text: str, units: list[tuple[int, int]], where: str = ""
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The regular-expression rules' matches inside ``units`` of ``text``, as :meth:`match_arrays` gives them."""
        found = self.regexes.matches(_walled(text, units), where, REGEX_SECONDS) if self.regexes else ()
        if not found:
            return _NO_MATCHES
        position = self.position
        arr = np.array([(position[id(r)], a, b) for r, a, b in found], dtype=np.int64).reshape(-1, 3)
        return arr[:, 0], arr[:, 1], arr[:, 2]

    def hits(self, doc: Doc, text: str) -> list[Hit]:
        """The matches of :meth:`match_arrays` as :class:`Hit` objects."""
        rule, start, end = self.match_arrays(doc)
        rules = self.ordered
        return [Hit(a, b, rules[r], text[a:b]) for r, a, b in zip(rule.tolist(), start.tolist(), end.tolist())]


class RuleCoder:
    """Codes spaCy docs with a codebook's rules; one compiled matcher per language.

    ``coder.hits(doc)`` gives every positive match that no exclusion pattern overlaps,
    with its rule, so each coding can say why it was made.
    """

    def __init__(self, codebook: CodebookBase, only: list[Rule] | None = None):
        self.codebook = codebook
        self._by_lang: dict[str, _LanguageRules] = {}
        self._indexes: dict[str, SlotIndex] = {}
        self._rules: dict[str, list[Rule]] = {}
        for rule in only if only is not None else self._all_rules(codebook):
            self._rules.setdefault(rule.pattern.lang, []).append(rule)
        self._exclusion_scope = {c.id: self._ancestors(c.id) for c in codebook.codes}
        self._tables: dict[str, RuleTable] = {}

    @staticmethod
    def _all_rules(codebook: CodebookBase) -> list[Rule]:
        """Every pattern of every code, then each distinct cue word (of contexts and the domain) once."""
        rank = itertools.count()
        rules, cues = [], {}
        for code in codebook.codes:
            for p in (*code.patterns, *code.not_patterns):
                rules.append(Rule(code.id, p, next(rank)))
                for cue in p.context.cues if p.context is not None else ():
                    cues.setdefault((cue.lang, cue.source), cue)
        for cue in codebook.domain.cues:
            cues.setdefault((cue.lang, cue.source), cue)
        return rules + [Rule(CUE, cue, next(rank)) for cue in cues.values()]

    @staticmethod
    def _ancestors(code_id: str) -> tuple[str, ...]:
        parts = code_id.split(".")
        return tuple(".".join(parts[: i + 1]) for i in range(len(parts)))

    @property
    def languages(self) -> list[str]:
        return sorted(self._rules)

    @property
    def labels(self) -> list[str]:
        return [c.id for c in self.codebook.codes]

    def __len__(self) -> int:
        return sum(len(r) for r in self._rules.values())

    def slot_index(self, lang: str) -> SlotIndex | None:
        """This language's rules as word slots, without spaCy's matchers (for matching stored arrays)."""
        if lang not in self._rules:
            return None
        if lang in self._by_lang:
            return self._by_lang[lang]
        index = self._indexes.get(lang)
        if index is None:
            index = self._indexes[lang] = SlotIndex(lang, self._rules[lang])
        return index

    def for_language(self, lang: str) -> _LanguageRules | None:
        if lang not in self._rules:
            return None
        if lang not in self._by_lang:
            self._by_lang[lang] = _LanguageRules(lang, self._rules[lang])
        return self._by_lang[lang]

    def table(self, lang: str) -> RuleTable:
        """This language's rules as arrays (:class:`~thematic.coding.finish.RuleTable`): from match arrays to codings."""
        table = self._tables.get(lang)
        if table is None:
            table = self._tables[lang] = RuleTable.of(self.rules_for(lang), self.codebook, lang, self._exclusion_scope)
        return table

    def raw_arrays(self, doc: Doc, lang: str, units: list[tuple[int, int]] | None = None, text: str | None = None,
                   where: str = "", tokens: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every match of every rule (as :meth:`raw_hits`) as arrays: rule (its position in :meth:`rules_for`),
        start, end; give them to :meth:`table`'s ``records`` or ``rows``."""
        rules = self.for_language(lang)
        if rules is None:
            return _NO_MATCHES
        rule, start, end = rules.match_arrays(doc, tokens)
        if rules.regexes:
            text = doc.text if text is None else text
            more = rules.regex_arrays(text, units if units is not None else [(0, len(text))], where)
            if len(more[0]):
                rule, start, end = (np.concatenate([x, y]) for x, y in zip((rule, start, end), more))
        return rule, start, end

    def hits(self, doc: Doc, lang: str, units: list[tuple[int, int]] | None = None, text: str | None = None,
             where: str = "") -> list[Hit]:
        """Positive matches in ``doc`` (regexes kept inside single ``units``), exclusions applied.

        ``text`` is the document text (``doc.text`` rebuilds it token by token, so pass it when known);
        ``where`` names the document in warnings.
        """
        return self.apply_exclusions(self.raw_hits(doc, lang, units, text, where))

    def raw_hits(self, doc: Doc, lang: str, units: list[tuple[int, int]] | None = None,
                 text: str | None = None, where: str = "") -> list[Hit]:
        """Every match of every rule, exclusion patterns included (see :meth:`apply_exclusions`)."""
        rules = self.for_language(lang)
        if rules is None:
            return []
        text = doc.text if text is None else text
        hits = rules.hits(doc, text)
        if rules.regexes:
            masked = _walled(text, units if units is not None else [(0, len(text))])
            hits += [Hit(a, b, rule, text[a:b]) for rule, a, b in rules.regexes.matches(masked, where, REGEX_SECONDS)]
        return hits

    def finish(self, hits: list[Hit], document: Document, units, unit_kind: str) -> list[Hit]:
        """From every match (:meth:`raw_hits`) to the ones that code: exclusions, then context
        conditions and domain requirements (:func:`thematic.coding.context.apply_conditions`)."""
        cues = [h for h in hits if h.rule.code == CUE]
        kept = self.apply_exclusions(hits)
        return apply_conditions(kept, cues, document, units, unit_kind, self.codebook)

    def apply_exclusions(self, hits: list[Hit]) -> list[Hit]:
        """Drop positive matches overlapped by an exclusion match of the same code or an ancestor
        (cue matches, which only serve context conditions, are dropped too)."""
        hits = [h for h in hits if h.rule.code != CUE]
        negatives = [h for h in hits if h.rule.pattern.exclude]
        if not negatives:
            return [h for h in hits if not h.rule.pattern.exclude]
        by_code: dict[str, list[tuple[int, int]]] = {}
        for n in negatives:
            by_code.setdefault(n.rule.code, []).append((n.start, n.end))
        kept = []
        for h in hits:
            if h.rule.pattern.exclude:
                continue
            spans = [sp for code in self._exclusion_scope.get(h.rule.code, (h.rule.code,))
                     for sp in by_code.get(code, ())]
            if any(a < h.end and h.start < b for a, b in spans):
                continue
            kept.append(h)
        return kept

    def rules_for(self, lang: str) -> list[Rule]:
        return list(self._rules.get(lang, ()))


_END = ""  # the trie key marking the end of a word (no character is the empty string)


def _trie(items) -> dict:
    """A character trie of ``(word, value)`` in nested dicts; a word's node keeps its value under :data:`_END`."""
    root: dict = {}
    for word, value in items:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[_END] = value
    return root


def _walled(text: str, units) -> str:
    """The text with a line break just before and after every coding unit, so a regex's ``.`` cannot
    run from one unit into the next; lengths and offsets are unchanged (only characters outside
    units are replaced). Lets each regex scan a whole document once instead of once per unit.

    ``units`` are ``(start, end)`` pairs (a list or an array). Done with numpy over the text's code points
    (per unit in Python it was two thirds of the regular-expression stage at 1M words).
    """
    spans = np.asarray(units, dtype=np.int64).reshape(-1, 2)
    n = len(text)
    if not len(spans) or not n:
        return text
    spans = spans[np.lexsort((spans[:, 1], spans[:, 0]))]
    starts = spans[:, 0]
    candidates = np.unique(np.concatenate([starts - 1, spans[:, 1]]))
    candidates = candidates[(candidates >= 0) & (candidates < n)]
    # a position is covered when the last unit starting at or before it (in (start, end) order) runs past it
    i = np.maximum(np.searchsorted(starts, candidates, side="right") - 1, 0)
    covered = (spans[i, 0] <= candidates) & (candidates < spans[i, 1]) & (candidates >= starts[0])
    walls = candidates[~covered]
    if not len(walls):
        return text
    points = code_points(text).copy()
    points[walls] = ord("\n")
    return from_code_points(points)
