"""What the three views share: the browser code, messages, and refreshing every open view after a change."""

from __future__ import annotations

import sqlite3
import weakref
from pathlib import Path

import anywidget
import traitlets

from ..errors import ThematicError

STATIC = Path(__file__).parent / "static"
_OPEN: "weakref.WeakSet[_View]" = weakref.WeakSet()
_HOOKED = False


class _View(anywidget.AnyWidget):
    """Base of the views: one ES module and stylesheet (package data, no bundler), a message line."""

    _esm = STATIC / "views.js"
    _css = STATIC / "views.css"
    kind = traitlets.Unicode("").tag(sync=True)
    message = traitlets.Dict({}).tag(sync=True)

    def __init__(self, project, **kwargs):
        super().__init__(**kwargs)
        self.project = project
        self._said = 0
        _OPEN.add(self)
        _hook_cells()
        self.on_msg(self._on_browser)

    # -- messages -----------------------------------------------------------------------------

    def say(self, text: str, level: str = "info") -> None:
        """Show a message in the view (``level``: info, error)."""
        self._said += 1
        self.message = {"text": text, "level": level, "n": self._said}

    def _on_browser(self, _widget, content, _buffers) -> None:
        if not isinstance(content, dict) or "action" not in content:
            return
        try:
            self._handle(content)
        except ThematicError as exc:  # a person's mistake: say so in the view, nothing stored
            self.say(str(exc), "error")
        except (TypeError, ValueError, KeyError) as exc:  # a malformed message from the page
            self.say(f"could not do {content.get('action')!r}: {exc}", "error")

    def _handle(self, content: dict) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def refresh(self) -> None:  # pragma: no cover - overridden
        """Read again from the store what this view shows."""
        raise NotImplementedError

    def _changed(self) -> None:
        """After an action: refresh every open view of the same project file (this one included)."""
        refresh_open_views(self.project)


def refresh_open_views(project=None, *, only_changed: bool = False) -> None:
    """Refresh the open views (of ``project``'s file, or all); closed projects and views are skipped.

    ``only_changed``: only views whose project's event log moved since they last read it (after each cell).
    """
    latest: dict[int, int] = {}
    for view in list(_OPEN):
        if project is not None and view.project is not project and (
                view.project.path != project.path or project.path == ":memory:"):
            continue
        if view.comm is None:  # closed widget
            _OPEN.discard(view)
            continue
        try:
            key = id(view.project)
            if key not in latest:
                latest[key] = view.project.last_event_id
            if only_changed and getattr(view, "_seen", None) == latest[key]:
                continue
            view.refresh()
            view._seen = latest[key]
        except (sqlite3.ProgrammingError, ThematicError):  # project closed, document removed: leave as shown
            continue


def _after_cell(result=None) -> None:
    try:
        refresh_open_views(only_changed=True)
    except Exception:  # noqa: BLE001  a hook that raised would print a traceback under every cell
        pass


def _hook_cells() -> None:
    """In IPython, refresh open views after each cell, so coding from Python shows at once."""
    global _HOOKED
    if _HOOKED:
        return
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover
        return
    shell = get_ipython()
    if shell is None:
        return
    shell.events.register("post_run_cell", _after_cell)
    _HOOKED = True
