"""The notebook views without a browser: what they show, and that every action is a Project call.

The browser side (selection, clicks, keys) is tested in a real JupyterLab in tests/browser/.
"""

from __future__ import annotations

import getpass
from pathlib import Path

import pytest

import thematic as th
from thematic.errors import AnalysisError, CodebookError, NotFoundError, ViewError
from thematic.transcripts import ingest_text
from thematic.ui import _data
from thematic.ui._base import refresh_open_views

TEXT = ("Intervjuer: Har dere et målbilde for skolene?\n"
        "K2: Nei, vi har ingen målbilde. Strategien er nyttig for oss på Ærøy.\n\n"
        "Vi deler erfaringer i nettverket. Strategien gir retning.\n"
        "Intervjuer: Hvem lagde planen?\n"
        "K2: Vi lagde den i en arbeidsgruppe.\n")
VTT = ("WEBVTT\n\n00:00:02.000 --> 00:00:05.500\n<v Intervjuer>Hvordan jobber dere med målbilder?\n\n"
       "00:01:05.000 --> 00:01:09.000\n<v K5>Vi har et målbilde for barnehagene.\n")


@pytest.fixture
def project(tmp_path, book):
    p = th.Project.open(tmp_path / "study.thematic")
    p.add([ingest_text(TEXT, doc_id="Fjordvik-K2", case="Fjordvik"),
           ingest_text(TEXT.replace("K2", "K3"), doc_id="Granlia-K3", case="Granlia")])
    p.autocode(book)
    yield p
    p.close()


def _at(doc, phrase):
    i = doc.text.index(phrase)
    return i, i + len(phrase)


# -- what the view shows -------------------------------------------------------------------------------


def test_rows_are_lines_of_speech_with_speaker_role_and_original_line():
    doc = ingest_text(TEXT, doc_id="d")
    rows = _data.transcript_rows(doc)
    assert [(r["speaker"], r["role"], r["line"]) for r in rows] == [
        ("Intervjuer", "interviewer", 1), ("K2", "informant", 2), ("", "informant", 4),
        ("Intervjuer", "interviewer", 5), ("K2", "informant", 6)]
    assert doc.text[rows[1]["start"]:rows[1]["end"]].startswith("Nei, vi har ingen målbilde")
    # no row holds a speaker label: the interviewer's styling cannot run into the next label
    assert not any("K2:" in doc.text[r["start"]:r["end"]] for r in rows)


def test_rows_of_a_caption_file_carry_timestamps(tmp_path):
    path = tmp_path / "Myrstad-K5.vtt"
    path.write_text(VTT, encoding="utf-8")
    doc = th.ingest(path)["Myrstad-K5"]
    rows = _data.transcript_rows(doc)
    assert [(r["speaker"], r["time"]) for r in rows] == [("Intervjuer", "00:02"), ("K5", "01:05")]


@pytest.mark.parametrize("sel, expected", [
    ((10, 20), "har ingen målbilde"),      # "r ingen må" -> whole words
    ((5, 9), "vi har"),                   # leading space trimmed, "vi h" -> "vi har"
    ((38, 40), "Ærøy"),                   # "rø": Norwegian letters are word characters
])
def test_a_selection_snaps_to_word_edges(sel, expected):
    text = "Nei, vi har ingen målbilde. Vi er på Ærøy."
    a, b = _data.snap(text, *sel)
    assert text[a:b] == expected


def test_selections_outside_informant_speech_or_empty_are_refused(project):
    doc = project.document("Fjordvik-K2")
    with pytest.raises(ViewError, match=r"\[U002\]"):
        _data.check_selection(doc, *_at(doc, "Har dere et målbilde"), include_interviewer=False)
    with pytest.raises(ViewError, match=r"\[U002\]"):  # from informant speech into the next question
        _data.check_selection(doc, doc.text.index("retning"), doc.text.index("Hvem") + 4, include_interviewer=False)
    with pytest.raises(ViewError, match=r"\[U002\]"):  # ... or only into the interviewer's speaker label
        _data.check_selection(doc, doc.text.index("retning"), doc.text.index("Hvem"), include_interviewer=False)
    # two paragraphs of the same informant's turn are still informant speech
    assert _data.check_selection(doc, doc.text.index("for oss"), doc.text.index("Vi deler") + 8,
                                 include_interviewer=False)
    with pytest.raises(ViewError, match=r"\[U003\]"):
        _data.check_selection(doc, 5, 5, include_interviewer=False)
    assert _data.check_selection(doc, *_at(doc, "Har dere et målbilde"), include_interviewer=True) == \
        _at(doc, "Har dere et målbilde")


