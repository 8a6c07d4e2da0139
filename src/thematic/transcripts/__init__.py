"""Reading transcripts into a :class:`~thematic.corpus.Corpus`.

``thematic.ingest`` is :func:`ingest` here (the package is called
``transcripts`` so that ``thematic.ingest`` stays a function).

Example:
    >>> import thematic as th
    >>> corpus = th.ingest("data/sample_transcripts")  # doctest: +SKIP
    >>> corpus                                           # doctest: +SKIP
    Corpus(8 documents, 7 cases, ... segments, languages=['nb', 'sv'])
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Mapping

from ..corpus import Corpus, Document, Problem
from ..errors import Errors, IngestError
from ..types import LANGUAGES, SOURCE_TYPES
from .duplicates import Duplicates, Signature, signature
from .evidence import weigh_labels
from .language import decide, identify
from .metadata import CaseRow, find_cases_file, read_cases, split_list
from .readers import Raw, read_file, read_plain
from .segments import build_segments
from .speakers import LabelFinder, role_of

SUFFIXES = (".docx", ".odt", ".pdf", ".html", ".htm", ".txt", ".md", ".vtt", ".srt")
_QUIET_SKIP = {".csv", ".xlsx", ".json", ".yaml", ".yml", ".thematic"}
DEFAULT_MAX_BYTES = 50_000_000

__all__ = ["ingest", "iter_documents", "ingest_text", "DocumentStream", "read_one", "SUFFIXES"]


def ingest(path: str | Path | Iterable[str | Path], *, strict: bool = False, language: str | None = None,
           speaker_patterns: Iterable[str] | None = None, roles: Mapping[str, str] | None = None,
           cases: str | Path | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Corpus:
    """Read a folder, a file or a list of files into a :class:`Corpus`.

    Args:
        path: a folder of transcripts (with an optional ``cases.csv``), one file, or a list of files.
        strict: raise :class:`IngestError` on the first problem instead of reporting it.
        language: the language of files whose cases row or front matter gives none; without it the
            language is identified from the text (``attributes["language_source"]`` says which).
        speaker_patterns: extra label regexes with a named group ``speaker`` (tried first).
        roles: speaker label -> "interviewer" | "informant", overriding the defaults (cases.csv's
            ``speaker_roles`` win over these).
        cases: a cases file elsewhere than ``<folder>/cases.csv``.
        max_bytes: files larger than this are refused (a guard against a wrong folder).

    Offsets in the result are Unicode code points into each document's stored NFC text.

    >>> corpus = ingest("data/sample_transcripts")  # doctest: +SKIP
    """
    problems: list[Problem] = []
    documents = list(iter_documents(path, strict=strict, language=language, speaker_patterns=speaker_patterns,
                                    roles=roles, cases=cases, max_bytes=max_bytes, problems=problems))
    documents.sort(key=lambda d: d.doc_id)
    root = str(path) if isinstance(path, (str, Path)) else ""
    return Corpus(documents, problems, root=root)


def iter_documents(path, *, strict: bool = False, language: str | None = None, speaker_patterns=None,
                   roles=None, cases=None, max_bytes: int = DEFAULT_MAX_BYTES,
                   problems: list[Problem] | None = None) -> "DocumentStream":
    """Yield documents one at a time (for corpora too large to hold at once).

    Problems are appended to ``problems`` (or raised when ``strict``). The result is a
    :class:`DocumentStream`: an iterator of documents that can also have its files read in worker
    processes (``Project.autocode(book, documents=iter_documents(folder), n_process=2)`` does).
    """
    return DocumentStream(path, strict=strict, language=language, speaker_patterns=speaker_patterns, roles=roles,
                          cases=cases, max_bytes=max_bytes, problems=problems)


@dataclass(frozen=True)
class ReadOptions:
    """How each file of a stream is read (picklable: sent to worker processes)."""

    speaker_patterns: tuple[str, ...] = ()
    roles: Mapping[str, str] | None = None
    language: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES


@dataclass(frozen=True)
class FileResult:
    """One file read on its own (:func:`read_one`): its document or the error that refused it, the
    warnings found while reading it and its words' signature for the duplicate check."""

    document: Document | None
    error: IngestError | None = None
    notes: tuple[str, ...] = ()
    signature: Signature | None = None


_FINDERS: dict[tuple[str, ...], LabelFinder] = {}


