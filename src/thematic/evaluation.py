"""Machine coding against one person's coding: precision, recall, F1, kappa and the errors to fix.

Content analysis trusts a dictionary only once it has been validated against hand coding.
:func:`evaluate` does that for a project: the informant speech of every document the person
coded is cut into units (sentences or turns, exactly as the rule coder cuts them). For each
unit and each label (code or theme) both sides either coded it - some coding of the label
overlaps the unit by at least one character - or did not. Then, per label:

* precision = TP / (TP + FP): of the units the machine coded, the share the person coded too;
* recall = TP / (TP + FN): of the units the person coded, the share the machine found;
* F1, the harmonic mean of the two; Cohen's kappa and percent agreement over all units
  (from :mod:`thematic.reliability`).

Confidence intervals (95 % by default): Wilson score intervals for precision and recall (from
statsmodels; they stay inside [0, 1] and behave at small counts), and a bootstrap percentile
interval for F1 that resamples units (drawn as multinomial counts of the unit outcomes TP/FP/FN/TN,
which is the same as resampling the units; 2000 draws, fixed seed, so the figures are repeatable).

Per code, every false positive (the machine coded, the person did not) and every miss (the person
coded, the machine did not) is listed with its quote, lines, the rule and words that fired, and
what the other side coded in that unit, so the researcher sees what to change in the codebook.

Example:
    >>> result = evaluate(project, against="ida", codes="rules", unit="sentence")  # doctest: +SKIP
    >>> result.themes[["theme", "precision", "recall", "f1", "kappa"]]            # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass
import numpy as np
import pandas as pd

from .errors import AnalysisError, Errors
from .types import HUMAN_SOURCES

CODES = {"rules": ("rule",), "suggestions": ("suggestion",), "machine": ("rule", "suggestion")}
EVAL_UNITS = ("sentence", "turn")
UNIT_COLUMNS = ["doc_id", "start", "end", "line_start", "line_end", "text"]
SCORE_COLUMNS = ["units", "machine", "person", "tp", "fp", "fn", "precision", "precision_low", "precision_high",
                 "recall", "recall_low", "recall_high", "f1", "f1_low", "f1_high", "kappa", "agreement"]
ERROR_COLUMNS = ["code", "theme", "kind", "doc_id", "start", "end", "line_start", "line_end", "quote", "rule",
                 "matched", "machine_codes", "person_codes"]
BOOTSTRAP_DRAWS = 2000


@dataclass(frozen=True)
class Evaluation:
    """What :func:`evaluate` found. ``themes`` and ``codes`` have one row per label and a last
    ``(all)`` row pooling every unit and label; ``errors`` lists false positives and misses."""

    against: str
    codes_source: str
    unit: str
    documents: int
    units: int
    themes: pd.DataFrame
    codes: pd.DataFrame
    errors: pd.DataFrame

    def overall(self, level: str = "theme") -> dict:
        """The pooled ``(all)`` row of the theme (or code) table as a dict."""
        table = self.themes if level == "theme" else self.codes
        return table.iloc[-1].to_dict()

    def tables(self) -> dict[str, pd.DataFrame]:
        """The three tables by file name: write them with :func:`thematic.export.to_csv`."""
        return {"evaluation_themes": self.themes, "evaluation_codes": self.codes, "evaluation_errors": self.errors}

    def sparse_counts(self) -> tuple[int, int] | None:
        """``(person, machine)`` (unit, theme) pairs when the person coded fewer than half as many as the
        machine, else None.

        Many researchers code the telling passages, not every passage a definition covers. Against
        such a coding every passage they left out counts as a machine false positive, so precision
        says more about how sparsely they coded than about the rules (on the sample, an exhaustive
        coding made blind to the rules contains 98% of the sparse one's passages and still scores
        precision 0.22 against it). Read the false positives before narrowing rules.
        """
        row = self.overall()
        machine, person = int(row["machine"]), int(row["person"])
        return None if person == 0 or machine < 2 * person else (person, machine)

    def sparse_reference(self) -> str | None:
        """The warning (in English) that :meth:`sparse_counts` calls for, else None."""
        counts = self.sparse_counts()
        if counts is None:
            return None
        person, machine = counts
        return (f"{self.against} coded {person} (unit, theme) pairs, the machine {machine}. If {self.against} "
                "coded the telling passages rather than every passage a definition covers, the false positives "
                "include passages left out on purpose and precision is understated: read them before "
                "narrowing rules, or evaluate against a coder who coded every passage.")


# -- pure functions over codings and units -----------------------------------------------------

def wilson(successes: int, trials: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval of a proportion (NaN, NaN when there are no trials).

    >>> [round(v, 3) for v in wilson(8, 10)]
    [0.49, 0.943]
    """
    from statsmodels.stats.proportion import proportion_confint

    if trials == 0:
        return float("nan"), float("nan")
    low, high = proportion_confint(successes, trials, alpha=1 - confidence, method="wilson")
    return float(low), float(high)


