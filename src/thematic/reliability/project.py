"""Agreement between coders of a project, the disagreement table, resolution and the blind workflow.

Codings are compared per segment (the default unit): for each code, every coder
either applied it to the segment or did not. ``unit="character"`` gives NVivo's
character-level agreement per code and document instead.

Example:
    >>> agreement(project.codings, coders=["ida", "ola"], level="theme")  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..context import tables_of
from ..errors import Errors, ReliabilityError, ThematicError, Warnings, warn
from ..store import anchor
from .coefficients import bootstrap_ci, cohen_kappa, fleiss_kappa, gwet_ac1, krippendorff_alpha, percent_agreement

PEOPLE = ("manual", "accepted", "resolved", "import")


def _coders(codings: pd.DataFrame, coders) -> list[str]:
    if coders is None:
        coders = sorted(set(codings.loc[codings["source"].isin(PEOPLE), "coder"]))
    coders = list(coders)
    if len(coders) < 2:
        raise ReliabilityError(Errors.R001.format(detail=f"agreement needs two or more coders; found {coders or 'none'}"
                                                         " (pass coders=[...]; on the command line --coders a,b)"))
    missing = [c for c in coders if c not in set(codings["coder"])]
    if missing:
        raise ReliabilityError(Errors.R001.format(detail=f"no codings by {', '.join(missing)}"))
    return coders


def _presence(codings: pd.DataFrame, coders: list[str], level: str, segments: pd.DataFrame | None) -> pd.DataFrame:
    """Index (segment_id, label); one 0/1 column per coder."""
    df = codings[codings["coder"].isin(coders) & (codings["segment_id"].fillna("") != "")]
    df = df.drop_duplicates(["coder", "segment_id", level])
    if segments is not None:
        units = segments.loc[segments["role"] == "informant", "segment_id"]
        docs = set(df["doc_id"])
        units = units[segments.loc[units.index, "doc_id"].isin(docs)]
    else:
        units = pd.Series(sorted(set(df["segment_id"])))
    labels = sorted(set(df[level]))
    index = pd.MultiIndex.from_product([list(units), labels], names=["segment_id", level])
    table = pd.crosstab([df["segment_id"], df[level]], df["coder"]).clip(upper=1)
    return table.reindex(index=index, columns=coders, fill_value=0)


def _scores(matrix: list[list], coders: list[str], ci: bool) -> dict:
    row = {"units": len(matrix[0]), "positives": int(np.sum(np.array(matrix, dtype=float) > 0)),
           "percent_agreement": percent_agreement(matrix),
           "cohen_kappa": cohen_kappa(matrix) if len(coders) == 2 else np.nan,
           "fleiss_kappa": fleiss_kappa(matrix), "krippendorff_alpha": krippendorff_alpha(matrix),
           "gwet_ac1": gwet_ac1(matrix)}
    if ci:
        _, low, high = bootstrap_ci(krippendorff_alpha, matrix, n=300)
        row["alpha_low"], row["alpha_high"] = low, high
    return row


def agreement(codings: pd.DataFrame, coders=None, *, level: str = "code", unit: str = "segment",
              segments: pd.DataFrame | None = None, ci: bool = False) -> pd.DataFrame:
    """Agreement per code (or theme) and overall: percent agreement, Cohen's kappa (two coders),
    Fleiss' kappa, Krippendorff's alpha, Gwet's AC1 and the number of units.

    ``unit="character"`` returns NVivo-style agreement per code and document instead.
    """
    if level not in ("code", "theme"):
        raise ReliabilityError(Errors.R001.format(detail=f"level must be code or theme, got '{level}'"))
    coders = _coders(codings, coders)
    if segments is None:
        segments = tables_of(codings)[0]
    if unit == "character":
        return character_agreement(codings, coders, level=level)
    if unit != "segment":
        raise ReliabilityError(Errors.R001.format(detail=f"unit must be segment or character, got '{unit}'"))
    presence = _presence(codings, coders, level, segments)
    rows = []
    for label, block in presence.groupby(level=1):
        rows.append({level: label, **_scores(block.to_numpy().T.tolist(), coders, ci)})
    rows.append({level: "(overall)", **_scores(presence.to_numpy().T.tolist(), coders, ci)})
    return pd.DataFrame(rows)


def character_agreement(codings: pd.DataFrame, coders: list[str], *, level: str = "code") -> pd.DataFrame:
    """NVivo-style agreement per code and document on characters: (both + neither) / all, and kappa."""
    if len(coders) != 2:
        raise ReliabilityError(Errors.R001.format(detail="character-level agreement compares exactly two coders"))
    df = codings[codings["coder"].isin(coders)]
    lengths = df.groupby("doc_id")["end"].max()
    segments = tables_of(codings)[0]
    if segments is not None and len(segments):
        lengths = segments.groupby("doc_id")["end"].max().combine(lengths, max, fill_value=0)
    rows = []
    for (doc_id, label), block in df.groupby(["doc_id", level]):
        n = int(lengths[doc_id])
        marks = {c: np.zeros(n, dtype=bool) for c in coders}
        for r in block.itertuples(index=False):
            marks[r.coder][int(r.start):int(r.end)] = True
        a, b = marks[coders[0]], marks[coders[1]]
        both, neither = float(np.sum(a & b)), float(np.sum(~a & ~b))
        agree = (both + neither) / n if n else np.nan
        pa, pb = a.mean(), b.mean()
        p_e = pa * pb + (1 - pa) * (1 - pb)
        kappa = (agree - p_e) / (1 - p_e) if p_e < 1 else 1.0
        rows.append({"doc_id": doc_id, level: label, "agreement": round(agree, 4), "kappa": round(kappa, 4),
                     f"chars_{coders[0]}": int(a.sum()), f"chars_{coders[1]}": int(b.sum()), "chars_both": int(both)})
    return pd.DataFrame(rows)


def disagreements(codings: pd.DataFrame, coders=None, *, level: str = "code",
                  segments: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every segment where coders differ: the text, each coder's codes, and an empty ``resolution`` column.

    Fill ``resolution`` with the agreed codes separated by ``;`` (or ``keep:<coder>``) and pass the
    table to :func:`resolve`.
    """
    coders = _coders(codings, coders)
    if segments is None:
        segments = tables_of(codings)[0]
    df = codings[codings["coder"].isin(coders) & (codings["segment_id"].fillna("") != "")]
    sets = df.groupby(["segment_id", "coder"])[level].agg(lambda s: "; ".join(sorted(set(s)))).unstack(fill_value="")
    sets = sets.reindex(columns=coders, fill_value="")
    differ = sets[sets.nunique(axis=1) > 1]
    texts = (segments.set_index("segment_id")["text"] if segments is not None and "text" in segments
             else df.groupby("segment_id")["text"].first())
    out = pd.DataFrame({"doc_id": differ.index.str.rsplit(":", n=1).str[0], "segment_id": differ.index,
                        "text": differ.index.map(texts)})
    for coder in coders:
        out[f"codes_{coder}"] = differ[coder].to_numpy()
    out["resolution"] = ""
    return out.reset_index(drop=True)