def read_one(file: Path, row: CaseRow | None, options: ReadOptions) -> FileResult:
    """Read and assemble one file: a pure function of the file, its cases row and the options, so that
    worker processes can read a corpus while the parent only checks the results in order."""
    finder = _FINDERS.get(options.speaker_patterns)
    if finder is None:
        finder = _FINDERS[options.speaker_patterns] = LabelFinder(options.speaker_patterns)
    notes: list[str] = []
    try:
        document = _read_document(file, row, finder, options.roles, options.language, options.max_bytes, notes)
    except IngestError as exc:
        return FileResult(None, exc)
    return FileResult(document, None, tuple(notes), signature(document.text))


class DocumentStream:
    """The documents of a folder, a file or a list of files, one at a time (what :func:`iter_documents` returns).

    Iterating reads each file in this process. :meth:`checked` takes the per-file results from
    elsewhere (worker processes running :func:`read_one` over :meth:`plan`) and applies what needs
    the files in order: duplicate ids and texts, cases rows without a file, strict mode.
    """

    def __init__(self, path, *, strict: bool = False, language: str | None = None, speaker_patterns=None,
                 roles=None, cases=None, max_bytes: int = DEFAULT_MAX_BYTES, problems: list[Problem] | None = None):
        self.path, self.strict, self.cases = path, strict, cases
        self.problems = problems if problems is not None else []
        self.options = ReadOptions(tuple(speaker_patterns or ()), dict(roles) if roles else roles, language,
                                   max_bytes)
        self._planned: tuple[list[tuple[Path, CaseRow | None]], bool] | None = None
        self._iterator: Iterator[Document] | None = None
        self._checking = False

    def __iter__(self) -> "DocumentStream":
        return self

    def __next__(self) -> Document:
        if self._iterator is None:
            self._iterator = (document for _, document in self.checked(None) if document is not None)
        return next(self._iterator)

    @property
    def started(self) -> bool:
        """Whether documents were taken from the stream already (it can be checked only once)."""
        return self._checking

    def plan(self) -> list[tuple[Path, CaseRow | None]]:
        """The files to read, in order, each with its cases row (problems with the folder or the cases
        file are recorded, or raised when ``strict``)."""
        if self._planned is None:
            problems = self.problems
            files, cases_path = _list_files(self.path, problems)
            if self.cases is not None:
                cases_path = Path(self.cases)
            rows: dict[str, CaseRow] = {}
            if cases_path is not None:
                rows, case_problems = read_cases(Path(cases_path))
                problems.extend(case_problems)
                present = {f.name for f in files}
                for name, row in rows.items():
                    if name not in present:
                        problems.append(Problem(str(cases_path), Errors.T010.format(
                            path=cases_path, line=row.line, name=name), row.line, "warning"))
            _raise_if_strict(self.strict, problems, self.path)
            self._planned = ([(f, rows.get(f.name)) for f in files], cases_path is not None)
        return self._planned[0]

    def checked(self, results: Iterable[FileResult] | None) -> Iterator[tuple[FileResult, Document | None]]:
        """Every file's result in order, with its document when it is kept (None when refused or a duplicate).

        ``results`` are :func:`read_one` of :meth:`plan`'s files in order; None reads them here.
        """
        self._checking = True
        planned = self.plan()
        has_cases = self._planned[1]
        if results is None:
            results = (read_one(file, row, self.options) for file, row in planned)
        problems, strict, path = self.problems, self.strict, self.path
        seen: dict[str, str] = {}
        duplicates = Duplicates()
        for (file, row), result in zip(planned, results):
            if has_cases and row is None:
                problems.append(Problem(str(file), Errors.T011.format(path=file, name=file.name), None, "warning"))
            if result.error is not None:
                problems.append(Problem(str(file), str(result.error), result.error.line, "error"))
                _raise_if_strict(strict, problems, path)
                yield result, None
                continue
            document = result.document
            if document.doc_id in seen:
                problems.append(Problem(str(file), Errors.T012.format(
                    path=file, line=1, name=document.doc_id, other=f"1 of {seen[document.doc_id]}"), None, "error"))
                _raise_if_strict(strict, problems, path)
                yield result, None
                continue
            twin = duplicates.check(file.name, result.signature)
            if twin is not None:
                kind, other = twin
                detail = "the same words" if kind == "duplicate" else "mostly the same words, e.g. as .srt and .vtt"
                problems.append(Problem(str(file), Errors.T029.format(path=file, kind=kind, other=other,
                                                                      detail=detail), None, "warning"))
                _raise_if_strict(strict, problems, path)
                yield result, None
                continue
            seen[document.doc_id] = file.name
            problems.extend(Problem(str(file), note, None, "warning") for note in result.notes)
            if document.language not in LANGUAGES:
                problems.append(Problem(str(file), Errors.T009.format(
                    path=file, line=1, detail=f"language '{document.language}' is not one of {', '.join(LANGUAGES)}; "
                                              "set it in cases.csv"), None, "warning"))
            _raise_if_strict(strict, problems, path)
            yield result, document


