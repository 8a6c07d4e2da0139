"""Codebooks: YAML format, validation, REFI-QDA .qdc exchange and thesis appendix."""

from .model import Code, CodebookInfo, Pattern

__all__ = ["Code", "CodebookInfo", "Pattern"]
