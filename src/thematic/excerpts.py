"""Labelled excerpt sets: short texts with the themes a person gave them, to measure rule coding.

An excerpt set is a YAML file with a list ``excerpts`` of ``{id, lang, kind, themes, text}``;
``kind`` is ``domain``, ``everyday`` (a codebook word in an everyday sense outside the study's
domain) or ``none``. The repository's development set is ``data/dev_excerpts/excerpts.yaml``.
Each excerpt is one unit: the machine "codes a theme" in it when any coding of the theme falls in it.

Example:
    >>> frame = load_excerpts("data/dev_excerpts/excerpts.yaml")                    # doctest: +SKIP
    >>> excerpt_quality(frame, code_excerpts(frame, book))["macro_f1"]            # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .errors import AnalysisError, Errors
from .types import LANGUAGES

KINDS = ("domain", "everyday", "none")
EXCERPT_COLUMNS = ["id", "lang", "kind", "themes", "text"]


def load_excerpts(path, themes=None) -> pd.DataFrame:
    """Read and check an excerpt set; ``themes`` (if given) are the theme ids labels may use.

    Returns one row per excerpt (``EXCERPT_COLUMNS``; ``themes`` as a tuple of theme ids).
    """
    import yaml

    path = Path(path)
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise AnalysisError(Errors.A009.format(path=path, line=getattr(getattr(exc, "problem_mark", None), "line", -1)
                                               + 1, detail=f"not a readable excerpt set ({exc})")) from exc
    items = None
    if isinstance(root, yaml.MappingNode):
        items = next((v for k, v in root.value if k.value == "excerpts"), None)
    if not isinstance(items, yaml.SequenceNode):
        raise AnalysisError(Errors.A009.format(path=path, line=1, detail="expected a list under 'excerpts:'"))
    known = None if themes is None else set(themes)
    rows, seen = [], {}
    for node in items.value:
        line = node.start_mark.line + 1
        item = yaml.safe_load(yaml.serialize(node)) if isinstance(node, yaml.MappingNode) else None
        if not isinstance(item, dict):
            raise AnalysisError(Errors.A009.format(path=path, line=line, detail="an excerpt is a mapping "
                                                   "{id, lang, kind, themes, text}"))
        missing = [k for k in EXCERPT_COLUMNS if k not in item]
        if missing:
            raise AnalysisError(Errors.A009.format(path=path, line=line, detail=f"excerpt lacks {', '.join(missing)}"))
        eid, labels = str(item["id"]), item["themes"] or []
        if eid in seen:
            raise AnalysisError(Errors.A009.format(path=path, line=line,
                                                   detail=f"duplicate id '{eid}' (also on line {seen[eid]})"))
        seen[eid] = line
        if item["lang"] not in LANGUAGES:
            raise AnalysisError(Errors.A009.format(path=path, line=line, detail=f"language '{item['lang']}' is not "
                                                   f"one of {', '.join(LANGUAGES)}"))
        if item["kind"] not in KINDS:
            raise AnalysisError(Errors.A009.format(path=path, line=line, detail=f"kind '{item['kind']}' is not one "
                                                   f"of {', '.join(KINDS)}"))
        if not isinstance(labels, list) or (known is not None and set(map(str, labels)) - known):
            raise AnalysisError(Errors.A009.format(path=path, line=line, detail=f"themes {labels!r} must be a list "
                                                   f"of theme ids{'' if known is None else ': ' + ', '.join(sorted(known))}"))
        if not str(item["text"]).strip():
            raise AnalysisError(Errors.A009.format(path=path, line=line, detail=f"excerpt '{eid}' has no text"))
        rows.append((eid, item["lang"], item["kind"], tuple(sorted(map(str, labels))), str(item["text"])))
    if not rows:
        raise AnalysisError(Errors.A009.format(path=path, line=1, detail="the excerpt set is empty"))
    return pd.DataFrame(rows, columns=EXCERPT_COLUMNS)


def code_excerpts(frame: pd.DataFrame, codebook) -> pd.DataFrame:
    """Rule codings of every excerpt (``doc_id`` = excerpt id), each excerpt coded in its own language."""
    from .coding import code_texts

    parts = []
    for lang, block in frame.groupby("lang", sort=True):
        coded = code_texts(pd.Series(block["text"].to_numpy(), index=block["id"].to_numpy()), codebook, lang,
                           unit="turn")
        parts.append(coded)
    parts = [p for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["doc_id", "code", "theme"])


def labelled_codings(frame: pd.DataFrame) -> pd.DataFrame:
    """The excerpt labels as a person's codings (one per excerpt and theme), for :mod:`thematic.evaluation`."""
    rows = [(r.id, 0, len(r.text), t, t) for r in frame.itertuples(index=False) for t in r.themes]
    return pd.DataFrame(rows, columns=["doc_id", "start", "end", "code", "theme"])


def excerpt_errors(frame: pd.DataFrame, codings: pd.DataFrame) -> pd.DataFrame:
    """Excerpts where the machine's themes differ from the labels: the extra and missing themes, and
    the rules behind the extra ones (what to look at in the codebook)."""
    machine = codings.assign(doc_id=codings["doc_id"].astype(str), theme=codings["theme"].astype(str))
    rules = machine.get("rule", pd.Series("", index=machine.index)).fillna("").astype(str)
    rows = []
    for r in frame.itertuples(index=False):
        mine = machine[machine["doc_id"] == r.id]
        found, wanted = set(mine["theme"]), set(r.themes)
        if found == wanted:
            continue
        extra = sorted(found - wanted)
        fired = "; ".join(dict.fromkeys(f"{c}: {rule}" for c, t, rule in zip(mine["code"].astype(str), mine["theme"],
                                                                                   rules[mine.index]) if t in extra))
        rows.append({"id": r.id, "lang": r.lang, "kind": r.kind, "labels": ", ".join(r.themes),
                     "extra": ", ".join(extra), "missing": ", ".join(sorted(wanted - found)), "rules": fired,
                     "text": r.text})
    return pd.DataFrame(rows, columns=["id", "lang", "kind", "labels", "extra", "missing", "rules", "text"])


def excerpt_quality(frame: pd.DataFrame, codings: pd.DataFrame) -> dict:
    """Per theme P/R/F1 (``table``), macro-F1 over themes, the share of themed excerpts the machine
    leaves without any theme, and the share of out-of-domain excerpts (``everyday``/``none``) it codes."""
    from .evaluation import score_table

    units = pd.DataFrame({"doc_id": frame["id"], "start": 0, "end": frame["text"].str.len()})
    machine = codings.assign(doc_id=codings["doc_id"].astype(str), start=0,
                             end=codings["doc_id"].astype(str).map(dict(zip(frame["id"], units["end"]))),
                             theme=codings["theme"].astype(str))
    table = score_table(machine, labelled_codings(frame), units, level="theme")
    coded = set(machine["doc_id"])
    themed = frame[frame["themes"].map(len) > 0]
    outside = frame[frame["kind"].isin(["everyday", "none"])]
    per_theme = table[table["theme"] != "(all)"]
    return {"table": table, "macro_f1": float(per_theme["f1"].fillna(0).mean()), "errors": excerpt_errors(frame, machine),
            "themed_uncoded": float((~themed["id"].isin(coded)).mean()) if len(themed) else float("nan"),
            "outside_coded": float(outside["id"].isin(coded).mean()) if len(outside) else float("nan"),
            "excerpts": len(frame), "themed": len(themed), "outside": len(outside)}
