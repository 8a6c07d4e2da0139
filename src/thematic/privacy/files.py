"""Pseudonymise transcript files and folders, and scan outputs for leaked names.

Copies keep their format where we can write it (.txt, .md, .vtt, .srt, .csv as
UTF-8 text; .docx with its formatting); file names are pseudonymised too, so
``Fjordvik-K2.txt`` does not give the municipality away. The key never goes
into the output folder, and the report written there names pseudonyms only.

Example:
    >>> from thematic.privacy import Key, pseudonymise_corpus
    >>> report = pseudonymise_corpus("data/sample_transcripts",
    ...                              Key.load("data/pseudonym_key.csv"), "out/pseudo")  # doctest: +SKIP
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd

from ..errors import Errors, PrivacyError, ThematicError, Warnings, warn
from ..outfiles import OutputFolder, check_target, safe_name, write_atomic
from ..transcripts import SUFFIXES as SOURCE_SUFFIXES
from ..transcripts.decode import decode_bytes
from ..safezip import SafeArchive, verify
from .fold import find_folded, find_folded_text, rename
from .key import Key
from .office import OFFICE_SUFFIXES, office_text, pseudonymise_parts, replace_in_nodes
from .replace import Replacement, matcher

TEXT_SUFFIXES = {".txt", ".md", ".vtt", ".srt", ".csv", ".tsv"}
DOCX_SUFFIXES = {".docx"}
SCAN_TEXT_SUFFIXES = TEXT_SUFFIXES | {".tex", ".json", ".html", ".htm", ".svg", ".xml", ".qde", ".qdc", ".yaml", ".yml"}
REPORT_NAME = "pseudonymisation_report.csv"


def pseudonymise_file(src: str | Path, key: Key, dest_dir: str | Path, *, name: str | None = None,
                      inputs=()) -> tuple[Path, list[Replacement]]:
    """Write a pseudonymised copy of one file into ``dest_dir``; return its path and the replacements.

    The copy's name is the pseudonymised file name made safe (:func:`thematic.outfiles.safe_name`), or
    ``name``; it is written atomically, must stay inside ``dest_dir`` and never replaces ``src`` or
    any of ``inputs``.
    """
    src, dest_dir = Path(src), Path(dest_dir)
    suffix = src.suffix.lower()
    if suffix not in DOCX_SUFFIXES | TEXT_SUFFIXES:
        raise PrivacyError(Errors.P001.format(
            path=src, line=0, detail=f"cannot pseudonymise '{src.suffix}' files; convert to .txt or .docx"), path=src)
    m = matcher(key)
    if name is None:
        name = safe_name(rename(m.replace(src.stem)[0], key) + src.suffix)  # fjordoy_rektor too
    protected = {src, *map(Path, inputs)}
    dest = check_target(dest_dir / name, dest_dir, protected)
    reps: list[Replacement] = []
    if suffix in DOCX_SUFFIXES:
        document = _open_docx(src)

        def write(tmp: Path) -> None:
            reps.extend(_pseudonymise_docx(document, key))
            buffer = io.BytesIO()
            document.save(buffer)
            # Comments and their authors, footnotes, tracked deletions, alt texts, all properties.
            data, found = pseudonymise_parts(buffer.getvalue(), src, m)
            reps.extend(Replacement(term, pseudonym, kind, 0, 0, 0, matched)
                        for term, pseudonym, kind, matched in found)
            tmp.write_bytes(data)
    else:
        text, newline = _read_text(src)

        def write(tmp: Path) -> None:
            new_text, found = m.replace(text)
            if suffix in (".csv", ".tsv"):  # cases.csv: names and ids renamed as the files are
                new_text, more = _rename_ids_in_table(new_text, key, "\t" if suffix == ".tsv" else ",")
                found += more
            reps.extend(found)
            tmp.write_text(new_text, encoding="utf-8", newline=newline)
    write_atomic(dest, write, inputs=protected)
    return dest, reps


def pseudonymise_corpus(source: str | Path, key: Key, out_dir: str | Path, *, overwrite: bool = False,
                        mapping: str | Path | None = None) -> pd.DataFrame:
    """Pseudonymise every transcript (and ``cases.csv``) of a folder into ``out_dir``.

    Output names are the pseudonymised names made safe; two inputs that map to the
    same name (or names differing only in case) get ``-2``, ``-3`` and the report
    lists each. Nothing is written outside ``out_dir`` and no input is ever replaced.
    Symbolic links are followed only while they stay inside the corpus folder; one
    that leaves it is refused.

    Returns the full report (real term, pseudonym, kind, file, count, lines) for the
    researcher's eyes; only its pseudonym side is written to ``out_dir``. File names containing a
    key term in any case, with or without diacritics (``fjordoy_rektor.txt`` for ``Fjordøy``), are
    renamed, and so are the names and ids in ``cases.csv``. With ``mapping`` (the CLI passes
    ``<key>_mapping.csv`` beside the key) the full report, saying which real name became which
    pseudonym and which file which output, is written there; it may never go into ``out_dir``.
    """
    source, out_dir = Path(source).resolve(), Path(out_dir).resolve()
    if not source.is_dir():
        raise PrivacyError(Errors.P001.format(path=source, line=0, detail="not a folder of transcripts"), path=source)
    if out_dir == source or source in out_dir.parents:
        raise PrivacyError(Errors.P001.format(
            path=out_dir, line=0, detail="the output folder must be outside the corpus folder"), path=out_dir)
    if key.path and Path(key.path).resolve().parent == out_dir:
        raise PrivacyError(Errors.P001.format(
            path=out_dir, line=0, detail="the key must not live in the output folder; keep it apart"), path=out_dir)
    if out_dir.exists() and any(out_dir.iterdir()) and not overwrite:
        raise PrivacyError(Errors.P001.format(
            path=out_dir, line=0, detail="the output folder is not empty; choose a new one or pass overwrite=True (--overwrite)"),
            path=out_dir)
    if mapping is not None and (out_dir == Path(mapping).resolve().parent or out_dir in Path(mapping).resolve().parents):
        raise PrivacyError(Errors.P001.format(
            path=mapping, line=0, detail="the mapping names real people; keep it beside the key, not in the output"),
            path=mapping)
    key_path = Path(key.path).resolve() if key.path else None
    sources, not_copied = [], []
    for src in sorted(source.iterdir()):
        if src.suffix.lower() not in TEXT_SUFFIXES | DOCX_SUFFIXES or not src.is_file():
            if src.suffix.lower() in SOURCE_SUFFIXES and src.is_file():
                not_copied.append(src)  # a source ingest reads (.pdf, .odt, .html) but no pseudonymised copy is made of
            continue
        resolved = src.resolve()
        if resolved != source / src.name and source not in resolved.parents:
            raise PrivacyError(Errors.P001.format(
                path=src, line=0, detail=f"a symbolic link to {resolved}, outside the corpus folder; links that "
                                         "leave the folder are refused: copy the file in, or remove the link"),
                path=src)
        if key_path is not None and resolved == key_path:
            continue  # a key kept (wrongly) beside the transcripts is never copied
        sources.append(src)
    inputs = [p.resolve() for p in sources] + ([key_path] if key_path else [])
    out = OutputFolder(out_dir, inputs=inputs)
    out.claim(REPORT_NAME)
    m = matcher(key)
    rows = []
    for src in sources:
        name = out.claim(rename(m.replace(src.stem)[0], key) + src.suffix, owner=src.name).name
        dest, reps = pseudonymise_file(src, key, out_dir, name=name, inputs=inputs)
        by_term: dict[tuple[str, str, str], list[int]] = {}
        for r in reps:
            by_term.setdefault((r.term, r.pseudonym, r.kind), []).append(r.line)
        if not by_term:
            rows.append({"file": src.name, "output": dest.name, "term": "", "pseudonym": "", "kind": "",
                         "count": 0, "lines": ""})
        for (term, pseudonym, kind), lines in sorted(by_term.items()):
            rows.append({"file": src.name, "output": dest.name, "term": term, "pseudonym": pseudonym, "kind": kind,
                         "count": len(lines), "lines": ",".join(map(str, sorted(set(lines))))})
    report = pd.DataFrame(rows, columns=["file", "output", "term", "pseudonym", "kind", "count", "lines"])
    for src in not_copied:  # never silently: the pseudonymised corpus lacks these sources
        warn(Warnings.W001.format(path=src, detail=f"not copied: a pseudonymised copy of '{src.suffix}' files "
                                                   "cannot be made; convert it to .docx or .txt and run again"))
    report.attrs["not_copied"] = [src.name for src in not_copied]
    public = (report.drop(columns=["file", "term"])
              .groupby(["output", "pseudonym", "kind"], as_index=False, dropna=False)
              .agg(count=("count", "sum"), lines=("lines", lambda s: ",".join(x for x in s if x))))
    write_atomic(out_dir / REPORT_NAME, lambda tmp: public.to_csv(tmp, index=False), inputs=inputs)
    if mapping is not None:
        write_atomic(Path(mapping), lambda tmp: report.to_csv(tmp, index=False, encoding="utf-8-sig"),
                     inputs=inputs)
        report.attrs["mapping"] = str(mapping)
    return report


def _rename_ids_in_table(text: str, key: Key, delimiter: str) -> tuple[str, list[Replacement]]:
    """File names and ids in a table (``cases.csv``: ``fjordoy_rektor.txt``) renamed as the files are."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    reps: list[Replacement] = []
    pseudonyms = {e.term: e for e in key.entries}
    for line, row in enumerate(rows, start=1):
        for i, cell in enumerate(row):
            if not cell or any(ch.isspace() for ch in cell):
                continue
            new = rename(cell, key)
            if new != cell:
                row[i] = new
                for term in find_folded(cell, key):
                    entry = pseudonyms[term]
                    reps.append(Replacement(entry.term, entry.pseudonym, entry.kind, 0, 0, line, cell))
    if not reps:
        return text, reps
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue(), reps


