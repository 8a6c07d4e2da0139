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

import operator
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import compress

import numpy as np

from ..codepoints import classify, code_points, from_code_points
from ..dictionaries import KNOWN_WORDS, langdetect
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
    return _candidates(Counter([w for w in words if w in _ANY_DISTINCT]))  # one pass, not one per language


def _candidates(found: Counter) -> tuple[str, ...]:
    """:func:`candidates` of words counted in ``found``."""
    counts = {lang: sum(found.get(w, 0) for w in _DISTINCT[lang]) for lang in LANGUAGES}
    if sum(counts.values()) < CANDIDATE_EVIDENCE:
        return tuple(LANGUAGES)
    return tuple(lang for lang in LANGUAGES if counts[lang])


def _detect(text: str, langs: tuple[str, ...] = tuple(LANGUAGES), tokens: list[str] | None = None
            ) -> list[tuple[str, float]]:
    """simplemma's ranking of the languages for the whole text (``tokens``: its sampler's tokens, if known)."""
    ranked = [(lang, score) for lang, score in langdetect(text, langs, tokens) if lang in LANGUAGES]
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


#: Per language, word form -> does its dictionary know it (a corpus repeats its words); bounded.
_KNOWN = KNOWN_WORDS


def _known_count(words: list[str], lang: str) -> int:
    """How many of ``words`` a language's dictionary knows (each distinct form looked up once per process)."""
    return sum(map(_KNOWN.table(words, lang).__getitem__, words))  # summed in C: a plain dict, not a call per word


def _casefolded_words(text: str) -> list[str]:
    """``[w.casefold() for w in _WORD.findall(text)]``."""
    return _casefold_each(_WORD.findall(text))


def _casefold_each(words: list[str]) -> list[str]:
    """``[w.casefold() for w in words]`` in one call (no word contains NUL, and case folding never makes or
    removes one, so splitting at NUL gives the words back)."""
    return "\x00".join(words).casefold().split("\x00") if words else []


_WORD_CHAR = re.compile(r"[^\W_]")  # a letter or a digit (the duplicate check's table: made once per process)
_JOINER = re.compile(r"['’-]")  # what joins the letter runs of a _WORD


@dataclass(frozen=True)
class _Scan:
    """The words of a text of paragraphs joined by ``\n``, found in one pass over its code points.

    ``words`` are ``_WORD.findall(text)`` (not case-folded), ``counts`` their Counter;
    ``per_paragraph`` says how many of them each paragraph has, ``spaced`` how many whitespace-separated
    words (``len(paragraph.split())``).
    """

    words: list[str]
    counts: Counter
    per_paragraph: np.ndarray
    spaced: np.ndarray
    joined: bool = False  # whether a word has a joiner


def _scan(text: str, lengths: list[int]) -> _Scan:
    """The words of ``text``, the ``"\n"``-join of paragraphs of ``lengths`` code points.

    Hand-written with numpy over the code points because the regex's ``findall`` per paragraph took
    0.45 s per million words (a third of language identification), this 0.1 s: a _WORD is a run of
    letters and of joiners (' ’ -) with a letter on both sides, so blanking every other character and
    splitting at the blanks gives the same words. Letters are classed by the regex's own classes
    (:func:`~thematic.codepoints.classify`).
    """
    points = code_points(text)
    if not len(points):
        return _Scan([], Counter(), np.zeros(len(lengths), dtype=np.int64), np.zeros(len(lengths), dtype=np.int64))
    # a _WORD's letter is [^\W\d_]: a letter or digit that is not a decimal digit (\d is category Nd, isdecimal)
    letter = classify(points, _WORD_CHAR) & ~classify(points, str.isdecimal)
    joiner = (points == 39) | (points == 0x2019) | (points == 45)  # ' ’ -
    joiner[0] = joiner[-1] = False
    joiner[1:-1] &= letter[:-2] & letter[2:]
    word = letter | joiner
    words = from_code_points(np.where(word, points, 32)).split()
    # each paragraph's words: the words starting in it (none spans the "\n" between two paragraphs)
    bounds = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(np.asarray(lengths, dtype=np.int64) + 1, out=bounds[1:])
    bounds[-1] = len(points)
    word_start = word.copy()
    word_start[1:] &= ~word[:-1]
    not_space = ~classify(points, str.isspace)
    spaced_start = not_space.copy()
    spaced_start[1:] &= ~not_space[:-1]
    return _Scan(words, Counter(words), _per_span(word_start, bounds), _per_span(spaced_start, bounds),
                 bool(joiner.any()))


