"""Coding a corpus on a cluster: the same pure function per document, mapped with Dask, written to Parquet.

``thematic.coding.code_document`` is a pure function of a document's text, segments and language and of
the codebook, so coding parallelises over files. This script maps it over the files with ``dask.bag``
(the local scheduler here; point ``--scheduler`` at a distributed client's address on a cluster) and
writes one Parquet file per partition, a dataset pandas, pyarrow, Spark or DuckDB read directly.
Needs the optional extra: ``pip install -e ".[scale]"``.

    python benchmarks/dask_coding.py CORPUS --codebook codebooks/digitalisering.yaml --out codings.parquet
"""

from __future__ import annotations

import argparse
import sys
import time
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

SUFFIXES = (".docx", ".txt", ".md", ".vtt", ".srt")


@lru_cache(maxsize=4)
def _codebook(path: str):
    import thematic as th

    return th.Codebook.load(path)


def code_partition(items: list[tuple[int, str]], codebook_path: str, out_dir: str) -> list[int]:
    """Code the files of one partition and write their codings to ``part-<first index>.parquet``."""
    import pandas as pd

    import thematic as th
    from thematic.coding import code_document

    if not items:
        return [0]
    book = _codebook(codebook_path)
    frames = []
    for _, path in items:
        corpus = th.ingest(Path(path))
        for document in corpus:
            frames.append(code_document(document, book))
    frame = pd.concat([f for f in frames if len(f)], ignore_index=True) if any(len(f) for f in frames) else frames[0]
    frame = frame.astype({c: "string" for c in frame.columns if frame[c].dtype == object})
    frame.to_parquet(Path(out_dir) / f"part-{items[0][0]:06d}.parquet", index=False)
    return [len(frame)]


def run(corpus: Path, codebook: Path, out: Path, *, partitions: int = 4, scheduler: str = "processes") -> dict:
    import dask
    import dask.bag as db

    files = sorted(str(p) for p in Path(corpus).iterdir() if p.suffix.lower() in SUFFIXES)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("part-*.parquet"):
        old.unlink()
    bag = db.from_sequence(list(enumerate(files)), npartitions=max(1, min(partitions, len(files))))
    start = time.perf_counter()
    with dask.config.set(scheduler=scheduler):
        counts = bag.map_partitions(code_partition, str(codebook), str(out)).compute()
    return {"files": len(files), "codings": int(sum(counts)), "seconds": time.perf_counter() - start,
            "parts": len(list(out.glob("part-*.parquet")))}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--codebook", type=Path, default=ROOT / "codebooks" / "digitalisering.yaml")
    parser.add_argument("--out", type=Path, default=Path("work/codings.parquet"))
    parser.add_argument("--partitions", type=int, default=4)
    parser.add_argument("--scheduler", default="processes", help="synchronous, threads, processes or a client")
    args = parser.parse_args(argv)
    result = run(args.corpus, args.codebook, args.out, partitions=args.partitions, scheduler=args.scheduler)
    print(f"coded {result['files']} files with Dask ({args.scheduler}): {result['codings']} codings in "
          f"{result['seconds']:.1f} s, written to {args.out} as {result['parts']} Parquet parts")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
