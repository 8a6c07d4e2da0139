"""One exception hierarchy for thematic, with numbered message templates.

Every error about user input says *where* (file, line) and *what to do*.
Modelled on spaCy's ``errors.py``: messages live here as templates with a
stable code, so they can be tested and searched for.

Example:
    >>> from thematic.errors import IngestError, Errors
    >>> err = IngestError(Errors.T001.format(path="a.txt"), path="a.txt")
    >>> str(err).startswith("[T001]")
    True
"""

from __future__ import annotations

import warnings
from pathlib import Path


class _ErrorsWithCodes(type):
    """Prefix each template with its code: ``Errors.T001`` -> ``"[T001] ..."``."""

    def __getattribute__(cls, code: str) -> str:
        msg = super().__getattribute__(code)
        if code.startswith("__"):
            return msg
        return f"[{code}] {msg}"


class Errors(metaclass=_ErrorsWithCodes):
    """Message templates. Add new ones at the end of their block; never renumber."""

    # T0xx: ingestion
    T001 = "{path}: the file is empty. Remove it from the folder or add the transcript text."
    T002 = ("{path}: could not decode the text ({detail}). Save the file as UTF-8 "
            "(in Word: File > Save As > Plain Text > UTF-8) and try again.")
    T003 = ("{path}: not a readable Word document ({detail}). Open it in Word and save it "
            "again as .docx.")
    T004 = ("{path}: unsupported file type '{suffix}'. Supported: .docx, .odt, .pdf, .html, .txt, .md, .vtt, .srt. "
            "Convert the file or move it out of the corpus folder.")
    T005 = "{path}: this looks like binary data, not a transcript ({detail}). Check that the file is a text transcript."
    T006 = "{path}, line {line}: malformed subtitle/caption file ({detail}). Re-export it from Teams/Zoom."
    T007 = "{path}: no transcripts found (no documents either; looked for .docx, .odt, .pdf, .html, .txt, .md, .vtt, .srt)."
    T008 = "{path}: path does not exist. Check the spelling or give the folder with the transcripts."
    T009 = "{path}, line {line}: {detail}"
    T010 = "{path}, line {line}: cases file names '{name}', which is not in the corpus folder. Fix the file name or remove the row."
    T011 = "{path}: no row for '{name}' in the cases file. Add a row so the document gets its case."
    T012 = "{path}, line {line}: duplicate document id '{name}' (also on line {other}). Give each document a unique id."
    T013 = "{path}, line {line}: invalid YAML front matter ({detail}). Fix the block between the '---' lines."
    T014 = "{path}: could not read the cases file ({detail}). Save it as UTF-8 CSV with a header row."
    T015 = "{path}: {count} problem(s) while ingesting in strict mode; first: {first}"
    T016 = "{path}: the file is {size} bytes, larger than the limit of {limit} bytes. Split it or raise max_bytes."
    T020 = "{path}: {detail}. If this is wrong, name the speakers in cases.csv (speaker_roles, e.g. 'Kari Nordmann=informant')."
    T021 = "{path}: {detail}. Set the language column in cases.csv if this is wrong."
    T022 = ("{path}: no informant speech found ({detail}). If this is a policy document or field note, set "
            "source_type=document in cases.csv; if it is an interview, check the speaker labels or add speaker_roles.")
    T023 = ("{path}: unknown source_type '{value}' in the cases file. Use one of: interview, focus_group, document, "
            "field_notes.")
    T024 = ("{path}: the PDF has no text layer ({pages} page(s) without text): it is a scan and needs OCR first "
            "(e.g. ocrmypdf file.pdf out.pdf), then ingest the OCR'd PDF.")
    T025 = "{path}: not a readable {kind} file ({detail}). Open it and save it again, or export it as .docx or .txt."
    T026 = ("{path}: a symbolic link to {target}, outside the corpus folder; such links are not followed. "
            "Copy the transcript into the folder, or remove the link.")
    T027 = "{path}, line {line}: {detail}; the rest of the file was read. Check this line in the file."
    T028 = ("{path}, line {line}: this line is not UTF-8 though the lines before it are ({encoding} assumed); "
            "the file mixes encodings. Save it again as UTF-8 and check the letters æøå on this line.")
    T029 = ("{path}: a {kind} of {other} (the same interview: {detail}); it was loaded once, from {other}. Remove "
            "one of the two files, or pass strict=True to make this an error.")

    # C0xx: codebooks
    C001 = "{path}, line {line}, column {column}: {detail}"
    C002 = "{path}: not a valid codebook ({detail})."
    C003 = "Unknown code id '{code}' in codebook '{codebook}'. Known ids start with: {known}."
    C004 = "{path}: {count} problem(s) in the codebook:\n{problems}"
    C005 = "{path}: not a REFI-QDA codebook/project ({detail})."

    # N0xx: language pipeline
    N001 = "Unsupported language '{lang}'. Use one of: {supported}."
    N002 = ("{where}, line {line}: a word of {length} characters without a space (the limit is {limit}). No spoken "
            "word is this long; it is probably pasted data (an encoded image, a long link). Remove it or break it "
            "with spaces, ingest the file again and code again.")

    # S0xx: project store
    S001 = "{path}: not a thematic project ({detail}). Open a .thematic file created by thematic, or choose a new file name."
    S002 = ("{path}: the project was written by a newer thematic (schema version {found}, this "
            "library knows {known}). Upgrade thematic (pip install -U thematic).")
    S003 = "Document '{doc_id}' is not in the project. Known documents: {known}."
    S004 = ("Quote not found in '{doc_id}': \"{quote}\" (not even ignoring case, spaces, line breaks, dashes and "
            "quote marks). The nearest passage, on line {line}, is {score:.0f}% alike: \"{nearest}\". Copy the "
            "quote from there, or give start/end offsets.")
    S005 = ("Quote is ambiguous in '{doc_id}': \"{quote}\" occurs {count} times (at offsets {where}). "
            "Give a longer quote, or occurrence=N, or start/end offsets.")
    S006 = "Unknown code '{code}'. Add it to the codebook first, or check the spelling. Close matches: {close}."
    S007 = "No coding with id {coding_id} in the project."
    S008 = "Nothing to undo."
    S009 = "Segment '{segment_id}' is not in the project."
    S010 = "Offsets {start}:{end} are outside document '{doc_id}' (length {length})."
    S011 = "A coder name is required for {action}; pass coder=\"your name\" (on the command line: --coder NAME)."
    S012 = "{path}: cannot back up the project there ({detail})."
    S013 = ("{path}: the write-ahead log {wal} beside the project cannot be read ({detail}); it may hold the latest "
            "codings. Restore its permissions (or move the project and its -wal together) and open again.")
    S014 = ("{path}: the project cannot be written: {what} is read-only. Copy the project to a folder you can "
            "write to, or change the permissions.")
    S015 = "{path}: the disk is full; the last change was not saved (nothing stored was lost). Free some space and try again."
    S016 = ("{target}: '{scheme}://' is not a project location thematic knows. Give a file path (SQLite) or "
            "postgresql://user@host:port/database (PostgreSQL).")
    S017 = "{target}: {detail}."
    S018 = ("PostgreSQL server {host}, database {database}: {detail}. Codings already saved are kept; check the "
            "server, the network and the credentials (URL, PG* variables, ~/.pgpass), then run the action again "
            "(thematic reconnects by itself).")
    S019 = ("{target}: a PostgreSQL project needs the psycopg driver. Install it with: "
            "pip install -e \".[team]\" (or pip install \"psycopg[binary]\").")
    S020 = ("{what} by {coder} was not applied to coding {coding_id}: {other} changed it to '{status}' first "
            "(the first to save wins). Look at the coding and act again if you still want to.")
    S021 = "Cannot copy into {dest}: {detail}. Give a new file name or a new ?schema=."
    S022 = ("occurrence={occurrence}, but the quote \"{quote}\" occurs {count} time(s) in '{doc_id}' (at offsets "
            "{where}). Give occurrence=1 to {count}.")
    S023 = ("{path}: no documents to code again (the project {detail}). Give the folder with the transcripts: "
            "thematic code FOLDER --codebook CODEBOOK --project {path}")

    # A0xx: analysis / export
    A001 = "Unknown {what} '{value}'. Choose one of: {choices}."
    A002 = "{detail}"
    A003 = "Refusing to write {path}: it contains the real term '{term}' from the pseudonym key. Pseudonymise the corpus first."
    A004 = "{path}: refusing to write outside the output folder {root}. Check the name (a pseudonym or label with '/' or '..'?) and any symbolic link in the folder."
    A005 = "{path}: refusing to write over the input file {source}. Choose an output folder apart from the inputs."
    A006 = "{path}: the disk is full; nothing was written and partial files were removed. Free some space or write to another disk."
    A007 = "{path}: cannot write here ({detail}); the file or folder is read-only. Choose a folder you can write to, or change its permissions."
    A008 = "{path}: could not write the output ({detail}); partial files were removed."
    A009 = "{path}, line {line}: {detail}"
    A010 = ("Refusing to write the report: the {where} '{value}' contains the real term '{term}' from the pseudonym "
            "key (compared without case and diacritics). Pseudonymise the corpus, its file names and cases.csv first "
            "(thematic pseudonymise).")

    # R0xx: reliability / suggestions
    R001 = "{detail}"

    # Q0xx: REFI-QDA exchange
    Q001 = "{path}: {detail}"
    Q002 = "{path}: unsafe archive member '{member}' ({detail}); nothing was extracted or stored."
    Q003 = "{path}: unsafe XML ({detail}); entities and external references are not allowed."
    Q004 = ("{path}: the archive is damaged (member '{member}': {detail}); nothing was read or stored. "
            "Ask for a fresh copy, or open and save it again in the program that made it.")

    # P0xx: privacy
    P001 = "{path}, line {line}: {detail}"

    # U0xx: notebook views (thematic.ui)
    U001 = ("The selection runs across two documents ({first} and {second}). Select a passage inside one "
            "transcript; nothing was stored.")
    U002 = ("The selection in '{doc_id}' (characters {start}:{end}) is not informant speech, and this project "
            "codes informant speech only (setting include_interviewer is off). Select the informant's words, or "
            "run project.set_setting(\"include_interviewer\", True); nothing was stored.")
    U003 = "The selection in '{doc_id}' is empty or only spaces. Select some words first; nothing was stored."
    U004 = "thematic.ui needs anywidget ({detail}). Install it with: pip install 'thematic[ui]'"


