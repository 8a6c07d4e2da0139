"""The language pipeline: spaCy's blank nb/nn/sv/da/en with a sentencizer and simplemma lemmas.

Trained Nordic spaCy pipelines cannot be installed offline and spaCy's Norwegian
lookup tables know too few words, so lemmas come from ``simplemma``, looked up
once per distinct word form and written with one vectorised ``Doc.from_array``
call (no Python loop over tokens). Parsed documents can be cached as spaCy
``DocBin`` files keyed by text hash, language and pipeline version, so
re-coding after a codebook edit does not parse again.

Example:
    >>> nlp = pipeline("nb")
    >>> [t.lemma_ for t in nlp("Strategien og ledelsen")]
    ['strategi', 'og', 'ledelse']
"""

from __future__ import annotations

import hashlib
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

import numpy as np

from .errors import Errors, PipelineError
from .types import LANGUAGES

if TYPE_CHECKING:  # spaCy loads only when a text is parsed: re-coding from stored arrays never needs it
    from spacy.language import Language
    from spacy.tokens import Doc

#: Bump when tokenisation, sentence splitting or lemmas change: old cache entries are then ignored.
PIPELINE_VERSION = "thematic-nlp-2"
_DOCBIN_ATTRS = ["ORTH", "LEMMA", "SENT_START"]


class FormLemmatizer:
    """spaCy component: lower-cased simplemma lemmas, computed once per distinct form.

    The forms already seen are held as two sorted arrays (``LOWER`` hash -> ``LEMMA`` hash) and a document's
    forms are looked up in them with numpy; only a form not seen before costs a call (a million words
    repeat about a thousand forms: a dictionary look-up per form and document took 0.2 s of a first coding).
    """

    def __init__(self, lang: str):
        self.lang = lang
        self._lowers = np.zeros(0, dtype="uint64")  # sorted
        self._lemmas = np.zeros(0, dtype="uint64")  # the lemma hash of each of _lowers

    def __call__(self, doc: Doc) -> Doc:
        from spacy.attrs import LEMMA, LOWER

        if not len(doc):
            return doc
        lowers = doc.to_array([LOWER])
        forms, inverse = np.unique(lowers, return_inverse=True)
        at = np.searchsorted(self._lowers, forms)
        known = at < len(self._lowers)
        known[known] = self._lowers[at[known]] == forms[known]
        if not known.all():
            new = forms[~known]
            strings = doc.vocab.strings
            lemmas = np.fromiter((strings.add(lemma_uncached(strings[h], self.lang)) for h in new.tolist()),
                                 dtype="uint64", count=len(new))
            where = np.searchsorted(self._lowers, new)  # ``new`` is sorted: inserted in place, no sort again
            self._lowers, self._lemmas = np.insert(self._lowers, where, new), np.insert(self._lemmas, where, lemmas)
            at = np.searchsorted(self._lowers, forms)
        lemmas = self._lemmas[at]
        doc.from_array([LEMMA], lemmas[inverse].reshape(-1, 1))
        doc.user_data[_FORMS] = (forms, lemmas)
        return doc


_FORMS = "thematic.forms"


def forms_of(doc: Doc) -> tuple[np.ndarray, np.ndarray]:
    """``(forms, lemmas)``: the distinct ``LOWER`` hashes of the doc's tokens, sorted, and each one's ``LEMMA``
    hash. :class:`FormLemmatizer` keeps them with the doc as it lemmatises (the rule index and the project's
    memory both want a document's distinct forms, and sorting its tokens again for each took 0.1 s per
    million words); for a doc parsed otherwise they are made here, from its arrays."""
    from spacy.attrs import LEMMA, LOWER

    found = doc.user_data.get(_FORMS)
    if found is not None:
        return found
    arr = doc.to_array([LOWER, LEMMA]).reshape(-1, 2) if len(doc) else np.zeros((0, 2), dtype="uint64")
    forms, first = np.unique(arr[:, 0], return_index=True)
    return forms, arr[first, 1]


def unseen(forms: np.ndarray, held) -> np.ndarray:
    """Positions of the ``forms`` (hashes) not in ``held`` (a set or dict), looked up in C with ``map``: after a
    corpus's first documents most of a document's forms are known, and a Python loop asking about each cost
    more than the few new ones' work."""
    values = forms.tolist()
    return np.flatnonzero(~np.fromiter(map(held.__contains__, values), dtype=bool, count=len(values)))


