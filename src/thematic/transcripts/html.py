"""A web page saved from a municipality's site (.html): the main text, its headings and paragraphs.

Parsed with lxml.html (already a dependency). Navigation, headers, footers,
cookie banners, scripts and forms are dropped; when the page marks its main
content (``<main>``, ``<article>`` or ``role="main"``) only that is read.
``<h1>``-``<h6>`` are headings; ``<p>``, list items, table rows (``cell | cell``),
quotes and bare text in ``<div>`` are paragraphs.

Example:
    >>> raw = read_html(b"<html><body><nav>Meny</nav><main><h1>Plan</h1><p>Tekst.</p></main></body></html>", "x.html")
    >>> [raw.text[p.start:p.end] for p in raw.paragraphs]
    ['Plan', 'Tekst.']
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import Errors, IngestError
from .decode import decode_bytes
from .readers import Block, Raw, from_blocks

_DROP = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "button", "svg", "template",
         "iframe", "select", "object", "canvas", "menu"}
_DROP_HINT = re.compile(r"cookie|breadcrumb|skip-?link|site-?menu|navbar|share|social", re.IGNORECASE)
_HEADINGS = {f"h{i}": i for i in range(1, 7)}
_BLOCKS = {"p", "li", "blockquote", "pre", "dt", "dd", "figcaption", "caption", "tr", "div", "section", "article",
           "main", "ul", "ol", "dl", "table", "tbody", "thead", "tfoot", "figure", "address", "body", *_HEADINGS}
_META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_-]+)", re.IGNORECASE)


def read_html(data: bytes, path: Path | str) -> Raw:
    import lxml.html
    from lxml import etree

    text = _decode(data, path)
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise IngestError(Errors.T025.format(path=path, kind="HTML", detail=str(exc)), path=path) from None
    title = (root.findtext(".//title") or "").strip()
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        hint = f"{element.get('class', '')} {element.get('id', '')}"
        if element.tag in _DROP or element.get("role") in ("navigation", "banner", "contentinfo") or \
                element.get("aria-hidden") == "true" or (element.tag != "body" and _DROP_HINT.search(hint)):
            element.drop_tree()
    candidates = [root.find(".//main"), root.find(".//article"), next(iter(root.xpath('//*[@role="main"]')), None),
                  root.find("body"), root]
    body = next(c for c in candidates if c is not None)
    blocks: list[Block] = []
    _walk(body, blocks)
    return from_blocks(blocks, {"title": title} if title else {})


def _decode(data: bytes, path) -> str:
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_bytes(data, path)


def _walk(element, blocks: list[Block]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag == "tr":
        cells = [" ".join(c.text_content().split()) for c in element if c.tag in ("td", "th")]
        blocks.append(Block(" | ".join(c for c in cells if c)))
        return
    own = _own_text(element)
    if own.strip():
        blocks.append(Block(own, _HEADINGS.get(tag, 0)))
    for child in element:
        if isinstance(child.tag, str) and child.tag in _BLOCKS:
            _walk(child, blocks)


def _own_text(element) -> str:
    """The element's text without its block children (inline elements and ``<br>`` included)."""
    parts = [element.text or ""]
    for child in element:
        if not isinstance(child.tag, str):
            parts.append(child.tail or "")
            continue
        if child.tag in _BLOCKS:
            parts.append(" ")
        elif child.tag == "br":
            parts.append(" ")
        else:
            parts.append(_own_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
