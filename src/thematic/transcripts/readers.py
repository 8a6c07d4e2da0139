"""Format readers: each turns one file into stored text, paragraphs and a line map.

A reader returns a :class:`Raw`: the text thematic stores (NFC, ``\\n``), its
paragraphs as code point spans, and for every stored line the line number in
the original file. Speaker labels are found later, in one place
(:mod:`thematic.ingest.segments`), whatever the format.

Original line numbers: for .txt/.md/.vtt/.srt the line in the file; for .docx the
number of the paragraph in the body, counting each table row as one paragraph
(Word has no lines of its own); for .pdf/.odt/.html the number of the paragraph
(a PDF paragraph also has its page). Those three readers live in their own modules.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

import yaml

from ..errors import Errors, IngestError
from .decode import decode_bytes, normalise
from .speakers import LabelFinder, find_label, parse_time

_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_MD_HEADING = re.compile(r"[ \t]{0,3}(#{1,6})[ \t]+")
_TIMING = re.compile(r"^\s*\d{1,2}:?\d{0,2}:\d{2}[.,]\d{1,3}\s*-->", re.MULTILINE)


@dataclass
class Para:
    """A paragraph: ``text[start:end]`` of the stored text, with what the format tells us."""

    start: int
    end: int
    speaker: str = ""  # set when the format names the speaker (Teams voice tag, bold docx label)
    label_end: int | None = None  # where speech starts when the speaker was set by the format
    time_start: float | None = None
    time_end: float | None = None
    heading: bool = False
    level: int = 0  # heading level (1 = top) when ``heading``
    page: int | None = None  # 1-based page (PDF)
    split: bool = False  # started mid-block because its first line looked like a speaker label


@dataclass
class Raw:
    text: str
    paragraphs: list[Para]
    line_map: list[tuple[int, int]]
    meta: dict = field(default_factory=dict)
    plain: bool = False  # plain text: headings are only guessed (short lines), nothing marks them
    warnings: list = field(default_factory=list)  # what the reader tolerated (a dropped cue), each with its line


def read_file(path: Path, data: bytes, finder: LabelFinder | None = None) -> Raw:
    """Dispatch on the suffix; ``data`` is the file's bytes."""
    suffix = path.suffix.lower()
    notes: list[str] = []
    if suffix in (".txt", ".md"):
        raw = read_plain(decode_bytes(data, path, notes), path, finder, markdown=suffix == ".md")
        raw.warnings[:0] = notes
        return raw
    if suffix == ".docx":
        return read_docx(data, path, finder)
    if suffix in (".vtt", ".srt"):
        raw = read_captions(decode_bytes(data, path, notes), path, suffix[1:], finder)
        raw.warnings[:0] = notes
        return raw
    if suffix == ".pdf":
        from .pdf import read_pdf

        return read_pdf(data, path)
    if suffix == ".odt":
        from .odt import read_odt

        return read_odt(data, path)
    if suffix in (".html", ".htm"):
        from .html import read_html

        return read_html(data, path)
    raise IngestError(Errors.T004.format(path=path, suffix=suffix or "(none)"), path=path)


def read_plain(text: str, path: Path | str = "<text>", finder: LabelFinder | None = None,
               markdown: bool = False) -> Raw:
    """Plain text or markdown, with optional YAML front matter (not stored, lines still counted).

    In markdown, ``# Heading`` lines are headings (the ``#`` marks are kept in the text, outside the segment).
    """
    text = normalise(text)
    meta: dict = {}
    first_line = 1
    if text.startswith("---\n"):
        end = _FRONT_MATTER_END.search(text, 4)
        if end:
            block = text[4 : end.start()]
            try:
                loaded = yaml.safe_load(block) or {}
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                line = (mark.line + 2) if mark else 1
                raise IngestError(Errors.T013.format(path=path, line=line, detail=getattr(exc, "problem", exc)),
                                  path=path, line=line) from None
            if not isinstance(loaded, dict):
                raise IngestError(Errors.T013.format(path=path, line=2, detail="expected 'key: value' lines"),
                                  path=path, line=2)
            meta = {str(k): v for k, v in loaded.items()}
            consumed, rest = text[: end.end()], text[end.end():]
            blank = len(rest) - len(rest.lstrip("\n"))
            first_line = consumed.count("\n") + 1 + blank
            text = rest[blank:]
    lines = text.split("\n")
    offsets = list(accumulate(map((1).__add__, map(len, lines)), initial=0))  # each line's start (summed in C)
    line_map = list(zip(offsets, range(first_line, first_line + len(lines))))
    paragraphs = []
    current = None
    for line, offset in zip(lines, offsets):
        if not line or line.isspace():  # a blank line (what strips to nothing)
            current = None
            continue
        heading = _MD_HEADING.match(line) if markdown else None
        if heading:
            # the match takes the (up to three) blanks before the marks too: they are not counted again
            paragraphs.append(Para(offset + heading.end(), offset + len(line.rstrip()), heading=True,
                                   level=len(heading.group(1))))
            current = None
        elif current is None:
            current = Para(offset + (len(line) - len(line.lstrip())), offset + len(line.rstrip()))
            paragraphs.append(current)
        elif find_label(line, finder):
            current = Para(offset + (len(line) - len(line.lstrip())), offset + len(line.rstrip()), split=True)
            paragraphs.append(current)
        else:
            current.end = offset + len(line.rstrip())
    return Raw(text, paragraphs, line_map, meta, plain=not markdown)


