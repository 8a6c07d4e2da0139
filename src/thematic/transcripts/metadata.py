"""Case metadata: ``cases.csv`` (or ``cases.xlsx``) beside the transcripts.

One row per transcript file. Columns (all but ``file`` optional)::

    file,doc_id,case,case_name,case_type,country,county,population_band,
    informants,informant_roles,speaker_map,speaker_roles,interview_date,language,source_type

``informants`` and ``informant_roles`` are ``;``-separated; ``speaker_map`` maps
speaker labels to informant ids (``Anne Lie=K3;Bjørn Aas=K4``); ``speaker_roles``
gives speakers their roles (``Kari Nordmann=informant;Intervjuer=interviewer``),
which win over every default; ``source_type`` is ``interview``, ``focus_group``,
``document`` or ``field_notes`` (inferred when absent). Any other column becomes
a case attribute too.

Example:
    >>> rows, problems = read_cases_text("file,case\\nA-K1.txt,A\\n", "cases.csv")
    >>> rows["A-K1.txt"].fields["case"], problems
    ('A', [])
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from ..corpus import Problem
from ..errors import Errors, IngestError

CASES_NAMES = ("cases.csv", "cases.xlsx")


@dataclass(frozen=True)
class CaseRow:
    line: int
    fields: dict = field(hash=False)

    def informants(self) -> list[str]:
        return split_list(self.fields.get("informants", ""))

    def speaker_map(self) -> dict[str, str]:
        return {name.casefold(): ident for name, ident in pairs(self.fields.get("speaker_map", "")).items()}

    def speaker_roles(self) -> dict[str, str]:
        """``speaker_roles`` as ``{label: role}`` (labels as written)."""
        return pairs(self.fields.get("speaker_roles", ""))


def pairs(value) -> dict[str, str]:
    """``"Kari Nordmann=informant; I=interviewer"`` -> ``{"Kari Nordmann": "informant", "I": "interviewer"}``."""
    mapping = {}
    for pair in split_list(value):
        if "=" in pair:
            name, ident = pair.split("=", 1)
            if name.strip():
                mapping[" ".join(name.split())] = ident.strip()
    return mapping


def split_list(value) -> list[str]:
    """``"K3; K4"`` -> ``["K3", "K4"]`` (also accepts a YAML list)."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value).split(";") if part.strip()]


def find_cases_file(folder: Path) -> Path | None:
    for name in CASES_NAMES:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


def read_cases(path: Path) -> tuple[dict[str, CaseRow], list[Problem]]:
    """Rows keyed by file name, and the problems found (duplicates are errors)."""
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        from .decode import decode_bytes

        text = decode_bytes(path.read_bytes(), path)
    except OSError as exc:
        raise IngestError(Errors.T014.format(path=path, detail=exc.strerror), path=path) from None
    return read_cases_text(text, str(path))


def read_cases_text(text: str, path: str) -> tuple[dict[str, CaseRow], list[Problem]]:
    try:
        delimiter = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    # Only the delimiter is sniffed (from the header line); quoting is Excel's, so "" inside a quoted
    # field is one quote (a dialect sniffed from an unquoted header would turn doubled quotes off).
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise IngestError(Errors.T014.format(path=path, detail="the file is empty"), path=path) from None
    if "file" not in header:
        raise IngestError(Errors.T014.format(path=path, detail="the header has no 'file' column"), path=path, line=1)
    records = []
    for row in reader:
        if any(cell.strip() for cell in row):
            records.append((reader.line_num, dict(zip(header, (c.strip() for c in row)))))
    return _rows(records, path)


def _read_xlsx(path: Path) -> tuple[dict[str, CaseRow], list[Problem]]:
    import openpyxl

    import zipfile

    from ..safezip import verify

    try:
        data = path.read_bytes()
        verify(data, path)  # size, ratio, duplicate and CRC checks before openpyxl inflates anything
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except IngestError:
        raise
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise IngestError(Errors.T014.format(path=path, detail=str(exc)), path=path) from None
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    if not rows or "file" not in [str(h or "").strip().lower() for h in rows[0]]:
        raise IngestError(Errors.T014.format(path=path, detail="the first row has no 'file' column"), path=path, line=1)
    header = [str(h or "").strip().lower() for h in rows[0]]
    records = [(n, {h: ("" if v is None else str(v).strip()) for h, v in zip(header, row)})
               for n, row in enumerate(rows[1:], start=2) if any(v not in (None, "") for v in row)]
    return _rows(records, str(path))


def _rows(records, path: str) -> tuple[dict[str, CaseRow], list[Problem]]:
    rows: dict[str, CaseRow] = {}
    problems: list[Problem] = []
    ids: dict[str, int] = {}
    for line, fields in records:
        name = fields.get("file", "")
        if not name:
            problems.append(Problem(path, Errors.T009.format(path=path, line=line, detail="the 'file' cell is empty"),
                                    line, "warning"))
            continue
        doc_id = fields.get("doc_id") or Path(name).stem
        if doc_id in ids or name in rows:
            other = ids.get(doc_id) or rows[name].line
            raise IngestError(Errors.T012.format(path=path, line=line, name=doc_id, other=other), path=path, line=line)
        ids[doc_id] = line
        rows[name] = CaseRow(line, fields)
    return rows, problems
