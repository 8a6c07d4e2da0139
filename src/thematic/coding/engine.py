"""Rule coding of documents: units, matches, and the tidy codings table.

Coding one document is a pure function of its text, segments, language and the
codebook (:func:`code_document`), so it can run in a process pool or on a Dask
cluster. :func:`code_corpus` streams documents in batches and never holds all
parsed ``Doc`` objects at once.

Offsets in the output are Unicode code points into the document's stored NFC text.

Example:
    >>> import thematic as th
    >>> corpus = th.ingest("data/sample_transcripts")                  # doctest: +SKIP
    >>> book = th.Codebook.load("codebooks/digitalisering.yaml")       # doctest: +SKIP
    >>> codings = code_corpus(corpus, book)                            # doctest: +SKIP
"""

from __future__ import annotations

import bisect
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Iterator

import numpy as np

from ..codebook.model import CodebookBase
from ..codepoints import classify, code_points
from ..corpus import Document, Segment
from ..errors import AnalysisError, Errors, PipelineError
from ..nlp import ParseCache, check_language, parse, pipeline, sentence_starts
from ..types import CODED_ROLES, CODING_COLUMNS, UNITS, empty_codings, theme_of
from .finish import answer_groups, question_spans, spread_groups
from .rules import RuleCoder

if TYPE_CHECKING:  # spaCy loads with the first parse, pandas where a table is made (re-coding makes none)
    import pandas as pd
    from spacy.tokens import Doc

_CODERS: dict[tuple[str, str], RuleCoder] = {}

#: The longest run of characters without a space that is coded. The tokenizer's time grows with a
#: word's length (about 30 s for a five-million-character one), and no spoken word comes near this.
MAX_WORD_CHARS = 1000


def long_word(text: str) -> tuple[int, int] | None:
    """``(start, end)`` of the first run of more than :data:`MAX_WORD_CHARS` characters without white space
    (``str.isspace``, which is what ``\\s`` of a ``re`` pattern matches), or None.

    The gaps between white space found with numpy over the code points: the regex
    ``(?<!\\S)\\S{1001,}`` took 0.13 s per million words (and runs twice per document in a worker), this 0.02 s.

    >>> long_word("kort " + "x" * 1001 + " ord")
    (5, 1006)
    """
    if len(text) <= MAX_WORD_CHARS:
        return None
    spaces = np.flatnonzero(classify(code_points(text), str.isspace))
    starts = np.concatenate([[0], spaces + 1])
    ends = np.concatenate([spaces, [len(text)]])
    long = np.flatnonzero(ends - starts > MAX_WORD_CHARS)
    return (int(starts[long[0]]), int(ends[long[0]])) if len(long) else None


def check_word_lengths(document: Document) -> None:
    """Refuse a document with a "word" longer than :data:`MAX_WORD_CHARS` (N002, naming the line)."""
    found = long_word(document.text)
    if found is None:
        return
    start, end = found
    line, _ = document.lines_of(start, start + 1)
    where = f"{document.doc_id} ({document.path})" if document.path else document.doc_id
    raise PipelineError(Errors.N002.format(where=where, line=line if line is not None else "?",
                                           length=f"{end - start:,}", limit=f"{MAX_WORD_CHARS:,}"),
                        path=document.path or None, line=line)


@dataclass(frozen=True)
class Unit:
    """A coding unit: ``text[start:end]`` of the document, inside one segment."""

    start: int
    end: int
    segment: Segment


def rule_coder(codebook: CodebookBase) -> RuleCoder:
    """A compiled :class:`RuleCoder`, cached per codebook content in this process."""
    key = (codebook.id, getattr(codebook, "fingerprint", None) or str(id(codebook)))
    coder = _CODERS.get(key)
    if coder is None:
        if len(_CODERS) > 8:
            _CODERS.clear()
        coder = _CODERS[key] = RuleCoder(codebook)
    return coder


def coding_units(document: Document, doc: Doc | None, unit: str = "sentence",
                 include_interviewer: bool = False) -> list[Unit]:
    """The units to code: sentences (clipped to segments), turns or paragraphs (segments)."""
    segments = {s.index: s for s in document.segments}
    return [Unit(a, b, segments[i]) for a, b, i in unit_spans(document, doc, unit, include_interviewer).tolist()]


