"""Text PDFs: paragraphs with their page, headings, no running headers, footers or page numbers.

Read with pdfplumber (pdfminer.six underneath). Chosen over pypdf on our Nordic
fixture (``data/tools/build_pdf_fixture.py``): both keep æ, ø, å and the
ligatures, but in justified lines set tightly both glued words together
("Kommunenetablereretnettverk"); only pdfplumber lets us set the gap that counts as
a space (``X_TOLERANCE``), which fixed every such line, and it gives each line's
position and font size, which is what finds running headers, page numbers and
headings. pypdf's layout mode did not separate the words either.

What is done to the text:

* lines are joined into paragraphs (a new paragraph at a heading, an indented
  line, a vertical gap, or after a short line ending a sentence); a paragraph
  may continue onto the next page and keeps the page it starts on;
* end-of-line hyphens are undone where the joined word is a word (known to the
  lemmatiser's dictionaries or used elsewhere in the document); kept for
  ``IKT-`` + ``avdelingen``, and before ``og``/``eller``/``och``/``and``;
* lines at the top or bottom of the page that repeat (digits aside) on at least
  half of the pages are running headers/footers and are dropped, as are lines
  that are only a page number (``3``, ``- 3 -``, ``Side 3 av 10``, ``Page 3``);
* runs of spaces (justification) become one space.

A PDF with pages but no text layer (a scan) is refused with a message saying it needs OCR.

Example:
    >>> raw = read_pdf(Path("tests/fixtures/sources/Fjellvik-strategi.pdf").read_bytes(), "f.pdf")  # doctest: +SKIP
"""

from __future__ import annotations

import io
import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..errors import Errors, IngestError
from ..types import LANGUAGES
from .readers import Block, Raw, from_blocks

#: Horizontal gap (points) above which two characters are separate words.
X_TOLERANCE = 1.5
_PAGE_NUMBER = re.compile(r"^(?:(?:side|sida|page|p\.|s\.)\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?"
                          r"(?:\s*(?:av|af|of|/)\s*\d{1,4})?$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?:;»”\"')]$")
_KEEP_HYPHEN_BEFORE = {"og", "eller", "samt", "och", "el", "and", "or", "og/eller"}
_SOFT = "\u00ad"  # marks an end-of-line hyphen until the whole document's words are known
_HYPHENATED = re.compile(rf"(\w+){_SOFT}(\w+)")


@dataclass
class _Line:
    text: str
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    bold: bool
    page: int


def read_pdf(data: bytes, path: Path | str) -> Raw:
    """Blocks of a text PDF; raises ``IngestError`` for a broken, encrypted or scanned (image-only) PDF."""
    import pdfplumber
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [_lines(page, number) for number, page in enumerate(pdf.pages, start=1)]
            title = (pdf.metadata or {}).get("Title")
    except PdfminerException as exc:
        raise IngestError(Errors.T025.format(path=path, kind="PDF", detail=str(exc.args[0] if exc.args else exc)),
                          path=path) from None
    if not pages:
        raise IngestError(Errors.T025.format(path=path, kind="PDF", detail="it has no pages"), path=path)
    if not any(pages):
        raise IngestError(Errors.T024.format(path=path, pages=len(pages)), path=path)
    pages = _drop_running_lines(pages)
    blocks = _paragraphs(pages)
    vocabulary = Counter(w.casefold() for b in blocks for w in re.findall(r"[\w-]+", b.text.replace(_SOFT, " ")))
    blocks = [Block(_HYPHENATED.sub(lambda m: _join(m, vocabulary), b.text), b.level, b.page) for b in blocks]
    return from_blocks(blocks, {"title": title} if isinstance(title, str) and title.strip() else {})


def _lines(page, number: int) -> list[_Line]:
    out = []
    for line in page.extract_text_lines(x_tolerance=X_TOLERANCE, return_chars=True, strip=True):
        chars = [c for c in line["chars"] if c["text"].strip()]
        text = " ".join(line["text"].split())
        if not chars or not text:
            continue
        size = statistics.median(c["size"] for c in chars)
        bold = sum("bold" in c["fontname"].lower() for c in chars) > len(chars) / 2
        out.append(_Line(text, line["top"], line["bottom"], line["x0"], line["x1"], size, bold, number))
    return sorted(out, key=lambda ln: (ln.top, ln.x0))


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", text.casefold())


