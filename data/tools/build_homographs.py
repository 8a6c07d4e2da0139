"""Build src/thematic/data/homographs.tsv from simplemma's own form -> lemma tables.

A *homograph* here is a word form that the lemmatiser folds into another word's lemma although
it is a word in its own right: ``styrer`` (a manager; a lemma with its own paradigm) is also read
as a form of the verb ``styre``, so the pattern ``styre`` matches "vi styrer etter". Codebook lint
warns when a pattern's lemma has such forms and suggests an exact-form pattern (``=styre``) or a
context condition.

A form counts when it differs from the lemma it is folded into, is alphabetic with at least three
letters, and is a *noun of its own* in the same table: its definite or plural form (``styreren``,
``planeten``, ``nämnden``; English ``-s``) is there and is lemmatised to the form itself. That
keeps real homographs (a manager, a planet, a committee) and leaves out the regular participles
and adjectives of verbs (``engasjert`` from ``engasjere``) and present participles and gerunds
(``-ande``, ``-ende``, ``-ing``), which are the same word for a coder.
Nothing is written by hand: re-run this after upgrading simplemma.

    python data/tools/build_homographs.py
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import simplemma
from simplemma.strategies.dictionaries import DefaultDictionaryFactory

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "src" / "thematic" / "data" / "homographs.tsv"
LANGUAGES = ("nb", "nn", "sv", "da", "en")
#: Definite and plural endings whose presence shows a form is a noun with a paradigm of its own.
NOUN_ENDINGS = {"nb": ("en", "et", "a", "er", "ene"), "nn": ("en", "et", "a", "ar", "ane", "ene"),
                "sv": ("en", "et", "n", "t", "ar", "er", "na"), "da": ("en", "et", "er", "ene", "erne"),
                "en": ("s", "es")}
#: Present participles and gerunds: verb forms, the same word as their verb for a coder.
PARTICIPLES = ("ande", "ende", "ing")


def homographs(table: dict[str, str], lang: str) -> dict[str, list[str]]:
    """lemma -> the forms folded into it that are nouns of their own."""
    out: dict[str, list[str]] = defaultdict(list)
    for form, lemma in table.items():
        if form == lemma or not form.isalpha() or len(form) < 3 or form.endswith(PARTICIPLES):
            continue
        if any(table.get(form + ending) == form for ending in NOUN_ENDINGS[lang]):
            out[lemma.lower()].append(form.lower())
    return out


def main() -> None:
    factory = DefaultDictionaryFactory()
    lines = [f"# homographs folded by simplemma {simplemma.__version__}'s tables; built by data/tools/build_homographs.py",
             "# language\tlemma\tforms that are words of their own (comma-separated)"]
    for lang in LANGUAGES:
        table = dict(factory.get_dictionary(lang).items())
        for lemma, forms in sorted(homographs(table, lang).items()):
            lines.append(f"{lang}\t{lemma}\t{','.join(sorted(set(forms)))}")
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(lines) - 2} lemmas")


if __name__ == "__main__":
    main()