def unit_spans(document: Document, doc: Doc | None, unit: str = "sentence",
               include_interviewer: bool = False) -> np.ndarray:
    """The units of :func:`coding_units` as an ``(n, 3)`` ``int32`` array: start, end, segment index."""
    if unit not in UNITS:
        raise AnalysisError(Errors.A001.format(what="coding unit", value=unit, choices=", ".join(UNITS)))
    segments = [s for s in document.segments
                if s.role in CODED_ROLES or (include_interviewer and s.role in ("interviewer", "unknown"))]
    if unit == "paragraph":
        return np.array([(s.start, s.end, s.index) for s in segments], dtype=np.int32).reshape(-1, 3)
    if unit == "turn":
        units: list[list[int]] = []
        turn = None
        for s in segments:
            if units and turn == s.turn:
                units[-1][1] = s.end
            else:
                units.append([s.start, s.end, s.index])
                turn = s.turn
        return np.array(units, dtype=np.int32).reshape(-1, 3)
    if doc is None:
        raise AnalysisError(Errors.A002.format(detail="sentence units need the parsed document"))
    return _sentence_spans(document.text, sentence_starts(doc).astype(np.int64), segments)


def _sentence_spans(text: str, starts: np.ndarray, segments: list[Segment]) -> np.ndarray:
    """Each segment cut at the sentence starts inside it, each piece without the white space around it.

    Array operations over the segments and the text's code points (per unit in Python, this was a third
    of the rule matching stage at 1M words)."""
    seg = np.array([(s.start, s.end, s.index) for s in segments], dtype=np.int64).reshape(-1, 3)
    if not len(seg):
        return np.zeros((0, 3), dtype=np.int32)
    lo = np.searchsorted(starts, seg[:, 0], side="right")  # the sentence starts strictly inside each segment
    inner = np.maximum(np.searchsorted(starts, seg[:, 1], side="left") - lo, 0)
    pieces = inner + 1
    owner = np.repeat(np.arange(len(seg)), pieces)
    k = np.arange(int(pieces.sum())) - np.repeat(np.cumsum(pieces) - pieces, pieces)  # piece number in its segment
    cut = np.concatenate([starts, [0]])  # (a dummy where a segment has no inner start)
    a = np.where(k == 0, seg[owner, 0], cut[np.minimum(lo[owner] + k - 1, len(starts))])
    b = np.where(k == inner[owner], seg[owner, 1], cut[np.minimum(lo[owner] + k, len(starts))])
    # strip white space (str.isspace) from both ends of each piece
    n = len(text)
    space = classify(code_points(text), str.isspace)
    positions = np.arange(n, dtype=np.int64)
    next_solid = np.concatenate([np.minimum.accumulate(np.where(space, n, positions)[::-1])[::-1], [n]])
    solid_end = np.concatenate([[0], np.maximum.accumulate(np.where(space, 0, positions + 1))])
    a = np.minimum(next_solid[a], b)
    b = np.maximum(solid_end[b], a)
    keep = b > a
    out = np.empty((int(keep.sum()), 3), dtype=np.int32)
    out[:, 0], out[:, 1], out[:, 2] = a[keep], b[keep], seg[owner[keep], 2]
    return out


def code_parsed(document: Document, doc: Doc, codebook: CodebookBase, *, unit: str = "sentence",
                include_interviewer: bool = False) -> pd.DataFrame:
    """Code an already parsed document (``doc.text == document.text``)."""
    units = unit_spans(document, doc, unit, include_interviewer)
    if not len(units):
        return empty_codings()
    coder = rule_coder(codebook)
    rule, start, end = coder.raw_arrays(doc, document.language, units[:, :2].tolist(), text=document.text,
                                        where=document.doc_id)
    if not len(rule):
        return empty_codings()
    return codings_frame(coder.table(document.language).rows(document, units, rule, start, end, unit))


def unit_array(units: list[Unit]) -> np.ndarray:
    """Units as an ``(n, 3)`` ``int32`` array: start, end, segment index."""
    return np.array([(u.start, u.end, u.segment.index) for u in units], dtype=np.int32).reshape(-1, 3)


