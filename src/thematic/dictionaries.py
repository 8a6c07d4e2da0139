"""simplemma's dictionaries, kept decoded in the user's cache folder: loaded in a fifth of the time.

simplemma ships each language's dictionary lzma-compressed and front-coded; its default factory
decodes the whole of it into a Python dict in every process that lemmatises or identifies a
language (0.9 s for ``nb``; ingest, the lemmatiser and every worker process each pay it). Here the
decoded dict is written once with :mod:`marshal` to ``$XDG_CACHE_HOME/thematic/dictionaries/`` and, in
every later process, read from there in about 0.2 s. It is served through simplemma's own
``MappingStrToByteString``, as its default factory serves it, so every lemma, every known-word count
and every language guess is what simplemma's own functions give (``tests/test_dictionaries.py``
compares them), at the same speed per look-up. (A MARISA trie loads in 3 ms and takes 4 MB instead of
56 MB, but each look-up costs 0.6 µs more; lemmatising a new word form takes about 33 look-ups, which
made the 112k forms of the ``--distinct`` benchmark corpus 2 s slower to lemmatise.)

Beside each dictionary a MARISA trie (``marisa-trie``, simplemma's own trie back end) holds its
reverse (lower-cased lemma -> word), so that :func:`forms_of` lists the words folding into given
lemmas without scanning the dictionary.

The cache is keyed by simplemma's version and the dictionary file's size and time, written to a
temporary file and renamed into place (a process reading it never sees half a file); a file that
cannot be read is built again. Where the folder cannot be written, the dictionary is decoded for this
process and nothing is saved.

Example:
    >>> lemmatize("strategiene", "nb")
    'strategi'
    >>> is_known("strategiene", "nb"), is_known("strategix", "nb")
    (True, False)
"""

from __future__ import annotations

import marshal
import operator
from collections import Counter
from collections.abc import Iterable
from itertools import compress
from functools import lru_cache
from pathlib import Path

from . import cachedir
from .types import LANGUAGES

#: Bump when what the cache holds changes: old cache files are then ignored.
CACHE_FORMAT = "2"


def cache_folder() -> Path:
    """``$XDG_CACHE_HOME/thematic/dictionaries`` (``~/.cache/...`` without the variable)."""
    return cachedir.cache_folder("dictionaries")


def _source(lang: str) -> Path:
    """The dictionary file simplemma ships for ``lang`` (ValueError when it has none)."""
    from simplemma.strategies.dictionaries.dictionary_factory import DATA_FOLDER

    path = DATA_FOLDER / f"{lang}.plzma"
    if not path.exists():
        raise ValueError(f"simplemma has no dictionary for {lang!r}")
    return path


def _cache_stem(lang: str) -> str:
    """The cache files' name for ``lang``: simplemma's version and the dictionary file's state, so an
    upgraded or rebuilt dictionary is never read from an old cache."""
    import simplemma

    st = _source(lang).stat()
    return f"{lang}-{simplemma.__version__}-{st.st_size}-{st.st_mtime_ns}-{CACHE_FORMAT}"


def _decoded(lang: str) -> dict[bytes, bytes]:
    """simplemma's dictionary for ``lang`` as its default factory decodes it (word -> lemma, UTF-8)."""
    from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

    mapping = DefaultDictionaryFactory(cache_max_size=0).get_dictionary(lang)
    raw = getattr(mapping, "_dict", None)  # its bytes -> bytes store: 10x faster to read than the str view
    if isinstance(raw, dict):
        return raw
    return {k.encode("utf-8"): v.encode("utf-8") for k, v in mapping.items()}


@lru_cache(maxsize=None)
def _dictionary(lang: str) -> dict[bytes, bytes]:
    """The decoded dictionary for ``lang``: from the cache, or decoded and saved."""
    path = cache_folder() / f"{_cache_stem(lang)}.marshal"
    try:
        # read whole, then loads: marshal.load from a file object reads it piece by piece (1.0 s against 0.2 s)
        data = marshal.loads(path.read_bytes())
        if isinstance(data, dict) and data:
            return data
    except (OSError, EOFError, ValueError, TypeError):  # missing, or unreadable: decoded again
        pass
    data = _decoded(lang)
    try:
        cachedir.save(lambda tmp: Path(tmp).write_bytes(marshal.dumps(data)), path)
    except OSError:
        pass  # a read-only or full cache folder: this process keeps what it decoded
    return data


