"""Which language a document is in: nb, nn, sv, da or en, with the share of each.

Uses simplemma's dictionary-based detector (offline, already a dependency for
lemmatising): for each candidate language, the share of words it knows. The
whole text goes through ``simplemma.langdetect``; the per-paragraph shares use the
same dictionaries through a cached ``simplemma.is_known`` per word form (a corpus
repeats its words, so this is several times faster than a detector call per paragraph). It tells
Nynorsk from Bokmål (``ikkje``, ``kva``, ``eg`` only in one dictionary) and gives
the main language of a document that quotes another (shares per paragraph,
weighted by words). Measured accuracy: see ``benchmarks/language_id.py``.

Example:
    >>> identify("Eg veit ikkje kva vi skal gjere med strategien, men vi har ein plan.").language
    'nn'
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..types import LANGUAGES

#: Fewer words than this: no guess (a heading or a name says nothing about the language).
MIN_WORDS = 8
#: Below this share of known words the best guess is not trusted.
MIN_SCORE = 0.5
#: A paragraph's share counts only if it has at least this many words.
MIN_PARAGRAPH_WORDS = 6


@dataclass(frozen=True)
class LanguageGuess:
    """The detected main language, the detector's score for it, and each language's share of the words."""

    language: str | None
    score: float = 0.0
    shares: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def confident(self) -> bool:
        return self.language is not None and self.score >= MIN_SCORE

    def describe(self) -> str:
        """``"nb 88%, sv 12%"`` (shares of at least 5%)."""
        parts = [f"{lang} {share:.0%}" for lang, share in sorted(self.shares.items(), key=lambda kv: -kv[1])
                 if share >= 0.05]
        return ", ".join(parts) or (self.language or "unknown")


# Function words only one of the two written Norwegian standards uses. simplemma's dictionaries share most
# of their words, so a close call between nb and nn (within NB_NN_MARGIN) is settled by these; a short list
# of our own because no maintained offline detector separates the two better (langid/fastText lump them).
_NN_ONLY = frozenset("ikkje eg kva korleis kvifor kvar kven berre mykje noko nokon dei ein eit vere vore frå òg "
                     "heile sjå gjere meir enno fekk vart dykk dykkar hjå kjem høyrer".split())
_NB_ONLY = frozenset("ikke jeg hva hvordan hvorfor hver hvem bare mye noe noen en et være vært fra også hele "
                     "se gjøre mer ennå fikk ble dere deres kommer hører".split())
NB_NN_MARGIN = 0.1


# Frequent words of each language that the other four do not write (hand-written, like the lists above).
# They only decide which dictionaries are worth loading: simplemma's Swedish and Danish dictionaries
# take over a second and 100 MB each, and a Norwegian interview has no use for them. A language none
# of whose words occur is left out of the dictionary vote (it would rank last anyway); where the text
# has fewer than CANDIDATE_EVIDENCE such words in all, every language stays in.
_DISTINCT = {
    "nb": frozenset("hva noe noen mye litt nå gjøre ble dere fikk veldig tenker snakker".split()),
    "nn": _NN_ONLY,
    "sv": frozenset("och är inte jag att för vad hur också något där mycket bara sedan när hade finns måste utan "
                    "mellan eftersom varje alla andra många hon detta denna dessa vilket vilka redan kanske även "
                    "genom kunna".split()),
    "da": frozenset("af hvad noget nogle meget lidt blevet bliver havde gøre vores jeres mellem "
                    "igennem måske nogen op ud ind lige".split()),
    "en": frozenset("the and of that with they this but was are what how which would there their been has "
                    "were from".split()),
}
CANDIDATE_EVIDENCE = 3
_ANY_DISTINCT = frozenset().union(*_DISTINCT.values())


def candidates(words: list[str]) -> tuple[str, ...]:
    """The languages worth a dictionary look-up for these (case-folded) words: every language with at
    least one of its own frequent words, or all five when the words say too little.

    >>> candidates("jeg tror ikke vi har noe mål , men det er mye som skjer nå".split())
    ('nb',)
    >>> candidates("kort tekst".split())
    ('nb', 'nn', 'sv', 'da', 'en')
    """
    found = Counter([w for w in words if w in _ANY_DISTINCT])  # one pass over the text, not one per language
    counts = {lang: sum(found.get(w, 0) for w in _DISTINCT[lang]) for lang in LANGUAGES}
    if sum(counts.values()) < CANDIDATE_EVIDENCE:
        return tuple(LANGUAGES)
    return tuple(lang for lang in LANGUAGES if counts[lang])


def _detect(text: str, langs: tuple[str, ...] = tuple(LANGUAGES)) -> list[tuple[str, float]]:
    from ..dictionaries import langdetect

    ranked = [(lang, score) for lang, score in langdetect(text, langs) if lang in LANGUAGES]
    return _nb_or_nn(lambda: [w.strip(".,;:!?«»\"'()").casefold() for w in text.split()], ranked)


def _nb_or_nn(words, ranked: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """``ranked`` with nb and nn swapped when their function words say so; ``words`` (a list, or a function
    giving it, so that the words are only split out for a close call) are the case-folded words."""
    if len(ranked) >= 2 and {ranked[0][0], ranked[1][0]} == {"nb", "nn"} \
            and ranked[0][1] - ranked[1][1] <= NB_NN_MARGIN:
        words = words() if callable(words) else words
        nn, nb = sum(w in _NN_ONLY for w in words), sum(w in _NB_ONLY for w in words)
        if (nn > nb) != (ranked[0][0] == "nn") and nn != nb:
            ranked = [(ranked[1][0], ranked[0][1]), (ranked[0][0], ranked[1][1]), *ranked[2:]]
    return ranked


_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


#: Per language, word form -> does its dictionary know it (a corpus repeats its words). Cleared when it
#: holds more than _KNOWN_MAX forms, so memory stays bounded on a corpus of many distinct forms.
_KNOWN: dict[str, dict[str, bool]] = {}
_KNOWN_MAX = 500_000


def _known_count(words: list[str], lang: str) -> int:
    """How many of ``words`` a language's dictionary knows (each distinct form looked up once per process)."""
    known = _KNOWN.setdefault(lang, {})
    new = set(words).difference(known)
    if new:
        from ..dictionaries import is_known

        if len(known) + len(new) > _KNOWN_MAX:
            known.clear()
            new = set(words)
        for word in new:
            known[word] = is_known(word, lang)
    return sum(map(known.__getitem__, words))  # summed in C: a plain dict, not a cached call per word


