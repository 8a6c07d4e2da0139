"""The project's memory of earlier rule coding, for re-coding without parsing.

Per document and pipeline/unit version: its token arrays, units and rule hits as int32 BLOBs
(``coding_memory``), the rules it was matched with (``coding_checked``), a vocabulary per language
(``coding_vocab``: form id -> form, lemma), an id per rule key (``coding_rules``) and the lexicon of
the vocabulary's dictionary forms (``coding_lexicon``). ``thematic.coding.incremental`` reads and
writes it through :class:`_Memory` (its ``Memory`` protocol); only the store speaks SQL.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from ..corpus import Document

if TYPE_CHECKING:
    from .project import Project


@functools.lru_cache(maxsize=None)
def _lemmatiser() -> str:
    """The lemmatiser a project's lexicon was made with (another version may fold words otherwise): the
    name of simplemma's installed distribution, found without importing it or ``importlib.metadata``
    (33 ms; re-coding starts in a fraction of a second)."""
    import importlib.util

    spec = importlib.util.find_spec("simplemma")
    if spec is None or not spec.origin:
        return "simplemma"
    site = Path(spec.origin).parent.parent
    return " ".join(sorted(p.name for p in site.glob("simplemma-*.dist-info"))) or f"simplemma at {site}"


class _Memory:
    """The project's memory of earlier rule coding (``thematic.coding.incremental.Memory``): per document
    and pipeline/unit version its token arrays, units and rule hits as int32 BLOBs, a vocabulary per
    language (form id -> form, lemma) and an id per rule key. It is a cache: written in batches, each
    with the vocabulary and rule ids it needs; when another process extended those meanwhile, this
    run's remaining memory is dropped (and made again the next time) rather than mixed up."""

    BATCH = 64  # documents remembered per write (bounded memory on large corpora)

    def __init__(self, project: "Project", stream: Iterable[Document] | None = None, added=None):
        self.project = project
        self.stream = stream  # documents being added: coded from memory, not read back from the store
        self.held: dict[str, Document] = {}
        self.pending: dict[tuple[str, str], tuple] = {}
        self.vocabs: dict = {}
        self._rule_ids: dict[str, int] | None = None
        self._rules_stored = 0
        self._sha: dict[str, str] = {}
        self.broken = False
        # the AddReport that storing the streamed documents adds to, batch by batch (none without a stream:
        # an AddReport holds a DataFrame, and re-coding does not import pandas)
        self.added = added

    def entries(self, version: str):
        from ..coding.arrays import Remembered, unpack, unpack_ids

        conn = self.project._conn
        seen: set[str] = set()
        batches = []
        if self.stream is not None:
            batches.append(self._streamed(seen))
        batches.append(self._stored(seen))
        for chunk in (c for source in batches for c in source):
            marks = ",".join("?" * len(chunk))
            # not the token arrays (15 MB at 1M words): read by tokens() for a document an added rule can match
            stored = {r[0]: r[1:] for r in conn.execute(
                f"SELECT m.doc_id, m.sha256, NULL, m.units, m.hits, c.rules FROM coding_memory m "
                f"LEFT JOIN coding_checked c ON c.doc_id = m.doc_id AND c.version = m.version "
                f"WHERE m.version = ? AND m.doc_id IN ({marks})", (version, *[d[0] for d in chunk])).fetchall()}
            for doc_id, lang, sha in chunk:
                self._sha[doc_id] = sha
                row = stored.get(doc_id)
                if row is None or row[0] != sha:
                    yield doc_id, lang, None  # never coded, or the transcript changed since
                    continue
                yield doc_id, lang, Remembered(None, unpack(row[2]), unpack(row[3]), unpack_ids(row[4]))

    def tokens(self, doc_id: str, version: str):
        from ..coding.arrays import unpack

        row = self.project._conn.execute("SELECT tokens FROM coding_memory WHERE doc_id = ? AND version = ?",
                                         (doc_id, version)).fetchone()
        return unpack(row[0] if row else None)

    def _streamed(self, seen: set[str]):
        """Batches of the streamed documents, each stored (as ``Project.add``) before it is coded."""
        batch: list[Document] = []
        for document in itertools.chain(self.stream, [None]):
            if document is not None:
                batch.append(document)
                if len(batch) < self.BATCH:
                    continue
            if not batch:
                break
            self.added.merge(self.project.add(batch))
            if len(self.held) > 4 * self.BATCH:
                self.held.clear()  # bounded: a document no longer held is read back when needed
            self.held.update((d.doc_id, d) for d in batch)
            seen.update(d.doc_id for d in batch)
            yield [(d.doc_id, d.language, hashlib.sha256(d.text.encode("utf-8")).hexdigest()) for d in batch]
            batch = []

    def _stored(self, seen: set[str]):
        docs = [d for d in self.project._conn.execute("SELECT doc_id, language, sha256 FROM documents "
                                                      "ORDER BY doc_id").fetchall() if d[0] not in seen]
        for i in range(0, len(docs), self.BATCH):
            yield docs[i:i + self.BATCH]

    def document(self, doc_id: str) -> Document:
        held = self.held.get(doc_id)
        return held if held is not None else self.project.document(doc_id)

    def vocabulary(self, lang: str):
        from ..coding.arrays import Vocabulary

        vocab = self.vocabs.get(lang)
        if vocab is None:
            rows = self.project._conn.execute("SELECT form, lemma FROM coding_vocab WHERE lang = ? ORDER BY form_id",
                                              (lang,)).fetchall()
            vocab = self.vocabs[lang] = Vocabulary(lang, [r[0] for r in rows], [r[1] for r in rows])
        return vocab

    def pattern_lemma(self, word: str, lang: str) -> str:
        """A pattern word's lemma from the project's lexicon (no dictionary load) when the lexicon covers
        every form of the vocabulary; else from the lemmatiser (``thematic.nlp.pattern_lemma``).

        A word the lexicon does not list folds into no lemma of the vocabulary, so it is its own lemma as
        far as the vocabulary's forms can tell. Forms added to the vocabulary in this process are not
        covered yet: then the lemmatiser answers (it is loaded anyway, since they were just parsed)."""
        from ..nlp import folds_by_dictionary, pattern_lemma

        vocab = self.vocabulary(lang)
        if folds_by_dictionary(word) and self._lexicon_covers(lang) == len(vocab) == vocab.new_from:
            row = self.project._conn.execute("SELECT lemma FROM coding_lexicon WHERE lang = ? AND form = ?",
                                             (lang, word)).fetchone()
            return row[0] if row else word
        return pattern_lemma(word, lang)

    def _lexicon_covers(self, lang: str, conn=None) -> int:
        """How many vocabulary forms (in form id order) the lexicon of ``lang`` covers, for this lemmatiser."""
        row = (conn or self.project._conn).execute("SELECT value FROM meta WHERE key = ?",
                                                   (f"coding_lexicon.{lang}",)).fetchone()
        state = json.loads(row[0]) if row else {}
        return int(state.get("forms", 0)) if state.get("lemmatiser") == _lemmatiser() else -1

    def finish(self) -> None:
        """Write what is pending, then extend each used language's lexicon over the vocabulary forms it
        does not cover yet (``thematic.nlp.dictionary_forms``: one pass over the lemmatiser's dictionary,
        which the parse that added those forms loaded already)."""
        from ..nlp import dictionary_forms

        self.flush()
        if self.broken:
            return
        conn = self.project._conn
        for lang in sorted(self.vocabs):
            covered = self._lexicon_covers(lang)
            total = conn.execute("SELECT count(*) FROM coding_vocab WHERE lang = ?", (lang,)).fetchone()[0]
            if covered == total:
                continue
            # the lemmas of the forms not covered (all of them when made with another lemmatiser)
            lemmas = {r[0] for r in conn.execute("SELECT lemma FROM coding_vocab WHERE lang = ? AND form_id >= ?",
                                                 (lang, max(covered, 0)))}
            pairs = dictionary_forms(lemmas, lang)
            if pairs is None:
                continue  # the dictionary cannot be read: re-coding keeps asking the lemmatiser
            with self.project.atomic() as c:
                c.lock("coding_memory")
                if self._lexicon_covers(lang, c) != covered or c.execute(
                        "SELECT count(*) FROM coding_vocab WHERE lang = ?", (lang,)).fetchone()[0] != total:
                    continue  # another process extended the vocabulary or the lexicon meanwhile: next time
                if covered < 0:
                    c.execute("DELETE FROM coding_lexicon WHERE lang = ?", (lang,))
                c.executemany("INSERT INTO coding_lexicon (lang, form, lemma) VALUES (?, ?, ?) "
                              "ON CONFLICT (lang, form) DO NOTHING", [(lang, w, l) for w, l in pairs])
                c.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE "
                          "SET value = excluded.value", (f"coding_lexicon.{lang}",
                                                         json.dumps({"forms": total, "lemmatiser": _lemmatiser()})))

    def rule_ids(self, keys) -> dict[str, int]:
        if self._rule_ids is None:
            self._rule_ids = dict(self.project._conn.execute("SELECT key, rule_id FROM coding_rules").fetchall())
            self._rules_stored = len(self._rule_ids)
        out = {}
        for key in keys:
            if key not in self._rule_ids:
                self._rule_ids[key] = len(self._rule_ids)
            out[key] = self._rule_ids[key]
        return out

    def remember(self, doc_id: str, version: str, remembered, *, tokens: bool = True, hits: bool = True) -> None:
        from ..coding.arrays import pack, pack_ids

        if self.broken:
            return
        self.pending[(doc_id, version)] = (
            pack(remembered.tokens) if tokens else None, pack(remembered.units) if tokens else None,
            pack(remembered.hits) if tokens or hits else None, pack_ids(remembered.rules))
        if len(self.pending) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.pending or self.broken:
            return
        sha = self._sha  # the text the arrays were made from (a later edit makes the memory stale, as it should)
        with self.project.atomic() as conn:
            conn.lock("coding_memory")
            for lang, vocab in self.vocabs.items():
                stored = conn.execute("SELECT count(*) FROM coding_vocab WHERE lang = ?", (lang,)).fetchone()[0]
                if stored != vocab.new_from:
                    self.broken = True  # another process added forms meanwhile: our ids would clash
            if self._rule_ids is not None and conn.execute("SELECT count(*) FROM coding_rules").fetchone()[0] \
                    != self._rules_stored:
                self.broken = True
            if self.broken:
                self.pending.clear()
                return
            for lang, vocab in self.vocabs.items():
                conn.executemany("INSERT INTO coding_vocab (lang, form_id, form, lemma) VALUES (?,?,?,?)",
                                 [(lang, i, vocab.lowers[i], vocab.lemmas[i])
                                  for i in range(vocab.new_from, len(vocab.lowers))])
                vocab.new_from = len(vocab.lowers)
            if self._rule_ids is not None:
                conn.executemany("INSERT INTO coding_rules (rule_id, key) VALUES (?, ?)",
                                 [(i, k) for k, i in self._rule_ids.items() if i >= self._rules_stored])
                self._rules_stored = len(self._rule_ids)
            conn.executemany("INSERT INTO coding_memory (doc_id, version, sha256, tokens, units, hits) "
                             "VALUES (?,?,?,?,?,?) ON CONFLICT (doc_id, version) DO UPDATE "
                             "SET sha256 = excluded.sha256, tokens = excluded.tokens, units = excluded.units, "
                             "hits = excluded.hits",
                             [(doc_id, version, sha[doc_id], *values[:3])
                              for (doc_id, version), values in self.pending.items() if values[0] is not None])
            # a rule added since: the tokens and units stay, the hits grow where it matched (a row rewritten
            # with its token arrays), the rules matched grow everywhere (a small row of coding_checked)
            conn.executemany("UPDATE coding_memory SET hits = ? WHERE doc_id = ? AND version = ?",
                             [(values[2], doc_id, version) for (doc_id, version), values in self.pending.items()
                              if values[0] is None and values[2] is not None])
            conn.executemany("INSERT INTO coding_checked (doc_id, version, rules) VALUES (?,?,?) "
                             "ON CONFLICT (doc_id, version) DO UPDATE SET rules = excluded.rules",
                             [(doc_id, version, values[3]) for (doc_id, version), values in self.pending.items()])
        self.pending.clear()
