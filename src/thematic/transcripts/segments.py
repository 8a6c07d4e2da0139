"""From a reader's paragraphs to speaker turns: labels, roles and informant ids.

Each paragraph becomes a :class:`~thematic.corpus.Segment` whose offsets
(Unicode code points into the stored text) cover the speech without its label.
A labelled paragraph starts a new turn; an unlabelled one continues the
previous speaker's turn.
"""

from __future__ import annotations

import bisect
from typing import Callable, Mapping

from ..corpus import Segment
from .readers import Raw
from .speakers import LabelFinder, role_of


def build_segments(doc_id: str, raw: Raw, finder: LabelFinder, roles: Mapping[str, str] | None,
                   informant_for: Callable[[str], str]) -> tuple[Segment, ...]:
    """Segments of one document, in order; ``text[start:end]`` is each segment's speech."""
    text = raw.text
    starts = [s for s, _ in raw.line_map]
    segments: list[Segment] = []
    turn, speaker, role, informant = -1, "", "unknown", ""
    for para in raw.paragraphs:
        time_start = para.time_start
        if para.heading:
            turn, speaker, role, informant = turn + 1, "", "unknown", ""
            speech = para.start
        elif para.speaker:
            speech = para.label_end if para.label_end is not None else para.start
            turn, speaker = turn + 1, para.speaker
            role, informant = role_of(speaker, roles), ""
        else:
            label = finder.find(text[para.start : para.end])
            if label:
                speech = para.start + label.end
                turn, speaker = turn + 1, label.speaker
                role = role_of(speaker, roles)
                time_start = label.time if label.time is not None else time_start
            else:
                speech = para.start
                turn = max(turn, 0)
        if role == "informant":
            informant = informant_for(speaker)
        while speech < para.end and text[speech].isspace():
            speech += 1
        if speech >= para.end:
            continue  # a label alone on its line: the speech follows in the next paragraph
        segments.append(Segment(
            doc_id=doc_id, index=len(segments), start=speech, end=para.end, speaker=speaker, role=role,
            turn=turn, informant=informant if role == "informant" else "",
            line_start=_line(raw, starts, speech), line_end=_line(raw, starts, para.end - 1),
            time_start=time_start, time_end=para.time_end))
    return tuple(segments)


def _line(raw: Raw, starts: list[int], offset: int) -> int | None:
    if not raw.line_map:
        return None
    return raw.line_map[max(bisect.bisect_right(starts, offset) - 1, 0)][1]
