"""Coding many passages at once: rule coding (:meth:`Project.autocode`), bulk imports of codings
(``add_codings``, ``restore_codings``), and what storing documents did (:class:`AddReport`); a part of
:class:`thematic.Project`.

Rule coding streams documents through the coder (``thematic.coding.incremental``) and writes only the
(unit, code) groups that changed; a person's codings and rejected ones are never touched.
"""

from __future__ import annotations

import json
from itertools import repeat
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable

from ..corpus import Document
from ..errors import Errors, StoreError
from ..types import theme_of
from . import anchor
from .memory import _Memory
from .review import MACHINE_SOURCES
from .rows import _FIELDS as RECORD_FIELDS, _columns_of, _frame, _int, _Row, _segment_at
from .schema import now

if TYPE_CHECKING:  # pandas loads where a table is made: rule coding never makes one
    import pandas as pd


_UNPLACED_COLUMNS = ["coding_id", "doc_id", "code", "coder", "quote"]


def _unread_stream(documents) -> bool:
    """Whether ``documents`` is a :class:`~thematic.transcripts.DocumentStream` nobody has read from yet
    (imported only then: re-coding after a codebook edit reads no files and need not load the readers)."""
    from ..transcripts import DocumentStream

    return isinstance(documents, DocumentStream) and not documents.started


@dataclass
class AddReport:
    """What :meth:`Project.add` did; ``unplaced`` lists codings that could not be re-anchored."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    reanchored: int = 0
    unplaced_rows: list[tuple] = field(default_factory=list, repr=False)

    @property
    def unplaced(self) -> pd.DataFrame:
        """The codings that could not be re-anchored (coding_id, doc_id, code, coder, quote): a table
        made when asked for, so that storing documents does not import pandas (0.4 s)."""
        return _frame(self.unplaced_rows, columns=_UNPLACED_COLUMNS)

    def merge(self, other: "AddReport") -> None:
        """Add another report's counts and lists to this one (documents stored in batches)."""
        self.added += other.added
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.reanchored += other.reanchored
        self.unplaced_rows += other.unplaced_rows

    def describe(self) -> str:
        """``"documents: 12 added, 0 updated, 3 unchanged"`` (and the codings re-anchored or not placed)."""
        text = f"documents: {len(self.added)} added, {len(self.updated)} updated, {len(self.unchanged)} unchanged"
        if self.reanchored or self.unplaced_rows:
            text += f"; codings re-anchored: {self.reanchored}, could not be placed: {len(self.unplaced_rows)}"
        return text

    def __repr__(self) -> str:
        return (f"AddReport(added={len(self.added)}, updated={len(self.updated)}, unchanged={len(self.unchanged)}, "
                f"reanchored={self.reanchored}, unplaced={len(self.unplaced_rows)})")


