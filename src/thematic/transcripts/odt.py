"""OpenDocument text (.odt, LibreOffice): headings with their outline level, paragraphs, lists, tables.

Read as untrusted input: the archive through :mod:`thematic.safezip` (size, ratio and
path caps) and ``content.xml`` with lxml, entities and network access off. We do not
use odfpy's loader: it unzips and parses without those limits, and we need only the
text body. Footnote bodies and comments are left out of the stored text (they are not
the document's running text).

Example:
    >>> raw = read_odt(Path("tests/fixtures/sources/Skovby-handleplan.odt").read_bytes(), "x.odt")  # doctest: +SKIP
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import Errors, IngestError, UnsafeArchiveError
from .readers import Block, Raw, from_blocks

_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_DC = "http://purl.org/dc/elements/1.1/"
_SKIP = {f"{{{_TEXT}}}note", f"{{{_OFFICE}}}annotation", f"{{{_TEXT}}}tracked-changes", f"{{{_TEXT}}}note-citation"}


def read_odt(data: bytes, path: Path | str) -> Raw:
    from lxml import etree

    from ..safezip import SafeArchive

    try:
        archive = SafeArchive.from_bytes(data, path)
        with archive:
            if "content.xml" not in archive.names:
                raise IngestError(Errors.T025.format(path=path, kind="OpenDocument", detail="no content.xml"),
                                  path=path)
            content = archive.read("content.xml")
            meta = archive.read("meta.xml") if "meta.xml" in archive.names else b""
    except zipfile.BadZipFile:
        raise IngestError(Errors.T025.format(path=path, kind="OpenDocument", detail="not a zip archive"),
                          path=path) from None
    except UnsafeArchiveError as exc:
        raise IngestError(Errors.T025.format(path=path, kind="OpenDocument", detail=str(exc)), path=path) from None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as exc:
        raise IngestError(Errors.T025.format(path=path, kind="OpenDocument", detail=f"corrupt content.xml: {exc}"),
                          path=path) from None
    body = root.find(f"{{{_OFFICE}}}body/{{{_OFFICE}}}text")
    if body is None:
        raise IngestError(Errors.T025.format(path=path, kind="OpenDocument",
                                             detail="no text body (a spreadsheet or presentation?)"), path=path)
    blocks: list[Block] = []
    _walk(body, blocks)
    return from_blocks(blocks, _title(meta, parser))


def _walk(element, blocks: list[Block]) -> None:
    for child in element:
        tag = child.tag
        if tag in _SKIP or not isinstance(tag, str):
            continue
        if tag == f"{{{_TEXT}}}h":
            level = int(child.get(f"{{{_TEXT}}}outline-level", "1") or 1)
            blocks.append(Block(_text(child), max(level, 1)))
        elif tag == f"{{{_TEXT}}}p":
            blocks.append(Block(_text(child)))
        elif tag == f"{{{_TABLE}}}table-row":
            cells = [" ".join(_text_deep(cell).split()) for cell in child if cell.tag == f"{{{_TABLE}}}table-cell"]
            blocks.append(Block(" | ".join(c for c in cells if c)))
        else:  # lists, sections, tables, frames: look inside
            _walk(child, blocks)


def _text(element) -> str:
    """Text of a paragraph: spans and links inline, ``text:s`` spaces, tabs and line breaks as spaces."""
    parts = [element.text or ""]
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _SKIP:
            pass
        elif tag == f"{{{_TEXT}}}s":
            parts.append(" " * int(child.get(f"{{{_TEXT}}}c", "1") or 1))
        elif tag in (f"{{{_TEXT}}}tab", f"{{{_TEXT}}}line-break"):
            parts.append(" ")
        elif tag:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _text_deep(element) -> str:
    return " ".join(_text(p) for p in element.iter(f"{{{_TEXT}}}p", f"{{{_TEXT}}}h"))


def _title(meta: bytes, parser) -> dict:
    if not meta:
        return {}
    from lxml import etree

    try:
        title = etree.fromstring(meta, parser).find(f".//{{{_DC}}}title")
    except etree.XMLSyntaxError:
        return {}
    return {"title": title.text.strip()} if title is not None and (title.text or "").strip() else {}