def _casefolded_words(text: str) -> list[str]:
    """``[w.casefold() for w in _WORD.findall(text)]``, case-folded in one call (no word contains NUL,
    and case folding never makes or removes one, so splitting at NUL gives the same words)."""
    found = _WORD.findall(text)
    return "\x00".join(found).casefold().split("\x00") if found else []


def _paragraph_language(text: str, langs: tuple[str, ...] = tuple(LANGUAGES)) -> str | None:
    """A paragraph's language: the dictionary knowing most of its words (ties: nb/nn by function words).

    The per-paragraph shares use this cached word lookup instead of simplemma's ``langdetect`` per
    paragraph: the same dictionaries, about ten times faster on a whole corpus (words repeat).
    """
    return _words_language(_casefolded_words(text), langs)


def _words_language(words: list[str], langs: tuple[str, ...]) -> str | None:
    if len(words) < MIN_PARAGRAPH_WORDS:
        return None
    hits = [_known_count(words, lang) if lang in langs else 0 for lang in LANGUAGES]
    ranked = sorted(((LANGUAGES[k], h / len(words)) for k, h in enumerate(hits)), key=lambda x: -x[1])
    ranked = _nb_or_nn(words, ranked)
    return ranked[0][0] if ranked[0][1] >= MIN_SCORE else None


def identify(text: str, paragraphs: list[str] | None = None) -> LanguageGuess:
    """The main language of ``text``; ``paragraphs`` (optional) give the per-language shares."""
    if len(text.split()) < MIN_WORDS:
        return LanguageGuess(None)
    if paragraphs and "\n".join(paragraphs) == text:
        # the words of the text are its paragraphs' words (no word runs across a line end): found once
        para_words = [_casefolded_words(para) for para in paragraphs]
        langs = candidates([w for words in para_words for w in words])
    else:
        para_words = [None] * len(paragraphs or [text])
        langs = candidates(_casefolded_words(text))
    ranked = _detect(text, langs)
    if not ranked:
        return LanguageGuess(None)
    counts: dict[str, int] = {}
    for para, words in zip(paragraphs or [text], para_words):
        n = len(para.split())
        if n < MIN_PARAGRAPH_WORDS:
            continue
        best = _words_language(words if words is not None else _casefolded_words(para), langs)
        if best is not None:
            counts[best] = counts.get(best, 0) + n
    total = sum(counts.values())
    shares = {lang: n / total for lang, n in counts.items()} if total else {}
    # The main language is the one with most words; the whole-text ranking breaks ties and decides without shares.
    main = max(shares, key=lambda lang: (shares[lang], lang == ranked[0][0])) if shares else ranked[0][0]
    score = dict(ranked).get(main, 0.0)
    return LanguageGuess(main, round(float(score), 3), {k: round(v, 3) for k, v in shares.items()})


def decide(stated: str | None, source: str, guess: LanguageGuess) -> tuple[str | None, str, str | None]:
    """``(language, how it was decided, warning or None)``.

    The stated language (cases.csv, front matter, the caller) wins; a confident guess that disagrees
    is a warning. Without a stated language the guess is used; with neither, ``None``.

    >>> decide("nb", "cases.csv", LanguageGuess("sv", 0.98, {"sv": 1.0}))[2]
    "cases.csv says 'nb' but the text reads as 'sv' (sv 100%): using 'nb' as cases.csv says"
    """
    if stated:
        warning = None
        if guess.confident and guess.language != stated:
            warning = (f"{source} says '{stated}' but the text reads as '{guess.language}' ({guess.describe()}): "
                       f"using '{stated}' as {source} says")
        return stated, source, warning
    if guess.confident:
        return guess.language, "detected", None
    return None, "default", None
