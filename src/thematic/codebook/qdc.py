"""REFI-QDA codebook exchange (``.qdc``), the format NVivo, ATLAS.ti, MAXQDA and QualCoder share.

Export is strictly valid against the official ``Codebook.xsd``: never an empty
container, deterministic GUIDs (uuid5 of codebook id and code id, as Taguette
does), colours as ``#RRGGBB``. Fields the standard lacks (when to use, when not
to use, examples, labels in other languages) travel inside ``Description``;
rule patterns cannot travel and are reported.

Import is lenient where real tools deviate (Taguette's empty ``<Sets/>``, other
``urn:QDA-XML`` versions, odd colours) and says what it tolerated. It also reads
the code tree of a project file (``.qde``, or ``project.qde`` inside a ``.qdpx``).

Example:
    >>> from thematic.codebook import Codebook
    >>> book = Codebook.load("codebooks/digitalisering.yaml")      # doctest: +SKIP
    >>> report = save_qdc(book, "out/digitalisering.qdc")          # doctest: +SKIP
    >>> again, report = load_qdc("out/digitalisering.qdc")         # doctest: +SKIP
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..errors import CodebookError, Errors
from .io import Codebook
from .model import Code, CodebookInfo

NS = "urn:QDA-XML:codebook:1.0"
GUID_NAMESPACE = uuid.UUID("0f6c8a7e-5a43-5b8e-9d2e-7468656d6174")  # fixed: GUIDs must not change
_GUID = re.compile(r"^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$")
MAX_XML_BYTES = 200_000_000


@dataclass
class QdcReport:
    """What an import or export carried, tolerated and could not carry."""

    codes: int = 0
    tolerated: list[str] = field(default_factory=list)
    not_carried: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # what an export wrote: documents, codes, codings, ...

    def __str__(self) -> str:
        lines = [f"{self.codes} codes"]
        lines += [f"tolerated: {t}" for t in self.tolerated]
        lines += [f"not carried: {n}" for n in self.not_carried]
        return "\n".join(lines)


def code_guid(codebook_id: str, code_id: str) -> str:
    """Deterministic GUID of a code: the same ids give the same GUID in every export."""
    return str(uuid.uuid5(GUID_NAMESPACE, f"{codebook_id}/{code_id}")).upper()


def add_codes(codes_el, book: Codebook, lang: str, report: QdcReport, ns: str = NS) -> None:
    """Append ``book``'s code tree as ``Code`` elements under ``codes_el`` (a ``Codes`` element in ``ns``).

    Shared by the ``.qdc`` export and the ``.qdpx`` project export.
    """

    def add(parent_el, code: Code) -> None:
        attrs = {"guid": code.guid or code_guid(book.id, code.id), "name": code.label_in(lang), "isCodable": "true"}
        if code.colour:
            attrs["color"] = code.colour.upper()
        el = etree.SubElement(parent_el, f"{{{ns}}}Code", attrs)
        description = _description(code, lang)
        if description:
            etree.SubElement(el, f"{{{ns}}}Description").text = description
        if code.patterns or code.not_patterns:
            report.not_carried.append(f"{code.id}: {len(code.patterns) + len(code.not_patterns)} rule pattern(s) "
                                      "(REFI-QDA has no place for coding rules)")
        for child in book.children(code.id):
            add(el, child)

    for theme in book.themes:
        add(codes_el, theme)


def codebook_xml(book: Codebook, *, lang: str | None = None) -> tuple[bytes, QdcReport]:
    """The ``.qdc`` XML of ``book`` (bytes, UTF-8) and a report of what could not be carried."""
    lang = lang or (book.languages[0] if book.languages else "en")
    report = QdcReport(codes=len(book))
    root = etree.Element(f"{{{NS}}}CodeBook", nsmap={None: NS}, origin="thematic")
    codes_el = etree.SubElement(root, f"{{{NS}}}Codes")
    add_codes(codes_el, book, lang, report)
    if not len(codes_el):
        raise CodebookError(Errors.C002.format(path=book.path, detail="no codes to export"), path=book.path)
    xml = etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
    return xml, report


def save_qdc(book: Codebook, target, *, lang: str | None = None) -> QdcReport:
    """Write ``book`` as a ``.qdc`` to a path or binary file object; return the report."""
    xml, report = codebook_xml(book, lang=lang)
    if hasattr(target, "write"):
        target.write(xml)
    else:
        from ..outfiles import write_atomic

        write_atomic(Path(target), lambda tmp: tmp.write_bytes(xml))
    return report


def _description(code: Code, lang: str) -> str:
    """Definition first (what other tools show), then the fields REFI-QDA lacks."""
    parts = [code.text_in("definition", lang)] if code.definition else []
    if code.when_to_use:
        parts.append(f"When to use: {code.text_in('when_to_use', lang)}")
    if code.when_not_to_use:
        parts.append(f"When not to use: {code.text_in('when_not_to_use', lang)}")
    if code.examples:
        parts.append("Examples: " + " | ".join(code.examples))
    others = [f"{k}: {v}" for k, v in code.label.items() if k != lang and v]
    if others:
        parts.append("Labels: " + "; ".join(others))
    return "\n\n".join(p for p in parts if p)


# -- import ------------------------------------------------------------------------------------

def safe_parser() -> etree.XMLParser:
    """An XML parser for untrusted files: no entities, no DTD, no network."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_blank_text=False)


