"""Open REFI-QDA projects (``.qdpx``, or a bare ``project.qde``) from NVivo, ATLAS.ti, MAXQDA, QualCoder, qc.

:func:`load_qdpx` reads everything and writes nothing. It returns documents with
their plain text, the code tree, codings (our tidy table, ``source="import"``,
each with its coder), users, cases and variables, notes and sets, and a summary
that counts every element read and lists what was not carried over and why.
Nothing is dropped silently.

Example:
    >>> from thematic.refi import load_qdpx
    >>> imported = load_qdpx("nvivo_project.qdpx")  # doctest: +SKIP
    >>> print(imported.summary())                   # doctest: +SKIP
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..codebook import Codebook, CodebookInfo
from ..codebook.qdc import QdcReport, code_tree, local, parse_xml, slugify, unique
from ..corpus import Document
from ..errors import Errors, IngestError, RefiError
from ..transcripts import ingest_text
from ..transcripts.decode import decode_bytes
from ..types import CODING_COLUMNS, theme_of
from ..safezip import SafeArchive
from . import native
from .offsets import OffsetMap, choose_unit

ATLAS_PSEUDO_USER = "C32A2BD5-537F-4838-8B17-DF9EFBAFDF4B"
NON_TEXT_SOURCES = ("PDFSource", "PictureSource", "AudioSource", "VideoSource")


def _guid(value: str | None) -> str:
    return (value or "").strip().strip("{}").upper()


@dataclass
class RefiProject:
    """What a REFI-QDA project holds, read into thematic's terms (nothing stored yet)."""

    path: str
    name: str = ""
    origin: str = ""
    documents: list[Document] = field(default_factory=list)
    codebook: Codebook | None = None
    codings: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CODING_COLUMNS))
    users: pd.DataFrame = field(default_factory=pd.DataFrame)
    cases: pd.DataFrame = field(default_factory=pd.DataFrame)
    variables: pd.DataFrame = field(default_factory=pd.DataFrame)
    notes: pd.DataFrame = field(default_factory=pd.DataFrame)
    sets: pd.DataFrame = field(default_factory=pd.DataFrame)
    counts: Counter = field(default_factory=Counter)
    not_carried: list[str] = field(default_factory=list)
    tolerated: list[str] = field(default_factory=list)
    units: dict[str, str] = field(default_factory=dict)
    #: True when thematic's own member (``thematic/project.json``) was restored; then ``memos`` holds
    #: the project's memos with their targets and ``codings`` their status and reviewer.
    native: bool = False
    memos: pd.DataFrame = field(default_factory=pd.DataFrame)

    def summary(self) -> str:
        """Counts of every kind of element read, then what was tolerated and what was not carried over."""
        lines = [f"{self.path} ({self.origin or 'unknown tool'}):"]
        lines += [f"  {kind}: {n}" for kind, n in sorted(self.counts.items())]
        lines.append(f"  imported: {len(self.documents)} documents, {len(self.codebook or [])} codes, "
                     f"{len(self.codings)} codings")
        units = Counter(self.units.values())
        if units:
            lines.append("  offsets read as: " + ", ".join(f"{u} ({n} sources)" for u, n in units.items()))
        lines += [f"  tolerated: {t}" for t in self.tolerated]
        lines += [f"  not carried: {n}" for n in self.not_carried]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (f"RefiProject({Path(self.path).name!r}, origin={self.origin!r}, documents={len(self.documents)}, "
                f"codes={len(self.codebook or [])}, codings={len(self.codings)}, not_carried={len(self.not_carried)})")


