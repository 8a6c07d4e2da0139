"""The project store: manual coding, review, undo, re-anchoring, concurrency and crash safety.

Tests taking the ``project`` or ``project_factory`` fixture run on both engines (SQLite and a
throwaway PostgreSQL, see conftest.py); the ones about the SQLite file itself take ``tmp_path``.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest
from typer.testing import CliRunner

import thematic as th
from thematic.cli import app
from thematic.errors import CodebookError, NotFoundError, QuoteError, SchemaVersionError, StoreError
from thematic.transcripts import ingest_text

TEXT = ("Intervjuer: Har dere et målbilde?\n"
        "K2: Nei, vi har ingen målbilde. Strategien er nyttig.\n\n"
        "Vi deler erfaringer i nettverket. Strategien gir retning.\n")


@pytest.fixture
def project(project_factory, book):
    p = th.Project.open(project_factory("study"))
    p.add([ingest_text(TEXT, doc_id="Fjordvik-K2", case="Fjordvik")])
    p.add_codebook(book)
    yield p
    p.close()


def test_open_creates_file_and_folders(tmp_path):
    path = tmp_path / "deep" / "er" / "p.thematic"
    with th.Project.open(path) as p:
        assert "documents=0" in repr(p)
    assert path.is_file()
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("PRAGMA user_version").fetchone()[0] == th.store.SCHEMA_VERSION


def test_manual_coding_by_quote_offsets_and_segment(project):
    a = project.code("Fjordvik-K2", quote="vi har ingen målbilde", code="target_picture.unclear", coder="ida")
    doc = project.document("Fjordvik-K2")
    start = doc.text.index("Strategien er nyttig")
    b = project.code("Fjordvik-K2", start=start, end=start + 20, code="strategy.useful", coder="ida")
    c = project.code("Fjordvik-K2", segment_id="Fjordvik-K2:2", code="learning.sharing", coder="ola")
    codings = project.codings.set_index("coding_id")
    assert codings.loc[a, "text"] == "vi har ingen målbilde" and codings.loc[a, "source"] == "manual"
    assert codings.loc[a, "speaker"] == "K2" and codings.loc[a, "theme"] == "target_picture"
    assert codings.loc[b, "text"] == "Strategien er nyttig"
    assert codings.loc[c, "text"].startswith("Vi deler") and codings.loc[c, "coder"] == "ola"
    assert codings.loc[a, "line_start"] == 2 and codings.loc[c, "line_start"] == 4


@pytest.mark.parametrize("kwargs,error,message", [
    ({"quote": "finnes ikke her"}, QuoteError, "Quote not found"),
    ({"quote": "Strategien"}, QuoteError, "occurs 2 times"),
    ({"quote": "målbilde", "code": "target_picture.uklar"}, CodebookError, "Close matches: target_picture.unclear"),
    ({"quote": "målbilde", "doc": "Nowhere-K9"}, NotFoundError, "Nowhere-K9"),
    ({"start": 5, "end": 99999}, StoreError, "outside document"),
    ({"quote": "målbilde", "coder": ""}, StoreError, "coder name is required"),
    ({"segment_id": "Fjordvik-K2:99"}, NotFoundError, "Segment"),
])
def test_manual_coding_errors(project, kwargs, error, message):
    args = {"code": "strategy", "coder": "ida", **kwargs}
    doc = args.pop("doc", "Fjordvik-K2")
    if "målbilde" == args.get("quote") and "code" not in kwargs and "coder" not in kwargs:
        args["occurrence"] = 1
    with pytest.raises(error, match=message):
        project.code(doc, **args)


def test_coding_the_same_span_again_is_idempotent(project):
    first = project.code("Fjordvik-K2", quote="vi har ingen målbilde", code="target_picture.unclear", coder="ida")
    again = project.code("Fjordvik-K2", quote="vi har ingen målbilde", code="target_picture.unclear", coder="ida")
    other = project.code("Fjordvik-K2", quote="vi har ingen målbilde", code="target_picture.unclear", coder="ola")
    assert again == first != other and len(project.codings) == 2
    assert (project.events.action == "code").sum() == 2


def test_ambiguous_quote_with_occurrence(project):
    second = project.code("Fjordvik-K2", quote="Strategien", occurrence=2, code="strategy", coder="ida")
    doc = project.document("Fjordvik-K2")
    assert project.codings.set_index("coding_id").loc[second, "start"] == doc.text.rindex("Strategien")


def test_uncode_memos_and_undo(project):
    cid = project.code("Fjordvik-K2", quote="vi har ingen målbilde", code="target_picture.unclear", coder="ida",
                       memo="Klar mangel på målbilde")
    project.memo("Viktig kode", code="target_picture.unclear", coder="ida")
    project.memo("Godt intervju", doc_id="Fjordvik-K2", coder="ida")
    memos = project.memos
    assert set(memos.target_kind) == {"coding", "code", "document"}
    project.uncode(cid, coder="ida")
    assert cid not in set(project.codings.coding_id)
    assert project.undo() == ["uncode"]
    assert cid in set(project.codings.coding_id)
    assert project.undo(3) == ["memo", "memo", "code"]
    assert project.codings.empty and project.memos.empty
    with pytest.raises(StoreError, match="Nothing to undo|cannot be undone"):
        project.undo(5)


def test_autocode_never_overwrites_people_and_remembers_rejections(project, book):
    doc = project.document("Fjordvik-K2")
    sentence = "Nei, vi har ingen målbilde."
    start = doc.text.index(sentence)
    manual = project.code("Fjordvik-K2", start=start, end=start + len(sentence), code="target_picture.unclear",
                          coder="ida")
    first = project.autocode(book)
    assert first["skipped"] >= 1  # the rule coding of the same span and code defers to ida's
    codings = project.codings
    same = codings[(codings.start == start) & (codings.code == "target_picture.unclear")]
    assert list(same.coding_id) == [manual] and same.iloc[0].coder == "ida"
    queue = project.review_queue()
    assert len(queue) == first["new"] and set(queue.source) == {"rule"}
    rejected, accepted = int(queue.coding_id.iloc[0]), int(queue.coding_id.iloc[1])
    project.reject(rejected, coder="ida")
    project.accept([accepted], coder="ola")
    again = project.autocode(book)
    assert again["new"] == 0 and again["skipped"] >= 3
    codings = project.codings.set_index("coding_id")
    assert rejected not in codings.index
    # accepting keeps the rule as author and records ola as reviewer
    assert codings.loc[accepted, "source"] == "rule" and codings.loc[accepted, "coder"].startswith("rules@")
    assert codings.loc[accepted, "reviewed_by"] == "ola" and codings.loc[accepted, "reviewed_at"]
    assert codings.loc[manual, "coder"] == "ida"
    # undo the accept and the reject: both codings wait for review again
    assert project.undo(3) == ["autocode", "accept", "reject"]
    queue = project.review_queue()
    assert {rejected, accepted} <= set(queue.coding_id)


def test_autocode_after_codebook_edit_replaces_only_pending_rule_codings(project, book, tmp_path):
    project.autocode(book)
    manual = project.code("Fjordvik-K2", quote="vi har ingen målbilde", code="target_picture.unclear", coder="ida")
    edited = th.Codebook.loads(book.source_text.replace('nb: ["*strategi", "strategi*"]', 'nb: ["strategiX"]'))
    result = project.autocode(edited)
    assert result["replaced"] > 0
    codings = project.codings
    assert not ((codings.code == "strategy") & (codings.source == "rule")).any()
    assert manual in set(codings.coding_id)


def test_reingest_reanchors_codings(project):
    ids = {
        "moved": project.code("Fjordvik-K2", quote="vi har ingen målbilde", code="target_picture.unclear", coder="ida"),
        "edited": project.code("Fjordvik-K2", quote="Vi deler erfaringer i nettverket.", code="learning.sharing",
                               coder="ida"),
        "deleted": project.code("Fjordvik-K2", quote="Strategien gir retning.", code="strategy.useful", coder="ida"),
    }
    new_text = ("Intervjuer: Har dere et målbilde for skolen?\n"
                "K2: Tja. Et nytt avsnitt her.\n\n"
                "K2: Nei, vi har ingen målbilde. Strategien er nyttig.\n\n"
                "Vi deler erfaringar i nettverket.\n")
    report = project.add([ingest_text(new_text, doc_id="Fjordvik-K2", case="Fjordvik")])
    assert report.updated == ["Fjordvik-K2"] and report.reanchored == 2
    assert list(report.unplaced.coding_id) == [ids["deleted"]]
    assert list(report.unplaced.columns) == ["coding_id", "doc_id", "code", "coder", "quote"]
    assert report.describe() == ("documents: 0 added, 1 updated, 0 unchanged; "
                                 "codings re-anchored: 2, could not be placed: 1")
    codings = project.codings.set_index("coding_id")
    assert codings.loc[ids["moved"], "text"] == "vi har ingen målbilde"
    assert new_text[codings.loc[ids["moved"], "start"]:codings.loc[ids["moved"], "end"]] == "vi har ingen målbilde"
    assert codings.loc[ids["moved"], "line_start"] == 4
    assert "erfaringar" in codings.loc[ids["edited"], "text"]
    assert ids["deleted"] not in codings.index
    assert list(project.unplaced.coding_id) == [ids["deleted"]]


def test_first_coding_streamed_from_files_does_not_import_pandas(tmp_path, sample_dir, codebook_dir):
    script = textwrap.dedent(f"""
        import sys
        import thematic as th
        from thematic.transcripts import iter_documents
        book = th.Codebook.load({str(codebook_dir / "digitalisering.yaml")!r})
        with th.Project.open({str(tmp_path / "p.thematic")!r}) as p:
            result = p.autocode(book, documents=iter_documents({str(sample_dir)!r}))
        print(result["new"] > 0, result["added"].describe(), "pandas" in sys.modules)
        print(len(result["added"].unplaced), "pandas" in sys.modules)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    first, second = out.splitlines()
    assert first.startswith("True documents: ") and first.endswith(" updated, 0 unchanged False")
    assert second == "0 True"  # the table of unplaced codings is made when asked for


