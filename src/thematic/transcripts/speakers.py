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
        self.user = tuple(re.compile(p) for p in (patterns or ()))
        self.n_user = len(self.user)
        self.patterns = self.user + _DEFAULTS

    def find(self, text: str) -> Label | None:
        for pattern in self.user:
            m = pattern.match(text)
            if m and m.group("speaker").strip():
                groups = m.groupdict()
                return _label(m.group("speaker"), m.end(), groups.get("time"), groups.get("affiliation"), "user")
        # The default patterns as one alternation: its first branch that matches is the first pattern that
        # would (each branch is a whole pattern), found in one call instead of up to seven. Hand-written
        # because the label search took 0.26 s per million words of transcript; with the guards (below) and
        # the labels made once, 0.08 s (benchmarks/scale.py's corpus, 47k lines).
        m = _ANY_DEFAULT.match(text)
        if m is None:
            return None
        branch = _BRANCHES[m.lastindex]  # the branch's own group closes last
        speaker, time, affiliation = m.group(*branch.groups)
        if speaker.strip():
            return _label(speaker, m.end(), time, affiliation)
        for pattern in _DEFAULTS[branch.number + 1:]:  # a blank speaker: on with the next patterns
            m = pattern.match(text)
            if m and m.group("speaker").strip():
                groups = m.groupdict()
                return _label(m.group("speaker"), m.end(), groups.get("time"), groups.get("affiliation"))
        return None


def _label(speaker: str, end: int, time: str | None, affiliation: str | None, kind: str = "") -> Label:
    """The Label of a match's groups; a transcript repeats its labels, so each is made once (a Label is
    frozen, so one object can stand for all its equal copies; a quarter of the label search was making them)."""
    key = (speaker, end, time, affiliation, kind)
    label = _LABELS.get(key)
    if label is None:
        if len(_LABELS) >= _MAX_LABELS:
            _LABELS.clear()
        speaker = " ".join(speaker.split())
        if not kind:
            kind = "time" if time else "code" if _CODE_ONLY.match(speaker) or _INTERVIEWER.match(speaker) else "name"
        label = _LABELS[key] = Label(speaker, end, parse_time(time) if time else None, kind,
                                     (affiliation or "").strip())
    return label


_LABELS: dict[tuple, Label] = {}
_MAX_LABELS = 10_000


@dataclass(frozen=True)
class _Branch:
    number: int  # the pattern's place in DEFAULT_PATTERNS
    groups: tuple[int, int, int]  # the alternation's group numbers of speaker, time and affiliation


# Necessary conditions put in front of the patterns that begin with a name: their name part is one to
# four runs of word characters, ' ’ . - with blanks between, and ends at the bracket or at the colon of a
# time. Taken possessively (no backtracking inside a run), a line of speech fails them after a few words
# instead of after trying every split of them; bounded by the patterns' own number of words, a guard never
# scans further than its pattern could match. A guard never changes what a pattern matches.
_RUN = r"[\w'’.\-]++"
_GUARDS = {
    3: rf"(?={_RUN}(?:[ \t]++{_RUN}){{0,3}}[ \t]*+[(\[])",  # Name (00:01:02): one name and up to 3 words
    4: rf"(?={_RUN}(?:[ \t]++{_RUN}){{0,2}}[ \t]*+\()",  # Name (affiliation): a code or up to 3 names
    5: rf"(?={_RUN}(?:[ \t]++{_RUN}){{1,3}}(?<=\d):)",  # Name 00:12:03: a code or names, then the hour
}


def _alternation(patterns: tuple[str, ...]) -> tuple[re.Pattern, dict[int, _Branch]]:
    """``(?P<_0>p0)|(?P<_1>p1)|...``: each pattern with its groups renamed apart (an empty group standing
    in for one it lacks, which reads as no time or affiliation) and its guard, and the branches by group
    number."""
    names = ("speaker", "time", "affiliation")
    bodies = []
    for k, pattern in enumerate(patterns):
        for name in names:
            pattern = pattern.replace(f"(?P<{name}>", f"(?P<{name}_{k}>")
        missing = "".join(f"(?P<{name}_{k}>)" for name in names if f"(?P<{name}_{k}>" not in pattern)
        bodies.append(f"(?P<_{k}>{_GUARDS.get(k, '')}{pattern}{missing})")
    combined = re.compile("|".join(bodies))
    index = combined.groupindex
    return combined, {index[f"_{k}"]: _Branch(k, tuple(index[f"{name}_{k}"] for name in names))
                      for k in range(len(patterns))}


_DEFAULTS = tuple(re.compile(p) for p in DEFAULT_PATTERNS)
_ANY_DEFAULT, _BRANCHES = _alternation(DEFAULT_PATTERNS)
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
