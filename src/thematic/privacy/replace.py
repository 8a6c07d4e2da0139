"""Find and replace the real terms of a pseudonym key in text.

What plain find-and-replace misses, and this catches:
- case variants (``KARI``, ``Kari``), but a capitalised name is not replaced in a
  lower-case word (``per elev`` stays, ``Per`` goes);
- genitive and inflected forms: ``Karis``, ``Kari's``, ``Fjordviks``, ``-en/-et``;
- multi-word names across any white space, line breaks included;
- never inside another word (``Per`` in ``periode``, ``Kari`` in ``Karianne``).
Where terms overlap, the longest wins.

Hand-written on top of ``re`` because no library offers key-driven
pseudonymisation with Nordic inflection and case rules.

Example:
    >>> from thematic.privacy.key import Key
    >>> key = Key.from_rows([("Kari Lunde", "Rektor A", "person"), ("Kari", "Rektor A", "person")])
    >>> pseudonymise_text("Karis plan. Kari\\nLunde sa det, per elev.", key)[0]
    'Rektor As plan. Rektor A\\n sa det, per elev.'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .key import Key, KeyEntry

# Genitive endings any name can carry; places and institutions also take the
# Nordic definite endings (skole -> skolen, skule -> skulen).
GENITIVE = ("'s", "’s", "'", "’", "s", "s'")
_DEFINITE = ("n", "ns", "en", "ens", "et", "ets", "a", "as", "ne")
_PERSON_KINDS = ("person",)
_SUFFIX_RE = "|".join(re.escape(s) for s in sorted(GENITIVE + _DEFINITE, key=len, reverse=True))


@dataclass(frozen=True)
class Replacement:
    """One replaced occurrence; offsets are code points into the ORIGINAL text."""

    term: str
    pseudonym: str
    kind: str
    start: int
    end: int
    line: int
    matched: str


class TermMatcher:
    """A compiled matcher for every term of a key (built once per key)."""

    def __init__(self, key: Key):
        self.key = key
        self._by_norm: dict[str, KeyEntry] = {_norm(e.term): e for e in key.entries}
        alternatives = sorted(self._by_norm.values(), key=lambda e: len(e.term), reverse=True)
        body = "|".join(r"\s+".join(re.escape(w) for w in _nfc(e.term).split()) for e in alternatives)
        self._regex = re.compile(
            rf"(?<!\w)(?P<term>{body})(?P<suffix>{_SUFFIX_RE})?(?!\w)", re.IGNORECASE) if body else None

    def finditer(self, text: str):
        """Yield ``(match, entry)`` for every accepted occurrence in ``text`` (matched in NFC: a name typed
        with decomposed characters, as macOS writes them, is still found; pass NFC text to use the spans)."""
        if self._regex is None:
            return
        text = _nfc(text)
        for m in self._regex.finditer(text):
            entry = self._by_norm.get(_norm(m.group("term")))
            if entry is None:  # pragma: no cover - the regex only matches known terms
                continue
            suffix = (m.group("suffix") or "").lower()
            # "Karin" is not "Kari" + n: persons take genitive endings only.
            allowed = GENITIVE if entry.kind in _PERSON_KINDS else GENITIVE + _DEFINITE
            if suffix and suffix not in allowed:
                continue
            if _case_ok(entry.term, m.group("term")):
                yield m, entry

    def replace(self, text: str) -> tuple[str, list[Replacement]]:
        """The text (NFC) with every term replaced, and the replacements (offsets into the NFC text)."""
        text = _nfc(text)
        out: list[str] = []
        reps: list[Replacement] = []
        pos = 0
        for m, entry in self.finditer(text):
            out.append(text[pos : m.start()])
            newlines = m.group(0).count("\n")
            # Keep the line count stable so line references in the copy still hold.
            suffix = m.group("suffix") or ""
            # A genitive carries over ("Karis" -> "Rektor As"); a definite ending would not fit the pseudonym.
            kept = suffix if suffix.lower() in GENITIVE else ""
            out.append(entry.pseudonym + kept + "\n" * newlines)
            reps.append(Replacement(entry.term, entry.pseudonym, entry.kind, m.start(), m.end(),
                                    text.count("\n", 0, m.start()) + 1, m.group(0)))
            pos = m.end()
        out.append(text[pos:])
        return "".join(out), reps


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _norm(term: str) -> str:
    return " ".join(_nfc(term).split()).casefold()


def _case_ok(term: str, found: str) -> bool:
    """A capitalised key term must be found capitalised (or in all caps)."""
    if not _nfc(term)[:1].isupper():
        return True
    return found[:1].isupper() or found.isupper()


@lru_cache(maxsize=16)
def matcher(key: Key) -> TermMatcher:
    """A cached :class:`TermMatcher` for ``key``."""
    return TermMatcher(key)


def pseudonymise_text(text: str, key: Key) -> tuple[str, list[Replacement]]:
    """Replace every real term of ``key`` in ``text``; return the new text and what was replaced."""
    return matcher(key).replace(text)


def find_terms(text: str, key: Key) -> list[Replacement]:
    """Occurrences of real terms in ``text`` (nothing replaced)."""
    return matcher(key).replace(text)[1]
