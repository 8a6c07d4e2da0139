"""``thematic ingest PATH``: load transcripts and show what was read."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.table import Table

from ._app import app, console, friendly


@app.command()
@friendly
def ingest(
    path: Path = typer.Argument(..., help="Folder of transcripts (with cases.csv), or one file."),
    strict: bool = typer.Option(False, help="Treat any problem as fatal."),
    language: str = typer.Option(None, help="Default language when cases.csv gives none (nb, nn, sv, da, en)."),
) -> None:
    """Read transcripts and list documents, cases, speakers and problems."""
    from ..transcripts import ingest as ingest_corpus

    corpus = ingest_corpus(path, strict=strict, language=language)
    table = Table(title=f"{len(corpus)} documents from {path}")
    for column in ("file", "case", "language", "speakers", "informant words", "turns"):
        table.add_column(column, justify="right" if column in ("informant words", "turns") else "left")
    words = turns = 0
    for doc in corpus:
        n_words, n_turns = doc.informant_words(), len({s.turn for s in doc.segments})
        words, turns = words + n_words, turns + n_turns
        table.add_row(Path(doc.path).name, doc.case, doc.language, ", ".join(doc.speakers),
                      f"{n_words:,}", str(n_turns))
    table.add_section()
    table.add_row("total", f"{len({d.case for d in corpus})} cases", "", "", f"{words:,}", str(turns))
    console.print(table)
    for problem in corpus.problems:
        colour = "red" if problem.severity == "error" else "yellow"
        console.print(f"[{colour}]{problem.severity}:[/] {problem.message}", highlight=False, soft_wrap=True)
    if any(p.severity == "error" for p in corpus.problems):
        sys.exit(1)