def test_colours_are_the_themes_and_a_code_tree_follows_the_codebook(book):
    tree = _data.code_tree(book)
    assert tree[0]["id"] == "strategy" and tree[0]["depth"] == 0 and tree[1]["id"].startswith("strategy.")
    by_id = {c["id"]: c for c in tree}
    assert by_id["strategy.plans"]["colour"] == by_id["strategy"]["colour"] == book.get("strategy").colour
    assert {c["id"] for c in tree} == {c.id for c in book.codes}
    fallback: dict = {}
    assert _data.colour_of("unknown.code", {}, fallback) in _data.OKABE_ITO


def test_the_coder_defaults_to_the_project_setting_else_the_login_name(project):
    assert th.ui.CodingView(project, "Fjordvik-K2").coder == getpass.getuser()
    project.set_setting("coder", "ida")
    assert project.settings == {"coder": "ida"}
    assert th.ui.CodingView(project, "Fjordvik-K2").coder == "ida"
    assert th.ui.CodingView(project, "Fjordvik-K2", coder="ola").coder == "ola"
    copy = project.copy_for_coder(project.path + ".ola.thematic")  # a second coder's file: not ida's name
    assert "coder" not in copy.settings
    copy.close()
    project.set_setting("coder", None)
    assert "coder" not in project.settings


def test_the_view_sends_the_document_its_codings_and_the_codebook(project, book):
    view = th.ui.CodingView(project, "Fjordvik-K2")
    assert view.doc["doc_id"] == "Fjordvik-K2" and view.doc["text"] == project.document("Fjordvik-K2").text
    assert len(view.codes) == len(book.codes)
    rule = [c for c in view.codings if c["source"] == "rule"]
    assert rule and all(c["status"] == "pending" and c["rule"] and c["matched"] for c in rule)
    assert {c["id"] for c in view.codings} == set(
        project.codings_frame(statuses=("active", "pending"), include_suggestions=True, doc_id="Fjordvik-K2")
        ["coding_id"])
    assert repr(view) == f"CodingView('Fjordvik-K2', coder={view.coder!r}, codings={len(view.codings)})"


def test_an_unknown_document_is_a_clear_error(project):
    with pytest.raises(NotFoundError, match=r"\[S003\].*Fjordvik-K2"):
        th.ui.CodingView(project, "Fjordvik-K9")


# -- acting: each click is one Project call ------------------------------------------------------------


def _manual(project):
    frame = project.codings
    return frame[frame["source"] == "manual"]


def test_coding_a_selection_stores_a_manual_coding_in_the_log_and_undo_removes_it(project):
    view = th.ui.CodingView(project, "Fjordvik-K2", coder="ida")
    doc = project.document("Fjordvik-K2")
    a, b = _at(doc, "ingen målbilde")
    view._on_browser(view, {"action": "code", "start": a + 2, "end": b - 3, "code": "target_picture.unclear",
                            "doc_id": "Fjordvik-K2", "end_doc_id": "Fjordvik-K2"}, [])
    manual = _manual(project)
    assert manual[["text", "code", "coder"]].values.tolist() == [["ingen målbilde", "target_picture.unclear", "ida"]]
    assert int(manual["coding_id"].iloc[0]) in {c["id"] for c in view.codings}  # the view shows it at once
    assert "coded «ingen målbilde»" in view.message["text"]
    assert project.events["action"].tolist()[-1] == "code"
    view._on_browser(view, {"action": "undo"}, [])
    assert _manual(project).empty and view.message["text"] == "undone: code"
    assert not any(c["source"] == "manual" for c in view.codings)


@pytest.mark.parametrize("message, code", [
    ({"action": "code", "start": 0, "end": 0, "code": "strategy", "doc_id": "Fjordvik-K2"}, "U003"),
    ({"action": "code", "start": 13, "end": 30, "code": "strategy", "doc_id": "Fjordvik-K2"}, "U002"),
    ({"action": "code", "start": 60, "end": 75, "code": "strategy", "doc_id": "Fjordvik-K2",
      "end_doc_id": "Granlia-K3"}, "U001"),
    ({"action": "code", "start": 60, "end": 75, "code": "strategy", "doc_id": "",
      "end_doc_id": "Fjordvik-K2"}, "U001"),  # from outside any transcript into this one
    ({"action": "code", "start": 60, "end": 75, "code": "strategy.nonsense", "doc_id": "Fjordvik-K2"}, "S006"),
    ({"action": "accept", "id": 99999}, "S007"),
    ({"action": "code", "start": "x", "end": 3, "code": "strategy"}, "could not do"),
])
def test_bad_actions_show_a_message_in_the_view_and_store_nothing(project, message, code):
    view = th.ui.CodingView(project, "Fjordvik-K2", coder="ida")
    before = len(project.events), project.status.to_dict("records")
    view._on_browser(view, message, [])
    assert view.message["level"] == "error" and code in view.message["text"]
    assert (len(project.events), project.status.to_dict("records")) == before