@lru_cache(maxsize=None)
def _reverse(lang: str):
    """A trie of ``"lemma\0word"`` (lemma lower-cased) for ``lang``: from the cache, or built and saved."""
    import marisa_trie

    path = cache_folder() / f"{_cache_stem(lang)}.reverse.marisa"
    try:
        trie = marisa_trie.Trie().load(str(path))
        if len(trie):
            return trie
    except (OSError, RuntimeError, ValueError):  # missing, or unreadable: built again
        pass
    trie = marisa_trie.Trie(f"{v.decode('utf-8').lower()}\x00{k.decode('utf-8')}"
                            for k, v in _dictionary(lang).items())
    try:
        cachedir.save(lambda tmp: trie.save(tmp), path)
    except OSError:
        pass
    return trie


@lru_cache(maxsize=None)
def _factory():
    """A simplemma dictionary factory serving the cached dictionaries the way its default factory
    serves them (``MappingStrToByteString`` over the bytes dict, cached per language)."""
    from simplemma.strategies.dictionaries.dictionary_factory import (CachingDictionaryFactory,
                                                                      MappingStrToByteString)

    class _Cached(CachingDictionaryFactory):
        __slots__ = ()

        def _get_dictionary_uncached(self, lang: str):
            return MappingStrToByteString(_dictionary(lang))

    return _Cached(cache_max_size=len(LANGUAGES) + 3)


@lru_cache(maxsize=None)
def _strategy():
    from simplemma.strategies import DefaultStrategy

    return DefaultStrategy(greedy=False, dictionary_factory=_factory())


@lru_cache(maxsize=None)
def _lemmatizer():
    from simplemma import Lemmatizer

    # no cache of its own: nlp.lemma caches in front of it, and the spaCy component asks once per form
    # (a second cache of every form held 12 MB at 113,000 distinct forms)
    return Lemmatizer(cache_max_size=0, lemmatization_strategy=_strategy())


@lru_cache(maxsize=None)
def _lookup():
    from simplemma.strategies import DictionaryLookupStrategy

    return DictionaryLookupStrategy(_factory())


def lemmatize(word: str, lang: str) -> str:
    """``simplemma.lemmatize(word, lang)``, from the cached dictionary."""
    return _lemmatizer().lemmatize(word, lang)


def is_known(word: str, lang: str) -> bool:
    """``simplemma.is_known(word, lang)``, from the cached dictionary (an empty word is a ValueError there too)."""
    from simplemma.utils import normalize_token

    if not word:
        raise ValueError("Wrong input value: empty string")
    return _lookup().get_lemma(normalize_token(word), lang) is not None


def langdetect(text: str, langs: tuple[str, ...], counts: dict[str, int] | None = None) -> list[tuple[str, float]]:
    """``simplemma.langdetect(text, lang=langs)``, from the cached dictionaries: the share of the text's
    most common words each language knows, best first, ``"unk"`` last.

    ``counts``, when the caller has them already, count the text's tokens as simplemma's default sampler
    splits them (``Counter(re.findall(r"[^\\W\\d_]{3,}", text))``, in order of first occurrence); the
    relaxed sampler, used only on a tie, splits the text itself. simplemma's loop is repeated here because
    its function takes no dictionary factory (``LanguageDetector`` does) and asks the lemmatiser again for
    every token of every text; here each token's answer is kept (:func:`_recognised`), since a corpus
    repeats its words. ``tests/test_language.py`` compares the result with ``simplemma.langdetect``, so an
    upgrade of simplemma that changes its sampler or its counting fails there.
    """
    from simplemma import MostCommonTokenSampler, RelaxedMostCommonTokenSampler

    langs = (langs,) if isinstance(langs, str) else langs
    ranked: list[tuple[str, float]] = []
    for sampler in (MostCommonTokenSampler(), RelaxedMostCommonTokenSampler()):
        if counts is not None and type(sampler) is MostCommonTokenSampler:
            sample = _most_common(counts)
        else:
            sample = sampler.sample_text(text)
        shares = _proportions(sample, langs)
        ranked = sorted(shares.items(), key=lambda item: (item[0] == "unk", -item[1]))
        if len(ranked) == 1 or ranked[0][1] != ranked[1][1]:
            return ranked
    return ranked