def ingest_text(text: str, *, doc_id: str = "text", language: str | None = "nb", case: str = "",
                speaker_patterns=None, roles=None, attributes: Mapping | None = None) -> Document:
    """A :class:`Document` from a pasted transcript or document (as in a .txt file).

    ``language=None`` identifies the language from the text. Without speaker labels the text is a
    document (role ``document``); ``attributes={"source_type": "interview"}`` says otherwise.

    >>> doc = ingest_text("Intervjuer: Hva er planen?\\nK1: Vi har en strategi.")
    >>> [(s.speaker, s.role, doc.text[s.start:s.end]) for s in doc.segments]
    [('Intervjuer', 'interviewer', 'Hva er planen?'), ('K1', 'informant', 'Vi har en strategi.')]
    """
    finder = LabelFinder(speaker_patterns)
    raw = read_plain(text, f"<{doc_id}>", finder)
    return _assemble(doc_id, raw, "", "txt", None, finder, roles, language,
                     extra={"case": case, **dict(attributes or {})})


def _list_files(path, problems: list[Problem]) -> tuple[list[Path], Path | None]:
    if isinstance(path, (str, Path)):
        p = Path(path)
        if not p.exists():
            raise IngestError(Errors.T008.format(path=p), path=p)
        if p.is_dir():
            files = []
            root = p.resolve()
            for f in sorted(p.iterdir()):
                if not f.is_file() or f.name.startswith((".", "~$")) or f.name.lower().startswith("readme"):
                    continue
                target = f.resolve()
                if f.is_symlink() and root not in target.parents:
                    # A link may point inside the folder; one leaving it (/etc/passwd) is never read.
                    problems.append(Problem(str(f), Errors.T026.format(path=f, target=target), None, "error"))
                    continue
                if f.suffix.lower() in SUFFIXES:
                    files.append(f)
                elif f.suffix.lower() not in _QUIET_SKIP:
                    problems.append(Problem(str(f), Errors.T004.format(path=f, suffix=f.suffix or "(none)"),
                                            None, "warning"))
            if not files:
                raise IngestError(Errors.T007.format(path=p), path=p)
            return files, find_cases_file(p)
        paths = [p]
    else:
        paths = [Path(x) for x in path]
    for f in paths:
        if not f.exists():
            raise IngestError(Errors.T008.format(path=f), path=f)
        if f.suffix.lower() not in SUFFIXES:
            raise IngestError(Errors.T004.format(path=f, suffix=f.suffix or "(none)"), path=f)
    folders = {f.parent for f in paths}
    return paths, (find_cases_file(folders.pop()) if len(folders) == 1 else None)


def _raise_if_strict(strict: bool, problems: list[Problem], path) -> None:
    if strict and problems:
        first = problems[0]
        raise IngestError(Errors.T015.format(path=first.path, count=len(problems), first=first.message),
                          path=first.path, line=first.line)


def _read_document(file: Path, row: CaseRow | None, finder, roles, language, max_bytes,
                   notes: list[str] | None = None) -> Document:
    size = file.stat().st_size
    if size > max_bytes:
        raise IngestError(Errors.T016.format(path=file, size=size, limit=max_bytes), path=file)
    raw = read_file(file, file.read_bytes(), finder)
    fmt = {"htm": "html"}.get(file.suffix.lower().lstrip("."), file.suffix.lower().lstrip("."))
    return _assemble(file.stem, raw, str(file), fmt, row, finder, roles, language, notes=notes)


