"""Which candidate labels are speakers: decided with the whole document's evidence.

A line that begins ``Word:`` is only a candidate (:mod:`.speakers` finds them).
It is a speaker when the document backs it up:

* the cases file or the caller names it (``speaker_roles``, ``speaker_map``,
  ``informants``, ``roles``) or it matched a user pattern: always a speaker;
* it is a metadata word (date, place, duration, budget, source, note ... in
  nb, nn, sv, da and en) or a short value with a number (``Tilskudd: 2,5 mill.``):
  never a speaker (a header line, or text);
* a code (``K7``, ``I``, ``Intervjuer``) or a timestamped label recurs, or
  alternates with another code;
* any label in a short text (at most ``SHORT_DOCUMENT`` paragraphs: an answer pasted alone);
* a name recurs and the document has at least one other recurring speaker (turns
  alternate);
* a label used once is a speaker only between other accepted turns (a third person
  in a conversation), never in a document without other speakers.

Rejected labels that split a block of lines are folded back into the paragraph
they interrupted. Each rejected label gets one warning saying what was done.

Example:
    >>> from thematic.transcripts.readers import read_plain
    >>> raw = read_plain("Dato: 3. mars 2025\\n\\nI: Hei?\\n\\nKari: Hei.\\n\\nI: Og?\\n\\nKari: Ja.")
    >>> ev = weigh_labels(raw)
    >>> [label.speaker if label else None for label in ev.labels]
    [None, 'I', 'Kari', 'I', 'Kari']
    >>> ev.warnings
    ("'Dato' looks like metadata, not a speaker: treated as a header",)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from .readers import Raw
from .speakers import Label, LabelFinder

#: Labels that name a field, not a person (casefolded), in nb, nn, sv, da and en.
METADATA_WORDS = frozenset("""
dato tid tidspunkt klokkeslett sted stad varighet varigheit lengde budsjett kilde kjelde kilder kjelder merknad
merknader merk notat note noter nb obs ps tema emne deltakere deltakarar deltakar referent
intervjudato transkribert transkribering opptak lydfil fil filnavn side vedlegg
saksnr saksnummer arkivsak beløp sum kostnad kostnader tilskudd tilskot frist ansvarlig ansvarleg status kontakt
e-post epost telefon tlf adresse periode vedtatt vedteke versjon revidert dokumentdato utarbeidet utarbeidd
fakta faktaboks eksempel døme mål tiltak målgruppe finansiering oppdragsgiver oppdragsgjevar utgitt publisert
datum plats ort längd varaktighet budget källa källor anmärkning anm not ämne deltagare närvarande
transkriberad inspelning sida bilaga diarienummer dnr belopp summa bidrag ansvarig adress
period beslutad version reviderad exempel åtgärd åtgärder målgrupp finansiering uppdragsgivare publicerad
varighed længde kilde bemærkning bemærk deltagere transskriberet optagelse bilag
journalnummer beløb udgift udgifter tilskud vedtaget revideret eksempel indsats målgruppe udgivet
date time place location venue duration length source sources note notes topic subject participants present
transcriber recording file page appendix ref reference amount total cost costs grant funding
deadline responsible contact email phone address adopted revised version example measure
published author authors keywords summary abstract sammendrag samandrag sammanfattning resumé
""".split()) | {
    "transkribert av", "transcribed by", "transkriberad av", "transskriberet af", "til stede", "target group"}

_DIGIT = re.compile(r"\d")
#: A text of at most this many paragraphs is short: one label (``K1: ...``) is all the evidence there is.
SHORT_DOCUMENT = 5
_MAX_VALUE_WORDS = 8


@dataclass(frozen=True)
class Evidence:
    """Per paragraph, the accepted label (or None); paragraphs to fold into the one before; warnings."""

    labels: tuple[Label | None, ...]
    merged: frozenset[int] = frozenset()
    warnings: tuple[str, ...] = ()
    speakers: tuple[str, ...] = field(default=())


def is_metadata(label: str) -> bool:
    """``Sted``, ``Varighet``, ``Källa``, ``Budget`` ...: a field name, not a speaker.

    >>> is_metadata("Varighet"), is_metadata("Kari Nordmann")
    (True, False)
    """
    return " ".join(label.casefold().split()) in METADATA_WORDS


def weigh_labels(raw: Raw, finder: LabelFinder | None = None, known: Iterable[str] = ()) -> Evidence:
    """Decide, with the whole document's evidence, which paragraph labels are speakers."""
    finder = finder or LabelFinder()
    known_keys = {k.casefold() for k in known if k}
    text = raw.text
    candidates: dict[int, Label] = {}
    metadata: dict[int, Label] = {}
    format_speakers: set[str] = set()
    field_name: dict[str, bool] = {}  # speaker -> is_metadata, once per speaker (a transcript repeats its labels)
    for i, para in enumerate(raw.paragraphs):
        if para.heading:
            continue
        if para.speaker:
            format_speakers.add(para.speaker.casefold())
            continue
        label = finder.find(text[para.start:para.end])
        if label is None:
            continue
        if label.kind == "user" or label.speaker.casefold() in known_keys:
            candidates[i] = label
            continue
        metadata_word = field_name.get(label.speaker)
        if metadata_word is None:
            metadata_word = field_name[label.speaker] = is_metadata(label.speaker)
        if metadata_word or (label.kind == "name" and _value_like(text, para, label)):
            metadata[i] = label
        else:
            candidates[i] = label
    counts: dict[str, int] = {}
    strength: dict[str, str] = {}
    order = {"name": 0, "code": 1, "time": 1, "user": 2}
    for label in candidates.values():
        key = label.speaker.casefold()
        counts[key] = counts.get(key, 0) + 1
        if order[label.kind] > order.get(strength.get(key, "name"), 0) or key not in strength:
            strength[key] = label.kind
    recurring = {k for k, n in counts.items() if n >= 2} | format_speakers
    strong = {k for k, kind in strength.items() if kind in ("code", "time")}
    accepted: set[str] = set(format_speakers)
    for key, n in counts.items():
        if key in known_keys or strength[key] == "user":
            accepted.add(key)
        elif key in strong and (n >= 2 or len(strong) >= 2):
            accepted.add(key)  # a recurring code, or codes that alternate (I: ... K1: ...)
        elif len(raw.paragraphs) <= SHORT_DOCUMENT:
            accepted.add(key)  # a short pasted answer: its label is all the evidence there is
        elif n >= 2 and len(recurring) >= 2:
            accepted.add(key)
    turn_paras = [i for i, lab in candidates.items() if lab.speaker.casefold() in accepted]
    turn_paras += [i for i, p in enumerate(raw.paragraphs) if p.speaker]
    first, last = (min(turn_paras), max(turn_paras)) if turn_paras else (-1, -1)
    labels: list[Label | None] = [None] * len(raw.paragraphs)
    merged: set[int] = set()
    warnings: dict[str, str] = {}
    for i, label in candidates.items():
        key = label.speaker.casefold()
        if key not in accepted and counts[key] == 1 and len(accepted) >= 2 and first < i < last:
            accepted.add(key)  # a third voice between accepted turns
        if key in accepted:
            labels[i] = label
            continue
        reason = ("occurs once" if counts[key] == 1 else f"occurs {counts[key]} times") + \
            " and does not alternate with other speakers"
        _reject(i, label, reason, first, raw, merged, warnings)
    for i, label in metadata.items():
        _reject(i, label, "looks like metadata", first, raw, merged, warnings)
    speakers = tuple(dict.fromkeys(lab.speaker for lab in labels if lab is not None))
    return Evidence(tuple(labels), frozenset(merged), tuple(warnings.values()), speakers)


def _value_like(text: str, para, label: Label) -> bool:
    """``Tilskudd: 2,5 millioner`` -- a short value with a number after a one-off field name."""
    rest = text[para.start + label.end:para.end].split("\n", 1)[0]
    return bool(_DIGIT.search(rest)) and len(rest.split()) <= _MAX_VALUE_WORDS


def _reject(i: int, label: Label, reason: str, first: int, raw: Raw, merged: set[int], warnings: dict) -> None:
    para = raw.paragraphs[i]
    if para.split and i > 0:
        merged.add(i)
    where = "treated as a header" if (first < 0 or i < first) and reason == "looks like metadata" else "treated as text"
    if first >= 0 and i < first and reason != "looks like metadata":
        where = "treated as a header"
    key = label.speaker.casefold()
    if key not in warnings:
        warnings[key] = f"'{label.speaker}' {reason}, not a speaker: {where}"
