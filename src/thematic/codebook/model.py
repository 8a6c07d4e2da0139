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
    ``=styre``              exactly this word form (not its lemma): for homographs the lemmatiser folds
Exclusion patterns (``not_patterns``) use the same syntax; a positive match is
dropped when an exclusion match overlaps it (false friends such as
``strategisk plassering`` or ``nettverkskabel``).

A pattern may carry a :class:`Context`: cue words (patterns themselves) that must
(``with``) or must not (``without``) occur within a window of the match (the same
sentence, the same turn, or N words). A codebook may declare :class:`Domain` cues,
and a code with ``requires_domain`` is coded only where its unit (or turn) shows them.

Example:
    >>> Pattern.parse("*strategi", lang="nb")
    Pattern(lang='nb', text='strategi', kind='word', head=True, first=False, exclude=False, exact=False)
    >>> Pattern.parse("=styre", lang="nb").source
    '=styre'
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
    exact: bool = False  # "=word": only this word form, not every form of its lemma
    context: "Context | None" = field(default=None, repr=False)

    @classmethod
    def parse(cls, raw: str, lang: str, exclude: bool = False, context: "Context | None" = None) -> "Pattern":
        raw = raw.strip()
        if raw.startswith("re:"):
            return cls(lang, raw[3:].strip(), "regex", exclude=exclude, context=context)
        if " " in raw:
            return cls(lang, " ".join(raw.split()).lower(), "phrase", exclude=exclude, context=context)
        exact = raw.startswith("=") and len(raw) > 1
        raw = raw[1:] if exact else raw
        head, first = raw.startswith("*"), raw.endswith("*") and len(raw) > 1
        return cls(lang, raw.strip("*").lower(), "word", head=head, first=first, exclude=exclude, exact=exact,
                   context=context)

    @property
    def source(self) -> str:
        """The pattern as written in the codebook (used as the ``rule`` explanation)."""
        if self.kind == "regex":
            return f"re:{self.text}"
        if self.kind == "phrase":
            return self.text
        return f"{'=' if self.exact else ''}{'*' if self.head else ''}{self.text}{'*' if self.first else ''}"

    def words(self) -> list["Pattern"]:
        """The word patterns of a phrase (each part may carry ``*``)."""
        if self.kind != "phrase":
            return [self]
        return [Pattern.parse(w, self.lang, self.exclude) for w in self.text.split()]


#: Windows a context condition may look in: the match's sentence, its speaker turn, or N words either side.
WINDOWS = ("sentence", "turn")
#: Windows a domain requirement may look in: the coding unit or its speaker turn.
DOMAIN_WINDOWS = ("unit", "turn")


@dataclass(frozen=True)
class Context:
    """Cue patterns a match needs (``with_``: at least one) or must not have (``without``: none) nearby.

    ``within`` is "sentence", "turn" or a number of words between the match and the cue (0: adjacent).

    >>> c = Context(with_=(Pattern.parse("*kommune", "nb"),), within=5)
    >>> c.source
    'with=*kommune;within=5'
    """

    with_: tuple[Pattern, ...] = ()
    without: tuple[Pattern, ...] = ()
    within: str | int = "sentence"

    @property
    def cues(self) -> tuple[Pattern, ...]:
        return (*self.with_, *self.without)

    @property
    def source(self) -> str:
        parts = []
        if self.with_:
            parts.append("with=" + "|".join(p.source for p in self.with_))
        if self.without:
            parts.append("without=" + "|".join(p.source for p in self.without))
        parts.append(f"within={self.within}")
        return ";".join(parts)


@dataclass(frozen=True)
class Domain:
    """The study's domain cues (patterns per language) and where a unit must show one: "unit" or "turn"."""

    cues: tuple[Pattern, ...] = ()
    within: str = "turn"

    def for_language(self, lang: str) -> tuple[Pattern, ...]:
        return tuple(p for p in self.cues if p.lang == lang)


#: At most this many sentences a rule coding spreads to on either side (``spread:``).
MAX_SPREAD = 5


@dataclass(frozen=True)
class Spread:
    """How many sentences before and after a rule-coded sentence, in the same speaker turn, take its code too.

    A person codes a passage, not the one sentence that names the theme: "Strategien har gitt oss en
    felles retning. Den sier hva vi prioriterer." is about the strategy in both sentences, though only
    the first names it. ``spread: {after: 1}`` codes the second as well (as NVivo's text search spreads
    its hits to the surrounding context). Only sentence units spread, never across a speaker turn, never
    into a sentence a ``not_pattern`` of the code (or a parent) excludes; a spread coding's ``rule`` reads
    ``spread: <the rules of the sentence it came from>``. The default (0, 0) codes only matched sentences.

    ``answers``: an interview's answer is about what was asked ("Har dere et målbilde?" - "Nei, ikke som et
    eget dokument."). The interviewer's question, read as one unit by the same rules (exclusions, domain
    and context conditions included), codes every unit of the answer, the informant's next turn, with
    its codes; the rule reads ``question: <the rules the question matched>``. Regular-expression rules
    (``re:``) run inside coding units only, so they do not code a question.

    >>> Spread(after=1, answers=True).describe()
    'after=1;answers=True'
    """

    before: int = 0
    after: int = 0
    answers: bool = False

    def __bool__(self) -> bool:
        return bool(self.before or self.after or self.answers)

    def describe(self) -> str:
        return ";".join(f"{k}={v}" for k, v in (("before", self.before), ("after", self.after),
                                                 ("answers", self.answers)) if v)


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
    requires_domain: bool | None = None  # None: as the parent code (themes: False)

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
    domain: Domain = field(default_factory=Domain, hash=False, compare=False)
    spread: Spread = field(default_factory=Spread, hash=False, compare=False)


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
    def domain(self) -> Domain:
        return self.info.domain

    @property
    def spread(self) -> Spread:
        return self.info.spread

    def requires_domain(self, code_id: str) -> bool:
        """Whether codings of this code need a domain cue nearby (set on the code or inherited from its parents)."""
        node: str | None = code_id
        while node is not None:
            code = self._codes.get(node)
            if code is not None and code.requires_domain is not None:
                return code.requires_domain
            node = node.rsplit(".", 1)[0] if "." in node else None
        return False

    @property
    def coder_name(self) -> str:
        """The coder recorded on rule codings: ``rules@<id>:<version>``."""
        return f"rules@{self.id}:{self.version}"
