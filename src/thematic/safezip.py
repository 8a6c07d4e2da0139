"""Reading zip archives as untrusted input: no zip slip, no zip bombs, no duplicates, sources found leniently.

The one reader for every zip format thematic opens: ``.qdpx`` (the codebook and
project importers), and ``.docx``, ``.xlsx``, ``.odt`` and ``.pptx`` (ingest, pseudonymisation
and leak checks), which are checked with :func:`verify` before python-docx or
openpyxl open them.

Nothing is extracted to disk: members are read into memory through caps on
per-member and total uncompressed size (the member cap is the 50 MB transcript
cap) and on compression ratio, counted while reading (a lying header cannot get
past them). Members whose names are absolute, contain ``..`` or backslashes, are
symbolic links or occur twice (two ``project.qde``) are refused; a bad CRC or
corrupt compressed data is a coded error, never a traceback.

Example:
    >>> with SafeArchive.open("project.qdpx") as archive:  # doctest: +SKIP
    ...     xml = archive.project_xml()
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from pathlib import Path

from .errors import Errors, RefiError, UnsafeArchiveError

MAX_MEMBER = 50_000_000  # the transcript cap (thematic.transcripts.DEFAULT_MAX_BYTES)
MAX_TOTAL = 500_000_000  # all members read from one archive
MAX_RATIO = 200  # uncompressed / compressed, for members above 1 MiB
MAX_MEMBERS = 20_000


class SafeArchive:
    """A REFI-QDA archive opened for reading with safety checks on every member."""

    def __init__(self, zf: zipfile.ZipFile, path: str):
        self._zip = zf
        self.path = path
        self._read_total = 0
        self._members = {}
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise UnsafeArchiveError(Errors.Q002.format(path=path, member="(archive)",
                                                        detail=f"{len(infos)} members, more than {MAX_MEMBERS}"))
        seen: set[str] = set()
        for info in infos:
            _check_member(info, path)
            folded = info.filename.rstrip("/").casefold()
            if folded in seen:
                raise UnsafeArchiveError(Errors.Q002.format(
                    path=path, member=info.filename, detail="the archive holds this member twice; which copy is "
                                                            "meant cannot be told"))
            seen.add(folded)
            if not info.is_dir():
                self._members[info.filename] = info

    @classmethod
    def from_bytes(cls, data: bytes, path: str | Path) -> "SafeArchive":
        """An archive held in memory; ``zipfile.BadZipFile`` if it is not a zip at all."""
        return cls(zipfile.ZipFile(io.BytesIO(data)), str(path))

    @classmethod
    def open(cls, path: str | Path) -> "SafeArchive":
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise RefiError(Errors.Q001.format(path=path, detail=f"cannot read the file ({exc.strerror})"),
                            path=path) from None
        try:
            return cls(zipfile.ZipFile(io.BytesIO(data)), str(path))
        except zipfile.BadZipFile:
            raise RefiError(Errors.Q001.format(path=path, detail="not a .qdpx (zip) archive; if it is a bare "
                                                                 "project.qde, open that file instead"),
                            path=path) from None

    def __enter__(self) -> "SafeArchive":
        return self

    def __exit__(self, *exc) -> None:
        self._zip.close()

    @property
    def names(self) -> list[str]:
        return list(self._members)

    def read(self, name: str) -> bytes:
        """A member's bytes, counted against the caps while reading."""
        info = self._members[name]
        out = bytearray()
        with self._member(info) as member:
            while True:
                chunk = _chunk(member, self.path, name)
                if not chunk:
                    break
                out += chunk
                self._read_total += len(chunk)
                if len(out) > MAX_MEMBER or self._read_total > MAX_TOTAL:
                    raise UnsafeArchiveError(Errors.Q002.format(path=self.path, member=name,
                                                                detail="uncompressed size over the limit"))
                if len(out) > (1 << 20) and len(out) > MAX_RATIO * max(info.compress_size, 1):
                    raise UnsafeArchiveError(Errors.Q002.format(
                        path=self.path, member=name, detail=f"compression ratio over {MAX_RATIO}:1 (a zip bomb?)"))
        return bytes(out)

    def _member(self, info):
        try:
            return self._zip.open(info)
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError, EOFError) as exc:
            raise UnsafeArchiveError(Errors.Q004.format(path=self.path, member=info.filename, detail=str(exc)),
                                     path=self.path) from None

    def verify(self) -> None:
        """Read every member through the caps (and CRC checks), keeping nothing."""
        for name, info in self._members.items():
            size = 0
            with self._member(info) as member:
                while chunk := _chunk(member, self.path, name):
                    size += len(chunk)
                    self._read_total += len(chunk)
                    if size > MAX_MEMBER or self._read_total > MAX_TOTAL:
                        raise UnsafeArchiveError(Errors.Q002.format(path=self.path, member=name,
                                                                    detail="uncompressed size over the limit"))
                    if size > (1 << 20) and size > MAX_RATIO * max(info.compress_size, 1):
                        raise UnsafeArchiveError(Errors.Q002.format(
                            path=self.path, member=name, detail=f"compression ratio over {MAX_RATIO}:1 (a zip bomb?)"))

    def project_xml(self) -> tuple[str, bytes]:
        """The single ``*.qde`` at the archive root (any name, any case: ATLAS.ti names it after the project)."""
        candidates = [n for n in self._members if "/" not in n and n.lower().endswith(".qde")]
        if not candidates:
            raise RefiError(Errors.Q001.format(path=self.path, detail="no project.qde at the top of the archive"),
                            path=self.path)
        preferred = [n for n in candidates if n.lower() == "project.qde"]
        name = (preferred or sorted(candidates))[0]
        return name, self.read(name)

    def find_source(self, reference: str) -> str | None:
        """The member a source path refers to: ``internal://x.txt`` (under sources/ or Sources/, any case),
        or a bare name as qc writes it. None when absent."""
        name = reference.split("://", 1)[1] if "://" in reference else reference
        name = name.lstrip("/").replace("\\", "/")
        base = posixpath.basename(name).lower()
        by_lower = {n.lower(): n for n in self._members}
        for candidate in (f"sources/{name}".lower(), name.lower(), f"sources/{base}"):
            if candidate in by_lower:
                return by_lower[candidate]
        matches = [n for n in self._members if posixpath.basename(n).lower() == base]
        return matches[0] if len(matches) == 1 else None


