"""``ReviewQueue``: pending machine codings one at a time, with their turn and why they fired.

Keys in the view: ``a`` accept, ``r`` reject, ``j``/``k`` next/previous, ``u`` undo. The same from
Python: ``queue.accept()``, ``queue.reject()``, ``queue.next()``, ``queue.previous()``, ``queue.undo()``.
Accepting or rejecting records the reviewer; the coding keeps its author and source.
"""

from __future__ import annotations

import traitlets

from . import _data
from ._base import _View

#: Characters of the turn shown around a long coding's passage.
CONTEXT = 400


class ReviewQueue(_View):
    """The project's pending machine codings (rules, suggestions), reviewed one at a time.

    Args:
        project: an open :class:`thematic.Project`.
        source: only this source (``"rule"`` or ``"suggestion"``); all machine codings when not given.
        coder: the reviewer; the project's ``coder`` setting, else the login name.
        palette: ``"codebook"`` or ``"colour-blind"`` (see :class:`CodingView`).
    """

    item = traitlets.Dict({}).tag(sync=True)
    progress = traitlets.Dict({}).tag(sync=True)
    coder = traitlets.Unicode("").tag(sync=True)

    def __init__(self, project, source: str | None = None, coder: str | None = None, palette: str = "codebook"):
        _data.colours(None, palette)  # an unknown palette fails here, before anything is shown
        super().__init__(project, kind="review")
        self.palette = palette
        self.source = source
        self.coder = coder or _data.default_coder(project.settings)
        self.codebook = project.codebook
        self._ids: list[int] = []
        self._position = 0
        self._documents: dict = {}
        self._history: list[int] = []
        self.refresh()

    # -- reading ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the queue again: codings reviewed elsewhere show as reviewed, new pending ones join the end."""
        pending = self.project.review_queue(self.source)
        known = set(self._ids)
        self._ids += [int(i) for i in pending["coding_id"] if int(i) not in known]
        frame = self.project.codings_frame(statuses=("active", "pending", "rejected", "removed"),
                                           include_suggestions=True)
        frame = frame[frame["coding_id"].isin(self._ids)]
        self._rows = {int(r.coding_id): r for r in frame.itertuples(index=False)}
        self._ids = [i for i in self._ids if i in self._rows]  # undone autocoding: gone from the project
        self._position = min(self._position, max(len(self._ids) - 1, 0))
        self._show()

    @property
    def current(self) -> int | None:
        """The coding id shown now (``None`` when the queue is empty)."""
        return self._ids[self._position] if self._ids else None

    @property
    def remaining(self) -> int:
        return sum(1 for i in self._ids if str(self._rows[i].status) == "pending")

    def __len__(self) -> int:
        return len(self._ids)

    def _show(self) -> None:
        reviewed = len(self._ids) - self.remaining
        self.item = self._item(self.current) if self.current is not None else {}  # first: progress says it is ready
        self.progress = {"reviewed": reviewed, "total": len(self._ids), "position": self._position + 1 if self._ids else 0,
                         "text": f"{reviewed} of {len(self._ids)} reviewed"}

    def _item(self, coding_id: int) -> dict:
        row = self._rows[coding_id]
        if row.doc_id not in self._documents:
            self._documents[row.doc_id] = self.project.document(str(row.doc_id))
        doc = self._documents[row.doc_id]
        start, end = int(row.start), int(row.end)
        turn = [s for s in doc.segments if s.start < end and s.end > start]
        a = min([s.start for s in turn] + [start])
        b = max([s.end for s in turn] + [end])
        a, b = max(a, start - CONTEXT), min(b, end + CONTEXT)
        record = _data.coding_records(_one(row), self.codebook, palette=self.palette)[0]
        code = self.codebook.get(record["code"]) if self.codebook is not None and record["code"] in self.codebook else None
        speaker = turn[0].speaker if turn else ""
        return {**record, "doc_id": str(row.doc_id), "case": str(row.case), "speaker": speaker,
                "role": turn[0].role if turn else "unknown",
                "definition": code.text_in("definition", "en") if code else "",
                "context": doc.text[a:b], "offset": a, "clipped": [a > (turn[0].start if turn else a),
                                                                  b < (turn[-1].end if turn else b)]}

    # -- acting -------------------------------------------------------------------------------

    def accept(self) -> int | None:
        """Accept the coding shown (this coder as reviewer) and move to the next pending one."""
        return self._review("accept")

    def reject(self) -> int | None:
        """Reject the coding shown and move to the next pending one."""
        return self._review("reject")

    def _review(self, action: str) -> int | None:
        coding_id = self.current
        if coding_id is None:
            self.say("nothing to review", "error")
            return None
        getattr(self.project, action)([coding_id], coder=self.coder)
        self._changed()  # refreshes this queue too
        self._advance()
        self._history.append(coding_id)
        self.say(f"{action}ed coding {coding_id}")
        return coding_id

    def _advance(self) -> None:
        order = self._ids[self._position + 1:] + self._ids[: self._position + 1]
        for i in order:
            if str(self._rows[i].status) == "pending":
                self._position = self._ids.index(i)
                break
        self._show()

    def next(self) -> None:
        """Show the next coding (reviewed or not)."""
        self._position = min(self._position + 1, max(len(self._ids) - 1, 0))
        self._show()

    def previous(self) -> None:
        """Show the previous coding."""
        self._position = max(self._position - 1, 0)
        self._show()

    def undo(self) -> list[str]:
        """Undo this reviewer's last action; the queue goes back to the coding it touched."""
        done = self.project.undo(coder=self.coder)
        self._changed()
        if self._history and self._history[-1] in self._rows and str(self._rows[self._history[-1]].status) == "pending":
            self._position = self._ids.index(self._history.pop())
            self._show()
        self.say(f"undone: {', '.join(done)}")
        return done

    def _handle(self, content: dict) -> None:
        action = content["action"]
        if action in ("accept", "reject", "undo", "next", "previous", "refresh"):
            getattr(self, action)()

    def __repr__(self) -> str:
        return f"ReviewQueue(source={self.source!r}, coder={self.coder!r}, {self.progress.get('text', '')})"


def _one(row):
    import pandas as pd

    return pd.DataFrame([row._asdict()])
