"""``thematic import FILE.qdpx`` and ``thematic export P --format qdpx``."""

from __future__ import annotations

from pathlib import Path

import typer

from ._app import PROJECT_HELP, app, console, friendly


@app.command("import")
@friendly
def import_qdpx(file: Path = typer.Argument(..., help="A REFI-QDA project: .qdpx (or a bare .qde)."),
                project: str = typer.Option(..., "--project", "-p", 
                                     help="Project to store it in: a file or a postgresql:// URL."),
                language: str = typer.Option("nb", help="Language of the imported texts.")) -> None:
    """Import an NVivo/ATLAS.ti/MAXQDA/QualCoder project; prints what was read and what was not carried."""
    from ..refi import import_into, load_qdpx
    from ..store import Project

    imported = load_qdpx(file, language=language)
    console.print(imported.summary(), highlight=False, soft_wrap=True)
    with Project.open(project) as store:
        counts = import_into(store, imported)
        where = store.path  # a URL without its password
    console.print(f"stored in {where}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))


@app.command("export")
@friendly
def export(project: str = typer.Argument(..., help=PROJECT_HELP),
           format: str = typer.Option("qdpx", "--format", "-f", help="qdpx (REFI-QDA project)."),
           output: Path = typer.Option(..., "-o", "--output", help="File to write (.qdpx).")) -> None:
    """Export a project for NVivo, ATLAS.ti, MAXQDA and QualCoder (REFI-QDA .qdpx)."""
    from ..errors import Errors, RefiError
    from ..refi import save_qdpx
    from ..store import Project

    if format != "qdpx":
        raise RefiError(Errors.Q001.format(path=output, detail=f"unknown format '{format}'; use qdpx"))
    with Project.open(project) as store:
        report = save_qdpx(store, output)
    for line in report.not_carried[:10]:
        console.print(f"[yellow]not carried:[/] {line}", highlight=False, soft_wrap=True)
    console.print(f"wrote {output}: " + ", ".join(f"{v} {k}" for k, v in report.counts.items()), highlight=False)
    console.print("for thematic itself the file also keeps all of the above (rules, review, speakers, lines, "
                  "memo targets) in thematic/project.json: `thematic import` restores the project", highlight=False,
                  soft_wrap=True)