def parse_xml(data: bytes, path, *, error_cls=CodebookError) -> etree._Element:
    """Parse untrusted REFI-QDA XML; DOCTYPE/entity tricks and malformed XML give a clear error.

    ``error_cls`` is the exception to raise (``CodebookError`` here, ``RefiError`` for projects).
    """
    template = Errors.C005 if error_cls is CodebookError else Errors.Q001

    def fail(detail: str, line: int | None = None):
        return error_cls(template.format(path=path, detail=detail), path=path, line=line)

    if len(data) > MAX_XML_BYTES:
        raise fail("XML larger than 200 MB")
    if b"<!DOCTYPE" in data[:65536] or b"<!ENTITY" in data[:65536]:
        raise fail("the XML declares a DOCTYPE or entities, which REFI-QDA files never need; refusing it "
                   "(protection against entity expansion and external references)")
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        raise fail(f"malformed XML at line {exc.lineno}: {exc.msg}", exc.lineno) from None
    if root.getroottree().docinfo.doctype:  # the parser's own finding: wherever the DOCTYPE sits
        raise fail("the XML declares a DOCTYPE, which REFI-QDA files never need; refusing it "
                   "(protection against entity expansion and external references)")
    return root


def read_xml_bytes(path: Path) -> bytes:
    """The XML of a .qdc/.qde, or of the single .qde inside a .qdpx archive (read with ``thematic.safezip``)."""
    from ..errors import RefiError
    from ..safezip import SafeArchive

    data = path.read_bytes()
    if data[:2] != b"PK":
        return data
    try:
        with SafeArchive.open(path) as archive:
            return archive.project_xml()[1]
    except RefiError as exc:
        raise CodebookError(Errors.C005.format(path=path, detail=str(exc)), path=path) from None


def local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def children(el, name: str):
    return [c for c in el if local(c) == name]


def load_qdc(path: str | Path, *, lang: str = "en", codebook_id: str | None = None) -> tuple[Codebook, QdcReport]:
    """Import the code tree of a ``.qdc``, ``.qde`` or ``.qdpx`` file as a :class:`Codebook`."""
    path = Path(path)
    if not path.is_file():
        raise CodebookError(Errors.C002.format(path=path, detail="file not found"), path=path)
    root = parse_xml(read_xml_bytes(path), path)
    report = QdcReport()
    namespace = etree.QName(root).namespace or ""
    if not namespace.startswith("urn:QDA-XML:"):
        raise CodebookError(Errors.C005.format(path=path, detail=f"unexpected namespace '{namespace}'"), path=path)
    if namespace not in (NS, "urn:QDA-XML:project:1.0"):
        report.tolerated.append(f"namespace '{namespace}' read as QDA-XML 1.0")
    if local(root) == "Project":
        books = children(root, "CodeBook")
        book_el = books[0] if books else None
        name = root.get("name") or path.stem
    elif local(root) == "CodeBook":
        book_el, name = root, root.get("name") or path.stem
    else:
        raise CodebookError(Errors.C005.format(path=path, detail=f"root element <{local(root)}> is neither "
                                                                  "CodeBook nor Project"), path=path)
    codes = code_tree(book_el, lang, report, path) if book_el is not None else []
    for sets in [s for s in (book_el if book_el is not None else []) if local(s) == "Sets"]:
        if not len(sets):
            report.tolerated.append("empty <Sets/> (invalid in the schema; Taguette writes it)")
        else:
            report.not_carried.append(f"{len(sets)} code set(s): sets are not part of a thematic codebook")
    report.codes = len(codes)
    info = CodebookInfo(id=codebook_id or slugify(path.stem), name=name, version="imported",
                        languages=(lang,), description=f"Imported from {path.name} ({root.get('origin', 'unknown tool')})")
    book = Codebook(info, codes, str(path))
    book.source_text = book.to_yaml()
    return book, report


