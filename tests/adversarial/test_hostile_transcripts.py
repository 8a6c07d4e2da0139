"""Transcripts from transcription services and old Windows programs: mixed encodings, broken captions."""

from __future__ import annotations

import pytest

import thematic as th

pytestmark = pytest.mark.timeout(60)


def _ingest(tmp_path, name, data: bytes):
    (tmp_path / name).write_bytes(data)
    corpus = th.ingest(tmp_path)
    return corpus.documents[0], [p.message for p in corpus.problems]


def test_mixed_utf8_and_cp1252_is_decoded_per_line_with_a_warning(tmp_path):
    data = ("Intervjuer: Hva med skolene på Bjørkåsen?\n".encode("utf-8")
            + "K1: Vi har søkt om midler til læringsbrett.\n".encode("cp1252")
            + "K1: Og så må vi få på plass rutiner.\n".encode("utf-8"))
    doc, problems = _ingest(tmp_path, "a.txt", data)
    assert "Bjørkåsen" in doc.text and "søkt om midler til læringsbrett" in doc.text and "må vi få" in doc.text
    assert any("[T028]" in p and "line 2" in p for p in problems)


VTT = """WEBVTT

00:00:01.000 --> 00:00:04.000
<v Intervjuer>Hva med planen?

00:00:05.000 --> 00:00:0X.000
<v K1>Denne cuen er ødelagt.

00:00:09.000 --> 00:00:12.000
<v K1>Vi har en plan for skolene.

00:00:20.000 --> 00:00:15.000
<v K1>Denne slutter før den starter.

00:00:21.000 --> 00:00:24.000
<v K1 Og her mangler taggen sin slutt.
"""


def test_broken_vtt_cues_are_named_and_later_lines_stay_right(tmp_path):
    doc, problems = _ingest(tmp_path, "k1.vtt", VTT.encode("utf-8"))
    lines = VTT.split("\n")
    for segment in doc.segments:
        seg_text = doc.text[segment.start:segment.end]
        first_words = seg_text.split(": ", 1)[-1][:20] if ": " in seg_text[:15] else seg_text[:20]
        assert first_words in lines[segment.line_start - 1], (segment.line_start, seg_text)
    assert "Vi har en plan for skolene." in doc.text
    assert "<v" not in doc.text and "Og her mangler taggen sin slutt." in doc.text
    joined = "\n".join(problems)
    assert "line 6: a timing line that cannot be read" in joined  # the dropped cue is named
    assert "line 12: the cue ends (00:00:15.000) before it starts (00:00:20.000)" in joined
    assert "line 16: a '<v' speaker tag is not closed" in joined
