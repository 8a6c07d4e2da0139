"""The project's schema, as registered, transactional migrations: one definition for both engines.

Each migration runs in one transaction with its record in ``migrations`` (and, on
SQLite, the new ``PRAGMA user_version``); a project written by a newer thematic is
refused rather than guessed at. Migrations receive the store's connection
(``thematic.store.engine``) and write DDL in SQLite's spelling; ``conn.ddl`` maps
the two types PostgreSQL spells differently.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Callable

from .engine import APPLICATION_ID  # noqa: F401  (kept importable from here)

MIGRATIONS: list[tuple[int, str, Callable[[Any], None]]] = []


def migration(version: int, name: str):
    """Register a migration; versions are consecutive from 1."""

    def register(fn: Callable[[Any], None]):
        MIGRATIONS.append((version, name, fn))
        MIGRATIONS.sort(key=lambda m: m[0])
        return fn

    return register


@migration(1, "initial schema")
def _initial(conn) -> None:
    # Statement by statement: executescript() would commit and escape the migration's transaction.
    _run(conn, """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
    CREATE TABLE migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);
    CREATE TABLE documents (
        doc_id TEXT PRIMARY KEY, text TEXT NOT NULL, sha256 TEXT NOT NULL, path TEXT, format TEXT,
        language TEXT NOT NULL, "case" TEXT, attributes TEXT NOT NULL DEFAULT '{}',
        line_map TEXT NOT NULL DEFAULT '[]', added_at TEXT NOT NULL);
    CREATE TABLE segments (
        doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE, idx INTEGER NOT NULL,
        start INTEGER NOT NULL, "end" INTEGER NOT NULL, speaker TEXT, role TEXT, turn INTEGER, informant TEXT,
        line_start INTEGER, line_end INTEGER, time_start REAL, time_end REAL, words INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (doc_id, idx));
    CREATE TABLE codebooks (
        id INTEGER PRIMARY KEY, codebook_id TEXT NOT NULL, version TEXT NOT NULL, fingerprint TEXT NOT NULL UNIQUE,
        source_text TEXT NOT NULL, added_at TEXT NOT NULL);
    CREATE TABLE codings (
        coding_id INTEGER PRIMARY KEY, doc_id TEXT NOT NULL REFERENCES documents(doc_id),
        seg_idx INTEGER, start INTEGER NOT NULL, "end" INTEGER NOT NULL, line_start INTEGER, line_end INTEGER,
        code TEXT NOT NULL, theme TEXT NOT NULL, coder TEXT NOT NULL, source TEXT NOT NULL,
        rule TEXT NOT NULL DEFAULT '', matched TEXT NOT NULL DEFAULT '', status TEXT NOT NULL,
        codebook TEXT NOT NULL DEFAULT '', quote TEXT NOT NULL, before TEXT NOT NULL DEFAULT '',
        after TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL, created_event INTEGER,
        changed_event INTEGER, CHECK (start <= "end"));
    CREATE INDEX codings_by_doc ON codings(doc_id, start);
    CREATE INDEX codings_by_status ON codings(status, source);
    CREATE INDEX codings_by_event ON codings(created_event);
    CREATE TABLE rejections (
        doc_id TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, code TEXT NOT NULL,
        coder TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (doc_id, start, "end", code));
    CREATE TABLE memos (
        memo_id INTEGER PRIMARY KEY, target_kind TEXT NOT NULL, target_id TEXT NOT NULL, text TEXT NOT NULL,
        coder TEXT NOT NULL, created_at TEXT NOT NULL);
    CREATE TABLE events (
        event_id INTEGER PRIMARY KEY, at TEXT NOT NULL, coder TEXT NOT NULL, action TEXT NOT NULL,
        payload TEXT NOT NULL DEFAULT '{}', undone INTEGER NOT NULL DEFAULT 0);
    """)


@migration(2, "coding memory for re-coding without parsing")
def _coding_memory(conn) -> None:
    _run(conn, """
    CREATE TABLE coding_memory (
        doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE, version TEXT NOT NULL,
        sha256 TEXT NOT NULL, units TEXT NOT NULL, forms TEXT NOT NULL, hits TEXT NOT NULL,
        PRIMARY KEY (doc_id, version))
    """)


@migration(3, "review keeps authorship: reviewed_by and reviewed_at")
def _reviewed_by(conn) -> None:
    """Add who reviewed a coding and when; give accepted codings back to their authors.

    Up to schema 2, accepting a coding made it the reviewer's (coder = reviewer, source
    "accepted"). The event log kept each coding's prior coder and source, so they are restored
    here and the reviewer moves to ``reviewed_by``. An accepted coding whose history is gone
    (a copy made without its log) keeps source "accepted" with its coder as reviewer and no
    review time.
    """
    import json

    conn.execute("ALTER TABLE codings ADD COLUMN reviewed_by TEXT NOT NULL DEFAULT ''")
    conn.execute("ALTER TABLE codings ADD COLUMN reviewed_at TEXT NOT NULL DEFAULT ''")
    events = conn.execute("SELECT event_id, at, coder, action, payload FROM events WHERE undone = 0 "
                          "AND action IN ('accept', 'reject') ORDER BY event_id").fetchall()
    for event, at, reviewer, action, payload in events:
        for coding_id, _status, source, coder in json.loads(payload).get("prior", []):
            if action == "accept" and source != "accepted":
                conn.execute("UPDATE codings SET coder = ?, source = ? WHERE coding_id = ? AND source = 'accepted'",
                             (coder, source, coding_id))
            conn.execute("UPDATE codings SET reviewed_by = ?, reviewed_at = ? WHERE coding_id = ? AND status = ?",
                         (reviewer, at, coding_id, "active" if action == "accept" else "rejected"))
    conn.execute("UPDATE codings SET reviewed_by = coder WHERE source = 'accepted' AND reviewed_by = ''")


@migration(4, "page and heading path of each segment")
def _segment_place(conn) -> None:
    # Old projects keep their segments; the new columns are NULL there (no page, no heading path).
    _run(conn, """
    ALTER TABLE segments ADD COLUMN page INTEGER;
    ALTER TABLE segments ADD COLUMN heading TEXT
    """)


@migration(5, "coding memory as token arrays, with a vocabulary and rule ids")
def _coding_arrays(conn) -> None:
    """Re-coding memory as compact int32 arrays (``thematic.coding.arrays``) instead of JSON.

    The JSON memory of schema 2-4 is dropped rather than converted (it kept distinct forms, not
    token positions): the first re-coding after the upgrade parses each document once and
    remembers it the new way. Codings are untouched.
    """
    _run(conn, """
    DROP TABLE coding_memory;
    CREATE TABLE coding_memory (
        doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE, version TEXT NOT NULL,
        sha256 TEXT NOT NULL, tokens BLOB NOT NULL, units BLOB NOT NULL, hits BLOB NOT NULL,
        rules TEXT NOT NULL DEFAULT '', PRIMARY KEY (doc_id, version));
    CREATE TABLE coding_vocab (
        lang TEXT NOT NULL, form_id INTEGER NOT NULL, form TEXT NOT NULL, lemma TEXT NOT NULL,
        PRIMARY KEY (lang, form_id));
    CREATE TABLE coding_rules (rule_id INTEGER NOT NULL, key TEXT NOT NULL UNIQUE, PRIMARY KEY (rule_id))
    """)


@migration(6, "dictionary forms of the coding vocabulary's lemmas")
def _coding_lexicon(conn) -> None:
    """Per language, each word the lemmatiser's dictionary folds into a lemma of the coding vocabulary
    (``strategien`` -> ``strategi``; ``thematic.nlp.dictionary_forms``), so that re-coding finds a new
    pattern word's lemma without loading the dictionary. The ``meta`` key ``coding_lexicon.<lang>`` says
    how many vocabulary forms it covers; until it covers them all (filled by the next coding that
    loads the dictionary) re-coding asks the lemmatiser, as before.
    """
    _run(conn, """
    CREATE TABLE coding_lexicon (
        lang TEXT NOT NULL, form TEXT NOT NULL, lemma TEXT NOT NULL, PRIMARY KEY (lang, form))
    """)


@migration(7, "the rules each remembered document was matched with, in a table of their own")
def _coding_checked(conn) -> None:
    """Each document's list of the rules matched over its arrays moves from ``coding_memory`` to
    ``coding_checked``: re-coding after an added rule extends that list in every document, and in
    ``coding_memory`` each such update rewrote the row with its token arrays (6.5 MB for a 1M-word
    corpus, for a rule that matched nowhere). Nothing is lost: the lists are copied.
    """
    _run(conn, """
    CREATE TABLE coding_checked (
        doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE, version TEXT NOT NULL,
        rules TEXT NOT NULL DEFAULT '', PRIMARY KEY (doc_id, version));
    INSERT INTO coding_checked (doc_id, version, rules) SELECT doc_id, version, rules FROM coding_memory;
    CREATE TABLE coding_memory_7 (
        doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE, version TEXT NOT NULL,
        sha256 TEXT NOT NULL, tokens BLOB NOT NULL, units BLOB NOT NULL, hits BLOB NOT NULL,
        PRIMARY KEY (doc_id, version));
    INSERT INTO coding_memory_7 (doc_id, version, sha256, tokens, units, hits)
        SELECT doc_id, version, sha256, tokens, units, hits FROM coding_memory;
    DROP TABLE coding_memory;
    ALTER TABLE coding_memory_7 RENAME TO coding_memory
    """)


def _run(conn, script: str) -> None:
    for statement in conn.ddl(script).split(";"):
        if statement.strip():
            conn.execute(statement)


SCHEMA_VERSION = max(v for v, _, _ in MIGRATIONS)


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def migrate(conn, current: int) -> None:
    """Apply every migration above ``current``, each in its own transaction."""
    for version, name, fn in MIGRATIONS:
        if version <= current:
            continue
        conn.begin()
        try:
            conn.lock("migrate")
            if conn.schema_version() >= version:  # another process did it
                conn.end(False)
                continue
            fn(conn)
            conn.execute("INSERT INTO migrations VALUES (?, ?, ?)", (version, name, now()))
            conn.set_schema_version(version)
            conn.end(True)
        except BaseException:
            conn.end(False)
            raise
