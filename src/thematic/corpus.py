"""The corpus: documents, their segments (speaker turns) and case metadata.

Domain objects are small frozen dataclasses; tables come out as tidy pandas
DataFrames. Offsets are Unicode code points into ``Document.text``, which is
stored NFC-normalised with ``\\n`` line ends, so ``doc.text[seg.start:seg.end]``
is always the segment's text.

Example:
    >>> doc = Document(doc_id="d1", text="I: Hei\\nK1: Hallo", path="d1.txt")
    >>> doc.text[3:6]
    'Hei'
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import operator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator, Mapping

from .types import CASE_COLUMNS, CODED_ROLES, SEGMENT_COLUMNS

if TYPE_CHECKING:  # pandas loads where a table is made: re-coding never makes one
    import pandas as pd


@dataclass(frozen=True)
class Segment:
    """One speaker turn, one paragraph inside a turn, or one paragraph of a document.

    ``start``/``end`` are code point offsets into the document text (end exclusive).
    ``line_start``/``line_end`` are 1-based lines in the *original* file.
    """

    doc_id: str
    index: int
    start: int
    end: int
    speaker: str = ""
    role: str = "unknown"  # "interviewer" | "informant" | "document" | "unknown" (headers, headings)
    turn: int = 0  # index of the speaker turn this paragraph belongs to
    informant: str = ""  # informant id (e.g. "K2") for informant speech, from case metadata
    line_start: int | None = None
    line_end: int | None = None
    time_start: float | None = None  # seconds, for .vtt/.srt
    time_end: float | None = None
    page: int | None = None  # 1-based page of the source (PDF), so quotes can cite "p. 3"
    heading: str = ""  # heading path above the paragraph, "1 Innledning > 1.2 Mål"

    @functools.cached_property
    def segment_id(self) -> str:
        """Stable id, ``"{doc_id}:{index}"`` (built once per segment: a large coding keeps one copy per segment,
        not one per coding)."""
        return f"{self.doc_id}:{self.index}"

    def __reduce__(self):
        # Rebuilt by the constructor when unpickled (a worker sends every segment it reads back to the parent):
        # pickle's default sets a fresh instance's __dict__, which then shares no keys with the class's other
        # instances, 297 bytes a segment instead of 209 (40 MB at 10M words with --workers 2).
        return Segment, _segment_values(self)


_segment_values = operator.attrgetter(*(f.name for f in dataclasses.fields(Segment)))


def segment_words(text: str, segments) -> list[int]:
    """``len(text[s.start:s.end].split())`` of each segment, counted with numpy over the code points (white
    space is ``str.isspace``, as ``str.split`` splits): a slice and a split per segment took 0.15 s of
    storing a million words' 47,000 segments."""
    import numpy as np

    from .codepoints import classify, code_points

    if not segments:
        return []
    space = classify(code_points(text), str.isspace)
    first = ~space  # a word's first character: not white space, after white space or at the start
    first[1:] &= space[:-1]
    before = np.concatenate([[0], np.cumsum(first)])  # words starting before each position
    bounds = np.array([(s.start, s.end) for s in segments], dtype=np.int64).reshape(-1, 2)
    a, b = np.clip(bounds[:, 0], 0, len(text)), np.clip(bounds[:, 1], 0, len(text))
    b = np.maximum(a, b)
    # a word that starts before the segment and runs into it is a word of the slice too
    inside = np.zeros(len(a), dtype=bool)
    open_ = (a > 0) & (a < b)
    inside[open_] = ~space[a[open_]] & ~space[a[open_] - 1]
    return (before[b] - before[a] + inside).tolist()


