"""A research group on one project: PostgreSQL locations, credentials, lost servers, several coders
at once, the conflict rule and ``thematic copy`` between engines.

Tests taking ``project_factory`` run on both engines; the PostgreSQL ones use the session's
throwaway server (conftest.py) and skip locally when PostgreSQL is not installed.
"""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import warnings

import pytest
from typer.testing import CliRunner

import thematic as th
from thematic.cli import app
from thematic.errors import SchemaVersionError, StoreError, ThematicWarning
from thematic.store import copy_project
from thematic.store.engine import parse_target
from thematic.transcripts import ingest_text

TEXT = ("Intervjuer: Har dere et målbilde?\n"
        "K2: Nei, vi har ingen målbilde. Strategien er nyttig.\n\n"
        "Vi deler erfaringer i nettverket. Strategien gir retning.\n")
LONG = "K3: " + " ".join(f"Setning {i} om digitalisering i Fjordvik kommune." for i in range(400)) + "\n"


def _project(location, book, long: bool = True):
    p = th.Project.open(location)
    p.add([ingest_text(TEXT, doc_id="Fjordvik-K2", case="Fjordvik")]
          + ([ingest_text(LONG, doc_id="Fjordvik-K3", case="Fjordvik")] if long else []))
    p.add_codebook(book)
    return p


# -- locations and credentials --------------------------------------------------------------------------------

def test_urls_are_parsed_and_printed_without_password():
    t = parse_target("postgresql://ida:hemmelig@db.fjordvik.example:5433/studie?schema=k2&sslmode=require")
    assert t.kind == "postgresql" and t.schema == "k2" and t.host == "db.fjordvik.example"
    assert "hemmelig" not in t.display and t.display.startswith("postgresql://ida@db.fjordvik.example:5433/studie")
    assert "schema" not in t.conninfo and "sslmode=require" in t.conninfo
    assert "hemmelig" not in parse_target("postgres://db/x?password=hemmelig").display
    assert parse_target("work/study.thematic").kind == "sqlite"
    with pytest.raises(StoreError, match=r"\[S016\].*mysql"):
        th.Project.open("mysql://root@localhost/study")
    with pytest.raises(StoreError, match=r"\[S017\].*schema name"):
        th.Project.open("postgresql://localhost/study?schema=Robert'); DROP TABLE x;--")


def test_an_unreachable_server_is_an_error_not_a_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(StoreError) as caught:
        th.Project.open("postgresql://ida:hemmelig@127.0.0.1:1/studie")
    message = str(caught.value)
    assert "[S018]" in message and "127.0.0.1" in message and "studie" in message and "hemmelig" not in message
    assert list(tmp_path.iterdir()) == []  # no folder named postgresql: (the old behaviour)
    result = CliRunner().invoke(app, ["status", "postgresql://ida:hemmelig@127.0.0.1:1/studie"])
    assert result.exit_code == 2 and "S018" in result.output and "hemmelig" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_credentials_from_pg_environment_and_pgpass(pg_server, tmp_path, monkeypatch, book):
    import psycopg

    with psycopg.connect(pg_server.url("thematic_tests"), autocommit=True) as conn:
        conn.execute("DROP ROLE IF EXISTS kari")
        conn.execute("CREATE ROLE kari LOGIN PASSWORD 'Fjord-Vik-42' CREATEDB")
        conn.execute("GRANT CREATE ON DATABASE thematic_tests TO kari")
    hba = pg_server.folder / "data" / "pg_hba.conf"
    hba.write_text("host all kari 127.0.0.1/32 scram-sha-256\n" + hba.read_text())
    with psycopg.connect(pg_server.url(), autocommit=True) as conn:
        conn.execute("SELECT pg_reload_conf()")
    url = f"postgresql://kari@127.0.0.1:{pg_server.port}/thematic_tests?schema=kari_study"
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    with pytest.raises(StoreError, match="S018"):
        th.Project.open(url)  # no password anywhere
    with pytest.raises(StoreError) as caught:
        th.Project.open(url.replace("kari@", "kari:Galt-Passord@"))
    assert "Galt-Passord" not in str(caught.value) and "thematic_tests" in str(caught.value)
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"127.0.0.1:{pg_server.port}:thematic_tests:kari:Fjord-Vik-42\n")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    with th.Project.open(url) as p:  # ~/.pgpass (here PGPASSFILE)
        p.add([ingest_text(TEXT, doc_id="Fjordvik-K2", case="Fjordvik")])
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    for name, value in {"PGHOST": "127.0.0.1", "PGPORT": str(pg_server.port), "PGUSER": "kari",
                        "PGPASSWORD": "Fjord-Vik-42", "PGDATABASE": "thematic_tests"}.items():
        monkeypatch.setenv(name, value)
    with th.Project.open("postgresql://?schema=kari_study") as p:  # all from PG* variables
        assert [d.doc_id for d in p.documents] == ["Fjordvik-K2"]
        assert "Fjord-Vik-42" not in repr(p) + p.path
        stored = " ".join(str(v) for t in ("events", "memos") for v in p._conn.frame(f"SELECT * FROM {t}").values.ravel())
        assert "Fjord-Vik-42" not in stored