def f1_interval(tp: int, fp: int, fn: int, tn: int, confidence: float = 0.95, draws: int = BOOTSTRAP_DRAWS,
                seed: int = 0) -> tuple[float, float]:
    """Bootstrap percentile interval of F1, resampling units (as multinomial counts of their outcomes)."""
    n = tp + fp + fn + tn
    if n == 0 or tp + fp + fn == 0:
        return float("nan"), float("nan")
    rng = np.random.default_rng(seed)
    counts = rng.multinomial(n, np.array([tp, fp, fn, tn], dtype=float) / n, size=draws)
    denominator = 2 * counts[:, 0] + counts[:, 1] + counts[:, 2]
    f1 = np.divide(2 * counts[:, 0], denominator, out=np.zeros(draws), where=denominator > 0)
    alpha = (1 - confidence) / 2
    return float(np.quantile(f1, alpha)), float(np.quantile(f1, 1 - alpha))


def unit_pairs(spans: pd.DataFrame, units: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(span row position, unit row position) for every span and unit that overlap by a character.

    Units must not overlap one another within a document (sentences and turns do not).

    >>> units = pd.DataFrame({"doc_id": ["d", "d", "d"], "start": [0, 10, 20], "end": [9, 19, 29]})
    >>> spans = pd.DataFrame({"doc_id": ["d", "d", "e"], "start": [5, 19, 0], "end": [12, 20, 5]})
    >>> [a.tolist() for a in unit_pairs(spans, units)]
    [[0, 0], [0, 1]]
    """
    spans = spans.reset_index(drop=True)
    units = units.reset_index(drop=True)
    order = np.lexsort((units["start"].to_numpy(np.int64), units["doc_id"].astype(str).to_numpy()))
    by_doc: dict[str, np.ndarray] = {}
    doc_of = units["doc_id"].astype(str).to_numpy()[order]
    cuts = np.flatnonzero(np.r_[True, doc_of[1:] != doc_of[:-1], True])
    for a, b in zip(cuts[:-1], cuts[1:]):
        by_doc[doc_of[a]] = order[a:b]
    u_start = units["start"].to_numpy(np.int64)
    u_end = units["end"].to_numpy(np.int64)
    rows, hits = [np.empty(0, np.int64)], [np.empty(0, np.int64)]
    span_doc = spans["doc_id"].astype(str)
    for doc_id, index in span_doc.groupby(span_doc, sort=False).groups.items():
        members = by_doc.get(doc_id)
        if members is None:
            continue
        index = np.asarray(index, dtype=np.int64)
        a = spans["start"].to_numpy(np.int64)[index]
        b = spans["end"].to_numpy(np.int64)[index]
        lo = np.searchsorted(u_end[members], a, side="right")  # first unit ending after the span starts
        hi = np.searchsorted(u_start[members], b, side="left")  # units starting before the span ends
        counts = np.maximum(hi - lo, 0)
        offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        rows.append(np.repeat(index, counts))
        hits.append(members[np.repeat(lo, counts) + offsets])
    return np.concatenate(rows), np.concatenate(hits)


def _marks(codings: pd.DataFrame, units: pd.DataFrame, level: str, labels: list[str]) -> np.ndarray:
    """Boolean matrix units x labels: some coding of the label overlaps the unit."""
    marks = np.zeros((len(units), len(labels)), dtype=bool)
    if len(codings) and labels:
        rows, hits = unit_pairs(codings, units)
        column = {label: k for k, label in enumerate(labels)}
        cols = codings[level].astype(str).map(column).to_numpy()[rows]
        marks[hits, cols.astype(np.int64)] = True
    return marks


def _score(machine: np.ndarray, person: np.ndarray, confidence: float) -> dict:
    from .reliability import cohen_kappa

    tp = int(np.sum(machine & person))
    fp = int(np.sum(machine & ~person))
    fn = int(np.sum(~machine & person))
    tn = int(machine.size - tp - fp - fn)
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / (tp + fn) if tp + fn else float("nan")
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else float("nan")
    p_low, p_high = wilson(tp, tp + fp, confidence)
    r_low, r_high = wilson(tp, tp + fn, confidence)
    f_low, f_high = f1_interval(tp, fp, fn, tn, confidence)
    flat_m, flat_p = machine.ravel().astype(int), person.ravel().astype(int)
    kappa = cohen_kappa([flat_m.tolist(), flat_p.tolist()]) if machine.size else float("nan")
    return {"units": int(machine.shape[0]), "machine": tp + fp, "person": tp + fn, "tp": tp, "fp": fp, "fn": fn,
            "precision": precision, "precision_low": p_low, "precision_high": p_high, "recall": recall,
            "recall_low": r_low, "recall_high": r_high, "f1": f1, "f1_low": f_low, "f1_high": f_high,
            "kappa": kappa, "agreement": float(np.mean(flat_m == flat_p)) if machine.size else float("nan")}


def score_table(machine: pd.DataFrame, person: pd.DataFrame, units: pd.DataFrame, *, level: str = "theme",
                confidence: float = 0.95) -> pd.DataFrame:
    """Per label of ``level`` (code or theme) and pooled ``(all)``: counts, P/R/F1 with intervals, kappa.

    ``machine`` and ``person`` are codings tables (doc_id, start, end, code, theme); ``units`` has
    doc_id, start and end. A pure function: hand-checkable on a few rows.
    """
    labels = sorted(set(machine[level].astype(str)) | set(person[level].astype(str)))
    m = _marks(machine, units, level, labels)
    p = _marks(person, units, level, labels)
    rows = [{level: label, **_score(m[:, k], p[:, k], confidence)} for k, label in enumerate(labels)]
    rows.append({level: "(all)", **_score(m, p, confidence)})
    return pd.DataFrame(rows, columns=[level, *SCORE_COLUMNS])


def error_table(machine: pd.DataFrame, person: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Per code, each unit the machine coded and the person did not (``false positive``, with the rule
    and words that fired) and each unit the person coded and the machine did not (``miss``)."""
    units = units.reset_index(drop=True)
    machine = machine.reset_index(drop=True)
    person = person.reset_index(drop=True)
    m_rows, m_units = unit_pairs(machine, units)
    p_rows, p_units = unit_pairs(person, units)
    m = pd.DataFrame({"unit": m_units, "code": machine["code"].astype(str).to_numpy()[m_rows],
                      "rule": machine["rule"].fillna("").astype(str).to_numpy()[m_rows] if "rule" in machine else "",
                      "matched": (machine["matched"].fillna("").astype(str).to_numpy()[m_rows]
                                  if "matched" in machine else "")})
    p = pd.DataFrame({"unit": p_units, "code": person["code"].astype(str).to_numpy()[p_rows]})
    join = lambda s: "; ".join(dict.fromkeys(x for x in s if x))  # noqa: E731  (distinct, in order)
    m = m.groupby(["unit", "code"], sort=True).agg(rule=("rule", join), matched=("matched", join)).reset_index()
    p = p.drop_duplicates(["unit", "code"])
    machine_codes = m.groupby("unit")["code"].agg(join)
    person_codes = p.groupby("unit")["code"].agg(join)
    both = m.merge(p.assign(_person=True), on=["unit", "code"], how="outer")
    both["_machine"] = both["rule"].notna()
    both["_person"] = both["_person"].eq(True)
    wrong = both[both["_machine"] != both["_person"]].copy()
    if wrong.empty:
        return pd.DataFrame(columns=ERROR_COLUMNS)
    wrong["kind"] = np.where(wrong["_machine"], "false positive", "miss")
    info = units.loc[wrong["unit"].to_numpy()].reset_index(drop=True)
    wrong = wrong.reset_index(drop=True)
    out = pd.DataFrame({
        "code": wrong["code"], "theme": wrong["code"].str.split(".", n=1).str[0], "kind": wrong["kind"],
        "doc_id": info["doc_id"].astype(str), "start": info["start"], "end": info["end"],
        "line_start": info["line_start"] if "line_start" in info else pd.NA,
        "line_end": info["line_end"] if "line_end" in info else pd.NA,
        "quote": info["text"] if "text" in info else "", "rule": wrong["rule"].fillna(""),
        "matched": wrong["matched"].fillna(""),
        "machine_codes": wrong["unit"].map(machine_codes).fillna("").to_numpy(),
        "person_codes": wrong["unit"].map(person_codes).fillna("").to_numpy()})
    return out.sort_values(["code", "kind", "doc_id", "start"], kind="stable").reset_index(drop=True)


def compare(codings: pd.DataFrame, units: pd.DataFrame, *, against: str, codes: str = "rules",
            unit: str = "sentence", confidence: float = 0.95) -> Evaluation:
    """Evaluate the machine codings in ``codings`` against the person ``against`` on the given units.

    Only units of documents the person coded are compared; ``units`` needs doc_id, start, end and,
    for quotes, text, line_start and line_end.
    """
    if codes not in CODES:
        raise AnalysisError(Errors.A001.format(what="machine codings", value=codes, choices=", ".join(CODES)))
    coders = people(codings)
    if against not in coders:
        raise AnalysisError(Errors.A001.format(what="coder to evaluate against", value=against,
                                               choices=", ".join(coders) or "(nobody has coded by hand yet)"))
    person = codings[person_mask(codings, against)]
    machine = codings[codings["source"].isin(CODES[codes])]
    if machine.empty:
        what = {"rules": "rule codings; run 'thematic code' first",
                "suggestions": "suggestions; run 'thematic suggest' first",
                "machine": "rule codings or suggestions; run 'thematic code' first"}[codes]
        raise AnalysisError(Errors.A002.format(detail=f"nothing to evaluate: the project has no {what}"))
    docs = set(person["doc_id"].astype(str))
    units = units[units["doc_id"].astype(str).isin(docs)].reset_index(drop=True)
    machine = machine[machine["doc_id"].astype(str).isin(docs)]
    machine, person = (frame.assign(code=frame["code"].astype(str), theme=frame["theme"].astype(str))
                       for frame in (machine, person))
    return Evaluation(against=against, codes_source=codes, unit=unit, documents=len(docs), units=len(units),
                      themes=score_table(machine, person, units, level="theme", confidence=confidence),
                      codes=score_table(machine, person, units, level="code", confidence=confidence),
                      errors=error_table(machine, person, units))


def _status(codings: pd.DataFrame, *values: str) -> pd.Series:
    if "status" not in codings:
        return pd.Series(True, index=codings.index)
    return codings["status"].astype(str).isin(values)


def person_mask(codings: pd.DataFrame, against: str) -> pd.Series:
    """The person's reading: codings they made (active) and machine codings they accepted."""
    made = (codings["source"].astype(str).isin(HUMAN_SOURCES) & (codings["coder"].astype(str) == against)
            & _status(codings, "active", "pending"))
    if "reviewed_by" in codings:
        made |= (codings["reviewed_by"].fillna("").astype(str) == against) & _status(codings, "active")
    return made


def people(codings: pd.DataFrame) -> list[str]:
    """Everyone whose reading :func:`evaluate` can compare against (coded by hand or reviewed)."""
    names = set(codings.loc[codings["source"].astype(str).isin(HUMAN_SOURCES), "coder"].astype(str))
    if "reviewed_by" in codings:
        names |= set(codings.loc[_status(codings, "active"), "reviewed_by"].fillna("").astype(str))
    return sorted(n for n in names if n)


# -- the project edge: units cut as the rule coder cuts them ------------------------------------

def project_units(project, unit: str = "sentence", doc_ids=None) -> pd.DataFrame:
    """The informant-speech units of the project's documents (``UNIT_COLUMNS``), cut like the rule coder."""
    return _cut(project, unit, doc_ids)[0]


def _cut(project, unit: str, doc_ids=None, codebook=None) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Units of the documents, and (given a codebook) its rule codings of those same units."""
    from .coding import code_parsed, coding_units
    from .nlp import parse

    if unit not in EVAL_UNITS:
        raise AnalysisError(Errors.A001.format(what="evaluation unit", value=unit, choices=", ".join(EVAL_UNITS)))
    wanted = None if doc_ids is None else set(doc_ids)
    rows, coded = [], []
    for document in project.documents_iter():
        if wanted is not None and document.doc_id not in wanted:
            continue
        doc = next(parse([document.text], document.language)) if unit == "sentence" or codebook else None
        for u in coding_units(document, doc, unit):
            line_start, line_end = document.lines_of(u.start, u.end)
            rows.append((document.doc_id, u.start, u.end, line_start, line_end, document.text[u.start:u.end]))
        if codebook is not None:
            coded.append(code_parsed(document, doc, codebook, unit=unit))
    units = pd.DataFrame(rows, columns=UNIT_COLUMNS)
    if codebook is None:
        return units, None
    coded = [c for c in coded if len(c)]
    return units, (pd.concat(coded, ignore_index=True) if coded else None)


def evaluate(project, against: str, *, codes: str = "rules", unit: str = "sentence", codebook=None,
             confidence: float = 0.95) -> Evaluation:
    """Compare a project's machine codings (``codes``: rules, suggestions or machine = both) with the
    coding of the person ``against``, on sentence or turn units of informant speech.

    The person's reading is what they coded and the machine codings they accepted. The rules'
    reading is the project's codebook applied afresh to the same units (the store drops a rule
    coding that a person's identical coding already covers, so stored rule codings would hide
    agreement); without a codebook in the project, the stored rule codings are used. Suggestions
    are every suggestion made, pending, accepted or rejected. ``codebook`` (a :class:`Codebook`)
    evaluates that codebook instead of the project's, e.g. a draft before coding with it."""
    if unit not in EVAL_UNITS:
        raise AnalysisError(Errors.A001.format(what="evaluation unit", value=unit, choices=", ".join(EVAL_UNITS)))
    # Rejected machine codings count too: the machine proposed them (a person's rejection makes them errors).
    codings = project.codings_frame(statuses=("active", "pending", "rejected"), include_suggestions=True)
    book = (codebook or project.codebook) if codes in ("rules", "machine") else None
    docs = set(codings.loc[person_mask(codings, against), "doc_id"].astype(str))
    units, rules = _cut(project, unit, doc_ids=docs, codebook=book)
    if book is not None:
        kept = codings[codings["source"].astype(str) != "rule"]
        fresh = rules if rules is not None else kept.iloc[0:0]
        codings = pd.concat([kept.astype({c: object for c in ("doc_id", "code", "theme", "source", "coder")}),
                             fresh.assign(status="pending")], ignore_index=True)
    return compare(codings, units, against=against, codes=codes, unit=unit, confidence=confidence)


def report_section(project, unit: str = "sentence", codebook=None) -> tuple[str, pd.DataFrame, Evaluation] | None:
    """For the main report: rule coding (``codebook``, else the project's) against the person who
    coded most by hand, per theme.

    Returns (caption, table, evaluation), or None when nobody has coded by hand or there are no rules.
    """
    codings = project.codings
    if not people(codings) or (codebook is None and project.codebook is None
                               and not codings["source"].eq("rule").any()):
        return None
    against = max(people(codings), key=lambda name: (int(person_mask(codings, name).sum()), name))
    result = evaluate(project, against, codes="rules", unit=unit if unit in EVAL_UNITS else "turn", codebook=codebook)
    table = result.themes[["theme", "machine", "person", "precision", "recall", "f1", "kappa"]].copy()
    for column in ("precision", "recall", "f1", "kappa"):  # as text: two decimals beside the counts
        table[column] = [("–" if pd.isna(v) else f"{v:.2f}") for v in table[column]]
    caption = (f"Rule coding against {against}'s coding ({result.unit} units, {result.documents} documents): "
               "units coded by the rules and by hand, precision, recall, F1 and Cohen's kappa per theme")
    return caption, table.set_index("theme"), result
