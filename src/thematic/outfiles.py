"""One way to write output files: safe names, kept inside the output folder, written whole or not at all.

Every writer (pseudonymised copies, the report, table and codebook exports) goes
through here, so that a name built from data (a pseudonym, a code label, a case
name) can never leave the output folder, replace an input, silently collide with
another output, or leave half a file behind when the disk fills up or the folder
is read-only.

- :func:`safe_name` turns any string into one file name: no path separators, no
  ``..``, no control characters, no Windows reserved names, at most 200 bytes.
- :class:`OutputFolder` hands out unique names inside one folder (collisions,
  including ones differing only in case, get ``-2``, ``-3``) and refuses any
  path that resolves outside it or onto an input file.
- :func:`write_atomic` writes through a temporary file beside the target and
  renames it into place; on any error the temporary file is removed and an
  ``OSError`` becomes a coded :class:`~thematic.errors.OutputError`.

Example:
    >>> import tempfile
    >>> out = OutputFolder(tempfile.mkdtemp())
    >>> out.claim("../etc/passwd").name
    '_etc_passwd'
    >>> out.claim("a.txt").name, out.claim("A.txt").name
    ('a.txt', 'A-2.txt')
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import unicodedata
import uuid
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .errors import Errors, OutputError

#: Names Windows refuses whatever the suffix (``con.txt`` is the console).
RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}
#: Most file systems allow 255 bytes per name; keep room for a collision suffix.
MAX_NAME_BYTES = 200
_UNSAFE = re.compile(r'[/\\:*?"<>|\x00-\x1f\x7f]')


def safe_name(name: str, *, fallback: str = "file") -> str:
    """One safe file name for ``name`` (NFC; separators and control characters become ``_``).

    ``..`` can never be a path step here, since separators are gone; leading dots (a
    hidden file) and trailing dots and spaces (dropped by Windows) are removed, and a
    name left empty becomes ``fallback``; a Windows reserved stem gets a ``_`` prefix.
    """
    name = unicodedata.normalize("NFC", str(name))
    name = _UNSAFE.sub("_", name).strip().strip(". ")  # no hidden ".name", no trailing dot Windows drops
    if not name.strip("."):
        name = fallback
    stem, dot, suffix = name.partition(".")
    if stem.upper() in RESERVED:
        name = "_" + name
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        stem, suffix = os.path.splitext(name)
        suffix = suffix if len(suffix.encode("utf-8")) <= 16 else ""
        room = MAX_NAME_BYTES - len(suffix.encode("utf-8"))
        stem = stem.encode("utf-8")[:room].decode("utf-8", "ignore")
        name = stem + suffix
    return name


class OutputFolder:
    """A folder that outputs are written into: unique safe names, never outside it, never onto an input.

    Args:
        root: the output folder (created if absent).
        inputs: files that must never be replaced (the transcripts being copied, the key).
    """

    def __init__(self, root: str | Path, *, inputs: Iterable[str | Path] = ()):
        self.root = Path(root).resolve()
        self._inputs = {Path(p).resolve() for p in inputs}
        self._taken: dict[str, str] = {}
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise os_error(self.root, exc) from None

    def claim(self, name: str, *, owner: str = "") -> Path:
        """A path inside the folder for ``name``, made safe and unique (``-2``, ``-3`` on a collision)."""
        name = safe_name(name)
        stem, suffix = os.path.splitext(name)
        candidate, n = name, 2
        while candidate.casefold() in self._taken:
            candidate, n = f"{stem}-{n}{suffix}", n + 1
        self._taken[candidate.casefold()] = owner or name
        return self.check(self.root / candidate)

    def check(self, path: str | Path) -> Path:
        """``path`` if it stays inside the folder and is not an input; a coded error otherwise."""
        return check_target(path, self.root, self._inputs)

    def write(self, name: str, writer: Callable[[Path], None], *, owner: str = "") -> Path:
        """Claim ``name`` and write it atomically with ``writer(temporary_path)``."""
        return write_atomic(self.claim(name, owner=owner), writer, inputs=self._inputs)


def check_target(path: str | Path, root: str | Path | None = None, inputs: Iterable[Path] = ()) -> Path:
    """Refuse a target outside ``root`` (symbolic links resolved) or one that is an input file."""
    path = Path(path)
    resolved = path.resolve()
    if root is not None:
        root = Path(root).resolve()
        if resolved != root and root not in resolved.parents:
            raise OutputError(Errors.A004.format(path=path, root=root), path=path)
    for source in inputs:
        if resolved == Path(source).resolve() or (resolved.exists() and _same_file(resolved, source)):
            raise OutputError(Errors.A005.format(path=path, source=source), path=path)
    return path


def write_atomic(target: str | Path, writer: Callable[[Path], None], *, inputs: Iterable[Path] = ()) -> Path:
    """Write ``target`` whole or not at all: ``writer`` fills a temporary file that then replaces it.

    ``writer`` gets the temporary path (same folder, same suffix, so libraries that
    look at the suffix still work). Any error removes the temporary file; an
    ``OSError`` (disk full, read-only folder or file) becomes a coded ``OutputError``.
    """
    target = check_target(target, None, inputs)
    tmp = target.with_name(f".{target.stem[:60]}.{uuid.uuid4().hex[:8]}.partial{target.suffix}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        writer(tmp)
        os.replace(tmp, target)
    except OSError as exc:
        _remove(tmp)
        raise os_error(target, exc) from None
    except BaseException:
        _remove(tmp)
        raise
    return target


@contextlib.contextmanager
def staging(folder: str | Path) -> Iterator[Path]:
    """A fresh staging folder that is removed afterwards whatever happens (OSError -> coded error)."""
    import shutil

    folder = Path(folder)
    try:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    except OSError as exc:
        raise os_error(folder, exc) from None
    try:
        yield folder
    except OSError as exc:
        raise os_error(getattr(exc, "filename", None) or folder, exc) from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def os_error(path, exc: OSError) -> OutputError:
    """The coded error for a failed write: a full disk, a read-only place, or another OS error."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return OutputError(Errors.A006.format(path=path), path=path)
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return OutputError(Errors.A007.format(path=path, detail=exc.strerror or type(exc).__name__), path=path)
    return OutputError(Errors.A008.format(path=path, detail=exc.strerror or str(exc)), path=path)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


