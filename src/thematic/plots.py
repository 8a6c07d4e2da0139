"""Figures for the thesis (matplotlib, no display needed): heatmaps, bars and the saturation curve.

Every function returns a ``Figure``; :func:`save` writes PNG, SVG or PDF by suffix
and closes it. DejaVu Sans shows Nordic letters (æøå, åäö). The library never chooses
the matplotlib backend (so Jupyter draws inline); the CLI chooses Agg.

Example:
    >>> fig = heatmap(th.analysis.matrix(project.codings, cell="coverage"), title="Coverage (%)")  # doctest: +SKIP
    >>> save(fig, "out/coverage.png")                                                          # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .outfiles import write_atomic  # noqa: E402

STYLE = {"font.family": "DejaVu Sans", "font.size": 9, "axes.titlesize": 11, "axes.titleweight": "bold",
         "axes.spines.top": False, "axes.spines.right": False, "figure.dpi": 100, "savefig.dpi": 200,
         "savefig.bbox": "tight"}
CMAP = "YlGnBu"


_backend_ready = False


def _style():
    """Our rc settings for one figure. Pyplot sets up the user's backend (inline in Jupyter, Agg on a
    server, whatever was chosen) on its first figure; that must happen outside our rc context, or
    Jupyter's interactive flag is rolled back when the context closes and later figures are not shown.
    One empty figure, closed at once, makes pyplot do it."""
    global _backend_ready
    if not _backend_ready:
        plt.close(plt.figure())
        _backend_ready = True
    return plt.rc_context(STYLE)


def _figure(width: float, height: float):
    with _style():
        fig, ax = plt.subplots(figsize=(width, height), layout="constrained")
    return fig, ax


def _labels(values, width: int | None = None) -> list[str]:
    """Tick labels: words, not ids; long ones wrapped onto lines of at most ``width`` characters.

    Unwrapped, one long label (a code's full name, a label flattened from several languages) takes
    the figure's whole height and constrained layout gives up, leaving the cells a sliver.
    The standard library's textwrap breaks at spaces and hyphens, which is all a label needs."""
    import textwrap

    words = [str(v).replace("_", " ") for v in values]
    if width is None:
        return words
    return ["\n".join(textwrap.wrap(w, width, break_long_words=False, max_lines=4, placeholder=" …")) or w
            for w in words]


def _lines(labels: list[str]) -> int:
    return max((label.count("\n") + 1 for label in labels), default=1)


def _words(name) -> str:
    """An axis label from a column name: words, never ``case_type``."""
    return str(name or "").replace("_", " ")


def heatmap(matrix: pd.DataFrame, *, title: str = "", fmt: str = "{:.0f}", cmap: str = CMAP,
            xlabel: str | None = None, ylabel: str | None = None, diagonal: bool = True,
            decimal: str = "."):
    """A heatmap with the value written in every cell.

    ``diagonal=False`` (a square matrix such as co-occurrence) leaves the diagonal out of the colour
    scale and shows it blank with a dash; ``decimal=","`` writes decimal commas.
    """
    with _style():
        rows, cols = matrix.shape
        xticks, yticks = _labels(matrix.columns, 18), _labels(matrix.index, 28)
        # each extra line of a wrapped column label needs room below the cells; each row label's lines beside them
        fig, ax = _figure(max(4.5, 1.1 * cols + 2.5),
                          max(2.5, max(0.45, 0.16 * _lines(yticks)) * rows + 1.6 + 0.2 * (_lines(xticks) - 1)))
        data = matrix.to_numpy(dtype="float64").copy()
        if not diagonal:
            np.fill_diagonal(data, np.nan)
        shown = np.ma.masked_invalid(data)
        colours = plt.get_cmap(cmap).with_extremes(bad="#f0f0f0")
        finite = data[np.isfinite(data)]
        top = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
        image = ax.imshow(shown, cmap=colours, aspect="auto", vmin=0, vmax=top)
        ax.set_xticks(range(cols), xticks, rotation=30, ha="right", fontsize=8 if _lines(xticks) > 1 else None)
        ax.set_yticks(range(rows), yticks)
        threshold = top / 2
        for i in range(rows):
            for j in range(cols):
                value = data[i, j]
                text = "–" if np.isnan(value) else fmt.format(value).replace(".", decimal)
                ax.text(j, i, text, ha="center", va="center", fontsize=8,
                        color="white" if value > threshold else "black")
        ax.set_title(title)
        ax.set_xlabel(xlabel if xlabel is not None else _words(matrix.columns.name))
        ax.set_ylabel(ylabel if ylabel is not None else _words(matrix.index.name))
        for spine in ax.spines.values():
            spine.set_visible(False)
        bar = fig.colorbar(image, ax=ax, shrink=0.8)
        if decimal != ".":  # the scale in the same notation as the cells (0,15 in nb/sv/da)
            from matplotlib.ticker import FuncFormatter

            bar.ax.yaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:g}".replace(".", decimal)))
    return fig


