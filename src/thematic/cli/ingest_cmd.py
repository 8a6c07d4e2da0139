"""``thematic ingest PATH``: load transcripts and documents and show what was read, to be checked."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from ._app import app, console, err_console, format_option, friendly, print_table


@app.command()
@friendly
def ingest(
    path: Path = typer.Argument(..., help="Folder of transcripts and documents (with cases.csv), or one file."),
    strict: bool = typer.Option(False, help="Treat any problem as fatal."),
    language: str = typer.Option(None, help="Language for files cases.csv gives none for (nb, nn, sv, da, en); "
                                            "without it the language is identified from the text."),
    format: str = format_option(),
) -> None:
    """List each document's type, language (and how it was decided), speakers with roles and words, and warnings."""
    from ..transcripts import ingest as ingest_corpus

    corpus = ingest_corpus(path, strict=strict, language=language)
    overview = corpus.overview
    fmt = (format or "table").lower()
    if fmt == "json":
        speakers = corpus.speaker_table
        documents = []
        for row in json.loads(overview.drop(columns=["speakers"]).to_json(orient="records", force_ascii=False)):
            mine = speakers[speakers["doc_id"] == row["doc_id"]].drop(columns=["doc_id"])
            row["speakers"] = json.loads(mine.to_json(orient="records", force_ascii=False))
            row["warnings"] = [p.message for p in corpus.problems if Path(p.path).name == row["file"]]
            documents.append(row)
        problems = [{"path": p.path, "severity": p.severity, "message": p.message} for p in corpus.problems]
        sys.stdout.write(json.dumps({"documents": documents, "problems": problems}, ensure_ascii=False, indent=1)
                         + "\n")
    elif fmt == "csv":
        sys.stdout.write(overview.to_csv(index=False))
    else:
        print_table(_table(corpus, overview, path))
    out = console if fmt == "table" else err_console
    for problem in corpus.problems:
        colour = "red" if problem.severity == "error" else "yellow"
        out.print(f"[{colour}]{problem.severity}:[/] {problem.message}", highlight=False, soft_wrap=True)
    if any(p.severity == "error" for p in corpus.problems):
        sys.exit(1)


def _table(corpus, overview, path):
    from rich.table import Table

    table = Table(title=f"{len(corpus)} documents from {path}")
    for column in ("file", "case", "type", "language (how decided)", "speakers (role, words)", "coded words"):
        table.add_column(column, justify="right" if column == "coded words" else "left", overflow="fold")
    for row in overview.itertuples(index=False):
        how = row.language_source
        if how == "detected":
            how = f"detected: {row.language_detected}"
        elif row.language_detected and how != "default":
            how = f"{how}; text reads {row.language_detected}"
        elif how == "default":
            how = "default: too little text to tell"
        table.add_row(row.file, row.case, row.source_type.replace("_", " "), f"{row.language} ({how})",
                      row.speakers.replace("; ", "\n") or "-", f"{row.coded_words:,}")
    table.add_section()
    table.add_row("total", f"{overview['case'].nunique()} cases", "", "", "", f"{overview['coded_words'].sum():,}")
    return table
