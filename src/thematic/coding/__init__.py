"""Rule coding: explainable lemma/compound/regex rules compiled from a codebook.

    >>> import thematic as th
    >>> book = th.Codebook.load("codebooks/digitalisering.yaml")  # doctest: +SKIP
    >>> th.code_texts(["Vi har ingen målbilde."], book)          # doctest: +SKIP
"""

from .engine import Unit, code_corpus, code_document, code_parsed, code_texts, coding_units, iter_codings, rule_coder
from .render import CodedDocument, render_html
from .rules import Hit, Rule, RuleCoder

__all__ = ["RuleCoder", "Rule", "Hit", "Unit", "code_document", "code_corpus", "code_parsed", "code_texts",
           "coding_units", "iter_codings", "rule_coder", "render_html", "CodedDocument"]
