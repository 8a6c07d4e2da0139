"""Speaker labels at the start of a paragraph, and the role each speaker plays.

Recognised by default: ``Intervjuer:``, ``Interviewer:``, ``Intervjuare:``, ``I:``,
``R:``, ``Q:``, ``A:``, ``Informant 2:``, ``K7:``, ``**Name:**``, ``[Name]``,
``Name (00:01:02):`` and a capitalised name of one to three words followed by a
colon. Users add their own patterns (a regex with a named group ``speaker`` and
optionally ``time``).

Example:
    >>> find_label("K2: Vi har ingen målbilde.")
    Label(speaker='K2', end=4, time=None)
    >>> role_of("Intervjuer")
    'interviewer'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Mapping

_NAME = r"[A-ZÆØÅÄÖÜÉ][\w'’.\-]*"
DEFAULT_PATTERNS: tuple[str, ...] = (
    # **Name:** or **Name**: (markdown bold)
    r"\*\*(?P<speaker>[^*\n]{1,60}?)\s*:?\s*\*\*\s*:?[ \t]*",
    # [Name] or [Name]:
    r"\[(?P<speaker>[^\]\n]{1,60})\][ \t]*:?[ \t]*",
    # Name (00:01:02):
    rf"(?P<speaker>{_NAME}(?:[ \t]+[\w'’.\-]+){{0,3}})[ \t]*\((?P<time>\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?:[.,]\d+)?)\)[ \t]*:?[ \t]*",
    # Informant 2:, Respondent 3:, K7:, I:, Intervjuer:, Kari Lunde:
    rf"(?P<speaker>(?:Informant|Respondent|Deltaker|Deltagare|Participant)[ \t]*\d+|[A-ZÆØÅÄÖ]{{1,3}}\d{{0,3}}|{_NAME}(?:[ \t]+{_NAME}){{0,2}})[ \t]*:(?=\s|$)[ \t]*",
)

_INTERVIEWER = re.compile(
    r"^(intervju(?:er|ar|are)|interviewer|moderator|forsker|researcher|forskar|i|q|int)(?:[ \t]*\d+)?$",
    re.IGNORECASE)


@dataclass(frozen=True)
class Label:
    """A speaker label found at the start of a paragraph; ``end`` is where the speech begins."""

    speaker: str
    end: int
    time: float | None = None


class LabelFinder:
    """Compiled label patterns (user patterns are tried before the defaults)."""

    def __init__(self, patterns: Iterable[str] | None = None):
        self.patterns = tuple(re.compile(p) for p in (*(patterns or ()), *DEFAULT_PATTERNS))

    def find(self, text: str) -> Label | None:
        for pattern in self.patterns:
            m = pattern.match(text)
            if m and m.group("speaker").strip():
                time = m.groupdict().get("time")
                return Label(m.group("speaker").strip(), m.end(), parse_time(time) if time else None)
        return None


_DEFAULT_FINDER = LabelFinder()


def find_label(text: str, finder: LabelFinder | None = None) -> Label | None:
    """The speaker label at the start of ``text``, if any."""
    return (finder or _DEFAULT_FINDER).find(text)


def role_of(speaker: str, roles: Mapping[str, str] | None = None) -> str:
    """``"interviewer"`` or ``"informant"`` for a speaker label (``roles`` overrides)."""
    if roles:
        for name, role in roles.items():
            if name.casefold() == speaker.casefold():
                return role
    return "interviewer" if _INTERVIEWER.match(speaker.strip()) else "informant"


def parse_time(value: str) -> float:
    """Seconds from ``"00:01:02"``, ``"01:02"`` or ``"00:01:02,500"``.

    >>> parse_time("00:01:02,5")
    62.5
    """
    parts = value.replace(",", ".").split(":")
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + float(part)
    return seconds