def test_postgresql_schema_checks(pg_server):
    import psycopg

    url = pg_server.url("thematic_tests", schema="foreign_tables")
    with psycopg.connect(pg_server.url("thematic_tests"), autocommit=True) as conn:
        conn.execute("CREATE SCHEMA foreign_tables")
        conn.execute("CREATE TABLE foreign_tables.orders (id int)")
    with pytest.raises(StoreError, match="another program"):
        th.Project.open(url)
    with pytest.raises(StoreError, match="holds no thematic project"):
        th.Project.open(pg_server.url("thematic_tests", schema="never_made"), create=False)
    newer = pg_server.url("thematic_tests", schema="newer")
    th.Project.open(newer).close()
    with psycopg.connect(pg_server.url("thematic_tests"), autocommit=True) as conn:
        conn.execute("INSERT INTO newer.migrations VALUES (999, 'from the future', 'x')")
    with pytest.raises(SchemaVersionError, match="newer thematic"):
        th.Project.open(newer)
    with th.Project.open(pg_server.url("thematic_tests", schema="fresh")) as p:
        versions = p._conn.frame("SELECT version FROM migrations ORDER BY version").version.tolist()
        assert versions == list(range(1, th.store.SCHEMA_VERSION + 1)) and p.engine == "postgresql"


def test_a_server_that_goes_away_mid_session(pg_server, book):
    import psycopg

    url = pg_server.url("thematic_tests", schema="lost_server")
    p = _project(url, book)
    first = p.code("Fjordvik-K2", quote="vi har ingen målbilde", code="target_picture.unclear", coder="ida")
    with psycopg.connect(pg_server.url("thematic_tests"), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'thematic' "
                      "AND pid <> pg_backend_pid()")
    with pytest.raises(StoreError) as caught:
        p.code("Fjordvik-K2", quote="Strategien er nyttig", code="strategy.useful", coder="ida")
    assert "[S018]" in str(caught.value) and "thematic_tests" in str(caught.value)
    # the next action reconnects; what was committed is there, the failed action left nothing
    second = p.code("Fjordvik-K2", quote="Strategien er nyttig", code="strategy.useful", coder="ida")
    assert set(p.codings.coding_id) == {first, second}
    assert (p.events.action == "code").sum() == 2
    p.close()
    with pytest.raises(StoreError, match="the project is closed"):  # closed on purpose: no silent reconnect
        p.codings


# -- several coders ------------------------------------------------------------------------------------------

def _coder(location: str, who: str, n: int, barrier) -> None:
    p = th.Project.open(location)
    barrier.wait(60)
    doc = "Fjordvik-K3"
    for i in range(n):
        start = 4 + 53 * i
        cid = p.code(doc, start=start, end=start + 10, code="learning.sharing", coder=who)
        assert p.code(doc, start=start, end=start + 10, code="learning.sharing", coder=who) == cid  # a retry
        if i % 10 == 9:
            assert p.undo(coder=who) == ["code"]  # only this coder's last action
    p.close()


