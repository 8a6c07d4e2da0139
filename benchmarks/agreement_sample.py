"""Two coders on the sample corpus: the reference coding (ida) against a second coding (ola).

Prints agreement per theme and overall (percent agreement, Cohen's kappa, Krippendorff's alpha with a
bootstrap interval, Gwet's AC1) and the first rows of the disagreement table.

    python benchmarks/agreement_sample.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import thematic as th  # noqa: E402
from thematic import reliability  # noqa: E402

CORPUS = ROOT / "data" / "sample_transcripts"


def two_coder_project(path: Path) -> th.Project:
    project = th.Project.open(path)
    project.add(th.ingest(CORPUS))
    project.add_codebook(th.Codebook.load(ROOT / "codebooks" / "digitalisering.yaml"))
    project.add_codings(pd.read_csv(CORPUS / "reference_codings.csv"), source="manual", coder="ida")
    project.add_codings(pd.read_csv(CORPUS / "second_coder_codings.csv"), source="manual", coder="ola")
    return project


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        project = two_coder_project(Path(tmp) / "agreement.thematic")
        codings = project.codings
        pd.set_option("display.width", 160)
        for level in ("theme", "code"):
            table = reliability.agreement(codings, ["ida", "ola"], level=level, ci=level == "theme")
            print(f"\nAgreement per {level} (segments as units)")
            shown = table if level == "theme" else table.tail(1)
            print(shown.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
        table = reliability.disagreements(codings, ["ida", "ola"], level="code")
        print(f"\n{len(table)} segments where the coders differ; the first five:")
        print(table.drop(columns=["text"]).head().to_string(index=False))
        project.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
