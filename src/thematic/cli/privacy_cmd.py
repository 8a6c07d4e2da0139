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
    mapping: Path = typer.Option(None, help="Where to write which real name became which pseudonym "
                                            "(default: KEY_mapping.csv beside the key; never in --out)."),
    format: str = format_option(),
) -> None:
    """Write pseudonymised copies of every transcript, and a report of what was replaced.

    Ends by listing likely names left in the copies that the key does not cover, with file and line.
    """
    from ..privacy import Key, candidates as find_candidates, pseudonymise_corpus
    from ..transcripts import ingest

    mapping = mapping or key.with_name(f"{key.stem}_mapping.csv")
    the_key = Key.load(key)
    report = pseudonymise_corpus(corpus, the_key, out, overwrite=overwrite, mapping=mapping)
    counts = (report.groupby(["file", "output"])["count"].sum().rename("replacements").reset_index()
              if len(report) else report.reindex(columns=["file", "output"]).assign(replacements=0))
    show(counts, format, f"pseudonymised {report['file'].nunique()} files into {out}")
    note(f"report (pseudonyms only): {Path(out) / 'pseudonymisation_report.csv'}", format)
    note(f"mapping (real names; keep it with the key): {mapping}", format)
    copies = ingest(out)
    left = find_candidates(copies, the_key)
    if len(left):
        files = {d.doc_id: Path(d.path).name for d in copies}
        left = left.assign(file=[files.get(str(seen).rsplit(", line", 1)[0], "") for seen in left["first_seen"]],
                           line=[str(seen).rsplit("line ", 1)[-1] for seen in left["first_seen"]])
        show(left[["candidate", "kind", "count", "file", "line", "rules"]], format,
             f"{len(left)} likely names left that the key does not cover: check them")
    else:
        note("no likely names left outside the key", format)


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