# -- spreadsheet safety ------------------------------------------------------------------------------

#: Leading characters that make Excel, LibreOffice or Google Sheets read a CSV field as a formula
#: (OWASP, "CSV Injection"): ``= + - @``, tab and carriage return.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Control characters no XML-based file (xlsx, docx) may hold; tab, newline and carriage return stay.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def neutralise_formula(value):
    """A text value a spreadsheet will show as text: ``'`` before a leading ``= + - @``, tab or CR (OWASP).

    Non-strings pass unchanged, so numbers (including negative ones) stay numbers.

    >>> neutralise_formula("=HYPERLINK(\\"http://x\\")"), neutralise_formula(-3)
    ('\\'=HYPERLINK("http://x")', -3)
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def clean_text(value):
    """``value`` without the control characters XML files cannot hold (a form feed, a NUL)."""
    return _ILLEGAL_XML.sub("", value) if isinstance(value, str) else value


def safe_frame(frame, *, formulas: bool = False):
    """A copy of a DataFrame whose text cells, index and header are clean (and formula-safe with
    ``formulas=True``, for CSV). Only text cells change; numbers, dates and missing values do not."""
    import pandas as pd

    def fix(value):
        value = clean_text(value)
        return neutralise_formula(value) if formulas else value

    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            series = series.astype(object)
        if series.dtype == object or isinstance(series.dtype, pd.StringDtype):
            out[column] = series.map(fix, na_action="ignore")
    out.columns = _fix_index(out.columns, fix)
    out.index = _fix_index(out.index, fix)
    return out


def _fix_index(index, fix):
    import pandas as pd

    if isinstance(index, pd.MultiIndex):
        return index.set_levels([_fix_index(level, fix) for level in index.levels]).set_names(
            [fix(n) for n in index.names])
    if index.dtype.kind in "iufcbmM":
        return index.set_names(fix(index.name))
    return pd.Index([fix(v) for v in index], name=fix(index.name), dtype=object)


def text_cells_as_text(worksheet) -> None:
    """Make every cell openpyxl took for a formula (text starting with ``=``) a plain text cell."""
    for row in worksheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"