def test_accept_reject_memo_and_remove_from_the_view(project):
    view = th.ui.CodingView(project, "Fjordvik-K2", coder="ida")
    pending = [c for c in view.codings if c["status"] == "pending"]
    assert len(pending) >= 3
    view._on_browser(view, {"action": "accept", "id": pending[0]["id"]}, [])
    view._on_browser(view, {"action": "reject", "id": pending[1]["id"]}, [])
    view._on_browser(view, {"action": "memo", "id": pending[2]["id"], "text": "sjekk med K2"}, [])
    view._on_browser(view, {"action": "uncode", "id": pending[2]["id"]}, [])
    frame = project.codings_frame(statuses=("active", "pending", "rejected", "removed"), include_suggestions=True)
    status = dict(zip(frame["coding_id"], frame["status"]))
    assert [status[c["id"]] for c in pending[:3]] == ["active", "rejected", "removed"]
    accepted = frame.set_index("coding_id").loc[pending[0]["id"]]
    if "reviewed_by" in frame:  # review records the reviewer and keeps the rule's authorship
        assert accepted["reviewed_by"] == "ida" and accepted["source"] == "rule"
    assert project.memos["text"].tolist() == ["sjekk med K2"]
    assert [e for e in project.events["action"]][-4:] == ["accept", "reject", "memo", "uncode"]
    shown = {c["id"]: c for c in view.codings}
    assert pending[1]["id"] not in shown and pending[2]["id"] not in shown


def test_views_refresh_after_changes_from_python_and_from_another_view(project, tmp_path):
    view = th.ui.CodingView(project, "Fjordvik-K2", coder="ida")
    other = th.ui.CodingView(project, "Fjordvik-K2", coder="ola")
    n = len(view.codings)
    project.code("Fjordvik-K2", quote="arbeidsgruppe", code="strategy.making_revising", coder="kari")
    assert len(view.codings) == n  # not yet: a cell's code shows after the cell (post_run_cell) or refresh()
    refresh_open_views()
    assert len(view.codings) == n + 1 and len(other.codings) == n + 1
    doc = project.document("Fjordvik-K2")
    other.code_selection(*_at(doc, "deler erfaringer"), "learning.sharing")
    assert len(view.codings) == n + 2  # the first view saw the second one's coding at once
    # after each cell only views whose project's log moved read it again
    calls = []
    original = view.refresh
    view.refresh = lambda: (calls.append(1), original())[1]
    refresh_open_views(only_changed=True)
    refresh_open_views(only_changed=True)
    assert len(calls) <= 1  # at most once, to note where the log stands
    calls.clear()
    project.code("Fjordvik-K2", quote="Vi lagde den", code="strategy.making_revising", coder="kari")
    refresh_open_views(only_changed=True)
    refresh_open_views(only_changed=True)
    assert len(calls) == 1 and len(view.codings) == n + 3
    # a second process (another notebook) codes: refresh() shows it
    second = th.Project.open(project.path)
    second.code("Fjordvik-K2", quote="gir retning", code="strategy.useful", coder="per")
    second.close()
    view.refresh()
    assert any(c["coder"] == "per" for c in view.codings)


def test_review_queue_with_keys_progress_and_undo(project):
    queue = th.ui.ReviewQueue(project, source="rule", coder="ida")
    total = len(project.review_queue("rule"))
    assert queue.progress["text"] == f"0 of {total} reviewed" and len(queue) == total
    first = queue.current
    assert queue.item["id"] == first and queue.item["rule"] and queue.item["context"]
    ctx = queue.item["context"]
    assert queue.item["start"] >= queue.item["offset"] and ctx  # the passage inside its turn
    queue._on_browser(queue, {"action": "accept"}, [])
    second = queue.current
    assert second != first and queue.progress["text"] == f"1 of {total} reviewed"
    queue._on_browser(queue, {"action": "reject"}, [])
    assert queue.progress["reviewed"] == 2
    queue._on_browser(queue, {"action": "previous"}, [])
    assert queue.current == second and queue.item["status"] == "rejected"
    queue._on_browser(queue, {"action": "undo"}, [])
    assert queue.progress["reviewed"] == 1 and queue.current == second and queue.item["status"] == "pending"
    frame = project.codings_frame(statuses=("active", "pending", "rejected"), include_suggestions=True)
    assert dict(zip(frame["coding_id"], frame["status"]))[first] == "active"
    assert project.events["action"].tolist()[-3:] == ["accept", "reject", "undo"]
    assert "ReviewQueue(source='rule', coder='ida', 1 of" in repr(queue)


