"""thematic.dictionaries: simplemma's dictionaries cached as tries give exactly what simplemma gives."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import simplemma

from thematic import dictionaries
from thematic.nlp import dictionary_forms, folds_by_dictionary, pattern_lemma

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample_transcripts"

TEXTS = {
    "nb": "Vi har laget en digitaliseringsstrategi for skolene, men lærerne savner tid til å lære de nye verktøyene.",
    "nn": "Eg veit ikkje kva vi skal gjere med strategien, men kommunen har ein plan for barnehagane.",
    "sv": "Vi har ingen tydlig målbild för digitaliseringen och rektorerna måste ta ett större ansvar.",
    "da": "Kommunen har lavet en strategi for digitalisering, og lærerne skal have mere tid til at lære.",
    "en": "The municipality wrote a digital strategy, but the teachers say they were never asked about it.",
}


def _words() -> dict[str, list[str]]:
    """Per language: the sample's words plus odd ones (capitals, hyphens, apostrophes, digits, unknown)."""
    odd = ["Strategien", "IT-avdelingen", "it's", "o'", "2024", "", "x", "strategix", "ÆØÅ", "målbildet",
           "digitaliserings-strategien", "Skole", "STRATEGI", "ﬁ", "e\u0301n"]
    words = {lang: list(odd) for lang in TEXTS}
    for path in sorted(SAMPLE.glob("*.txt"))[:8]:
        found = re.findall(r"[\w'’-]+", path.read_text(encoding="utf-8", errors="replace"))
        for lang in words:
            words[lang].extend(found[:400])
    for lang, text in TEXTS.items():
        words[lang].extend(text.split())
    return words


def test_lemmas_and_known_words_equal_simplemmas_own():
    for lang, words in _words().items():
        for word in words:
            if not word:
                with pytest.raises(ValueError):
                    simplemma.is_known(word, lang)
                with pytest.raises(ValueError):
                    dictionaries.is_known(word, lang)
                continue
            assert dictionaries.lemmatize(word, lang) == simplemma.lemmatize(word, lang=lang), (lang, word)
            assert dictionaries.is_known(word, lang) == simplemma.is_known(word, lang), (lang, word)


@pytest.mark.parametrize("langs", [("nb",), ("nb", "nn"), ("nb", "nn", "sv", "da", "en"), ("sv", "da")])
def test_language_shares_equal_simplemmas_langdetect(langs):
    texts = list(TEXTS.values()) + ["", "123 456", "Oslo Bergen Trondheim", " ".join(TEXTS.values()),
                                    "dele dele dele del del"]
    for text in texts:
        assert dictionaries.langdetect(text, langs) == simplemma.langdetect(text, lang=langs), text


def test_forms_of_equals_a_scan_of_the_whole_dictionary():
    from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

    mapping = DefaultDictionaryFactory(cache_max_size=0).get_dictionary("nb")
    wanted = {"strategi", "skole", "del", "dele", "styre", "lære", "ledelse", "finnesikke"}
    scanned = {k.lower() for k, v in mapping.items() if v.lower() in wanted}
    assert dictionaries.forms_of(wanted, "nb") == scanned
    assert {"strategien", "skolene", "styrer"} <= scanned
    assert dictionaries.forms_of(set(), "nb") == set()


def test_dictionary_forms_checks_each_pair_with_pattern_lemma():
    forms = dictionary_forms({"strategi", "skole"}, "nb")
    assert ("strategien", "strategi") in forms and ("skolene", "skole") in forms
    for word, lemma in forms:
        assert folds_by_dictionary(word) and pattern_lemma(word, "nb") == lemma != word
    assert dictionary_forms({"strategi"}, "xx") is None  # a language simplemma has no dictionary for


def test_the_cache_is_written_once_and_read_by_later_processes(tmp_path):
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    code = ("from thematic import dictionaries as d\n"
            "print(d.lemmatize('skolene', 'nn'), d.is_known('ikkje', 'nn'), len(d.forms_of({'skule'}, 'nn')) > 0)\n")
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    files = sorted(p.name for p in (tmp_path / "thematic" / "dictionaries").iterdir())
    assert len(files) == 2 and files[0].startswith(f"nn-{simplemma.__version__}-")
    assert not any(name.endswith(".tmp") for name in files)
    stamps = {p: p.stat().st_mtime_ns for p in (tmp_path / "thematic" / "dictionaries").iterdir()}
    second = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert first.stdout == second.stdout
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps  # read, not written again


def test_a_damaged_cache_file_is_built_again(tmp_path):
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    code = ("from thematic import dictionaries as d; "
            "print(d.lemmatize('skulane', 'nn'), d.is_known('ikkje', 'nn'), sorted(d.forms_of({'skule'}, 'nn'))[:2])")
    good = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    folder = tmp_path / "thematic" / "dictionaries"
    for path in folder.iterdir():
        path.write_bytes(b"not a trie at all" if "reverse" in path.name else b"")
    again = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert again == good == "skule True ['skulane', 'skular']\n"
    assert len(list(folder.iterdir())) == 2 and all(path.stat().st_size > 1000 for path in folder.iterdir())


def test_a_cache_folder_that_cannot_be_written_still_gives_the_dictionary(tmp_path):
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder would be")  # mkdir under it fails
    env = {**os.environ, "XDG_CACHE_HOME": str(blocked)}
    code = "from thematic import dictionaries as d; print(d.lemmatize('skulane', 'nn'), d.is_known('ikkje', 'nn'))"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout == "skule True\n"
