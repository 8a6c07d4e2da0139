"""``thematic report``: the main job, from transcripts to every export and figure."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from ._app import app, console, friendly


@app.command()
@friendly
def report(
    corpus: Path = typer.Argument(..., help="Folder of transcripts (with cases.csv)."),
    codebook: Path = typer.Option(..., "--codebook", "-c", help="Codebook YAML."),
    out: Path = typer.Option(Path("out/report"), "--out", "-o", help="Folder to write into."),
    unit: str = typer.Option("sentence", help="Coding unit: sentence, turn or paragraph."),
    project: Path = typer.Option(None, "--project", "-p", help="Project file (default: OUT/project.thematic)."),
    anonymous: bool = typer.Option(False, help="Refuse exports that contain a real name from --key."),
    key: Path = typer.Option(None, help="Pseudonym key (term,pseudonym,kind) to check exports against."),
    lang: str = typer.Option(None, "--lang", help="Language of the report: nb, nn, sv, da or en "
                                                  "(default: the codebook's first language)."),
    memos: bool = typer.Option(False, "--memos", help="Add the project's memos, each under its code or document."),
    csv_formula_guard: bool = typer.Option(True, help="Prefix CSV text starting with = + - @ with ' so that "
                                                      "spreadsheets show it as text (OWASP); turn off for R/pandas."),
) -> None:
    """Ingest, code, analyse and write Excel, CSV, Word, LaTeX and figures."""
    import matplotlib

    matplotlib.use("Agg")  # the CLI draws files only; the library leaves the backend to the user
    from ..report import STEPS, build_report

    with Progress(TextColumn("{task.description:<10}"), BarColumn(), TimeElapsedColumn(), console=console,
                  transient=True) as progress:
        task = progress.add_task("starting", total=len(STEPS))

        def on_step(name: str) -> None:
            progress.update(task, description=name, completed=STEPS.index(name))

        result = build_report(corpus, codebook, out, unit=unit, project_path=project, anonymous=anonymous,
                              key=key, on_step=on_step, lang=lang, memos=memos,
                              csv_formula_guard=csv_formula_guard)
    for problem in result.problems:
        console.print(f"[yellow]warning:[/] {problem}", highlight=False, soft_wrap=True)
    console.print(f"{result.codings} codings; wrote {len(result.files)} files to {result.out_dir}:", highlight=False)
    for path in result.files:
        console.print(f"  {path}", highlight=False, soft_wrap=True)
