"""Ingest notices a transcript present twice (whatever the name or encoding) and near-duplicates."""

from __future__ import annotations

import re
import shutil

import pytest

import thematic as th
from thematic.errors import IngestError


def _vtt_to_srt(vtt: str) -> str:
    cues = re.findall(r"(\d\d:\d\d:\d\d)\.(\d{3}) --> (\d\d:\d\d:\d\d)\.(\d{3})\n<v ([^>]+)>(.*?)</v>", vtt)
    return "\n".join(f"{n}\n{a},{b} --> {c},{d}\n{who}: {text}\n" for n, (a, b, c, d, who, text) in
                     enumerate(cues, start=1))


def test_same_text_under_another_name_and_encoding_is_loaded_once(tmp_path, sample_dir):
    shutil.copy(sample_dir / "Fjordvik-K2.txt", tmp_path / "Fjordvik-K2.txt")
    text = (sample_dir / "Fjordvik-K2.txt").read_text(encoding="utf-8")
    (tmp_path / "intervju kopi.txt").write_bytes(text.replace("\n", "\r\n").encode("cp1252"))
    shutil.copy(sample_dir / "Dalnett-K7.txt", tmp_path / "Dalnett-K7.txt")
    corpus = th.ingest(tmp_path)
    assert sorted(d.doc_id for d in corpus) == ["Dalnett-K7", "Fjordvik-K2"]
    warnings = [p.message for p in corpus.problems if "T029" in p.message]
    assert len(warnings) == 1 and "intervju kopi.txt" in warnings[0] and "Fjordvik-K2.txt" in warnings[0]
    assert "duplicate" in warnings[0]
    with pytest.raises(IngestError, match="T029"):
        th.ingest(tmp_path, strict=True)


def test_the_same_interview_as_vtt_and_srt_is_a_near_duplicate(tmp_path, sample_dir):
    vtt = (sample_dir / "Myrstad-K5.vtt").read_text(encoding="utf-8")
    shutil.copy(sample_dir / "Myrstad-K5.vtt", tmp_path / "Myrstad-K5.vtt")
    # Zoom's own transcription of the same recording: a cue missing and a word heard differently
    srt = _vtt_to_srt(vtt).replace("Da er opptaket i gang.", "Da er opptak i gang.").split("\n\n")
    (tmp_path / "zoom_opptak.srt").write_text("\n\n".join(srt[:-1]) + "\n", encoding="utf-8")
    corpus = th.ingest(tmp_path)
    assert [d.doc_id for d in corpus] == ["Myrstad-K5"]
    warnings = [p.message for p in corpus.problems if "T029" in p.message]
    assert len(warnings) == 1 and "near-duplicate" in warnings[0]
    assert "zoom_opptak.srt" in warnings[0] and "Myrstad-K5.vtt" in warnings[0]


def test_different_interviews_are_not_duplicates(sample_dir):
    corpus = th.ingest(sample_dir)
    assert len(corpus) == 8 and not [p for p in corpus.problems if "T029" in p.message]