def load_qdpx(path: str | Path, *, language: str = "nb") -> RefiProject:
    """Read a ``.qdpx`` archive or a bare ``.qde``; raises ``RefiError`` for unreadable or unsafe files."""
    path = Path(path)
    if not path.is_file():
        raise RefiError(Errors.Q001.format(path=path, detail="file not found"), path=path)
    head = path.read_bytes()[:4]
    archive = SafeArchive.open(path) if head.startswith(b"PK") else None
    if archive is None and path.suffix.lower() == ".qdpx":
        raise RefiError(Errors.Q001.format(path=path, detail="not a .qdpx (zip) archive"), path=path)
    xml = archive.project_xml()[1] if archive else path.read_bytes()
    root = parse_xml(xml, path, error_cls=RefiError)
    namespace = root.tag.split("}")[0].strip("{") if root.tag.startswith("{") else ""
    if local(root) != "Project" or not namespace.startswith("urn:QDA-XML:project"):
        raise RefiError(Errors.Q001.format(path=path, detail=f"expected a REFI-QDA <Project>, found <{local(root)}> "
                                                             f"in '{namespace or 'no namespace'}'"), path=path)
    result = RefiProject(str(path), root.get("name", ""), root.get("origin", ""))
    if namespace != "urn:QDA-XML:project:1.0":
        result.tolerated.append(f"namespace '{namespace}' read as QDA-XML project 1.0")
    for el in root.iter():
        if isinstance(el.tag, str):
            result.counts[local(el)] += 1
    _Reader(result, root, archive, language).read()
    if archive is not None and native.MEMBER in archive.names:
        native.restore(result, archive.read(native.MEMBER))
    if archive is None:
        result.tolerated.append("a bare .qde without its archive: sources kept in the archive are missing")
    return result


class _Reader:
    def __init__(self, result: RefiProject, root, archive: SafeArchive | None, language: str):
        self.r, self.root, self.archive, self.language = result, root, archive, language
        self.users: dict[str, str] = {}
        self.code_ids: dict[str, str] = {}
        self.case_guids: set[str] = set()
        self.doc_ids: set[str] = set()
        self.rows: list[dict] = []
        self.notes: list[dict] = []

    def child(self, el, name):
        return next((c for c in el if local(c) == name), None)

    def children(self, el, name):
        return [c for c in el if local(c) == name] if el is not None else []

    def read(self) -> None:
        r = self.r
        self._users()
        self._codebook()
        variables = self._variables()
        cases = self._cases(variables)
        sources = self.child(self.root, "Sources")
        for el in self.children(sources, "TextSource"):
            self._text_source(el, cases)
        for kind in NON_TEXT_SOURCES:
            for el in self.children(sources, kind):
                name = el.get("name") or el.get("path") or el.get("guid")
                selections = sum(1 for c in el.iter() if isinstance(c.tag, str) and local(c).endswith("Selection"))
                r.not_carried.append(f"{kind} '{name}' ({selections} selections): only text sources can be read")
        self._notes()
        self._sets()
        for kind in ("Link", "Graph"):
            if r.counts.get(kind):
                r.not_carried.append(f"{r.counts[kind]} {kind.lower()}(s): thematic has no place for them yet")
        frame = pd.DataFrame(self.rows, columns=CODING_COLUMNS)
        for c in ("start", "end", "line_start", "line_end"):
            frame[c] = frame[c].astype("Int64")
        r.codings = frame
        r.notes = pd.DataFrame(self.notes, columns=["guid", "name", "target", "text", "coder"])
        r.cases = pd.DataFrame([{"case": c["name"], "guid": c["guid"], "sources": len(c["sources"]),
                                 **c["values"]} for c in cases.values()])

    def _users(self) -> None:
        rows = []
        for el in self.children(self.child(self.root, "Users"), "User"):
            guid = _guid(el.get("guid"))
            name = el.get("name") or el.get("id") or guid
            self.users[guid] = name
            rows.append({"guid": guid, "name": name, "id": el.get("id", ""), "pseudo": guid == ATLAS_PSEUDO_USER})
        self.r.users = pd.DataFrame(rows, columns=["guid", "name", "id", "pseudo"])

    def _codebook(self) -> None:
        book_el = self.child(self.root, "CodeBook")
        report = QdcReport()
        codes = code_tree(book_el, "en", report, self.r.path) if book_el is not None else []
        self.code_ids = {c.guid: c.id for c in codes if c.guid}
        self.r.tolerated += report.tolerated
        info = CodebookInfo(id=slugify(self.r.name or Path(self.r.path).stem), name=self.r.name or Path(self.r.path).stem,
                            version="imported", languages=("en",),
                            description=f"Imported from {Path(self.r.path).name} ({self.r.origin or 'unknown tool'})")
        book = Codebook(info, codes, self.r.path)
        book.source_text = book.to_yaml()
        self.r.codebook = book

    def _variables(self) -> dict[str, dict]:
        variables = {}
        for el in self.children(self.child(self.root, "Variables"), "Variable"):
            variables[_guid(el.get("guid"))] = {"name": el.get("name"), "type": el.get("typeOfVariable")}
        self.r.variables = pd.DataFrame([{"guid": g, **v} for g, v in variables.items()],
                                        columns=["guid", "name", "type"])
        return variables

    def _values(self, el, variables) -> dict[str, str]:
        values = {}
        for vv in self.children(el, "VariableValue"):
            ref = self.child(vv, "VariableRef")
            var = variables.get(_guid(ref.get("targetGUID") if ref is not None else ""))
            value_el = next((c for c in vv if local(c).endswith("Value") and local(c) != "VariableValue"), None)
            if var is None:
                self.r.not_carried.append("a variable value whose variable is not declared")
                continue
            values[var["name"]] = (value_el.text or "") if value_el is not None else ""
        return values

    def _cases(self, variables) -> dict[str, dict]:
        cases = {}
        for el in self.children(self.child(self.root, "Cases"), "Case"):
            guid = _guid(el.get("guid"))
            self.case_guids.add(guid)
            sources = [_guid(s.get("targetGUID")) for s in self.children(el, "SourceRef")]
            coded = len(self.children(el, "CodeRef")) + len(self.children(el, "SelectionRef"))
            if coded:
                self.r.not_carried.append(f"case '{el.get('name') or guid}': {coded} case coding reference(s) "
                                          "(case membership of codes or selections)")
            cases[guid] = {"guid": guid, "name": el.get("name") or "", "sources": sources,
                           "values": self._values(el, variables)}
        return cases

    def _source_text(self, el) -> tuple[str | None, str]:
        """Raw text (BOM stripped, line ends kept) and where it came from."""
        inline = self.child(el, "PlainTextContent")
        if inline is not None:
            return inline.text or "", "inline"
        reference = el.get("plainTextPath")
        if not reference:
            return None, "no plainTextPath or PlainTextContent"
        if reference.startswith(("relative://", "absolute://")):
            return None, f"external file {reference} (not inside the archive)"
        if self.archive is None:
            return None, f"{reference} is inside the archive, which was not given"
        member = self.archive.find_source(reference)
        if member is None:
            return None, f"{reference} is missing from the archive"
        try:
            text = decode_bytes(self.archive.read(member), member)
        except IngestError as exc:
            return None, f"{reference}: {exc}"
        return text.lstrip("\ufeff"), member

    def _text_source(self, el, cases) -> None:
        r = self.r
        guid = _guid(el.get("guid"))
        path_name = Path((el.get("plainTextPath") or "").split("://")[-1]).stem
        name = el.get("name") or path_name or guid
        selections = self.children(el, "PlainTextSelection")
        raw, origin = self._source_text(el)
        if raw is None or not raw.strip():
            why = origin if raw is None else "its text is empty"
            r.not_carried.append(f"text source '{name}': {why}; {len(selections)} selection(s) not placed")
            return
        offset_map = OffsetMap(raw)
        spans = [(self._position(s, "startPosition"), self._position(s, "endPosition")) for s in selections]
        unit, scores = choose_unit(offset_map, spans, r.origin) if spans else ("codepoints", {})
        doc_id = unique(re.sub(r"[^\w\-. ]+", "_", name).strip() or guid, self.doc_ids)
        case_name, attributes = "", {}
        for case in cases.values():
            if guid in case["sources"]:
                case_name = case_name or case["name"]
                attributes.update(case["values"])
        attributes.update(self._values(el, self._variables_index()))
        attributes.update({"refi_guid": guid, "refi_name": name, "refi_offsets": unit})
        document = ingest_text(offset_map.text, doc_id=doc_id, language=self.language,
                               case=case_name or doc_id.split("-", 1)[0], attributes=attributes)
        r.documents.append(document)
        r.units[doc_id] = unit
        if spans and unit != ("utf16" if "nvivo" in r.origin.lower() else "codepoints"):
            r.tolerated.append(f"source '{name}': offsets fit {unit} better than the origin suggests ({scores})")
        for sel, (start, end) in zip(selections, spans):
            a, b = offset_map.to_stored(start, unit), offset_map.to_stored(end, unit)
            codings = self.children(sel, "Coding")
            if a is None or b is None or b <= a:
                r.not_carried.append(f"selection {sel.get('guid')} in '{name}' ({start}..{end}, {unit}) cannot be "
                                     "placed in the text" + (" (zero length)" if start == end else ""))
                continue
            description = self.child(sel, "Description")
            if description is not None and (description.text or "").strip():
                self.notes.append({"guid": _guid(sel.get("guid")), "name": sel.get("name", ""),
                                   "target": f"{doc_id}:{a}-{b}", "text": description.text.strip(),
                                   "coder": self._user(sel.get("creatingUser"))})
            for coding in codings:
                self._coding(document, a, b, coding, sel)
        for coding in self.children(el, "Coding"):  # a code on the whole source
            self._coding(document, 0, len(document.text), coding, el)

    def _position(self, selection, name: str) -> int:
        """A selection offset; anything but a non-negative integer is a coded error naming the line."""
        value = (selection.get(name) or "0").strip()
        if not value.isdigit() or not value.isascii() or len(value) > 12:
            raise RefiError(Errors.Q001.format(
                path=f"{self.r.path}, line {selection.sourceline}",
                detail=f"selection {selection.get('guid')} has {name}=\"{value[:40]}\", not a character offset; "
                       "re-export the project from the program that made it"), path=self.r.path,
                line=selection.sourceline)
        return int(value)

    def _variables_index(self) -> dict[str, dict]:
        return {row.guid: {"name": row.name, "type": row.type} for row in self.r.variables.itertuples()}

    def _user(self, guid: str | None) -> str:
        g = _guid(guid)
        return self.users.get(g, g) if g else ""

    def _coding(self, document: Document, a: int, b: int, coding, selection) -> None:
        ref = self.child(coding, "CodeRef")
        target = _guid(ref.get("targetGUID") if ref is not None else "")
        code = self.code_ids.get(target)
        if code is None:
            kind = "a case (NVivo case coding)" if target in self.case_guids else "an unknown code"
            self.r.not_carried.append(f"coding {coding.get('guid')} in '{document.doc_id}' refers to {kind} {target}")
            return
        who = _guid(coding.get("creatingUser"))
        if not who or who == ATLAS_PSEUDO_USER:
            who = _guid(selection.get("creatingUser")) or who
        coder = self.users.get(who, who) if who and who != ATLAS_PSEUDO_USER else "import"
        segment = next((s for s in document.segments if s.start <= a < s.end), None)
        line_start, line_end = document.lines_of(a, b)
        self.rows.append({"doc_id": document.doc_id, "case": document.case,
                          "speaker": segment.speaker if segment else "", "role": segment.role if segment else "unknown",
                          "segment_id": segment.segment_id if segment else "", "start": a, "end": b,
                          "line_start": line_start, "line_end": line_end, "code": code, "theme": theme_of(code),
                          "coder": coder, "source": "import", "rule": "", "matched": "",
                          "text": document.text[a:b]})

    def _notes(self) -> None:
        for el in self.children(self.child(self.root, "Notes"), "Note"):
            text, _ = self._source_text(el)
            if text is None:
                self.r.not_carried.append(f"note '{el.get('name') or el.get('guid')}': its text is missing")
                continue
            self.notes.append({"guid": _guid(el.get("guid")), "name": el.get("name", ""), "target": "project",
                               "text": text.strip(), "coder": self._user(el.get("creatingUser"))})

    def _sets(self) -> None:
        rows = []
        sets = self.children(self.child(self.root, "Sets"), "Set")
        for el in sets:
            rows.append({"guid": _guid(el.get("guid")), "name": el.get("name"),
                         "codes": len(self.children(el, "MemberCode")), "sources": len(self.children(el, "MemberSource")),
                         "notes": len(self.children(el, "MemberNote"))})
        self.r.sets = pd.DataFrame(rows, columns=["guid", "name", "codes", "sources", "notes"])
        if rows:
            self.r.not_carried.append(f"{len(rows)} set(s) (code and document groups) are listed in .sets, "
                                      "not stored in the project")
