"""Revising codes in a project: rename, merge and move (a part of :class:`thematic.Project`).

Each revision stores the next codebook version (``thematic.codebook.edit``), moves every
coding, rejection and code memo to the new ids, and is one event in the log, so
:meth:`Project.undo` restores the codings and the codebook version as they were. Merging
collapses codings of the same span by the same coder into one (status ``merged`` for the
others); codings by different coders stay distinct, so each author's coding is kept.
Authors, sources and spans are never changed.
"""

from __future__ import annotations

import json

from typing import TYPE_CHECKING

from ..errors import CodebookError, Errors
from ..types import theme_of
from .rows import _need_coder
from .schema import now

if TYPE_CHECKING:  # pandas loads where a table is made: re-coding never makes one
    import pandas as pd


class Codes:
    """rename_code, merge_codes, move_code, the codebook's versions and what changed between them."""

    def rename_code(self, old: str, new: str, *, coder: str) -> dict:
        """Rename code ``old`` (and its sub-codes) to ``new`` (a full id under the same parent, or a slug)."""
        from ..codebook import edit

        _need_coder(coder, "renaming a code")
        book = self._book_to_edit()
        new_book, mapping = edit.rename(book, old, new)
        return self._apply_code_edit("rename_code", book, new_book, mapping, coder)

    def merge_codes(self, codes: list[str], *, into: str, coder: str) -> dict:
        """Merge ``codes`` into ``into`` (one of them, another code, or a new id); rules follow."""
        from ..codebook import edit

        _need_coder(coder, "merging codes")
        if isinstance(codes, str):
            codes = [codes]
        book = self._book_to_edit()
        new_book, mapping = edit.merge(book, list(codes), into)
        return self._apply_code_edit("merge_codes", book, new_book, mapping, coder)

    def move_code(self, code: str, *, parent: str | None, coder: str) -> dict:
        """Move ``code`` (and its sub-codes) under ``parent`` (a theme or code; ``None``: make it a theme)."""
        from ..codebook import edit

        _need_coder(coder, "moving a code")
        book = self._book_to_edit()
        new_book, mapping = edit.move(book, code, parent)
        return self._apply_code_edit("move_code", book, new_book, mapping, coder)

    @property
    def codebook_versions(self) -> pd.DataFrame:
        """Every stored codebook version, oldest first (the last is :attr:`codebook`)."""
        return self._conn.frame("SELECT codebook_id, version, fingerprint, added_at FROM codebooks ORDER BY id")

    @property
    def codebook_changes(self) -> dict[str, list]:
        """Codes added, removed, renamed and merged between the previous codebook version and the current one."""
        from ..codebook import Codebook, edit

        rows = self._conn.execute("SELECT source_text, fingerprint FROM codebooks ORDER BY id DESC LIMIT 2").fetchall()
        if not rows:
            return {"added": [], "removed": [], "renamed": [], "merged": []}
        new = Codebook.loads(rows[0][0])
        old = Codebook.loads(rows[1][0]) if len(rows) > 1 else None
        mapping: dict[str, str] = {}
        for (payload,) in self._conn.execute(
                "SELECT payload FROM events WHERE undone = 0 AND action IN ('rename_code', 'merge_codes', 'move_code') "
                "ORDER BY event_id"):
            data = json.loads(payload)
            if data.get("codebook_after") == rows[0][1]:
                mapping.update(data.get("mapping", {}))
        return edit.diff(old, new, mapping)

    # -- internals ---------------------------------------------------------------------------

    def _book_to_edit(self):
        book = self.codebook
        if book is None:
            raise CodebookError(Errors.S006.format(code="(any)", close="none; the project has no codebook yet "
                                                                       "(project.add_codebook or thematic code)"))
        return book

    def _store_codebook(self, conn, book) -> tuple[str | None, bool]:
        """Make ``book`` the latest version; returns the previous latest fingerprint and whether it is new."""
        before = conn.execute("SELECT fingerprint FROM codebooks ORDER BY id DESC LIMIT 1").fetchone()
        row = conn.execute("SELECT codebook_id, version, source_text, added_at FROM codebooks WHERE fingerprint = ?",
                           (book.fingerprint,)).fetchone()
        if row is not None:  # an earlier version again: move it to the end, keeping when it was first added
            conn.execute("DELETE FROM codebooks WHERE fingerprint = ?", (book.fingerprint,))
            values = (row[0], row[1], book.fingerprint, row[2], row[3])
        else:
            values = (book.id, book.version, book.fingerprint, book.source_text, now())
        conn.execute("INSERT INTO codebooks (codebook_id, version, fingerprint, source_text, added_at) "
                     "VALUES (?, ?, ?, ?, ?)", values)
        return (before[0] if before else None), row is None

    def _restore_codebook(self, conn, payload: dict) -> None:
        """Undo :meth:`_store_codebook`: the version before is the latest again."""
        if payload.get("created") and payload.get("codebook_after"):
            conn.execute("DELETE FROM codebooks WHERE fingerprint = ?", (payload["codebook_after"],))
        before = payload.get("codebook_before")
        if before:
            row = conn.execute("SELECT codebook_id, version, source_text, added_at FROM codebooks "
                               "WHERE fingerprint = ?", (before,)).fetchone()
            if row is not None:
                conn.execute("DELETE FROM codebooks WHERE fingerprint = ?", (before,))
                conn.execute("INSERT INTO codebooks (codebook_id, version, fingerprint, source_text, added_at) "
                             "VALUES (?, ?, ?, ?, ?)", (row[0], row[1], before, row[2], row[3]))

    def _apply_code_edit(self, action: str, book, new_book, mapping: dict[str, str], coder: str) -> dict:
        marks = ",".join("?" * len(mapping))
        with self.atomic() as conn:
            conn.lock("autocode")  # a code revision and a re-coding never interleave
            event = self._log(conn, coder, action, {})
            before, created = self._store_codebook(conn, new_book)
            codings = conn.execute(f"SELECT coding_id, code, theme FROM codings WHERE code IN ({marks})",
                                   list(mapping)).fetchall() if mapping else []
            conn.executemany("UPDATE codings SET code = ?, theme = ? WHERE coding_id = ?",
                             [(mapping[code], theme_of(mapping[code]), cid) for cid, code, _ in codings])
            rejections = conn.execute(f'SELECT doc_id, start, "end", code, coder, at FROM rejections '
                                      f"WHERE code IN ({marks})", list(mapping)).fetchall() if mapping else []
            added_rejections = []
            for doc_id, start, end, code, who, at in rejections:
                there = conn.execute('SELECT 1 FROM rejections WHERE doc_id = ? AND start = ? AND "end" = ? AND code = ?',
                                     (doc_id, start, end, mapping[code])).fetchone()
                if there is None:
                    conn.execute("INSERT INTO rejections VALUES (?,?,?,?,?,?)",
                                 (doc_id, start, end, mapping[code], who, at))
                    added_rejections.append((doc_id, start, end, mapping[code]))
                conn.execute('DELETE FROM rejections WHERE doc_id = ? AND start = ? AND "end" = ? AND code = ?',
                             (doc_id, start, end, code))
            memos = conn.execute(f"SELECT memo_id, target_id FROM memos WHERE target_kind = 'code' "
                                 f"AND target_id IN ({marks})", list(mapping)).fetchall() if mapping else []
            conn.executemany("UPDATE memos SET target_id = ? WHERE memo_id = ?",
                             [(mapping[target], memo_id) for memo_id, target in memos])
            collapsed = self._collapse(conn, sorted({mapping[c] for _, c, _ in codings}), event)
            payload = {"mapping": mapping, "codings": codings, "collapsed": collapsed, "rejections": rejections,
                       "added_rejections": added_rejections, "memos": memos, "codebook_before": before,
                       "codebook_after": new_book.fingerprint, "created": created,
                       "versions": [book.version, new_book.version]}
            conn.execute("UPDATE events SET payload = ? WHERE event_id = ?", (json.dumps(payload, ensure_ascii=False),
                                                                             event))
        return {"codebook_version": new_book.version, "mapping": mapping, "codings": len(codings),
                "collapsed": len(collapsed), "event": event}

    @staticmethod
    def _collapse(conn, codes: list[str], event: int) -> list[tuple[int, str, int | None]]:
        """Codings of the same span, code and coder become one: the kept one is active, reviewed, oldest."""
        if not codes:
            return []
        marks = ",".join("?" * len(codes))
        rows = conn.execute(
            'SELECT coding_id, doc_id, start, "end", code, coder, status, changed_event FROM codings '
            f"WHERE code IN ({marks}) AND status IN ('active', 'pending') "
            "ORDER BY doc_id, start, \"end\", code, coder, status = 'active' DESC, reviewed_by != '' DESC, coding_id",
            codes).fetchall()
        collapsed, last = [], None
        for coding_id, doc_id, start, end, code, who, status, changed in rows:
            key = (doc_id, start, end, code, who)
            if key == last:
                collapsed.append((coding_id, status, changed))
            last = key
        conn.executemany("UPDATE codings SET status = 'merged', changed_event = ? WHERE coding_id = ?",
                         [(event, cid) for cid, _, _ in collapsed])
        return collapsed

    def _revert_code_edit(self, conn, payload: dict) -> None:
        conn.executemany("UPDATE codings SET code = ?, theme = ? WHERE coding_id = ?",
                         [(code, theme, cid) for cid, code, theme in payload["codings"]])
        conn.executemany("UPDATE codings SET status = ?, changed_event = ? WHERE coding_id = ?",
                         [(status, changed, cid) for cid, status, changed in payload["collapsed"]])
        conn.executemany('DELETE FROM rejections WHERE doc_id = ? AND start = ? AND "end" = ? AND code = ?',
                         [tuple(r) for r in payload["added_rejections"]])
        conn.executemany("INSERT INTO rejections VALUES (?,?,?,?,?,?) ON CONFLICT DO NOTHING",
                         [tuple(r) for r in payload["rejections"]])
        conn.executemany("UPDATE memos SET target_id = ? WHERE memo_id = ?",
                         [(target, memo_id) for memo_id, target in payload["memos"]])
        self._restore_codebook(conn, payload)
