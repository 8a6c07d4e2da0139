"""``thematic pseudonymise``, ``thematic candidates`` and ``thematic check-leaks``."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from ._app import app, console, format_option, friendly, note, show


@app.command()
@friendly
def pseudonymise(
    corpus: Path = typer.Argument(..., help="Folder of transcripts."),
    key: Path = typer.Option(..., "--key", "-k", help="Key file: term,pseudonym,kind (kept apart from the data)."),
    out: Path = typer.Option(..., "--out", "-o", help="New folder for the pseudonymised copies."),
    overwrite: bool = typer.Option(False, help="Write into a non-empty output folder."),
    format: str = format_option(),
) -> None:
    """Write pseudonymised copies of every transcript, and a report of what was replaced."""
    from ..privacy import Key, pseudonymise_corpus

    report = pseudonymise_corpus(corpus, Key.load(key), out, overwrite=overwrite)
    counts = (report.groupby(["file", "output"])["count"].sum().rename("replacements").reset_index()
              if len(report) else report.reindex(columns=["file", "output"]).assign(replacements=0))
    show(counts, format, f"pseudonymised {report['file'].nunique()} files into {out}")
    note(f"report (pseudonyms only): {Path(out) / 'pseudonymisation_report.csv'}", format)


@app.command()
@friendly
def candidates(
    corpus: Path = typer.Argument(..., help="Folder of transcripts (or one file)."),
    key: Path = typer.Option(None, "--key", "-k", help="Key file; its terms are not listed again."),
    format: str = format_option(),
) -> None:
    """List likely names, places and organisations the key does not cover yet."""
    from ..privacy import Key, candidates as find_candidates
    from ..transcripts import ingest

    frame = find_candidates(ingest(corpus), Key.load(key) if key else None)
    show(frame, format, f"{len(frame)} candidates not in the key")


@app.command("check-leaks")
@friendly
def check_leaks(
    path: Path = typer.Argument(..., help="File or folder of exports to scan."),
    key: Path = typer.Option(..., "--key", "-k", help="Key file with the real terms."),
) -> None:
    """Scan exports (txt, csv, docx, xlsx, tex, ...) for real terms from the key; exit 1 on a leak."""
    from ..privacy import Key, find_leaks

    leaks = find_leaks(path, Key.load(key))
    for file, term in leaks:
        console.print(f"[red]leak:[/] '{term}' in {file}", highlight=False)
    if leaks:
        sys.exit(1)
    console.print("no real terms found")
