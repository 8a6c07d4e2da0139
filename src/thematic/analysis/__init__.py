"""Cross-case analysis: pure functions over the tidy codings table.

    >>> import thematic as th
    >>> th.analysis.matrix(project.codings, rows="case", cell="coverage")  # doctest: +SKIP
"""

from .cooccurrence import cooccurrence
from .quotes import framework, quotes, reference
from .provenance import CHOICES as CODINGS_CHOICES, default_choice, describe, select_codings, unreviewed
from .saturation import saturation, theme_positions
from .tables import CELLS, coded_words, filter_codings, frequencies, matrix

__all__ = ["frequencies", "matrix", "framework", "quotes", "reference", "cooccurrence", "saturation",
           "theme_positions", "filter_codings", "coded_words", "CELLS", "select_codings", "default_choice",
           "describe", "unreviewed", "CODINGS_CHOICES"]
