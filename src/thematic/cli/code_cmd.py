"""``thematic code`` (ingest + store + rule coding), ``thematic status`` and ``thematic copy``."""

from __future__ import annotations

from pathlib import Path

import typer
from ._app import PROJECT_HELP, app, console, frame_table, friendly


@app.command()
@friendly
def code(
    corpus: Path = typer.Argument(..., help="Folder of transcripts (or one file)."),
    codebook: Path = typer.Option(..., "--codebook", "-c", help="Codebook YAML."),
    project: str = typer.Option(..., "--project", "-p", 
                          help="Project: a file or a postgresql://user@host/db URL (created if absent)."),
    unit: str = typer.Option("sentence", help="Coding unit: sentence, turn or paragraph."),
    include_interviewer: bool = typer.Option(False, help="Also code the interviewer's speech."),
    workers: int = typer.Option(1, "--workers", "-w", help="Processes for parsing (both cores: 2)."),
) -> None:
    """Ingest transcripts into a project and code them with the codebook's rules."""
    from ..codebook import Codebook
    from ..store import Project
    from ..transcripts import ingest

    book = Codebook.load(codebook)
    loaded = ingest(corpus)
    for problem in loaded.problems:
        console.print(f"[yellow]{problem.severity}:[/] {problem.message}", highlight=False, soft_wrap=True)
    with Project.open(project) as store:
        added = store.add(loaded)
        result = store.autocode(book, unit=unit, include_interviewer=include_interviewer, n_process=workers)
        console.print(f"{added!r}; rule coding: {result['new']} new, {result['kept']} unchanged, "
                      f"{result['skipped']} skipped (rejected or already coded by a person), "
                      f"{result['replaced']} replaced", highlight=False)
        if len(added.unplaced):
            console.print(frame_table(added.unplaced, "codings that could not be re-anchored"))
        console.print(frame_table(store.status(), f"codings in {store.path}"))


@app.command()
@friendly
def status(project: str = typer.Argument(..., help=PROJECT_HELP)) -> None:
    """Summarise a project's codings by coder, source and status (a file or a postgresql:// URL)."""
    from ..store import Project

    with Project.open(project, create=False) as store:
        console.print(repr(store), highlight=False)
        console.print(frame_table(store.status(), "codings by coder, source and status"))
        console.print(f"{len(store.review_queue())} machine codings wait for review")


@app.command()
@friendly
def copy(source: str = typer.Argument(..., help="Project to copy: a file or a postgresql:// URL."),
         dest: str = typer.Argument(..., help="New project: a file or a postgresql://user@host/db[?schema=] URL.")
         ) -> None:
    """Copy a whole project between SQLite and PostgreSQL (either way), verified by counts and checksums."""
    from ..store import copy_project

    report = copy_project(source, dest)
    console.print(f"copied {report.source} -> {report.dest}; counts and checksums verified", highlight=False)
    console.print(frame_table(report.frame(), "rows per table"))
