"""simplemma's dictionaries, kept as tries in the user's cache folder: loaded in milliseconds.

simplemma ships each language's dictionary lzma-compressed and front-coded; its default factory
decodes the whole of it into a Python dict in every process that lemmatises or identifies a
language (0.9 s and 56 MB for ``nb``; ingest, the lemmatiser and every worker process each pay it).
Here the dictionary is read once, saved as a MARISA trie (simplemma's own trie back end,
``marisa-trie``; 4 MB for ``nb``; built once in about 2.5 s) in ``$XDG_CACHE_HOME/thematic/dictionaries/`` and, in every later
process, loaded from there in about 3 ms. The words and lemmas are the same, so every lemma, every
known-word count and every language guess is the same as simplemma's own functions give
(``tests/test_dictionaries.py`` compares them).

Beside each dictionary a second trie holds its reverse (lower-cased lemma -> word), so that
:func:`forms_of` lists the words folding into given lemmas without scanning the dictionary.

The cache is keyed by simplemma's version and the dictionary file's size and time, written to a
temporary file and renamed into place (a process reading it never sees half a file). Where the
folder cannot be written, the tries are built in memory for this process and nothing is saved.

Example:
    >>> lemmatize("strategiene", "nb")
    'strategi'
    >>> is_known("strategiene", "nb"), is_known("strategix", "nb")
    (True, False)
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

#: Bump when what the cache holds changes: old cache files are then ignored.
CACHE_FORMAT = "1"


def cache_folder() -> Path:
    """``$XDG_CACHE_HOME/thematic/dictionaries`` (``~/.cache/...`` without the variable)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "thematic" / "dictionaries"


def _source(lang: str) -> Path:
    from simplemma.strategies.dictionaries.dictionary_factory import DATA_FOLDER

    for suffix in (".plzma", ".plzma2", ".plzma.xz"):  # 2.x names its files .plzma
        if (DATA_FOLDER / f"{lang}{suffix}").exists():
            return DATA_FOLDER / f"{lang}{suffix}"
    raise ValueError(f"simplemma has no dictionary for {lang!r}")


def _cache_stem(lang: str) -> str:
    """The cache files' name for ``lang``: simplemma's version and the dictionary file's state, so an
    upgraded or rebuilt dictionary is never read from an old cache."""
    import simplemma

    st = _source(lang).stat()
    return f"{lang}-{simplemma.__version__}-{st.st_size}-{st.st_mtime_ns}-{CACHE_FORMAT}"


def _items(lang: str) -> Iterable[tuple[str, bytes]]:
    """Every (word, lemma) of simplemma's dictionary for ``lang``, read by its default factory."""
    from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

    mapping = DefaultDictionaryFactory(cache_max_size=0).get_dictionary(lang)
    raw = getattr(mapping, "_dict", None)  # its bytes -> bytes store: 10x faster to read than the str view
    if isinstance(raw, dict):
        return [(k.decode("utf-8"), v) for k, v in raw.items()]
    return [(k, v.encode("utf-8")) for k, v in mapping.items()]


