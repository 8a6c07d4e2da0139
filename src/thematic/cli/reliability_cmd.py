"""Agreement between coders, the blind second-coder workflow, disagreements and suggestions."""

from __future__ import annotations

from pathlib import Path

import typer
from ._app import PROJECT_HELP, app, console, format_option, friendly, note, show


def _coders(value: str | None):
    return [c.strip() for c in value.split(",")] if value else None


@app.command()
@friendly
def agreement(project: str = typer.Argument(..., help=PROJECT_HELP),
              coders: str = typer.Option(None, help="Coders to compare, comma-separated (default: everyone)."),
              level: str = typer.Option("code", help="code or theme."),
              unit: str = typer.Option("segment", help="segment, or character (NVivo-style)."),
              format: str = format_option()) -> None:
    """Inter-coder agreement per code/theme and overall (kappa, alpha, AC1, percent agreement)."""
    from ..reliability import agreement as compute
    from ..store import Project

    with Project.open(project) as store:
        show(compute(store.codings, _coders(coders), level=level, unit=unit), format, f"agreement per {level}")


@app.command()
@friendly
def disagreements(project: str = typer.Argument(..., help=PROJECT_HELP),
                  coders: str = typer.Option(None, help="Coders, comma-separated."),
                  out: Path = typer.Option(..., "-o", "--out", help="Spreadsheet (.xlsx) to write."),
                  level: str = typer.Option("code", help="code or theme.")) -> None:
    """Write every segment where coders differ to a spreadsheet with a 'resolution' column to fill in."""
    from ..export import to_excel
    from ..reliability import disagreements as compute
    from ..store import Project

    with Project.open(project) as store:
        table = compute(store.codings, _coders(coders), level=level, segments=store.segments)
    to_excel({"disagreements": table}, out)
    console.print(f"{len(table)} disagreements written to {out}")


@app.command("resolve")
@friendly
def resolve_cmd(project: str = typer.Argument(..., help=PROJECT_HELP),
                table: Path = typer.Argument(..., help="Filled-in disagreements spreadsheet."),
                coder: str = typer.Option(..., help="Who resolved them.")) -> None:
    """Write the agreed codings from a filled-in disagreement spreadsheet."""
    import pandas as pd

    from ..reliability import resolve
    from ..store import Project

    frame = pd.read_excel(table, dtype=str).fillna("")
    with Project.open(project) as store:
        ids = resolve(store, frame, coder)
    console.print(f"{len(ids)} resolved codings written")


@app.command("blind-export")
@friendly
def blind_export(project: str = typer.Argument(..., help=PROJECT_HELP),
                 coder: str = typer.Option(..., help="The second coder's name."),
                 out: Path = typer.Option(..., "-o", "--out", help="Folder for the package.")) -> None:
    """Package the documents and codebook for a blind second coder (no codings)."""
    from ..reliability import export_blind
    from ..store import Project

    with Project.open(project) as store:
        paths = export_blind(store, out, coder)
    for kind, path in paths.items():
        console.print(f"{kind}: {path}")


@app.command("blind-import")
@friendly
def blind_import(project: str = typer.Argument(..., help=PROJECT_HELP),
                 returned: Path = typer.Argument(..., help="The coder's .thematic copy or filled .xlsx sheet."),
                 coder: str = typer.Option(..., help="The second coder's name.")) -> None:
    """Bring a blind second coder's codings back into the project."""
    from ..reliability import import_coder
    from ..store import Project

    with Project.open(project) as store:
        ids = import_coder(store, returned, coder)
    console.print(f"{len(ids)} codings by {coder} imported")


@app.command()
@friendly
def suggest(project: str = typer.Argument(..., help=PROJECT_HELP),
            threshold: float = typer.Option(0.5, help="Minimum probability."),
            level: str = typer.Option("code", help="code or theme."),
            unit: str = typer.Option("segment", help="segment (learn from the paragraphs people coded), or sentence "
                                                     "or turn (learn from whole documents people coded, a unit left "
                                                     "uncoded being an example of no code; suggest for the others)."),
            format: str = format_option()) -> None:
    """Learn from people's codings and queue code suggestions for uncoded segments."""
    from ..store import Project
    from ..suggest import suggest as run

    with Project.open(project) as store:
        suggestions, model = run(store, threshold=threshold, level=level, unit=unit)
    show(model.evaluate(), format, f"cross-validated quality per {level}")
    note(f"{len(suggestions)} suggestions added to the review queue", format)
