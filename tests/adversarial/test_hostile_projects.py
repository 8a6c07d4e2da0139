"""Project files copied while open, unreadable -wal files, read-only places, full disks, emptied files."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from typer.testing import CliRunner

import thematic as th
from thematic.cli import app
from thematic.errors import StoreError
from thematic.store import engine as project_module  # the SQLite file checks live in store/engine.py
from thematic.store.schema import APPLICATION_ID

pytestmark = pytest.mark.timeout(60)


@pytest.fixture(scope="module")
def corpus(sample_dir):
    return th.ingest(sample_dir)


def test_backup_while_open_holds_everything_a_plain_copy_misses(tmp_path, corpus):
    path = tmp_path / "p.thematic"
    project = th.Project.open(path)
    project.add(corpus)
    shutil.copy(path, tmp_path / "naive.thematic")  # what a careless user does: the WAL is not in it
    with th.Project.open(tmp_path / "naive.thematic") as naive:
        assert len(naive.documents) < len(corpus.documents)
    written = project.backup(tmp_path / "backup.thematic")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("backup")) == ["backup.thematic"]
    with th.Project.open(written) as copy:
        assert len(copy.documents) == len(corpus.documents)
    with pytest.raises(StoreError, match=r"\[S012\].*exists"):
        project.backup(written)
    with pytest.raises(StoreError, match=r"\[S012\].*project itself"):
        project.backup(path, overwrite=True)
    project.close()
    assert not (tmp_path / "p.thematic-wal").exists()  # checkpointed on close: the file alone is the project
    shutil.copy(path, tmp_path / "after_close.thematic")
    with th.Project.open(tmp_path / "after_close.thematic") as copy:
        assert len(copy.documents) == len(corpus.documents)


def test_cli_backup(tmp_path, corpus):
    with th.Project.open(tmp_path / "p.thematic") as project:
        project.add(corpus)
        result = CliRunner().invoke(app, ["backup", str(tmp_path / "p.thematic"), str(tmp_path / "b.thematic")])
        assert result.exit_code == 0, result.output
    with th.Project.open(tmp_path / "b.thematic") as copy:
        assert len(copy.documents) == len(corpus.documents)
    result = CliRunner().invoke(app, ["backup", str(tmp_path / "none.thematic"), str(tmp_path / "c.thematic")])
    assert result.exit_code == 2 and "[S001]" in result.output and not (tmp_path / "none.thematic").exists()


def test_unreadable_wal_beside_the_project_is_named(tmp_path):
    path = tmp_path / "p.thematic"
    th.Project.open(path).close()
    (tmp_path / "p.thematic-wal").mkdir()  # unreadable as a file (permissions do not stop root)
    with pytest.raises(StoreError, match=r"\[S013\].*p\.thematic-wal"):
        th.Project.open(path)


def test_project_deleted_while_open_leaves_sidecars_that_a_new_project_moves_aside(tmp_path, corpus):
    """A notebook deletes its old project file and opens a new one at the same path (seen as 'disk I/O error')."""
    path = tmp_path / "p.thematic"
    old = th.Project.open(path)
    old.add(corpus)
    wal = tmp_path / "p.thematic-wal"
    assert wal.exists() and wal.stat().st_size > 0
    path.unlink()  # while open (a kernel still holds it): the -wal and -shm stay behind
    with pytest.warns(th.errors.ThematicWarning, match=r"\[W004\].*p\.thematic-wal.*moved aside"):
        project = th.Project.open(path)
    project.add(corpus)  # the new project works
    assert len(project.segments) == len(corpus.segments)
    project.close()
    assert sorted(p.name.split(".orphaned-")[0] for p in tmp_path.glob("*.orphaned-*")) == [
        "p.thematic-shm", "p.thematic-wal"]  # moved, never deleted


@pytest.mark.parametrize("what", ["file", "folder"])
def test_read_only_project_or_folder_is_a_coded_error_and_leaves_no_sidecars(tmp_path, monkeypatch, what):
    path = tmp_path / "p.thematic"
    th.Project.open(path).close()
    real = project_module.os.access
    target = path if what == "file" else tmp_path

    def access(p, mode):
        return False if str(p) == str(target) and mode == project_module.os.W_OK else real(p, mode)

    monkeypatch.setattr(project_module.os, "access", access)
    with pytest.raises(StoreError, match=r"\[S014\].*read-only"):
        th.Project.open(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.thematic"]


def test_sqlite_refusing_to_write_is_a_coded_error(tmp_path, monkeypatch, corpus):
    path = tmp_path / "p.thematic"
    th.Project.open(path).close()
    real = sqlite3.connect

    def read_only(database, *args, **kwargs):
        return real(f"file:{database}?mode=ro", *args, uri=True, **kwargs)

    monkeypatch.setattr(project_module.sqlite3, "connect", read_only)
    with th.Project.open(path) as project:
        with pytest.raises(StoreError, match=r"\[S014\].*read-only"):
            project.add(corpus)
        assert len(project.documents) == 0


def test_full_disk_while_adding_keeps_what_was_stored(tmp_path, corpus):
    with th.Project.open(tmp_path / "p.thematic") as project:
        project.add(corpus.documents[:1])
        pages = project._conn.execute("PRAGMA page_count").fetchone()[0]
        project._conn.execute(f"PRAGMA max_page_count = {pages + 1}")  # SQLite's own "disk is full"
        with pytest.raises(StoreError, match=r"\[S015\].*disk is full"):
            project.add(corpus.documents[1:])
        assert len(project.documents) == 1


def test_file_with_thematic_id_but_no_tables_is_s001(tmp_path):
    path = tmp_path / "emptied.thematic"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    with pytest.raises(StoreError, match=r"\[S001\].*lacks the project tables"):
        th.Project.open(path)


@pytest.mark.parametrize("content", [b"", b"SQLite format 3\x00" + b"\xff" * 200, b"hello" * 1000])
def test_garbage_project_files(tmp_path, content):
    path = tmp_path / "g.thematic"
    path.write_bytes(content)
    if not content:  # an empty file is a new project
        th.Project.open(path).close()
        return
    with pytest.raises(StoreError, match=r"\[S001\]"):
        th.Project.open(path)


def test_quick_check_runs_unless_the_file_is_as_a_clean_close_left_it(tmp_path, corpus, monkeypatch):
    """Opening skips PRAGMA quick_check (it reads the whole file) only for a file unchanged since thematic
    closed it cleanly; a file damaged since, or never closed cleanly here, is checked and refused."""
    from thematic.store import engine

    checks = []
    real = engine.quick_check
    monkeypatch.setattr(engine, "quick_check", lambda raw: checks.append(1) or real(raw))
    path = tmp_path / "p.thematic"
    with th.Project.open(path) as project:
        project.add(corpus)
    with th.Project.open(path) as project:  # as the close left it: not read again
        assert len(project.documents) == len(corpus.documents)
    assert checks == []
    raw = sqlite3.connect(path)
    raw.execute("INSERT INTO meta (key, value) VALUES ('note', 'another program wrote here')")
    raw.commit()
    raw.close()
    th.Project.open(path).close()
    assert checks == [1]
    data = bytearray(path.read_bytes())
    data[-4096] = 0x07  # the last page gets a nonsense page type: same size, only a full check sees it
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match=r"\[S001\]"):
        th.Project.open(path)
    assert len(checks) == 2
