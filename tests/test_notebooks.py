"""Every notebook runs top to bottom, and its stored outputs match what it produces now."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
sys.path.insert(0, str(NOTEBOOKS))

from run_notebooks import execute  # noqa: E402

_VOLATILE = re.compile(r"0x[0-9a-f]+|\d+\.\d+ ?s\b")  # object addresses, timings


def text_outputs(notebook) -> list[tuple[int, str]]:
    """Each cell's outputs as text; consecutive stdout chunks of a cell are joined first, because the
    kernel splits one cell's printing into stream outputs differently from run to run."""
    out = []
    for i, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        outputs = []
        for output in cell.get("outputs", []):
            if (outputs and output.get("output_type") == "stream" and outputs[-1].get("output_type") == "stream"
                    and output.get("name") == outputs[-1].get("name")):
                text = output.get("text", "")
                outputs[-1] = {**outputs[-1], "text": "".join(outputs[-1].get("text", "")) + "".join(text)}
            else:
                outputs.append(output)
        for output in outputs:
            if output.get("output_type") == "error":
                out.append((i, "ERROR " + output.get("ename", "")))
            text = output.get("text") or output.get("data", {}).get("text/plain", "")
            if isinstance(text, list):
                text = "".join(text)
            if text and "WARNING" not in text:
                out.append((i, _VOLATILE.sub("…", text.strip())))
            if "image/png" in output.get("data", {}):
                out.append((i, "<png>"))
    return out


@pytest.mark.parametrize("name", sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")))
def test_notebook_runs_and_matches_its_stored_outputs(name):
    stored = nbformat.read(NOTEBOOKS / name, as_version=4)
    assert any(c.cell_type == "markdown" for c in stored.cells)  # explained in plain language
    fresh = execute(NOTEBOOKS / name)
    produced = text_outputs(fresh)
    assert not [t for _, t in produced if t.startswith("ERROR")]
    assert produced == text_outputs(stored), "stored outputs are stale: run python notebooks/run_notebooks.py"


def test_there_are_four_notebooks_and_the_findings_cover_every_theme():
    names = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))
    assert names == ["01_quickstart.ipynb", "02_coding_and_reliability.ipynb", "03_cross_case_comparison.ipynb",
                     "04_findings.ipynb"]
    findings = nbformat.read(NOTEBOOKS / "04_findings.ipynb", as_version=4)
    text = "\n".join(str(o.get("data", {}).get("text/plain", "")) for c in findings.cells if c.cell_type == "code"
                     for o in c.get("outputs", []))
    for theme in ("strategy", "target_picture", "leadership", "learning", "organisation"):
        assert theme in text
    assert "municipality" in text and "network" in text
    # quotes carry references to case, informant and lines, for municipalities and for networks
    assert re.search(r"kommune, K\d, lines? \d+", text) and re.search(r"(samarbeid|Dalnett IKT-samarbeid), K\d, lines? \d+", text)


def _figures(notebook) -> list[int]:
    """Indexes of the code cells that show a figure (a PNG), in order."""
    return [i for i, cell in enumerate(notebook.cells) if cell.cell_type == "code"
            for output in cell.get("outputs", []) if "image/png" in output.get("data", {})]


def test_every_stored_notebook_shows_a_figure():
    """The issue's "done when": the four notebooks are stored with their figures."""
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        assert _figures(nbformat.read(path, as_version=4)), f"{path.name} stores no figure (image/png output)"


@pytest.mark.parametrize("name,sources", [
    ("01_quickstart.ipynb", ("plots.heatmap(coverage",)),
    ("02_coding_and_reliability.ipynb", ("plots.heatmap(coefficients", "plots.heatmap(scores")),
    ("03_cross_case_comparison.ipynb", ("plots.heatmap", "plots.prevalence_bars", "plots.cooccurrence_heatmap",
                                        "plots.saturation_curve")),
    ("04_findings.ipynb", ("plots.heatmap", "plots.cooccurrence_heatmap", "plots.saturation_curve")),
])
def test_stored_notebooks_show_their_figures(name, sources):
    """Every plotting cell is stored with its figure, once (the library leaves Jupyter's inline backend alone)."""
    stored = nbformat.read(NOTEBOOKS / name, as_version=4)
    shown = _figures(stored)
    plotting = [i for i, cell in enumerate(stored.cells) if cell.cell_type == "code" and "plots." in cell.source
                and any(s in cell.source for s in sources)]
    assert len(plotting) == len(sources)
    assert shown == plotting, "a figure is missing or shown twice: run python notebooks/run_notebooks.py"