def _save(trie, path: Path) -> None:
    """Save ``trie`` at ``path`` by renaming a finished temporary file into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    os.close(fd)
    try:
        trie.save(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _load(kind, path: Path):
    try:
        trie = kind().load(str(path))
    except (OSError, RuntimeError, ValueError):  # missing, or unreadable: built again
        return None
    return trie if len(trie) else None


@lru_cache(maxsize=None)
def _tries(lang: str):
    """(word -> lemma trie, "lemma\\0word" trie) for ``lang``, from the cache or built and saved."""
    import marisa_trie

    folder, stem = cache_folder(), _cache_stem(lang)
    forward_path, reverse_path = folder / f"{stem}.marisa", folder / f"{stem}.reverse.marisa"
    forward, reverse = _load(marisa_trie.BytesTrie, forward_path), _load(marisa_trie.Trie, reverse_path)
    if forward is not None and reverse is not None:
        return forward, reverse
    items = _items(lang)
    forward = marisa_trie.BytesTrie(items)
    reverse = marisa_trie.Trie(f"{v.decode('utf-8').lower()}\x00{k}" for k, v in items)
    try:
        _save(forward, forward_path)
        _save(reverse, reverse_path)
    except OSError:
        pass  # a read-only or full cache folder: this process keeps the tries it built
    return forward, reverse


class _Factory:
    """A simplemma ``DictionaryFactory`` handing out the cached tries (simplemma's ``TrieWrapDict``
    view, the same its own ``TrieDictionaryFactory`` gives; that factory writes its cache in place
    and keys it by version only, hence this one)."""

    def get_dictionary(self, lang: str) -> Mapping[str, str]:
        return _view(lang)


@lru_cache(maxsize=None)
def _view_class() -> type:
    from simplemma.strategies.dictionaries.trie_dictionary_factory import TrieWrapDict

    class _View(TrieWrapDict):
        """``TrieWrapDict`` with ``get`` answered in one call: simplemma's lemmatiser asks about 33
        candidate words per new word form. Lemmatising the 112k forms of the ``--distinct`` benchmark
        corpus took 4.4 s with the decoded dict, 5.0 s through ``TrieWrapDict.get`` -> ``_lookup`` and
        4.9 s with this ``get``."""

        __slots__ = ()

        def get(self, key, default=None):
            value = self._trie.get(key)
            return value[0].decode() if value else default

    return _View


@lru_cache(maxsize=None)
def _view(lang: str):
    return _view_class()(_tries(lang)[0])


@lru_cache(maxsize=None)
def _strategy():
    from simplemma.strategies import DefaultStrategy

    return DefaultStrategy(greedy=False, dictionary_factory=_Factory())


@lru_cache(maxsize=None)
def _lemmatizer():
    from simplemma import Lemmatizer

    return Lemmatizer(lemmatization_strategy=_strategy())


@lru_cache(maxsize=None)
def _lookup():
    from simplemma.strategies import DictionaryLookupStrategy

    return DictionaryLookupStrategy(_Factory())


def lemmatize(word: str, lang: str) -> str:
    """``simplemma.lemmatize(word, lang)``, from the cached dictionary."""
    return _lemmatizer().lemmatize(word, lang)


def is_known(word: str, lang: str) -> bool:
    """``simplemma.is_known(word, lang)``, from the cached dictionary (an empty word is a ValueError there too)."""
    from simplemma.utils import normalize_token

    if not word:
        raise ValueError("Wrong input value: empty string")
    return _lookup().get_lemma(normalize_token(word), lang) is not None


def langdetect(text: str, langs: tuple[str, ...]) -> list[tuple[str, float]]:
    """``simplemma.langdetect(text, lang=langs)``, from the cached dictionaries: the share of the text's
    most common words each language knows, best first, ``"unk"`` last. Its ten lines are repeated
    here because simplemma's function takes no dictionary factory (``LanguageDetector`` does)."""
    from simplemma import LanguageDetector, MostCommonTokenSampler, RelaxedMostCommonTokenSampler

    ranked: list[tuple[str, float]] = []
    for sampler in (MostCommonTokenSampler(), RelaxedMostCommonTokenSampler()):
        shares = LanguageDetector(langs, sampler, _strategy()).proportion_in_each_language(text)
        ranked = sorted(shares.items(), key=lambda item: (item[0] == "unk", -item[1]))
        if len(ranked) == 1 or ranked[0][1] != ranked[1][1]:
            return ranked
    return ranked


def forms_of(lemmas: Iterable[str], lang: str) -> set[str]:
    """The dictionary's words (lower-cased) whose lemma, lower-cased, is one of ``lemmas``.

    >>> "strategiene" in forms_of({"strategi"}, "nb")
    True
    """
    reverse = _tries(lang)[1]
    out: set[str] = set()
    for lemma in set(lemmas):
        prefix = f"{lemma}\x00"
        out.update(key[len(prefix):].lower() for key in reverse.keys(prefix))
    return out
