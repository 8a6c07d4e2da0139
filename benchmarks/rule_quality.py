"""How good is rule coding? ``thematic evaluate`` on the sample against the hand-made reference coding.

Codes the sample corpus into a fresh project, adds a hand coding (``--reference``: ``reference``, the quotes a
researcher picked, about one sentence per point; or ``full_reference``, every informant sentence coded from the
definitions by a coder who never saw the rules or their output) as coder ``reference`` and
prints what ``thematic evaluate P --against reference --codes rules --unit sentence`` reports: per
theme precision, recall and F1 with 95 % intervals and Cohen's kappa, beside the baseline measured
the same way before issue 20's work on the rules (codebooks as of that issue). Target (issue 20):
precision >= 0.60 at recall >= 0.75 for every theme.

    python benchmarks/rule_quality.py [--reference reference|full_reference] [--unit sentence|turn]
        [--half all|first|second] [--without-spread] [--codes rules|machine [--folds 4]]
        [--codebook codebooks/digitalisering.yaml] [--csv DIR]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import thematic as th  # noqa: E402

#: Sentence units, digitalisering.yaml before issue 20 (measured with this script, same evaluation):
#: theme -> (precision, recall, f1)
BASELINE_REFERENCE = {
    "leadership": (0.47, 0.83, 0.60),
    "learning": (0.23, 0.63, 0.34),
    "organisation": (0.15, 0.78, 0.26),
    "strategy": (0.35, 0.76, 0.48),
    "target_picture": (0.44, 0.53, 0.48),
    "(all)": (0.26, 0.71, 0.39),
}
#: The same against ``full_reference``, the exhaustive blind coding (codebooks as of 7808f25, before the
#: domain cues for strategy and leadership and the narrowed sharing patterns).
BASELINE_FULL = {
    "leadership": (0.88, 0.41, 0.55),
    "learning": (0.78, 0.38, 0.51),
    "organisation": (0.84, 0.47, 0.60),
    "strategy": (0.83, 0.50, 0.63),
    "target_picture": (0.97, 0.34, 0.50),
    "(all)": (0.84, 0.43, 0.57),
}
BASELINES = {"reference": BASELINE_REFERENCE, "full_reference": BASELINE_FULL}


def evaluate_sample(corpus, codebook, unit: str = "sentence", reference: str = "reference", half: str = "all",
                    spread: bool = True):
    """The evaluation of rule coding on ``corpus`` against its ``<reference>_codings.csv`` (coder ``reference``).

    ``half``: ``first`` or ``second`` compares only every other coded interview (sorted by id, from the
    first or the second), to choose a setting on one half and check it on the other; ``spread=False``
    codes without the codebook's ``spread:`` block (the matched sentences only)."""
    text = Path(codebook).read_text(encoding="utf-8")
    if not spread:
        text = re.sub(r"^spread:\n(?:[ #].*\n)+", "", text, flags=re.M)
    book = th.Codebook.loads(text)
    person = pd.read_csv(Path(corpus) / f"{reference}_codings.csv")
    if half != "all":
        docs = sorted(set(person["doc_id"]))[0 if half == "first" else 1::2]
        person = person[person["doc_id"].isin(docs)]
    with tempfile.TemporaryDirectory() as tmp:
        with th.Project.open(Path(tmp) / "quality.thematic") as project:
            project.add(th.ingest(corpus))
            project.autocode(book, unit=unit)
            project.add_codings(person, source="manual", coder="reference")
            return th.evaluate(project, "reference", codes="rules", unit=unit)


def evaluate_workflow(corpus, codebook, unit: str = "sentence", reference: str = "reference", folds: int = 4,
                      threshold: float = 0.5) -> tuple[pd.DataFrame, int, int]:
    """Rule codings plus learned suggestions, as a researcher gets them, against the hand coding of interviews
    the suggester never saw.

    For each of ``folds`` groups of the coded interviews (every ``folds``-th, sorted by id): a project with
    the sample, rule-coded; the hand coding of the *other* interviews as coder ``ida``; ``thematic suggest``
    (``unit``, themes, ``threshold``) learns from it and suggests for the group's interviews; the group's
    hand coding is added as coder ``reference`` and ``thematic evaluate --codes machine`` compares. The
    counts are pooled over the groups. Returns (per-theme table as ``Evaluation.themes``, units, documents).
    """
    from thematic.evaluation import wilson
    from thematic.suggest import suggest

    person = pd.read_csv(Path(corpus) / f"{reference}_codings.csv")
    docs = sorted(set(person["doc_id"]))
    documents = th.ingest(corpus)
    book = th.Codebook.load(codebook)
    counts: dict[str, list[int]] = {}
    units = 0
    for k in range(folds):
        held_out = docs[k::folds]
        with tempfile.TemporaryDirectory() as tmp:
            with th.Project.open(Path(tmp) / "fold.thematic") as project:
                project.add(documents)
                project.autocode(book, unit=unit)
                project.add_codings(person[~person["doc_id"].isin(held_out)], source="manual", coder="ida")
                suggest(project, unit=unit, level="theme", threshold=threshold)
                project.add_codings(person[person["doc_id"].isin(held_out)], source="manual", coder="reference")
                result = th.evaluate(project, "reference", codes="machine", unit=unit)
        units += result.units
        for r in result.themes.itertuples(index=False):
            tally = counts.setdefault(r.theme, [0, 0, 0])
            for i, n in enumerate((r.tp, r.fp, r.fn)):
                tally[i] += int(n)
    rows = []
    for theme, (tp, fp, fn) in counts.items():
        p_low, p_high = wilson(tp, tp + fp)
        r_low, r_high = wilson(tp, tp + fn)
        rows.append({"theme": theme, "machine": tp + fp, "person": tp + fn, "precision": tp / max(tp + fp, 1),
                     "precision_low": p_low, "precision_high": p_high, "recall": tp / max(tp + fn, 1),
                     "recall_low": r_low, "recall_high": r_high, "f1": 2 * tp / max(2 * tp + fp + fn, 1),
                     "kappa": float("nan")})
    themes = pd.DataFrame(rows)
    return pd.concat([themes[themes.theme != "(all)"], themes[themes.theme == "(all)"]]), units, len(docs)


