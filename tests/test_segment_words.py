"""corpus.segment_words counts each segment's words as ``len(text[start:end].split())`` does, and the store
keeps that count for every segment it writes."""

from __future__ import annotations

import random
import sys

import thematic as th
from thematic.corpus import Segment, segment_words


def test_segment_words_equals_split_on_hostile_texts_and_spans():
    spaces = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]  # every Unicode white space
    solid = ["a", "ø", "😀", "\U00010400", "\u0301", "_", "\x00", "-", "1", "\ud800"]
    rng = random.Random(1)
    for _ in range(2000):
        text = "".join(rng.choice(spaces) if rng.random() < 0.3 else rng.choice(solid)
                       for _ in range(rng.randint(0, 60)))
        segments = []
        for i in range(rng.randint(0, 6)):
            a = rng.randint(0, len(text))
            segments.append(Segment("d", i, a, rng.randint(a, len(text))))  # empty, overlapping, mid-word spans
        assert segment_words(text, segments) == [len(text[s.start:s.end].split()) for s in segments], repr(text)
    assert segment_words("", []) == [] and segment_words("ord ord", [Segment("d", 0, 1, 6)]) == [2]


def test_the_store_keeps_each_segments_word_count(tmp_path, sample_dir):
    documents = th.ingest(sample_dir)
    with th.Project.open(tmp_path / "p.thematic") as project:
        project.add(documents)
        stored = {(r[0], r[1]): r[2] for r in project._conn.execute("SELECT doc_id, idx, words FROM segments")}
    expected = {(d.doc_id, s.index): len(d.text[s.start:s.end].split()) for d in documents for s in d.segments}
    assert stored == expected and sum(expected.values()) > 10_000


def test_a_segment_through_pickle_is_equal_and_made_by_its_constructor():
    """A worker's segments come back pickled: equal, same hash and id, every field kept (times, page, heading,
    None lines), and rebuilt by ``Segment(...)`` (its dict shares keys with other segments: smaller, and the
    payload names no field per segment)."""
    import pickle
    from dataclasses import fields

    from thematic.corpus import Segment

    made = [Segment("Fjellby-K1", 3, 10, 20, "K1", "informant", 2, "K1", 4, 5, 1.5, 2.25, 7, "A > B"),
            Segment("Fjellby-K1", 0, 0, 4)]
    _ = made[0].segment_id  # a cached id is not carried: it is made again from the fields
    back = pickle.loads(pickle.dumps(made))
    assert back == made and [hash(s) for s in back] == [hash(s) for s in made]
    assert [s.segment_id for s in back] == ["Fjellby-K1:3", "Fjellby-K1:0"]
    for s, t in zip(back, made):
        assert [getattr(s, f.name) for f in fields(Segment)] == [getattr(t, f.name) for f in fields(Segment)]
    assert made[0].__reduce__() == (Segment, tuple(getattr(made[0], f.name) for f in fields(Segment)))
    assert b"heading" not in pickle.dumps(made)  # fields by position, not by name