def codings_from_hits(document: Document, units: list[Unit], hits, codebook: CodebookBase, *,
                      unit_kind: str = "sentence", excluded=(), questions: tuple[list[Unit], list] = ((), ())
                      ) -> pd.DataFrame:
    """One coding per (unit, code) that a hit falls in, with the rules and words that fired (and the codings
    the codebook's ``spread`` adds: see :func:`coding_rows`)."""
    return codings_frame(coding_rows(document, units, hits, codebook, unit_kind=unit_kind, excluded=excluded,
                                     questions=questions))


def codings_frame(rows: list[tuple]) -> pd.DataFrame:
    """The codings table from rows in ``CODING_COLUMNS`` order."""
    import pandas as pd

    if not rows:
        return empty_codings()
    frame = pd.DataFrame(rows, columns=CODING_COLUMNS)
    for c in ("start", "end", "line_start", "line_end"):
        frame[c] = frame[c].astype("Int64")
    return frame


def _groups(document: Document, units: list[Unit], hits, codebook: CodebookBase, unit_kind: str, excluded,
            questions: tuple[list[Unit], list]) -> list[tuple[int, str, str, str]]:
    """``(unit index, code, rules, words)`` per (unit, code) that a hit falls in, sorted, and those the codebook's
    ``spread`` adds: to the sentences around (sentence units) and to answers (``questions``: the question units
    of :func:`question_units` and their hits), stopped by the ``excluded`` hits."""
    found = _hit_groups(units, hits)
    spread = codebook.spread
    sentences = spread.before or spread.after if unit_kind == "sentence" else 0
    if not (sentences or spread.answers):
        return found
    starts = [u.start for u in units]
    stops: dict[int, list[str]] = {}
    for hit in excluded:
        stops.setdefault(bisect.bisect_right(starts, hit.start) - 1, []).append(hit.rule.code)

    def blocked(j: int, code: str) -> bool:  # an exclusion of the code or of an ancestor
        return any(code == c or code.startswith(c + ".") for c in stops.get(j, ()))

    if sentences:
        found = spread_groups(found, [u.segment.turn for u in units], spread, blocked)
    if spread.answers and questions[0]:
        answers = question_spans(document, unit_array(units))[1]
        found = answer_groups(found, _hit_groups(list(questions[0]), questions[1]), answers, blocked)
    return found


def _hit_groups(units: list[Unit], hits) -> list[tuple[int, str, str, str]]:
    """``(unit index, code, rules, words)`` per (unit, code) that a hit falls in, sorted."""
    starts = [u.start for u in units]
    grouped: dict[tuple[int, str], tuple[list[str], list[str]]] = {}
    # rules matching the same span are listed in codebook order, whatever order the matchers found them in
    for hit in sorted(hits, key=lambda h: (h.start, h.end, h.rule.rank)):
        i = bisect.bisect_right(starts, hit.start) - 1
        if i < 0 or hit.start >= units[i].end:
            continue  # outside the coded speech (interviewer, labels)
        rules, words = grouped.setdefault((i, hit.rule.code), ([], []))
        if hit.rule.source not in rules:
            rules.append(hit.rule.source)
        if hit.text not in words:
            words.append(hit.text)
    return [(i, code, "; ".join(rules), "; ".join(words)) for (i, code), (rules, words) in sorted(grouped.items())]


def question_units(document: Document, units: list[Unit]) -> list[Unit]:
    """The interviewer's questions that answers among ``units`` follow, as units (see :func:`question_spans`)."""
    segments = {s.index: s for s in document.segments}
    return [Unit(a, b, segments[i]) for a, b, i in question_spans(document, unit_array(units))[0].tolist()]


