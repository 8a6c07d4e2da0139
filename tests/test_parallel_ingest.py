"""First coding with two workers that read the files too (issue 21): the same store as one worker.

``project.autocode(book, documents=iter_documents(folder), n_process=2)`` has the worker processes read,
ingest, parse and code the files; the parent checks them in file order and writes. Everything it
stores (documents, segments, codings, problems, the vocabulary and the memory of rule hits) must
equal a one-worker run, including duplicates, refused files, strict mode and coding errors.
"""

from __future__ import annotations

import os
import shutil
import sqlite3

import pytest

import thematic as th
from thematic.errors import IngestError, PipelineError
from thematic.transcripts import SUFFIXES, iter_documents

pytestmark = pytest.mark.timeout(180)


def _folder(tmp_path, sample_dir):
    folder = tmp_path / "corpus"
    shutil.copytree(sample_dir, folder)
    text = (sample_dir / "Fjordvik-K2.txt").read_text(encoding="utf-8")
    (folder / "Fjordvik-kopi.txt").write_text(text.upper(), encoding="utf-8")  # a duplicate (same words)
    (folder / "Aaa-K9.txt").write_text(text.replace("K2:", "K9:").replace("Fjordvik", "Åsby"), encoding="utf-8")
    paragraphs = text.split("\n\n")
    (folder / "Zzz-nesten.txt").write_text("\n\n".join(paragraphs[:-2]), encoding="utf-8")  # a near-duplicate
    (folder / "Tom.txt").write_bytes(b"")  # refused: empty
    (folder / "Same-id.md").write_text("---\ndoc_id: Dalnett-K7\n---\n\nK7: Noe helt annet om nettverket og "
                                       "planene for skolene, som ikke står i det andre intervjuet.\n", encoding="utf-8")
    for n in range(6):  # more files than one task, so several tasks are in flight
        lines = paragraphs[n::3]
        (folder / f"Ekstra-K{n}.txt").write_text("\n\n".join(lines).replace("K2:", f"K{n}:"), encoding="utf-8")
    return folder


def _store(path) -> dict:
    conn = sqlite3.connect(path)

    def rows(sql):
        return conn.execute(sql).fetchall()

    out = {
        "documents": rows("SELECT doc_id, text, sha256, path, format, language, \"case\", attributes, line_map "
                          "FROM documents ORDER BY doc_id"),
        "segments": rows("SELECT * FROM segments ORDER BY doc_id, idx"),
        "codings": rows("SELECT doc_id, seg_idx, start, \"end\", line_start, line_end, code, theme, coder, source, "
                        "rule, matched, status, codebook, quote, before, after FROM codings "
                        "ORDER BY doc_id, start, \"end\", code"),
        "vocab": rows("SELECT lang, form_id, form, lemma FROM coding_vocab ORDER BY lang, form_id"),
        # the hits of a document are the same set in any order
        "memory": [(r[0], r[1], r[2], r[3], r[4], sorted(zip(*[iter(memoryview(r[5]).cast("i"))] * 3)), r[6])
                   for r in rows("SELECT m.doc_id, m.version, m.sha256, m.tokens, m.units, m.hits, c.rules "
                                 "FROM coding_memory m LEFT JOIN coding_checked c USING (doc_id, version) "
                                 "ORDER BY m.doc_id")],
        "lexicon": rows("SELECT lang, form, lemma FROM coding_lexicon ORDER BY lang, form"),
    }
    conn.close()
    return out


def _code(folder, project, workers, **options):
    problems = []
    with th.Project.open(project) as p:
        result = p.autocode(th.Codebook.load(options.pop("book")), n_process=workers,
                            documents=iter_documents(folder, problems=problems, **options))
    added = result.pop("added")
    return result, (added.added, added.updated, added.unchanged), [
        (os.path.basename(x.path), x.message.replace(str(folder), "<f>"), x.line, x.severity) for x in problems]