def beside_baseline(themes: pd.DataFrame, unit: str, reference: str = "reference", half: str = "all") -> pd.DataFrame:
    rows = []
    baseline = BASELINES.get(reference, {}) if unit == "sentence" and half == "all" else {}
    for r in themes.itertuples(index=False):
        before = baseline.get(r.theme, (float("nan"),) * 3)
        rows.append({"theme": r.theme, "machine": r.machine, "person": r.person,
                     "precision": f"{r.precision:.2f} [{r.precision_low:.2f}-{r.precision_high:.2f}]",
                     "recall": f"{r.recall:.2f} [{r.recall_low:.2f}-{r.recall_high:.2f}]",
                     "f1": round(r.f1, 2), "kappa": round(r.kappa, 2),
                     "baseline P": before[0], "baseline R": before[1], "baseline F1": before[2],
                     "target met": "yes" if r.precision >= 0.60 and r.recall >= 0.75 else "no"})
    return pd.DataFrame(rows)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT / "data" / "sample_transcripts"))
    parser.add_argument("--codebook", default=str(ROOT / "codebooks" / "digitalisering.yaml"))
    parser.add_argument("--unit", default="sentence", choices=["sentence", "turn"])
    parser.add_argument("--reference", default="reference", choices=sorted(BASELINES),
                        help="reference: the quotes a researcher picked (about one sentence per point); "
                             "full_reference: every sentence coded from the definitions, blind to the rules")
    parser.add_argument("--half", default="all", choices=["all", "first", "second"],
                        help="compare every other coded interview only (first: 1st, 3rd, ...; second: 2nd, 4th, ...)")
    parser.add_argument("--without-spread", action="store_true",
                        help="code without the codebook's 'spread:' block (matched sentences only)")
    parser.add_argument("--codes", default="rules", choices=["rules", "machine"],
                        help="rules: the rule codings; machine: rule codings plus the suggestions 'thematic suggest "
                             "--unit sentence --level theme' learns from the other interviews' hand coding "
                             "(--folds groups of interviews, each held out once)")
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--csv", default=None, help="also write the evaluation CSVs to this folder")
    args = parser.parse_args(argv)
    if not (Path(args.corpus) / f"{args.reference}_codings.csv").is_file():
        print(f"no reference coding in {args.corpus}; write one to measure rule coding")
        return 0
    if args.codes == "machine":
        themes, units, documents = evaluate_workflow(args.corpus, args.codebook, args.unit, args.reference, args.folds)
        print(f"Rule codings and suggestions learned from the other interviews against the hand coding "
              f"{args.reference!r}: {units} {args.unit} units in {documents} documents, {args.folds} groups of "
              "interviews each held out once (thematic suggest + thematic evaluate --codes machine; 95% Wilson "
              "intervals)\n")
        pd.set_option("display.width", 200)
        print(beside_baseline(themes, args.unit, args.reference, "workflow").to_string(
            index=False, float_format=lambda v: f"{v:.2f}"))
        return 0
    result = evaluate_sample(args.corpus, args.codebook, args.unit, args.reference, args.half, not args.without_spread)
    print(f"Rule coding{' without spread' if args.without_spread else ''} against the hand coding "
          f"{args.reference!r}: {result.units} {args.unit} units in {result.documents} documents"
          f"{'' if args.half == 'all' else f' (the {args.half} half)'} (thematic evaluate; 95% Wilson intervals)\n")
    pd.set_option("display.width", 200)
    print(beside_baseline(result.themes, args.unit, args.reference, args.half).to_string(index=False, float_format=lambda v: f"{v:.2f}"))
    if args.csv:
        from thematic.export import to_csv

        for path in to_csv(result.tables(), args.csv):
            print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
