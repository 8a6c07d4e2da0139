"""Ingest speed: CPU seconds of reading a corpus (``iter_documents``), per stage, beside the figures before.

Builds benchmarks/scale.py's corpus (shuffled turns of the sample transcripts, 5,000 words a file;
``--distinct`` mixes in new compounds), then reads it in ``--runs`` fresh processes and prints the
smallest CPU time of each stage and the peak memory. The language dictionaries are loaded before the
clock starts in each process (their load is measured by scale.py's first coding), so the figures are
ingest's own work: reading and decoding, speaker labels, segments, language identification, the
duplicate signature and check.

    python benchmarks/ingest_speed.py [--words 1000000] [--distinct] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: Before issue 21's ingest work (commit a9d3c74), measured the same way, interleaved with the runs of
#: the new code on the same corpus (min of 5 fresh processes each, dictionaries preloaded, 2 shared cores).
BASELINE = {
    (1_000_000, False): {"read": 0.16, "labels": 0.40, "segments": 0.28, "language": 1.18, "signature": 1.09,
                         "duplicates": 0.11, "total": 3.29},
    (1_000_000, True): {"read": 0.18, "labels": 0.41, "segments": 0.36, "language": 1.71, "signature": 1.20,
                        "duplicates": 0.09, "total": 4.03},
}
STAGES = ("read", "labels", "segments", "language", "signature", "duplicates")

_CHILD = r"""
import json, resource, sys, time
from collections import defaultdict
try:
    from thematic.dictionaries import is_known, langdetect
    is_known("og", "nb"); langdetect("og det er", ("nb",))
except ImportError:  # before the dictionaries cache
    import simplemma
    simplemma.is_known("og", "nb"); simplemma.langdetect("og det er", lang=("nb",))
import thematic.transcripts as T
from thematic.transcripts.duplicates import Duplicates
spent = defaultdict(float)
def timed(owner, name, stage):
    inner = getattr(owner, name)
    def call(*args, **kwargs):
        start = time.process_time()
        try:
            return inner(*args, **kwargs)
        finally:
            spent[stage] += time.process_time() - start
    setattr(owner, name, call)
for name, stage in (("read_file", "read"), ("weigh_labels", "labels"), ("build_segments", "segments"),
                    ("identify", "language"), ("signature", "signature")):
    timed(T, name, stage)
timed(Duplicates, "check", "duplicates")
start = time.process_time()
documents = list(T.iter_documents(sys.argv[1]))
spent["total"] = time.process_time() - start
spent["documents"] = len(documents)
spent["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(spent))
"""


def measure(folder: Path, runs: int) -> dict:
    """The smallest figure of each stage over ``runs`` fresh processes (peak memory: the largest)."""
    best: dict = {}
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", _CHILD, str(folder)], capture_output=True, text=True, check=True)
        figures = json.loads(out.stdout.strip().splitlines()[-1])
        for key, value in figures.items():
            best[key] = max(best.get(key, 0), value) if key == "peak_mb" else min(best.get(key, value), value)
    return best


def report(words: int, distinct: bool, figures: dict) -> str:
    base = BASELINE.get((words, distinct), {})
    lines = [f"ingest of {words:,} words{' (distinct forms)' if distinct else ''}: "
             f"{int(figures['documents'])} documents, min CPU seconds of fresh processes",
             f"{'stage':12s} {'now':>7s} {'before':>7s}"]
    for stage in (*STAGES, "total"):
        before = base.get(stage)
        lines.append(f"{stage:12s} {figures.get(stage, 0.0):7.2f} {before if before is not None else '':>7}")
    lines.append(f"{'peak MB':12s} {figures['peak_mb']:7.0f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=1_000_000)
    parser.add_argument("--distinct", action="store_true")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import scale

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        scale.build_corpus(args.words, folder, distinct=args.distinct)
        print(report(args.words, args.distinct, measure(folder, args.runs)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
