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

import functools
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

import pandas as pd

from ..errors import Errors, SchemaVersionError, StoreError

#: Written into the SQLite header (``PRAGMA application_id``): "THMA".
APPLICATION_ID = 0x54484D41

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
        raise StoreError(Errors.S012.format(target=_redact(parts), scheme=scheme))
    query = parse_qsl(parts.query, keep_blank_values=True)
    schema = next((v for k, v in query if k == "schema"), "public") or "public"
    if not _SCHEMA_NAME.match(schema):
        raise StoreError(Errors.S013.format(target=_redact(parts), detail=f"schema name '{schema}' is not a plain "
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


def connect(target, create: bool = True) -> "SqliteConnection | PostgresConnection":
    """Open the store at ``target`` (creating it if absent, unless ``create=False``); not migrated here."""
    parsed = parse_target(target)
    if parsed.kind == "postgresql":
        return PostgresConnection(parsed, create)
    if not create and parsed.display != ":memory:" and not Path(parsed.display).is_file():
        raise StoreError(Errors.S001.format(path=parsed.display, detail="no such file"), path=parsed.display)
    return SqliteConnection(parsed.display)


def frame_of(cursor) -> pd.DataFrame:
    """A DataFrame from a DB-API cursor, typed as ``pandas.read_sql_query`` would."""
    columns = [d[0] for d in cursor.description]
    return pd.DataFrame.from_records(cursor.fetchall(), columns=columns, coerce_float=True)


class SqliteConnection:
    """The embedded engine: one file, WAL journal, writers serialised by ``BEGIN IMMEDIATE``."""

    dialect = "sqlite"
    for_update = ""  # BEGIN IMMEDIATE already holds the one write lock

    def __init__(self, path: str):
        self.display = path
        if path != ":memory:":
            p = Path(path)
            if p.is_dir():
                raise StoreError(Errors.S001.format(path=p, detail="it is a folder"), path=p)
            p.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.raw = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
            self.raw.execute("PRAGMA busy_timeout = 30000")
            self.raw.execute("PRAGMA foreign_keys = ON")
            self.raw.execute("PRAGMA trusted_schema = OFF")
            app_id = self.raw.execute("PRAGMA application_id").fetchone()[0]
            version = self.raw.execute("PRAGMA user_version").fetchone()[0]
            tables = self.raw.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise StoreError(Errors.S001.format(path=path, detail=str(exc)), path=path) from None
        if tables and app_id != APPLICATION_ID:
            self.raw.close()
            raise StoreError(Errors.S001.format(path=path, detail="it is an SQLite file of another program"), path=path)
        if version > _known():
            self.raw.close()
            raise SchemaVersionError(Errors.S002.format(path=path, found=version, known=_known()), path=path)
        if path != ":memory:":
            self.raw.execute("PRAGMA journal_mode = WAL")
            self.raw.execute("PRAGMA synchronous = NORMAL")
        if version and self.raw.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            self.raw.close()
            raise StoreError(Errors.S001.format(path=path, detail="the file is damaged (quick_check failed)"),
                             path=path)

    def execute(self, sql: str, params=()):
        return self.raw.execute(sql, params)

    def executemany(self, sql: str, rows) -> None:
        self.raw.executemany(sql, rows)

    def frame(self, sql: str, params=()) -> pd.DataFrame:
        return frame_of(self.raw.execute(sql, params))

    def begin(self, read_only: bool = False) -> None:
        self.raw.execute("BEGIN" if read_only else "BEGIN IMMEDIATE")  # BEGIN: a read snapshot (WAL)

    def end(self, commit: bool) -> None:
        self.raw.execute("COMMIT" if commit else "ROLLBACK")

    def savepoint(self, name: str, action: str = "SAVEPOINT") -> None:
        self.raw.execute(f"{action} {name}")

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

    def close(self) -> None:
        self.raw.close()


def _known() -> int:
    from .schema import SCHEMA_VERSION

    return SCHEMA_VERSION


@functools.lru_cache(maxsize=512)
def _pg_sql(sql: str) -> str:
    """``?`` placeholders (outside quotes) to ``%s``; a literal ``%`` to ``%%``."""
    def swap(m: re.Match) -> str:
        token = m.group()
        if token == "?":
            return "%s"
        return token.replace("%", "%%")

    return re.sub(r"'(?:[^']|'')*'|\"[^\"]*\"|\?|%", swap, sql)


_DDL = ((re.compile(r"\bINTEGER PRIMARY KEY\b"), "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),
        (re.compile(r"\bREAL\b"), "DOUBLE PRECISION"),
        (re.compile(r"\bBLOB\b"), "BYTEA"))


class PostgresConnection:
    """A project in one PostgreSQL schema; each action is one READ COMMITTED transaction whose
    read-modify-write steps lock what they change (row locks or transaction-scoped advisory locks).

    A server that goes away raises ``StoreError`` (S014) naming host and database; nothing
    committed is lost, and the next action reconnects.
    """

    dialect = "postgresql"
    for_update = " FOR UPDATE"

    def __init__(self, target: Target, create: bool = True):
        self.target = target
        self.display = target.display
        self.raw = None
        self._in_tx = False
        self._connect()
        with self._errors():
            self.begin()
            self.lock("schema")
            exists = self.raw.execute("SELECT to_regnamespace(%s)", (target.schema,)).fetchone()[0] is not None
            if not exists and create:
                self.raw.execute(f'CREATE SCHEMA "{target.schema}"')
            self.end(True)
        version = self.schema_version() if exists or create else 0
        if not create and version == 0:
            self.close()
            raise StoreError(Errors.S001.format(path=self.display, detail=f"schema '{target.schema}' holds no "
                                                "thematic project; check ?schema= or create it with thematic code"),
                             path=self.display)
        if version == 0 and self._tables():
            self.close()
            raise StoreError(Errors.S001.format(
                path=self.display, detail=f"schema '{target.schema}' holds tables of another program; "
                                          "give ?schema=a_new_name"), path=self.display)
        if version > _known():
            self.close()
            raise SchemaVersionError(Errors.S002.format(path=self.display, found=version, known=_known()),
                                     path=self.display)

    # -- connection -----------------------------------------------------------------------

    def _connect(self) -> None:
        try:
            import psycopg
        except ImportError:
            raise StoreError(Errors.S015.format(target=self.display)) from None
        try:
            self.raw = psycopg.connect(self.target.conninfo, autocommit=True, connect_timeout=10,
                                       application_name="thematic")
        except psycopg.Error as exc:
            raise StoreError(Errors.S014.format(host=self.target.host, database=self.target.database,
                                                detail=self._clean(exc)), path=self.display) from None
        self.raw.execute(f'SET search_path TO "{self.target.schema}"')

    def _clean(self, exc: Exception) -> str:
        """The driver's message, first line, with any password in it blanked out."""
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        password = urlsplit(self.target.conninfo).password
        return text.replace(password, "***") if password else text

    def _alive(self) -> None:
        if self.raw is None or self.raw.closed or self.raw.broken:
            if self._in_tx:  # the transaction died with the connection; the caller rolls back
                raise StoreError(Errors.S014.format(host=self.target.host, database=self.target.database,
                                                    detail="the connection was lost during this action"),
                                 path=self.display)
            self._connect()

    def _errors(self):
        return _PgErrors(self)

    # -- statements -----------------------------------------------------------------------

    def execute(self, sql: str, params=()):
        self._alive()
        with self._errors():
            return self.raw.execute(_pg_sql(sql), tuple(params))

    def executemany(self, sql: str, rows) -> None:
        self._alive()
        rows = [tuple(r) for r in rows]
        if not rows:
            return
        with self._errors(), self.raw.cursor() as cur:
            cur.executemany(_pg_sql(sql), rows)

    def frame(self, sql: str, params=()) -> pd.DataFrame:
        return frame_of(self.execute(sql, params))

    def begin(self, read_only: bool = False) -> None:
        self._alive()
        with self._errors():
            self.raw.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" if read_only else "BEGIN")
        self._in_tx = True

    def end(self, commit: bool) -> None:
        self._in_tx = False
        if self.raw.broken or self.raw.closed:
            if commit:  # a lost COMMIT: PostgreSQL rolled the transaction back
                raise StoreError(Errors.S014.format(host=self.target.host, database=self.target.database,
                                                    detail="the connection was lost before the commit"),
                                 path=self.display)
            return
        with self._errors():
            self.raw.execute("COMMIT" if commit else "ROLLBACK")

    def savepoint(self, name: str, action: str = "SAVEPOINT") -> None:
        with self._errors():
            self.raw.execute(f"{action} {name}")

    def lock(self, name: str) -> None:
        """A transaction-scoped advisory lock on ``name`` in this project's schema."""
        with self._errors():
            self.raw.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"thematic:{self.target.schema}:{name}",))

    def ddl(self, script: str) -> str:
        for pattern, replacement in _DDL:
            script = pattern.sub(replacement, script)
        return script

    def _tables(self) -> list[str]:
        return [r[0] for r in self.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = ?",
                                           (self.target.schema,))]

    def schema_version(self) -> int:
        if self.execute("SELECT to_regclass(?)", (f'"{self.target.schema}".migrations',)).fetchone()[0] is None:
            return 0
        return int(self.execute("SELECT coalesce(max(version), 0) FROM migrations").fetchone()[0])

    def set_schema_version(self, version: int) -> None:
        """PostgreSQL keeps the version in the ``migrations`` table alone."""

    def reset_ids(self, table: str) -> None:
        """Move identity columns' sequences past ids inserted explicitly (after a copy)."""
        for (column,) in self.execute("SELECT column_name FROM information_schema.columns WHERE table_schema = ? "
                                      "AND table_name = ? AND is_identity = 'YES'", (self.target.schema, table)).fetchall():
            self.execute(f'SELECT setval(pg_get_serial_sequence(?, ?), coalesce((SELECT max("{column}") '
                         f'FROM "{table}"), 0) + 1, false)', (f'"{self.target.schema}"."{table}"', column))

    def integrity(self) -> str:
        return "ok"  # PostgreSQL checks its pages itself; nothing like SQLite's integrity_check to ask

    def close(self) -> None:
        if self.raw is not None and not self.raw.closed:
            self.raw.close()


class _PgErrors:
    """Turns a lost server (psycopg ``OperationalError``) into a coded, password-free ``StoreError``."""

    def __init__(self, conn: PostgresConnection):
        self.conn = conn

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        if exc is None:
            return False
        import psycopg

        if isinstance(exc, (psycopg.OperationalError, psycopg.InterfaceError)) and (
                self.conn.raw is None or self.conn.raw.closed or self.conn.raw.broken):
            target = self.conn.target
            raise StoreError(Errors.S014.format(host=target.host, database=target.database,
                                                detail=self.conn._clean(exc)), path=self.conn.display) from None
        return False