def _per_span(flags: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """How many of ``flags`` are set in each span ``bounds[k]:bounds[k + 1]``."""
    return np.diff(np.searchsorted(np.flatnonzero(flags), bounds))


def _known_flags(words: list[str], folded: dict[str, str], lang: str) -> np.ndarray:
    """Whether the dictionary of ``lang`` knows each of ``words`` (``folded``: each distinct word -> its
    case-folded form, the form looked up)."""
    known = _KNOWN.table(folded.values(), lang)
    by_word = dict(zip(folded, map(known.__getitem__, folded.values())))  # mapped in C, as below
    return np.fromiter(map(by_word.__getitem__, words), dtype=bool, count=len(words))


def _letter_runs(counts: Counter, joined: bool) -> dict[str, int]:
    """The counts of the letter runs of three letters or more of words counted in ``counts``, in order of
    first occurrence: what ``Counter(re.findall(r"[^\\W\\d_]{3,}", text))`` gives for the text of the words
    (simplemma's sampler's tokens; every letter run lies inside one _WORD, between its joiners).
    ``joined``: whether any word has a joiner (else each word is one run).

    A word of letters only is its own run: those are taken in C, between the few words split here.
    """
    words = list(counts)
    items = list(counts.items())
    long = list(map((3).__le__, map(len, words)))
    if not joined:
        return dict(compress(items, long))
    runs: dict[str, int] = {}
    split: dict[str, int] = {}  # what the split words add to each of their runs
    done = 0
    for k in compress(range(len(words)), map(operator.not_, map(str.isalpha, words))):  # a joiner is no letter
        runs.update(compress(items[done:k], long[done:k]))
        word, n = items[k]
        for run in _JOINER.split(word):
            if len(run) >= 3:
                runs.setdefault(run, 0)  # its place: where it first occurs
                split[run] = split.get(run, 0) + n
        done = k + 1
    runs.update(compress(items[done:], long[done:]))
    for run, n in split.items():  # a word of letters only after the split one set its own count: add both
        runs[run] = n + (counts.get(run, 0) if run.isalpha() else 0)
    return runs


def identify(text: str, paragraphs: list[str] | None = None) -> LanguageGuess:
    """The main language of ``text``; ``paragraphs`` (optional) give the per-language shares."""
    if len(text.split(maxsplit=MIN_WORDS)) < MIN_WORDS:  # fewer than MIN_WORDS words (not a list of all)
        return LanguageGuess(None)
    paragraphs = paragraphs or [text]
    joined = "\n".join(paragraphs)
    scan = _scan(joined, [len(p) for p in paragraphs])
    # the words of the text are its paragraphs' words (no word runs across a line end): found once
    whole = scan if joined == text else _scan(text, [len(text)])
    distinct = list(whole.counts if whole is scan else {**whole.counts, **scan.counts})
    folded = dict(zip(distinct, _casefold_each(distinct)))
    found: Counter = Counter()
    for word, n in compress(whole.counts.items(), map(_ANY_DISTINCT.__contains__, map(folded.get, whole.counts))):
        found[folded[word]] += n  # only the words candidates() counts (picked in C)
    langs = _candidates(found)
    ranked = _detect(text, langs, _letter_runs(whole.counts, whole.joined))
    if not ranked:
        return LanguageGuess(None)
    counts = _paragraph_counts(scan, folded, langs)
    total = sum(counts.values())
    shares = {lang: n / total for lang, n in counts.items()} if total else {}
    # The main language is the one with most words; the whole-text ranking breaks ties and decides without shares.
    main = max(shares, key=lambda lang: (shares[lang], lang == ranked[0][0])) if shares else ranked[0][0]
    score = dict(ranked).get(main, 0.0)
    return LanguageGuess(main, round(float(score), 3), {k: round(v, 3) for k, v in shares.items()})


def _paragraph_counts(scan: _Scan, folded: dict[str, str], langs: tuple[str, ...]) -> dict[str, int]:
    """Per language, the words (whitespace-separated) of the paragraphs in it, in order of first paragraph.

    Each paragraph of at least MIN_PARAGRAPH_WORDS words (whitespace-separated, and words) is in the
    language whose dictionary knows most of its words, if that is at least MIN_SCORE of them (a close
    call between nb and nn settled by their function words, as for the whole text). Done for every
    paragraph at once: the dictionary answers per word of the text (each distinct form looked up once
    per process), summed per paragraph. (Before, the same per paragraph: ten times slower.)
    """
    n = scan.per_paragraph
    eligible = np.flatnonzero((scan.spaced >= MIN_PARAGRAPH_WORDS) & (n >= MIN_PARAGRAPH_WORDS))
    if not len(eligible):
        return {}
    ends = np.zeros(len(n) + 1, dtype=np.int64)
    np.cumsum(n, out=ends[1:])
    hits = np.zeros((len(LANGUAGES), len(eligible)), dtype=np.int64)
    for k, lang in enumerate(LANGUAGES):
        if lang in langs:
            hits[k] = _per_span(_known_flags(scan.words, folded, lang), ends)[eligible]
    ratios = hits / n[eligible]  # each language's share of the paragraph's words (the float divisions of before)
    order = np.argsort(-hits, axis=0, kind="stable")  # sorted by share, ties in LANGUAGES order, as sorted() does
    columns = np.arange(len(eligible))
    top, second = order[0], order[1]
    top_share, second_share = ratios[top, columns], ratios[second, columns]
    best = top.copy()
    nb, nn = LANGUAGES.index("nb"), LANGUAGES.index("nn")
    close = np.flatnonzero((np.minimum(top, second) == min(nb, nn)) & (np.maximum(top, second) == max(nb, nn))
                           & (top_share - second_share <= NB_NN_MARGIN))
    for c in close.tolist():  # a close call between nb and nn: their function words decide, as for the whole text
        p = int(eligible[c])
        words = [folded[w] for w in scan.words[ends[p]:ends[p + 1]]]
        ranked = [(LANGUAGES[top[c]], top_share[c]), (LANGUAGES[second[c]], second_share[c])]
        best[c] = LANGUAGES.index(_nb_or_nn(words, ranked)[0][0])
    counts: dict[str, int] = {}
    keep = top_share >= MIN_SCORE
    for lang, words in zip(best[keep].tolist(), scan.spaced[eligible][keep].tolist()):
        counts[LANGUAGES[lang]] = counts.get(LANGUAGES[lang], 0) + words
    return counts


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
