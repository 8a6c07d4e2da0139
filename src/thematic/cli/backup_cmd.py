"""``thematic backup P DEST``: a consistent one-file copy of a project, safe while it is open."""

from __future__ import annotations

from pathlib import Path

import typer

from ._app import PROJECT_HELP, app, console, friendly


@app.command()
@friendly
def backup(
    project: str = typer.Argument(..., help=PROJECT_HELP),
    dest: Path = typer.Argument(..., help="The copy to write (a new file)."),
    overwrite: bool = typer.Option(False, help="Replace DEST if it exists."),
) -> None:
    """Copy a project safely into one file (SQLite's backup API), even while it is open in a notebook."""
    from ..store import Project

    with Project.open(project, create=False) as source:
        written = source.backup(dest, overwrite=overwrite)
        console.print(f"backed up {source.path} to {written} ({written.stat().st_size:,} bytes)", highlight=False)