def resolve(project, table: pd.DataFrame, coder: str) -> list[int]:
    """Write the agreed codings of a filled-in disagreement table (source ``resolved``); returns their ids."""
    book = project.codebook
    rows = []
    for number, r in enumerate(table.itertuples(index=False), start=2):
        resolution = str(getattr(r, "resolution", "") or "").strip()
        if not resolution:
            continue
        if resolution.startswith("keep:"):
            kept = resolution[5:].strip()
            column = f"codes_{kept}"
            if column not in table.columns:
                raise ReliabilityError(Errors.R001.format(detail=f"row {number}: no coder '{kept}' in the table"))
            codes = [c.strip() for c in str(getattr(r, column)).split(";") if c.strip()]
        else:
            codes = [c.strip() for c in resolution.split(";") if c.strip()]
        doc = project.document(r.doc_id)
        segment = next((s for s in doc.segments if s.segment_id == r.segment_id), None)
        if segment is None:
            raise ReliabilityError(Errors.R001.format(detail=f"row {number}: no segment '{r.segment_id}'"))
        others = ", ".join(c[6:] for c in table.columns if c.startswith("codes_"))
        for code in codes:
            if book is not None and code not in book:
                raise ReliabilityError(Errors.R001.format(detail=f"row {number}: unknown code '{code}'"))
            rows.append({"doc_id": r.doc_id, "start": segment.start, "end": segment.end, "code": code,
                         "rule": f"resolved disagreement between {others}"})
    if not rows:
        return []
    return project.add_codings(pd.DataFrame(rows), source="resolved", coder=coder)


def export_blind(project, directory, coder: str, *, lang: str | None = None) -> dict[str, Path]:
    """A package for a blind second coder: a project copy without codings, the codebook, and a
    coding sheet (xlsx) of the informant segments with an empty ``codes`` column.

    The sheet's ``codebook`` tab gives each code's label, definition and rules in ``lang`` (default:
    the codebook's first language); a text missing in that language is another language's, marked
    ``[en]``, and a code with no definition at all says so, never a blank cell."""
    from .. import i18n
    from ..export import to_excel

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    copy_path = directory / f"{coder}.thematic"
    project.copy_for_coder(copy_path).close()
    segments = project.segments
    sheet = segments.loc[segments["role"] == "informant", ["doc_id", "segment_id", "speaker", "text"]].copy()
    sheet["codes"] = ""
    book = project.codebook
    tables = {"segments": sheet.reset_index(drop=True)}
    if book is not None:
        lang = lang or (book.languages[0] if book.languages else "en")
        order, none = tuple(book.languages), i18n.text("no_definition", lang)
        tables["codebook"] = pd.DataFrame({"id": [c.id for c in book.codes], **{
            field: [c.shown(field, lang, order) or (none if field == "definition" else "") for c in book.codes]
            for field in ("label", "definition", "when_to_use", "when_not_to_use")}})
        (directory / "codebook.yaml").write_text(book.source_text, encoding="utf-8")
    sheet_path = directory / f"{coder}_coding_sheet.xlsx"
    to_excel(tables, sheet_path)
    return {"project": copy_path, "sheet": sheet_path, "codebook": directory / "codebook.yaml"}


