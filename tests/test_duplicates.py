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


def _reference_signature(text: str):
    """The signature as first written: the words by regex, a new blake2b object per 5-gram."""
    import hashlib

    import numpy as np

    from thematic.transcripts.duplicates import Signature, _words

    words = _words(text)
    joined = " ".join(words).encode()
    n = len(words)
    if n < 5:
        pairs = [(0, len(joined))]
    else:
        spaces = [i for i, b in enumerate(joined) if b == 32]
        pairs = zip([0] + [s + 1 for s in spaces[:n - 5]], spaces[4:] + [len(joined)])
    hashes = np.frombuffer(b"".join(hashlib.blake2b(joined[a:b], digest_size=8).digest() for a, b in pairs), ">u8")
    if n >= 80:
        hashes = hashes[hashes % 16 == 0]
    return Signature(hashlib.sha256(joined).hexdigest(), bool(words), frozenset(hashes.tolist()))


def test_the_fast_signature_equals_the_regex_one_on_hostile_text(sample_dir):
    """The numpy word split and the copied blake2b objects give the same signature as the plain code on
    every kind of character: underscores, digits of other scripts, case folding that splits a letter
    (İ), characters beyond the BMP, lone surrogates, U+FFFF, combining marks, long and empty texts."""
    import random

    from thematic.transcripts.duplicates import signature

    texts = ["", " \n\t", "a", "_", "a_b c__d _x_", "İstanbul ǅemal Straße ﬁne Σίσυφος ΣΑΣ", "\uffff\uffffa b",
             "x\U0001F600y \U00010400\U00010428 z \U0001D7D8", "\ud800ab\udfffcd", "١٢٣ ²³ ½ Ⅻ 〇 é e\u0301",
             "K1: Vi har en strategi.", "Ǆ" * 3, "ord " * 200, "end with punctuation!!! "]
    texts += [path.read_bytes().decode("utf-8", "replace") for path in sorted(sample_dir.iterdir()) if path.is_file()]
    rng = random.Random(21)
    for _ in range(200):
        texts.append("".join(chr(rng.choice([rng.randrange(0x300), rng.randrange(0x110000), 32, 95]))
                             for _ in range(rng.randrange(400))))
    for text in texts:
        assert signature(text) == _reference_signature(text), repr(text[:80])