def extract_text(path: str | Path) -> str:
    """All text of an output file that a reader could see (for leak checks)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in SCAN_TEXT_SUFFIXES:
        return _read_text(path)[0]
    if suffix in OFFICE_SUFFIXES:
        return office_text(path)  # every part: comments, notes, headers, properties, alt texts
    if suffix in {".qdpx", ".zip"}:
        with SafeArchive.open(path) as archive:
            return "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.names
                             if Path(n).suffix.lower() in SCAN_TEXT_SUFFIXES)
    return ""  # images and other binaries carry no searchable text


def find_leaks(paths, key: Key) -> list[tuple[str, str]]:
    """``(file, term)`` for every real term of ``key`` found in the files: in the file's name with case
    and diacritics folded (``fjordoy_rektor.csv`` for ``Fjordøy``), in its text with diacritics folded."""
    m = matcher(key)
    leaks: list[tuple[str, str]] = []
    for p in _expand(paths):
        text = extract_text(p)
        seen = {entry.term for _, entry in m.finditer(Path(p).name + "\n" + text)}
        seen.update(find_folded(Path(p).name, key))
        seen.update(find_folded_text(text, key))
        leaks.extend((str(p), term) for term in sorted(seen))
    return leaks


def check_no_leak(paths, key: Key) -> None:
    """Raise ``PrivacyError`` naming the term and the file if any real term occurs in ``paths``."""
    leaks = find_leaks(paths, key)
    if leaks:
        path, term = leaks[0]
        more = f" ({len(leaks) - 1} more)" if len(leaks) > 1 else ""
        raise PrivacyError(Errors.A003.format(path=path, term=term) + more, path=path)


def _expand(paths):
    if isinstance(paths, (str, Path)):
        paths = [paths]
    for p in paths:
        p = Path(p)
        if p.is_dir():
            yield from sorted(q for q in p.rglob("*") if q.is_file())
        else:
            yield p


def _read_text(path: Path) -> tuple[str, str]:
    """Decoded text and its line ending (kept when the copy is written)."""
    text = decode_bytes(path.read_bytes(), path)
    newline = "\r\n" if "\r\n" in text else "\n"
    return text.replace("\r\n", "\n"), newline


def _docx_paragraphs(document):
    from docx.oxml.ns import qn

    body = document.element.body
    yield from body.iter(qn("w:p"))
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            if part is not None and part._element is not None:
                yield from part._element.iter(qn("w:p"))


def _pseudonymise_docx(document, key: Key) -> list[Replacement]:
    """Replace terms run by run so bold speaker labels and styles survive."""
    from docx.oxml.ns import qn

    m = matcher(key)
    reps: list[Replacement] = []
    for line, p in enumerate(_docx_paragraphs(document), start=1):
        for match, entry in replace_in_nodes(list(p.iter(qn("w:t"))), m):
            reps.append(Replacement(entry.term, entry.pseudonym, entry.kind, *match.span(), line, match.group(0)))
    props = document.core_properties
    props.author, props.last_modified_by = "", ""
    props.title = m.replace(props.title or "")[0]
    return list(reversed(reps))




def _open_docx(path: Path):
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        data = path.read_bytes()
        verify(data, path)  # sizes, ratio, duplicates and CRCs checked before python-docx inflates anything
        return docx.Document(io.BytesIO(data))
    except ThematicError:
        raise
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise PrivacyError(Errors.T003.format(path=path, detail=type(exc).__name__), path=path) from None
