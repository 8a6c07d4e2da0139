"""Speaker labels at the start of a paragraph, and the role each speaker plays.

Recognised by default: ``Intervjuer:``, ``Interviewer:``, ``Intervjuare:``, ``I:``,
``R:``, ``Q:``, ``A:``, ``Informant 2:``, ``K7:``, ``**Name:**``, ``[Name]``,
``NAME:``, ``Name (affiliation):``, ``Name (00:01:02):``, ``[00:12:03] Name:``,
``Name [00:12:03]:``, ``Name 00:12:03`` (alone on its line, speech below) and a
capitalised name of one to three words followed by a colon. Timestamps become the
turn's time, never a speaker. Users add their own patterns (a regex with a named
group ``speaker`` and optionally ``time``).

Whether a label really is a speaker is decided with the whole document's evidence
in :mod:`thematic.transcripts.evidence`; this module only finds candidates.

Example:
    >>> find_label("K2: Vi har ingen målbilde.")
    Label(speaker='K2', end=4, time=None)
    >>> find_label("[00:12:03] Kari Nordmann: Ja.")
    Label(speaker='Kari Nordmann', end=26, time=723.0)
    >>> role_of("Intervjuer")
    'interviewer'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Mapping

_NAME = r"[A-ZÆØÅÄÖÜÉ][\w'’.\-]*"
_NAMES = rf"{_NAME}(?:[ \t]+{_NAME}){{0,2}}"
_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?"
_CODE = r"(?:Informant|Respondent|Deltaker|Deltakar|Deltagare|Deltager|Participant)[ \t]*\d+|[A-ZÆØÅÄÖ]{1,3}\d{0,3}"
DEFAULT_PATTERNS: tuple[str, ...] = (
    # **Name:** or **Name**: (markdown bold)
    r"\*\*(?P<speaker>[^*\n]{1,60}?)\s*:?\s*\*\*\s*:?[ \t]*",
    # [00:12:03] Name:  or  00:12:03 Name:
    rf"\[?(?P<time>{_TIME})\]?[ \t]+(?P<speaker>{_CODE}|{_NAMES})(?:[ \t]*\((?P<affiliation>[^()\n]{{1,60}})\))?[ \t]*:(?=\s|$)[ \t]*",
    # [Name] or [Name]: (but never a bare [00:12:03])
    r"\[(?P<speaker>(?!\s*\d{1,2}:\d{2})[^\]\n]{1,60})\][ \t]*:?[ \t]*",
    # Name (00:01:02):  and  Name [00:12:03]:
    rf"(?P<speaker>{_NAME}(?:[ \t]+[\w'’.\-]+){{0,3}})[ \t]*[(\[](?P<time>{_TIME})[)\]][ \t]*:?[ \t]*",
    # Name (affiliation):
    rf"(?P<speaker>{_CODE}|{_NAMES})[ \t]*\((?P<affiliation>[^()\n:]{{1,60}})\)[ \t]*:(?=\s|$)[ \t]*",
    # Name 00:12:03 alone on its line (Teams/Zoom/Otter exports), the speech on the next lines
    rf"(?P<speaker>{_CODE}|{_NAMES})[ \t]+(?P<time>{_TIME})[ \t]*(?=\n|$)",
    # Informant 2:, Respondent 3:, K7:, I:, Intervjuer:, Kari Lunde:, KARI LUNDE:
    rf"(?P<speaker>{_CODE}|{_NAMES})[ \t]*:(?=\s|$)[ \t]*",
)

_INTERVIEWER = re.compile(
    r"^(intervju(?:er|ar|are)|interviewer|moderator|forsker|researcher|forskar|forskare|i|q|int)(?:[ \t]*\d+)?$",
    re.IGNORECASE)
# Strong codes: K7, S12, I, R, Informant 2 (a bare two- or three-letter acronym such as EU or NAV is only a name).
_CODE_ONLY = re.compile(r"^(?:(?:Informant|Respondent|Deltaker|Deltakar|Deltagare|Deltager|Participant)[ \t]*\d+"
                        r"|[A-ZÆØÅÄÖ]{1,3}\d{1,3}|[A-ZÆØÅÄÖ])$")


@dataclass(frozen=True)
class Label:
    """A speaker label found at the start of a paragraph; ``end`` is where the speech begins.

    ``kind`` says how strong the evidence is: ``"user"`` (a pattern the user gave),
    ``"time"`` (the label carries a timestamp), ``"code"`` (``K7``, ``I``,
    ``Informant 2``, ``Intervjuer``) or ``"name"`` (a capitalised word or name, which
    needs the rest of the document to confirm it).
    """

    speaker: str
    end: int
    time: float | None = None
    kind: str = field(default="name", repr=False, compare=False)
    affiliation: str = field(default="", repr=False, compare=False)


class LabelFinder:
    """Compiled label patterns (user patterns are tried before the defaults)."""

    def __init__(self, patterns: Iterable[str] | None = None):
        user = tuple(re.compile(p) for p in (patterns or ()))
        self.n_user = len(user)
        self.patterns = user + tuple(re.compile(p) for p in DEFAULT_PATTERNS)

    def find(self, text: str) -> Label | None:
        for k, pattern in enumerate(self.patterns):
            m = pattern.match(text)
            if m and m.group("speaker").strip():
                groups = m.groupdict()
                time = groups.get("time")
                speaker = " ".join(m.group("speaker").split())
                if k < self.n_user:
                    kind = "user"
                elif time:
                    kind = "time"
                elif _CODE_ONLY.match(speaker) or _INTERVIEWER.match(speaker):
                    kind = "code"
                else:
                    kind = "name"
                return Label(speaker, m.end(), parse_time(time) if time else None, kind,
                             (groups.get("affiliation") or "").strip())
        return None


_DEFAULT_FINDER = LabelFinder()


def find_label(text: str, finder: LabelFinder | None = None) -> Label | None:
    """The speaker label at the start of ``text``, if any (a candidate; see ``evidence``)."""
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
