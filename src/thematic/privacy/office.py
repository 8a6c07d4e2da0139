"""Every text part of an office file, for leak checks and pseudonymisation.

A Word file keeps names in more places than its body: comments and their
authors, footnotes and endnotes, headers and footers, tracked deletions, alt
texts of pictures, and the document properties (author, last modified by,
company, manager, custom properties). Spreadsheets and presentations keep them
in shared strings, cell comments, slides, notes and properties; OpenDocument
files in ``content.xml``, ``styles.xml`` and ``meta.xml``. Here every XML member
of the archive is read (through :mod:`thematic.safezip`, with its caps) and
parsed with a parser that forbids DTDs; its text is grouped by paragraph so a
name split across runs (``Ka`` + ``ri``) is still one word.

Hand-written over lxml: python-docx and openpyxl each expose only some of these
parts, and none of them the OpenDocument ones.

Example:
    >>> office_text("exports/report.docx")  # doctest: +SKIP
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from pathlib import Path

from lxml import etree

from ..errors import Errors, PrivacyError
from ..safezip import SafeArchive
from .replace import GENITIVE

OFFICE_SUFFIXES = {".docx", ".docm", ".dotx", ".xlsx", ".xlsm", ".pptx", ".odt", ".ods", ".odp"}
#: Attributes that carry people's names or free text (comment authors, alt texts, tracked changes);
#: they are pseudonymised. Leak checks also read ``name`` (sheet names, shape names).
NAME_ATTRIBUTES = {"author", "initials", "descr", "title", "userId", "creator"}
SCAN_ATTRIBUTES = NAME_ATTRIBUTES | {"name"}
#: Text elements: Word, DrawingML (pptx, charts), SpreadsheetML, OpenDocument spans are parents of text.
_TEXT = {"t", "delText", "instrText"}
_PARAGRAPH = {"p", "si", "is", "h", "r"}  # "r": a rich-text run in an xlsx comment
_BODY_PARTS = ("word/document.xml", "word/header", "word/footer")


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False)


def _members(path: Path) -> tuple[SafeArchive, list[str]]:
    try:
        archive = SafeArchive.open(path)
    except Exception as exc:  # RefiError wording is about .qdpx; say it for an office file
        if isinstance(exc, PrivacyError):
            raise
        raise PrivacyError(Errors.T003.format(path=path, detail=str(exc)), path=path) from None
    return archive, [n for n in archive.names if n.lower().endswith(".xml")]


def parse_part(data: bytes, path, member: str):
    """Parse one XML member; a DOCTYPE (refused by the parser's result, not by a byte scan) or
    malformed XML is a coded error."""
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise PrivacyError(Errors.T003.format(path=path, detail=f"{member}: malformed XML ({exc.msg})"),
                           path=path) from None
    if root.getroottree().docinfo.doctype:
        raise PrivacyError(Errors.Q003.format(path=f"{path}:{member}", detail="a DOCTYPE declaration"), path=path)
    return root


def office_text(path: str | Path) -> str:
    """All text a reader of the file could find, one paragraph a line, then names in attributes."""
    path = Path(path)
    archive, names = _members(path)
    lines: list[str] = []
    with archive:
        for name in names:
            root = parse_part(archive.read(name), path, name)
            lines.extend(_part_lines(root))
    return "\n".join(unicodedata.normalize("NFC", line) for line in lines if line.strip())


def _local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _part_lines(root) -> list[str]:
    lines = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if _local(el) in _PARAGRAPH and not _has_paragraph_ancestor(el):
            lines.append("".join(t.text or "" for t in el.iter() if isinstance(t.tag, str) and _local(t) in _TEXT)
                         or "".join(el.itertext()))
        elif len(el) == 0 and el.text and el.text.strip() and not _has_paragraph_ancestor(el):
            lines.append(el.text)  # document properties, cell values, OpenDocument metadata
        for attr, value in el.attrib.items():
            if etree.QName(attr).localname in SCAN_ATTRIBUTES and value.strip():
                lines.append(value)
    return lines


def _has_paragraph_ancestor(el) -> bool:
    parent = el.getparent()
    while parent is not None:
        if _local(parent) in _PARAGRAPH:
            return True
        parent = parent.getparent()
    return False


def pseudonymise_parts(docx_bytes: bytes, path, matcher) -> tuple[bytes, list]:
    """Replace real terms in every part python-docx's body pass does not reach: comments and their
    authors, footnotes, endnotes, tracked deletions, field codes, alt texts, document properties.

    Returns the new archive bytes and ``(term entry, matched text)`` pairs for the report.
    """
    found: list = []
    out = io.BytesIO()
    with SafeArchive.from_bytes(docx_bytes, path) as archive, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in archive.names:
            data = archive.read(name)
            if name.lower().endswith(".xml"):
                root = parse_part(data, path, name)
                body = name.startswith(_BODY_PARTS)
                if _replace_in_part(root, matcher, found, skip_t=body):
                    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(archive._members[name], data)
    return out.getvalue(), found


def _replace_in_part(root, matcher, found: list, *, skip_t: bool) -> bool:
    changed = False
    texts = {"delText", "instrText"} if skip_t else _TEXT
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        if _local(el) in _PARAGRAPH and not _has_paragraph_ancestor(el):
            nodes = [t for t in el.iter() if isinstance(t.tag, str) and _local(t) in texts]
            changed |= _splice_nodes(nodes, matcher, found)
        elif len(el) == 0 and el.text and not skip_t and not _has_paragraph_ancestor(el):
            new, reps = matcher.replace(el.text)
            if reps:
                el.text, changed = new, True
                found.extend((r.term, r.pseudonym, r.kind, r.matched) for r in reps)
        for attr, value in list(el.attrib.items()):
            if etree.QName(attr).localname in NAME_ATTRIBUTES and value.strip():
                new, reps = matcher.replace(value)
                if reps:
                    el.set(attr, new)
                    changed = True
                    found.extend((r.term, r.pseudonym, r.kind, r.matched) for r in reps)
    return changed


def _splice_nodes(nodes, matcher, found: list) -> bool:
    """Replace terms across consecutive text nodes of one paragraph (a name split over runs)."""
    hits = replace_in_nodes(nodes, matcher)
    found.extend((entry.term, entry.pseudonym, entry.kind, match.group(0)) for match, entry in hits)
    return bool(hits)


def replace_in_nodes(nodes, matcher) -> list:
    """Replace key terms in the joined text of consecutive XML text nodes (one paragraph; a name may be split
    over runs), keeping a genitive suffix; returns the ``(match, entry)`` hits, last first."""
    texts = [unicodedata.normalize("NFC", n.text or "") for n in nodes]
    hits = list(matcher.finditer("".join(texts)))[::-1]
    for match, entry in hits:
        suffix = match.group("suffix") or ""
        _splice(nodes, texts, *match.span(), entry.pseudonym + (suffix if suffix.lower() in GENITIVE else ""))
    return hits


def _splice(nodes, texts, start: int, end: int, replacement: str) -> None:
    """Replace ``"".join(texts)[start:end]`` across consecutive text nodes (edits ``texts`` in place)."""
    offset = 0
    placed = False
    for i, t in enumerate(texts):
        lo, hi = offset, offset + len(t)
        offset = hi
        if hi <= start or lo >= end:
            continue
        a, b = max(start, lo) - lo, min(end, hi) - lo
        new = t[:a] + ("" if placed else replacement) + t[b:]
        placed = True
        texts[i] = new
        nodes[i].text = new
        if new != new.strip():
            nodes[i].set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
