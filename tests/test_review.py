"""Review keeps authorship: accept/reject record a reviewer, never a new author; old projects migrate."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

import thematic as th
from thematic.store.schema import SCHEMA_VERSION
from thematic.transcripts import ingest_text

RELEASE = Path(__file__).parent / "data" / "release_0_1_0.thematic"

TEXT = ("Intervjuer: Har dere et målbilde?\n"
        "K2: Nei, vi har ingen målbilde. Strategien er nyttig.\n\n"
        "Vi deler erfaringer i nettverket. Strategien gir retning.\n")


@pytest.fixture
def old_project(tmp_path):
    """A copy of the project file written by thematic 0.1.0 (the file itself is never changed)."""
    path = tmp_path / "old.thematic"
    shutil.copy(RELEASE, path)
    return path


def test_release_fixture_is_schema_2_with_reviewer_as_author():
    conn = sqlite3.connect(f"file:{RELEASE}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
        columns = [r[1] for r in conn.execute("PRAGMA table_info(codings)")]
        assert "reviewed_by" not in columns
        assert conn.execute("SELECT count(*) FROM codings WHERE source = 'accepted' AND coder = 'veileder'"
                            ).fetchone()[0] == 4
    finally:
        conn.close()


def test_migration_gives_accepted_codings_back_to_their_authors(old_project):
    with th.Project.open(old_project) as project:
        assert project._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 3
        codings = project.codings
        reviewed = codings[codings.reviewed_by == "veileder"]
        assert len(reviewed) == 4
        assert not (codings.source == "accepted").any() and "veileder" not in set(codings.coder)
        manual = reviewed[reviewed.source == "manual"]
        assert list(manual.coder) == ["ingrid"] and list(manual.text) == ["vi har ingen målbilde"]
        rules = reviewed[reviewed.source == "rule"]
        assert len(rules) == 3 and rules.coder.str.startswith("rules@digitalisering").all()
        assert (reviewed.status == "active").all() and (reviewed.reviewed_at != "").all()
        rejected = project.codings_frame(statuses=("rejected",))
        assert len(rejected) == 2 and set(rejected.reviewed_by) == {"veileder"}
        assert set(rejected.source) == {"rule"}
        # memos with their targets and every document survive
        assert list(project.memos.target_kind) == ["coding", "code", "document", "project"]
        assert len(project.documents) == 3
        # the old log's accept (4-field records) still undoes, restoring the pending rule codings
        assert project.undo(5) == ["memo", "memo", "memo", "reject", "accept"]
        status = project.status
        assert set(status[status.source == "rule"].status) == {"pending"}
        assert set(status[status.source == "rule"].reviewed_by) == {""}
    # opening again migrates nothing twice
    with th.Project.open(old_project) as project:
        versions = [r[0] for r in project._conn.execute("SELECT version FROM migrations ORDER BY version")]
        assert versions == list(range(1, SCHEMA_VERSION + 1))


def test_accepted_coding_without_history_keeps_source_accepted(old_project):
    conn = sqlite3.connect(old_project)
    conn.execute("DELETE FROM events")  # a copy made without its log
    conn.commit()
    conn.close()
    with th.Project.open(old_project) as project:
        codings = project.codings
        legacy = codings[codings.source == "accepted"]
        assert len(legacy) == 4 and set(legacy.reviewed_by) == {"veileder"} and set(legacy.reviewed_at) == {""}


@pytest.fixture
def project(project_factory, codebook_dir):
    p = th.Project.open(project_factory("study"))  # on SQLite and on PostgreSQL (conftest.py)
    p.add([ingest_text(TEXT, doc_id="Fjordvik-K2", case="Fjordvik")])
    p.add_codebook(th.Codebook.load(codebook_dir / "digitalisering.yaml"))
    yield p
    p.close()


def test_accept_and_reject_keep_author_and_record_reviewer(project):
    manual = project.code("Fjordvik-K2", quote="vi har ingen målbilde", code="target_picture.unclear",
                          coder="ingrid")
    project.autocode(project.codebook)
    queue = project.review_queue()
    accepted, rejected = int(queue.coding_id.iloc[0]), int(queue.coding_id.iloc[1])
    rule_coder = queue.coder.iloc[0]
    project.accept([manual, accepted], coder="veileder")
    project.reject(rejected, coder="veileder")
    codings = project.codings_frame(statuses=("active", "pending", "rejected")).set_index("coding_id")
    assert codings.loc[manual, ["coder", "source", "status", "reviewed_by"]].tolist() == [
        "ingrid", "manual", "active", "veileder"]
    assert codings.loc[accepted, ["coder", "source", "status", "reviewed_by"]].tolist() == [
        rule_coder, "rule", "active", "veileder"]
    assert codings.loc[rejected, ["coder", "source", "status", "reviewed_by"]].tolist() == [
        rule_coder, "rule", "rejected", "veileder"]
    # the log records the reviewer as the actor
    events = project.events
    assert list(events.tail(2).coder) == ["veileder", "veileder"]
    # undo gives back the coding as it was, unreviewed
    project.undo(2)
    codings = project.codings.set_index("coding_id")
    assert codings.loc[accepted, "status"] == "pending" and codings.loc[accepted, "reviewed_by"] == ""
    assert codings.loc[manual, "reviewed_by"] == "" and codings.loc[manual, "coder"] == "ingrid"


def test_agreement_counts_authors_never_reviewers(tmp_path, sample_dir):
    with th.Project.open(tmp_path / "a.thematic") as project:
        project.add(th.ingest(sample_dir))
        ref = pd.read_csv(sample_dir / "reference_codings.csv")
        ida = project.add_codings(ref, source="manual", coder="ida")
        project.add_codings(pd.read_csv(sample_dir / "second_coder_codings.csv"), source="manual", coder="ola")
        before = th.reliability.agreement(project.codings, level="theme")
        project.accept(ida[:20], coder="veileder")  # a supervisor reviews ida's coding
        codings = project.codings
        assert "veileder" not in set(codings.coder)
        after = th.reliability.agreement(codings, level="theme")
        pd.testing.assert_frame_equal(before, after)
        with pytest.raises(th.errors.ReliabilityError, match="no codings by veileder"):
            th.reliability.agreement(codings, coders=["ida", "veileder"])


def test_reviewed_mask_selects_people_and_accepted_machine_codings(project):
    from thematic.types import reviewed_mask

    project.code("Fjordvik-K2", quote="vi har ingen målbilde", code="target_picture.unclear", coder="ingrid")
    project.autocode(project.codebook)
    project.accept(project.review_queue().coding_id.iloc[:1], coder="ingrid")
    codings = project.codings
    chosen = codings[reviewed_mask(codings)]
    assert set(zip(chosen.source, chosen.reviewed_by)) == {("manual", ""), ("rule", "ingrid")}
    assert len(chosen) == 2
    assert json.loads(project.events.payload.iloc[-1])["prior"][0][1] == "pending"


def test_peoples_codings_are_never_overwritten(tmp_path, sample_dir, codebook_dir):
    """The README's promise, step by step: autocode, suggestions, import, accept, reject, rename,
    merge and undo all leave every person's coding with its author and span."""
    from thematic.suggest import suggest

    book = th.Codebook.load(codebook_dir / "digitalisering.yaml")
    with th.Project.open(tmp_path / "p.thematic") as project:
        project.add(th.ingest(sample_dir))
        project.add_codebook(book)
        ref = pd.read_csv(sample_dir / "reference_codings.csv")
        project.add_codings(ref, source="manual", coder="ida")
        project.code("Fjordvik-K2", quote="vi har ingen målbilde", code="target_picture.unclear", coder="ola")

        def people() -> dict:
            frame = project.codings_frame(statuses=("active", "pending", "rejected", "merged", "removed"))
            frame = frame[frame.coder.isin(["ida", "ola"])]
            return {int(r.coding_id): (r.coder, r.source, r.doc_id, int(r.start), int(r.end), r.text)
                    for r in frame.itertuples()}

        original = people()
        assert len(original) == len(ref) + 1
        steps = {
            "autocode": lambda: project.autocode(book),
            "suggest": lambda: suggest(project, level="theme", threshold=0.5),
            "accept": lambda: project.accept(project.review_queue().coding_id.iloc[:30].tolist()
                                             + list(original)[:5], coder="veileder"),
            "reject": lambda: project.reject(project.review_queue().coding_id.iloc[:30], coder="veileder"),
            "rename": lambda: project.rename_code("target_picture.unclear", "target_picture.vague", coder="ida"),
            "merge": lambda: project.merge_codes(["strategy.plans", "strategy.useful"], into="strategy.plans",
                                                 coder="ida"),
            "move": lambda: project.move_code("learning.sharing", parent="organisation", coder="ida"),
            "import": lambda: _import_own_export(project, tmp_path),
            "undo": lambda: assert_undone(project.undo(4), ["move_code", "merge_codes", "rename_code", "reject"]),
        }
        for name, step in steps.items():
            step()
            now = people()
            assert set(now) == set(original), name
            for coding_id, (coder, source, doc_id, start, end, text) in original.items():
                assert now[coding_id] == (coder, source, doc_id, start, end, text), (name, coding_id)
        reviewed = project.codings.set_index("coding_id").loc[list(original)[:5], "reviewed_by"]
        assert set(reviewed) == {"veileder"}


