"""Several coders on one project at once: throughput and latency on PostgreSQL and on SQLite.

Each coder is its own process (as each researcher has their own notebook) that opens the
project, waits for the others, then makes ``--codings`` manual codings on the sample
interviews, retrying one of every ten (a notebook cell run twice: must not duplicate) and
undoing its own last action ``--undos`` times along the way (``undo(coder=...)``, while the
others keep coding). Reported per engine and number of coders: wall time, throughput
(actions per second, all coders together), the median and 95th percentile latency of one
action, and whether the final project holds exactly what each coder did (their codings
minus their undos, no duplicates, every action logged once).

PostgreSQL: give ``--url postgresql://...`` (a database the benchmark may create schemas in),
or leave it out to start a throwaway server from the system's binaries (as the tests do,
with PostgreSQL's default durability: fsync on).

    python benchmarks/team_coders.py                         # 4 and 16 coders x 500 codings, both engines
    python benchmarks/team_coders.py --coders 4 --codings 100 --engine sqlite
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))  # pg_server.py: the throwaway PostgreSQL the tests use
sys.path.insert(0, str(Path(__file__).resolve().parent))  # the coder processes import this module by name

CODES = ["strategy.useful", "target_picture.unclear", "learning.sharing", "leadership.anchoring"]


def spans(coder: int, n: int, docs: list[tuple[str, int]]) -> list[tuple[str, int, int, str]]:
    """The ``n`` distinct (doc_id, start, end, code) a coder will code: deterministic, inside each text."""
    out = []
    for i in range(n):
        doc_id, length = docs[i % len(docs)]
        start = (i // len(docs)) * 11 + coder % 7
        out.append((doc_id, start % (length - 40), start % (length - 40) + 15 + coder % 20, CODES[i % len(CODES)]))
    return out


def coder(location: str, who: int, n: int, undos: int, docs, barrier, results) -> None:
    import thematic as th

    name = f"coder{who:02d}"
    project = th.Project.open(location)
    plan = spans(who, n, docs)
    undo_at = {int((k + 1) * n / (undos + 1)) for k in range(undos)}
    latencies, kept, retried = [], [], 0
    barrier.wait(180)
    for i, (doc_id, start, end, code) in enumerate(plan):
        t = time.perf_counter()
        cid = project.code(doc_id, start=start, end=end, code=code, coder=name)
        latencies.append(time.perf_counter() - t)
        kept.append((doc_id, start, end, code))
        if i % 10 == 5:  # a retried request: the same coding again must return the same id
            t = time.perf_counter()
            again = project.code(doc_id, start=start, end=end, code=code, coder=name)
            latencies.append(time.perf_counter() - t)
            retried += again == cid
        if i in undo_at:
            t = time.perf_counter()
            project.undo(coder=name)
            latencies.append(time.perf_counter() - t)
            kept.pop()
    project.close()
    results.put((name, latencies, kept, retried))


def run(location: str, coders: int, n: int, undos: int, docs) -> dict:
    import thematic as th

    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(coders + 1), ctx.Queue()
    procs = [ctx.Process(target=coder, args=(location, k, n, undos, docs, barrier, results)) for k in range(coders)]
    for p in procs:
        p.start()
    barrier.wait(180)  # every coder has opened the project: time from here
    start = time.perf_counter()
    done = [results.get(timeout=3600) for _ in procs]
    wall = time.perf_counter() - start
    for p in procs:
        p.join(60)
    latencies = sorted(x for _, lat, _, _ in done for x in lat)
    with th.Project.open(location) as project:
        codings = project.codings
        events = project.events
    manual = codings[codings.source == "manual"]
    found = {who: set(map(tuple, g[["doc_id", "start", "end", "code"]].astype(object).values.tolist()))
             for who, g in manual.groupby("coder", observed=True)}
    expected = {who: set(kept) for who, _, kept, _ in done if kept}
    ok = (found == expected and not manual.duplicated(["doc_id", "start", "end", "code", "coder"]).any()
          and (events.action == "code").sum() == coders * n and (events.action == "undo").sum() == coders * undos
          and all(retried == len([i for i in range(n) if i % 10 == 5]) for *_, retried in done))
    return {"coders": coders, "actions": len(latencies), "wall_s": round(wall, 2),
            "actions_per_s": round(len(latencies) / wall, 1),
            "median_ms": round(1000 * statistics.median(latencies), 1),
            "p95_ms": round(1000 * latencies[int(0.95 * (len(latencies) - 1))], 1),
            "final_state_ok": bool(ok)}


def prepare(location: str) -> list[tuple[str, int]]:
    import thematic as th

    with th.Project.open(location) as project:
        project.add(th.ingest(ROOT / "data" / "sample_transcripts"))
        project.add_codebook(th.Codebook.load(ROOT / "codebooks" / "digitalisering.yaml"))
        return [(d.doc_id, len(d.text)) for d in project.documents]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--coders", type=int, nargs="+", default=[4, 16])
    parser.add_argument("--codings", type=int, default=500, help="manual codings per coder")
    parser.add_argument("--undos", type=int, default=5, help="undos per coder")
    parser.add_argument("--engine", nargs="+", default=["postgresql", "sqlite"], choices=["postgresql", "sqlite"])
    parser.add_argument("--url", help="a PostgreSQL database to use (default: a throwaway server)")
    parser.add_argument("--json", action="store_true", help="also print the figures as one JSON line")
    args = parser.parse_args(argv)

    rows, server = [], None
    with tempfile.TemporaryDirectory(prefix="thematic-team-") as tmp:
        try:
            for engine in args.engine:
                for k, n_coders in enumerate(args.coders):
                    if engine == "sqlite":
                        location = str(Path(tmp) / f"team{k}.thematic")
                    else:
                        if server is None and not args.url:
                            import pg_server

                            if not pg_server.available():
                                print(f"PostgreSQL skipped: {pg_server.HOW}; pip install -e '.[team]'")
                                break
                            server = pg_server.ThrowawayPostgres(durable=True).start()
                            server.create_database("bench")
                        base = args.url or server.url("bench")
                        location = f"{base}{'&' if '?' in base else '?'}schema=team_{k}_{int(time.time())}"
                    docs = prepare(location)
                    row = {"engine": engine, **run(location, n_coders, args.codings, args.undos, docs)}
                    rows.append(row)
                    print(f"{engine:>10}  {row['coders']:>2} coders  {row['actions']:>5} actions  "
                          f"{row['wall_s']:>7.1f} s  {row['actions_per_s']:>7.1f} actions/s  "
                          f"median {row['median_ms']:>6.1f} ms  p95 {row['p95_ms']:>7.1f} ms  "
                          f"final state {'OK' if row['final_state_ok'] else 'WRONG'}", flush=True)
        finally:
            if server is not None:
                server.stop()
    if args.json:
        print(json.dumps(rows))
    return 0 if all(r["final_state_ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