def coding_rows(document: Document, units: list[Unit], hits, codebook: CodebookBase, *, unit_kind: str = "sentence",
                excluded=(), questions: tuple[list[Unit], list] = ((), ())) -> list[tuple]:
    """Rows (``CODING_COLUMNS`` order) of one coding per (unit, code) that a hit falls in (``excluded``: the
    exclusion matches, which stop the codebook's ``spread``; ``questions``: the units of
    :func:`~thematic.coding.finish.question_spans` and the hits kept in them, for ``spread: answers``)."""
    rows = []
    for i, code, rules, words in _groups(document, units, hits, codebook, unit_kind, excluded, questions):
        u = units[i]
        line_start, line_end = document.lines_of(u.start, u.end)
        rows.append((document.doc_id, document.case, u.segment.speaker, u.segment.role, u.segment.segment_id,
                     u.start, u.end, line_start, line_end, code, theme_of(code), codebook.coder_name, "rule",
                     rules, words, document.text[u.start:u.end]))
    return rows


#: The fields of :func:`coding_records`: what the store needs to write a rule coding.
RECORD_FIELDS = ("doc_id", "segment_id", "start", "end", "line_start", "line_end", "code", "coder", "rule", "matched")


def coding_records(document: Document, units: list[Unit], hits, codebook: CodebookBase, *,
                   unit_kind: str = "sentence", excluded=(), questions: tuple[list[Unit], list] = ((), ())) -> list[tuple]:
    """The codings of :func:`coding_rows` as compact records (:data:`RECORD_FIELDS`: no unit text,
    case, speaker or theme, which the store has or derives), for writing many codings with little memory."""
    out = []
    for i, code, rules, words in _groups(document, units, hits, codebook, unit_kind, excluded, questions):
        u = units[i]
        line_start, line_end = document.lines_of(u.start, u.end)
        # The same rule lists and matched words recur across a corpus: interned, a first coding of 10M words
        # holds one copy of each instead of one per coding until its single write.
        out.append((document.doc_id, u.segment.segment_id, u.start, u.end, line_start, line_end, code,
                    codebook.coder_name, sys.intern(rules), sys.intern(words)))
    return out


def code_document(document: Document, codebook: CodebookBase, *, unit: str = "sentence",
                  include_interviewer: bool = False, cache: ParseCache | None = None) -> pd.DataFrame:
    """Rule-code one document: a pure function of its text, segments, language and the codebook.

    >>> from thematic.transcripts import ingest_text
    >>> from thematic.codebook import Codebook
    >>> book = Codebook.load("codebooks/digitalisering.yaml")
    >>> doc = ingest_text("K1: Vi har ingen målbilde, men strategien er nyttig.")
    >>> sorted(code_document(doc, book, unit="turn").code)
    ['strategy', 'target_picture', 'target_picture.unclear']
    """
    check_language(document.language)
    check_word_lengths(document)
    doc = next(parse([document.text], document.language, cache=cache))
    return code_parsed(document, doc, codebook, unit=unit, include_interviewer=include_interviewer)


