"""Hostile and careless output names, collisions, full disks and read-only folders (issue 15, data loss).

Every probe builds its input here and must end, within the time limit, in a coded error or a correct
result, with no input replaced and no partial file left behind.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from thematic import outfiles
from thematic.errors import OutputError
from thematic.privacy import Key, pseudonymise_corpus

pytestmark = pytest.mark.timeout(60)


def _corpus(tmp_path: Path, files: dict[str, str]) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in files.items():
        (corpus / name).write_text(text, encoding="utf-8")
    return corpus


def _all_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() or p.is_symlink())


def test_pseudonym_with_dot_dot_stays_inside_out_and_the_original_is_untouched(tmp_path):
    corpus = _corpus(tmp_path, {"Kari-intervju.txt": "I: Hei.\nKari: Jeg heter Kari.\n"})
    original = (corpus / "Kari-intervju.txt").read_bytes()
    out = tmp_path / "out"
    key = Key.from_rows([("Kari", "../corpus/Kari", "person")])
    report = pseudonymise_corpus(corpus, key, out)
    assert (corpus / "Kari-intervju.txt").read_bytes() == original
    assert _all_files(corpus) == [corpus / "Kari-intervju.txt"]
    outputs = _all_files(out)
    assert all(out.resolve() in p.resolve().parents for p in outputs)
    [name] = report["output"].unique()
    assert "/" not in name and (out / name).read_text(encoding="utf-8").count("../corpus/Kari") == 2


def test_pseudonym_with_a_slash_or_reserved_name_does_not_crash(tmp_path):
    corpus = _corpus(tmp_path, {"Kari.txt": "Kari: hei\n", "Per.txt": "Per: hei\n"})
    key = Key.from_rows([("Kari", "Skole A/B", "person"), ("Per", "CON", "person")])
    report = pseudonymise_corpus(corpus, key, tmp_path / "out")
    assert sorted(report["output"]) == ["Skole A_B.txt", "_CON.txt"]
    assert (tmp_path / "out" / "_CON.txt").read_text(encoding="utf-8") == "CON: hei\n"


def test_two_inputs_mapping_to_one_name_both_survive_and_are_both_reported(tmp_path):
    corpus = _corpus(tmp_path, {"Kari-intervju.txt": "Kari: en\n", "Kari Lunde-intervju.txt": "Kari Lunde: to\n"})
    key = Key.from_rows([("Kari Lunde", "Rektor A", "person"), ("Kari", "Rektor A", "person")])
    report = pseudonymise_corpus(corpus, key, tmp_path / "out")
    by_file = dict(zip(report["file"], report["output"]))
    assert sorted(by_file.values()) == ["Rektor A-intervju-2.txt", "Rektor A-intervju.txt"]
    texts = {(tmp_path / "out" / name).read_text(encoding="utf-8") for name in by_file.values()}
    assert texts == {"Rektor A: en\n", "Rektor A: to\n"}


def test_an_output_name_that_is_a_link_to_an_input_is_refused(tmp_path):
    corpus = _corpus(tmp_path, {"Kari-intervju.txt": "Kari: hei\n"})
    out = tmp_path / "out"
    out.mkdir()
    (out / "Rektor A-intervju.txt").symlink_to(corpus / "Kari-intervju.txt")
    key = Key.from_rows([("Kari", "Rektor A", "person")])
    with pytest.raises(OutputError, match=r"\[A00[45]\]"):
        pseudonymise_corpus(corpus, key, out, overwrite=True)
    assert (corpus / "Kari-intervju.txt").read_text(encoding="utf-8") == "Kari: hei\n"


def test_corpus_symlink_leaving_the_folder_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0\n", encoding="utf-8")
    corpus = _corpus(tmp_path, {"Kari.txt": "Kari: hei\n"})
    (corpus / "passwd.txt").symlink_to(secret)
    with pytest.raises(Exception, match=r"\[P001\].*symbolic link.*outside the corpus folder"):
        pseudonymise_corpus(corpus, Key.from_rows([("Kari", "A", "person")]), tmp_path / "out")
    assert not (tmp_path / "out").exists() or not any("root" in p.read_text() for p in _all_files(tmp_path / "out"))


def test_full_disk_while_pseudonymising_is_a_coded_error_without_partial_files(tmp_path, monkeypatch):
    corpus = _corpus(tmp_path, {"a.txt": "Kari: hei\n", "b.txt": "Kari: hallo\n"})
    real = Path.write_text

    def full(self, *args, **kwargs):
        if self.name.startswith(".b."):
            real(self, "half", encoding="utf-8")  # something reached the disk before it filled up
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", full)
    with pytest.raises(OutputError, match=r"\[A006\].*disk is full"):
        pseudonymise_corpus(corpus, Key.from_rows([("Kari", "A", "person")]), tmp_path / "out")
    assert not [p for p in _all_files(tmp_path / "out") if "partial" in p.name]


def test_read_only_output_folder_is_a_coded_error(tmp_path, monkeypatch):
    def refuse(src, dst):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OutputError, match=r"\[A007\].*read-only"):
        outfiles.write_atomic(tmp_path / "x.csv", lambda tmp: tmp.write_text("a", encoding="utf-8"))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.timeout(300)  # the whole report pipeline; slow on a loaded CI machine
def test_report_on_a_full_disk_leaves_no_staging_folder(tmp_path, monkeypatch, sample_dir, codebook_dir):
    from thematic import report
    from thematic.export import tables

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "Fjordvik-K2.txt").write_bytes((sample_dir / "Fjordvik-K2.txt").read_bytes())

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tables, "_write_excel", full)
    out = tmp_path / "out"
    with pytest.raises(OutputError, match=r"\[A006\]"):
        report.build_report(corpus, codebook_dir / "digitalisering.yaml", out)
    assert not (out / ".staging").exists()
    assert not [p for p in _all_files(out) if p.suffix in (".xlsx", ".docx", ".png", ".csv")]


@pytest.mark.parametrize("name, expected", [
    ("../../etc/passwd", "_.._etc_passwd"), (".hidden.txt", "hidden.txt"), ("..", "file"), ("a\x00b\nc.txt", "a_b_c.txt"),
    ("nul.txt", "_nul.txt"), ("LPT1", "_LPT1"), ("ok. ", "ok"), ("C:\\x", "C__x"),
    ("Ka\u0308ri.txt", "K\u00e4ri.txt"),
])
def test_safe_name(name, expected):
    assert outfiles.safe_name(name) == expected


def test_safe_name_caps_length_in_bytes_and_keeps_the_suffix():
    name = outfiles.safe_name("ø" * 400 + ".docx")
    assert name.endswith(".docx") and len(name.encode("utf-8")) <= outfiles.MAX_NAME_BYTES


def test_ingest_refuses_a_link_leaving_the_corpus_folder_and_follows_one_inside(tmp_path):
    import thematic as th

    secret = tmp_path / "passwd.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    corpus = _corpus(tmp_path, {"a.txt": "K1: Vi har en plan.\n"})
    (corpus / "b.txt").symlink_to(secret)
    # a link inside the folder is followed; its target sits in a subfolder, which ingest does not read itself
    # (a link to a.txt would be the same transcript twice, which ingest loads once: test_duplicates.py)
    (corpus / "kept").mkdir()
    (corpus / "kept" / "c-original.txt").write_text("K2: Vi har ingen strategi.\n", encoding="utf-8")
    (corpus / "c.txt").symlink_to(corpus / "kept" / "c-original.txt")
    result = th.ingest(corpus)
    assert sorted(d.doc_id for d in result) == ["a", "c"]
    [problem] = [p for p in result.problems if "[T026]" in p.message]
    assert problem.severity == "error" and "b.txt" in problem.message
    assert all("root:x" not in d.text for d in result)
