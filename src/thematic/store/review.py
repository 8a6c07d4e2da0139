"""Reviewing codings: accept, reject and the review queue (a part of :class:`thematic.Project`).

Reviewing never changes who made a coding or how: ``coder`` and ``source`` stay the
author's; the coding's ``status`` changes and ``reviewed_by``/``reviewed_at`` record who
reviewed it and when. So agreement statistics, which compare authors, never count a
reviewer as a coder.
"""

from __future__ import annotations

import pandas as pd

from ..errors import Errors, NotFoundError
from ..types import HUMAN_SOURCES, MACHINE_SOURCES
from .rows import _ids, _need_coder
from .schema import now


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
        ids = [int(i) for i in ids]
        with self.atomic() as conn:
            prior = []
            for chunk in range(0, len(ids), 900):
                part = ids[chunk:chunk + 900]
                prior += conn.execute("SELECT coding_id, status, source, coder, reviewed_by, reviewed_at FROM codings "
                                      f"WHERE coding_id IN ({','.join('?' * len(part))})", part).fetchall()
            event = self._log(conn, by, action, {"prior": prior})
            sets = ", ".join(f"{k} = ?" for k in changes)
            conn.executemany(f"UPDATE codings SET status = ?, changed_event = ?{', ' + sets if sets else ''} "
                             "WHERE coding_id = ?", [(status, event, *changes.values(), i) for i in ids])
            if action == "reject":
                conn.executemany('INSERT OR IGNORE INTO rejections SELECT doc_id, start, "end", code, ?, ? '
                                 "FROM codings WHERE coding_id = ?", [(by, now(), i) for i in ids])
        return ids

    @staticmethod
    def _revert_status(conn, action: str, payload: dict) -> None:
        """Undo an uncode, accept or reject: every coding gets its prior status, author and review back."""
        for prior in payload["prior"]:
            # Events logged before schema 3 hold (id, status, source, coder): no review to restore.
            coding_id, status, source, who, reviewed_by, reviewed_at = (list(prior) + ["", ""])[:6]
            conn.execute("UPDATE codings SET status = ?, source = ?, coder = ?, reviewed_by = ?, reviewed_at = ? "
                         "WHERE coding_id = ?", (status, source, who, reviewed_by, reviewed_at, coding_id))
            if action == "reject":
                conn.execute('DELETE FROM rejections WHERE (doc_id, start, "end", code) IN '
                             '(SELECT doc_id, start, "end", code FROM codings WHERE coding_id = ?)', (coding_id,))


__all__ = ["Review", "HUMAN_SOURCES", "MACHINE_SOURCES"]
