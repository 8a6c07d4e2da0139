"""``Retrieve``: code-and-retrieve, every passage of a code or theme across documents, grouped by case.

    >>> th.ui.Retrieve(project, "target_picture", group_by="case_type")   # doctest: +SKIP

Click a passage (or ``retrieve.open_passage(coding_id)``) to open its transcript in a
:class:`~thematic.ui.CodingView` below the list, scrolled to the passage.
"""

from __future__ import annotations

import ipywidgets
import traitlets

from ..analysis.quotes import reference
from ..errors import AnalysisError, Errors
from . import _data
from ._base import _View
from .coding_view import CodingView

#: Which codings a retrieval shows: people's and accepted only, or also pending machine codings.
CODINGS = {"reviewed": ("active",), "all": ("active", "pending")}


class _Passages(_View):
    """The list part of :class:`Retrieve` (the browser side of it)."""

    passages = traitlets.List([]).tag(sync=True)
    title = traitlets.Dict({}).tag(sync=True)

    def __init__(self, owner: "Retrieve"):
        self.owner = owner
        super().__init__(owner.project, kind="retrieve")

    def refresh(self) -> None:
        self.owner._read()

    def _handle(self, content: dict) -> None:
        if content["action"] == "open":
            self.owner.open_passage(int(content["id"]))
        elif content["action"] == "refresh":
            self.owner.refresh()


class Retrieve(ipywidgets.VBox):
    """Every passage of ``code`` (a code, or a theme with all its codes) across the project's documents.

    Args:
        project: an open :class:`thematic.Project`.
        code: a code id or a theme id; unknown ids raise ``CodebookError`` with close matches.
        group_by: ``"case"`` (default), ``"doc_id"``, ``"informant"`` or any case attribute
            (``project.cases`` columns, e.g. ``"case_type"``, ``"county"``).
        codings: ``"all"`` (default: also pending machine codings, marked as such) or ``"reviewed"``
            (people's and accepted codings only).
        coder: who codes in the transcripts opened from here (default: the project setting, else the login).
        palette: ``"codebook"`` or ``"colour-blind"`` (see :class:`CodingView`).
    """

    def __init__(self, project, code: str, group_by: str = "case", codings: str = "all", coder: str | None = None,
                 palette: str = "codebook"):
        _data.colours(None, palette)  # an unknown palette fails here
        if codings not in CODINGS:
            raise AnalysisError(Errors.A001.format(what="codings", value=codings, choices=", ".join(CODINGS)))
        self.project, self.code, self.group_by, self.which, self.coder = project, code, group_by, codings, coder
        self.palette = palette
        self.codebook = project.codebook
        if self.codebook is not None and code not in self.codebook:
            self.codebook.get(code)  # CodebookError naming close matches
        self.view: CodingView | None = None
        self.list = _Passages(self)
        super().__init__(children=[self.list])
        self._read()

    def _read(self) -> None:
        frame = self.project.codings_frame(statuses=CODINGS[self.which])
        frame = frame[(frame["code"].astype(str) == self.code) | (frame["theme"].astype(str) == self.code)
                      | frame["code"].astype(str).str.startswith(self.code + ".")]
        cases = self.project.cases
        segments = self.project.segments[["segment_id", "informant"]]
        informant = dict(zip(segments["segment_id"].astype(str), segments["informant"].astype(str)))
        names = dict(zip(cases["doc_id"], cases["case_name"] if "case_name" in cases else cases["case"]))
        by_doc = cases.set_index("doc_id")
        if self.group_by not in ("doc_id", "informant", "case") and self.group_by not in by_doc.columns:
            raise AnalysisError(Errors.A001.format(what="group_by", value=self.group_by,
                                                   choices=", ".join(["case", "doc_id", "informant"]
                                                                     + [c for c in by_doc.columns if c != "file"])))
        records = _data.coding_records(frame, self.codebook, palette=self.palette)
        passages = []
        for record, row in zip(records, frame.itertuples(index=False)):
            who = informant.get(str(row.segment_id), "") or ("" if str(row.role) == "interviewer" else str(row.speaker))
            if self.group_by == "informant":
                group = who or "(no informant)"
            elif self.group_by == "doc_id":
                group = str(row.doc_id)
            else:
                value = by_doc.at[str(row.doc_id), self.group_by] if str(row.doc_id) in by_doc.index else ""
                group = _data._text(value) or "(none)"
            passages.append({**record, "doc_id": str(row.doc_id), "group": group, "text": str(row.text),
                             "reference": reference(names.get(str(row.doc_id), str(row.case)), who,
                                                    row.line_start, row.line_end)})
        passages.sort(key=lambda p: (p["group"], p["doc_id"], p["start"]))
        self.passages = passages
        label = self.codebook.get(self.code).label_in("en") if self.codebook is not None else self.code
        self.list.title = {"code": self.code, "label": label, "group_by": self.group_by,
                           "count": len(passages), "documents": len({p["doc_id"] for p in passages}),
                           "groups": len({p["group"] for p in passages}), "codings": self.which}
        self.list.passages = passages

    def refresh(self) -> None:
        """Read the passages again (and the open transcript)."""
        self._read()
        if self.view is not None:
            self.view.refresh()

    def open_passage(self, coding_id: int) -> CodingView:
        """Open the passage's transcript below the list, scrolled to it; returns the view."""
        found = [p for p in self.passages if p["id"] == int(coding_id)]
        if not found:
            from ..errors import NotFoundError

            raise NotFoundError(Errors.S007.format(coding_id=coding_id))
        passage = found[0]
        if self.view is None or self.view.doc_id != passage["doc_id"]:
            if self.view is not None:
                self.view.close()
            self.view = CodingView(self.project, passage["doc_id"], codebook=self.codebook, coder=self.coder,
                                   palette=self.palette)
            self.children = [self.list, self.view]
        self.view.scroll_to(int(coding_id))
        self.list.say(f"opened {passage['doc_id']} at {passage['reference']}")
        return self.view

    def __repr__(self) -> str:
        return (f"Retrieve({self.code!r}, group_by={self.group_by!r}, passages={len(self.passages)}, "
                f"documents={len({p['doc_id'] for p in self.passages})})")
