"""The project store: one SQLite file, or one PostgreSQL schema for a research group (only this
package speaks SQL; ``engine`` holds the difference between the two).

    >>> import thematic as th
    >>> project = th.Project.open("work/study.thematic")  # doctest: +SKIP
    >>> group = th.Project.open("postgresql://ida@db.fjordvik.example/study")  # doctest: +SKIP

The names below load on first use (PEP 562, as in ``thematic/__init__``): ``thematic status`` reads a
project through ``store.summary`` without importing pandas, which ``store.project`` needs.
"""

from __future__ import annotations

import importlib as _importlib
import importlib.util  # noqa: F401  (find_spec, for submodules)
from typing import TYPE_CHECKING

__all__ = ["Project", "AddReport", "SCHEMA_VERSION", "copy_project", "CopyReport"]

_LAZY = {
    "Project": "project", "AddReport": "project", "SCHEMA_VERSION": "schema",
    "copy_project": "copy", "CopyReport": "copy",
}

if TYPE_CHECKING:  # what type checkers and editors see; at run time __getattr__ loads these on first use
    from .copy import CopyReport, copy_project
    from .project import AddReport, Project
    from .schema import SCHEMA_VERSION


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(_importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    elif not name.startswith("_") and _importlib.util.find_spec(f"{__name__}.{name}") is not None:
        value = _importlib.import_module(f"{__name__}.{name}")  # a submodule: thematic.store.project, ...
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