@dataclass(frozen=True)
class Problem:
    """Something wrong with one input file, reported instead of raised in lenient mode."""

    path: str
    message: str
    line: int | None = None
    severity: str = "error"  # "error" (file skipped) | "warning" (file loaded)

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Document:
    """One transcript.

    Attributes:
        doc_id: unique id (file stem unless the cases file gives another).
        text: NFC text with ``\\n`` line ends; all offsets index into it.
        path: the file it was read from.
        format: "docx" | "txt" | "md" | "vtt" | "srt" | "pdf" | "odt" | "html".
        language: ISO code ("nb", "nn", "sv", "da", "en").
        case: case id (municipality or network), "" if unknown.
        attributes: case and document metadata (case_type, county, informants, ...).
        segments: speaker turns / paragraphs in document order.
        line_map: per stored line, ``(offset of its first character, line number in
            the original file)``; used by :meth:`lines_of`.
    """

    doc_id: str
    text: str
    path: str = ""
    format: str = "txt"
    language: str = "nb"
    case: str = ""
    attributes: Mapping[str, object] = field(default_factory=dict, hash=False, compare=False)
    segments: tuple[Segment, ...] = ()
    line_map: tuple[tuple[int, int], ...] = ()

    def __post_init__(self) -> None:
        # A plain dict copy (not a MappingProxy) so documents pickle for process pools and Dask.
        object.__setattr__(self, "attributes", dict(self.attributes))

    def segment_text(self, segment: Segment) -> str:
        return self.text[segment.start : segment.end]

    def lines_of(self, start: int, end: int) -> tuple[int | None, int | None]:
        """Original-file line numbers (1-based) of the text between two offsets.

        >>> Document("d", "a\\nb\\nc", line_map=((0, 1), (2, 2), (4, 5))).lines_of(2, 5)
        (2, 5)
        """
        if not self.line_map:
            # No map: count lines in the stored text itself.
            return self.text.count("\n", 0, start) + 1, self.text.count("\n", 0, max(start, end - 1)) + 1
        starts = self._line_starts
        i = max(bisect.bisect_right(starts, start) - 1, 0)
        j = max(bisect.bisect_right(starts, max(start, end - 1)) - 1, 0)
        return self.line_map[i][1], self.line_map[j][1]

    @functools.cached_property
    def _line_starts(self) -> list[int]:
        return [s for s, _ in self.line_map]

    @property
    def speakers(self) -> list[str]:
        seen: dict[str, None] = {}
        for s in self.segments:
            if s.speaker:
                seen.setdefault(s.speaker, None)
        return list(seen)

    @property
    def source_type(self) -> str:
        """``interview``, ``focus_group``, ``document`` or ``field_notes`` (from cases.csv or inferred)."""
        return str(self.attributes.get("source_type") or "interview")

    def informant_words(self) -> int:
        """Words of coded speech: informants' turns, or a document's paragraphs."""
        return sum(len(self.segment_text(s).split()) for s in self.segments if s.role in CODED_ROLES)

    def __repr__(self) -> str:
        return (f"Document({self.doc_id!r}, case={self.case!r}, language={self.language!r}, "
                f"format={self.format!r}, segments={len(self.segments)}, chars={len(self.text)})")


class Corpus:
    """A collection of documents with their case metadata.

    Build one with :func:`thematic.ingest`. Iterating yields documents;
    ``corpus["Fjordvik-K2"]`` gets one by id.

    Attributes:
        documents: the documents, in a stable (sorted by id) order.
        problems: what went wrong while reading (files skipped, warnings).
    """

    def __init__(self, documents=(), problems=(), root: str = ""):
        self.documents: tuple[Document, ...] = tuple(documents)
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.root = root
        self._by_id = {d.doc_id: d for d in self.documents}

    def __len__(self) -> int:
        return len(self.documents)

    def __iter__(self) -> Iterator[Document]:
        return iter(self.documents)

    def __getitem__(self, doc_id: str) -> Document:
        from .errors import Errors, NotFoundError

        try:
            return self._by_id[doc_id]
        except KeyError:
            raise NotFoundError(Errors.S003.format(doc_id=doc_id, known=", ".join(self._by_id))) from None

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._by_id

    @property
    def segments(self) -> pd.DataFrame:
        """Tidy table, one row per segment (columns: ``thematic.types.SEGMENT_COLUMNS``)."""
        return segments_frame(self.documents)

    @property
    def cases(self) -> pd.DataFrame:
        """One row per document with its case and attributes (``CASE_COLUMNS`` first)."""
        return cases_frame(self.documents)

    @property
    def speaker_table(self) -> pd.DataFrame:
        """One row per speaker per document: role, informant id, turns and words (what a researcher checks)."""
        return speakers_frame(self.documents)

    @property
    def overview(self) -> pd.DataFrame:
        """One row per document: file, case, source type, language and how it was decided, speakers, words."""
        return overview_frame(self.documents)

    def __repr__(self) -> str:
        cases = sorted({d.case for d in self.documents if d.case})
        langs = sorted({d.language for d in self.documents})
        n_seg = sum(len(d.segments) for d in self.documents)
        prob = f", problems={len(self.problems)}" if self.problems else ""
        return (f"Corpus({len(self.documents)} documents, {len(cases)} cases, {n_seg} segments, "
                f"languages={langs}{prob})")


