"""Codebooks: YAML format, validation, REFI-QDA .qdc exchange and thesis appendix.

    >>> from thematic.codebook import Codebook
    >>> book = Codebook.load("codebooks/digitalisering.yaml")  # doctest: +SKIP
"""

from .io import Codebook
from .model import Code, CodebookInfo, Pattern

__all__ = ["Codebook", "Code", "CodebookInfo", "Pattern"]