class ArraySentencizer:
    """spaCy's rule-based sentence splitting (a sentence ends after its punctuation marks), done on
    token arrays: spaCy's ``sentencizer`` visits every token from Python, which this avoids."""

    def __init__(self, vocab):
        from spacy.pipeline.sentencizer import Sentencizer

        self.punct = np.array([vocab.strings.add(p) for p in Sentencizer.default_punct_chars], dtype="uint64")

    def __call__(self, doc: Doc) -> Doc:
        from spacy.attrs import ORTH, SENT_START

        n = len(doc)
        if n == 0:
            return doc
        orth = doc.to_array([ORTH])
        ends = np.isin(orth, self.punct)
        starts = np.full(n, -1, dtype="int64")
        starts[0] = 1
        # a token starts a sentence when the previous token is sentence punctuation and it is not
        starts[1:][ends[:-1] & ~ends[1:]] = 1
        # spaCy stores attributes as uint64; -1 ("not a start") is its two's complement
        doc.from_array([SENT_START], starts.astype("uint64").reshape(-1, 1))
        return doc


def make_sentencizer(nlp: Language, name: str) -> ArraySentencizer:
    return ArraySentencizer(nlp.vocab)


def make_lemmatizer(nlp: Language, name: str) -> FormLemmatizer:
    return FormLemmatizer(nlp.lang)


@lru_cache(maxsize=None)
def _register() -> None:
    """Register the two components with spaCy (on first use, so importing this module does not load spaCy)."""
    from spacy.language import Language

    Language.factory("thematic_sentencizer", default_config={}, func=make_sentencizer)
    Language.factory("thematic_lemmatizer", default_config={}, func=make_lemmatizer)


@lru_cache(maxsize=200_000)
def lemma(form: str, lang: str) -> str:
    """The lower-cased lemma of one word form (cached).

    >>> lemma("digitaliseringsstrategien", "nb")
    'digitaliseringsstrategi'
    """
    return lemma_uncached(form, lang)


def lemma_uncached(form: str, lang: str) -> str:
    """:func:`lemma` without its cache, for :class:`FormLemmatizer`, which asks once per distinct form and
    keeps the answers itself (caching them here too held 12 MB at 113,000 distinct forms)."""
    from .dictionaries import lemmatize  # here, not at the top: re-coding from stored arrays never loads it

    word = form.lower()
    if not any(ch.isalpha() for ch in word):
        return word
    return lemmatize(word, lang).lower()


def pattern_lemma(word: str, lang: str) -> str:
    """The lemma of a pattern word if the dictionary knows it; else the word itself (no guessing:
    simplemma would turn an unknown ``strategix`` into ``strategi``)."""
    from .dictionaries import is_known

    return lemma(word, lang) if is_known(word, lang) else word


def folds_by_dictionary(word: str) -> bool:
    """Whether :func:`pattern_lemma` of ``word`` is the dictionary's lemma of ``word`` or of its
    capitalised form, or ``word`` itself: true for NFC lower-case words of letters, digits and
    hyphens (simplemma tries apostrophe variants and script-specific foldings for other words).
    :func:`dictionary_forms` finds every such word whose lemma is one of a given set."""
    return bool(word) and word == word.lower() and all(ch.isalnum() or ch == "-" for ch in word) \
        and unicodedata.is_normalized("NFC", word)


def dictionary_forms(lemmas: Iterable[str], lang: str) -> list[tuple[str, str]] | None:
    """``(word, lemma)`` for every word :func:`folds_by_dictionary` accepts whose :func:`pattern_lemma`
    is one of ``lemmas`` and differs from the word (``strategien`` -> ``strategi``); None when
    simplemma's dictionary cannot be read as a mapping.

    A project keeps these for the lemmas of its vocabulary, so that re-coding after a codebook
    edit finds a new pattern word's lemma without loading the dictionary (0.6 s for ``nb``): a word
    not listed folds into no lemma of the vocabulary, which for matching the vocabulary's forms is
    the same as being its own lemma. Each pair is checked with :func:`pattern_lemma` itself; the
    candidates are the dictionary's keys whose value is one of ``lemmas`` (case-insensitively),
    which for such words is every word that can fold into them.

    >>> ("strategien", "strategi") in dictionary_forms({"strategi"}, "nb")
    True
    """
    wanted = set(lemmas)
    try:  # simplemma has no reverse look-up; the cached dictionary keeps one (thematic.dictionaries)
        from .dictionaries import forms_of

        keys = forms_of(wanted, lang)
    except (ImportError, ValueError):
        return None
    out = []
    for word in sorted(keys):
        if folds_by_dictionary(word):
            found = pattern_lemma(word, lang)
            if found != word and found in wanted:
                out.append((word, found))
    return out


@lru_cache(maxsize=None)
def homographs(lang: str) -> dict[str, tuple[str, ...]]:
    """lemma -> forms the lemmatiser folds into it that are words of their own (``styre``: ``styrer``).

    Read from ``thematic/data/homographs.tsv``, built from simplemma's tables by
    ``data/tools/build_homographs.py``.

    >>> homographs("nb")["styre"]
    ('styrer',)
    """
    out: dict[str, tuple[str, ...]] = {}
    path = Path(__file__).parent / "data" / "homographs.tsv"
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith(lang + "\t"):
                _, lemma_, forms = line.rstrip("\n").split("\t")
                out[lemma_] = tuple(forms.split(","))
    return out