_FIRST = operator.itemgetter(slice(0, 1))
#: simplemma's MostCommonTokenSampler: its sample size and the share of capitalised tokens it keeps them up to
SAMPLE_SIZE, CAPITALIZED_THRESHOLD = 100, 0.8


def _most_common(counts: dict[str, int]) -> list[str]:
    """``MostCommonTokenSampler().sample_tokens(tokens)`` from the tokens' counts (``Counter(tokens)``):
    the most common tokens, without the capitalised ones unless they are most of them."""
    counter = Counter(counts)
    deletions = list(compress(counter, map(str.isupper, map(_FIRST, counter))))  # picked in C
    if len(deletions) < CAPITALIZED_THRESHOLD * len(counter):
        for token in deletions:
            del counter[token]
    return [item[0] for item in counter.most_common(SAMPLE_SIZE)]


def _proportions(sample: list[str], langs: tuple[str, ...]) -> dict[str, float]:
    """simplemma's ``LanguageDetector.proportion_in_each_language`` over a sample of tokens: per language
    the share of tokens its lemmatiser finds a lemma for, and ``"unk"`` for the share none does."""
    total = len(sample)
    if total == 0:
        return {"unk": 1}
    results: dict[str, float] = {}
    found_any = [False] * total
    for lang in langs:
        found = _recognised(sample, lang)
        results[lang] = sum(found) / total
        found_any = list(map(operator.or_, found_any, found))
    results["unk"] = found_any.count(False) / total
    return results


class Answers:
    """Per language, each word's answer to ``ask(word, lang)``, asked once per word in this process (a corpus
    repeats its words); all forgotten when more than ``limit`` words would be held, so memory stays bounded
    on a corpus of many distinct forms."""

    def __init__(self, ask, limit: int):
        self.ask, self.limit = ask, limit
        self.held: dict[str, dict[str, bool]] = {}

    def clear(self) -> None:
        self.held.clear()

    def table(self, words: Iterable[str], lang: str) -> dict[str, bool]:
        """word -> answer, holding (at least) every one of ``words``: look them up with ``map`` in C."""
        held = self.held.setdefault(lang, {})
        wanted = set(words)
        new = wanted.difference(held)
        if new:
            if len(held) + len(new) > self.limit:
                held.clear()
                new = wanted
            ask = self.ask
            for word in new:
                held[word] = ask(word, lang)
        return held


def _lemma_found(token: str, lang: str) -> bool:
    """Whether simplemma's lemmatiser finds a lemma for ``token`` (what language detection counts)."""
    from simplemma.utils import normalize_token

    return _strategy().get_lemma(normalize_token(token), lang) is not None


_RECOGNISED = Answers(_lemma_found, 200_000)


def _recognised(tokens: list[str], lang: str) -> list[bool]:
    """For each token, ``get_lemma(normalize_token(token), lang) is not None`` (each token asked once per process)."""
    return list(map(_RECOGNISED.table(tokens, lang).__getitem__, tokens))


#: Per language, word -> :func:`is_known` (language identification asks about every word of a corpus).
KNOWN_WORDS = Answers(is_known, 500_000)


def forms_of(lemmas: Iterable[str], lang: str) -> set[str]:
    """The dictionary's words (lower-cased) whose lemma, lower-cased, is one of ``lemmas``.

    >>> "strategiene" in forms_of({"strategi"}, "nb")
    True
    """
    reverse = _reverse(lang)
    out: set[str] = set()
    for lemma in set(lemmas):
        prefix = f"{lemma}\x00"
        out.update(key[len(prefix):].lower() for key in reverse.keys(prefix))
    return out
