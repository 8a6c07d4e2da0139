"""Where a project lives: an SQLite file (the embedded default) or a PostgreSQL database.

Both engines sit behind one small connection interface, and the rest of thematic never
learns which one it has. The store's SQL is written once, in the subset both dialects
share, with ``?`` placeholders; the PostgreSQL connection translates placeholders and the
two DDL types that differ (an ``INTEGER PRIMARY KEY`` becomes an identity column, ``REAL``
becomes ``DOUBLE PRECISION``). Transactions, locks and schema bookkeeping are methods here.

Access layer: psycopg 3 directly rather than SQLAlchemy 2 Core. The store already speaks
plain DB-API SQL to sqlite3, psycopg is the driver SQLAlchemy would load anyway, and one
thin translation for ``?`` placeholders is all the dialects need; SQLAlchemy would add a
dependency and a second query language for the same statements. psycopg is the optional
``[team]`` extra and is imported only when a ``postgresql://`` project is opened.

Credentials come from the URL, the standard ``PG*`` environment variables or ``~/.pgpass``
(libpq reads the last two itself); they are never stored in the project, and every name
shown to people (``Project.path``, errors) is the URL without its password.

Example:
    >>> parse_target("postgresql://ida:secret@db.fjordvik.example:5433/study?schema=k2").display
    'postgresql://ida@db.fjordvik.example:5433/study?schema=k2'
    >>> parse_target("work/study.thematic").kind
    'sqlite'
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import sqlite3
import warnings
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from ..cachedir import cache_folder
from ..errors import Errors, SchemaVersionError, StoreError, ThematicWarning, Warnings

#: Written into the SQLite header (``PRAGMA application_id``): "THMA".
APPLICATION_ID = 0x54484D41

if TYPE_CHECKING:
    import pandas as pd

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
_SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


@dataclass(frozen=True)
class Target:
    """A parsed project location. ``display`` is safe to print; ``conninfo`` may hold a password."""

    kind: str  # "sqlite" | "postgresql"
    display: str
    conninfo: str = ""
    schema: str = "public"
    host: str = ""
    database: str = ""


def is_url(target) -> bool:
    return isinstance(target, str) and bool(_SCHEME.match(target))


def parse_target(target) -> Target:
    """A file path (SQLite) or a ``postgresql://user@host:port/db[?schema=name]`` URL."""
    if not is_url(target):
        return Target("sqlite", str(target))
    scheme = _SCHEME.match(target).group(1).lower()
    parts = urlsplit(target)
    if scheme not in ("postgresql", "postgres"):
        raise StoreError(Errors.S016.format(target=_redact(parts), scheme=scheme))
    query = parse_qsl(parts.query, keep_blank_values=True)
    schema = next((v for k, v in query if k == "schema"), "public") or "public"
    if not _SCHEMA_NAME.match(schema):
        raise StoreError(Errors.S017.format(target=_redact(parts), detail=f"schema name '{schema}' is not a plain "
                                            "lower-case identifier (letters, digits, _)"))
    # libpq does not know ?schema=; everything else (sslmode, ...) is passed on unchanged
    rest = [(k, v) for k, v in query if k != "schema"]
    conninfo = f"postgresql://{parts.netloc}{parts.path}" + (f"?{urlencode(rest)}" if rest else "")
    # for messages only: libpq itself falls back to PGHOST, PGDATABASE, ... and the local socket
    host = parts.hostname or os.environ.get("PGHOST") or "localhost"
    database = unquote(parts.path.lstrip("/")) or os.environ.get("PGDATABASE") or "(default database)"
    return Target("postgresql", _redact(parts), conninfo, schema, host, database)


def _redact(parts) -> str:
    """The URL without password (in the authority or as ?password=)."""
    netloc = parts.netloc.rsplit("@", 1)
    if len(netloc) == 2:
        user = netloc[0].split(":", 1)[0]
        netloc = f"{user}@{netloc[1]}"
    else:
        netloc = netloc[0]
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "password"])
    return f"{parts.scheme}://{netloc}{parts.path}" + (f"?{query}" if query else "")


