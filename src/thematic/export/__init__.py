"""Exports for the thesis: Excel, CSV, Word and LaTeX.

    >>> from thematic import export
    >>> export.to_excel({"coverage": matrix}, "out/report.xlsx")  # doctest: +SKIP
"""

from .latex import latex_table, to_latex
from .tables import to_csv, to_excel
from .word import ReportContent, mark_partial, set_language, to_word

__all__ = ["to_excel", "to_csv", "to_latex", "latex_table", "to_word", "ReportContent", "mark_partial", "set_language"]
