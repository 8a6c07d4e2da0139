"""``thematic backup P DEST``: a consistent one-file copy of a project, safe while it is open."""

from __future__ import annotations

from pathlib import Path

import typer

from ._app import app, console, friendly


@app.command()
@friendly
def backup(
    project: Path = typer.Argument(..., help="The .thematic project file."),
    dest: Path = typer.Argument(..., help="The copy to write (a new file)."),
    overwrite: bool = typer.Option(False, help="Replace DEST if it exists."),
) -> None:
    """Copy a project safely (SQLite's backup API), even while it is open in a notebook."""
    from ..errors import Errors, StoreError
    from ..store import Project

    if not project.is_file():
        raise StoreError(Errors.S001.format(path=project, detail="no such project file"), path=project)
    with Project.open(project) as source:
        written = source.backup(dest, overwrite=overwrite)
    console.print(f"backed up {project} to {written} ({written.stat().st_size:,} bytes)", highlight=False)
