"""Ingest gives exactly what it gave before it was made faster (issue 21): every Document field and every
problem message on the sample, the fixtures, a generated corpus and hostile files (see ingest_fingerprint.py)."""

from __future__ import annotations

import json

import pytest

from ingest_fingerprint import FROZEN, fingerprint

pytestmark = pytest.mark.timeout(120)


def test_ingest_output_equals_the_frozen_fingerprint(tmp_path):
    frozen = json.loads(FROZEN.read_text(encoding="utf-8"))
    now = fingerprint(tmp_path)
    assert sorted(now) == sorted(frozen)
    changed = [key for key in frozen if now[key] != frozen[key]]
    details = {key: (frozen[key], now[key]) for key in changed[:3]}
    assert not changed, f"ingest output changed for {changed}: {json.dumps(details, ensure_ascii=False)[:3000]}"


def test_the_fingerprint_sees_a_change(tmp_path, monkeypatch):
    """A one-character change to a stored text or one problem fewer changes the fingerprint."""
    from ingest_fingerprint import SAMPLE, corpus_fingerprint

    import thematic as th

    corpus = th.ingest(SAMPLE)
    before = corpus_fingerprint(corpus, str(SAMPLE))
    first = corpus.documents[0]
    moved = type(first)(**{**first.__dict__, "segments": (type(first.segments[0])(
        **{**{k: v for k, v in first.segments[0].__dict__.items() if k != "segment_id"}, "end": first.segments[0].end - 1}),
        *first.segments[1:])})
    after = corpus_fingerprint(type(corpus)([moved, *corpus.documents[1:]], corpus.problems), str(SAMPLE))
    assert before["documents"][first.doc_id] != after["documents"][first.doc_id]
    assert [k for k in before["documents"] if before["documents"][k] != after["documents"][k]] == [first.doc_id]