def _assemble(stem: str, raw: Raw, path: str, fmt: str, row: CaseRow | None, finder, roles, language,
              extra: Mapping | None = None, notes: list[str] | None = None) -> Document:
    """One document from a reader's output: case fields, source type, language, speakers and segments.

    ``notes`` collects warnings (doubtful labels, language disagreement, no informant speech).
    """
    notes = notes if notes is not None else []
    notes.extend(raw.warnings)
    fields: dict = {k: v for k, v in raw.meta.items() if v not in (None, "")}
    stated_from = "front matter" if fields.get("language") else ""
    if extra:
        fields.update({k: v for k, v in extra.items() if v not in (None, "")})
    if row is not None:
        if row.fields.get("language"):
            stated_from = "cases.csv"
        fields.update({k: v for k, v in row.fields.items() if v not in (None, "")})
    doc_id = str(fields.pop("doc_id", "") or stem)
    case = str(fields.pop("case", "") or doc_id.split("-", 1)[0])
    stated = str(fields.pop("language", "") or "").lower() or (language.lower() if language else "")
    stated_from = stated_from or ("option" if stated else "")
    informants = split_list(fields.get("informants"))
    if "informants" in fields:
        fields["informants"] = ";".join(informants)
    case_row = CaseRow(0, {"speaker_map": fields.get("speaker_map", ""), "speaker_roles": fields.get("speaker_roles", "")})
    speaker_map = case_row.speaker_map()
    all_roles = {**dict(roles or {}), **case_row.speaker_roles()}  # cases.csv wins

    if path:
        fields.setdefault("file", Path(path).name)
    stated_type = str(fields.get("source_type", "") or "").strip().lower().replace("-", "_").replace(" ", "_")
    if stated_type and stated_type not in SOURCE_TYPES:
        notes.append(Errors.T023.format(path=path or doc_id, value=stated_type))
        stated_type = ""
    evidence = weigh_labels(raw, finder, known=[*all_roles, *speaker_map, *informants])
    voices = [v for v in dict.fromkeys([*evidence.speakers, *(p.speaker for p in raw.paragraphs if p.speaker)])
              if role_of(v, all_roles) == "informant"]
    # With one informant in cases.csv, the one informant voice is that informant (a name label for K1);
    # when several voices speak, only the one named by id or speaker_map is, the others are extra voices.
    named = [v for v in voices if v.casefold() in speaker_map or v in informants]
    sole = informants[0] if len(informants) == 1 and (len(voices) == 1 or not named) else None

    def informant_for(speaker: str) -> str:
        if speaker.casefold() in speaker_map:
            return speaker_map[speaker.casefold()]
        if speaker in informants:
            return speaker
        return sole if sole and (len(voices) <= 1 or speaker == voices[0]) else speaker

    has_speakers = bool(evidence.speakers) or any(p.speaker for p in raw.paragraphs)
    if stated_type:
        source_type = stated_type
    elif has_speakers or fmt in ("vtt", "srt"):
        source_type = "interview"
    else:
        source_type = "document"
    as_document = source_type in ("document", "field_notes")
    if not as_document:
        notes.extend(Errors.T020.format(path=path or doc_id, detail=w) for w in evidence.warnings)
    segments = build_segments(doc_id, raw, evidence, all_roles, informant_for, document=as_document)
    if not as_document:
        informant_speakers = list(dict.fromkeys(s.speaker for s in segments if s.role == "informant"))
        if not informant_speakers:
            detail = ("no speaker labels were recognised" if not has_speakers
                      else "speakers: " + ", ".join(dict.fromkeys(s.speaker for s in segments if s.speaker)))
            notes.append(Errors.T022.format(path=path or doc_id, detail=detail))
        elif not stated_type and len(informant_speakers) >= 3 and len(informants) != 1:
            source_type = "focus_group"
        if len(informants) == 1 and len({informant_for(s) for s in informant_speakers}) > 1:
            extra_voices = [s for s in informant_speakers if informant_for(s) != informants[0]]
            notes.append(Errors.T020.format(path=path or doc_id, detail=(
                f"a third speaker ({', '.join(repr(s) for s in extra_voices)}) in a one-informant interview "
                f"(informants: {informants[0]}); their speech is coded as their own")))
    coded = [raw.text[s.start:s.end] for s in segments if s.role in ("informant", "document")]
    guess = identify("\n".join(coded) or raw.text, coded or None)
    lang, how, disagreement = decide(stated or None, stated_from, guess)
    if disagreement:
        notes.append(Errors.T021.format(path=path or doc_id, detail=disagreement))
    if lang is None:
        lang = "nb"  # too little text to tell; shown as "nb (default)" by thematic ingest
    fields["source_type"] = source_type
    fields["language_source"] = how
    fields["language_detected"] = guess.describe() if guess.language else ""
    return Document(doc_id=doc_id, text=raw.text, path=path, format=fmt, language=lang, case=case,
                    attributes={k: (v if isinstance(v, (str, int, float, bool)) else str(v)) for k, v in fields.items()},
                    segments=segments, line_map=tuple(raw.line_map))