def code_tree(book_el, lang: str, report: QdcReport, path: str | Path = "<codebook>") -> list[Code]:
    """Codes of a REFI-QDA ``CodeBook`` element, depth first, with dotted ids from slugified names.

    Shared by the codebook and the project (``.qdpx``) importers; ``Code.guid`` keeps each GUID.
    """
    out: list[Code] = []
    codes_el = next((c for c in book_el if local(c) == "Codes"), None)
    if codes_el is None:
        return out

    from .io import MAX_CODE_DEPTH

    def walk(el, parent: str | None, depth: int = 1) -> None:
        used: set[str] = set()
        for code_el in children(el, "Code"):
            if depth > MAX_CODE_DEPTH:
                raise CodebookError(Errors.C001.format(
                    path=path, line=code_el.sourceline or 0, column=1,
                    detail=f"codes nested more than {MAX_CODE_DEPTH} levels deep; no codebook needs that many"),
                    path=path, line=code_el.sourceline)
            name = (code_el.get("name") or "").strip()
            guid = (code_el.get("guid") or "").strip()
            if guid and not _GUID.match(guid):
                report.tolerated.append(f"code '{name}': GUID '{guid}' is not in 8-4-4-4-12 form")
            slug = unique(code_slug(name or guid or "code"), used)
            code_id = f"{parent}.{slug}" if parent else slug
            description = "\n".join((d.text or "") for d in children(code_el, "Description")).strip()
            colour = normalise_colour(code_el.get("color", ""), name, report)
            if code_el.get("isCodable", "true").lower() == "false":
                report.tolerated.append(f"code '{name}' is marked not codable; imported as a code")
            out.append(Code(id=code_id, label={lang: name or slug}, definition={lang: description} if description else {},
                            colour=colour, guid=guid.strip("{}").upper() if guid else ""))
            walk(code_el, code_id, depth + 1)

    walk(codes_el, None)
    return out


def slugify(name: str) -> str:
    """A code id from a name: ``"Målbilde – uklart"`` -> ``"malbilde_uklart"``."""
    table = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "ä": "a", "ö": "o", "ü": "u", "ß": "ss",
                           "Æ": "ae", "Ø": "o", "Å": "a", "Ä": "a", "Ö": "o", "Ü": "u"})
    text = unicodedata.normalize("NFKD", name.translate(table))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    slug = re.sub(r"[^a-z0-9]+", "_", text).strip("_")[:60].strip("_")
    return slug or "code"


def code_slug(name: str) -> str:
    """A code id part from a name, keeping Nordic letters: ``"Målbilde – uklart"`` -> ``"målbilde_uklart"``
    (NFC, lower-case, runs of anything but letters and digits become ``_``)."""
    text = unicodedata.normalize("NFC", name).lower()
    slug = re.sub(r"[\W_]+", "_", text).strip("_")[:60].strip("_")
    return slug or "code"


def unique(slug: str, used: set[str]) -> str:
    candidate, n = slug, 2
    while candidate in used:
        candidate, n = f"{slug}_{n}", n + 1
    used.add(candidate)
    return candidate


def normalise_colour(value: str, name: str, report: QdcReport) -> str:
    """``#rrggbb``, ``#rrggbbaa``, ``rgb(r,g,b)`` or ``r,g,b`` -> ``#RRGGBB``; anything else is dropped."""
    value = value.strip()
    if not value:
        return ""
    if re.fullmatch(r"#[0-9A-Fa-f]{6}", value):
        return value.upper()
    if re.fullmatch(r"#[0-9A-Fa-f]{8}", value):
        report.tolerated.append(f"code '{name}': colour {value} had transparency; dropped it")
        return value[:7].upper()
    numbers = re.findall(r"\d+", value)
    if len(numbers) in (3, 4) and all(int(n) <= 255 for n in numbers[:3]):
        report.tolerated.append(f"code '{name}': colour '{value}' read as RGB")
        return "#" + "".join(f"{int(n):02X}" for n in numbers[:3])
    report.tolerated.append(f"code '{name}': colour '{value}' not understood; left out")
    return ""