@lru_cache(maxsize=None)
def _tokenizer_splits(lang: str) -> frozenset[str]:
    path = Path(__file__).parent / "data" / "tokenizer_splits.tsv"
    with path.open(encoding="utf-8") as fh:
        return frozenset(line.rstrip("\n").split("\t", 1)[1] for line in fh if line.startswith(lang + "\t"))


def word_tokens(text: str, lang: str) -> list[str]:
    """The lower-cased tokens spaCy's tokenizer splits a pattern word into (``IT-avdeling`` stays whole in nb).

    A word of letters only is one token unless the language's tokenizer exceptions split it
    (``data/tokenizer_splits.tsv``, built by ``data/tools/build_tokenizer_splits.py``); only other
    words load the tokenizer, so re-coding from stored arrays rarely imports spaCy.

    >>> word_tokens("Strategi", "nb"), word_tokens("cannot", "en")
    (['strategi'], ['can', 'not'])
    """
    if text.isalpha() and text not in _tokenizer_splits(lang):
        return [text.lower()]
    return [t.lower_ for t in pipeline(lang).tokenizer(text)] or [text]


def check_language(lang: str) -> str:
    if lang not in LANGUAGES:
        raise PipelineError(Errors.N001.format(lang=lang, supported=", ".join(LANGUAGES)))
    return lang


@lru_cache(maxsize=None)
def pipeline(lang: str) -> Language:
    """The cached pipeline for ``lang``: blank tokenizer, sentencizer, simplemma lemmas."""
    import spacy

    _register()
    nlp = spacy.blank(check_language(lang))
    nlp.add_pipe("thematic_sentencizer")
    nlp.add_pipe("thematic_lemmatizer")
    nlp.max_length = 50_000_000
    return nlp


def text_key(text: str, lang: str) -> str:
    """Cache key of a parse: text hash, language and pipeline version."""
    return hashlib.sha256(f"{PIPELINE_VERSION}\0{lang}\0{text}".encode("utf-8")).hexdigest()


class ParseCache:
    """Parsed documents on disk as spaCy ``DocBin`` files, one per (text, language, pipeline version).

    >>> cache = ParseCache("work/.parse-cache")  # doctest: +SKIP
    """

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)
        self.hits = 0
        self.misses = 0

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.spacy"

    def get(self, text: str, lang: str) -> Doc | None:
        from spacy.tokens import DocBin

        path = self._path(text_key(text, lang))
        if not path.is_file():
            self.misses += 1
            return None
        try:
            docs = list(DocBin().from_bytes(path.read_bytes()).get_docs(pipeline(lang).vocab))
        except (ValueError, KeyError, OSError):
            self.misses += 1  # a damaged cache file is just parsed again
            return None
        if len(docs) != 1 or len(docs[0]) and docs[0][-1].idx + len(docs[0][-1].text_with_ws) != len(text):
            self.misses += 1
            return None
        self.hits += 1
        return docs[0]

    def put(self, text: str, lang: str, doc: Doc) -> None:
        from spacy.tokens import DocBin

        path = self._path(text_key(text, lang))
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(DocBin(attrs=_DOCBIN_ATTRS, docs=[doc], store_user_data=False).to_bytes())
        tmp.replace(path)  # atomic: a killed process never leaves half a file under the real name


def sentence_starts(doc: Doc) -> np.ndarray:
    """Character offsets where sentences start (from the token arrays, no Span objects)."""
    from spacy.attrs import IDX, SENT_START

    if not len(doc):
        return np.zeros(0, dtype="int64")
    arr = doc.to_array([IDX, SENT_START]).astype("int64")
    starts = arr[arr[:, 1] == 1, 0]
    return starts if len(starts) and starts[0] == 0 else np.concatenate([[0], starts])


def parse(texts: Iterable[str], lang: str, *, cache: ParseCache | None = None, n_process: int = 1,
          batch_size: int = 64) -> Iterator[Doc]:
    """Parse texts in order, taking cached parses where available.

    >>> [d[0].lemma_ for d in parse(["Ledelsen"], "nb")]
    ['ledelse']
    """
    nlp = pipeline(lang)
    texts = list(texts)
    docs: list[Doc | None] = [cache.get(t, lang) if cache else None for t in texts]
    todo = [i for i, d in enumerate(docs) if d is None]
    if todo:
        parsed = nlp.pipe((texts[i] for i in todo), n_process=n_process, batch_size=batch_size)
        for i, doc in zip(todo, parsed):
            docs[i] = doc
            if cache is not None:
                cache.put(texts[i], lang, doc)
    yield from docs  # type: ignore[misc]
