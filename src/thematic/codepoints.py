"""A text as an array of code points, and which of them belong to a character class.

Several array-based passes (the duplicate check's words, the rule coder's sentence pieces, the word
counts of context windows, the regex stage's blanked text) work on a text's code points with numpy
rather than per character in Python. They share these few functions:

- :func:`code_points` turns a ``str`` into a ``uint32`` array, one element per character (so array
  positions are the code-point offsets used everywhere), lone surrogates included;
- :func:`from_code_points` turns such an array back into a ``str``;
- :func:`classify` says for each code point whether it is in a class given by a regular expression
  (``pattern.fullmatch`` on the one character) or a predicate (such as ``str.isspace``). A table over
  the Basic Multilingual Plane is built once per class and process (made with the class's own test,
  so the two cannot disagree); a code point beyond it (emoji, historic scripts, rare CJK) is answered
  by the same test, once per distinct point in the array: exact, never approximated.

This module imports nothing of thematic but :mod:`thematic.cachedir` (which imports nothing), so every
package may use it. Each table is kept in the user's cache folder between runs.

Example:
    >>> import re
    >>> points = code_points("Ja, 😀 ok")
    >>> points[4].item() == 0x1F600
    True
    >>> classify(points, re.compile(r"\\w")).astype(int).tolist()
    [1, 1, 0, 0, 0, 0, 1, 1]
    >>> classify(points, str.isspace).astype(int).tolist()
    [0, 0, 0, 1, 0, 1, 0, 0]
    >>> from_code_points(points[4:])
    '😀 ok'
"""

from __future__ import annotations

import hashlib
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from itertools import repeat
from operator import is_not
from pathlib import Path

import numpy as np

from .cachedir import cache_folder, save

#: Code points below this are in the Basic Multilingual Plane: the ones :func:`classify` keeps a table for.
BMP = 0x10000


def code_points(text: str) -> np.ndarray:
    """The code points of ``text`` as a read-only ``uint32`` array (``len(text)`` long).

    Lone surrogates (which Python strings can hold, from ``surrogateescape`` decoding or JSON) are kept as
    their own code points.
    """
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")


def from_code_points(points: np.ndarray) -> str:
    """The ``str`` whose code points are ``points`` (the inverse of :func:`code_points`)."""
    return np.ascontiguousarray(points, dtype="<u4").tobytes().decode("utf-32-le", "surrogatepass")


def classify(points: np.ndarray, test: re.Pattern[str] | Callable[[str], bool]) -> np.ndarray:
    """For each code point in ``points``, whether its character is in the class ``test`` (a new bool array).

    ``test`` is a compiled regular expression (the answer is ``test.fullmatch(chr(point)) is not None``)
    or a predicate taking a one-character string (``str.isspace``). It must be hashable and always give
    the same answer for a character: its table over the Basic Multilingual Plane is cached.
    """
    points = np.asarray(points)
    out = np.take(_table(test), points, mode="clip")  # a point beyond the table reads its last entry, fixed below
    if len(points) and int(points.max()) >= BMP:  # beyond the table: the same test, once per distinct point
        astral = np.flatnonzero(points >= BMP)
        distinct, inverse = np.unique(points[astral], return_inverse=True)
        out[astral] = np.fromiter(_answers(test, map(chr, distinct.tolist())), dtype=bool,
                                  count=len(distinct))[inverse]
    return out


def _answers(test: re.Pattern[str] | Callable[[str], bool], chars: Iterable[str]) -> Iterator[bool]:
    """Whether each of ``chars`` is in the class ``test``, mapped in C (no Python function call per character)."""
    if hasattr(test, "fullmatch"):  # a compiled pattern (of ``re`` or of the ``regex`` module)
        return map(is_not, map(test.fullmatch, chars), repeat(None))
    return map(bool, map(test, chars))


@lru_cache(maxsize=32)
def _table(test: re.Pattern[str] | Callable[[str], bool]) -> np.ndarray:
    """Whether each code point of the Basic Multilingual Plane is in the class ``test``: read from the
    user's cache folder (0.1 ms), or made (10-35 ms) and saved there when ``test`` has a stable name."""
    path = _table_path(test)
    table = _load_table(path) if path is not None else None
    if table is None:
        table = _made_table(test)
        if path is not None:
            _save_table(table, path)
    table.flags.writeable = False
    return table


def _made_table(test: re.Pattern[str] | Callable[[str], bool]) -> np.ndarray:
    """The table made with the class's own test, one answer per code point."""
    every = from_code_points(np.arange(BMP, dtype="<u4"))  # all of them in one string, surrogates included
    return np.fromiter(_answers(test, every), dtype=bool, count=BMP)


def _table_path(test: re.Pattern[str] | Callable[[str], bool]) -> Path | None:
    """Where the table of ``test`` is kept between runs, named by everything its answers depend on (Python's
    version, hence its Unicode tables; the regex module and its version, pattern and flags, or the str
    method), or None for a test without such a name (a lambda, a function of the caller's).

    Made tables were 60-90 ms of every new process that ingests or codes (four classes, three of them
    regular expressions: a fullmatch per code point)."""
    if isinstance(getattr(test, "pattern", None), str) and isinstance(getattr(test, "flags", None), int):
        module = type(test).__module__  # "re", or "_regex" for the regex package (its own Unicode tables)
        version = getattr(sys.modules.get(module.lstrip("_")), "__version__", "")
        name = (module, version, test.pattern, test.flags)
    elif getattr(test, "__objclass__", None) is str:  # str.isspace, str.isdecimal ...
        name = ("str", test.__name__)
    else:
        return None
    digest = hashlib.sha256(repr((sys.version, unicodedata.unidata_version, name)).encode()).hexdigest()[:32]
    return cache_folder("codepoints") / f"{digest}.bits"


#: Bytes of the checksum that ends a saved table: a file of the right length whose bits were changed (a disk
#: error, another program) is made again, never read as a wrong class.
_CHECK = 16


def _checksum(bits: bytes) -> bytes:
    return hashlib.blake2b(bits, digest_size=_CHECK).digest()


def _load_table(path: Path) -> np.ndarray | None:
    """A saved table, or None when it is missing or not one (then it is made again)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    bits, check = data[:BMP // 8], data[BMP // 8:]
    if len(data) != BMP // 8 + _CHECK or _checksum(bits) != check:
        return None
    return np.unpackbits(np.frombuffer(bits, dtype=np.uint8)).view(bool)


def _save_table(table: np.ndarray, path: Path) -> None:
    """Write the table (one bit per code point, then its checksum) whole, renamed into place; where the cache
    folder cannot be written, nothing is saved and the table is made again in every process."""
    bits = np.packbits(table).tobytes()
    try:
        save(lambda tmp: Path(tmp).write_bytes(bits + _checksum(bits)), path)
    except OSError:
        pass
