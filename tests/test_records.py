"""Coding records held column by column give back exactly the tuples put in."""

from __future__ import annotations

import numpy as np

import thematic as th
from thematic.coding.records import Records


def test_records_round_trip_tuples_with_missing_lines_and_numpy_integers():
    rows = [("d", "d:1", 0, 9, 1, 2, "a", "rules@b:1", "x*", "xa"),
            ("d", "d:2", np.int64(10), np.int32(20), None, None, "b.c", "rules@b:1", "", ""),
            ("e", "e:0", 2 ** 40, 2 ** 40 + 1, 7, 7, "a", "rules@b:1", "spread: x*", "xa; xb")]
    records = Records()
    assert not records and len(records) == 0 and list(records) == []
    records += rows[:1]
    records += []
    records.extend(rows[1:])
    assert len(records) == 3 and records
    got = list(records)
    assert got == [tuple(int(v) if isinstance(v, np.integer) else v for v in row) for row in rows]
    assert all(type(v) is int for row in got for v in row[2:4])
    assert list(Records(rows)) == got


def test_a_first_coding_writes_the_records_it_made(tmp_path, sample_dir, codebook_dir):
    """The store writes a first coding's records as they are held (rows from the Records container)."""
    from thematic.coding import code_corpus

    book = th.Codebook.load(codebook_dir / "digitalisering.yaml")
    documents = th.ingest(sample_dir)
    with th.Project.open(tmp_path / "p.thematic") as project:
        project.add(documents)
        result = project.autocode(book)
        stored = project.codings
    direct = code_corpus(documents, book)
    key = ["doc_id", "start", "end", "code", "rule", "matched"]
    assert result["new"] == len(stored) == len(direct) > 500
    assert (stored[key].astype(str).sort_values(key).reset_index(drop=True)
            .equals(direct[key].astype(str).sort_values(key).reset_index(drop=True)))


def test_runs_give_every_record_column_by_column_a_run_of_a_document_at_a_time():
    rows = [("d", "d:1", 0, 9, 1, 2, "a", "c", "x*", "xa"),
            ("d", "d:2", 10, 20, None, None, "b.c", "c", None, ""),
            ("e", "e:0", 2, 5, 7, None, "a", "c", "r", "w"),
            ("d", "d:3", 30, 31, 4, 4, "a", "c", "r", "w")]  # d again after e: a run of its own
    runs = list(Records(rows).runs())
    assert [r[0] for r in runs] == ["d", "e", "d"]
    again = [(doc, *values) for doc, *columns in runs for values in zip(*columns)]
    assert again == rows
    assert list(Records().runs()) == []


def test_the_stored_quote_context_segment_and_lines_of_a_first_coding_come_from_the_text(tmp_path, sample_dir,
                                                                                          codebook_dir):
    from thematic.store import anchor

    book = th.Codebook.load(codebook_dir / "digitalisering.yaml")
    with th.Project.open(tmp_path / "p.thematic") as project:
        project.add(th.ingest(sample_dir))
        project.autocode(book)
        docs = {d.doc_id: d for d in project.documents}
        rows = project._conn.frame('SELECT doc_id, seg_idx, start, "end", line_start, line_end, code, theme, '
                                    "quote, before, after FROM codings")
    assert len(rows) > 500
    for r in rows.itertuples(index=False):
        doc = docs[r.doc_id]
        segment = next(s for s in doc.segments if s.start <= r.start < s.end)
        assert (r.quote, (r.before, r.after)) == (doc.text[r.start:r.end], anchor.context(doc.text, r.start, r.end))
        assert r.seg_idx == segment.index and r.theme == r.code.split(".")[0]
        assert (r.line_start, r.line_end) == doc.lines_of(r.start, r.end)
