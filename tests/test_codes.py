"""Codes change during an analysis: rename, merge, move, codebook versions, undo; people's codings kept."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

import thematic as th
from thematic.cli import app
from thematic.codebook import edit
from thematic.errors import CodebookError
from thematic.transcripts import ingest_text

TEXT = ("Intervjuer: Har dere et målbilde?\n"
        "K2: Nei, vi har ingen målbilde. Strategien er nyttig.\n\n"
        "Vi deler erfaringer i nettverket. Strategien gir retning.\n")


@pytest.fixture
def project(tmp_path, book):
    p = th.Project.open(tmp_path / "study.thematic")
    p.add([ingest_text(TEXT, doc_id="Fjordvik-K2", case="Fjordvik")])
    p.autocode(book)
    yield p
    p.close()


def _people(project):
    """A person's codings: id -> (coder, source, doc, start, end)."""
    frame = project.codings_frame(statuses=("active", "pending", "rejected", "merged"))
    frame = frame[frame.source.isin(["manual", "import"])]
    return {int(r.coding_id): (r.coder, r.source, r.doc_id, int(r.start), int(r.end)) for r in frame.itertuples()}


def test_codebook_edits_are_pure_and_bump_the_version(book):
    renamed, mapping = edit.rename(book, "target_picture.unclear", "vague")
    assert mapping == {"target_picture.unclear": "target_picture.vague"} and renamed.version == "1.0.1"
    assert renamed.get("target_picture.vague").patterns == book.get("target_picture.unclear").patterns
    assert "target_picture.unclear" in book  # the original is untouched
    moved, mapping = edit.move(book, "learning", parent="organisation")
    assert mapping["learning.sharing"] == "organisation.learning.sharing"
    assert moved.get("organisation.learning").patterns == book.get("learning").patterns
    merged, mapping = edit.merge(book, ["strategy.plans", "strategy.useful"], into="strategy.plans")
    assert mapping == {"strategy.useful": "strategy.plans"} and "strategy.useful" not in merged
    assert set(book.get("strategy.useful").patterns) <= set(merged.get("strategy.plans").patterns)
    assert edit.diff(book, merged, mapping)["merged"] == [("strategy.useful", "strategy.plans")]
    with pytest.raises(CodebookError, match="already a code"):
        edit.rename(book, "strategy.plans", "useful")
    with pytest.raises(CodebookError, match="move_code"):
        edit.rename(book, "strategy.plans", "learning.plans")
    with pytest.raises(CodebookError, match="under itself"):
        edit.move(book, "strategy", parent="strategy.plans")
    with pytest.raises(CodebookError, match="Unknown code id 'strategy.nosuch'"):
        edit.merge(book, ["strategy.nosuch", "strategy.plans"], into="strategy.plans")
    assert edit.next_version("2") == "3" and edit.next_version("1.0-beta") == "1.1-beta"
    assert edit.next_version("draft") == "draft.1"


def test_rename_moves_codings_rejections_memos_and_undoes(project):
    ida = project.code("Fjordvik-K2", quote="vi har ingen målbilde", code="target_picture.unclear", coder="ida")
    project.memo("Uklart", code="target_picture.unclear", coder="ida")
    queue = project.review_queue()
    rule = queue[queue.code == "target_picture.unclear"].coding_id.tolist()
    project.reject(rule[:1], coder="ida")
    people = _people(project)
    before = project.codings.set_index("coding_id")[["code", "theme"]]
    result = project.rename_code("target_picture.unclear", "target_picture.vague", coder="ida")
    assert result["codebook_version"] == "1.0.1" and result["codings"] >= 2
    assert project.codebook.version == "1.0.1" and "target_picture.vague" in project.codebook
    codings = project.codings.set_index("coding_id")
    assert codings.loc[ida, "code"] == "target_picture.vague" and codings.loc[ida, "coder"] == "ida"
    assert set(project.memos.target_id) == {"target_picture.vague"}
    assert project.events.action.iloc[-1] == "rename_code"
    assert project.codebook_changes["renamed"] == [("target_picture.unclear", "target_picture.vague")]
    # the rules follow the new id: coding again keeps the renamed pending codings, the rejection stays
    again = project.autocode(project.codebook)
    assert again["new"] == 0 and again["replaced"] == 0
    assert not (project.codings.code == "target_picture.unclear").any()
    assert _people(project) == people  # author and span unchanged
    # undo the re-coding, then the rename: codings, memo and codebook version as they were
    assert project.undo(2) == ["autocode", "rename_code"]
    after = project.codings.set_index("coding_id")[["code", "theme"]]
    pd.testing.assert_frame_equal(before.sort_index(), after.sort_index(), check_categorical=False)
    assert project.codebook.version == "1.0.0" and "target_picture.unclear" in project.codebook
    assert set(project.memos.target_id) == {"target_picture.unclear"}
    assert project.autocode(project.codebook)["new"] == 0  # the rejection came back with the old id


