"""``thematic code`` (ingest + store + rule coding) and ``thematic status``."""

from __future__ import annotations

from pathlib import Path

import typer
from ._app import app, console, frame_table, friendly


@app.command()
@friendly
def code(
    corpus: Path = typer.Argument(..., help="Folder of transcripts (or one file)."),
    codebook: Path = typer.Option(..., "--codebook", "-c", help="Codebook YAML."),
    project: Path = typer.Option(..., "--project", "-p", help="Project file (created if absent)."),
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
        console.print(frame_table(store.status(), f"codings in {project}"))


@app.command()
@friendly
def status(project: Path = typer.Argument(..., help="Project file.")) -> None:
    """Summarise a project's codings by coder, source and status."""
    from ..errors import Errors, StoreError
    from ..store import Project

    if not project.is_file():
        raise StoreError(Errors.S001.format(path=project, detail="no such file"), path=project)
    with Project.open(project) as store:
        console.print(repr(store), highlight=False)
        console.print(frame_table(store.status(), "codings by coder, source and status"))
        console.print(f"{len(store.review_queue())} machine codings wait for review")