def connect(target, create: bool = True):
    """Open the store at ``target`` (creating it if absent, unless ``create=False``); not migrated here."""
    parsed = parse_target(target)
    if parsed.kind == "postgresql":
        from .postgres import PostgresConnection  # psycopg is imported only for a postgresql:// project

        return PostgresConnection(parsed, create)
    if not create and parsed.display != ":memory:" and not Path(parsed.display).is_file():
        raise StoreError(Errors.S001.format(path=parsed.display, detail="no such file"), path=parsed.display)
    return SqliteConnection(parsed.display)


def frame_of(cursor) -> pd.DataFrame:
    """A DataFrame from a DB-API cursor, typed as ``pandas.read_sql_query`` would."""
    import pandas as pd  # here, not at the top: `thematic status` opens a project without pandas (issue 21)

    columns = [d[0] for d in cursor.description]
    return pd.DataFrame.from_records(cursor.fetchall(), columns=columns, coerce_float=True)


class SqliteConnection:
    """The embedded engine: one file, WAL journal, writers serialised by ``BEGIN IMMEDIATE``.

    Every SQLite failure that is the disk's or the permissions' (read-only, full disk) becomes a
    coded ``StoreError``; a failed open removes the ``-wal``/``-shm`` files it created.
    """

    dialect = "sqlite"
    for_update = ""  # BEGIN IMMEDIATE already holds the one write lock

    def __init__(self, path: str):
        self.display = path
        self.file = None if path == ":memory:" else Path(path)
        self.sound = False  # set when the open found the file sound
        self._created: list[Path] = []
        if self.file is not None:
            if self.file.is_dir():
                raise StoreError(Errors.S001.format(path=self.file, detail="it is a folder"), path=self.file)
            _check_access(self.file)
            if not self.file.exists():
                _move_orphaned_sidecars(self.file)
            self._created = [Path(f"{self.file}{s}") for s in SIDECARS if not Path(f"{self.file}{s}").exists()]
        try:
            self.raw = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise _store_error(path, exc) from None
        try:
            self._check()
        except BaseException as exc:
            self.discard()
            if isinstance(exc, sqlite3.Error):
                raise _store_error(path, exc) from None
            raise

    def _check(self) -> None:
        path, raw = self.display, self.raw
        raw.execute("PRAGMA busy_timeout = 30000")
        raw.execute("PRAGMA foreign_keys = ON")
        raw.execute("PRAGMA trusted_schema = OFF")
        app_id = raw.execute("PRAGMA application_id").fetchone()[0]
        version = raw.execute("PRAGMA user_version").fetchone()[0]
        names = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if names and app_id != APPLICATION_ID:
            raise StoreError(Errors.S001.format(path=path, detail="it is an SQLite file of another program"), path=path)
        if version > _known():
            raise SchemaVersionError(Errors.S002.format(path=path, found=version, known=_known()), path=path)
        if version and not CORE_TABLES <= names:
            missing = ", ".join(sorted(CORE_TABLES - names))
            raise StoreError(Errors.S001.format(path=path, detail=f"it carries thematic's mark but lacks the project "
                                                                  f"tables ({missing}); restore it from a backup"),
                             path=path)
        if self.file is not None:
            raw.execute("PRAGMA journal_mode = WAL")
            raw.execute("PRAGMA synchronous = NORMAL")
        if version and not self._unchanged_since_clean_close() and quick_check(raw) != "ok":
            raise StoreError(Errors.S001.format(path=path, detail="the file is damaged (quick_check failed)"),
                             path=path)
        self.sound = True  # checked, or as thematic left it: a clean close may vouch for it again

    def _unchanged_since_clean_close(self) -> bool:
        """Whether the file is byte for byte as a clean close by thematic left it after a check: same device,
        inode, size and modification time as recorded then, and no write-ahead log. ``PRAGMA quick_check``
        reads the whole file (2 s at 475 MB), and re-coding after a codebook edit should take well under one."""
        stamp = _stamp_file(self.file)
        if stamp is None or Path(f"{self.file}-wal").is_file() and Path(f"{self.file}-wal").stat().st_size:
            return False
        try:
            return stamp.read_text(encoding="utf-8") == _file_state(self.file)
        except (OSError, ValueError):
            return False

    def translate(self, exc: BaseException) -> StoreError | None:
        """A coded error for a failure of the disk or the permissions (None for anything else)."""
        if isinstance(exc, sqlite3.Error) and _io_failure(exc):
            return _store_error(self.display, exc)
        return None

    def execute(self, sql: str, params=()):
        return self.raw.execute(sql, params)

    def executemany(self, sql: str, rows) -> None:
        self.raw.executemany(sql, rows)

    def frame(self, sql: str, params=()) -> pd.DataFrame:
        return frame_of(self.raw.execute(sql, params))

    def begin(self, read_only: bool = False) -> None:
        self._io(lambda: self.raw.execute("BEGIN" if read_only else "BEGIN IMMEDIATE"))  # BEGIN: a read snapshot

    def end(self, commit: bool) -> None:
        if not commit:
            with contextlib.suppress(sqlite3.Error):  # SQLite may have rolled back already (disk full)
                self.raw.execute("ROLLBACK")
            return
        try:
            self.raw.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            with contextlib.suppress(sqlite3.Error):
                self.raw.execute("ROLLBACK")
            raise self.translate(exc) or exc from None

    def savepoint(self, name: str, action: str = "SAVEPOINT") -> None:
        if action == "ROLLBACK TO":
            with contextlib.suppress(sqlite3.Error):
                self.raw.execute(f"{action} {name}")
            return
        self._io(lambda: self.raw.execute(f"{action} {name}"))

    def _io(self, step) -> None:
        try:
            step()
        except sqlite3.OperationalError as exc:
            raise self.translate(exc) or exc from None

    def lock(self, name: str) -> None:
        """Serialise an action against others of its kind (SQLite: the write lock does it)."""

    def ddl(self, script: str) -> str:
        return script

    def schema_version(self) -> int:
        return self.raw.execute("PRAGMA user_version").fetchone()[0]

    def set_schema_version(self, version: int) -> None:
        self.raw.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        self.raw.execute(f"PRAGMA user_version = {int(version)}")

    def reset_ids(self, table: str) -> None:
        """After inserting explicit ids (SQLite continues after the largest by itself)."""

    def integrity(self) -> str:
        return self.raw.execute("PRAGMA integrity_check").fetchone()[0]

    def backup_to(self, dest: Path) -> None:
        """A consistent one-file copy through SQLite's online backup API (includes what is still in the WAL)."""
        target = sqlite3.connect(dest)
        try:
            self.raw.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")  # the copy is one self-contained file
        finally:
            target.close()

    def close(self) -> None:
        """Write the WAL back into the project file (so the file alone is the whole project), then close; a
        file that was sound when opened and is now whole again is recorded as such (the next open need not
        run ``quick_check`` while it stays unchanged)."""
        clean = False
        with contextlib.suppress(sqlite3.Error):
            if self.file is not None and not self.raw.in_transaction:
                busy, _, _ = self.raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                clean = busy == 0
        self.raw.close()
        stamp = _stamp_file(self.file)
        if stamp is not None:
            with contextlib.suppress(OSError):
                if clean and getattr(self, "sound", False):
                    stamp.parent.mkdir(parents=True, exist_ok=True)
                    tmp = stamp.with_suffix(f".{os.getpid()}")
                    tmp.write_text(_file_state(self.file), encoding="utf-8")
                    tmp.replace(stamp)
                else:
                    stamp.unlink(missing_ok=True)

    def discard(self) -> None:
        """Close after a failed open: remove the -wal/-shm files this attempt created (never one holding data)."""
        with contextlib.suppress(sqlite3.Error):
            self.raw.close()
        for s in self._created:
            if s.exists() and (s.name.endswith("-shm") or s.stat().st_size == 0):
                with contextlib.suppress(OSError):
                    s.unlink()