def test_merge_collapses_a_coders_same_span_but_keeps_each_author(project):
    span = dict(quote="Strategien er nyttig.")
    a = project.code("Fjordvik-K2", code="strategy.plans", coder="ida", **span)
    b = project.code("Fjordvik-K2", code="strategy.useful", coder="ida", **span)
    c = project.code("Fjordvik-K2", code="strategy.useful", coder="ola", **span)
    people = _people(project)
    result = project.merge_codes(["strategy.plans", "strategy.useful"], into="strategy.plans", coder="ida")
    assert result["collapsed"] >= 1
    codings = project.codings.set_index("coding_id")
    assert codings.loc[a, "code"] == codings.loc[c, "code"] == "strategy.plans"
    assert b not in codings.index  # ida's second coding of the same span collapsed into her first
    assert codings.loc[c, "coder"] == "ola"  # ola's coding stays his own
    merged = project.codings_frame(statuses=("merged",))
    assert b in set(merged.coding_id)
    assert _people(project) == people  # the collapsed coding keeps author and span
    assert "strategy.useful" not in project.codebook
    assert project.codebook_changes["merged"] == [("strategy.useful", "strategy.plans")]
    assert project.undo() == ["merge_codes"]
    codings = project.codings.set_index("coding_id")
    assert codings.loc[b, "code"] == "strategy.useful" and codings.loc[c, "code"] == "strategy.useful"
    assert "strategy.useful" in project.codebook and project.codebook.version == "1.0.0"


def test_move_code_changes_theme_and_undoes(project):
    ida = project.code("Fjordvik-K2", quote="Vi deler erfaringer i nettverket.", code="learning.sharing", coder="ida")
    project.move_code("learning.sharing", parent="organisation", coder="ida")
    row = project.codings.set_index("coding_id").loc[ida]
    assert (row.code, row.theme, row.coder) == ("organisation.sharing", "organisation", "ida")
    project.undo()
    row = project.codings.set_index("coding_id").loc[ida]
    assert (row.code, row.theme) == ("learning.sharing", "learning")


def test_recoding_with_an_edited_codebook_shows_changes_and_undo_restores(project, book):
    ida = project.code("Fjordvik-K2", quote="vi har ingen målbilde", code="target_picture.unclear", coder="ida")
    before = project.codings.set_index("coding_id")[["code", "status"]]
    text = book.source_text.replace("      - id: unclear\n", "      - id: vague\n")
    text = text.replace('version: 1.0.0', 'version: 1.1.0')
    edited = th.Codebook.loads(text)
    result = project.autocode(edited)
    assert result["changes"]["renamed"] == [("target_picture.unclear", "target_picture.vague")]
    assert project.codebook_changes["renamed"] == [("target_picture.unclear", "target_picture.vague")]
    assert list(project.codebook_versions.version) == ["1.0.0", "1.1.0"]
    assert project.codings.set_index("coding_id").loc[ida, "coder"] == "ida"
    assert project.undo() == ["autocode"]
    assert project.codebook.version == "1.0.0"
    after = project.codings.set_index("coding_id")[["code", "status"]]
    pd.testing.assert_frame_equal(before.sort_index(), after.sort_index(), check_categorical=False)


