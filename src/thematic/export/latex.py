r"""LaTeX tables for the thesis: booktabs, every special character escaped, wide tables shrunk to fit.

Each file compiles with pdflatex in a minimal document::

    \documentclass{article}
    \usepackage[T1]{fontenc}
    \usepackage{booktabs,longtable,graphicx}
    \begin{document}\input{matrix_case_theme_coverage}\end{document}

A table of up to ``LONG`` rows is a ``table`` float whose tabular is scaled down to ``\linewidth``
when (and only when) it is wider; a longer one is a ``longtable`` that breaks across pages. Numbers
are right-aligned with fixed decimals in the output language (decimal comma in nb/nn/sv/da).
Written by hand rather than with ``pandas.Styler.to_latex`` because Styler can neither shrink a
wide table nor choose longtable by length.

Example:
    >>> print(latex_table(pd.DataFrame({"a_b": [1.25]}, index=pd.Index(["x"], name="case"))).splitlines()[0])
    % requires \usepackage[T1]{fontenc} and \usepackage{booktabs,longtable,graphicx}
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from .. import i18n
from ..codebook.export import latex_escape

LONG = 30  # rows; longer tables become a longtable
REQUIRES = r"% requires \usepackage[T1]{fontenc} and \usepackage{booktabs,longtable,graphicx}"
escape = latex_escape  # one escaping for every .tex thematic writes (the codebook's too)


def latex_table(frame: pd.DataFrame, *, caption: str = "", label: str = "", precision: int | None = None,
                lang: str = "en") -> str:
    """A booktabs table (longtable when long) with specials escaped and numbers in ``lang``'s notation."""
    from .word import decimals_for

    show_index = frame.index.name is not None or not isinstance(frame.index, pd.RangeIndex)
    body = frame.reset_index() if show_index else frame.copy()
    body.columns = [str(c) for c in body.columns]
    decimals = decimals_for(body)
    if precision is not None:
        decimals = {c: (0 if d == 0 else precision) for c, d in decimals.items()}
    spec = "".join("r" if c in decimals else "l" for c in body.columns)
    header = " & ".join(escape(str(c).replace("_", " ")) for c in body.columns) + r" \\"
    rows = []
    for row in body.itertuples(index=False):
        cells = [i18n.number(v, decimals[c], lang) if c in decimals else ("" if pd.isna(v) else escape(v))
                 for c, v in zip(body.columns, row)]
        rows.append(" & ".join(cells) + r" \\")
    safe_label = re.sub(r"[^A-Za-z0-9:_.-]", "-", label)
    cap = rf"\caption{{{escape(caption)}}}" if caption else ""
    lab = rf"\label{{{safe_label}}}" if label else ""
    if len(rows) > LONG:
        again = rf"\caption[]{{{escape(caption)}}}\\" if caption else ""
        head = [rf"{cap}{lab}\\" if cap or lab else "", r"\toprule", header, r"\midrule", r"\endfirsthead",
                again, r"\toprule", header, r"\midrule", r"\endhead", r"\bottomrule", r"\endfoot"]
        lines = [REQUIRES, r"\begingroup\footnotesize\setlength{\tabcolsep}{4pt}",
                 rf"\begin{{longtable}}{{{spec}}}", *[h for h in head if h], *rows, r"\end{longtable}",
                 r"\endgroup"]
    else:
        lines = [REQUIRES,
                 r"\ifdefined\thematictablebox\else\newsavebox{\thematictablebox}\fi",
                 r"\begin{table}[htbp]", r"\centering", *(x for x in (cap, lab) if x),
                 rf"\sbox{{\thematictablebox}}{{\begin{{tabular}}{{{spec}}}", r"\toprule", header, r"\midrule",
                 *rows, r"\bottomrule", r"\end{tabular}}",
                 r"\ifdim\wd\thematictablebox>\linewidth"
                 r"\resizebox{\linewidth}{!}{\usebox{\thematictablebox}}\else\usebox{\thematictablebox}\fi",
                 r"\end{table}"]
    return "\n".join(lines) + "\n"


def to_latex(frame: pd.DataFrame, path: str | Path, *, caption: str = "", label: str = "",
             precision: int | None = None, lang: str = "en") -> Path:
    """Write :func:`latex_table` to a ``.tex`` file (atomically)."""
    from ..outfiles import write_atomic

    text = latex_table(frame, caption=caption, label=label, precision=precision, lang=lang)
    return write_atomic(Path(path), lambda tmp: tmp.write_text(text, encoding="utf-8"))
