"""Likely names the pseudonym key does not cover yet, so the researcher can extend it.

Rules (no trained model, no network): capitalised words that are not at the
start of a sentence and not in a shipped list of ordinary capitalised words;
words after titles such as ``rektor`` or ``ordfører``; words before
``kommune``, ``skole``, ``barnehage`` and the like; and speaker labels that
look like names.

Example:
    >>> from thematic.transcripts import ingest_text
    >>> doc = ingest_text("K1: Vi snakket med rektor Ola Berg på Lia skole.")
    >>> sorted(candidates([doc]).candidate)
    ['Lia', 'Ola Berg']
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import pandas as pd

from .key import Key
from .replace import find_terms

_UPPER = "A-ZÆØÅÄÖÜÉ"
_WORD = rf"[{_UPPER}][a-zæøåäöüéA-ZÆØÅÄÖÜÉ'’\-]+"
_NAME = rf"{_WORD}(?:\s+{_WORD}){{0,2}}"
TITLES = ("rektor", "styrer", "ordfører", "kommunalsjef", "kommunaldirektør", "rådmann", "lærer", "konsulent",
          "rådgiver", "enhetsleder", "inspektør", "förvaltningschef", "skolchef", "förskolechef", "barnehagestyrer",
          "kollega", "kollegaen", "kommunalråd", "nämndordförande", "leder", "ledaren")
PLACES = ("kommune", "kommun", "skole", "skule", "skola", "skolan", "skolen", "barnehage", "barnehagen", "förskola",
          "ungdomsskole", "barneskole", "oppvekstsenter", "fylkeskommune", "videregående")
_TITLE = re.compile(rf"\b(?i:{'|'.join(TITLES)})\s+(?P<name>{_NAME})")
_PLACE = re.compile(rf"(?P<name>{_WORD})\s+(?:{'|'.join(PLACES)})\b")
_CAPITAL = re.compile(rf"(?<![\w])(?P<name>{_NAME})")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;«»\"—–*\])|]\s*|\n\s*)$")
_ACRONYM_COMPOUND = re.compile(r"^[A-ZÆØÅÄÖ]{2,5}-")  # IT-avdelingen, IKT-kontakt: not names
_LABEL_LIKE = re.compile(r"^(?:[A-ZÆØÅÄÖ]{1,3}\d{0,3}|(?:Informant|Respondent)\s*\d+|Intervju\w*|Interviewer|I|Q|R|A)$")


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    text = resources.files("thematic.data.privacy").joinpath("common_capitalised.txt").read_text(encoding="utf-8")
    return frozenset(w.strip().casefold() for w in text.splitlines() if w.strip() and not w.startswith("#"))


def candidates(documents, key: Key | None = None) -> pd.DataFrame:
    """Likely names not covered by ``key``: candidate, kind, count, first reference, rule."""
    common = common_words()
    found: dict[str, dict] = {}
    # Words of the pseudonyms ("Informant K5", "Rektor A", and "As" from "Rektor As") are not names.
    pseudonym_words = {w.casefold() for e in (key.entries if key is not None else ()) for w in e.pseudonym.split()}
    pseudonym_words |= {w + "s" for w in pseudonym_words}

    def add(name: str, kind: str, rule: str, doc, offset: int) -> None:
        name = " ".join(name.split())
        words = name.split()
        while words and words[-1].casefold() in common:
            words.pop()
        while words and words[0].casefold() in common:
            words.pop(0)
        name = " ".join(words)
        if not name or name.casefold() in common or len(name) < 2 or _ACRONYM_COMPOUND.match(name):
            return
        if key is not None and (find_terms(name, key) or all(w.casefold() in pseudonym_words for w in words)):
            return
        entry = found.setdefault(name, {"candidate": name, "kind": kind, "count": 0, "rules": set(),
                                        "first_seen": f"{doc.doc_id}, line {doc.lines_of(offset, offset + 1)[0]}"})
        entry["count"] += 1
        entry["rules"].add(rule)
        if kind != "name?" and entry["kind"] == "name?":
            entry["kind"] = kind

    for doc in documents:
        text = doc.text
        for seg in doc.segments:
            if seg.speaker and not _LABEL_LIKE.match(seg.speaker) and " " in seg.speaker:
                add(seg.speaker, "person", "speaker label", doc, seg.start)
        for m in _TITLE.finditer(text):
            add(m.group("name"), "person", "after a title", doc, m.start("name"))
        for m in _PLACE.finditer(text):
            add(m.group("name"), "place", "before kommune/skole/...", doc, m.start("name"))
        for m in _CAPITAL.finditer(text):
            if _SENTENCE_START.search(text[max(0, m.start() - 40):m.start()]) or m.start() == 0:
                continue
            line_start = text.rfind("\n", 0, m.start()) + 1
            if re.match(rf"\s*(?:\*\*|\[)?{re.escape(m.group('name'))}", text[line_start:m.end()]) and \
                    text[m.end():m.end() + 3].lstrip(" *]").startswith((":", "(")):
                continue  # a speaker label; handled above
            add(m.group("name"), "name?", "capitalised mid-sentence", doc, m.start())
    rows = [{**v, "rules": ", ".join(sorted(v["rules"]))} for v in found.values()]
    frame = pd.DataFrame(rows, columns=["candidate", "kind", "count", "first_seen", "rules"])
    return frame.sort_values(["count", "candidate"], ascending=[False, True], ignore_index=True)
