"""Notebook views for reading and coding transcripts (JupyterLab, Notebook 7, VS Code), built on anywidget.

    >>> import thematic as th
    >>> project = th.Project.open("work/study.thematic")     # doctest: +SKIP
    >>> th.ui.CodingView(project, "Fjordvik-K2")             # doctest: +SKIP
    >>> th.ui.ReviewQueue(project)                           # doctest: +SKIP
    >>> th.ui.Retrieve(project, "target_picture")            # doctest: +SKIP

Every action goes through the :class:`thematic.Project` API (same event log, same undo); the views hold
no state the store does not. Install with ``pip install 'thematic[ui]'``.
"""

from __future__ import annotations

try:
    import anywidget  # noqa: F401
except ImportError as exc:  # pragma: no cover - exercised only without the [ui] extra
    from ..errors import Errors, ThematicError

    raise ThematicError(Errors.U004.format(detail=exc)) from None

from .coding_view import CodingView
from .retrieve import Retrieve
from .review import ReviewQueue

__all__ = ["CodingView", "ReviewQueue", "Retrieve"]