def test_several_coder_processes_lose_nothing(project_factory, book):
    location = project_factory("team")
    p = _project(location, book)
    ctx = multiprocessing.get_context("spawn")
    coders, n = ["ida", "ola", "kari", "per"], 30
    barrier = ctx.Barrier(len(coders))
    procs = [ctx.Process(target=_coder, args=(location, who, n, barrier)) for who in coders]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(240)
        assert proc.exitcode == 0
    codings = p.codings
    undone = n // 10
    assert codings.coder.value_counts().to_dict() == {who: n - undone for who in coders}
    for who in coders:  # each coder's undos removed exactly their own 10th, 20th and 30th coding
        starts = sorted(codings[codings.coder == who].start)
        assert starts == [4 + 53 * i for i in range(n) if i % 10 != 9]
    events = p.events
    assert (events.action == "code").sum() == len(coders) * n and (events.action == "undo").sum() == len(coders) * undone
    assert not codings.duplicated(["doc_id", "start", "end", "code", "coder"]).any()
    p.close()


def _autocoder(location: str, barrier) -> None:
    p = th.Project.open(location)
    barrier.wait(60)
    p.autocode(p.codebook)
    p.close()


def test_two_rule_coding_runs_do_not_interleave(project_factory, book):
    location = project_factory("rules")
    p = _project(location, book, long=False)
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(2)
    procs = [ctx.Process(target=_autocoder, args=(location, barrier)) for _ in range(2)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(240)
        assert proc.exitcode == 0
    alone = th.Project.open(project_factory("alone"))
    alone.add(p.documents)
    alone.autocode(book)
    key = ["doc_id", "start", "end", "code"]
    together = p.codings[key].astype(str).sort_values(key).reset_index(drop=True)
    assert together.equals(alone.codings[key].astype(str).sort_values(key).reset_index(drop=True))
    assert len(p.review_queue()) == len(alone.review_queue()) > 0
    alone.close()
    p.close()


def test_the_first_to_save_wins_and_the_conflict_is_logged(project_factory, book):
    location = project_factory("conflict")
    ida, ola = _project(location, book), th.Project.open(location)
    ida.autocode(book)
    queue = ida.review_queue()
    a, b, c = (int(i) for i in queue.coding_id[:3])
    ola.reject([a], coder="ola")  # ola saves first ...
    with pytest.warns(ThematicWarning, match=r"\[S020\] Accept by ida was not applied to coding .*ola"):
        assert ida.accept([a, b], coder="ida") == [b]  # ... so ida's accept of the same coding is not applied
    codings = ida.codings_frame(statuses=("active", "pending", "rejected"), include_suggestions=True)
    status = codings.set_index("coding_id").status
    assert status[a] == "rejected" and status[b] == "active"
    conflict = ida.events[ida.events.action == "conflict"].iloc[-1]
    assert conflict.coder == "ida" and '"changed_by": "ola"' in conflict.payload
    ida.reject([b], coder="ida")  # ida's own change of mind is not a conflict
    ida.uncode(c, coder="ida")
    with pytest.warns(ThematicWarning, match=r"\[S020\] Accept by ola .* ida changed it to 'rejected'"):
        assert ola.accept([b], coder="ola") == []  # ida rejected b first: ola's accept is not applied ...
    assert ola.accept([b], coder="ola") == [b]  # ... until ola, having been warned, accepts again
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert ida.undo(coder="ida") == ["uncode"]  # restores c: nobody touched it since
    assert ola.undo(2, coder="ola") == ["accept", "reject"]  # only ola's, though ida acted in between
    status = ida.codings_frame(statuses=("active", "pending", "rejected", "removed"),
                               include_suggestions=True).set_index("coding_id").status
    assert status[a] == "pending" and status[b] == "rejected" and status[c] == "pending"
    ida.close()
    ola.close()


def test_undo_leaves_codings_another_coder_changed_since(project_factory, book):
    location = project_factory("undo_conflict")
    p, ola = _project(location, book), th.Project.open(location)
    result = p.autocode(book)
    first = int(p.review_queue().coding_id.iloc[0])
    ola.accept([first], coder="ola")  # ola accepts one of the rule run's codings
    ida = p.code("Fjordvik-K2", quote="vi har ingen målbilde", code="target_picture.unclear", coder="ida")
    with pytest.warns(ThematicWarning, match=r"\[S020\] Undo by rules@.* ola changed it to 'active' first"):
        assert p.undo(coder=book.coder_name) == ["autocode"]  # the rule run, though two people acted since
    remaining = p.codings.set_index("coding_id")
    assert set(remaining.index) == {first, ida} and result["new"] > 1
    assert remaining.loc[first, "reviewed_by"] == "ola" and remaining.loc[first, "status"] == "active"
    assert '"action": "undo"' in p.events[p.events.action == "conflict"].payload.iloc[-1]
    p.close()
    ola.close()


# -- copying between engines ---------------------------------------------------------------------------------

def test_copy_round_trips_the_sample_project_sqlite_postgresql_sqlite(pg_server, tmp_path, sample_dir, book):
    first = tmp_path / "laptop.thematic"
    with th.Project.open(first) as p:
        p.add(th.ingest(sample_dir))
        p.autocode(book)
        queue = p.review_queue()
        p.accept(queue.coding_id[:5], coder="ida")
        p.reject(queue.coding_id[5:8], coder="ida")
        p.code("Fjordvik-K2", quote="vi har ingen målbilde", code="target_picture.unclear", coder="ola",
               memo="Tydelig: ingen målbilde.")
        p.memo("Felles kodebok for gruppa", code="strategy", coder="ola")
        p.undo(coder="ida")
    server = pg_server.url("thematic_tests", schema="group_server")
    runner = CliRunner()
    result = runner.invoke(app, ["copy", str(first), server], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "verified" in result.output and "codings" in result.output
    back = tmp_path / "back.thematic"
    report = copy_project(server, back)
    assert set(report.tables) >= {"documents", "segments", "codebooks", "codings", "rejections", "memos", "events",
                                  "coding_memory"}
    with th.Project.open(first) as a, th.Project.open(server) as b, th.Project.open(back) as c:
        for other in (b, c):
            assert a.codings.equals(other.codings)
            assert a.events.equals(other.events) and a.memos.equals(other.memos)
            assert a.review_queue().equals(other.review_queue())
            assert [d.text for d in a.documents] == [d.text for d in other.documents]
        # the copy on the server goes on where the laptop stopped: new ids follow the copied ones
        new = b.code("Fjordvik-K2", quote="Strategien har gitt oss en felles retning", code="strategy.useful",
                     coder="kari")
        assert new > int(a.codings.coding_id.max())
        saved = b.backup(tmp_path / "server-backup.thematic")  # a one-file backup of the server's project
    assert not (tmp_path / "server-backup.thematic-wal").exists()
    with th.Project.open(saved) as d, th.Project.open(server) as b:
        assert d.codings.equals(b.codings) and d.events.equals(b.events)
    assert sqlite3.connect(back).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    result = runner.invoke(app, ["status", server], env={"COLUMNS": "200"})
    assert result.exit_code == 0 and "kari" in result.output and "postgresql://" in result.output
    result = runner.invoke(app, ["copy", str(first), server])  # never over a project with data
    assert result.exit_code == 2 and "S021" in result.output and "already holds" in result.output


def test_copy_refuses_a_missing_source_and_keeps_nothing_half_written(project_factory, tmp_path, book):
    with pytest.raises(StoreError, match="no such file|holds no thematic project"):
        copy_project(tmp_path / "nowhere.thematic", tmp_path / "dest.thematic")
    source = project_factory("source")
    with _project(source, book) as p:
        p.code("Fjordvik-K2", quote="vi har ingen målbilde", code="target_picture.unclear", coder="ida")
    dest = tmp_path / "copy.thematic"
    report = copy_project(source, dest)
    assert report.tables["codings"][0] == 1 and report.tables["documents"][0] == 2
    with pytest.raises(StoreError, match="already holds"):
        copy_project(source, dest)
    with th.Project.open(dest) as d:
        assert len(d.codings) == 1 and len(d.events) == 2  # the refused second copy added nothing


def test_cli_takes_a_url_wherever_it_takes_a_project(pg_server, sample_dir, codebook_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    url = pg_server.url("thematic_tests", schema="cli_project")
    result = CliRunner().invoke(app, ["code", str(sample_dir), "--codebook", str(codebook_dir / "digitalisering.yaml"),
                                      "--project", url], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "rules@digitalisering:1.0.0" in result.output
    result = CliRunner().invoke(app, ["status", url], env={"COLUMNS": "200"})
    assert result.exit_code == 0 and "wait for review" in result.output
    assert os.listdir(tmp_path) == []  # nothing local, no folder named postgresql:
