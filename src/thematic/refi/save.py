"""Hand a thematic project back as REFI-QDA (``.qdpx``) for NVivo, ATLAS.ti, MAXQDA and QualCoder.

The archive holds ``project.qde`` (valid against the official Project schema)
and ``sources/<guid>.txt``: each document's stored text as UTF-8, so selection
offsets are Unicode code points into exactly that file. GUIDs are uuid5 of
stable keys, and no timestamps are written, so exporting the same project twice
gives the same bytes.

Example:
    >>> save_qdpx(project, "out/study.qdpx")  # doctest: +SKIP
"""

from __future__ import annotations

import uuid
import zipfile
from collections import Counter
from pathlib import Path

from lxml import etree

from ..codebook.qdc import QdcReport, add_codes, code_guid
from ..errors import Errors, RefiError
from ..outfiles import write_atomic
from . import native

NS = "urn:QDA-XML:project:1.0"
NAMESPACE = uuid.UUID("7d3f0a52-6a51-5c8e-8f0e-7468656d6174")  # fixed: GUIDs must not change between exports
CASE_FIELDS = ("case_name", "case_type", "country", "county", "population_band", "interview_date")


def guid(*parts) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts))).upper()


def _el(parent, tag: str, **attrs):
    return etree.SubElement(parent, f"{{{NS}}}{tag}", {k: str(v) for k, v in attrs.items() if v is not None})


def _scalar(value) -> bool:
    return isinstance(value, (str, int, float)) and not isinstance(value, bool) and value == value


def project_xml(project, *, name: str | None = None) -> tuple[bytes, dict[str, str], QdcReport]:
    """The ``project.qde`` XML, the source files (archive name -> text) and a report of what was not carried."""
    book = project.codebook
    codings = project.codings
    documents = project.documents
    memos = project.memos
    report = QdcReport()
    default = Path(project.path).stem if project.path != ":memory:" else "thematic project"
    root = etree.Element(f"{{{NS}}}Project", nsmap={None: NS}, name=name or default, origin="thematic")
    coders = sorted(set(codings["coder"]) | set(memos["coder"]) | {"thematic"})
    users = _el(root, "Users")
    user_guid = {c: guid("user", c) for c in coders}
    for coder in coders:
        _el(users, "User", guid=user_guid[coder], name=coder)
    code_guids: dict[str, str] = {}
    if book is not None and len(book):
        codes_el = _el(_el(root, "CodeBook"), "Codes")
        add_codes(codes_el, book, book.languages[0] if book.languages else "en", report, ns=NS)
        code_guids = {c.id: c.guid or code_guid(book.id, c.id) for c in book.codes}
    unknown = sorted(set(codings["code"]) - set(code_guids))
    if unknown:
        if book is None:
            codes_el = _el(_el(root, "CodeBook"), "Codes")
        for code in unknown:  # codes used in codings but not in the stored codebook still travel
            code_guids[code] = guid("code", code)
            _el(codes_el, "Code", guid=code_guids[code], name=code, isCodable="true")
        report.tolerated.append(f"{len(unknown)} code(s) not in the stored codebook exported by id: "
                                + ", ".join(unknown[:5]))
    attributes = sorted({k for d in documents for k in d.attributes if k in CASE_FIELDS})
    # Other plain attributes (custom cases.csv columns) travel as variables of each source; nested ones
    # (speaker_map) only in thematic's own member (native.py).
    doc_attributes = sorted({k for d in documents for k, v in d.attributes.items()
                             if k not in CASE_FIELDS and not k.startswith("refi_") and _scalar(v)})
    var_guid = {a: guid("variable", a) for a in attributes + doc_attributes}
    if var_guid:
        variables = _el(root, "Variables")
        for attribute in sorted(var_guid):
            _el(variables, "Variable", guid=var_guid[attribute], name=attribute, typeOfVariable="Text")
    source_guid = {d.doc_id: guid("source", d.doc_id) for d in documents}
    by_case: dict[str, list] = {}
    for d in documents:
        by_case.setdefault(d.case or d.doc_id, []).append(d)
    if by_case:
        cases = _el(root, "Cases")
        for case, docs in sorted(by_case.items()):
            case_el = _el(cases, "Case", guid=guid("case", case), name=case)
            for attribute in attributes:
                value = next((str(d.attributes[attribute]) for d in docs if d.attributes.get(attribute)), "")
                if value:
                    vv = _el(case_el, "VariableValue")
                    _el(vv, "VariableRef", targetGUID=var_guid[attribute])
                    _el(vv, "TextValue").text = value
            for d in docs:
                _el(case_el, "SourceRef", targetGUID=source_guid[d.doc_id])
    files: dict[str, str] = {}
    if documents:
        sources = _el(root, "Sources")
        for d in documents:
            file_name = f"{source_guid[d.doc_id]}.txt"
            files[f"sources/{file_name}"] = d.text
            src = _el(sources, "TextSource", guid=source_guid[d.doc_id], name=d.doc_id,
                      plainTextPath=f"internal://{file_name}")
            rows = codings[codings["doc_id"] == d.doc_id].astype({"code": object, "coder": object})
            rows = rows.assign(code_guid_=rows["code"].map(code_guids))
            rows = rows.sort_values(["start", "end", "code_guid_", "coder"])  # GUIDs survive a round trip; ids may not
            for (start, end), block in rows.groupby(["start", "end"], sort=True):
                sel = _el(src, "PlainTextSelection", guid=guid("selection", d.doc_id, start, end),
                          name=d.text[int(start):int(end)][:100], startPosition=int(start), endPosition=int(end))
                for r in block.itertuples(index=False):
                    coding = _el(sel, "Coding", guid=guid("coding", d.doc_id, start, end, r.code_guid_, r.coder),
                                 creatingUser=user_guid[r.coder])
                    _el(coding, "CodeRef", targetGUID=r.code_guid_)
            for attribute in doc_attributes:
                value = d.attributes.get(attribute)
                if _scalar(value) and str(value) != "":
                    vv = _el(src, "VariableValue")
                    _el(vv, "VariableRef", targetGUID=var_guid[attribute])
                    _el(vv, "TextValue").text = str(value)
    if len(memos):
        notes = _el(root, "Notes")
        for m in memos.itertuples(index=False):
            # Keyed by author and text only: a memo's target does not survive the trip, its words do.
            note = _el(notes, "Note", guid=guid("memo", m.coder, m.text), name=" ".join(m.text.split())[:60],
                       creatingUser=user_guid[m.coder])
            _el(note, "PlainTextContent").text = m.text
        report.tolerated.append(f"{len(memos)} memo(s) exported as project notes; their targets travel in "
                                f"{native.MEMBER}, which only thematic reads")
    xml = etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
    return xml, files, report


def save_qdpx(project, path: str | Path, *, name: str | None = None) -> QdcReport:
    """Write ``project`` as a ``.qdpx`` archive; returns counts of what it wrote (``.counts``) and what
    could not be carried (``.not_carried``)."""
    path = Path(path)
    if path.suffix.lower() != ".qdpx":
        raise RefiError(Errors.Q001.format(path=path, detail="the file name must end in .qdpx"), path=path)
    xml, files, report = project_xml(project, name=name)
    own = native.payload(project, {d.doc_id: guid("source", d.doc_id) for d in project.documents})

    def write(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
            members = [("project.qde", xml)] + sorted((n, t.encode("utf-8")) for n, t in files.items())
            for member, content in members + [(native.MEMBER, own)]:
                info = zipfile.ZipInfo(member, date_time=(2000, 1, 1, 0, 0, 0))  # fixed time: same bytes every export
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, content)

    write_atomic(path, write)
    tags = Counter(etree.QName(el).localname for el in etree.fromstring(xml).iter() if isinstance(el.tag, str))
    report.counts = {"documents": tags["TextSource"], "codes": tags["Code"], "codings": tags["Coding"],
                     "users": tags["User"], "notes": tags["Note"], "cases": tags["Case"], "variables": tags["Variable"]}
    return report
