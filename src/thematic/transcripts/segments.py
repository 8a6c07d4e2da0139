"""From a reader's paragraphs to segments: speaker turns, or a document's paragraphs.

Each paragraph becomes a :class:`~thematic.corpus.Segment` whose offsets
(Unicode code points into the stored text) cover the speech without its label.
In a transcript, a paragraph with an accepted label (see :mod:`.evidence`) starts
a new turn and an unlabelled one continues the previous speaker's turn;
paragraphs before the first turn are a header (role ``unknown``, not coded). In a
document (no speakers), every paragraph is codable text with role ``document``.
Headings are never coded; each segment carries its heading path
(``"1 Innledning > 1.2 Mål"``) and, for PDFs, its page.
"""

from __future__ import annotations

import re
from itertools import chain, repeat
from operator import itemgetter
from typing import Callable, Mapping

import numpy as np

from ..corpus import Segment
from .evidence import Evidence
from .readers import Raw
from .speakers import role_of

HEADING_SEPARATOR = " > "
_FIRST, _SECOND = itemgetter(0), itemgetter(1)


def build_segments(doc_id: str, raw: Raw, evidence: Evidence, roles: Mapping[str, str] | None,
                   informant_for: Callable[[str], str], document: bool = False) -> tuple[Segment, ...]:
    """Segments of one document, in order; ``text[start:end]`` is each segment's speech.

    ``document=True`` makes every non-heading paragraph role ``document`` (labels are not looked for).
    """
    text = raw.text
    rows: list[tuple] = []  # per segment: speech, end, speaker, role, turn, informant, times, page, heading
    turn, speaker, role, informant = -1, "", "unknown", ""
    headings: list[tuple[int, str]] = []
    heading_path = ""
    # a document's speakers are few and its turns many: each speaker's role and informant found once
    role_for: dict[str, str] = {}
    informant_of: dict[str, str] = {}
    paragraphs = _fold(raw, evidence)
    for k, (para, label) in enumerate(paragraphs):
        time_start = para.time_start
        if document and raw.plain and not para.heading and k + 1 < len(paragraphs):
            level = plain_heading_level(text[para.start:para.end])
            if level:
                para = type(para)(**{**para.__dict__, "heading": True, "level": level})
        if para.heading:
            level = para.level or 1
            headings = [h for h in headings if h[0] < level] + [(level, " ".join(text[para.start:para.end].split()))]
            heading_path = HEADING_SEPARATOR.join(h for _, h in headings)
            turn, speaker, role, informant = turn + 1, "", "unknown", ""
            speech = para.start
        elif document:
            turn, speaker, role, informant = turn + 1, "", "document", ""
            speech = para.start
        elif para.speaker or label:
            if para.speaker:
                speech = para.label_end if para.label_end is not None else para.start
                speaker = para.speaker
            else:
                speech = para.start + label.end
                speaker = label.speaker
                time_start = label.time if label.time is not None else time_start
            turn, informant = turn + 1, ""
            role = role_for.get(speaker)
            if role is None:
                role = role_for[speaker] = role_of(speaker, roles)
        else:
            speech = para.start
            turn = max(turn, 0)
        if role == "informant":
            informant = informant_of.get(speaker)
            if informant is None:
                informant = informant_of[speaker] = informant_for(speaker)
        end = para.end
        while speech < end and text[speech].isspace():
            speech += 1
        if speech >= end:
            continue  # a label alone on its line: the speech follows in the next paragraph
        rows.append((speech, end, speaker, role, turn, informant if role == "informant" else "", time_start,
                     para.time_end, para.page, heading_path))
    if not rows:
        return ()
    speech, ends, speakers, roles_, turns, informants, starts_at, ends_at, pages, heading_paths = zip(*rows)
    first_lines = last_lines = repeat(None)
    if raw.line_map:  # each segment's first and last line, in one pass: the line that starts last before it
        line_starts = np.fromiter(map(_FIRST, raw.line_map), dtype=np.int64, count=len(raw.line_map))
        # the line map's own numbers (one int object per line, not one per segment: 13 MB at 5M words)
        number_of = list(map(_SECOND, raw.line_map)).__getitem__
        first = np.maximum(np.searchsorted(line_starts, speech, side="right") - 1, 0)
        last = np.maximum(np.searchsorted(line_starts, np.asarray(ends, dtype=np.int64) - 1, side="right") - 1, 0)
        first_lines, last_lines = map(number_of, first.tolist()), map(number_of, last.tolist())
    return tuple(map(Segment, repeat(doc_id), range(len(rows)), speech, ends, speakers, roles_, turns, informants,
                     first_lines, last_lines, starts_at, ends_at, pages, heading_paths))


_NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,4})\.?\s+\S")
_MAX_HEADING_WORDS = 12


def plain_heading_level(line: str) -> int:
    """A heading in a plain-text document: one short line without closing punctuation.

    ``"2.1 Mål"`` is level 2 by its number; an unnumbered one is level 1. 0 when it is not a heading.

    >>> plain_heading_level("2.1 Mål for perioden"), plain_heading_level("Fakta om satsingen")
    (2, 1)
    >>> plain_heading_level("Vi har en plan."), plain_heading_level("Budsjett: 4,2 millioner kroner")
    (0, 0)
    """
    line = line.strip()
    if "\n" in line or not line or len(line.split()) > _MAX_HEADING_WORDS or line[-1] in ".!?:;,»\"”)" \
            or ":" in line or " | " in line or not line[0].isalnum() or line[0].islower():
        return 0
    numbered = _NUMBERED.match(line)
    return numbered.group(1).count(".") + 1 if numbered else 1


def _fold(raw: Raw, evidence: Evidence):
    """Paragraphs with their accepted labels; a rejected label that split a block joins the block again."""
    labelled = zip(raw.paragraphs, chain(evidence.labels, repeat(None)))  # None past the labels
    if not evidence.merged:  # nothing to fold (most documents)
        return list(labelled)
    out: list = []
    for i, (para, label) in enumerate(labelled):
        if i in evidence.merged and out:
            previous, kept = out[-1]
            out[-1] = (type(previous)(**{**previous.__dict__, "end": para.end,
                                         "time_end": para.time_end or previous.time_end}), kept)
            continue
        out.append((para, label))
    return out