def assert_undone(done, expected):
    assert done == expected


def _import_own_export(project, tmp_path):
    path = tmp_path / "own.qdpx"
    th.refi.save_qdpx(project, path)
    with th.Project.open(tmp_path / "other.thematic") as other:
        th.refi.import_into(other, path)  # a path works as well as a loaded project
        assert len(other.codings)


def test_api_edges(project, tmp_path):
    import thematic

    names = dir(thematic)
    assert "annotations" not in names and "importlib" not in names and "Project" in names
    with pytest.raises(th.errors.CodebookError, match=r"\[S006\] Unknown code 'nosuch'"):
        project.memo("x", code="nosuch", coder="ida")
    with pytest.raises(th.errors.NotFoundError, match=r"\[S003\]"):
        project.memo("x", doc_id="nosuch", coder="ida")
    with th.Project.open(tmp_path / "bare.thematic") as bare:  # no codebook: a code nobody used is unknown too
        bare.add([ingest_text(TEXT, doc_id="Fjordvik-K2", case="Fjordvik")])
        with pytest.raises(th.errors.CodebookError, match="no coding uses this code"):
            bare.memo("x", code="nosuch", coder="ida")
        bare.code("Fjordvik-K2", quote="vi har ingen målbilde", code="mine", coder="ida")
        assert bare.memo("x", code="mine", coder="ida") >= 1
    with pytest.raises(th.errors.StoreError, match="--coder NAME"):
        project.accept([1], coder="")


