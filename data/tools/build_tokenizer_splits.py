"""Build src/thematic/data/tokenizer_splits.tsv: the alphabetic words spaCy's tokenizer splits.

Re-coding from a project's stored token arrays must split a new pattern word the way the tokenizer
split the text, without loading spaCy (its import alone takes seconds). A word of letters only is one
token except where the language's tokenizer exceptions say otherwise (English ``cannot``, Swedish
``hörru``); this lists those exceptions, so that only they (and words with other characters) need
spaCy. ``tests/test_arrays.py`` checks the file against the installed spaCy.

    python data/tools/build_tokenizer_splits.py
"""

from __future__ import annotations

from pathlib import Path

import spacy

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "src" / "thematic" / "data" / "tokenizer_splits.tsv"
LANGUAGES = ("nb", "nn", "sv", "da", "en")


def splits(lang: str) -> list[str]:
    rules = spacy.blank(lang).tokenizer.rules or {}
    return sorted(k for k, tokens in rules.items() if k.isalpha() and len(tokens) != 1)


def main() -> None:
    lines = [f"{lang}\t{word}" for lang in LANGUAGES for word in splits(lang)]
    OUT.write_text(f"# spaCy {spacy.__version__}: alphabetic words its tokenizer splits\n" + "\n".join(lines) + "\n",
                   encoding="utf-8")
    print(f"{OUT}: {len(lines)} words")


if __name__ == "__main__":
    main()
