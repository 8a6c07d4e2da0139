"""The report's workbook as a reader sees it: sheet names, headers and the first sheet in the output language.

``report.xlsx`` is for people (a supervisor, a co-author, the thesis writer filtering in Excel), so
every sheet name and column header comes from the i18n tables (``sheet_*``, ``col_*``, ``about_*``),
theme and code columns carry their labels (with the fallback marker ``[nb]`` where the language
lacks one) and quotes use the language's quotation marks. Cells keep their values: numbers stay
numbers (Excel shows them in the reader's own notation) and code ids stay ids, beside a label
column. The CSV files are the machine side of the same tables and keep their column names (see
``docs/report.md``).

Example:
    >>> sheets = workbook_sheets({"about": about, "codings": codings}, Localiser(book, "sv"))  # doctest: +SKIP
    >>> list(sheets)                                                                        # doctest: +SKIP
    ['Om rapporten', 'Kodningar']
"""

from __future__ import annotations

import pandas as pd

from .. import i18n
from ..analysis.provenance import authorship, unreviewed
from .localise import Localiser


def about_sheet(every: pd.DataFrame, chosen: pd.DataFrame, which: str, words: Localiser) -> pd.DataFrame:
    """The workbook's first sheet in ``words.lang``: language, codebook, which codings were used and who made them."""
    t = words.text
    book = words.book
    rows = [(t("about_language"), words.lang),
            (t("about_codebook"), f"{book.info.name or book.id} ({book.version})"),
            (t("about_choice"), t(f"prov_choice_{which}")),
            (t("about_meaning"), t(f"prov_meaning_{which}")),
            (t("about_included"), len(chosen)),
            (t("about_total"), len(every)),
            (t("about_pending"), unreviewed(every))]
    for row in authorship(chosen).itertuples(index=False):
        made = t("about_made_by", coder=row.coder, source=i18n.word("value", row.source, words.lang))
        rows.append((made + (t("prov_reviewed_by", name=row.reviewed_by) if row.reviewed_by else ""), row.codings))
    return pd.DataFrame(rows, columns=[t("about_item"), t("about_value")]).astype(object)


def workbook_sheets(tables: dict[str, pd.DataFrame], words: Localiser) -> dict[str, pd.DataFrame]:
    """``{sheet name: table}`` in the output language; keys are the report's table names
    (``about``, ``matrix_case_theme_coverage``, ``quotes``, ``codings``, …)."""
    out: dict[str, pd.DataFrame] = {}
    for name, frame in tables.items():
        key = f"sheet_{name}"
        title = words.text(key) if i18n.has(key) else words.header(name)
        out[title] = _sheet(name, frame, words)
    return out


def _sheet(name: str, frame: pd.DataFrame, words: Localiser) -> pd.DataFrame:
    if name == "about":
        return frame
    if name.startswith(("matrix", "cooccurrence")):
        return words.frame(frame)
    if name == "framework":
        return words.frame(frame)
    if name in ("frequencies_theme", "frequencies_code"):
        id_column = "theme" if name == "frequencies_theme" else "code"
        frame = frame.copy()
        frame.insert(frame.columns.get_loc(id_column) + 1, "label", [words.label(x) for x in frame[id_column]])
    elif name == "quotes":
        frame = frame.reset_index(drop=True).rename(columns={"row": "case", "col": "theme"})
        frame["theme"] = [words.label(x) for x in frame["theme"]]
    return headers(values(frame, words), words)


def values(frame: pd.DataFrame, words: Localiser) -> pd.DataFrame:
    """The words in the ``source``, ``role`` and ``status`` columns in the output language ("regel", "informant")."""
    out = frame.copy()
    for column in ("source", "role", "status"):
        if column in out:
            out[column] = [i18n.word("value", v, words.lang) for v in out[column]]
    return out


def headers(frame: pd.DataFrame, words: Localiser) -> pd.DataFrame:
    """``frame`` with its column names in the output language (``label_nb`` -> "Navn (nb)")."""
    names = []
    for column in frame.columns:
        field, _, lang = str(column).rpartition("_")
        if field in ("label", "definition", "patterns") and lang in i18n.LANGS:
            names.append(words.text(f"col_{field}_in", language=lang))
        else:
            names.append(words.header(column))
    return frame.set_axis(names, axis=1)


def framework(quotes: pd.DataFrame, lang: str, per_cell: int = 2) -> pd.DataFrame:
    """A framework matrix (case x theme) whose cells hold the ``per_cell`` best quotes in the language's
    quotation marks, each with its reference (``quotes``: :func:`thematic.analysis.quotes` in ``lang``)."""
    best = quotes[quotes["rank"] <= per_cell]
    cells = [f"{i18n.quoted(str(q).strip(), lang)} ({r})" for q, r in zip(best["quote"], best["reference"])]
    table = best.assign(cell=cells).groupby(["row", "col"])["cell"].agg("\n\n".join).unstack(fill_value="")
    table.index.name, table.columns.name = "case", None
    return table
