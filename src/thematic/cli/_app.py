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


#: ``--format`` of every command that prints tables.
FORMATS = ("table", "csv", "json")
FORMAT_HELP = "table (default; never cuts text), csv or json (machine-readable, on stdout; messages go to stderr)."


def format_option():
    return typer.Option("table", "--format", help=FORMAT_HELP, case_sensitive=False)


def frame_table(frame, title: str):
    """A rich table of a DataFrame or of plain rows (``store.summary.Rows``; floats with three decimals);
    the CLI's one way to show tables.

    Cells wrap (and long words fold) instead of being cut with "…"; see :func:`print_table`.
    """
    from rich.table import Table

    table = Table(title=title)
    plain = _is_rows(frame)
    for k, column in enumerate(frame.columns):
        numeric = _numeric([r[k] for r in frame.rows]) if plain else frame[column].dtype.kind in "iuf"
        table.add_column(str(column), justify="right" if numeric else "left", overflow="fold")
    for row in frame.rows if plain else frame.itertuples(index=False):
        table.add_row(*["" if _missing(v) else f"{v:.3f}" if isinstance(v, float) else str(v) for v in row])
    return table


def _is_rows(frame) -> bool:
    """Plain rows (``thematic.store.summary.Rows``, read without pandas) rather than a DataFrame."""
    return not hasattr(frame, "to_csv")


def _numeric(values) -> bool:
    """A column of numbers, as pandas would type it (int64/float64): right-aligned like a DataFrame's."""
    present = [v for v in values if v is not None]
    return bool(present) and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present)


def _missing(value) -> bool:
    if value is None or isinstance(value, (str, int, list, dict, tuple)):
        return value is None  # plain values: no need to import pandas for them
    try:
        import pandas as pd

        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def print_table(table) -> None:
    """In a terminal, wrap to its width; otherwise (a pipe, a file) print at the table's full width."""
    if console.is_terminal:
        console.print(table)
        return
    from rich.measure import Measurement

    wide = Console(width=100_000, highlight=False)
    needed = Measurement.get(wide, wide.options, table).maximum
    Console(width=max(needed, console.width), highlight=False, file=sys.stdout).print(table)


def show(frames, fmt: str = "table", title: str = "") -> None:
    """Print one table (a DataFrame) or several (``{title: DataFrame}``) as a table, CSV or JSON.

    CSV of several tables puts a ``# title`` line before each; JSON of several is ``{title: [records]}``.
    """
    import json

    fmt = (fmt or "table").lower()
    if fmt not in FORMATS:
        from ..errors import AnalysisError, Errors

        raise AnalysisError(Errors.A001.format(what="--format", value=fmt, choices=", ".join(FORMATS)))
    many = isinstance(frames, dict)
    items = list(frames.items()) if many else [(title, frames)]
    if fmt == "table":
        for name, frame in items:
            print_table(frame_table(frame, name))
    elif fmt == "csv":
        for k, (name, frame) in enumerate(items):
            if many:
                sys.stdout.write(("\n" if k else "") + f"# {name}\n")
            sys.stdout.write(_rows_csv(frame) if _is_rows(frame) else frame.to_csv(index=False))
    else:
        records = {name: frame.records() if _is_rows(frame) else
                   json.loads(frame.to_json(orient="records", force_ascii=False, date_format="iso"))
                   for name, frame in items}
        sys.stdout.write(json.dumps(records if many else records[title], ensure_ascii=False, indent=1) + "\n")


def _rows_csv(rows) -> str:
    """Plain rows as CSV, written as ``DataFrame.to_csv(index=False)`` writes them (NULL as an empty cell)."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(rows.columns)
    writer.writerows(["" if v is None else v for v in row] for row in rows.rows)
    return out.getvalue()


def note(message: str, fmt: str = "table") -> None:
    """A line for the reader: on stdout with tables, on stderr when stdout is CSV or JSON."""
    (console if (fmt or "table").lower() == "table" else err_console).print(message, highlight=False, soft_wrap=True)


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