def segments_frame(documents) -> pd.DataFrame:
    """Tidy segments table for an iterable of documents."""
    import pandas as pd

    rows = []
    for d in documents:
        for s in d.segments:
            text = d.text[s.start : s.end]
            rows.append({
                "doc_id": d.doc_id, "segment_id": s.segment_id, "index": s.index, "case": d.case,
                "speaker": s.speaker, "role": s.role,
                "informant": s.informant or (s.speaker if s.role == "informant" else ""),
                "start": s.start, "end": s.end, "line_start": s.line_start, "line_end": s.line_end,
                "time_start": s.time_start, "time_end": s.time_end, "page": s.page, "heading": s.heading,
                "words": len(text.split()), "text": text,
            })
    df = pd.DataFrame(rows, columns=SEGMENT_COLUMNS)
    for c in ("index", "start", "end", "line_start", "line_end", "page", "words"):
        df[c] = df[c].astype("Int64")
    return df


def cases_frame(documents) -> pd.DataFrame:
    """One row per document with its case metadata; extra attributes follow ``CASE_COLUMNS``."""
    import pandas as pd

    rows = []
    for d in documents:
        row = {c: d.attributes.get(c, "") for c in CASE_COLUMNS}
        row.update({k: v for k, v in d.attributes.items() if k not in row})
        row.update(doc_id=d.doc_id, case=d.case, language=d.language,
                   file=d.attributes.get("file") or (d.path.rsplit("/", 1)[-1] if d.path else ""))
        rows.append(row)
    extra = sorted({k for r in rows for k in r} - set(CASE_COLUMNS))
    return pd.DataFrame(rows, columns=CASE_COLUMNS + extra)


def speakers_frame(documents) -> pd.DataFrame:
    """Speakers of each document with their role, informant id, number of turns and words, in order of appearance."""
    import pandas as pd

    rows: dict[tuple[str, str], dict] = {}
    for d in documents:
        for s in d.segments:
            if not s.speaker:
                continue
            row = rows.setdefault((d.doc_id, s.speaker), {
                "doc_id": d.doc_id, "speaker": s.speaker, "role": s.role, "informant": s.informant,
                "turns": set(), "words": 0})
            row["turns"].add(s.turn)
            row["words"] += len(d.text[s.start:s.end].split())
    frame = pd.DataFrame([{**r, "turns": len(r["turns"])} for r in rows.values()],
                         columns=["doc_id", "speaker", "role", "informant", "turns", "words"])
    return frame.astype({"turns": "int64", "words": "int64"})


def overview_frame(documents) -> pd.DataFrame:
    """What ingest read, per document (``thematic ingest`` prints this)."""
    import pandas as pd

    rows = []
    for d in documents:
        speakers: dict[str, list] = {}
        for s in d.segments:
            if s.speaker:
                entry = speakers.setdefault(s.speaker, [s.role, 0])
                entry[1] += len(d.text[s.start:s.end].split())
        rows.append({
            "doc_id": d.doc_id, "file": d.attributes.get("file") or (d.path.rsplit("/", 1)[-1] if d.path else ""),
            "case": d.case, "source_type": d.source_type, "language": d.language,
            "language_source": str(d.attributes.get("language_source", "")),
            "language_detected": str(d.attributes.get("language_detected", "")),
            "speakers": "; ".join(f"{name} ({role}, {words:,} words)" for name, (role, words) in speakers.items()),
            "coded_words": d.informant_words(), "segments": len(d.segments),
        })
    return pd.DataFrame(rows, columns=["doc_id", "file", "case", "source_type", "language", "language_source",
                                       "language_detected", "speakers", "coded_words", "segments"])