def verify(data: bytes, path: str | Path) -> None:
    """Check an office file (docx, xlsx, odt, pptx) before a library opens it: a zip within the caps,
    every member readable with a good CRC. ``zipfile.BadZipFile`` when it is not a zip at all."""
    with SafeArchive.from_bytes(data, path) as archive:
        archive.verify()


def _chunk(member, path: str, name: str) -> bytes:
    try:
        return member.read(1 << 20)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:  # bad CRC, corrupt deflate data
        raise UnsafeArchiveError(Errors.Q004.format(path=path, member=name, detail=str(exc) or type(exc).__name__),
                                 path=path) from None


def _check_member(info: zipfile.ZipInfo, path: str) -> None:
    name = info.filename
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":") or "\\" in name:
        raise UnsafeArchiveError(Errors.Q002.format(path=path, member=name, detail="absolute or Windows path"))
    parts = [p for p in name.split("/") if p]
    if any(p == ".." for p in parts):
        raise UnsafeArchiveError(Errors.Q002.format(path=path, member=name, detail="'..' would leave the archive"))
    if (info.external_attr >> 16) & 0o170000 == 0o120000:
        raise UnsafeArchiveError(Errors.Q002.format(path=path, member=name, detail="symbolic link"))
    if info.file_size > MAX_MEMBER:
        raise UnsafeArchiveError(Errors.Q002.format(path=path, member=name,
                                                    detail=f"{info.file_size} bytes uncompressed"))
    if info.file_size > (1 << 20) and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise UnsafeArchiveError(Errors.Q002.format(path=path, member=name,
                                                    detail=f"compression ratio over {MAX_RATIO}:1 (a zip bomb?)"))
