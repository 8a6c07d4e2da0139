"""Shared names: the columns of the tidy tables that flow between layers.

The interchange between layers is a tidy long DataFrame with one row per
coding (``CODING_COLUMNS``). Every matrix is derived from it. Offsets
(``start``, ``end``) are Unicode code points into the stored NFC document text,
so ``document.text[start:end]`` is the coded text.
"""

from __future__ import annotations

from typing import Literal

#: One row per coding. Columns a layer cannot fill are left as NA, never dropped.
CODING_COLUMNS: list[str] = [
    "doc_id",      # str: document id (file stem unless cases.csv says otherwise)
    "case",        # str: case id (municipality, network) from case metadata
    "speaker",     # str: speaker label as in the transcript
    "role",        # str: "interviewer" | "informant" | "document" | "unknown"
    "segment_id",  # str: f"{doc_id}:{index}" of the segment the coding lies in
    "start",       # int: code point offset into the document text (inclusive)
    "end",         # int: code point offset (exclusive)
    "line_start",  # int: 1-based line in the original file where the coded text starts
    "line_end",    # int: 1-based line where it ends
    "code",        # str: full dotted code id, e.g. "target_picture.unclear"
    "theme",       # str: theme id = first part of the code id, e.g. "target_picture"
    "coder",       # str: person's name, or "rules@<codebook>:<version>" / "suggest@..." for machines
    "source",      # str: one of SOURCES
    "rule",        # str: the pattern that fired (rule codings), else ""
    "matched",     # str: the words that matched (rule codings), else ""
    "text",        # str: the coded text, document.text[start:end]
]

#: Where a coding came from.
SOURCES = ("rule", "manual", "accepted", "suggestion", "import", "resolved")
Source = Literal["rule", "manual", "accepted", "suggestion", "import", "resolved"]

#: Sources of codings a person made or brought in ("accepted": projects from before schema 3, where
#: accepting made a machine coding the reviewer's). Machine codings count as reviewed once accepted.
HUMAN_SOURCES = ("manual", "import", "resolved", "accepted")
MACHINE_SOURCES = ("rule", "suggestion")

#: One row per segment (turn or paragraph inside a turn).
SEGMENT_COLUMNS: list[str] = [
    "doc_id", "segment_id", "index", "case", "speaker", "role", "informant",
    "start", "end", "line_start", "line_end", "time_start", "time_end", "page", "heading", "words", "text",
]

#: One row per document in Corpus.cases / Project.cases (case metadata).
CASE_COLUMNS: list[str] = [
    "doc_id", "file", "case", "case_type", "country", "county", "population_band",
    "informants", "informant_roles", "interview_date", "language",
]

ROLES = ("interviewer", "informant", "document", "unknown")
#: Roles whose text the rule coder codes by default (interviewers only with include_interviewer).
CODED_ROLES = ("informant", "document")
#: What a source is; cases.csv's ``source_type`` column, or inferred at ingest.
SOURCE_TYPES = ("interview", "focus_group", "document", "field_notes")
LANGUAGES = ("nb", "nn", "sv", "da", "en")
UNITS = ("sentence", "turn", "paragraph")


def theme_of(code_id: str) -> str:
    """Theme id of a dotted code id.

    >>> theme_of("target_picture.unclear")
    'target_picture'
    """
    return code_id.split(".", 1)[0]


def empty_codings():
    """An empty codings table with the right columns and dtypes."""
    import pandas as pd

    df = pd.DataFrame({c: pd.Series(dtype="object") for c in CODING_COLUMNS})
    for c in ("start", "end", "line_start", "line_end"):
        df[c] = df[c].astype("Int64")
    return df


def reviewed_mask(frame):
    """Rows of a codings table a person made, brought in or accepted (``reviewed_by`` set), and active."""
    human = frame["source"].astype(str).isin(HUMAN_SOURCES)
    if "reviewed_by" in frame:
        human = human | frame["reviewed_by"].astype(str).ne("")
    if "status" in frame:
        human = human & frame["status"].astype(str).eq("active")
    return human