def read_docx(data: bytes, path: Path | str, finder: LabelFinder | None = None) -> Raw:
    """Word: paragraphs, headings, bold or plain labels, tables as ``cell | cell`` lines."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from lxml import etree

    if not data.startswith(b"PK"):
        raise IngestError(Errors.T003.format(path=path, detail="not a zip archive"), path=path)
    from ..safezip import verify

    try:
        verify(data, path)  # size, ratio, duplicate and CRC checks before python-docx inflates anything
        document = docx.Document(io.BytesIO(data))
    except IngestError:
        raise  # an unsafe or damaged archive, already a coded error
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, EOFError) as exc:
        raise IngestError(Errors.T003.format(path=path, detail=f"{type(exc).__name__}: {exc}"), path=path) from None
    except etree.XMLSyntaxError as exc:  # a corrupt part inside an otherwise valid zip
        raise IngestError(Errors.T003.format(path=path, detail=f"corrupt XML: {exc}"), path=path) from None
    lines: list[tuple[str, int, str]] = []  # (text, heading level or 0, bold label)
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            for row in item.rows:
                cells = []
                for cell in row.cells:
                    value = " ".join(cell.text.split())
                    if not cells or cells[-1] != value:  # merged cells repeat their text
                        cells.append(value)
                lines.append((" | ".join(cells), 0, ""))
        else:
            style = (item.style.name if item.style is not None else "") or ""
            heading = style.startswith(("Heading", "Title", "Overskrift", "Rubrik"))
            lines.append((item.text, _heading_level(style) if heading else 0, _bold_label(item)))
    parts, line_map, paragraphs = [], [], []
    offset = 0
    for number, (raw_text, heading, bold) in enumerate(lines, start=1):
        text = normalise(raw_text).replace("\n", " ")
        line_map.append((offset, number))
        stripped = text.strip()
        if stripped:
            lead = len(text) - len(text.lstrip())
            para = Para(offset + lead, offset + len(text.rstrip()), heading=bool(heading), level=heading)
            if bold and not find_label(text[lead:], finder):
                para.speaker = bold.rstrip(":").strip()
                para.label_end = offset + lead + len(bold) + (len(text[lead + len(bold):]) - len(text[lead + len(bold):].lstrip()))
            paragraphs.append(para)
        parts.append(text)
        offset += len(text) + 1
    text = "\n".join(parts)
    props = document.core_properties
    return Raw(text, paragraphs, line_map, {"title": props.title} if props.title else {})


def _heading_level(style: str) -> int:
    """``Title`` -> 1, ``Heading 2`` / ``Overskrift 2`` -> 3 (the title sits above the numbered headings)."""
    digits = re.search(r"(\d+)\s*$", style)
    return 1 if style.startswith("Title") or not digits else int(digits.group(1)) + 1


def _bold_label(paragraph) -> str:
    """A short bold first run (``Intervjuer``) that names the speaker without a colon."""
    runs = paragraph.runs
    if not runs or not runs[0].bold:
        return ""
    first = runs[0].text
    if 0 < len(first.strip()) <= 40 and len(runs) > 1 and paragraph.text[len(first):][:1].isspace():
        return first
    return ""


def read_captions(text: str, path: Path | str, fmt: str, finder: LabelFinder | None = None) -> Raw:
    """Teams/Zoom .vtt and .srt: one stored line per caption line; a speaker's consecutive cues form one turn."""
    import webvtt
    from webvtt.errors import MalformedFileError

    text = normalise(text)
    try:
        captions = list(webvtt.from_buffer(io.StringIO(text), format=fmt))
    except MalformedFileError as exc:
        line = _first_bad_line(text)
        raise IngestError(Errors.T006.format(path=path, line=line, detail=str(exc) or "cannot parse"),
                          path=path, line=line) from None
    if not captions:
        raise IngestError(Errors.T006.format(path=path, line=1, detail="no captions found"), path=path, line=1)
    warnings: list[str] = [Errors.T027.format(path=path, line=number, detail="a timing line that cannot be read; "
                                              "this cue was skipped")
                           for number, line in enumerate(text.split("\n"), start=1)
                           if "-->" in line and not _TIMING_LINE.match(line)]
    timings = _timings(text)
    parts, line_map, paragraphs = [], [], []
    offset = 0
    current: Para | None = None
    current_speaker = ""
    next_timing = 0
    for cap in captions:
        start_s, end_s = parse_time(cap.start), parse_time(cap.end)
        # Each caption's own timing line (by its times): a cue webvtt dropped shifts nothing after it.
        k = next((j for j in range(next_timing, len(timings)) if timings[j][1:] == (start_s, end_s)), None)
        if k is not None:
            warnings.extend(Errors.T027.format(path=path, line=line, detail="this cue could not be read and was "
                                               "skipped") for line, _, _ in timings[next_timing:k])
            next_timing = k + 1
        first_line = (timings[k][0] + 1) if k is not None else None
        if end_s < start_s:
            warnings.append(Errors.T027.format(path=path, line=first_line - 1 if first_line else 0,
                                               detail=f"the cue ends ({cap.end}) before it starts ({cap.start})"))
        voice = (getattr(cap, "voice", None) or "").strip()
        body = cap.text.strip()
        unclosed = _UNCLOSED_VOICE.match(body)
        if not voice and unclosed:  # "<v Kari Lunde Vi har ..." without ">": the tag is not text
            warnings.append(Errors.T027.format(path=path, line=first_line or 0, detail="a '<v' speaker tag is not "
                                               "closed with '>'; the tag was dropped and the speaker not taken"))
            body = body[unclosed.end():].strip()
        label = None if voice else find_label(body, finder)
        speaker = voice or (label.speaker if label else current_speaker)
        new_turn = current is None or speaker != current_speaker
        if not new_turn and label:
            body = body[label.end:]  # the same speaker again: keep the label once per turn
        elif new_turn and voice:
            body = f"{voice}: {body}"
        para_start = offset
        for i, line in enumerate(body.split("\n")):
            line_map.append((offset, (first_line + i) if first_line else len(line_map) + 1))
            parts.append(line)
            offset += len(line) + 1
        if new_turn:
            # A voice tag names the speaker; a label in the text is found by the segmenter.
            current = Para(para_start, offset - 1, speaker=voice, time_start=start_s, time_end=end_s,
                           label_end=(para_start + len(voice) + 2) if voice else None)
            paragraphs.append(current)
            current_speaker = speaker
        else:
            current.end = offset - 1
            current.time_end = end_s
    warnings.extend(Errors.T027.format(path=path, line=line, detail="this cue could not be read and was skipped")
                    for line, _, _ in timings[next_timing:])
    return Raw("\n".join(parts), paragraphs, line_map, {}, warnings=warnings)