def test_review_queue_when_nothing_waits(tmp_path, book):
    p = th.Project.open(tmp_path / "empty.thematic")
    p.add([ingest_text("K1: Hei.", doc_id="d")])
    queue = th.ui.ReviewQueue(p, coder="ida")
    assert queue.current is None and queue.item == {} and queue.progress["text"] == "0 of 0 reviewed"
    queue._on_browser(queue, {"action": "accept"}, [])
    assert queue.message["level"] == "error" and "nothing to review" in queue.message["text"]


def test_retrieve_a_theme_across_cases_and_open_a_passage(project):
    found = th.ui.Retrieve(project, "strategy", coder="ida")
    frame = project.codings
    expected = frame[frame["theme"] == "strategy"]
    assert len(found.passages) == len(expected) > 0
    assert {p["group"] for p in found.passages} == {"Fjordvik", "Granlia"}
    assert all(p["reference"].startswith(("Fjordvik", "Granlia")) and ", line " in p["reference"]
               for p in found.passages)
    assert found.list.title["count"] == len(expected) and found.list.title["documents"] == 2
    target = found.passages[-1]
    found.list._on_browser(found.list, {"action": "open", "id": target["id"]}, [])
    assert found.view is not None and found.view.doc_id == target["doc_id"]
    assert found.view.focus["id"] == target["id"] and found.children == (found.list, found.view)
    by_doc = th.ui.Retrieve(project, "strategy.useful", group_by="doc_id")
    assert {p["code"] for p in by_doc.passages} == {"strategy.useful"}
    assert "Retrieve('strategy.useful', group_by='doc_id'" in repr(by_doc)


def test_retrieve_reviewed_only_and_bad_arguments(project):
    assert th.ui.Retrieve(project, "strategy", codings="reviewed").passages == []  # only pending rule codings yet
    with pytest.raises(CodebookError, match="strategy"):
        th.ui.Retrieve(project, "strategi")
    with pytest.raises(AnalysisError, match="group_by"):
        th.ui.Retrieve(project, "strategy", group_by="colour")
    with pytest.raises(AnalysisError, match="codings"):
        th.ui.Retrieve(project, "strategy", codings="some")


def test_the_browser_module_has_the_stable_hooks():
    js = (Path(th.ui.__file__).parent / "static" / "views.js").read_text(encoding="utf-8")
    for hook in ('"data-thematic": "transcript"', '"data-code": c.id', 'data-coding-id="${top.id}"',
                 '"data-action": "undo"', '"data-action": "accept"', '"data-action": "reject"'):
        assert hook in js, hook


def test_a_colour_blind_palette_gives_each_theme_an_okabe_ito_colour(project, book):
    view = th.ui.CodingView(project, "Fjordvik-K2", palette="colour-blind")
    themes = {c["id"]: c["colour"] for c in view.codes if c["depth"] == 0}
    assert list(themes.values()) == list(_data.OKABE_ITO[:len(themes)])  # distinct, colour-blind safe
    assert all(c["colour"] == themes[c["theme"]] for c in view.codings)
    with pytest.raises(th.ThematicError, match=r"\[A001\].*palette"):
        th.ui.ReviewQueue(project, palette="rainbow")


def test_settings_and_the_views_on_both_engines(project_factory, book):
    p = th.Project.open(project_factory())
    p.add([ingest_text(TEXT, doc_id="Fjordvik-K2", case="Fjordvik"),
           ingest_text(TEXT.replace("K2", "K3"), doc_id="Granlia-K3", case="Granlia")])
    p.add_codebook(book)
    p.set_setting("coder", "ida")
    p.set_setting("coder", "kari")
    p.set_setting("include_interviewer", True)
    assert p.settings == {"coder": "kari", "include_interviewer": True}
    view = th.ui.CodingView(p, "Fjordvik-K2")
    doc = p.document("Fjordvik-K2")
    coding_id = view.code_selection(*_at(doc, "Har dere et målbilde"), "target_picture")  # the setting allows it
    assert view.coder == "kari" and [c["id"] for c in view.codings] == [coding_id]
    assert len(p.codings_frame(doc_id="Fjordvik-K2")) == 1 and len(p.codings_frame(doc_id="Granlia-K3")) == 0
    p.close()


def test_the_timing_benchmark_runs_and_prints_its_figures(capsys):
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "ui_timings.py"
    spec = importlib.util.spec_from_file_location("ui_timings", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert len(module.long_transcript(800).split()) >= 800
    assert module.main(["--words", "800"]) == 0
    out = capsys.readouterr().out
    assert "open CodingView (kernel, next views)" in out and "code a passage" in out and "< 1.0 s" in out
