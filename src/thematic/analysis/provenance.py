"""Which codings an analysis uses, and a plain statement of who made them.

A report shows the analysis that was reviewed: ``"reviewed"`` keeps codings people made
(manual, imported, resolved) and machine codings a person accepted; ``"all"`` keeps every
visible coding, reviewed or not; ``"machine"`` keeps only rule and suggestion codings. The
default is ``"reviewed"`` when the project has any coding made or accepted by a person, else
``"all"`` (a project nobody has coded by hand yet is reported on its rule codings).

Example:
    >>> chosen = select_codings(project.codings, "reviewed")        # doctest: +SKIP
    >>> print(describe(project.codings, chosen, "reviewed"))         # doctest: +SKIP
"""

from __future__ import annotations

import pandas as pd

from ..errors import AnalysisError, Errors
from ..types import MACHINE_SOURCES, reviewed_mask

CHOICES = ("reviewed", "all", "machine")
_MEANING = {
    "reviewed": "codings made by people (manual, imported, resolved) and machine codings a person accepted",
    "all": "every coding, reviewed or not (machine codings not yet reviewed included)",
    "machine": "rule and suggestion codings only, reviewed or not",
}


def default_choice(codings: pd.DataFrame) -> str:
    """``"reviewed"`` if any coding was made or accepted by a person, else ``"all"``."""
    return "reviewed" if bool(reviewed_mask(codings).any()) else "all"


def select_codings(codings: pd.DataFrame, which: str | None = None) -> pd.DataFrame:
    """The codings an analysis should use (``which``: reviewed, all, machine; ``None``: the default)."""
    which = default_choice(codings) if which is None else which
    if which not in CHOICES:
        raise AnalysisError(Errors.A001.format(what="codings choice", value=which, choices=", ".join(CHOICES)))
    if which == "all":
        return codings
    if which == "machine":
        return codings[codings["source"].astype(str).isin(MACHINE_SOURCES)]
    return codings[reviewed_mask(codings)]


def authorship(codings: pd.DataFrame) -> pd.DataFrame:
    """Counts of codings by coder, source and reviewer (``reviewed_by`` empty when unreviewed)."""
    frame = pd.DataFrame({
        "coder": codings["coder"].astype(str), "source": codings["source"].astype(str),
        "reviewed_by": codings["reviewed_by"].astype(str) if "reviewed_by" in codings else "",
    })
    return (frame.groupby(["coder", "source", "reviewed_by"]).size().rename("codings").reset_index()
            .sort_values(["codings", "coder"], ascending=[False, True], ignore_index=True))


def unreviewed(codings: pd.DataFrame) -> int:
    """Machine codings still waiting for review (pending rule or suggestion codings)."""
    machine = codings["source"].astype(str).isin(MACHINE_SOURCES)
    return int((machine & codings["status"].astype(str).eq("pending")).sum()) if "status" in codings \
        else int(machine.sum())


def describe(codings: pd.DataFrame, chosen: pd.DataFrame, which: str, lang: str = "en") -> list[str]:
    """Sentences for a report's Method section, in ``lang``: what was included, what was left
    unreviewed, by whom."""
    from .. import i18n

    def t(key: str, **values) -> str:
        return i18n.text(key, lang, **values)

    left = unreviewed(codings)
    included_pending = unreviewed(chosen)
    lines = [t("prov_included", which=t(f"prov_choice_{which}"), meaning=t(f"prov_meaning_{which}"), n=len(chosen),
               total=len(codings))]
    if which == "reviewed":
        lines.append(t("prov_left_out", n=left))
    elif left:
        lines.append(t("prov_pending_included", n=included_pending))
    else:
        lines.append(t("prov_none_pending"))
    parts = []
    for row in authorship(chosen).itertuples(index=False):
        reviewed = t("prov_reviewed_by", name=row.reviewed_by) if row.reviewed_by else ""
        parts.append(f"{row.coder} ({i18n.word('value', row.source, lang)}{reviewed}): {row.codings}")
    lines.append(t("prov_made_by", parts="; ".join(parts) if parts else t("prov_nobody")))
    return lines


def provenance_table(codings: pd.DataFrame, chosen: pd.DataFrame, which: str) -> pd.DataFrame:
    """The first sheet of a workbook: the statements of :func:`describe`, then who made the codings."""
    statements = pd.DataFrame({"about": ["codings", "meaning", "included", "in the project",
                                         "machine codings not reviewed"],
                               "value": [which, _MEANING[which], len(chosen), len(codings), unreviewed(codings)]})
    made = authorship(chosen).rename(columns={"coder": "about"})
    made["value"] = made.pop("codings")
    made["about"] = "made by " + made["about"] + " (" + made.pop("source") + ")"
    made["about"] += made.pop("reviewed_by").map(lambda r: f", reviewed by {r}" if r else "")
    return pd.concat([statements.astype({"value": object}), made.astype({"value": object})], ignore_index=True)
