"""Saturation: new codes per successive interview, and where in each interview a theme comes up.

Example:
    >>> saturation(project.codings)  # doctest: +SKIP
"""

from __future__ import annotations

import pandas as pd

from .tables import context_tables


def saturation(codings: pd.DataFrame, order: list[str] | None = None, level: str = "code",
               cases: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per interview in order (``order``, else interview date, else doc id): new codes,
    cumulative distinct codes and the new codes themselves."""
    _, cases = context_tables(codings, None, cases)
    docs = list(dict.fromkeys(codings["doc_id"]))
    if order is None:
        if cases is not None and "interview_date" in cases:
            dates = cases.drop_duplicates("doc_id").set_index("doc_id")["interview_date"].reindex(docs).fillna("")
            order = sorted(docs, key=lambda d: (str(dates.get(d, "")), d))
        else:
            order = sorted(docs)
    first_seen = codings.groupby(level)["doc_id"].agg(lambda s: min(s, key=order.index))
    rows, total = [], 0
    for position, doc_id in enumerate(order, start=1):
        new = sorted(first_seen[first_seen == doc_id].index)
        total += len(new)
        rows.append({"position": position, "doc_id": doc_id, "new_codes": len(new), "cumulative": total,
                     "new": ", ".join(new)})
    return pd.DataFrame(rows)


def theme_positions(codings: pd.DataFrame, segments: pd.DataFrame | None = None) -> pd.DataFrame:
    """Relative position (0 = start, 1 = end of the interview) of every coding, with its theme."""
    segments, _ = context_tables(codings, segments, None)
    if segments is not None and len(segments):
        length = segments.groupby("doc_id")["end"].max().astype("float64")
    else:
        length = codings.groupby("doc_id")["end"].max().astype("float64")
    out = codings[["doc_id", "case", "theme", "code", "start"]].copy()
    out["position"] = (out["start"].astype("float64") / out["doc_id"].map(length)).clip(0, 1).round(4)
    return out.drop(columns="start").reset_index(drop=True)
