"""Reviewing codings: accept, reject and the review queue (a part of :class:`thematic.Project`).

Reviewing never changes who made a coding or how: ``coder`` and ``source`` stay the
author's; the coding's ``status`` changes and ``reviewed_by``/``reviewed_at`` record who
reviewed it and when. So agreement statistics, which compare authors, never count a
reviewer as a coder.

Several coders at once: the first to save wins. An uncode, accept or reject (or the undo of
one) leaves a coding alone when another coder's edit, still in force, has since given it a
different status; the skip is logged as a ``conflict`` event and announced by a warning
(S020). Acting again after that warning applies the action: the coder has now seen the
other's decision.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from ..errors import Errors, NotFoundError, warn
from ..types import HUMAN_SOURCES, MACHINE_SOURCES
from .rows import _ids, _need_coder
from .schema import now

if TYPE_CHECKING:  # pandas loads where a table is made: re-coding never makes one
    import pandas as pd


class Review:
    """Accept, reject, the review queue and status changes with their undo record."""

    def accept(self, coding_ids, coder: str) -> list[int]:
        """Accept codings: each becomes (or stays) active and records ``coder`` as its reviewer.

        The coding's author (``coder``) and ``source`` are kept: an accepted rule coding is
        still the rule's, reviewed by ``coder``.
        """
        _need_coder(coder, "accepting")
        ids = _ids(coding_ids)
        self._existing(ids)
        return self._set_status(ids, "active", coder, "accept", reviewed_by=coder, reviewed_at=now())

    def reject(self, coding_ids, coder: str) -> list[int]:
        """Reject codings, recording ``coder`` as reviewer; the rejection is remembered when coding again."""
        _need_coder(coder, "rejecting")
        ids = _ids(coding_ids)
        self._existing(ids)
        return self._set_status(ids, "rejected", coder, "reject", reviewed_by=coder, reviewed_at=now())

    def review_queue(self, source: str | None = None) -> pd.DataFrame:
        """Machine codings waiting for a person's accept or reject."""
        frame = self.codings_frame(statuses=("pending",), include_suggestions=True)
        return frame[frame.source == source] if source else frame

    def _existing(self, ids: list[int]) -> None:
        found = set()
        for chunk in range(0, len(ids), 900):  # SQLite's limit on bound parameters
            part = ids[chunk:chunk + 900]
            found |= {r[0] for r in self._conn.execute(
                f"SELECT coding_id FROM codings WHERE coding_id IN ({','.join('?' * len(part))})", part)}
        missing = [i for i in ids if i not in found]
        if missing:
            raise NotFoundError(Errors.S007.format(coding_id=missing[0]))

    def _set_status(self, ids: list[int], status: str, by: str, action: str, **changes) -> list[int]:
        """Change codings in one transaction (with their undo record); returns the ids changed."""
        ids = list(dict.fromkeys(int(i) for i in ids))
        with self.atomic() as conn:
            rows = []
            for chunk in range(0, len(ids), 900):  # SQLite's limit on bound parameters
                part = ids[chunk:chunk + 900]
                rows += conn.execute("SELECT coding_id, status, source, coder, reviewed_by, reviewed_at, changed_event "
                                     f"FROM codings WHERE coding_id IN ({','.join('?' * len(part))}) "
                                     f"ORDER BY coding_id{conn.for_update}", part).fetchall()
            clashes = self._clashes(conn, by, [(r[0], r[1], r[6]) for r in rows if r[1] != status])
            skip = {c[0] for c in clashes}
            self._conflicts(conn, by, action, clashes)
            ids = [i for i in ids if i not in skip]
            if not ids:
                return []
            prior = [list(r) for r in rows if r[0] not in skip]
            event = self._log(conn, by, action, {"prior": prior})
            sets = ", ".join(f"{k} = ?" for k in changes)
            conn.executemany(f"UPDATE codings SET status = ?, changed_event = ?{', ' + sets if sets else ''} "
                             "WHERE coding_id = ?", [(status, event, *changes.values(), i) for i in ids])
            if action == "reject":
                conn.executemany('INSERT INTO rejections SELECT doc_id, start, "end", code, ?, ? '
                                 "FROM codings WHERE coding_id = ? ON CONFLICT DO NOTHING",
                                 [(by, now(), i) for i in ids])
        return ids

    def _clashes(self, conn, by: str, codings: list[tuple]) -> list[tuple[int, str, str, int]]:
        """Of ``(coding_id, status, changed_event)``, those another coder's edit in force changed, and
        which ``by`` has not been warned about yet: ``(coding_id, status, other coder, event)``."""
        events = sorted({int(c[2]) for c in codings if c[2] is not None})
        if not events:
            return []
        marks = ",".join("?" * len(events))
        changers = dict(conn.execute(f"SELECT event_id, coder FROM events WHERE undone = 0 AND action IN "
                                     f"('uncode', 'accept', 'reject') AND event_id IN ({marks})", events).fetchall())
        seen = {(c["coding_id"], c.get("event")) for (payload,) in conn.execute(
                "SELECT payload FROM events WHERE action = 'conflict' AND coder = ?", (by,))
                for c in json.loads(payload)["codings"]}
        return [(i, status, changers[e], e) for i, status, e in codings
                if e in changers and changers[e] != by and (i, e) not in seen]

    def _conflicts(self, conn, by: str, action: str, clashes: list[tuple[int, str, str, int]]) -> None:
        """Log and announce codings an action left alone because another coder changed them first."""
        if not clashes:
            return
        self._log(conn, by, "conflict", {"action": action, "codings": [
            {"coding_id": i, "status": status, "changed_by": other, "event": e} for i, status, other, e in clashes]})
        i, status, other, _ = clashes[0]
        more = f" (and {len(clashes) - 1} more)" if len(clashes) > 1 else ""
        warn(Errors.S020.format(what=action.capitalize(), coder=by, coding_id=i, other=other, status=status) + more)

    def _revert_status(self, conn, action: str, payload: dict, event: int, by: str) -> None:
        """Undo an uncode, accept or reject: every coding gets its prior status, author and review
        back, unless another coder has changed it since (then it is left, and the conflict logged)."""
        # Events logged before schema 3 hold (id, status, source, coder), before 0.2 no changed_event.
        prior = [(list(p) + ["", ""])[:6] + ([p[6]] if len(p) > 6 else [None]) for p in payload["prior"]]
        ids = [int(p[0]) for p in prior]
        current = {}
        for chunk in range(0, len(ids), 900):
            part = ids[chunk:chunk + 900]
            current.update({r[0]: (r[1], r[2]) for r in conn.execute(
                f"SELECT coding_id, changed_event, status FROM codings WHERE coding_id IN "
                f"({','.join('?' * len(part))}) ORDER BY coding_id{conn.for_update}", part).fetchall()})
        clashes = self._clashes(conn, by, [(i, current[i][1], current[i][0]) for i in ids
                                           if i in current and current[i][0] != event])
        self._conflicts(conn, by, "undo", clashes)
        keep = {c[0] for c in clashes}
        for coding_id, status, source, who, reviewed_by, reviewed_at, changed in prior:
            if coding_id in keep or coding_id not in current:
                continue
            conn.execute("UPDATE codings SET status = ?, source = ?, coder = ?, reviewed_by = ?, reviewed_at = ?, "
                         "changed_event = ? WHERE coding_id = ?",
                         (status, source, who, reviewed_by, reviewed_at, changed, coding_id))
            if action == "reject":
                conn.execute('DELETE FROM rejections WHERE (doc_id, start, "end", code) IN '
                             '(SELECT doc_id, start, "end", code FROM codings WHERE coding_id = ?)', (coding_id,))
        # A coding brought back after its transcript was edited and could not be re-anchored then:
        # its quote no longer sits at its offsets, so it is listed as unplaced, never shown at the wrong place.
        restored = [int(p[0]) for p in prior if int(p[0]) not in keep and int(p[0]) in current]
        for chunk in range(0, len(restored), 900):
            part = restored[chunk:chunk + 900]
            conn.execute("UPDATE codings SET status = 'unplaced' WHERE status IN ('active', 'pending') AND "
                         f"coding_id IN ({','.join('?' * len(part))}) AND quote <> substr((SELECT d.text FROM "
                         'documents d WHERE d.doc_id = codings.doc_id), start + 1, "end" - start)', part)


__all__ = ["Review", "HUMAN_SOURCES", "MACHINE_SOURCES"]
