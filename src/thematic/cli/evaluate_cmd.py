"""Machine coding against a person's coding: thematic evaluate."""

from __future__ import annotations

from pathlib import Path

import typer
from ._app import PROJECT_HELP, app, console, frame_table, friendly


def _interval_table(frame, level: str):
    """Counts, then each figure with its interval as "0.52 [0.40–0.64]"."""
    import pandas as pd

    out = frame[[level, "machine", "person", "tp", "fp", "fn"]].copy()
    for name in ("precision", "recall", "f1"):
        out[name] = [("–" if pd.isna(v) else f"{v:.2f} [{lo:.2f}–{hi:.2f}]")
                     for v, lo, hi in zip(frame[name], frame[f"{name}_low"], frame[f"{name}_high"])]
    out["kappa"] = frame["kappa"].round(3)
    return out


@app.command()
@friendly
def evaluate(project: str = typer.Argument(..., help=PROJECT_HELP),
             against: str = typer.Option(..., "--against", help="The person whose coding is the reference."),
             codes: str = typer.Option("rules", help="Machine codings to evaluate: rules, suggestions or machine "
                                                     "(both)."),
             unit: str = typer.Option("sentence", help="Unit compared: sentence or turn."),
             out: Path = typer.Option(None, "-o", "--out", help="Folder for evaluation_themes.csv, "
                                                              "evaluation_codes.csv and evaluation_errors.csv."),
             examples: int = typer.Option(2, help="False positives and misses to print per code (all go to CSV)."),
             csv_formula_guard: bool = typer.Option(True, help="Prefix ' to CSV text fields a spreadsheet would run "
                                                               "as formulas (= + - @).")) -> None:
    """Precision, recall, F1 (95% intervals) and kappa of machine coding against one person's coding,
    per theme and code, with the false positives and misses to fix in the codebook."""
    from ..evaluation import evaluate as run
    from ..export import to_csv
    from ..store import Project

    with Project.open(project) as store:
        result = run(store, against, codes=codes, unit=unit)
    console.print(f"{result.codes_source} against {result.against}: {result.units} {result.unit} units of "
                  f"informant speech in {result.documents} documents (Wilson intervals for precision and recall, "
                  "bootstrap for F1)")
    console.print(frame_table(_interval_table(result.themes, "theme"), "per theme"))
    console.print(frame_table(_interval_table(result.codes, "code"), "per code"))
    if examples > 0 and len(result.errors):
        shown = result.errors.groupby(["code", "kind"], sort=True).head(examples)
        console.print(frame_table(shown[["code", "kind", "doc_id", "line_start", "quote", "rule", "person_codes"]]
                                  .astype(str), "false positives and misses (first per code)"))
    if out is not None:
        for path in to_csv(result.tables(), out, formula_guard=csv_formula_guard):
            console.print(f"wrote {path}")