def test_cli_errors_name_cli_flags(old_project):
    from typer.testing import CliRunner

    from thematic.cli import app

    result = CliRunner().invoke(app, ["agreement", str(old_project), "--coders", "ingrid"], env={"COLUMNS": "200"})
    assert result.exit_code == 2 and "--coders a,b" in result.output


def test_views_are_properties_and_old_calls_still_work(project, tmp_path):
    status = project.status
    assert list(status.columns) == ["coder", "source", "status", "reviewed_by", "codings"]
    with pytest.warns(DeprecationWarning, match=r"project.status\(\) is deprecated"):
        called = project.status()
    pd.testing.assert_frame_equal(called, pd.DataFrame(status))
    with pytest.warns(DeprecationWarning, match="unplaced"):
        assert project.unplaced().empty
    assert type(status.head()) is pd.DataFrame  # operations give plain tables
    assert isinstance(project.memos, pd.DataFrame) and isinstance(project.codebook_changes, dict)


def test_save_qdpx_returns_counts_of_what_it_wrote(old_project, tmp_path):
    with th.Project.open(old_project) as project:
        report = th.refi.save_qdpx(project, tmp_path / "out.qdpx")
        assert report.counts["documents"] == 3 and report.counts["codings"] == len(project.codings)
        assert report.counts["notes"] == len(project.memos) == 4
        assert report.counts["codes"] == len(project.codebook)
