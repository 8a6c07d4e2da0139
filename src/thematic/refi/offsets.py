"""From a producer's selection offsets to code points in thematic's stored text.

REFI-QDA says offsets count Unicode code points of the plain text, end
exclusive in practice. Real writers differ: NVivo counts UTF-16 code units (an
emoji counts two) over text that keeps CRLF line ends; files may start with a
BOM (not counted). We count on the raw decoded text in the producer's unit, then
map into the stored text (LF, NFC, code points) through an explicit offset map.
Hand-written: no library maps offsets through these normalisations.

Example:
    >>> m = OffsetMap("a\\r\\nb😀c")
    >>> m.text, m.to_stored(4, "utf16"), m.to_stored(3, "codepoints")
    ('a\\nb😀c', 3, 2)
"""

from __future__ import annotations

import unicodedata

import numpy as np

from ..transcripts.decode import CONTROLS

UNITS = ("codepoints", "utf16")


class OffsetMap:
    """Maps offsets in a raw source text (BOM stripped, CRLF kept) to the stored normalised text."""

    def __init__(self, raw: str):
        self.raw = raw
        pieces: list[str] = []
        stored_at = np.zeros(len(raw) + 1, dtype=np.int64)  # raw code point index -> stored index
        out_len = 0
        i = 0
        while i < len(raw):
            j = i + 1
            if raw[i] == "\r":
                # CRLF (or a lone CR) becomes one LF; the CR maps to the LF.
                if j < len(raw) and raw[j] == "\n":
                    j += 1
                chunk = "\n"
            else:
                while j < len(raw) and unicodedata.combining(raw[j]):
                    j += 1
                chunk = unicodedata.normalize("NFC", raw[i:j]).translate(CONTROLS)  # as transcripts.decode
            stored_at[i:j] = out_len
            pieces.append(chunk)
            out_len += len(chunk)
            i = j
        stored_at[len(raw)] = out_len
        self.text = "".join(pieces)
        self._stored_at = stored_at
        units = np.fromiter((2 if ord(ch) > 0xFFFF else 1 for ch in raw), dtype=np.int64, count=len(raw))
        self._utf16_starts = np.concatenate([[0], np.cumsum(units)])  # code point index -> UTF-16 offset

    def raw_index(self, offset: int, unit: str) -> int | None:
        """Code point index into the raw text of a producer offset, or None when out of range."""
        if unit == "utf16":
            k = int(np.searchsorted(self._utf16_starts, offset, side="left"))
            if k >= len(self._utf16_starts) or self._utf16_starts[k] != offset:
                return None  # inside a surrogate pair: not a character boundary
            return k
        return offset if 0 <= offset <= len(self.raw) else None

    def to_stored(self, offset: int, unit: str) -> int | None:
        index = self.raw_index(offset, unit)
        return None if index is None else int(self._stored_at[index])

    def edge_score(self, spans: list[tuple[int, int]], unit: str) -> float:
        """Share of selection boundaries that fall on word or line edges when read in ``unit``."""
        if not spans:
            return 0.0
        good = total = 0
        for start, end in spans:
            for offset in (start, end):
                total += 1
                k = self.raw_index(offset, unit)
                if k is None:
                    continue
                before = self.raw[k - 1] if k > 0 else " "
                after = self.raw[k] if k < len(self.raw) else " "
                if not before.isalnum() or not after.isalnum():
                    good += 1
        return good / total


def choose_unit(offset_map: OffsetMap, spans: list[tuple[int, int]], origin: str) -> tuple[str, dict[str, float]]:
    """The unit to read offsets in: NVivo's UTF-16 by origin, others code points; checked against
    word edges, and switched when the other unit fits clearly better."""
    prior = "utf16" if "nvivo" in origin.lower() else "codepoints"
    scores = {unit: offset_map.edge_score(spans, unit) for unit in UNITS}
    other = "codepoints" if prior == "utf16" else "utf16"
    unit = other if scores[other] > scores[prior] + 0.05 else prior
    return unit, scores

