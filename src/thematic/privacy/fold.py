"""Case- and diacritic-folded matching of key terms: file names, document ids, labels and prose.

``Fjordøy`` is found in ``fjordoy_rektor.txt``, ``FJORDØY``, ``Fjordoys`` and ``fjordøy-k2``.
Folding: NFKD, combining marks dropped, then the Nordic letters that do not decompose
(``ø`` -> ``o``, ``æ`` -> ``ae``, ``ð`` -> ``d``, ``þ`` -> ``th``, ``ß`` -> ``ss``) and casefold.
A term matches between non-letters, so ``_``, ``-``, digits and dots separate words in a file
name, and it may carry a genitive or definite ending (``Fjordviks``, ``Fjordvika``).

Two strengths, because "Per" is a name and "per" a preposition:
- :func:`find_folded` (identifiers: file names, document ids, sheet names, figure labels) folds
  case and diacritics completely;
- :func:`find_folded_text` (prose) folds diacritics but, like the pseudonymiser, requires a
  capitalised key term to be capitalised (or in capitals) where it is found, unless it stands
  joined to ``_ - . /`` or a digit as in an id (``fjordoy_rektor``, ``per-k2``).

Example:
    >>> from thematic.privacy.key import Key
    >>> key = Key.from_rows([("Fjordøy", "Kommune F", "municipality")])
    >>> find_folded("fjordoy_rektor.txt", key), rename("fjordoy_rektor", key)
    (['Fjordøy'], 'kommune_f_rektor')
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .key import Key
from .replace import _DEFINITE, GENITIVE

_LETTERS = {"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH", "ß": "ss",
            "œ": "oe", "Œ": "OE", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i"}
_IDENTIFIER = set("_-./\\0123456789")
_ENDINGS = "|".join(re.escape(s) for s in sorted({e.replace("’", "'") for e in GENITIVE + _DEFINITE},
                                                  key=len, reverse=True))


def fold(text: str, *, case: bool = True) -> str:
    """``text`` without diacritics (and, with ``case=True``, case-folded): "Fjordøy" -> "fjordoy".

    Letters are folded one by one so that each keeps one place in the text when ``case=False``
    is used to read capitalisation back.
    """
    out = []
    for ch in unicodedata.normalize("NFC", str(text)):
        mapped = _LETTERS.get(ch)
        if mapped is None:
            mapped = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        out.append(mapped)
    folded = "".join(out).replace("’", "'")
    return folded.casefold() if case else folded


class _Folded:
    """One compiled pattern over the folded terms of a key."""

    def __init__(self, key: Key):
        self.by_fold: dict[str, str] = {}
        for entry in sorted(key.entries, key=lambda e: len(e.term), reverse=True):
            self.by_fold.setdefault(" ".join(fold(entry.term).split()), entry.term)
        body = "|".join(r"[\s_\-.]+".join(re.escape(w) for w in f.split()) for f in self.by_fold)
        letter = r"[^\W\d_]"
        self.regex = re.compile(rf"(?<!{letter})(?P<term>{body})(?:{_ENDINGS})?(?!{letter})") if body else None

    def finditer(self, folded: str):
        if self.regex is None:
            return
        for m in self.regex.finditer(folded):
            term = self.by_fold.get(" ".join(re.split(r"[\s_\-.]+", m.group("term"))))
            if term is not None:
                yield m, term


@lru_cache(maxsize=16)
def _folded(key: Key) -> _Folded:
    return _Folded(key)


def find_folded(text: str, key: Key) -> list[str]:
    """Key terms in ``text`` with case and diacritics folded (for names, ids and labels)."""
    return list(dict.fromkeys(term for _, term in _folded(key).finditer(fold(text))))


def find_folded_text(text: str, key: Key) -> list[str]:
    """Key terms in prose with diacritics folded; a capitalised term must be found capitalised."""
    plain = fold(text, case=False)
    lowered = plain.casefold()
    if len(lowered) != len(plain):  # a letter whose case-folding changes length: compare fully folded
        return find_folded(text, key)
    found = []
    for m, term in _folded(key).finditer(lowered):
        seen = plain[m.start("term"):m.end("term")]
        before, after = plain[m.start() - 1:m.start()], plain[m.end():m.end() + 1]
        identifier = any(c in _IDENTIFIER for c in before + after)  # fjordoy_rektor, fjordoy-k2 in a cell
        if term[:1].isupper() and not (seen[:1].isupper() or seen.isupper() or identifier):
            continue
        found.append(term)
    return list(dict.fromkeys(found))


def rename(name: str, key: Key) -> str:
    """``name`` (a file stem or document id) with each key term, in any case and with or without
    diacritics, replaced by its pseudonym written as the name is (``_`` or ``-`` for spaces)."""
    pseudonyms = {e.term: e.pseudonym for e in key.entries}
    plain = fold(name, case=False)
    if len(plain) != len(name) or len(plain.casefold()) != len(plain):
        return name if not find_folded(name, key) else _rename_folded(fold(name), key, pseudonyms)
    out, pos = [], 0
    separator = "_" if "_" in name and " " not in name else ("-" if " " not in name and "-" in name else " ")
    for m, term in _folded(key).finditer(plain.casefold()):
        out.append(name[pos:m.start("term")])
        pseudonym = pseudonyms[term]
        if name[m.start("term"):m.end("term")].islower():
            pseudonym = pseudonym.lower()
        out.append(pseudonym.replace(" ", separator))
        pos = m.end("term")
    out.append(name[pos:])
    return "".join(out)


def _rename_folded(folded: str, key: Key, pseudonyms: dict[str, str]) -> str:
    out, pos = [], 0
    for m, term in _folded(key).finditer(folded):
        out.append(folded[pos:m.start("term")])
        out.append(pseudonyms[term].lower().replace(" ", "_"))
        pos = m.end("term")
    out.append(folded[pos:])
    return "".join(out)
