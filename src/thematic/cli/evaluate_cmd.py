"""Machine coding against a person's coding: thematic evaluate."""

from __future__ import annotations

from pathlib import Path

import typer
from ._app import PROJECT_HELP, app, format_option, friendly, note, show


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
             codebook: Path = typer.Option(None, "--codebook", "-c", help="Evaluate this codebook's rules "
                                                                       "(e.g. a draft) instead of the project's."),
             examples: int = typer.Option(2, help="False positives and misses to print per code (all go to CSV)."),
             csv_formula_guard: bool = typer.Option(True, help="Prefix ' to CSV text fields a spreadsheet would run "
                                                               "as formulas (= + - @)."),
             format: str = format_option()) -> None:
    """Precision, recall, F1 (95% intervals) and kappa of machine coding against one person's coding, per theme and code, with the false positives and misses to fix in the codebook.

    Suggestions are learned from people's coding and offered only where nobody coded: evaluate them against a coder they did not learn from (a blind second coder), not against their teacher.
    """  # noqa: E501  (one line per paragraph: the help wraps it)
    from ..errors import AnalysisError, Errors
    from ..evaluation import evaluate as run
    from ..export import to_csv
    from ..store import Project

    from ..store.engine import is_url

    if not is_url(project) and not Path(project).is_file():  # opening would create an empty project
        raise AnalysisError(Errors.A002.format(detail=f"{project}: no such project file. Check the path, or "
                                                      "create one with 'thematic code'."))
    from ..codebook import Codebook

    book = Codebook.load(codebook) if codebook is not None else None
    with Project.open(project, create=False) as store:
        result = run(store, against, codes=codes, unit=unit, codebook=book)
    note(f"{result.codes_source} against {result.against}: {result.units} {result.unit} units of "
         f"informant speech in {result.documents} documents (Wilson intervals for precision and recall, "
         "bootstrap for F1)", format)
    tables = {"per theme": _interval_table(result.themes, "theme"), "per code": _interval_table(result.codes, "code")}
    if examples > 0 and len(result.errors):
        shown = result.errors.groupby(["code", "kind"], sort=True).head(examples).copy()
        if (format or "table").lower() == "table":
            long = shown["quote"].str.len() > 240  # on screen only; CSV/JSON and the CSV files keep every quote whole
            shown.loc[long, "quote"] = shown.loc[long, "quote"].str[:240] + "…"
        tables["false positives and misses (first per code)"] = (
            shown[["code", "kind", "doc_id", "line_start", "quote", "rule", "person_codes"]].astype(str))
    show(tables, format)
    if (warning := result.sparse_reference()) is not None:
        note(warning, format)
    if out is not None:
        for path in to_csv(result.tables(), out, formula_guard=csv_formula_guard):
            note(f"wrote {path}", format)
