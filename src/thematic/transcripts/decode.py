"""Turn the bytes of a transcript file into text, or say clearly why not.

Order: UTF-8 with BOM, UTF-16 with BOM, plain UTF-8, then a real detector
(charset-normalizer) for legacy encodings such as Windows-1252.

Example:
    >>> decode_bytes("blåbær".encode("cp1252"), "a.txt")
    'blåbær'
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from ..errors import Errors, IngestError

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")  # Unicode category Cc less \t \n \f \r
# Share of control characters above which a "text" file is binary garbage.
_MAX_CONTROL_SHARE = 0.01


def decode_bytes(data: bytes, path: str | Path, warnings: list[str] | None = None) -> str:
    """Decode a transcript's bytes; raise ``IngestError`` naming the file on failure.

    A file that is UTF-8 except for some lines (text pasted from an old Windows program) is
    decoded line by line, and ``warnings`` gets a T028 naming the first such line.
    """
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise IngestError(Errors.T001.format(path=path), path=path)
    text = _mixed(data, path, warnings)
    if text is None:
        text = _decode(data, path)
    if not text.strip():
        raise IngestError(Errors.T001.format(path=path), path=path)
    controls = len(_CONTROL.findall(text))
    if controls > max(2, _MAX_CONTROL_SHARE * len(text)):
        raise IngestError(Errors.T005.format(path=path, detail=f"{controls} control characters"), path=path)
    return text


_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")


def _mixed(data: bytes, path, warnings: list[str] | None) -> str | None:
    """Line-by-line decoding of a UTF-8 file with some cp1252 lines, or None when the file is not that."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in data:
        return None
    try:
        data.decode("utf-8-sig")
        return None
    except UnicodeDecodeError:
        pass
    lines = data.split(b"\n")
    good, bad = [], []
    for number, line in enumerate(lines, start=1):
        try:
            line.decode("utf-8")
            good.append(_UTF8_MULTIBYTE.search(line) is not None)
        except UnicodeDecodeError:
            bad.append(number)
    if not any(good):  # no UTF-8 letters anywhere: one legacy encoding, left to the detector
        return None
    bad_lines = set(bad)
    out = [line.decode("cp1252", "replace") if number in bad_lines else line.decode("utf-8")
           for number, line in enumerate(lines, start=1)]
    if warnings is not None:
        warnings.append(Errors.T028.format(path=path, line=bad[0], encoding="Windows-1252")
                        + (f" ({len(bad) - 1} more line(s) like it)" if len(bad) > 1 else ""))
    text = "\n".join(out)
    return text[1:] if text.startswith("\ufeff") else text


def _decode(data: bytes, path) -> str:
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                          (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError as exc:
                line = data[: exc.start].count(b"\n") + 1
                raise IngestError(Errors.T002.format(path=path, detail=f"{encoding}, line {line}: {exc.reason}"),
                                  path=path, line=line) from None
    if b"\x00" in data:
        raise IngestError(Errors.T005.format(path=path, detail="NUL bytes"), path=path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise IngestError(Errors.T002.format(path=path, detail="no text encoding fits these bytes"), path=path)
    return _nordic_reading(data, str(best))


#: Legacy encodings of Nordic text, most common first: Windows "ANSI", ISO Latin-9, old Mac, DOS Nordic, DOS Western.
LEGACY_NORDIC = ("cp1252", "iso8859_15", "mac_roman", "cp865", "cp850")


def _nordic_reading(data: bytes, detected: str) -> str:
    """The detector's reading of legacy-encoded bytes, or a Nordic legacy encoding's when that one
    reads the text better as Norwegian, Swedish or Danish.

    charset-normalizer has no ear for these languages: on such a transcript saved as Windows-1252 or
    Latin-1 it answers Central European cp1250 and reads å as ĺ, ø as ř and æ as ć ("mĺlbildet"),
    silently. A Nordic reading replaces the detector's only when it has no more stray symbols (¹ ¾ †
    inside words are the mark of a wrong reading), has the letters æ ø å ä ö, and reads more of the
    words with non-ASCII letters as dictionary words (simplemma's, which language identification
    loads for the same text next) or, as many, more of those letters. Otherwise the detector's
    reading stands, so a Czech, Polish or Russian text keeps it. Hand-written because no detector
    available offline weighs these five languages.
    """
    from .language import _casefolded_words, _known_count, candidates

    def score(text: str) -> tuple[int, int, int]:
        words = _casefolded_words(text)
        accented = [w for w in words if not w.isascii()]
        known = max((_known_count(accented, lang) for lang in candidates(words)), default=0) if accented else 0
        return (_strays(text), known, len(_NORDIC.findall(text)))

    best, (stray, known, nordic) = detected, score(detected)
    for encoding in LEGACY_NORDIC:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if text == best:
            continue
        s, k, n = score(text)
        if n and s <= stray and (k, n) > (known, nordic):
            best, (stray, known, nordic) = text, (s, k, n)
    return best


_NORDIC = re.compile("[æøåäöÆØÅÄÖ]")
#: Typographic marks a transcript uses; any other non-ASCII character that is not a letter, digit or
#: space (¹ ¾ † ≥ ¿ inside words) is the mark of a wrong legacy reading.
_TYPOGRAPHIC = frozenset("–—‘’‚“”„…•·«»°§€£©®™\u00a0")
_LETTERS_ONLY = re.compile(r"[^\W\d_]{2,}")


def _strays(text: str) -> int:
    """Stray symbols, plus words of two letters or more written only in accented Latin letters (Cyrillic
    read as Latin-1: "Ïðèâåò"; a Nordic word has an ASCII letter, but for one-letter words like "å")."""
    odd = sum(1 for c in text if not c.isascii() and c not in _TYPOGRAPHIC
              and unicodedata.category(c)[0] not in "LNZ")
    return odd + sum(1 for w in _LETTERS_ONLY.findall(text)
                     if not any(c.isascii() for c in w) and all("\u00c0" <= c <= "\u024f" for c in w))


#: The one text normaliser's control-character rule: page, vertical-tab and Unicode line/paragraph
#: separators become a space (they separate words but are not line ends); every other control
#: character but tab and newline is dropped, so none can reach an export (xlsx and docx refuse them).
CONTROLS = {**{c: None for c in [*range(0x00, 0x09), *range(0x0E, 0x20), *range(0x7F, 0x85), *range(0x86, 0xA0)]},
            0x0B: " ", 0x0C: " ", 0x85: " ", 0x2028: " ", 0x2029: " "}
_CONTROL_CHARS = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(CONTROLS)) + "]")


def normalise(text: str) -> str:
    """NFC with ``\\n`` line ends and no control characters: the form every offset in thematic refers to.

    >>> normalise("a\\r\\nb\\rc\\fd\\x00e")
    'a\\nb\\nc de'
    """
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    # str.translate looks every character up in the table (0.5 s per million words); the compiled search
    # that finds none is 15x faster, and a transcript rarely has a control character at all.
    return text.translate(CONTROLS) if _CONTROL_CHARS.search(text) else text