def test_two_workers_read_the_files_and_store_what_one_worker_stores(tmp_path, sample_dir, codebook_dir,
                                                                     monkeypatch):
    import thematic.transcripts as transcripts

    folder = _folder(tmp_path, sample_dir)
    book = codebook_dir / "digitalisering.yaml"
    readers = tmp_path / "readers.txt"
    real = transcripts.read_one

    def spy(*args, **kwargs):
        with open(readers, "a") as f:
            f.write(f"{os.getpid()}\n")
        return real(*args, **kwargs)

    monkeypatch.setattr(transcripts, "read_one", spy)
    one = _code(folder, tmp_path / "one.thematic", 1, book=book)
    readers.unlink()
    two = _code(folder, tmp_path / "two.thematic", 2, book=book)
    pids = readers.read_text().split()
    # every file is read once by the workers; this process reads only the first one, to load its language
    # before the workers start
    assert len([p for p in pids if p != str(os.getpid())]) == len([f for f in folder.iterdir() if f.suffix in SUFFIXES])
    assert pids.count(str(os.getpid())) == 1
    assert one == two
    problems = "\n".join(p[1] for p in one[2])
    assert "[T029]" in problems and "[T012]" in problems and "[T001]" in problems and "near-duplicate" in problems
    stored_one, stored_two = _store(tmp_path / "one.thematic"), _store(tmp_path / "two.thematic")
    assert len(stored_one["codings"]) > 100 and len(stored_one["documents"]) == 12 == len(one[1][0])
    for table in stored_one:
        assert stored_one[table] == stored_two[table], table


def test_two_workers_add_to_a_coded_project_like_one_worker(tmp_path, sample_dir, codebook_dir):
    """Documents remembered from an earlier coding are not parsed again; the workers' parses of them are
    dropped, and the word forms they carried still reach the vocabulary of the next documents."""
    folder = _folder(tmp_path, sample_dir)
    first = tmp_path / "first"
    first.mkdir()
    for name in ("Fjordvik-K2.txt", "Dalnett-K7.txt", "Ekstra-K0.txt"):
        shutil.copy(folder / name, first)
    book = codebook_dir / "digitalisering.yaml"
    for workers in (1, 2):
        project = tmp_path / f"p{workers}.thematic"
        _code(first, project, 1, book=book)
        _code(folder, project, workers, book=book)
    stored_one, stored_two = _store(tmp_path / "p1.thematic"), _store(tmp_path / "p2.thematic")
    for table in stored_one:
        assert stored_one[table] == stored_two[table], table


def test_two_workers_raise_what_one_worker_raises(tmp_path, sample_dir, codebook_dir):
    folder = _folder(tmp_path, sample_dir)
    book = codebook_dir / "digitalisering.yaml"
    errors = []
    for workers in (1, 2):
        with pytest.raises(IngestError) as strict:
            _code(folder, tmp_path / f"strict{workers}.thematic", workers, book=book, strict=True)
        errors.append(str(strict.value).replace(str(folder), "<f>"))
    assert errors[0] == errors[1] and "[T015]" in errors[0]

    (folder / "Tom.txt").unlink()
    (folder / "Langt-K1.txt").write_text("K1: Vi har en plan.\n\nK1: " + "x" * 1500 + "\n", encoding="utf-8")
    messages = []
    for workers in (1, 2):
        with pytest.raises(PipelineError) as long_word:
            _code(folder, tmp_path / f"long{workers}.thematic", workers, book=book)
        messages.append(str(long_word.value).replace(str(folder), "<f>"))
    assert messages[0] == messages[1] and "[N002]" in messages[0] and "Langt-K1" in messages[0]


def test_thematic_code_with_two_workers_streams_the_folder(tmp_path, sample_dir, codebook_dir):
    """``thematic code --workers 2`` stores and codes what one worker does, reports the folder's problems and
    what was added, and makes no project file for a folder that is not there."""
    from typer.testing import CliRunner

    from thematic.cli import app

    folder = _folder(tmp_path, sample_dir)
    book = str(codebook_dir / "digitalisering.yaml")
    outputs = []
    for workers in ("1", "2"):
        result = CliRunner().invoke(app, ["code", str(folder), "-c", book, "-p", str(tmp_path / f"cli{workers}.thematic"),
                                          "--workers", workers])
        assert result.exit_code == 0, result.output
        outputs.append(result.output.split("codings in")[0])  # problems and what was added (the table names the file)
    assert outputs[0] == outputs[1]
    assert "[T029]" in outputs[0] and "[T001]" in outputs[0] and "documents: 12 added, 0 updated, 0 unchanged;" in outputs[0]
    stored = [_store(tmp_path / f"cli{w}.thematic") for w in ("1", "2")]
    assert stored[0]["codings"] == stored[1]["codings"] and len(stored[0]["codings"]) > 100
    missing = CliRunner().invoke(app, ["code", str(tmp_path / "nowhere"), "-c", book, "-p", str(tmp_path / "n.thematic")])
    assert missing.exit_code != 0 and "[T008]" in missing.output and not (tmp_path / "n.thematic").exists()
