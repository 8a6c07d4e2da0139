"""``CodingView``: one transcript as a person reads it, coded by selecting text and clicking a code.

    >>> view = th.ui.CodingView(project, "Fjordvik-K2")          # doctest: +SKIP
    >>> view.code_selection(159, 181, "strategy.plans")          # what selecting + clicking does  # doctest: +SKIP

Every action is a :class:`thematic.Project` call (``code``, ``uncode``, ``accept``, ``reject``, ``memo``,
``undo``), so it lands in the project's event log and can be undone like any other.
"""

from __future__ import annotations

import traitlets

from . import _data
from ._base import _View


class CodingView(_View):
    """One document with its codings; select text and click a code (or press its number) to code it.

    Args:
        project: an open :class:`thematic.Project`.
        doc_id: the document to show (``NotFoundError`` with the known ids if absent).
        codebook: the codes offered; the project's codebook when not given.
        coder: who codes; the project's ``coder`` setting, else the login name.
        focus: a coding id to scroll to and outline when the view opens.
        palette: ``"codebook"`` (each theme's colour from the codebook) or ``"colour-blind"`` (Okabe-Ito).
    """

    doc = traitlets.Dict({}).tag(sync=True)
    codings = traitlets.List([]).tag(sync=True)
    codes = traitlets.List([]).tag(sync=True)
    coder = traitlets.Unicode("").tag(sync=True)
    memos = traitlets.Dict({}).tag(sync=True)
    focus = traitlets.Dict({}).tag(sync=True)

    def __init__(self, project, doc_id: str, codebook=None, coder: str | None = None, focus: int | None = None,
                 palette: str = "codebook"):
        document = project.document(doc_id)  # NotFoundError (S003) names the known documents
        self.palette = palette
        super().__init__(project, kind="coding")
        self.document = document
        self.codebook = codebook if codebook is not None else project.codebook
        self.coder = coder or _data.default_coder(project.settings)
        self.codes = _data.code_tree(self.codebook, palette=palette)
        self.doc = {"doc_id": document.doc_id, "case": document.case, "format": document.format,
                    "language": document.language, "text": document.text,
                    "rows": _data.transcript_rows(document),
                    "timed": any(s.time_start is not None for s in document.segments)}
        self.refresh()
        if focus is not None:
            self.scroll_to(focus)

    @property
    def doc_id(self) -> str:
        return self.document.doc_id

    # -- reading ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read this document's codings and memos again from the store."""
        frame = self.project.codings_frame(statuses=("active", "pending"), include_suggestions=True,
                                           doc_id=self.doc_id)
        memos = self.project.memos
        self.codings = _data.coding_records(frame, self.codebook, memos, self.palette)
        ids = {str(c["id"]) for c in self.codings}
        shown = memos[(memos["target_kind"] == "coding") & memos["target_id"].isin(ids)]
        self.memos = {str(t): [{"coder": str(r.coder), "text": str(r.text), "at": str(r.created_at)}
                               for r in group.itertuples()] for t, group in shown.groupby("target_id")}

    def scroll_to(self, coding_id: int) -> None:
        """Scroll the view to a coding and outline it."""
        found = [c for c in self.codings if c["id"] == int(coding_id)]
        if found:
            self.focus = {"id": int(coding_id), "start": found[0]["start"], "n": self.focus.get("n", 0) + 1}

    # -- acting (each one Project call, then every open view refreshes) ----------------------------

    def code_selection(self, start: int, end: int, code: str, *, doc_id: str | None = None,
                       end_doc_id: str | None = None) -> int:
        """Code a selected span (snapped to word edges) with ``code`` for this view's coder; returns the id.

        ``doc_id``/``end_doc_id`` are the documents the selection starts and ends in (the page sends
        them); a selection across two documents, or outside informant speech when the project's
        ``include_interviewer`` setting is off, raises ``ViewError`` and stores nothing.
        """
        from ..errors import Errors, ViewError

        # The page sends "" for an end outside any transcript (None: not given, as from Python).
        first = self.doc_id if doc_id is None else doc_id
        second = first if end_doc_id is None else end_doc_id
        if first != self.doc_id or second != self.doc_id:
            raise ViewError(Errors.U001.format(first=first or "outside any transcript",
                                               second=second or "outside any transcript"))
        include = bool(self.project.settings.get("include_interviewer", False))
        start, end = _data.check_selection(self.document, start, end, include_interviewer=include)
        coding_id = self.project.code(self.doc_id, code=code, coder=self.coder, start=start, end=end)
        self._changed()
        self.say(f"coded «{_short(self.document.text[start:end])}» as {code} (coding {coding_id})")
        self.scroll_to(coding_id)
        return coding_id

    def uncode(self, coding_id: int) -> None:
        """Remove a coding (the log keeps it; undo restores it)."""
        self.project.uncode(int(coding_id), coder=self.coder)
        self._changed()
        self.say(f"removed coding {coding_id}")

    def accept(self, coding_id: int) -> None:
        """Accept a machine coding; the view's coder is recorded as its reviewer."""
        self.project.accept([int(coding_id)], coder=self.coder)
        self._changed()
        self.say(f"accepted coding {coding_id}")

    def reject(self, coding_id: int) -> None:
        """Reject a machine coding; coding again will not bring it back."""
        self.project.reject([int(coding_id)], coder=self.coder)
        self._changed()
        self.say(f"rejected coding {coding_id}")

    def memo(self, coding_id: int, text: str) -> int:
        """Write a memo on a coding."""
        memo_id = self.project.memo(text, coder=self.coder, coding_id=int(coding_id))
        self._changed()
        self.say(f"memo written on coding {coding_id}")
        return memo_id

    def undo(self) -> list[str]:
        """Undo this coder's last action in the project."""
        done = self.project.undo(coder=self.coder)
        self._changed()
        self.say(f"undone: {', '.join(done)}")
        return done

    def _handle(self, content: dict) -> None:
        action = content["action"]
        if action == "code":
            self.code_selection(int(content["start"]), int(content["end"]), str(content["code"]),
                                doc_id=content.get("doc_id"), end_doc_id=content.get("end_doc_id"))
        elif action in ("uncode", "accept", "reject"):
            getattr(self, action)(int(content["id"]))
        elif action == "memo":
            self.memo(int(content["id"]), str(content["text"]))
        elif action == "undo":
            self.undo()
        elif action == "refresh":
            self.refresh()
            self.say("refreshed from the project")

    def __repr__(self) -> str:
        return f"CodingView({self.doc_id!r}, coder={self.coder!r}, codings={len(self.codings)})"


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"
