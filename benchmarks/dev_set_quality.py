"""Rule coding on the development set: excerpts written apart from the sample and labelled by hand.

Prints per-theme precision, recall and F1, macro-F1, the share of excerpts with a theme that the
rules leave without any theme, and the share of out-of-domain excerpts (everyday senses of the
codebook's words, no-theme talk) that the rules code anyway, per language and overall, beside
the baseline before issue 20's work on the rules. Targets (issue 20): macro-F1 >= 0.85 and at
most one themed excerpt in twenty without a theme coded.

    python benchmarks/dev_set_quality.py [--codebook codebooks/digitalisering.yaml]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import thematic as th  # noqa: E402
from thematic.excerpts import code_excerpts, excerpt_quality, load_excerpts  # noqa: E402

EXCERPTS = ROOT / "data" / "dev_excerpts" / "excerpts.yaml"
#: digitalisering.yaml before issue 20's rule changes (measured with this script when the set was written)
BASELINE = {"macro_f1": 0.815, "themed_uncoded": 0.031, "outside_coded": 0.426}


def measure(codebook, excerpts=EXCERPTS) -> tuple[dict, pd.DataFrame]:
    book = th.Codebook.load(codebook)
    frame = load_excerpts(excerpts, themes=[t.id for t in book.themes])
    codings = code_excerpts(frame, book)
    overall = excerpt_quality(frame, codings)
    per_language = []
    for lang, block in frame.groupby("lang", sort=False):
        q = excerpt_quality(block, codings[codings["doc_id"].astype(str).isin(set(block["id"]))])
        per_language.append({"lang": lang, "excerpts": q["excerpts"], "macro_f1": q["macro_f1"],
                             "themed_uncoded": q["themed_uncoded"], "outside_coded": q["outside_coded"]})
    return overall, pd.DataFrame(per_language)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codebook", default=str(ROOT / "codebooks" / "digitalisering.yaml"))
    parser.add_argument("--excerpts", default=str(EXCERPTS))
    parser.add_argument("--errors", action="store_true", help="also list every excerpt the rules got wrong")
    args = parser.parse_args(argv)
    overall, per_language = measure(args.codebook, args.excerpts)
    fmt = lambda v: f"{v:.2f}"  # noqa: E731
    print(f"Rule coding on {overall['excerpts']} development excerpts ({overall['themed']} with a theme, "
          f"{overall['outside']} out of domain or without a theme)\n")
    print(overall["table"][["theme", "machine", "person", "tp", "fp", "fn", "precision", "recall", "f1"]]
          .to_string(index=False, float_format=fmt))
    print("\nper language:")
    print(per_language.to_string(index=False, float_format=fmt))
    print()
    for key, label, target in (("macro_f1", "macro-F1 over themes", ">= 0.85"),
                               ("themed_uncoded", "themed excerpts with no theme coded", "<= 0.05"),
                               ("outside_coded", "out-of-domain excerpts coded with a theme", "as low as possible")):
        before = BASELINE[key]
        print(f"{label:45s} {overall[key]:.3f}   baseline {'-' if before is None else f'{before:.3f}'}   "
              f"target {target}")
    if args.errors:
        pd.set_option("display.max_colwidth", 90)
        pd.set_option("display.width", 250)
        print(f"\n{len(overall['errors'])} excerpts where the rules' themes differ from the labels:")
        print(overall["errors"].to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
