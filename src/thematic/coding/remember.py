"""First coding that remembers: parse documents in batches (or in a pool of worker processes),
code them, and keep their token arrays, units and rule hits for re-coding.

A worker returns, per document, plain arrays: units, rule hits (rule id, start, end), each
token's spaCy ``LOWER`` hash, start and length, and the strings of the hashes it has not sent
before; the parent turns hashes into the project's form ids (:class:`~thematic.coding.arrays.Vocabulary`).
No ``Doc`` and no Python object per hit crosses a process boundary.

Example:
    >>> for doc_id, lang, remembered, document, parsed, rows in with_parses(entries, memory, book, ids, "sentence", False):
    ...     pass  # doctest: +SKIP
"""

from __future__ import annotations

import itertools
from collections import ChainMap, deque
from typing import Iterable, Iterator

import numpy as np

from ..corpus import Document
from ..nlp import check_language, forms_of, parse, unseen
from .arrays import Remembered
from .engine import check_word_lengths, fork_pool, rule_coder, unit_spans
from .rules import token_array

#: Documents parsed together (and sent to a worker at once).
BATCH = 32

_WORKER: dict = {}


def parse_batch(documents: list[Document], codebook, ids: dict[str, int], unit: str, include_interviewer: bool,
                known: dict | set, record: bool) -> list[tuple]:
    """Parse and rule-code documents; per document ``(doc_id, units, hits, hashes, starts_lengths, forms)``.

    ``forms`` maps the ``LOWER`` hashes not in ``known[lang]`` to ``(lower form, lemma)``; with
    ``record`` they are added to ``known`` (a worker remembers what it has sent to the parent).
    """
    coder = rule_coder(codebook)
    by_lang: dict[str, list[Document]] = {}
    for d in documents:
        check_word_lengths(d)
        by_lang.setdefault(check_language(d.language), []).append(d)
    out = []
    for lang, docs in by_lang.items():
        seen = known.setdefault(lang, set()) if record else known.get(lang, {})
        project_id = np.array([ids[r.key] for r in coder.rules_for(lang)], dtype=np.int32)  # by rule position
        for document, doc in zip(docs, parse([d.text for d in docs], lang)):
            unit_arr = unit_spans(document, doc, unit, include_interviewer)
            arr = token_array(doc)
            rule, start, end = coder.raw_arrays(doc, lang, unit_arr[:, :2].tolist(), text=document.text,
                                                where=document.doc_id, tokens=arr)
            hit_arr = np.empty((len(rule), 3), dtype=np.int32)
            if len(rule):
                hit_arr[:, 0], hit_arr[:, 1], hit_arr[:, 2] = project_id[rule], start, end
                # in text order: the matchers' own order varies with the process's string hashing, and the
                # project file should not (two codings of the same corpus write the same bytes)
                hit_arr = hit_arr[np.lexsort((hit_arr[:, 0], hit_arr[:, 2], hit_arr[:, 1]))]
            hashes = arr[:, 0].copy()
            forms = {}
            if len(doc):
                uniq, lemmas = forms_of(doc)
                strings = doc.vocab.strings
                new = unseen(uniq, seen)  # the forms not sent before
                for h, lemma_hash in zip(uniq[new].tolist(), lemmas[new].tolist()):
                    forms[h] = (strings[h], strings[lemma_hash])
                if record:
                    seen.update(forms)
            out.append((document.doc_id, unit_arr, hit_arr, hashes, arr[:, 2:].astype(np.int32), forms))
    return out


def _init(codebook, ids, unit, include_interviewer) -> None:
    _WORKER.update(codebook=codebook, ids=ids, unit=unit, include_interviewer=include_interviewer, known={})


def _work(documents: list[Document]) -> list[tuple]:
    w = _WORKER
    return parse_batch(documents, w["codebook"], w["ids"], w["unit"], w["include_interviewer"], w["known"], True)


def _pool(codebook, ids, unit, include_interviewer, n_process, languages):
    return fork_pool(codebook, languages, n_process, _init, (codebook, ids, unit, include_interviewer))