def _drop_running_lines(pages: list[list[_Line]], edge: int = 2) -> list[list[_Line]]:
    """Without page numbers and the header/footer lines that repeat at the top or bottom of pages."""
    counts: Counter = Counter()
    for lines in pages:
        counts.update({_key(ln.text) for ln in lines[:edge] + lines[-edge:]})
    with_text = sum(1 for lines in pages if lines)
    repeated = {k for k, n in counts.items() if with_text >= 2 and n >= max(2, math.ceil(with_text / 2))}
    out = []
    for lines in pages:
        edges = {id(ln) for ln in lines[:edge] + lines[-edge:]}
        out.append([ln for ln in lines if id(ln) not in edges
                    or not (_PAGE_NUMBER.match(ln.text) or _key(ln.text) in repeated)])
    return out


def _paragraphs(pages: list[list[_Line]]) -> list[Block]:
    body = [ln for lines in pages for ln in lines]
    sizes = Counter()
    for ln in body:
        sizes[round(ln.size, 1)] += len(ln.text)
    body_size = sizes.most_common(1)[0][0]
    heading_sizes = sorted({round(ln.size, 1) for ln in body if ln.size >= body_size * 1.15}, reverse=True)
    left = Counter(round(ln.x0) for ln in body if abs(ln.size - body_size) < 0.5).most_common(1)[0][0]
    right = Counter(round(ln.x1) for ln in body if abs(ln.size - body_size) < 0.5).most_common(1)[0][0]
    blocks: list[Block] = []
    current: list[_Line] = []

    def flush() -> None:
        if current:
            blocks.append(Block(_join_lines(current), 0, current[0].page))
            current.clear()

    previous: _Line | None = None
    for ln in body:
        level = _heading_level(ln, body_size, heading_sizes)
        if level:
            flush()
            if blocks and blocks[-1].level == level and previous is not None and previous.page == ln.page \
                    and ln.top - previous.bottom < ln.size:
                blocks[-1] = Block(_join_lines([previous, ln], blocks[-1].text), level, blocks[-1].page)  # 2 lines
            else:
                blocks.append(Block(ln.text, level, ln.page))
            previous = ln
            continue
        if current and previous is not None:
            same_page = previous.page == ln.page
            gap = ln.top - previous.bottom if same_page else 0.0
            indented = ln.x0 - left > ln.size * 0.8
            short_end = previous.x1 < right - 2 * previous.size and _SENTENCE_END.search(previous.text)
            page_break_end = not same_page and _SENTENCE_END.search(previous.text) and (
                indented or ln.text[:1].isupper())
            if gap > ln.size * 0.9 or indented or short_end or page_break_end:
                flush()
        current.append(ln)
        previous = ln
    flush()
    return blocks


def _heading_level(ln: _Line, body_size: float, heading_sizes: list[float]) -> int:
    if round(ln.size, 1) in heading_sizes and len(ln.text) <= 120:
        return heading_sizes.index(round(ln.size, 1)) + 1
    if ln.bold and len(ln.text) <= 80 and not _SENTENCE_END.search(ln.text) and abs(ln.size - body_size) < 0.5:
        return len(heading_sizes) + 1
    return 0


def _join_lines(lines: list[_Line], text: str = "") -> str:
    """The lines as one paragraph (``text`` already holds the first line when given)."""
    for ln in lines[1:] if text else lines:
        if not text:
            text = ln.text
        elif re.search(r"\w-$", text) and ln.text[:1].isalpha():
            text = text[:-1] + _SOFT + ln.text
        else:
            text += " " + ln.text
    return text


def _join(match: re.Match, vocabulary: Counter) -> str:
    """An end-of-line hyphen: the joined word if it is a word, else the hyphen kept."""
    left, right = match.group(1), match.group(2)
    joined = left + right
    if vocabulary.get(joined.casefold()) or _is_word(joined):
        return joined
    if right.casefold() in _KEEP_HYPHEN_BEFORE:
        return f"{left}- {right}"
    if left.isupper() or left[-1:].isdigit() or right[:1].isupper() or vocabulary.get(f"{left}-{right}".casefold()):
        return f"{left}-{right}"
    return joined  # justified text: a hyphen at the end of a line most often splits one word


def _is_word(word: str) -> bool:
    from ..dictionaries import is_known

    return any(is_known(word.lower(), lang) for lang in LANGUAGES)