def iter_codings(documents: Iterable[Document], codebook: CodebookBase, *, unit: str = "sentence",
                 include_interviewer: bool = False, cache: ParseCache | None = None, n_process: int = 1,
                 batch_size: int = 32) -> Iterator[tuple[Document, pd.DataFrame]]:
    """Yield ``(document, codings)`` one document at a time, parsing in batches per language.

    With ``n_process > 1`` batches are coded in a pool of worker processes that each load the
    pipeline and codebook once; only the codings travel back (spaCy's own ``n_process`` would
    pickle every parsed Doc back to the parent).
    """
    batches = _batches(documents, batch_size if n_process == 1 else max(1, batch_size // 4))
    if n_process > 1:
        yield from _pooled(batches, codebook, unit, include_interviewer, n_process)
        return
    for batch in batches:
        yield from _code_batch(batch, codebook, unit, include_interviewer, cache)


def _batches(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    batch: list[Document] = []
    for document in documents:
        batch.append(document)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


_WORKER: dict = {}


def _init_worker(codebook, unit: str, include_interviewer: bool) -> None:
    _WORKER.update(codebook=codebook, unit=unit, include_interviewer=include_interviewer)


def _work(batch: list[Document]) -> list[pd.DataFrame]:
    return [f for _, f in _code_batch(batch, _WORKER["codebook"], _WORKER["unit"], _WORKER["include_interviewer"],
                                      None)]


def fork_pool(codebook: CodebookBase, languages: Iterable[str], n_process: int, initializer, initargs: tuple):
    """A ``ProcessPoolExecutor`` of ``n_process`` workers for coding: each language's pipeline, lemma
    dictionary and compiled rules are loaded here first, so that the forked workers share them instead of
    each loading its own (``spawn`` where ``fork`` is missing: then each worker loads them). The one way
    both first-coding paths (:func:`code_corpus` and a project's :class:`~thematic.coding.remember.Workers`)
    start workers."""
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    from ..nlp import lemma

    for lang in languages:
        lemma("a", check_language(lang))
        rule_coder(codebook).for_language(lang)
    context = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    return ProcessPoolExecutor(n_process, mp_context=context, initializer=initializer, initargs=initargs)


def _pooled(batches, codebook, unit, include_interviewer, n_process):
    import itertools

    first = next(batches, None)
    if first is None:
        return
    batches = itertools.chain([first], batches)
    with fork_pool(codebook, {d.language for d in first}, n_process, _init_worker,
                   (codebook, unit, include_interviewer)) as pool:
        pending = []
        for batch in batches:
            pending.append((batch, pool.submit(_work, batch)))
            if len(pending) > 2 * n_process:  # keep memory bounded: a few batches in flight
                done, future = pending.pop(0)
                yield from zip(done, future.result())
        for done, future in pending:
            yield from zip(done, future.result())


def _code_batch(batch, codebook, unit, include_interviewer, cache):
    by_lang: dict[str, list[Document]] = {}
    for d in batch:
        check_word_lengths(d)
        by_lang.setdefault(check_language(d.language), []).append(d)
    results: dict[str, pd.DataFrame] = {}
    for lang, docs in by_lang.items():
        pipeline(lang)
        for document, doc in zip(docs, parse([d.text for d in docs], lang, cache=cache)):
            results[document.doc_id] = code_parsed(document, doc, codebook, unit=unit,
                                                   include_interviewer=include_interviewer)
    for d in batch:
        yield d, results[d.doc_id]


def code_corpus(corpus, codebook: CodebookBase, *, unit: str = "sentence", include_interviewer: bool = False,
                cache: ParseCache | None = None, n_process: int = 1, batch_size: int = 32) -> pd.DataFrame:
    """Rule-code every document of a corpus (or any iterable of documents) into one codings table."""
    frames = [f for _, f in iter_codings(corpus, codebook, unit=unit, include_interviewer=include_interviewer,
                                          cache=cache, n_process=n_process, batch_size=batch_size) if len(f)]
    if not frames:
        return empty_codings()
    import pandas as pd

    return pd.concat(frames, ignore_index=True)


def code_texts(texts, codebook: CodebookBase, lang: str = "nb", *, unit: str = "sentence") -> pd.DataFrame:
    """Code plain texts (survey answers, pasted quotes) without a project.

    ``texts`` is a list or a pandas Series; ``doc_id`` in the result is the list
    position or the Series index label; ``theme`` holds each code's theme id.
    Empty strings and missing values are skipped.

    >>> import thematic as th
    >>> book = th.Codebook.load("codebooks/digitalisering.yaml")
    >>> th.code_texts(["Vi mangler et målbilde.", None, "Nettverket hjelper skolene."], book)[["doc_id", "theme"]].values.tolist()
    [[0, 'target_picture'], [2, 'organisation']]
    """
    import pandas as pd

    check_language(lang)
    items = texts.items() if isinstance(texts, pd.Series) else enumerate(texts)
    documents, ids = [], {}
    for label, value in items:
        if value is None or (isinstance(value, float) and pd.isna(value)) or not str(value).strip():
            continue
        text = str(value)
        key = f"text-{len(documents)}"
        ids[key] = label
        segment = Segment(key, 0, len(text) - len(text.lstrip()), len(text.rstrip()), role="informant")
        documents.append(Document(key, text, language=lang, segments=(segment,)))
    frame = code_corpus(documents, codebook, unit=unit)
    if len(frame):
        frame["doc_id"] = frame["doc_id"].map(ids)
        frame["segment_id"] = frame["doc_id"].astype(str) + ":0"
        frame["case"] = pd.NA
    return frame
