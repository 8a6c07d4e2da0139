"""Exports for the thesis: Excel, CSV, Word and LaTeX.

    >>> from thematic import export
    >>> export.to_excel({"coverage": matrix}, "out/report.xlsx")  # doctest: +SKIP
"""

from .tables import latex_table, to_csv, to_excel, to_latex
from .word import ReportContent, to_word

__all__ = ["to_excel", "to_csv", "to_latex", "latex_table", "to_word", "ReportContent"]