class Warnings(metaclass=_ErrorsWithCodes):
    W001 = "{path}: {detail}"
    W002 = "{detail}"
    W003 = ("{where}: the rule '{pattern}' of code '{code}' was stopped after {seconds:g} s of matching on this "
            "document and its matches here are left out. The pattern backtracks (a repeated group inside a "
            "repetition, such as (a+)+ or (x|xx)+): rewrite it (thematic codebook lint shows slow shapes) and code again.")
    W004 = ("{path}: the project file is gone but its {sidecars} remained (left when a project file was deleted "
            "while open, or after a crash); they cannot belong to the new project, so they were moved aside to "
            "{moved}. Delete them once you are sure you do not need them.")


class ThematicError(Exception):
    """Base class of every error thematic raises on purpose.

    Args:
        message: the full, human-readable message (usually an ``Errors`` template).
        path: the file the problem is in, if any.
        line: the 1-based line in that file, if known.
    """

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None):
        super().__init__(message)
        self.path = str(path) if path is not None else None
        self.line = line


class IngestError(ThematicError, ValueError):
    """A transcript or its metadata could not be read."""


class CodebookError(ThematicError, ValueError):
    """A codebook is invalid or a code id is unknown."""

    def __init__(self, message: str, *, path=None, line=None, problems: list[str] | None = None):
        super().__init__(message, path=path, line=line)
        self.problems = list(problems or [])


