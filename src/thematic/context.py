"""The tables a codings table needs for its denominators, carried along in ``DataFrame.attrs``.

``Project.codings`` sets ``df.attrs["thematic"] = Context(segments, cases)`` so that
``analysis.matrix(project.codings, cell="coverage")`` knows every segment's words.
A small object rather than raw DataFrames in ``attrs``: pandas copies and compares
``attrs`` on many operations, and DataFrames there are slow to copy and cannot be
compared (``pd.concat`` would fail).

Example:
    >>> import pandas as pd
    >>> df = pd.DataFrame({"a": [1]})
    >>> df.attrs["thematic"] = Context(pd.DataFrame({"words": [3]}), None)
    >>> int(df.copy().attrs["thematic"].segments.words.sum())
    3
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas loads where a table is made: re-coding never makes one
    import pandas as pd


@dataclass(frozen=True, eq=False)
class Context:
    segments: pd.DataFrame | None
    cases: pd.DataFrame | None

    def __eq__(self, other) -> bool:  # identity: cheap and always a plain bool
        return self is other

    __hash__ = object.__hash__

    def __deepcopy__(self, memo) -> "Context":
        return self  # shared, read-only: never copied along with every derived table

    def __copy__(self) -> "Context":
        return self


def attach(frame: pd.DataFrame, segments: pd.DataFrame | None, cases: pd.DataFrame | None) -> pd.DataFrame:
    """Attach the context to a codings table (in place) and return it."""
    frame.attrs["thematic"] = Context(segments, cases)
    return frame


def tables_of(frame: pd.DataFrame) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """(segments, cases) carried by a codings table; plain ``attrs["segments"]``/``["cases"]`` work too."""
    ctx = frame.attrs.get("thematic")
    if isinstance(ctx, Context):
        return ctx.segments, ctx.cases
    return frame.attrs.get("segments"), frame.attrs.get("cases")