def quick_check(raw) -> str:
    """SQLite's ``PRAGMA quick_check``: "ok", or the first problem found."""
    return raw.execute("PRAGMA quick_check").fetchone()[0]


def _stamp_file(file: Path | None) -> Path | None:
    """Where the state of a project file at its last clean close is kept: the user's cache folder
    (``$XDG_CACHE_HOME/thematic/checked``), one small file per project path; None for ``:memory:``."""
    if file is None:
        return None
    key = hashlib.sha256(os.path.abspath(file).encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return cache_folder("checked", key)


def _file_state(file: Path) -> str:
    st = file.stat()
    return f"{os.path.abspath(file)}\n{st.st_dev} {st.st_ino} {st.st_size} {st.st_mtime_ns}\n"


def single_file(path: Path) -> None:
    """Turn an SQLite project file out of WAL mode, so that the file alone is the whole project."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode = DELETE")
    finally:
        conn.close()


#: Files SQLite keeps beside a project in WAL mode.
SIDECARS = ("-wal", "-shm")


def _move_orphaned_sidecars(file: Path) -> None:
    """Move aside a -wal/-shm left without their project file, before a new project is created at that path.

    SQLite would otherwise try to replay another database's log into the new file ("disk I/O error"). They are
    renamed, never deleted: a person may still want to look at them.
    """
    found = [Path(f"{file}{s}") for s in SIDECARS if Path(f"{file}{s}").exists()]
    if not found:
        return
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    moved = []
    for sidecar in found:
        target = sidecar.with_name(f"{sidecar.name}.orphaned-{stamp}")
        sidecar.rename(target)
        moved.append(target.name)
    warnings.warn(Warnings.W004.format(path=file, sidecars=" and ".join(p.name for p in found),
                                       moved=", ".join(moved)), ThematicWarning, stacklevel=4)
#: Tables every project (schema version 1 or later) has.
CORE_TABLES = {"meta", "migrations", "documents", "segments", "codebooks", "codings", "events"}


def _check_access(p: Path) -> None:
    """Coded errors for a project SQLite could not use: an unreadable -wal, a read-only file or folder."""
    wal = Path(f"{p}-wal")
    if wal.exists():
        try:
            with open(wal, "rb") as handle:
                handle.read(1)
        except OSError as exc:
            raise StoreError(Errors.S013.format(path=p, wal=wal.name, detail=exc.strerror or type(exc).__name__),
                             path=p) from None
    if p.exists():
        if not os.access(p, os.R_OK):
            raise StoreError(Errors.S001.format(path=p, detail="the file cannot be read (permissions)"), path=p)
        if not os.access(p, os.W_OK):
            raise StoreError(Errors.S014.format(path=p, what="the project file"), path=p)
    folder = p.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(Errors.S014.format(path=p, what=f"the folder {folder} ({exc.strerror})"), path=p) from None
    if not os.access(folder, os.W_OK):
        raise StoreError(Errors.S014.format(path=p, what=f"the folder {folder}"), path=p)


def _io_failure(exc: sqlite3.Error) -> bool:
    """A write failed because of the disk or permissions (not a bug or a lock)."""
    message = str(exc)
    return any(k in message for k in ("readonly", "read-only", "disk is full", "disk I/O error"))


def _store_error(path: str, exc: sqlite3.Error) -> StoreError:
    message = str(exc)
    if "readonly" in message or "read-only" in message:
        return StoreError(Errors.S014.format(path=path, what=f"the file or its folder ({message})"), path=path)
    if "disk is full" in message or "database or disk is full" in message:
        return StoreError(Errors.S015.format(path=path), path=path)
    return StoreError(Errors.S001.format(path=path, detail=message), path=path)


def _known() -> int:
    from .schema import SCHEMA_VERSION

    return SCHEMA_VERSION


