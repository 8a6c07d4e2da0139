"""Writes tests/data/release_0_1_0.thematic: a project file made by thematic 0.1.0 (schema 2).

Run once with the 0.1.0 code (git commit a9161bf) to make the fixture the migration tests open;
kept so that the file's making is on record. It is NOT re-run by the tests: the point of the
file is that it was written by the old release.

What it holds: three sample interviews, the digitalisering codebook, rule codings (pending),
ingrid's manual codings, one of them accepted by veileder (0.1.0 turned it into veileder's
"accepted" coding), a rule coding accepted and one rejected by veileder, and memos.
"""

from pathlib import Path

import pandas as pd

import thematic as th

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).with_name("release_0_1_0.thematic")

if __name__ == "__main__":
    OUT.unlink(missing_ok=True)
    corpus = th.ingest(ROOT / "data" / "sample_transcripts")
    keep = {"Fjordvik-K2", "Kystnett-K6", "Sjöberga-S1"}
    book = th.Codebook.load(ROOT / "codebooks" / "digitalisering.yaml")
    with th.Project.open(OUT) as project:
        project.add([d for d in corpus if d.doc_id in keep])
        project.autocode(book)
        reference = pd.read_csv(ROOT / "data" / "sample_transcripts" / "reference_codings.csv")
        reference = reference[reference.doc_id.isin(keep)].head(12)
        project.add_codings(reference, source="manual", coder="ingrid")
        manual = project.code("Fjordvik-K2", quote="vi har ingen målbilde", code="target_picture.unclear",
                              coder="ingrid", memo="Sier det rett ut")
        project.accept([manual], coder="veileder")          # 0.1.0: becomes veileder's "accepted" coding
        queue = project.review_queue()
        project.accept(queue.coding_id.iloc[:3], coder="veileder")
        project.reject(queue.coding_id.iloc[3:5], coder="veileder")
        project.memo("Målbilde mangler i flere kommuner", code="target_picture.unclear", coder="ingrid")
        project.memo("Godt intervju", doc_id="Kystnett-K6", coder="ingrid")
        project.memo("Prosjektet startet høsten 2025", coder="ingrid")
        project._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        project._conn.execute("VACUUM")
    print(OUT, OUT.stat().st_size)