_UNCLOSED_VOICE = re.compile(r"^<v(?:\.[\w.-]+)?(?=\s)(?![^>\n]*>)")
_TIMING_LINE = re.compile(r"^[ \t]*(\d{1,2}:?\d{0,2}:\d{2}[.,]\d{1,3})\s*-->\s*(\d{1,2}:?\d{0,2}:\d{2}[.,]\d{1,3})",
                          re.MULTILINE)


def _timings(text: str) -> list[tuple[int, float, float]]:
    """(line, start, end) of every timing line, in file order."""
    out = []
    for m in _TIMING_LINE.finditer(text):
        try:
            out.append((text.count("\n", 0, m.start()) + 1, parse_time(m.group(1)), parse_time(m.group(2))))
        except ValueError:
            continue
    return out


def _first_bad_line(text: str) -> int:
    for number, line in enumerate(text.split("\n"), start=1):
        if "-->" in line and not _TIMING.match(line):
            return number
    return 1


@dataclass(frozen=True)
class Block:
    """A paragraph or heading read from a structured document (PDF, ODT, HTML) before it is stored."""

    text: str
    level: int = 0  # heading level, 0 for body text
    page: int | None = None


def from_blocks(blocks: list[Block], meta: dict | None = None) -> Raw:
    """Stored text from blocks: one block per stored line; "line" numbers count blocks (as for .docx)."""
    parts, line_map, paragraphs = [], [], []
    offset = 0
    for number, block in enumerate(blocks, start=1):
        text = " ".join(normalise(block.text).split())
        if not text:
            continue
        line_map.append((offset, number))
        paragraphs.append(Para(offset, offset + len(text), heading=block.level > 0, level=block.level,
                               page=block.page))
        parts.append(text)
        offset += len(text) + 1
    return Raw("\n".join(parts), paragraphs, line_map, dict(meta or {}))