def prevalence_bars(matrix: pd.DataFrame, *, title: str = "", ylabel: str = "", xlabel: str | None = None):
    """Grouped bars: one group per row (case), one bar per column (theme)."""
    with _style():
        rows, cols = matrix.shape
        # at most 8 inches wide: a wider figure is shrunk to the page in Word and its labels become unreadable
        width_in = min(8.0, max(5.5, 0.9 * rows * max(1, cols) / 3 + 2))
        # the legend below the bars: as many columns as its longest (wrapped) entry allows, so that long
        # theme labels make more legend rows instead of a legend wider than the figure (which loses it)
        entries = _labels(matrix.columns, 28)
        longest = max((len(line) for e in entries for line in e.split("\n")), default=1)
        ncols = max(1, min(cols, 5, int((width_in - 0.5) / (0.065 * longest + 0.45))))
        legend_rows = -(-max(cols, 1) // ncols)
        fig, ax = _figure(width_in, 3.6 + 0.17 * (legend_rows * _lines(entries) - 1))
        width = 0.8 / max(cols, 1)
        x = np.arange(rows)
        colours = plt.get_cmap("tab10")
        for j, column in enumerate(matrix.columns):
            ax.bar(x + (j - (cols - 1) / 2) * width, matrix[column].to_numpy(dtype="float64"), width,
                   label=entries[j], color=colours(j % 10))
        ax.set_xticks(x, _labels(matrix.index, 24), rotation=20, ha="right")
        ax.set_title(title)
        ax.set_ylabel(ylabel)
        ax.set_xlabel(xlabel if xlabel is not None else _words(matrix.index.name))
        ax.legend(frameon=False, fontsize=8, ncols=ncols, loc="upper center", bbox_to_anchor=(0.5, -0.25))
        ax.grid(axis="y", alpha=0.3)
    return fig


def cooccurrence_heatmap(matrix: pd.DataFrame, *, title: str = "Co-occurrence", order=None,
                         xlabel: str | None = None, ylabel: str | None = None, decimal: str = "."):
    """A co-occurrence matrix as a heatmap (two decimals for coefficients, integers for counts).

    The diagonal (each code with itself) is left out of the colour scale so that it does not wash
    out the pairs; ``order`` (e.g. the codebook's ids) orders rows and columns.
    """
    if order is not None and len(matrix):
        keep = [x for x in order if x in matrix.index] + [x for x in matrix.index if x not in set(order)]
        matrix = matrix.loc[keep, keep]
    integer = all(np.issubdtype(t, np.integer) for t in matrix.dtypes)
    return heatmap(matrix, title=title, fmt="{:.0f}" if integer else "{:.2f}", cmap="PuRd", diagonal=False,
                   xlabel=xlabel, ylabel=ylabel, decimal=decimal)


def saturation_curve(table: pd.DataFrame, *, title: str = "Saturation: codes found per interview",
                     xlabel: str = "interview (in order)", ylabel: str = "codes",
                     legend: tuple[str, str] = ("new codes", "cumulative codes")):
    """Cumulative distinct codes (line) and new codes (bars) per successive interview."""
    with _style():
        fig, ax = _figure(max(5.5, 0.7 * len(table) + 2), 3.4)
        x = np.arange(len(table))
        ax.bar(x, table["new_codes"], color="#9ecae1", label=legend[0])
        ax.plot(x, table["cumulative"], marker="o", color="#08519c", label=legend[1])
        ax.set_xticks(x, _labels(table["doc_id"]), rotation=30, ha="right")
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.set_title(title)
        ax.legend(frameon=False)
        ax.grid(axis="y", alpha=0.3)
    return fig


def save(fig, path: str | Path) -> Path:
    """Write a figure as PNG, SVG or PDF (by suffix) and close it."""
    path = Path(path)

    def draw(tmp: Path) -> None:
        with _style():
            fig.savefig(tmp, format=path.suffix.lstrip(".").lower() or None)

    try:
        write_atomic(path, draw)
    finally:
        plt.close(fig)
    return path
