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
    """The signature written plainly: the words by regex, each 5-gram hashed on its own in Python integers
    (the polynomial hash mod 2**64 of its code points, then MurmurHash3's fmix64), one in 16 kept."""
    import hashlib

    from thematic.transcripts.duplicates import _BASE, _LENGTH_MIX, Signature, _words

    mask = (1 << 64) - 1

    def gram_hash(gram: str) -> int:
        value, power = 0, 1
        for char in gram:
            value = (value + (ord(char) + 1) * power) & mask
            power = (power * _BASE) & mask
        value ^= (len(gram) * int(_LENGTH_MIX)) & mask
        value ^= value >> 33
        value = (value * 0xFF51AFD7ED558CCD) & mask
        value ^= value >> 33
        value = (value * 0xC4CEB9FE1A85EC53) & mask
        return value ^ (value >> 33)

    words = _words(text)
    joined = " ".join(words)
    n = len(words)
    grams = [joined] if n < 5 else [" ".join(words[i:i + 5]) for i in range(n - 4)]
    hashes = [gram_hash(gram) for gram in grams]
    if n >= 80:
        hashes = [h for h in hashes if h % 16 == 0]
    return Signature(hashlib.sha256(joined.encode()).hexdigest(), bool(words),
                     frozenset(hashes))


def test_the_fast_signature_equals_the_regex_one_on_hostile_text(sample_dir):
    """The numpy word split and the numpy 5-gram hashes give the same signature as the plain code on
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


def test_the_hashes_do_not_depend_on_how_the_text_is_chunked(monkeypatch, sample_dir):
    """The prefix sums run a chunk of code points at a time; any chunk size gives the same hashes."""
    import thematic.transcripts.duplicates as duplicates

    texts = [path.read_bytes().decode("utf-8", "replace")[:3000] for path in sorted(sample_dir.iterdir())
             if path.is_file()]
    texts += ["", "a", "a b c d", "ord " * 300, "x\U0001F600y " * 100]
    expected = [duplicates.signature(text) for text in texts]
    for chunk in (1, 7, 1000):
        monkeypatch.setattr(duplicates, "_CHUNK", chunk)
        assert [duplicates.signature(text) for text in texts] == expected


def _transcript_words(sample_dir) -> list[str]:
    import random

    words = []
    for name in ("Fjordvik-K2.txt", "Dalnett-K7.txt", "Kystnett-K6.md"):
        words += (sample_dir / name).read_text(encoding="utf-8").split()
    random.Random(4).shuffle(words)  # a long text of its own, unlike any sample transcript
    return words[:3000]


@pytest.mark.parametrize("changed, found", [("a tenth in one passage", True), ("one word in a hundred", True),
                                            ("half in one passage", False), ("one word in ten", False)])
def test_a_changed_copy_is_a_near_duplicate_only_while_most_of_it_is_the_same(tmp_path, sample_dir, changed, found):
    """A copy with a passage rewritten (a tenth of its words) or a word in a hundred heard differently is a
    near-duplicate; half of it rewritten, or a word in ten changed all through (which changes most 5-grams),
    is another text."""
    words = _transcript_words(sample_dir)
    other = [f"annet{k}" for k in range(len(words))]
    if changed == "a tenth in one passage":
        copy = words[:1000] + other[:300] + words[1300:]
    elif changed == "half in one passage":
        copy = words[:1500] + other[:1500]
    else:
        step = 100 if changed == "one word in a hundred" else 10
        copy = [other[k] if k % step == step // 2 else w for k, w in enumerate(words)]
    (tmp_path / "A-1.txt").write_text("K1: " + " ".join(words) + "\n", encoding="utf-8")
    (tmp_path / "B-1.txt").write_text("K1: " + " ".join(copy) + "\n", encoding="utf-8")
    corpus = th.ingest(tmp_path)
    warnings = [p.message for p in corpus.problems if "T029" in p.message]
    if found:
        assert [d.doc_id for d in corpus] == ["A-1"]
        assert len(warnings) == 1 and "near-duplicate" in warnings[0] and "A-1.txt" in warnings[0]
    else:
        assert [d.doc_id for d in corpus] == ["A-1", "B-1"] and not warnings
