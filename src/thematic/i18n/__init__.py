"""The output language: one small reviewed string table per language, numbers and quotation marks.

Each language is one module here (``en.py``, ``nb.py``, ``nn.py``, ``sv.py``, ``da.py``) holding
``STRINGS`` (the same keys in every language; ``en`` is the reference), ``LOCALE`` (the tag Word
uses for spell-checking) and ``QUOTES`` (the quotation marks). Numbers are formatted by Babel
(decimal comma in the Nordic languages). Nothing here imports the rest of thematic, so any layer
may use it.

Example:
    >>> text("h_method", "nb"), number(12.345, 1, "nb"), quoted("Ja", "sv")
    ('Metode', '12,3', '”Ja”')
"""

from __future__ import annotations

import importlib
import string
from functools import lru_cache
from types import ModuleType

LANGS = ("nb", "nn", "sv", "da", "en")
PARTIAL = "[…]"  # marks words left out of a quote, in every language


@lru_cache(maxsize=None)
def _module(lang: str) -> ModuleType:
    if lang not in LANGS:
        from ..errors import AnalysisError, Errors

        raise AnalysisError(Errors.A001.format(what="output language", value=lang, choices=", ".join(LANGS)))
    return importlib.import_module(f"{__name__}.{lang}")


def catalogue(lang: str) -> dict[str, str]:
    """Every output string of ``lang`` by key."""
    return dict(_module(lang).STRINGS)


def text(key: str, lang: str, **values) -> str:
    """The string ``key`` in ``lang`` with ``values`` filled in (KeyError names a missing key)."""
    strings = _module(lang).STRINGS
    if key not in strings:
        raise KeyError(f"no '{key}' in thematic/i18n/{lang}.py; add it there (and to every other language)")
    return strings[key].format(**values) if values else strings[key]


def has(key: str) -> bool:
    """Do the tables have ``key`` (every language has the keys ``en`` has; a test keeps it so)?"""
    return key in _module("en").STRINGS


def word(prefix: str, value, lang: str):
    """``value`` as a word of the output language when the tables have ``{prefix}_{value}``
    (``word("value", "rule", "nb")`` -> "regel"), else ``value`` as it is.

    >>> word("value", "rule", "nb"), word("value", "plugin-x", "nb")
    ('regel', 'plugin-x')
    """
    key = f"{prefix}_{value}"
    return text(key, lang) if has(key) else value


def locale_tag(lang: str) -> str:
    """The language tag Word and Babel use, e.g. ``nb-NO``."""
    return _module(lang).LOCALE


def quote_marks(lang: str) -> tuple[str, str]:
    return tuple(_module(lang).QUOTES)


def quoted(words: str, lang: str) -> str:
    """``words`` in the language's quotation marks: «…» (nb, nn), ”…” (sv), »…« (da), “…” (en)."""
    left, right = quote_marks(lang)
    return f"{left}{words}{right}"


def number(value, decimals: int, lang: str) -> str:
    """``value`` with exactly ``decimals`` decimals in the language's notation (Babel): 12,3 in nb."""
    from babel.numbers import format_decimal

    if value is None or value != value:  # None or NaN
        return ""
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(value, format=pattern, locale=locale_tag(lang).replace("-", "_"), group_separator=False)


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def missing() -> dict[str, list[str]]:
    """Per language, what is wrong with its table against ``en``: missing, extra, empty or placeholder drift."""
    reference = catalogue("en")
    problems: dict[str, list[str]] = {}
    for lang in LANGS:
        table = catalogue(lang)
        found = [f"missing '{k}'" for k in reference if k not in table]
        found += [f"extra '{k}'" for k in table if k not in reference]
        found += [f"empty '{k}'" for k, v in table.items() if not v.strip()]
        found += [f"'{k}' has placeholders {sorted(placeholders(table[k]))}, en has {sorted(placeholders(v))}"
                  for k, v in reference.items() if k in table and placeholders(table[k]) != placeholders(v)]
        if found:
            problems[lang] = found
    return problems
