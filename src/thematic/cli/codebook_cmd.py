"""``thematic codebook show|lint|export``: look at, check and print codebooks."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from ._app import app, console, format_option, friendly
from ._app import show as show_frame

codebook_app = typer.Typer(help="Show, check and export codebooks.", no_args_is_help=True)
app.add_typer(codebook_app, name="codebook")


def _load(path: Path):
    from ..codebook import Codebook

    return Codebook.load(path)


@codebook_app.command("show")
@friendly
def show(codebook: Path = typer.Argument(..., help="Codebook (.yaml, .qdc, .qde or .qdpx)."),
         lang: str = typer.Option("en", help="Language of labels and definitions."),
         format: str = format_option()) -> None:
    """Print the themes and codes as a tree table (definitions in full)."""
    import pandas as pd

    book = _load(codebook)
    tree = (format or "table").lower() == "table"
    frame = pd.DataFrame([{"id": ("  " * code.depth if tree else "") + code.id, "depth": code.depth,
                           "label": code.label_in(lang), "definition": code.text_in("definition", lang),
                           "patterns": len(code.patterns)} for code in book.codes],
                         columns=["id", "depth", "label", "definition", "patterns"])
    show_frame(frame.drop(columns=["depth"]) if tree else frame, format, repr(book))


@codebook_app.command("lint")
@friendly
def lint(codebook: Path = typer.Argument(..., help="Codebook to check.")) -> None:
    """Check a codebook: exit 1 on errors (each names its line), 0 with warnings only."""
    from ..errors import CodebookError

    try:
        book = _load(codebook)
    except CodebookError as exc:
        console.print(f"[red]{exc}[/]", highlight=False, soft_wrap=True)
        sys.exit(1)
    warnings = book.lint()
    for warning in warnings:
        console.print(f"[yellow]warning:[/] {warning}", highlight=False, soft_wrap=True)
    console.print(f"{book!r}: {len(warnings)} warning(s), no errors", highlight=False)


@codebook_app.command("export")
@friendly
def export(codebook: Path = typer.Argument(..., help="Codebook to export."),
           output: Path = typer.Option(..., "-o", "--output", help="File to write."),
           format: str = typer.Option(None, "--format", help="docx, md, csv, xlsx, qdc or tex (default: from -o)."),
           lang: str = typer.Option(None, help="Language of headers, labels and definitions: nb, nn, sv, da or en "
                                                "(default: the codebook's first language).")) -> None:
    """Write the codebook as a thesis appendix (docx/tex/md), a table (csv/xlsx) or REFI-QDA (.qdc)."""
    from ..codebook.export import write_codebook

    path = write_codebook(_load(codebook), output, format, lang=lang)
    console.print(f"wrote {path}")