class Autocoding:
    """autocode, add_codings, restore_codings and the bulk writes they share."""

    def autocode(self, codebook, *, unit: str = "sentence", include_interviewer: bool = False, cache=None,
                 n_process: int = 1, documents: Iterable[Document] | None = None) -> dict:
        """Rule-code every stored document with ``codebook``; returns counts.

        ``documents`` (for example ``th.transcripts.iter_documents(folder)``) are added to the
        project and coded in one pass, batch by batch, without being read back from the store:
        ``project.autocode(book, documents=iter_documents("transcripts/"))`` is
        ``project.add(...)`` and then ``project.autocode(book)``, with less time and memory.
        ``n_process=2`` parses and codes in two worker processes; given ``iter_documents(...)``, the
        workers also read and ingest the files, and this process only checks and stores what they send.

        With ``documents``, the result's ``"added"`` is the :class:`AddReport` of storing them.

        Replaces only this codebook's earlier *pending* rule codings; never touches a
        person's coding; skips rejected codings and ones already accepted or made by hand.

        The first coding remembers each document's token arrays, units and rule hits
        (``thematic.coding.incremental``); after a codebook edit only added or changed rules are
        matched, over those arrays (no parsing), and only the documents where an added or removed
        rule matches, or whose codings people changed since, are coded and written again.
        """
        from ..codebook.edit import diff
        from ..coding.incremental import code_with_memory, memory_version

        previous = self.codebook
        changes = diff(previous, codebook) if previous is not None and previous.fingerprint != codebook.fingerprint \
            else {"added": [], "removed": [], "renamed": [], "merged": []}
        version = memory_version(unit, include_interviewer)
        if cache is None:
            from ..coding.remember import Workers

            state = self._autocode_state(codebook.id, version)
            workers = Workers(codebook, unit, include_interviewer, n_process) if n_process > 1 else None
            try:
                if workers is not None and documents is not None and _unread_stream(documents):
                    documents = workers.documents(documents)  # the workers read, ingest, parse and code the files
                memory = _Memory(self, documents, AddReport() if documents is not None else None)
                rows, scope, _ = code_with_memory(memory, codebook, unit=unit, include_interviewer=include_interviewer,
                                                  previous=state[1] if state else None,
                                                  touched=state[2] if state else set(), n_process=n_process,
                                                  workers=workers)
            finally:
                if workers is not None:
                    workers.close()
            memory.finish()
            added = memory.added
            if state is None:
                scope = None  # every document was coded
        else:
            from ..coding import code_corpus

            added = self.add(documents) if documents is not None else None
            frame = code_corpus(self.documents_iter(), codebook, unit=unit, include_interviewer=include_interviewer,
                                cache=cache, n_process=n_process)
            rows = list(zip(*(frame[c].tolist() for c in RECORD_FIELDS))) if len(frame) else []
            scope, state = None, None
        with self.atomic() as conn:
            # Two runs never interleave: the second waits here, then sees what the first wrote.
            conn.lock("autocode")
            if state is not None and self._autocode_state(codebook.id, version, conn) != state:
                # another run changed this codebook's codings while we coded: code every document
                memory = _Memory(self)
                rows, _, _ = code_with_memory(memory, codebook, unit=unit, include_interviewer=include_interviewer)
                scope = None
            result = self._write_autocode(conn, codebook, unit, version, rows, scope, changes)
        if added is not None:
            result["added"] = added  # what storing ``documents`` did (an AddReport, as Project.add returns)
        return result

    def _autocode_state(self, codebook_id: str, version: str, conn=None):
        """``(event, Previous, touched documents)`` of the last coding with this codebook id, if re-coding
        may start from it: it was not undone, nothing since renamed, merged or moved codes or undid an
        action, and it used the same units. ``touched``: documents whose codings changed since."""
        from ..coding.incremental import Previous

        conn = conn or self._conn
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (f"autocode.{codebook_id}",)).fetchone()
        if row is None:
            return None
        state = json.loads(row[0])
        event = int(state["event"])
        if state.get("version") != version or conn.execute(
                "SELECT count(*) FROM events WHERE event_id = ? AND undone = 0", (event,)).fetchone()[0] != 1:
            return None
        if conn.execute("SELECT count(*) FROM events WHERE event_id > ? AND action IN "
                        "('undo', 'rename_code', 'merge_codes', 'move_code')", (event,)).fetchone()[0]:
            return None
        touched = {r[0] for r in conn.execute(  # a union, so that both look-ups use their index (schema 8)
            "SELECT doc_id FROM codings WHERE created_event > ? UNION SELECT doc_id FROM codings WHERE changed_event > ?",
            (event, event))}
        return event, Previous(tuple(state["keys"]), state["semantics"]), touched

    def _write_autocode(self, conn, codebook, unit: str, version: str, rows: list[tuple], scope: set[str] | None,
                        changes: dict) -> dict:
        """Write a coding's rows: only the (unit, code) groups that changed, in the documents of ``scope``
        (all documents when None); the other documents keep their pending codings (their coder name
        is brought up to date)."""
        from ..coding.incremental import Previous
        from ..coding.records import Records

        def of_scope(sql: str, params: tuple = ()) -> list[tuple]:
            if scope is None:
                return conn.execute(sql, params).fetchall()
            ids, out = sorted(scope), []
            for i in range(0, len(ids), 500):
                chunk = ids[i:i + 500]
                out += conn.execute(f"{sql} AND doc_id IN ({','.join('?' * len(chunk))})", params + tuple(chunk)
                                    ).fetchall()
            return out

        rejected = set(of_scope('SELECT doc_id, start, "end", code FROM rejections WHERE 1 = 1'))
        taken = set(of_scope('SELECT doc_id, start, "end", code FROM codings WHERE status = \'active\''))
        before, created = self._store_codebook(conn, codebook)
        event = self._log(conn, codebook.coder_name, "autocode", {
            "codebook": codebook.coder_name, "unit": unit, "codebook_before": before,
            "codebook_after": codebook.fingerprint, "created": created, "changes": changes})
        pending, explained = {}, {}
        for i, d, s_, e, c, rule, matched, who in of_scope(
                'SELECT coding_id, doc_id, start, "end", code, rule, matched, coder FROM codings '
                "WHERE source = 'rule' AND status = 'pending' AND codebook = ?", (codebook.id,)):
            pending[(d, s_, e, c)] = i
            explained[i] = (rule, matched, who)
        at = {c: i for i, c in enumerate(RECORD_FIELDS)}
        d_, s_, e_, c_, r_, m_, w_ = (at[c] for c in ("doc_id", "start", "end", "code", "rule", "matched", "coder"))
        new, skipped, kept = Records(), 0, []
        fresh: list[tuple] = []
        if not (rejected or taken or pending):  # a first coding: every row is new (and held once, not twice)
            new, rows = rows, ()
        for row in rows:
            key = (row[d_], int(row[s_]), int(row[e_]), row[c_])
            if key in rejected or key in taken:
                skipped += 1
            elif key in pending:  # same coding as last run: keep its id, refresh its explanation
                kept.append((row[r_] or "", row[m_] or "", row[w_], pending.pop(key)))
            else:
                fresh.append(row)
                if len(fresh) >= 10_000:  # held compactly, as ``rows`` are (a re-coding of every document)
                    new += fresh
                    fresh.clear()
        new += fresh
        changed = [k for k in kept if explained.get(k[3]) != k[:3]]  # only rewrite what a new rule explains
        conn.executemany("UPDATE codings SET rule = ?, matched = ?, coder = ? WHERE coding_id = ?", changed)
        conn.executemany("UPDATE codings SET status = 'superseded', changed_event = ? WHERE coding_id = ?",
                         [(event, i) for i in pending.values()])
        superseded = len(pending)
        if scope is not None:  # the documents not coded again keep their codings, under this codebook version
            conn.execute("UPDATE codings SET coder = ? WHERE source = 'rule' AND status = 'pending' AND codebook = ? "
                         "AND coder <> ?", (codebook.coder_name, codebook.id, codebook.coder_name))
        self._bulk_insert(conn, new, "rule", "pending", event, codebook.id)
        state = Previous.of(codebook)
        conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                     (f"autocode.{codebook.id}", json.dumps({"event": event, "version": version,
                                                             "keys": list(state.keys),
                                                             "semantics": state.semantics}, ensure_ascii=False)))
        total = conn.execute("SELECT count(*) FROM codings WHERE source = 'rule' AND status = 'pending' "
                             "AND codebook = ?", (codebook.id,)).fetchone()[0]
        return {"new": len(new), "kept": int(total) - len(new), "skipped": skipped, "replaced": superseded,
                "event": event, "changes": changes}

    def _bulk_insert(self, conn, rows, source: str, status: str, event: int, codebook: str = "") -> None:
        """Insert codings given as records (``RECORD_FIELDS``), a ``_RowView`` or ``_Row`` objects; the
        values are made as they are written (one document's text held at a time), not all at once."""
        from ..coding.records import Records  # here: the store opens without the coding package

        stamp = now()

        def seg_idx(segment_id) -> int | None:
            seg = str(segment_id).rsplit(":", 1)[-1] if isinstance(segment_id, str) and segment_id else None
            return int(seg) if seg and seg.isdigit() else None

        if not isinstance(rows, Records):  # one way to write them: held by column, made into rows a document at a time
            records = rows if isinstance(rows, list) and (not rows or isinstance(rows[0], tuple)) else _columns_of(rows)
            rows = Records((d, s, int(a), int(b), _int(l1), _int(l2), c, w, r or "", m or "")
                           for d, s, a, b, l1, l2, c, w, r, m in records)

        def values():
            """The rows, made a document at a time with ``zip``: a first coding writes 70,000 codings per million
            words, and a tuple built in Python per coding cost 0.5 s of that."""
            segs, themes = {}, {}
            for doc_id, segment_ids, starts, ends, firsts, lasts, codes, coders, rules, matched in rows.runs():
                # one document's text held at a time (codings come grouped by document)
                text = conn.execute("SELECT text FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()[0]
                n = len(starts)
                segment_idx = [segs[s] if s in segs else segs.setdefault(s, seg_idx(s)) for s in segment_ids]
                code_themes = [themes[c] if c in themes else themes.setdefault(c, theme_of(c)) for c in codes]
                quotes = [text[a:b] for a, b in zip(starts, ends)]
                befores = [text[max(0, a - anchor.CONTEXT):a] for a in starts]  # anchor.context, as a column
                afters = [text[b:b + anchor.CONTEXT] for b in ends]
                if None in rules or None in matched:
                    rules, matched = [r or "" for r in rules], [m or "" for m in matched]
                yield from zip(repeat(doc_id, n), segment_idx, starts, ends, firsts, lasts, codes, code_themes, coders,
                               repeat(source, n), rules, matched, repeat(status, n), repeat(codebook, n), quotes,
                               befores, afters, repeat(stamp, n), repeat(event, n))

        conn.executemany(
            'INSERT INTO codings (doc_id, seg_idx, start, "end", line_start, line_end, code, theme, coder, source, '
            "rule, matched, status, codebook, quote, before, after, created_at, created_event) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", values())

    def add_codings(self, frame: pd.DataFrame, *, source: str, coder: str | None = None) -> list[int]:
        """Bulk-add codings from a tidy table (imports, suggestions, resolutions); returns their ids.

        Needs columns ``doc_id, start, end, code`` (and ``coder`` unless given). Suggestions
        land as pending in the review queue; others are active.
        """
        frame = frame.copy()
        if coder is not None:
            frame["coder"] = coder
        missing = {"doc_id", "start", "end", "code", "coder"} - set(frame.columns)
        if missing:
            raise StoreError(Errors.A002.format(detail=f"codings to add lack columns: {', '.join(sorted(missing))}"))
        docs = {d: self.document(d) for d in frame["doc_id"].unique()}
        rows = []
        for r in frame.itertuples(index=False):
            doc = docs[r.doc_id]
            if not (0 <= int(r.start) < int(r.end) <= len(doc.text)):
                raise StoreError(Errors.S010.format(start=r.start, end=r.end, doc_id=r.doc_id, length=len(doc.text)))
            line_start, line_end = doc.lines_of(int(r.start), int(r.end))
            rows.append(_Row(r.doc_id, f"{r.doc_id}:{_segment_at(doc, int(r.start))}", int(r.start), int(r.end),
                             line_start, line_end, r.code, r.coder, getattr(r, "rule", "") or "",
                             getattr(r, "matched", "") or ""))
        status = "pending" if source in MACHINE_SOURCES else "active"
        with self.atomic() as conn:
            event = self._log(conn, coder or "thematic", "add_codings", {"source": source, "count": len(rows)})
            rejected = set(conn.execute('SELECT doc_id, start, "end", code FROM rejections').fetchall())
            if status == "pending":
                rows = [r for r in rows if (r.doc_id, r.start, r.end, r.code) not in rejected]
            self._bulk_insert(conn, rows, source, status, event)
            ids = [r[0] for r in conn.execute("SELECT coding_id FROM codings WHERE created_event = ? "
                                              "ORDER BY coding_id", (event,))]
        return ids

    def restore_codings(self, frame: pd.DataFrame, *, coder: str = "import") -> list[int]:
        """Add codings exactly as another thematic project held them (a .qdpx round trip): each row
        keeps its ``coder``, ``source``, ``status``, ``reviewed_by`` and ``reviewed_at``; one undoable
        event. Needs the columns of :attr:`codings`; returns the new ids in the order of ``frame``."""
        docs = {d: self.document(d) for d in frame["doc_id"].unique()}
        with self.atomic() as conn:
            event = self._log(conn, coder, "add_codings", {"source": "restore", "count": len(frame)})
            ids = []
            for r in frame.itertuples(index=False):
                doc, start, end = docs[r.doc_id], int(r.start), int(r.end)
                if not (0 <= start < end <= len(doc.text)):
                    raise StoreError(Errors.S010.format(start=start, end=end, doc_id=r.doc_id, length=len(doc.text)))
                coding_id = self._insert(conn, doc, start, end, str(r.code), str(r.coder), str(r.source),
                                         str(r.status), event, rule=r.rule or "", matched=r.matched or "")
                conn.execute("UPDATE codings SET reviewed_by = ?, reviewed_at = ? WHERE coding_id = ?",
                             (r.reviewed_by or "", r.reviewed_at or "", coding_id))
                if r.status == "rejected":  # as reject() does: a later re-coding does not suggest it again
                    conn.execute('INSERT INTO rejections SELECT doc_id, start, "end", code, ?, ? FROM codings '
                                 "WHERE coding_id = ? ON CONFLICT DO NOTHING",
                                 (r.reviewed_by or coder, r.reviewed_at or now(), coding_id))
                ids.append(coding_id)
        return ids
