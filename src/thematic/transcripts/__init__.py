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

from pathlib import Path
from typing import Iterable, Iterator, Mapping

from ..corpus import Corpus, Document, Problem
from ..errors import Errors, IngestError
from ..types import LANGUAGES
from .metadata import CaseRow, find_cases_file, read_cases, split_list
from .readers import Raw, read_file, read_plain
from .segments import build_segments
from .speakers import LabelFinder

SUFFIXES = (".docx", ".txt", ".md", ".vtt", ".srt")
_QUIET_SKIP = {".csv", ".xlsx", ".json", ".yaml", ".yml", ".thematic"}
DEFAULT_MAX_BYTES = 50_000_000

__all__ = ["ingest", "iter_documents", "ingest_text", "SUFFIXES"]


def ingest(path: str | Path | Iterable[str | Path], *, strict: bool = False, language: str | None = None,
           speaker_patterns: Iterable[str] | None = None, roles: Mapping[str, str] | None = None,
           cases: str | Path | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Corpus:
    """Read a folder, a file or a list of files into a :class:`Corpus`.

    Args:
        path: a folder of transcripts (with an optional ``cases.csv``), one file, or a list of files.
        strict: raise :class:`IngestError` on the first problem instead of reporting it.
        language: default language when neither cases file nor front matter gives one ("nb").
        speaker_patterns: extra label regexes with a named group ``speaker`` (tried first).
        roles: speaker label -> "interviewer" | "informant", overriding the defaults.
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
                   problems: list[Problem] | None = None) -> Iterator[Document]:
    """Yield documents one at a time (for corpora too large to hold at once).

    Problems are appended to ``problems`` (or raised when ``strict``).
    """
    problems = problems if problems is not None else []
    files, cases_path = _list_files(path, problems)
    rows: dict[str, CaseRow] = {}
    if cases_path is not None:
        rows, case_problems = read_cases(Path(cases_path))
        problems.extend(case_problems)
        present = {f.name for f in files}
        for name, row in rows.items():
            if name not in present:
                problems.append(Problem(str(cases_path), Errors.T010.format(path=cases_path, line=row.line, name=name),
                                        row.line, "warning"))
    _raise_if_strict(strict, problems, path)
    finder = LabelFinder(speaker_patterns)
    seen: dict[str, str] = {}
    for file in files:
        row = rows.get(file.name)
        if cases_path is not None and row is None:
            problems.append(Problem(str(file), Errors.T011.format(path=file, name=file.name), None, "warning"))
        try:
            document = _read_document(file, row, finder, roles, language, max_bytes)
        except IngestError as exc:
            problems.append(Problem(str(file), str(exc), exc.line, "error"))
            _raise_if_strict(strict, problems, path)
            continue
        if document.doc_id in seen:
            problems.append(Problem(str(file), Errors.T012.format(
                path=file, line=1, name=document.doc_id, other=f"1 of {seen[document.doc_id]}"), None, "error"))
            _raise_if_strict(strict, problems, path)
            continue
        seen[document.doc_id] = file.name
        if document.language not in LANGUAGES:
            problems.append(Problem(str(file), Errors.T009.format(
                path=file, line=1, detail=f"language '{document.language}' is not one of {', '.join(LANGUAGES)}; "
                                          "set it in cases.csv"), None, "warning"))
        _raise_if_strict(strict, problems, path)
        yield document


def ingest_text(text: str, *, doc_id: str = "text", language: str = "nb", case: str = "",
                speaker_patterns=None, roles=None, attributes: Mapping | None = None) -> Document:
    """A :class:`Document` from a pasted transcript (labels and paragraphs as in a .txt file).

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
                    problems.append(Problem(str(f), Errors.T017.format(path=f, target=target), None, "error"))
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


def _read_document(file: Path, row: CaseRow | None, finder, roles, language, max_bytes) -> Document:
    size = file.stat().st_size
    if size > max_bytes:
        raise IngestError(Errors.T016.format(path=file, size=size, limit=max_bytes), path=file)
    raw = read_file(file, file.read_bytes(), finder)
    return _assemble(file.stem, raw, str(file), file.suffix.lower().lstrip("."), row, finder, roles, language)


def _assemble(stem: str, raw: Raw, path: str, fmt: str, row: CaseRow | None, finder, roles, language,
              extra: Mapping | None = None) -> Document:
    fields: dict = {k: v for k, v in raw.meta.items() if v not in (None, "")}
    if extra:
        fields.update({k: v for k, v in extra.items() if v not in (None, "")})
    if row is not None:
        fields.update({k: v for k, v in row.fields.items() if v not in (None, "")})
    doc_id = str(fields.pop("doc_id", "") or stem)
    case = str(fields.pop("case", "") or doc_id.split("-", 1)[0])
    lang = str(fields.pop("language", "") or language or "nb").lower()
    informants = split_list(fields.get("informants"))
    if "informants" in fields:
        fields["informants"] = ";".join(informants)
    speaker_map = CaseRow(0, {"speaker_map": fields.get("speaker_map", "")}).speaker_map()

    def informant_for(speaker: str) -> str:
        if speaker.casefold() in speaker_map:
            return speaker_map[speaker.casefold()]
        if speaker in informants:
            return speaker
        return informants[0] if len(informants) == 1 else speaker

    if path:
        fields.setdefault("file", Path(path).name)
    segments = build_segments(doc_id, raw, finder, roles, informant_for)
    return Document(doc_id=doc_id, text=raw.text, path=path, format=fmt, language=lang, case=case,
                    attributes={k: (v if isinstance(v, (str, int, float, bool)) else str(v)) for k, v in fields.items()},
                    segments=segments, line_map=tuple(raw.line_map))
