"""``thematic code`` (ingest + store + rule coding), ``thematic status`` and ``thematic copy``."""

from __future__ import annotations

from pathlib import Path

import typer
from ._app import PROJECT_HELP, app, format_option, friendly, note, show


@app.command()
@friendly
def code(
    corpus: Path = typer.Argument(None, help="Folder of transcripts (or one file). Leave it out to code the "
                                             "project's documents again after a codebook edit (no files are read)."),
    codebook: Path = typer.Option(..., "--codebook", "-c", help="Codebook YAML."),
    project: str = typer.Option(..., "--project", "-p", 
                          help="Project: a file or a postgresql://user@host/db URL (created if absent)."),
    unit: str = typer.Option("sentence", help="Coding unit: sentence, turn or paragraph."),
    include_interviewer: bool = typer.Option(False, help="Also code the interviewer's speech."),
    workers: int = typer.Option(1, "--workers", "-w",
                                help="Processes that read, parse and code the files (both cores: 2)."),
    format: str = format_option(),
) -> None:
    """Ingest transcripts into a project and code them with the codebook's rules (without FOLDER: code the
    project's documents again, as after a codebook edit: only what the edit changes is matched and written)."""
    from ..codebook import Codebook
    from ..store import Project
    from ..transcripts import iter_documents

    book = Codebook.load(codebook)
    if corpus is None:
        _recode(book, project, unit, include_interviewer, workers, format)
        return
    problems: list = []
    documents = iter_documents(corpus, problems=problems)
    documents.plan()  # a missing or empty folder is reported here, before a project file is made
    with Project.open(project) as store:
        # streamed: documents are stored and coded batch by batch (with --workers 2 the workers read the files too)
        result = store.autocode(book, unit=unit, include_interviewer=include_interviewer, n_process=workers,
                                documents=documents)
        added = result["added"]
        for problem in problems:
            note(f"[yellow]{problem.severity}:[/] {problem.message}", format)
        note(f"{added.describe()}; rule coding: {_counts(result)}", format)
        _changes(result, format)
        tables = {f"codings in {store.path}": store.status_rows()}
        if added.unplaced_rows:
            tables = {"codings that could not be re-anchored": added.unplaced, **tables}
        show(tables if len(tables) > 1 else next(iter(tables.values())), format, next(iter(tables)))


def _recode(book, project: str, unit: str, include_interviewer: bool, workers: int, format: str) -> None:
    """``thematic code --codebook CB --project P``: the stored documents coded again from the project's memory."""
    from ..errors import Errors, NotFoundError
    from ..store import Project
    from ..store.engine import is_url

    if not is_url(project) and not Path(project).exists():
        raise NotFoundError(Errors.S023.format(path=project, detail="does not exist"))
    with Project.open(project) as store:
        if not store.doc_ids:
            raise NotFoundError(Errors.S023.format(path=project, detail="holds no documents"))
        result = store.autocode(book, unit=unit, include_interviewer=include_interviewer, n_process=workers)
        note(f"rule coding of the stored documents: {_counts(result)}", format)
        _changes(result, format)
        show(store.status_rows(), format, f"codings in {store.path}")


def _counts(result: dict) -> str:
    """What ``Project.autocode`` did, in words."""
    return (f"{result['new']} new, {result['kept']} unchanged, {result['skipped']} skipped (rejected or already "
            f"coded by a person), {result['replaced']} replaced")


def _changes(result: dict, format: str) -> None:
    changes = result.get("changes", {})
    for kind in ("added", "removed", "renamed", "merged"):
        if changes.get(kind):
            shown = [" -> ".join(c) if isinstance(c, (list, tuple)) else c for c in changes[kind]]
            note(f"codes {kind} since the last codebook version: {', '.join(shown)}", format)


@app.command()
@friendly
def status(project: str = typer.Argument(..., help=PROJECT_HELP), format: str = format_option()) -> None:
    """Summarise a project's codings by coder, source and status (a file or a postgresql:// URL)."""
    from ..store.summary import project_summary  # plain rows: no pandas, so the command starts fast

    summary = project_summary(project)
    note(summary.described, format)
    show(summary.status, format, "codings by coder, source and status")
    note(f"{summary.waiting} machine codings wait for review", format)


@app.command()
@friendly
def copy(source: str = typer.Argument(..., help="Project to copy: a file or a postgresql:// URL."),
         dest: str = typer.Argument(..., help="New project: a file or a postgresql://user@host/db[?schema=] URL."),
         format: str = format_option()) -> None:
    """Copy a whole project between SQLite and PostgreSQL (either way), verified by counts and checksums."""
    from ..store import copy_project

    report = copy_project(source, dest)
    show(report.frame(), format, f"copied {report.source} -> {report.dest} (verified)")