def with_parses(entries: Iterable[tuple], memory, codebook, ids: dict[str, int], version: str, unit: str,
                include_interviewer: bool, n_process: int = 1, batch_size: int = BATCH,
                workers: "Workers | None" = None
                ) -> Iterator[tuple[str, str, Remembered, Document | None, bool, list[tuple] | None]]:
    """``(doc_id, lang, remembered, document or None, parsed, codings or None)`` for every entry of
    ``memory.entries``: documents without memory are parsed and coded in batches (in ``n_process``
    workers when > 1), and remembered. ``workers`` (a :class:`Workers` whose processes also read the
    streamed files) supplies the parses it made while reading, with their codings (``RECORD_FIELDS``
    records, as ``code_with_memory`` makes them from the arrays); otherwise codings are None."""
    own = workers is None and n_process > 1
    if own:
        workers = Workers(codebook, unit, include_interviewer, n_process)
    if workers is not None:
        workers.ids = ids
    in_flight: deque = deque()
    try:
        it = iter(entries)
        while True:
            chunk = list(itertools.islice(it, batch_size))
            if not chunk:
                break
            todo = [memory.document(doc_id) for doc_id, _, rem in chunk if rem is None]
            if workers is not None:
                workers.discard(doc_id for doc_id, _, rem in chunk if rem is not None)
                if todo:
                    ready = workers.take(todo)
                    in_flight.append((chunk, todo, ready if ready is not None else workers.submit(todo)))
                    while len(in_flight) > 2 * n_process:  # a few batches in flight: memory stays bounded
                        yield from _merge(*in_flight.popleft(), memory, version, codebook, ids, workers)
                    continue
            while in_flight:  # keep the order of the entries
                yield from _merge(*in_flight.popleft(), memory, version, codebook, ids, workers)
            known = {lang: memory.vocabulary(lang).known for lang in {d.language for d in todo}}
            results = parse_batch(todo, codebook, ids, unit, include_interviewer, known, False) if todo else []
            yield from _merge(chunk, todo, results, memory, version, codebook, ids, workers)
        while in_flight:
            yield from _merge(*in_flight.popleft(), memory, version, codebook, ids, workers)
    finally:
        if own:
            workers.close()