def _writer(path: str, who: str, n: int) -> None:
    p = th.Project.open(path)
    for i in range(n):  # distinct spans: coding one span twice is idempotent
        p.code("Fjordvik-K2", start=i, end=i + 5, code="target_picture.unclear", coder=who)
    p.close()


def test_two_processes_write_to_one_project(project):
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(project.path, who, 40)) for who in ("ida", "ola")]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(120)
        assert proc.exitcode == 0
    counts = project.codings.coder.value_counts().to_dict()
    assert counts == {"ida": 40, "ola": 40}
    assert len(project.events) == 80 + 1  # one event per write, plus the add


KILL_SCRIPT = textwrap.dedent("""
    import sys, thematic as th
    p = th.Project.open(sys.argv[1])
    i = 0
    while True:
        # distinct spans inside the text (coding one span twice is idempotent)
        p.code("Fjordvik-K2", start=i % 100, end=i % 100 + 5 + (i // 100) % 40, code="target_picture.unclear",
               coder="crash")
        i += 1
        if i == 20:
            print("ready", flush=True)
""")


def test_killed_writer_leaves_a_readable_project(project, tmp_path, engine):
    script = tmp_path / "writer.py"
    script.write_text(KILL_SCRIPT)
    proc = subprocess.Popen([sys.executable, str(script), project.path], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    time.sleep(0.3)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    project.close()
    reopened = th.Project.open(project.path)
    if engine == "sqlite":
        assert sqlite3.connect(project.path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    n = len(reopened.codings)
    events = reopened.events
    assert n >= 20 and n == (events.action == "code").sum()  # every committed coding has its log entry
    reopened.code("Fjordvik-K2", quote="vi har ingen målbilde", code="target_picture.unclear", coder="ida")
    reopened.close()


def test_not_a_project_and_newer_schema(tmp_path):
    text_file = tmp_path / "notes.thematic"
    text_file.write_text("just some text, not a database" * 100)
    with pytest.raises(StoreError, match="not a thematic project"):
        th.Project.open(text_file)
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE x (a)")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="another program"):
        th.Project.open(other)
    newer = tmp_path / "newer.thematic"
    th.Project.open(newer).close()
    con = sqlite3.connect(newer)
    con.execute("PRAGMA user_version = 999")
    con.commit()
    con.close()
    with pytest.raises(SchemaVersionError, match="newer thematic"):
        th.Project.open(newer)


def test_full_sample_project_tables(project_factory, tmp_path, sample_dir, book):
    with th.Project.open(project_factory("s")) as p:
        p.add(th.ingest(sample_dir))
        p.autocode(book)
        codings = p.codings
        assert len(p.documents) == 8 and len(p.corpus) == 8
        assert set(codings.columns[:16]) == set(th.types.CODING_COLUMNS)
        segments, cases = th.context.tables_of(codings)
        assert "words" in segments and len(cases) == 8
        assert p.codebook.fingerprint == book.fingerprint
        assert set(p.cases["case_type"]) == {"municipality", "network"}
        copy = p.copy_for_coder(tmp_path / "blind.thematic")
        assert copy.codings.empty and len(copy.documents) == 8 and copy.codebook is not None
        copy.close()


def test_cli_code_and_status(tmp_path, sample_dir, codebook_dir):
    runner = CliRunner()
    project = tmp_path / "cli.thematic"
    result = runner.invoke(app, ["code", str(sample_dir), "--codebook", str(codebook_dir / "digitalisering.yaml"),
                                 "--project", str(project)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "rules@digitalisering:1.0.0" in result.output
    result = runner.invoke(app, ["status", str(project)], env={"COLUMNS": "200"})
    assert result.exit_code == 0 and "wait for review" in result.output
    bad = tmp_path / "bad.thematic"
    bad.write_text("nope" * 500)
    result = runner.invoke(app, ["status", str(bad)])
    assert result.exit_code == 2 and "not a thematic project" in result.output


def test_recoding_after_an_edit_reuses_memory_and_matches_a_fresh_coding(project_factory, sample_dir, book):
    from thematic.coding.incremental import code_with_memory
    from thematic.store.project import _Memory

    edited = th.Codebook.loads(book.source_text.replace(
        'nb: ["skuff", "for generell"', 'nb: ["rømningsvei", "skuff", "for generell"').replace(
        '"felles retning", "gir retning"', '"gir retning"'))
    key = ["doc_id", "start", "end", "code", "rule", "matched"]
    with th.Project.open(project_factory("a")) as a, th.Project.open(project_factory("b")) as b:
        for p in (a, b):
            p.add(th.ingest(sample_dir))
        a.autocode(book)
        a.autocode(edited)
        b.autocode(edited)
        again = a.codings[key].astype(str).sort_values(key).reset_index(drop=True)
        fresh = b.codings[key].astype(str).sort_values(key).reset_index(drop=True)
        assert again.equals(fresh)
        assert (again["matched"].str.contains("rømningsveien")).any()
        # a new Norwegian word is matched over the six Norwegian interviews' stored arrays (none is
        # parsed); the two Swedish ones are untouched by it
        newer = th.Codebook.loads(edited.source_text.replace('"rømningsvei",', '"rømningsvei", "ladeskap",'))
        _, _, stats = code_with_memory(_Memory(a), newer)
        assert stats == {"documents": 8, "parsed": 0, "matched": 6, "coded": 8}
        _, _, stats = code_with_memory(_Memory(a), edited)
        assert stats["parsed"] == 0 and stats["matched"] == 0
        # a corrected transcript is parsed again
        doc = a.document("Fjordvik-K2")
        a.add([th.Document(doc.doc_id, doc.text.replace("vi har ingen målbilde", "vi har ikke noe målbilde"),
                           doc.path, doc.format, doc.language, doc.case, doc.attributes, doc.segments, doc.line_map)])
        _, _, stats = code_with_memory(_Memory(a), edited)
        assert stats["parsed"] == 1


@pytest.mark.parametrize("typed", [
    "NEI, VI HAR INGEN MÅLBILDE",                    # case
    "Nei,  vi har\ningen målbilde",                  # spaces and a line break
    "Nei, vi har ingen ma\u030albilde",              # NFD (a + combining ring)
    "nei, vi har ingen målbilde.",
])
def test_quote_matching_forgives_typing(project, typed):
    doc = project.document("Fjordvik-K2")
    cid = project.code("Fjordvik-K2", quote=typed, code="target_picture.unclear", coder="ida")
    row = project.codings.set_index("coding_id").loc[cid]
    assert doc.text[row.start:row.end].lower().startswith("nei, vi har ingen målbilde")


def test_quote_matching_forgives_dashes_and_quote_marks(tmp_path):
    with th.Project.open(tmp_path / "q.thematic") as p:
        p.add([ingest_text("K1: Vi sa «det går bra» – og det gjorde det.\n", doc_id="D", case="D")])
        cid = p.code("D", quote='vi sa "det går bra" - og', code="x.y", coder="ida")
        row = p.codings.set_index("coding_id").loc[cid]
        assert row.text == "Vi sa «det går bra» – og"


def test_quote_not_found_shows_the_nearest_passage_and_occurrence_beyond_count(project):
    with pytest.raises(QuoteError) as caught:
        project.code("Fjordvik-K2", quote="vi har et tydelig målbilde", code="target_picture.unclear", coder="ida")
    message = str(caught.value)
    assert "[S004]" in message and 'on line 2' in message and '"Nei, vi har ingen målbilde' in message
    assert re.search(r"is \d+% alike", message)
    with pytest.raises(QuoteError, match=r"\[S022\] occurrence=3, but the quote \"Strategien\" occurs 2 time"):
        project.code("Fjordvik-K2", quote="Strategien", occurrence=3, code="strategy", coder="ida")
