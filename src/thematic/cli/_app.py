"""The typer application and the one place ThematicError becomes a clean exit."""

from __future__ import annotations

import functools
import sys

import typer
from rich.console import Console

from ..errors import ThematicError

app = typer.Typer(
    name="thematic",
    help="Thematic analysis of interview transcripts: ingest, code, analyse, export.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
PROJECT_HELP = "Project: a .thematic file or a postgresql://user@host:port/db[?schema=name] URL."
err_console = Console(stderr=True)


def frame_table(frame, title: str):
    """A rich table of a DataFrame (floats with three decimals); the CLI's one way to show tables."""
    from rich.table import Table

    table = Table(title=title)
    for column in frame.columns:
        numeric = frame[column].dtype.kind in "iuf"
        table.add_column(str(column), justify="right" if numeric else "left")
    for row in frame.itertuples(index=False):
        table.add_row(*[f"{v:.3f}" if isinstance(v, float) else str(v) for v in row])
    return table


def friendly(fn):
    """Run a command; turn ThematicError into a one-line message and exit code 2."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except ThematicError as exc:
            err_console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
            sys.exit(2)

    return wrapper


@app.callback()
def _root() -> None:
    """Thematic analysis of interview transcripts: ingest, code, analyse, export."""


@app.command()
def version() -> None:
    """Print the thematic version."""
    from .. import __version__

    console.print(f"thematic {__version__}")