class Workers:
    """Worker processes for a first coding (``n_process`` > 1).

    :meth:`submit` has a batch of documents parsed and coded. :meth:`documents` goes further: the
    workers read and ingest a :class:`~thematic.transcripts.DocumentStream`'s files
    (:func:`~thematic.transcripts.read_one`) and parse and code what they read, so both cores are
    busy; the parent checks the results in file order (duplicates, strict mode), stores the documents
    and takes their arrays (:meth:`take`) instead of parsing them again. Forms a worker sent with
    arrays that were not used (a duplicate file, a document remembered from before) are kept in
    ``spare``: the worker will not send them again.
    """

    FILES_PER_TASK = 4
    #: Files read ahead: more than the parent stores at once (``_Memory.BATCH``, 64), so the workers
    #: keep reading while the parent writes a batch (a few MB of documents and arrays in flight).
    FILES_AHEAD = 160

    def __init__(self, codebook, unit: str, include_interviewer: bool, n_process: int):
        self.codebook, self.unit, self.include_interviewer, self.n_process = codebook, unit, include_interviewer, \
            n_process
        self.ids: dict[str, int] | None = None
        self.pool = None
        self.prepared: dict[str, tuple | BaseException] = {}
        self.spare: dict[str, dict[int, tuple[str, str]]] = {}
        self._languages: dict[str, str] = {}
        self.rows: dict[str, list[tuple]] = {}  # doc_id -> the codings a worker made with its parse

    def _pool(self, languages=()):
        if self.pool is None:
            if self.ids is None:
                raise RuntimeError("Workers.ids must be set before the workers start")
            self.pool = _pool(self.codebook, self.ids, self.unit, self.include_interviewer, self.n_process, languages)
        return self.pool

    def submit(self, documents: list[Document]):
        return self._pool({d.language for d in documents}).submit(_work, documents)

    def documents(self, stream) -> Iterator[Document]:
        """The stream's documents, read, ingested, parsed and coded in the workers (in file order)."""
        payloads: deque = deque()

        def results():
            planned = stream.plan()
            if self.pool is None and planned:
                # Load the first file's language (pipeline, matchers, dictionaries) here, before the workers
                # fork: they share it instead of each loading it (half the start-up CPU, less memory).
                from ..transcripts import read_one
                from ..types import LANGUAGES

                first = read_one(*planned[0], stream.options).document
                self._pool({first.language} & set(LANGUAGES) if first is not None else ())
            items = iter(planned)
            pending: deque = deque()

            def more() -> None:
                batch = list(itertools.islice(items, self.FILES_PER_TASK))
                if batch:
                    pending.append(self._pool().submit(_read_work, batch, stream.options))

            for _ in range(max(2 * self.n_process + 1, self.FILES_AHEAD // self.FILES_PER_TASK)):
                more()
            while pending:
                done = pending.popleft().result()
                more()
                for result, payload in done:
                    payloads.append(payload)
                    yield result

        for result, document in stream.checked(results()):
            payload = payloads.popleft()
            if document is None:
                if result.document is not None:
                    self._keep_forms(result.document.language, payload)
                continue
            if payload is not None:
                self.prepared[document.doc_id] = payload
                self._languages[document.doc_id] = document.language
            yield document

    def take(self, documents: list[Document]) -> list[tuple] | None:
        """The workers' parses of these documents, or None when some were not parsed while reading."""
        got = [self.prepared.pop(d.doc_id, None) for d in documents]
        for d in documents:
            self._languages.pop(d.doc_id, None)
        if any(g is None for g in got):
            for d, g in zip(documents, got):
                self._keep_forms(d.language, g)
            return None
        for g in got:
            if isinstance(g, BaseException):
                raise g  # what parsing this batch in the parent would have raised (a too long word, a language)
        self.rows.update((g[0], g[6]) for g in got)
        return [g[:6] for g in got]

    def discard(self, doc_ids: Iterable[str]) -> None:
        """Parses not needed (the document is remembered from an earlier coding)."""
        for doc_id in doc_ids:
            payload = self.prepared.pop(doc_id, None)
            if payload is not None:
                self._keep_forms(self._languages.pop(doc_id), payload)

    def _keep_forms(self, lang: str, payload) -> None:
        if isinstance(payload, tuple) and payload[5]:
            self.spare.setdefault(lang, {}).update(payload[5])

    def forms(self, lang: str, forms: dict) -> dict:
        spare = self.spare.get(lang)
        return ChainMap(forms, spare) if spare else forms

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None


def _read_work(items: list, options) -> list[tuple]:
    """In a worker: read files (:func:`~thematic.transcripts.read_one`), then parse and code their
    documents; per file ``(FileResult, parse_batch tuple | the error parsing raised | None)``."""
    from ..errors import ThematicError
    from ..transcripts import read_one

    w = _WORKER
    results = [read_one(file, row, options) for file, row in items]
    payloads: list = [None] * len(results)
    documents, where = [], {}
    for k, result in enumerate(results):
        d = result.document
        if d is None or d.doc_id in where:
            continue  # refused, or a second file with the same id (the parent refuses it or parses it)
        try:  # the checks parse_batch makes first, per document: an error stays with its document
            check_word_lengths(d)
            check_language(d.language)
        except ThematicError as exc:
            payloads[k] = exc
            continue
        where[d.doc_id] = k
        documents.append(d)
    if documents:
        from .incremental import rows_of

        codebook, ids = w["codebook"], w["ids"]
        coder = rule_coder(codebook)
        by_id = {d.doc_id: d for d in documents}
        by_lang: dict[str, dict] = {}
        for item in parse_batch(documents, codebook, ids, w["unit"], w["include_interviewer"], w["known"], True):
            document = by_id[item[0]]
            rules = by_lang.get(document.language)
            if rules is None:
                rules = by_lang[document.language] = {ids[r.key]: r for r in coder.rules_for(document.language)}
            # the codings too, as the parent would make them from the arrays (code_with_memory's rows_of)
            rows = rows_of(document, Remembered(None, item[1], item[2]), rules, coder, w["unit"], codebook)
            payloads[where[item[0]]] = (*item, rows)
    return list(zip(results, payloads))


def _merge(chunk, todo, results, memory, version, codebook, ids, workers=None):
    if not isinstance(results, list):
        results = results.result()
    documents = {d.doc_id: d for d in todo}
    parsed, of_lang = {}, {}
    for doc_id, units, hits, hashes, starts_lengths, forms in results:
        lang = documents[doc_id].language
        vocab = memory.vocabulary(lang)
        tokens = np.empty((len(hashes), 3), dtype=np.int32)
        tokens[:, 0] = vocab.from_hashes(hashes, workers.forms(lang, forms) if workers is not None else forms)
        tokens[:, 1:] = starts_lengths
        if lang not in of_lang:
            of_lang[lang] = {ids[r.key] for r in rule_coder(codebook).rules_for(lang)}
        remembered = Remembered(tokens, units, hits, set(of_lang[lang]))  # its own set: re-coding adds to it
        memory.remember(doc_id, version, remembered)
        parsed[doc_id] = remembered
    made = workers.rows if workers is not None else {}
    for doc_id, lang, remembered in chunk:
        if remembered is None:
            yield doc_id, lang, parsed[doc_id], documents[doc_id], True, made.pop(doc_id, None)
        else:
            yield doc_id, lang, remembered, None, False, None
