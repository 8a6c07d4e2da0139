"""``thematic report``: the main job, from transcripts to every export and figure."""

from __future__ import annotations

from pathlib import Path

import typer

from ._app import app, console, friendly


@app.command()
@friendly
def report(
    corpus: Path = typer.Argument(None, help="Folder of transcripts (with cases.csv), for a new project."),
    codebook: Path = typer.Option(None, "--codebook", "-c", help="Codebook YAML, for a new project."),
    out: Path = typer.Option(Path("out/report"), "--out", "-o", help="Folder to write into."),
    unit: str = typer.Option("sentence", help="Coding unit: sentence, turn or paragraph."),
    project: str = typer.Option(None, "--project", "-p",
                                help="Project: a file or a postgresql:// URL (default: OUT/project.thematic). An "
                                     "existing project is reported as it is, without re-ingesting or re-coding."),
    codings: str = typer.Option(None, "--codings",
                                help="Which codings to report: reviewed (people's and accepted machine codings), "
                                     "all, or machine. Default: reviewed if anyone coded or reviewed, else all."),
    anonymous: bool = typer.Option(False, help="Refuse exports that contain a real name from --key."),
    key: Path = typer.Option(None, help="Pseudonym key (term,pseudonym,kind) to check exports against."),
    lang: str = typer.Option(None, "--lang", help="Language of the report: nb, nn, sv, da or en "
                                                  "(default: the codebook's first language)."),
    memos: bool = typer.Option(False, "--memos", help="Add the project's memos, each under its code or document."),
    csv_formula_guard: bool = typer.Option(True, help="Prefix CSV text starting with = + - @ with ' so that "
                                                      "spreadsheets show it as text (OWASP); turn off for R/pandas."),
) -> None:
    """Ingest, code, analyse and write Excel, CSV, Word, LaTeX and figures (or report on an existing --project)."""
    import matplotlib
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn  # here: `thematic --help` skips it

    from ..errors import Errors, StoreError

    matplotlib.use("Agg")  # the CLI draws files only; the library leaves the backend to the user
    from ..report import STEPS, build_report

    if corpus is None and project is None:
        raise StoreError(Errors.S001.format(path="(none)", detail="give a transcripts folder and --codebook for a new "
                                                                  "project, or --project P for an existing one"))

    with Progress(TextColumn("{task.description:<10}"), BarColumn(), TimeElapsedColumn(), console=console,
                  transient=True) as progress:
        task = progress.add_task("starting", total=len(STEPS))

        def on_step(name: str) -> None:
            progress.update(task, description=name, completed=STEPS.index(name))

        result = build_report(corpus, codebook, out, unit=unit, project_path=project, anonymous=anonymous,
                              key=key, on_step=on_step, codings=codings, lang=lang, memos=memos,
                              csv_formula_guard=csv_formula_guard)
    for problem in result.problems:
        console.print(f"[yellow]warning:[/] {problem}", highlight=False, soft_wrap=True)
    console.print(f"{result.codings} codings ({result.choice}); wrote {len(result.files)} files to {result.out_dir}:", highlight=False)
    for path in result.files:
        console.print(f"  {path}", highlight=False, soft_wrap=True)
