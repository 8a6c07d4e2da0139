"""Codebook domain objects: patterns, codes and the codebook itself.

A codebook is a tree. Its roots are the *themes*; codes and sub-codes hang
below them. Every node has a full dotted id built from slugs, e.g. theme
``target_picture``, code ``target_picture.unclear``. The theme of any code is
the first part of its id.

Pattern syntax (one string per pattern, per language):
    ``strategi``            a word: matches a token whose lemma or lower-case form is ``strategi``
    ``*strategi``           ... or a compound whose *head* (last part) is it: ``digitaliseringsstrategien``
    ``strategi*``           ... or a compound whose *first part* is it: ``strategiarbeidet``
    ``*strategi*``          ... either
    ``felles målbilde``     a phrase: consecutive tokens, each matched as a word (each part may use ``*``)
    ``re:\\bplan(er)? for\\b``  a regular expression over the unit's text (case-insensitive)
Exclusion patterns (``not_patterns``) use the same syntax; a positive match is
dropped when an exclusion match overlaps it (false friends such as
``strategisk plassering`` or ``nettverkskabel``).

Example:
    >>> Pattern.parse("*strategi", lang="nb")
    Pattern(lang='nb', text='strategi', kind='word', head=True, first=False, exclude=False)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Mapping

from ..types import theme_of


@dataclass(frozen=True)
class Pattern:
    """One matching pattern. ``kind`` is "word", "phrase" or "regex"."""

    lang: str
    text: str
    kind: str = "word"
    head: bool = False   # may match as the last part of a compound
    first: bool = False  # may match as the first part of a compound
    exclude: bool = False

    @classmethod
    def parse(cls, raw: str, lang: str, exclude: bool = False) -> "Pattern":
        raw = raw.strip()
        if raw.startswith("re:"):
            return cls(lang, raw[3:].strip(), "regex", exclude=exclude)
        if " " in raw:
            return cls(lang, " ".join(raw.split()).lower(), "phrase", exclude=exclude)
        head, first = raw.startswith("*"), raw.endswith("*") and len(raw) > 1
        return cls(lang, raw.strip("*").lower(), "word", head=head, first=first, exclude=exclude)

    @property
    def source(self) -> str:
        """The pattern as written in the codebook (used as the ``rule`` explanation)."""
        if self.kind == "regex":
            return f"re:{self.text}"
        if self.kind == "phrase":
            return self.text
        return f"{'*' if self.head else ''}{self.text}{'*' if self.first else ''}"

    def words(self) -> list["Pattern"]:
        """The word patterns of a phrase (each part may carry ``*``)."""
        if self.kind != "phrase":
            return [self]
        return [Pattern.parse(w, self.lang, self.exclude) for w in self.text.split()]


@dataclass(frozen=True)
class Code:
    """A theme (a root node) or a code/sub-code.

    Text fields are mappings from language code to text (``{"en": ..., "nb": ...}``).
    """

    id: str
    label: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)
    definition: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)
    when_to_use: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)
    when_not_to_use: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)
    examples: tuple[str, ...] = ()
    colour: str = ""
    patterns: tuple[Pattern, ...] = ()
    not_patterns: tuple[Pattern, ...] = ()
    line: int | None = None  # line in the YAML file where the code is defined
    guid: str = ""  # REFI-QDA GUID when imported or fixed by the researcher; else derived on export

    @property
    def parent(self) -> str | None:
        return self.id.rsplit(".", 1)[0] if "." in self.id else None

    @property
    def theme(self) -> str:
        return theme_of(self.id)

    @property
    def is_theme(self) -> bool:
        return "." not in self.id

    @property
    def depth(self) -> int:
        return self.id.count(".")

    def label_in(self, lang: str = "en") -> str:
        """Label in ``lang``, falling back to English, then any language, then the slug."""
        return self.label.get(lang) or self.label.get("en") or next(iter(self.label.values()), "") or self.id.rsplit(".", 1)[-1]

    def text_in(self, field_name: str, lang: str = "en") -> str:
        values: Mapping[str, str] = getattr(self, field_name)
        return values.get(lang) or values.get("en") or next(iter(values.values()), "")

    def text_for(self, field_name: str, lang: str, order: tuple[str, ...] = ()) -> tuple[str, str]:
        """``(text, from_lang)``: the text in ``lang``, else the first language of ``order`` that has it,
        else any; ``from_lang`` is "" when the text is in ``lang`` itself (so a caller can mark a fallback).
        A label falls back to the slug as a last resort; other fields may be ``("", "")``."""
        values: Mapping[str, str] = getattr(self, field_name)
        if values.get(lang):
            return values[lang], ""
        for other in (*order, *values):
            if values.get(other):
                return values[other], other
        return (self.id.rsplit(".", 1)[-1], "id") if field_name == "label" else ("", "")

    def shown(self, field_name: str, lang: str, order: tuple[str, ...] = ()) -> str:
        """The text for an output in ``lang``; a fallback carries a visible marker: ``Strategy [en]``."""
        value, other = self.text_for(field_name, lang, order)
        return f"{value} [{other}]" if value and other else value


@dataclass(frozen=True)
class CodebookInfo:
    id: str
    name: str = ""
    version: str = "0"
    authors: tuple[str, ...] = ()
    languages: tuple[str, ...] = ("en",)
    description: str = ""


class CodebookBase:
    """Behaviour over an ordered collection of codes (loading lives in ``thematic.codebook.io``)."""

    def __init__(self, info: CodebookInfo, codes: tuple[Code, ...] = (), path: str = ""):
        self.info = info
        self.path = path
        self._codes: dict[str, Code] = {c.id: c for c in codes}

    @property
    def id(self) -> str:
        return self.info.id

    @property
    def version(self) -> str:
        return self.info.version

    @property
    def codes(self) -> list[Code]:
        """All nodes, themes included, in file order."""
        return list(self._codes.values())

    @property
    def themes(self) -> list[Code]:
        return [c for c in self._codes.values() if c.is_theme]

    def __iter__(self) -> Iterator[Code]:
        return iter(self._codes.values())

    def __len__(self) -> int:
        return len(self._codes)

    def __contains__(self, code_id: object) -> bool:
        return code_id in self._codes

    def get(self, code_id: str) -> Code:
        """The code with this full dotted id; raises ``CodebookError`` (with close matches) if unknown."""
        from ..errors import CodebookError, Errors

        try:
            return self._codes[code_id]
        except KeyError:
            import difflib

            close = difflib.get_close_matches(code_id, list(self._codes), n=5)
            raise CodebookError(Errors.C003.format(code=code_id, codebook=self.id,
                                                   known=", ".join(close or list(self._codes)[:8]))) from None

    def children(self, code_id: str | None) -> list[Code]:
        return [c for c in self._codes.values() if c.parent == code_id]

    @property
    def coder_name(self) -> str:
        """The coder recorded on rule codings: ``rules@<id>:<version>``."""
        return f"rules@{self.id}:{self.version}"
