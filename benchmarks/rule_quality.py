"""How good is rule coding? Per-theme precision, recall and F1 against the hand-made reference.

Matching is by theme and overlap: a reference coding is found when a rule coding of the same theme
overlaps its span; a rule coding is correct when it overlaps a reference coding of the same theme.

    python benchmarks/rule_quality.py [--unit sentence] [--codebook codebooks/digitalisering.yaml]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import thematic as th  # noqa: E402
from thematic.coding import code_corpus  # noqa: E402


def overlaps(a: pd.DataFrame, b: pd.DataFrame) -> pd.Series:
    """For each row of ``a``: does a row of ``b`` with the same doc and theme overlap it?"""
    merged = a.reset_index().merge(b[["doc_id", "theme", "start", "end"]], on=["doc_id", "theme"], how="left",
                                   suffixes=("", "_b"))
    hit = (merged["start_b"] < merged["end"]) & (merged["start"] < merged["end_b"])
    return hit.groupby(merged["index"]).any().reindex(range(len(a)), fill_value=False)


def quality(rule: pd.DataFrame, reference: pd.DataFrame) -> pd.DataFrame:
    rule = rule.reset_index(drop=True)
    reference = reference.reset_index(drop=True)
    rule = rule.assign(correct=overlaps(rule, reference).to_numpy())
    reference = reference.assign(found=overlaps(reference, rule).to_numpy())
    rows = []
    for theme in sorted(set(reference.theme) | set(rule.theme)):
        r, g = rule[rule.theme == theme], reference[reference.theme == theme]
        precision = r.correct.mean() if len(r) else float("nan")
        recall = g.found.mean() if len(g) else float("nan")
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        rows.append({"theme": theme, "rule_codings": len(r), "reference": len(g), "precision": precision,
                     "recall": recall, "f1": f1})
    p, rc = rule.correct.mean(), reference.found.mean()
    rows.append({"theme": "micro (all)", "rule_codings": len(rule), "reference": len(reference), "precision": p,
                 "recall": rc, "f1": 2 * p * rc / (p + rc) if p + rc else 0.0})
    return pd.DataFrame(rows)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT / "data" / "sample_transcripts"))
    parser.add_argument("--codebook", default=str(ROOT / "codebooks" / "digitalisering.yaml"))
    parser.add_argument("--unit", default="sentence", choices=["sentence", "turn", "paragraph"])
    args = parser.parse_args(argv)
    reference_path = Path(args.corpus) / "reference_codings.csv"
    if not reference_path.is_file():
        print(f"no reference coding at {reference_path}; write one to measure rule coding")
        return 0
    reference = pd.read_csv(reference_path)
    rule = code_corpus(th.ingest(args.corpus), th.Codebook.load(args.codebook), unit=args.unit)
    table = quality(rule, reference)
    print(f"Rule coding ({args.unit} units) against {len(reference)} reference codings by hand\n")
    print(table.to_string(index=False, float_format=lambda v: f"{v:.2f}"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
