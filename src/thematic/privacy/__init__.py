"""Research-data protection: pseudonymise transcripts with a key kept apart, and check exports.

    >>> from thematic.privacy import Key, pseudonymise_corpus
    >>> key = Key.load("data/pseudonym_key.csv")                                 # doctest: +SKIP
    >>> report = pseudonymise_corpus("data/sample_transcripts", key, "out/pseudo")  # doctest: +SKIP
"""

from .candidates import candidates
from .fold import find_folded, find_folded_text, fold, rename
from .files import check_no_leak, extract_text, find_leaks, pseudonymise_corpus, pseudonymise_file
from .key import KINDS, Key, KeyEntry
from .replace import Replacement, TermMatcher, find_terms, pseudonymise_text

__all__ = ["Key", "KeyEntry", "KINDS", "pseudonymise_text", "find_terms", "pseudonymise_file", "pseudonymise_corpus",
           "candidates", "check_no_leak", "fold", "find_folded", "find_folded_text", "rename", "find_leaks", "extract_text", "Replacement", "TermMatcher"]