def test_cli_codes_rename_merge_move(project, tmp_path):
    path = project.path
    project.code("Fjordvik-K2", quote="vi har ingen målbilde", code="target_picture.unclear", coder="ida")
    project.close()
    runner = CliRunner()
    env = {"COLUMNS": "200"}
    r = runner.invoke(app, ["codes", "rename", path, "target_picture.unclear", "target_picture.vague",
                            "--coder", "ida"], env=env)
    assert r.exit_code == 0, r.output
    assert "target_picture.unclear -> target_picture.vague" in r.output and "1.0.1" in r.output
    r = runner.invoke(app, ["codes", "merge", path, "strategy.plans", "strategy.useful", "--into", "strategy.plans",
                            "--coder", "ida"], env=env)
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["codes", "move", path, "target_picture.vague", "--parent", "strategy", "--coder", "ida"],
                      env=env)
    assert r.exit_code == 0, r.output
    with th.Project.open(path) as reopened:
        assert {"strategy.vague", "strategy.plans"} <= set(reopened.codings.code)
        assert reopened.codebook.version == "1.0.3"
    r = runner.invoke(app, ["codes", "rename", path, "nosuch", "other", "--coder", "ida"], env=env)
    assert r.exit_code == 2 and "Unknown code id 'nosuch'" in r.output
    r = runner.invoke(app, ["codes", "move", path, "strategy.vague", "--coder", "ida"], env=env)
    assert r.exit_code == 2 and "--parent" in r.output


def test_cli_code_shows_codebook_changes(tmp_path, sample_dir, book):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "Fjordvik-K2.txt").write_text(TEXT, encoding="utf-8")
    edited = tmp_path / "edited.yaml"
    edited.write_text(book.source_text.replace("      - id: unclear\n", "      - id: vague\n"), encoding="utf-8")
    original = tmp_path / "book.yaml"
    original.write_text(book.source_text, encoding="utf-8")
    runner = CliRunner()
    path = str(tmp_path / "p.thematic")
    first = runner.invoke(app, ["code", str(corpus), "--codebook", str(original), "--project", path])
    assert first.exit_code == 0, first.output
    assert "since the last codebook version" not in first.output
    second = runner.invoke(app, ["code", str(corpus), "--codebook", str(edited), "--project", path],
                           env={"COLUMNS": "200"})
    assert second.exit_code == 0, second.output
    assert "codes renamed since the last codebook version: target_picture.unclear -> target_picture.vague" \
        in second.output


def test_cli_code_without_a_folder_codes_the_stored_documents_again(tmp_path, book, monkeypatch):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "Fjordvik-K2.txt").write_text(TEXT, encoding="utf-8")
    original, edited = tmp_path / "book.yaml", tmp_path / "edited.yaml"
    original.write_text(book.source_text, encoding="utf-8")
    edited.write_text(book.source_text.replace("      - id: unclear\n", "      - id: vague\n"), encoding="utf-8")
    runner, path = CliRunner(), str(tmp_path / "p.thematic")
    assert runner.invoke(app, ["code", str(corpus), "--codebook", str(original), "--project", path]).exit_code == 0
    with th.Project.open(path) as project:
        before = project.codings[["doc_id", "start", "end", "code"]]
    assert (before.code == "target_picture.unclear").any()

    import thematic.transcripts as transcripts

    def no_files(*args, **kwargs):
        raise AssertionError("no file is read when re-coding the stored documents")

    monkeypatch.setattr(transcripts, "iter_documents", no_files)
    (corpus / "Fjordvik-K2.txt").unlink()  # the folder is not needed any more
    again = runner.invoke(app, ["code", "--codebook", str(edited), "--project", path], env={"COLUMNS": "200"})
    assert again.exit_code == 0, again.output
    assert "rule coding of the stored documents:" in again.output
    assert "codes renamed since the last codebook version: target_picture.unclear -> target_picture.vague" \
        in again.output
    with th.Project.open(path) as project:
        after = project.codings[["doc_id", "start", "end", "code"]]
    renamed = {"target_picture.unclear": "target_picture.vague"}
    expected = sorted((d, s, e, renamed.get(c, c)) for d, s, e, c in before.astype(object).values.tolist())
    assert sorted(map(tuple, after.astype(object).values.tolist())) == expected


@pytest.mark.parametrize("state", ["missing", "empty"])
def test_cli_code_without_a_folder_says_what_to_give(tmp_path, book, state):
    original = tmp_path / "book.yaml"
    original.write_text(book.source_text, encoding="utf-8")
    path = tmp_path / "p.thematic"
    if state == "empty":
        th.Project.open(path).close()
    result = CliRunner().invoke(app, ["code", "--codebook", str(original), "--project", str(path)])
    assert result.exit_code == 2 and "[S023]" in result.output and "Traceback" not in result.output
    assert ("does not exist" if state == "missing" else "holds no documents") in result.output
    assert "thematic code FOLDER --codebook" in result.output
    assert path.exists() == (state == "empty")  # a missing project is not made