class PipelineError(ThematicError, ValueError):
    """The language pipeline cannot handle the request (e.g. unsupported language)."""


class StoreError(ThematicError, RuntimeError):
    """The project file cannot be opened or written."""


class SchemaVersionError(StoreError):
    """The project was written by a newer version of thematic."""


class NotFoundError(ThematicError, KeyError):
    """A document, segment, code or coding does not exist."""

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return self.args[0] if self.args else ""


class QuoteError(ThematicError, ValueError):
    """A quote was not found in a document, or found more than once."""


class AnalysisError(ThematicError, ValueError):
    """An analysis or export was asked for something that does not exist."""


class ReliabilityError(ThematicError, ValueError):
    """Agreement cannot be computed from the data given."""


class NotFittedError(ThematicError, ValueError, AttributeError):
    """A suggester was used before ``fit``."""


class RefiError(ThematicError, ValueError):
    """A REFI-QDA file (.qdpx/.qde/.qdc) is malformed, unsafe or incomplete."""


class UnsafeArchiveError(RefiError, IngestError):
    """A zip archive (.qdpx, .docx, .xlsx, .odt) tries zip slip, absolute paths, duplicates or a zip bomb,
    or is damaged (bad CRC, corrupt data)."""


class OutputError(ThematicError, RuntimeError):
    """An output file could not be written where asked (outside the folder, over an input, disk full, read-only)."""


class PrivacyError(ThematicError, ValueError):
    """A pseudonym key is invalid, or an export would leak a real name."""


class ViewError(ThematicError, ValueError):
    """An action in a notebook view could not be done (the view shows the message; nothing is stored)."""


class ThematicWarning(UserWarning):
    """Base class of warnings thematic emits."""


def warn(message: str, category: type[Warning] = ThematicWarning) -> None:
    """Emit a thematic warning attributed to the caller's caller."""
    warnings.warn(message, category, stacklevel=3)
