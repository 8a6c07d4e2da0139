"""First coding that remembers: parse documents in batches (or in a pool of worker processes),
code them, and keep their token arrays, units and rule hits for re-coding.

A worker returns, per document, plain arrays: units, rule hits (rule id, start, end), each
token's spaCy ``LOWER`` hash, start and length, and the strings of the hashes it has not sent
before; the parent turns hashes into the project's form ids (:class:`~thematic.coding.arrays.Vocabulary`).
No ``Doc`` and no Python object per hit crosses a process boundary.

Example:
    >>> for doc_id, lang, remembered, document, parsed in with_parses(entries, memory, book, ids, "sentence", False):
    ...     pass  # doctest: +SKIP
"""

from __future__ import annotations

import itertools
from collections import deque
from typing import Iterable, Iterator

import numpy as np

from ..corpus import Document
from ..nlp import check_language, lemma, parse
from .arrays import Remembered
from .engine import check_word_lengths, coding_units, rule_coder

#: Documents parsed together (and sent to a worker at once).
BATCH = 32

_WORKER: dict = {}


def parse_batch(documents: list[Document], codebook, ids: dict[str, int], unit: str, include_interviewer: bool,
                known: dict | set, record: bool) -> list[tuple]:
    """Parse and rule-code documents; per document ``(doc_id, units, hits, hashes, starts_lengths, forms)``.

    ``forms`` maps the ``LOWER`` hashes not in ``known[lang]`` to ``(lower form, lemma)``; with
    ``record`` they are added to ``known`` (a worker remembers what it has sent to the parent).
    """
    from spacy.attrs import IDX, LEMMA, LENGTH, LOWER

    coder = rule_coder(codebook)
    by_lang: dict[str, list[Document]] = {}
    for d in documents:
        check_word_lengths(d)
        by_lang.setdefault(check_language(d.language), []).append(d)
    out = []
    for lang, docs in by_lang.items():
        seen = known.setdefault(lang, set()) if record else known.get(lang, {})
        for document, doc in zip(docs, parse([d.text for d in docs], lang)):
            units = coding_units(document, doc, unit, include_interviewer)
            hits = coder.raw_hits(doc, lang, [(u.start, u.end) for u in units], text=document.text,
                                  where=document.doc_id)
            unit_arr = np.array([(u.start, u.end, u.segment.index) for u in units], dtype=np.int32).reshape(-1, 3)
            hit_arr = np.array([(ids[h.rule.key], h.start, h.end) for h in hits], dtype=np.int32).reshape(-1, 3)
            if len(doc):
                arr = doc.to_array([LOWER, LEMMA, IDX, LENGTH])
            else:
                arr = np.zeros((0, 4), dtype=np.uint64)
            hashes = arr[:, 0].copy()
            forms = {}
            if len(doc):
                uniq, first = np.unique(hashes, return_index=True)
                strings = doc.vocab.strings
                for h, lemma_hash in zip(uniq.tolist(), arr[first, 1].tolist()):
                    if h not in seen:
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
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    for lang in languages:  # load the pipeline, matchers and lemma dictionary once, before the workers fork
        lemma("a", check_language(lang))
        rule_coder(codebook).for_language(lang)
    # fork shares what is loaded with the workers; spawn where fork is missing
    context = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    return ProcessPoolExecutor(n_process, mp_context=context, initializer=_init,
                               initargs=(codebook, ids, unit, include_interviewer))


def with_parses(entries: Iterable[tuple], memory, codebook, ids: dict[str, int], version: str, unit: str,
                include_interviewer: bool, n_process: int = 1, batch_size: int = BATCH
                ) -> Iterator[tuple[str, str, Remembered, Document | None, bool]]:
    """``(doc_id, lang, remembered, document or None, parsed)`` for every entry of ``memory.entries``:
    documents without memory are parsed and coded in batches (in ``n_process`` workers when > 1),
    and remembered."""
    pool = None
    in_flight: deque = deque()
    try:
        it = iter(entries)
        while True:
            chunk = list(itertools.islice(it, batch_size))
            if not chunk:
                break
            todo = [memory.document(doc_id) for doc_id, _, rem in chunk if rem is None]
            if n_process > 1 and todo:
                if pool is None:
                    pool = _pool(codebook, ids, unit, include_interviewer, n_process, {d.language for d in todo})
                in_flight.append((chunk, todo, pool.submit(_work, todo)))
                while len(in_flight) > 2 * n_process:  # a few batches in flight: memory stays bounded
                    yield from _merge(*in_flight.popleft(), memory, version, codebook, ids)
                continue
            while in_flight:  # keep the order of the entries
                yield from _merge(*in_flight.popleft(), memory, version, codebook, ids)
            known = {lang: memory.vocabulary(lang).known for lang in {d.language for d in todo}}
            results = parse_batch(todo, codebook, ids, unit, include_interviewer, known, False) if todo else []
            yield from _merge(chunk, todo, results, memory, version, codebook, ids)
        while in_flight:
            yield from _merge(*in_flight.popleft(), memory, version, codebook, ids)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def _merge(chunk, todo, results, memory, version, codebook, ids):
    if not isinstance(results, list):
        results = results.result()
    documents = {d.doc_id: d for d in todo}
    parsed = {}
    for doc_id, units, hits, hashes, starts_lengths, forms in results:
        lang = documents[doc_id].language
        vocab = memory.vocabulary(lang)
        tokens = np.empty((len(hashes), 3), dtype=np.int32)
        tokens[:, 0] = vocab.from_hashes(hashes, forms)
        tokens[:, 1:] = starts_lengths
        rules = {ids[r.key] for r in rule_coder(codebook).rules_for(lang)}
        remembered = Remembered(tokens, units, hits, rules)
        memory.remember(doc_id, version, remembered)
        parsed[doc_id] = remembered
    for doc_id, lang, remembered in chunk:
        if remembered is None:
            yield doc_id, lang, parsed[doc_id], documents[doc_id], True
        else:
            yield doc_id, lang, remembered, None, False
