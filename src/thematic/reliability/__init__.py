"""Inter-coder reliability: coefficients over reliability matrices, and agreement in a project.

    >>> from thematic import reliability
    >>> reliability.krippendorff_alpha([[1, 2, 3], [1, 2, 2]])  # doctest: +SKIP
"""

from .coefficients import (LEVELS, as_matrix, bootstrap_ci, cohen_kappa, fleiss_kappa, gwet_ac1, gwet_ac2, krippendorff_alpha,
                           percent_agreement, scott_pi)
from .project import agreement, character_agreement, disagreements, export_blind, import_coder, resolve

__all__ = ["percent_agreement", "cohen_kappa", "scott_pi", "fleiss_kappa", "krippendorff_alpha", "gwet_ac1", "gwet_ac2",
           "bootstrap_ci", "as_matrix", "LEVELS", "agreement", "character_agreement", "disagreements", "resolve",
           "export_blind", "import_coder"]
