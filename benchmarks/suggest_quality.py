"""How good are learned suggestions? Cross-validated per-code and per-theme quality on the sample corpus.

Trains the suggester on the hand-made reference coding and prints cross-validated precision,
recall and F1 (codes with too few examples are listed, not guessed), from the text alone and
with the codebook's rule hits as features too (what ``thematic suggest`` does).

    python benchmarks/suggest_quality.py [--folds 5]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import thematic as th  # noqa: E402
from thematic.suggest import Suggester  # noqa: E402

CORPUS = ROOT / "data" / "sample_transcripts"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args(argv)
    reference = CORPUS / "reference_codings.csv"
    if not reference.is_file():
        print(f"no reference coding at {reference}")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        with th.Project.open(Path(tmp) / "s.thematic") as project:
            project.add(th.ingest(CORPUS))
            project.add_codings(pd.read_csv(reference), source="manual", coder="reference")
            segments, codings = project.segments, project.codings
    pd.set_option("display.width", 160)
    book = th.Codebook.load(ROOT / "codebooks" / "digitalisering.yaml")
    for level in ("theme", "code"):
        for rules, what in ((None, "text alone"), (book, "text and rule hits")):
            model = Suggester(level=level, min_examples=5, rules=rules).fit(segments, codings)
            table = model.evaluate(cv=args.folds)
            print(f"\nCross-validated ({args.folds} folds) suggestion quality per {level}, {what}:")
            print(table.to_string(index=False, float_format=lambda v: f"{v:.2f}"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
