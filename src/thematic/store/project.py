"""A thematic project: documents, codebooks, codings, memos and a log, in one SQLite file or one
PostgreSQL schema (``thematic.store.engine``; nothing here depends on which).

Every public write is one unit of work: it runs in one transaction together with
its entry in the append-only event log, so a crash loses at most the operation
in flight, and :meth:`Project.undo` can revert it. Several coders may write at once:
read-modify-write steps lock what they change, and two people changing one coding resolve
by "the first to save wins" (the other action skips that coding, logs a ``conflict`` event
and warns). Codings made by people are
never overwritten or removed by automatic coding. Offsets are Unicode code
points into the stored NFC document text.

Example:
    >>> import thematic as th
    >>> project = th.Project.open("work/study.thematic")                     # doctest: +SKIP
    >>> project.add(th.ingest("data/sample_transcripts"))                    # doctest: +SKIP
    >>> project.autocode(th.Codebook.load("codebooks/digitalisering.yaml"))  # doctest: +SKIP
    >>> project.code("Fjordvik-K2", quote="vi har ingen målbilde",
    ...              code="target_picture.unclear", coder="ida")             # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

from ..context import attach
from ..corpus import Corpus, Document, Segment, segment_words
from ..errors import CodebookError, Errors, NotFoundError, StoreError
from ..types import CODING_COLUMNS, theme_of
from . import anchor
from .autocoding import AddReport, Autocoding  # noqa: F401  (AddReport: kept importable here)
from .codes import Codes
from .review import Review
from .rows import _locate, _need_coder, _segment_at
from .engine import SIDECARS, single_file  # noqa: F401  (SIDECARS: kept importable here)
from .schema import now
from .memory import _Memory  # noqa: F401  (kept importable here)
from .summary import STATUS_SQL, describe, open_store

if TYPE_CHECKING:  # pandas loads where a table is made: re-coding never makes one
    import pandas as pd

#: Statuses: people's and imported codings are "active"; machine codings wait as "pending".
VISIBLE = ("active", "pending")


@functools.lru_cache(maxsize=None)
def _view_class() -> type:
    import pandas as pd

    class _View(pd.DataFrame):
        """A table that used to be returned by a method: ``project.status()`` still works, with a DeprecationWarning."""

        _metadata = ["_view_name"]

        @property
        def _constructor(self):
            return pd.DataFrame  # operations on the view give plain DataFrames

        @classmethod
        def of(cls, frame: pd.DataFrame, name: str) -> "_View":
            view = cls(frame)
            view.attrs = frame.attrs
            view._view_name = name
            return view

        def __call__(self) -> pd.DataFrame:
            import warnings

            warnings.warn(f"project.{self._view_name}() is deprecated: use project.{self._view_name} (a property, "
                          "like project.codings and project.memos)", DeprecationWarning, stacklevel=2)
            return pd.DataFrame(self)

    return _View


class Project(Review, Codes, Autocoding):
    """A project (a file, or a PostgreSQL schema). Open or create one with :meth:`open`."""

    def __init__(self, conn, path: str):
        self._conn = conn
        self.path = path
        self._depth = 0
        self._codes: dict[str, set[str]] = {}

    # -- opening ----------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path = ":memory:", *, create: bool = True) -> "Project":
        """Open a project, creating it if absent: a file path (SQLite; its folder is created too)
        or ``postgresql://user@host:port/database[?schema=name]`` (PostgreSQL; the schema is created).

        Credentials come from the URL, the ``PG*`` environment variables or ``~/.pgpass``; ``path``
        is the location without its password. Raises ``StoreError`` for something that is not a
        thematic project (or an unreachable server) and ``SchemaVersionError`` for one written by a
        newer thematic. With ``create=False`` a missing project is an error rather than made.
        """
        conn = open_store(path if isinstance(path, str) else str(path), create)
        return cls(conn, conn.display)

    @property
    def engine(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self._conn.dialect

    def close(self) -> None:
        """Close; an SQLite project first writes its WAL back into the file (so the file alone is the project)."""
        self._conn.close()

    def backup(self, dest: str | Path, *, overwrite: bool = False) -> Path:
        """A consistent copy of the project in one SQLite file, safe to take while the project is in use.

        An SQLite project is copied with SQLite's online backup API, so codings still in the
        write-ahead log are included (copying the ``.thematic`` file by hand while it is open may
        not include them); a PostgreSQL project is copied with :func:`thematic.store.copy_project`
        (verified by counts and checksums). The copy is written atomically and never replaces
        the project.
        """
        from ..outfiles import write_atomic

        dest = Path(dest)
        if self.engine == "sqlite" and self.path != ":memory:" and dest.resolve() == Path(self.path).resolve():
            raise StoreError(Errors.S012.format(path=dest, detail="it is the project itself; choose another name"),
                             path=dest)
        if dest.exists() and not overwrite:
            raise StoreError(Errors.S012.format(path=dest, detail="the file exists already; choose a new name "
                                                                  "or pass overwrite=True (--overwrite)"), path=dest)

        def write(tmp: Path) -> None:
            if self.engine == "sqlite":
                self._conn.backup_to(tmp)
                return
            from .copy import copy_project

            copy_project(self, tmp)
            single_file(tmp)

        return write_atomic(dest, write)

    def __enter__(self) -> "Project":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextlib.contextmanager
    def atomic(self) -> Iterator:
        """One transaction (a savepoint when nested); rolls back and re-raises on any error."""
        conn = self._conn
        if self._depth == 0:
            conn.begin()
        else:
            conn.savepoint(f"sp{self._depth}")
        self._depth += 1
        try:
            yield conn
        except BaseException as exc:
            self._depth -= 1
            with contextlib.suppress(StoreError):  # a lost server rolled back by itself; keep the first error
                if self._depth == 0:
                    conn.end(False)
                else:
                    conn.savepoint(f"sp{self._depth}", "ROLLBACK TO")
            translated = conn.translate(exc) if self._depth == 0 else None  # a full disk, a read-only file
            if translated is not None:
                raise translated from None
            raise
        else:
            self._depth -= 1
            if self._depth == 0:
                conn.end(True)
            else:
                conn.savepoint(f"sp{self._depth}", "RELEASE")

    def _log(self, conn, coder: str, action: str, payload: dict) -> int:
        return int(conn.execute("INSERT INTO events (at, coder, action, payload) VALUES (?, ?, ?, ?) RETURNING event_id",
                                (now(), coder, action, json.dumps(payload, ensure_ascii=False))).fetchone()[0])

    # -- documents --------------------------------------------------------------------------

    def add(self, corpus: Corpus | Iterable[Document], *, coder: str = "thematic") -> AddReport:
        """Store documents; a changed document keeps its codings, re-anchored by quote and context."""
        report = AddReport()
        unplaced = []
        with self.atomic() as conn:
            conn.lock("documents")
            event = self._log(conn, coder, "add", {})
            for doc in corpus:
                sha = hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
                row = conn.execute("SELECT sha256, text FROM documents WHERE doc_id = ?", (doc.doc_id,)).fetchone()
                if row and row[0] == sha:
                    report.unchanged.append(doc.doc_id)
                    self._write_document(conn, doc, sha, replace=True)
                    continue
                self._write_document(conn, doc, sha, replace=row is not None)
                if row is None:
                    report.added.append(doc.doc_id)
                else:
                    report.updated.append(doc.doc_id)
                    moved, lost = self._reanchor(conn, doc, event)
                    report.reanchored += moved
                    unplaced.extend(lost)
            conn.execute("UPDATE events SET payload = ? WHERE event_id = ?",
                         (json.dumps({"added": report.added, "updated": report.updated}), event))
        report.unplaced_rows = unplaced
        return report

    def _write_document(self, conn, doc: Document, sha: str, replace: bool) -> None:
        values = (doc.doc_id, doc.text, sha, doc.path, doc.format, doc.language, doc.case,
                  json.dumps(dict(doc.attributes), ensure_ascii=False, default=str), json.dumps(doc.line_map), now())
        if replace:
            conn.execute('UPDATE documents SET text=?, sha256=?, path=?, format=?, language=?, "case"=?, '
                         'attributes=?, line_map=? WHERE doc_id=?', values[1:9] + (doc.doc_id,))
            conn.execute("DELETE FROM segments WHERE doc_id = ?", (doc.doc_id,))
        else:
            conn.execute("INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?)", values)
        conn.executemany(
            'INSERT INTO segments (doc_id, idx, start, "end", speaker, role, turn, informant, line_start, line_end, '
            "time_start, time_end, words, page, heading) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(doc.doc_id, s.index, s.start, s.end, s.speaker, s.role, s.turn, s.informant, s.line_start,
              s.line_end, s.time_start, s.time_end, words, s.page, s.heading)
             for s, words in zip(doc.segments, segment_words(doc.text, doc.segments))])

    def _reanchor(self, conn, doc: Document, event: int) -> tuple[int, list[tuple]]:
        rows = conn.execute("SELECT coding_id, start, quote, before, after, code, coder, status FROM codings "
                            "WHERE doc_id = ?", (doc.doc_id,)).fetchall()
        moved, lost = 0, []
        for coding_id, start, quote, before, after, code, coder, status in rows:
            placed = anchor.place(quote, before, after, start, doc.text)
            if status in ("removed", "superseded"):
                # Out of sight, but an undo may bring it back: it moves with the text (its status and
                # history untouched); one that cannot be placed is caught when restored (_revert_status).
                if placed is not None:
                    b, a = anchor.context(doc.text, placed.start, placed.end)
                    line_start, line_end = doc.lines_of(placed.start, placed.end)
                    conn.execute('UPDATE codings SET start=?, "end"=?, seg_idx=?, line_start=?, line_end=?, '
                                 "quote=?, before=?, after=? WHERE coding_id=?",
                                 (placed.start, placed.end, _segment_at(doc, placed.start), line_start, line_end,
                                  doc.text[placed.start:placed.end], b, a, coding_id))
                continue
            if placed is None:
                conn.execute("UPDATE codings SET status = 'unplaced', changed_event = ? WHERE coding_id = ?",
                             (event, coding_id))
                lost.append((coding_id, doc.doc_id, code, coder, quote))
                continue
            b, a = anchor.context(doc.text, placed.start, placed.end)
            line_start, line_end = doc.lines_of(placed.start, placed.end)
            conn.execute('UPDATE codings SET start=?, "end"=?, seg_idx=?, line_start=?, line_end=?, quote=?, '
                         "before=?, after=?, status=?, changed_event=? WHERE coding_id=?",
                         (placed.start, placed.end, _segment_at(doc, placed.start), line_start, line_end,
                          doc.text[placed.start:placed.end], b, a,
                          "active" if status == "unplaced" else status, event, coding_id))
            moved += 1
        return moved, lost

    def documents_iter(self) -> Iterator[Document]:
        """Stored documents one at a time (for corpora too large to hold)."""
        ids = [r[0] for r in self._conn.execute("SELECT doc_id FROM documents ORDER BY doc_id")]
        for doc_id in ids:
            yield self.document(doc_id)

    def document(self, doc_id: str) -> Document:
        row = self._conn.execute('SELECT doc_id, text, path, format, language, "case", attributes, line_map '
                                 "FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        if row is None:
            raise NotFoundError(Errors.S003.format(doc_id=doc_id, known=", ".join(self._doc_ids()[:20])))
        segs = tuple(Segment(doc_id, idx, start, end, speaker or "", role or "unknown", turn or 0, informant or "",
                             ls, le, ts, te, page, heading or "")
                     for idx, start, end, speaker, role, turn, informant, ls, le, ts, te, page, heading
                     in self._conn.execute(
                         'SELECT idx, start, "end", speaker, role, turn, informant, line_start, line_end, '
                         "time_start, time_end, page, heading FROM segments WHERE doc_id = ? ORDER BY idx", (doc_id,)))
        return Document(row[0], row[1], row[2] or "", row[3] or "txt", row[4], row[5] or "", json.loads(row[6]),
                        segs, tuple(tuple(x) for x in json.loads(row[7])))

    @property
    def documents(self) -> list[Document]:
        return list(self.documents_iter())

    @property
    def corpus(self) -> Corpus:
        return Corpus(self.documents, root=self.path)

    def _doc_ids(self) -> list[str]:
        return [r[0] for r in self._conn.execute("SELECT doc_id FROM documents ORDER BY doc_id")]

    @property
    def doc_ids(self) -> list[str]:
        """The stored documents' ids, sorted (no document is read)."""
        return self._doc_ids()

    @property
    def segments(self) -> pd.DataFrame:
        """One row per segment, with its text (``thematic.types.SEGMENT_COLUMNS``)."""
        return self._segments(with_text=True)

    def _segments(self, with_text: bool) -> pd.DataFrame:
        text = ', substr(d.text, s.start + 1, s."end" - s.start) AS text' if with_text else ""
        frame = self._conn.frame(
            "SELECT s.doc_id, s.doc_id || ':' || s.idx AS segment_id, s.idx AS \"index\", d.\"case\" AS \"case\", "
            "s.speaker, s.role, CASE WHEN s.role = 'informant' THEN coalesce(nullif(s.informant, ''), s.speaker) "
            "ELSE '' END AS informant, s.start, s.\"end\", s.line_start, s.line_end, s.time_start, s.time_end, "
            "s.page, coalesce(s.heading, '') AS heading, "
            f"s.words{text} FROM segments s JOIN documents d USING (doc_id) ORDER BY s.doc_id, s.idx")
        for c in ("index", "start", "end", "line_start", "line_end", "page", "words"):
            frame[c] = frame[c].astype("Int64")
        for c in ("doc_id", "segment_id", "case", "speaker", "role", "informant"):
            frame[c] = frame[c].astype("category")
        return frame

    @property
    def cases(self) -> pd.DataFrame:
        from ..corpus import cases_frame

        rows = self._conn.execute('SELECT doc_id, text, path, format, language, "case", attributes FROM documents '
                                  "ORDER BY doc_id").fetchall()
        return cases_frame(Document(r[0], "", r[2] or "", r[3] or "", r[4], r[5] or "", json.loads(r[6]))
                           for r in rows)

    # -- codebooks --------------------------------------------------------------------------

    def add_codebook(self, codebook) -> None:
        """Store a codebook version (once per distinct content) and make it the current one."""
        with self.atomic() as conn:
            self._store_codebook(conn, codebook)

    @property
    def codebook(self):
        """The most recently stored codebook (``None`` if none)."""
        row = self._conn.execute("SELECT id FROM codebooks ORDER BY id DESC LIMIT 1").fetchone()
        if row is None:
            return None
        cached = getattr(self, "_codebook_cache", None)
        if cached is not None and cached[0] == row[0]:
            return cached[1]  # parsing the YAML again takes about a second; the stored text never changes
        from ..codebook import Codebook

        text, name = self._conn.execute("SELECT source_text, codebook_id FROM codebooks WHERE id = ?",
                                        (row[0],)).fetchone()
        book = Codebook.loads(text, path=f"<{name} stored in {self.path}>")
        self._codebook_cache = (row[0], book)
        return book

    def _known_codes(self) -> set[str] | None:
        # Parsing the codebook's YAML takes a good part of a second: keep its code ids per fingerprint,
        # so that a coder's every click costs one small query (another coder may store a new version).
        row = self._conn.execute("SELECT fingerprint FROM codebooks ORDER BY id DESC LIMIT 1").fetchone()
        if row is None:
            return None
        if row[0] not in self._codes:
            self._codes[row[0]] = {c.id for c in self.codebook.codes}
        return self._codes[row[0]]

    def _check_code(self, code: str) -> None:
        known = self._known_codes()
        if known is not None and code not in known:
            close = ", ".join(difflib.get_close_matches(code, sorted(known), n=3)) or "none"
            raise CodebookError(Errors.S006.format(code=code, close=close))

    # -- coding ------------------------------------------------------------------------------

    def code(self, doc_id: str, *, code: str, coder: str, quote: str | None = None, start: int | None = None,
             end: int | None = None, segment_id: str | None = None, occurrence: int | None = None,
             memo: str | None = None) -> int:
        """Code a span by hand: by ``quote``, by ``start``/``end`` or by ``segment_id``; returns the coding id.

        Idempotent: coding the same span with the same code again (a notebook cell run twice)
        returns the existing coding instead of adding a duplicate.
        """
        _need_coder(coder, "coding")
        self._check_code(code)
        doc = self.document(doc_id)
        start, end = _locate(doc, quote, start, end, segment_id, occurrence)
        with self.atomic() as conn:
            conn.lock(f"code:{doc.doc_id}:{coder}")  # a retried request waits and then finds its coding
            existing = conn.execute(
                'SELECT coding_id FROM codings WHERE doc_id = ? AND start = ? AND "end" = ? AND code = ? AND coder = ? '
                "AND source = 'manual' AND status = 'active'", (doc.doc_id, start, end, code, coder)).fetchone()
            if existing is not None:
                return int(existing[0])
            event = self._log(conn, coder, "code", {})
            coding_id = self._insert(conn, doc, start, end, code, coder, "manual", "active", event)
            if memo:
                conn.execute("INSERT INTO memos (target_kind, target_id, text, coder, created_at) VALUES (?,?,?,?,?)",
                             ("coding", str(coding_id), memo, coder, now()))
            conn.execute("UPDATE events SET payload = ? WHERE event_id = ?", (json.dumps({"coding_id": coding_id}), event))
        return coding_id

    def _insert(self, conn, doc: Document, start: int, end: int, code: str, coder: str, source: str, status: str,
                event: int, rule: str = "", matched: str = "", codebook: str = "") -> int:
        b, a = anchor.context(doc.text, start, end)
        line_start, line_end = doc.lines_of(start, end)
        return int(conn.execute(
            'INSERT INTO codings (doc_id, seg_idx, start, "end", line_start, line_end, code, theme, coder, source, '
            "rule, matched, status, codebook, quote, before, after, created_at, created_event) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING coding_id",
            (doc.doc_id, _segment_at(doc, start), start, end, line_start, line_end, code, theme_of(code), coder, source,
             rule, matched, status, codebook, doc.text[start:end], b, a, now(), event)).fetchone()[0])

    def uncode(self, coding_id: int | None = None, *, coder: str, doc_id: str | None = None,
               code: str | None = None, quote: str | None = None) -> list[int]:
        """Remove codings (kept in the log, so :meth:`undo` restores them); returns their ids."""
        _need_coder(coder, "uncoding")
        if coding_id is not None:
            ids = [coding_id]
            self._existing(ids)
        else:
            ids = [r[0] for r in self._conn.execute(
                "SELECT coding_id, quote FROM codings WHERE doc_id = ? AND code = ? AND status IN ('active','pending') "
                "ORDER BY coding_id", (doc_id, code)) if not quote or quote in r[1]]
            if not ids:
                raise NotFoundError(Errors.S007.format(coding_id=f"for {doc_id} / {code}"))
        return self._set_status(ids, "removed", coder, "uncode")

    # -- settings ------------------------------------------------------------------------------

    @property
    def settings(self) -> dict:
        """The project's settings (for example ``coder``, the default coder of the notebook views)."""
        return {k[len("setting."):]: json.loads(v) for k, v in self._conn.execute(
            "SELECT key, value FROM meta WHERE substr(key, 1, 8) = 'setting.' ORDER BY key")}

    def set_setting(self, key: str, value) -> None:
        """Store one setting (a JSON value; ``None`` removes it), e.g. ``set_setting("coder", "ida")``."""
        with self.atomic() as conn:
            if value is None:
                conn.execute("DELETE FROM meta WHERE key = ?", (f"setting.{key}",))
            else:
                conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) "  # both engines' upsert
                             "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                             (f"setting.{key}", json.dumps(value, ensure_ascii=False)))

    # -- memos, log, undo ---------------------------------------------------------------------

    def memo(self, text: str, *, coder: str, code: str | None = None, doc_id: str | None = None,
             coding_id: int | None = None) -> int:
        """Write a memo on a code, a document, a coding, or (no target) the project."""
        _need_coder(coder, "writing a memo")
        targets = [(k, v) for k, v in (("code", code), ("document", doc_id), ("coding", coding_id)) if v is not None]
        kind, target = targets[0] if targets else ("project", "")
        if kind == "document":
            self.document(str(target))
        if kind == "code":
            self._check_code(str(code))
            if self._known_codes() is None and self._conn.execute(
                    "SELECT 1 FROM codings WHERE code = ? LIMIT 1", (str(code),)).fetchone() is None:
                raise CodebookError(Errors.S006.format(code=code, close="none (the project has no codebook and no "
                                                                        "coding uses this code)"))
        if kind == "coding":
            self._existing([int(target)])
        with self.atomic() as conn:
            memo_id = int(conn.execute("INSERT INTO memos (target_kind, target_id, text, coder, created_at) "
                                       "VALUES (?,?,?,?,?) RETURNING memo_id",
                                       (kind, str(target), text, coder, now())).fetchone()[0])
            self._log(conn, coder, "memo", {"memo_id": memo_id})
        return memo_id

    @property
    def memos(self) -> pd.DataFrame:
        return self._conn.frame("SELECT * FROM memos ORDER BY memo_id")

    @property
    def events(self) -> pd.DataFrame:
        return self._conn.frame("SELECT * FROM events ORDER BY event_id")

    @property
    def last_event_id(self) -> int:
        """The newest entry in the event log (0 for none): it changes with every logged write, by anyone."""
        return int(self._conn.execute("SELECT coalesce(max(event_id), 0) FROM events").fetchone()[0])

    def undo(self, n: int = 1, *, coder: str | None = None) -> list[str]:
        """Revert the last ``n`` actions (with ``coder=``, only that coder's, even when others have
        acted since); returns what was undone. Each undo is one transaction.

        A coding another coder has changed since the undone action is left as they made it
        (the first to save wins); the skip is logged as a ``conflict`` event and announced.
        """
        done = []
        for _ in range(n):
            with self.atomic() as conn:
                conn.lock("undo")  # two undos never pick the same action
                sql = ("SELECT event_id, action, payload, coder FROM events "
                       "WHERE undone = 0 AND action NOT IN ('undo', 'conflict')")
                args: list = []
                if coder:
                    sql, args = sql + " AND coder = ?", [coder]
                row = conn.execute(sql + " ORDER BY event_id DESC LIMIT 1", args).fetchone()
                if row is None:
                    if done:
                        break
                    raise StoreError(Errors.S008)
                event, action, payload, who = row[0], row[1], json.loads(row[2]), row[3]
                self._revert(conn, event, action, payload, coder or who)
                conn.execute("UPDATE events SET undone = 1 WHERE event_id = ?", (event,))
                self._log(conn, coder or who, "undo", {"event_id": event, "action": action})
            done.append(action)
        return done

    def _revert(self, conn, event: int, action: str, payload: dict, by: str) -> None:
        if action in ("code", "autocode", "add_codings"):
            made = conn.execute(f"SELECT coding_id, status, changed_event FROM codings WHERE created_event = ? "
                                f"ORDER BY coding_id{conn.for_update}", (event,)).fetchall()
            clashes = self._clashes(conn, by, [(i, status, e) for i, status, e in made if e != event])
            self._conflicts(conn, by, "undo", clashes)
            keep = {c[0] for c in clashes}
            gone = [(str(i),) for i, _, _ in made if i not in keep]
            conn.executemany("DELETE FROM memos WHERE target_kind = 'coding' AND target_id = ?", gone)
            conn.executemany("DELETE FROM codings WHERE coding_id = ?", [(int(i),) for i, in gone])
            conn.execute("UPDATE codings SET status = 'pending' WHERE status = 'superseded' AND changed_event = ?",
                         (event,))
            if action == "autocode":
                self._restore_codebook(conn, payload)  # the codebook version before the re-coding
        elif action in ("uncode", "accept", "reject"):
            self._revert_status(conn, action, payload, event, by)
        elif action in ("rename_code", "merge_codes", "move_code"):
            self._revert_code_edit(conn, payload)
        elif action == "memo":
            conn.execute("DELETE FROM memos WHERE memo_id = ?", (payload["memo_id"],))
        else:
            raise StoreError(Errors.A002.format(detail=f"the last action ({action}) cannot be undone; "
                                                       "undo earlier actions with coder=... or edit by hand"))

    # -- reading codings ---------------------------------------------------------------------

    @property
    def codings(self) -> pd.DataFrame:
        """Visible codings (people's, imported and pending rule codings; not rejected, removed,
        unplaced or unreviewed suggestions) with ``CODING_COLUMNS`` then coding_id, status, created_at,
        reviewed_by (who accepted it; empty until reviewed), reviewed_at and words.

        ``df.attrs["thematic"]`` carries the segments (without text) and cases tables for coverage.
        """
        return self.codings_frame()

    def codings_frame(self, statuses: tuple[str, ...] = VISIBLE, include_suggestions: bool = False,
                      doc_id: str | None = None) -> pd.DataFrame:
        """Codings with these statuses (of one document when ``doc_id`` is given), as :attr:`codings`."""
        marks = ",".join("?" * len(statuses))
        sql = ('SELECT c.doc_id, d."case" AS "case", coalesce(s.speaker, \'\') AS speaker, '
               "coalesce(s.role, 'unknown') AS role, CASE WHEN c.seg_idx IS NULL THEN '' ELSE c.doc_id || ':' || "
               'c.seg_idx END AS segment_id, c.start, c."end", c.line_start, c.line_end, c.code, c.theme, c.coder, '
               "c.source, c.rule, c.matched, c.quote AS text, c.coding_id, c.status, c.created_at, c.reviewed_by, "
               "c.reviewed_at, "
               "CASE WHEN trim(c.quote) = '' THEN 0 ELSE length(trim(c.quote)) - "
               "length(replace(replace(replace(trim(c.quote), ' ', ''), '\n', ''), '\t', '')) + 1 END AS words "
               "FROM codings c JOIN documents d USING (doc_id) "
               "LEFT JOIN segments s ON s.doc_id = c.doc_id AND s.idx = c.seg_idx "
               f"WHERE c.status IN ({marks})")
        if not include_suggestions:
            sql += " AND NOT (c.source = 'suggestion' AND c.status = 'pending')"
        params = tuple(statuses)
        if doc_id is not None:
            sql, params = sql + " AND c.doc_id = ?", params + (doc_id,)
        frame = self._conn.frame(sql + " ORDER BY c.doc_id, c.start, c.coding_id", params)
        for c in ("start", "end", "line_start", "line_end"):
            frame[c] = frame[c].astype("Int64")
        frame = frame[CODING_COLUMNS + ["coding_id", "status", "created_at", "reviewed_by", "reviewed_at", "words"]]
        for c in ("doc_id", "case", "speaker", "role", "segment_id", "code", "theme", "coder", "source", "status"):
            frame[c] = frame[c].astype("category")  # small and fast to group: analysis works on the codes
        return attach(frame, self._segments(with_text=False), self.cases)

    # Read-only views without arguments are properties (codings, memos, events, segments, cases,
    # documents, status, unplaced, codebook_versions, codebook_changes); queries that take arguments
    # are methods (codings_frame, review_queue, document). status and unplaced were methods before
    # 0.2: calling them still works, with a DeprecationWarning (_View).

    @property
    def unplaced(self) -> pd.DataFrame:
        """Codings that could not be re-anchored after a transcript was edited."""
        return _view_class().of(self.codings_frame(statuses=("unplaced",), include_suggestions=True), "unplaced")

    @property
    def status(self) -> pd.DataFrame:
        """Counts of codings by coder, source, status and reviewer."""
        return _view_class().of(self._conn.frame(STATUS_SQL), "status")  # `thematic status` reads it as plain rows

    def status_rows(self):
        """:attr:`status` as plain rows (``store.summary.Rows``), read without pandas: what ``thematic code``
        prints after coding (importing pandas for five rows took 0.3 s of the command)."""
        from .summary import rows_of

        return rows_of(self._conn.execute(STATUS_SQL))

    def copy_for_coder(self, path: str | Path, *, include_codings: bool = False) -> "Project":
        """A copy of the project for a second coder (a new file or ``postgresql://`` schema):
        documents and codebooks, without codings."""
        from .copy import copy_project
        from .engine import is_url

        if not is_url(path) and Path(path).exists():
            raise StoreError(Errors.S001.format(path=path, detail="the file exists already; choose a new name"))
        copy_project(self, path)
        copy = Project.open(path)
        copy.set_setting("coder", None)  # the copy is for someone else: their views must not code as this coder
        if not include_codings:
            with copy.atomic() as conn:
                for table in ("codings", "rejections", "memos", "events"):
                    conn.execute(f"DELETE FROM {table}")
        return copy

    def __repr__(self) -> str:
        return describe(self._conn, self.path)