def import_coder(project, path, coder: str) -> list[int]:
    """Bring a second coder's work back: their project copy (.thematic) or filled coding sheet (.xlsx).

    Codings are placed by their quote and its context (``store.anchor``), not by raw offsets, so a
    transcript corrected on either side since the export still gets each coding where its words
    are; codings whose words cannot be found are not imported and are named in a warning.
    """
    from ..store import Project

    path = Path(path)
    if path.suffix == ".thematic":
        with Project.open(path) as theirs:
            codings = theirs.codings
            codings = codings[codings["source"].isin(PEOPLE)]
            if codings.empty:
                raise ReliabilityError(Errors.R001.format(detail=f"{path}: no codings made by a person"))
            texts = {doc_id: theirs.document(doc_id).text for doc_id in codings["doc_id"].astype(str).unique()}
        rows, lost = _reanchored(project, codings, texts)
        _warn_unplaced(path, lost)
        if not rows:
            raise ReliabilityError(Errors.R001.format(detail=f"{path}: none of the codings could be placed in "
                                                             "this project's transcripts"))
        return project.add_codings(pd.DataFrame(rows), source="manual", coder=coder)
    if path.suffix != ".xlsx":
        raise ReliabilityError(Errors.R001.format(detail=f"{path}: give the returned .thematic copy or .xlsx sheet"))
    sheet = pd.read_excel(path, sheet_name="segments", dtype=str).fillna("")
    book = project.codebook
    rows = []
    for number, r in enumerate(sheet.itertuples(index=False), start=2):
        codes = [c.strip() for c in str(r.codes).replace(",", ";").split(";") if c.strip()]
        if not codes:
            continue
        doc = project.document(r.doc_id)
        segment = next((s for s in doc.segments if s.segment_id == r.segment_id), None)
        if segment is None:
            raise ReliabilityError(Errors.R001.format(detail=f"{path}, sheet 'segments', row {number}: "
                                                             f"no segment '{r.segment_id}'"))
        sheet_text = str(getattr(r, "text", "") or "")
        start, end = segment.start, segment.end
        if sheet_text.strip() and doc.text[start:end] != sheet_text:  # the transcript changed since the export
            placed = anchor.place(sheet_text, "", "", start, doc.text)
            if placed is None:
                raise ReliabilityError(Errors.R001.format(
                    detail=f"{path}, sheet 'segments', row {number}: the segment's text is no longer in "
                           f"'{r.doc_id}' (the transcript was edited since the export); code it again by hand"))
            start, end = placed.start, placed.end
        for code in codes:
            if book is not None and code not in book:
                raise ReliabilityError(Errors.R001.format(
                    detail=f"{path}, sheet 'segments', row {number}: unknown code '{code}'; use the ids in the "
                           "'codebook' sheet"))
            rows.append({"doc_id": r.doc_id, "start": start, "end": end, "code": code})
    if not rows:
        raise ReliabilityError(Errors.R001.format(detail=f"{path}: the 'codes' column is empty"))
    return project.add_codings(pd.DataFrame(rows), source="manual", coder=coder)


def _reanchored(project, codings: pd.DataFrame, texts: dict[str, str]) -> tuple[list[dict], list[str]]:
    """Each coding placed in this project's text by its quote and context in the coder's text."""
    rows, lost, ours = [], [], {}
    for r in codings.itertuples(index=False):
        doc_id, start, end = str(r.doc_id), int(r.start), int(r.end)
        theirs = texts.get(doc_id, "")
        quote = theirs[start:end]
        if doc_id not in ours:
            try:
                ours[doc_id] = project.document(doc_id).text
            except ThematicError:
                ours[doc_id] = None
        text = ours[doc_id]
        if text is None:
            lost.append(f"{doc_id} {start}-{end} {r.code} (no such document here)")
            continue
        before, after = anchor.context(theirs, start, end)
        if text[start:end] == quote and anchor.context(text, start, end) == (before, after):
            rows.append({"doc_id": doc_id, "start": start, "end": end, "code": str(r.code)})
            continue
        placed = anchor.place(quote, before, after, start, text)
        if placed is None:
            lost.append(f"{doc_id} {start}-{end} {r.code} \"{quote[:40]}\"")
            continue
        rows.append({"doc_id": doc_id, "start": placed.start, "end": placed.end, "code": str(r.code)})
    return rows, lost


def _warn_unplaced(path, lost: list[str]) -> None:
    if lost:
        more = f" (and {len(lost) - 3} more)" if len(lost) > 3 else ""
        warn(Warnings.W001.format(path=path, detail=f"{len(lost)} coding(s) could not be placed in this project's "
                                                    f"transcripts and were not imported: {'; '.join(lost[:3])}{more}"))
