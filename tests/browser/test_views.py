"""The notebook views in JupyterLab, in Chromium: what a researcher does, checked in the project file.

A person reads a sample transcript, codes five passages by selection, undoes a mistake, reviews ten
machine codings with the keyboard, retrieves every passage of a theme across the municipalities and opens
one in its transcript. Each step is checked from a second process (the project file as another notebook
would see it) and in the event log. Screenshots go to out/screenshots/ (THEMATIC_SHOTS to change).
"""

from __future__ import annotations

import pytest

from _lab import (browser, chromium, events, lab, open_and_run, page, project_codings, sample_project,  # noqa: F401
                  select_text, shot, write_notebook)

TRANSCRIPT = '[data-thematic="transcript"]'
FIVE = [  # informant speech in Fjordvik-K2, with the code a researcher gives each
    ("vi har en digitaliseringsstrategi for oppvekst", "strategy.plans"),
    ("den har vært veldig nyttig", "strategy.useful"),
    ("den er ikke helt forankret ute hos lærerne", "strategy.not_anchored"),
    ("Vi lagde den i en arbeidsgruppe", "strategy.making_revising"),
    ("Den nasjonale er litt for generell", "strategy.national"),
]


def _cells(project, view: str) -> list[str]:
    return ["import thematic as th\n"
            f"project = th.Project.open(r'{project}')",
            view]


def _manual(project):
    return [c for c in project_codings(project) if c["source"] == "manual" and c["status"] == "active"]


@pytest.mark.slow
def test_code_five_passages_by_selection_then_undo_a_mistake(page, lab, sample_project):
    _, _, root = lab
    nb = write_notebook(root, "coding.ipynb", _cells(
        sample_project, "view = th.ui.CodingView(project, 'Fjordvik-K2', coder='ida')\nview"))
    open_and_run(page, nb, TRANSCRIPT)
    view = page.locator(".th-coding").first
    assert page.locator(f'{TRANSCRIPT}[data-doc-id="Fjordvik-K2"]').count() == 1
    assert "coder: ida" in view.locator(".th-coder").inner_text()
    shot(page, "01-coding-view-opened", view)

    before = {c["coding_id"] for c in project_codings(sample_project)}
    for i, (phrase, code) in enumerate(FIVE):
        select_text(page, TRANSCRIPT, phrase[1:-1])  # a sloppy selection: it snaps to word edges
        if i % 2:  # every other one with the code's number key after finding the code
            page.fill(".th-search", code.split(".")[1])
            page.locator(TRANSCRIPT).focus()
            select_text(page, TRANSCRIPT, phrase[1:-1])
            page.keyboard.press("1")
            page.fill(".th-search", "")
        else:
            page.click(f'[data-code="{code}"]')
        page.wait_for_function("(n) => document.querySelector('.th-msg').textContent.includes('coded «')", arg=i)
        page.wait_for_selector(f'.th-chip:has-text("{code}")')
    manual = _manual(sample_project)
    assert sorted((c["text"], c["code"], c["coder"]) for c in manual) == sorted(
        (phrase, code, "ida") for phrase, code in FIVE)
    new = [c for c in manual if c["coding_id"] not in before]
    assert len(new) == 5
    marks = page.locator(f'{TRANSCRIPT} mark[data-codings~="{new[0]["coding_id"]}"]')
    assert marks.count() >= 1
    shot(page, "02-five-passages-coded", view)

    # a mistake: code a passage with the wrong code, then undo with the button
    select_text(page, TRANSCRIPT, "Det gjør det mye enklere")
    page.click('[data-code="learning.pupils"]')
    page.wait_for_function("() => document.querySelector('.th-msg').textContent.includes('learning.pupils')")
    assert any(c["code"] == "learning.pupils" for c in _manual(sample_project))
    page.click('[data-action="undo"]')
    page.wait_for_function("() => document.querySelector('.th-msg').textContent.includes('undone')")
    assert not any(c["code"] == "learning.pupils" for c in _manual(sample_project))
    assert len(_manual(sample_project)) == 5
    # Ctrl+Z inside the view undoes the last of the five
    page.locator(TRANSCRIPT).focus()
    page.keyboard.press("Control+z")
    page.wait_for_function("() => (document.querySelector('.th-msg').textContent.match(/undone/g) || []).length"
                           " && document.querySelectorAll('.th-chip').length > 0")
    page.wait_for_function("() => document.querySelector('.th-msg').textContent.includes('undone: code')")
    assert len(_manual(sample_project)) == 4
    log = events(sample_project)
    assert [e["action"] for e in log if e["coder"] == "ida"].count("code") == 6
    assert [e["action"] for e in log if e["coder"] == "ida"].count("undo") == 2

    # bad selections: interviewer speech (the project codes informant speech only), nothing stored
    select_text(page, TRANSCRIPT, "Hvordan ble den til?")
    page.click('[data-code="strategy.plans"]')
    page.wait_for_selector(".th-msg.th-error")
    assert "[U002]" in page.locator(".th-msg").first.inner_text()
    assert len(_manual(sample_project)) == 4
    shot(page, "03-interviewer-selection-refused", view)

    # keyboard alone: arrow keys move line by line, a number codes the focused line, Ctrl+Z undoes it
    page.locator(TRANSCRIPT).focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # the informant's first line
    page.keyboard.press("1")  # the first code in the list
    page.wait_for_function("() => document.querySelector('.th-msg').textContent.includes('as strategy ')")
    by_keys = [c for c in _manual(sample_project) if c["code"] == "strategy"]
    assert len(by_keys) == 1 and by_keys[0]["text"].startswith("Ja, altså, jeg er rådgiver")
    page.keyboard.press("Control+z")
    page.wait_for_function("() => document.querySelector('.th-msg').textContent.includes('undone: code')")
    assert len(_manual(sample_project)) == 4

    # click a highlight: its codings with coder, source and status; accept a pending rule coding there
    pending = [c for c in project_codings(sample_project)
               if c["doc_id"] == "Fjordvik-K2" and c["status"] == "pending"][0]
    page.locator(f'{TRANSCRIPT} mark[data-codings~="{pending["coding_id"]}"]').first.click()
    card = page.locator(f'[data-card-for="{pending["coding_id"]}"]')
    card.wait_for()
    assert "rule" in card.inner_text() and "pending" in card.inner_text()
    shot(page, "04-coding-details", view)
    card.locator('[data-action="accept"]').click()
    page.wait_for_function("() => document.querySelector('.th-msg').textContent.includes('accepted')")
    after = {c["coding_id"]: c for c in project_codings(sample_project)}[pending["coding_id"]]
    assert after["status"] == "active" and after["reviewed_by"] == "ida" and after["source"] == "rule"

    # a cell that codes from Python: the open view shows it when the cell ends, without a refresh
    page.evaluate("""() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.requestExecute(
        {code: "project.code('Fjordvik-K2', quote='Det gjør det mye enklere', code='learning.pupils', coder='kari')"}
        ).done.then(() => null)""")
    page.wait_for_selector('.th-coding .th-chip[aria-label*="kari, manual"]')


@pytest.mark.slow
def test_review_ten_machine_codings_with_the_keyboard(page, lab, sample_project):
    _, _, root = lab
    nb = write_notebook(root, "review.ipynb", _cells(
        sample_project, "queue = th.ui.ReviewQueue(project, source='rule', coder='ola')\nqueue"))
    open_and_run(page, nb, ".th-review-body")
    queue = page.locator(".th-review").first
    shot(page, "05-review-queue", queue)
    start = {c["coding_id"]: c for c in project_codings(sample_project)}
    page.locator(".th-review-body").focus()
    decisions = []
    for i in range(10):
        shown = int(page.locator(".th-review-body mark[data-coding-id]").get_attribute("data-coding-id"))
        key = "a" if i % 3 else "r"
        decisions.append((shown, key))
        page.keyboard.press(key)
        page.wait_for_function("([n, id]) => document.querySelector('.th-progress').textContent.startsWith(n + ' of')"
                               " && document.querySelector('.th-review-body mark').dataset.codingId !== String(id)",
                               arg=[i + 1, shown])
    assert "10 of" in page.locator(".th-progress").inner_text()
    now = {c["coding_id"]: c for c in project_codings(sample_project)}
    for coding_id, key in decisions:
        c = now[str(coding_id)]
        assert c["status"] == ("active" if key == "a" else "rejected"), c
        assert start[str(coding_id)]["status"] == "pending"
    shot(page, "06-review-after-ten", queue)
    # k goes back to a reviewed one, shown as reviewed; u undoes the last review
    page.keyboard.press("k")
    page.wait_for_function("() => !document.querySelector('.th-status').textContent.startsWith('pending')")
    page.keyboard.press("u")
    page.wait_for_function("() => document.querySelector('.th-progress').textContent.startsWith('9 of')")
    assert now[str(decisions[-1][0])]["status"] != "pending"
    assert {c["coding_id"]: c for c in project_codings(sample_project)}[str(decisions[-1][0])]["status"] == "pending"
    actions = [e["action"] for e in events(sample_project) if e["coder"] == "ola"]
    assert actions.count("accept") + actions.count("reject") == 10 and actions.count("undo") == 1


@pytest.mark.slow
def test_retrieve_a_theme_across_municipalities_and_open_a_passage(page, lab, sample_project):
    _, _, root = lab
    nb = write_notebook(root, "retrieve.ipynb", _cells(
        sample_project, "found = th.ui.Retrieve(project, 'target_picture', coder='ida')\nfound"))
    open_and_run(page, nb, ".th-passages")
    groups = page.locator(".th-retrieve .th-group h4").all_inner_texts()
    assert len(groups) >= 4, groups  # the municipalities and networks with target-picture passages
    passages = page.locator('.th-retrieve [data-action="open"]')
    expected = [c for c in project_codings(sample_project)
                if c["code"].startswith("target_picture") and c["status"] in ("active", "pending")]
    assert passages.count() == len(expected)
    shot(page, "07-retrieve-page")
    shot(page, "07-retrieve", page.locator(".th-retrieve").first)
    target = passages.nth(passages.count() // 2)
    coding_id = target.get_attribute("data-coding-id")
    doc_id = {c["coding_id"]: c["doc_id"] for c in expected}[coding_id]
    target.click()
    page.wait_for_selector(f'{TRANSCRIPT}[data-doc-id="{doc_id}"] mark[data-codings~="{coding_id}"]')
    mark = page.locator(f'{TRANSCRIPT}[data-doc-id="{doc_id}"] mark[data-codings~="{coding_id}"]').first
    box, pane = mark.bounding_box(), page.locator(f'{TRANSCRIPT}[data-doc-id="{doc_id}"]').bounding_box()
    assert pane["y"] <= box["y"] <= pane["y"] + pane["height"], "the transcript is scrolled to the passage"
    page.wait_for_timeout(300)
    shot(page, "08-retrieve-opened", page.locator(".jp-Cell.jp-mod-active .jp-OutputArea").first)

    # a selection from the passage list into the transcript is not inside one document: refused, nothing stored
    before = project_codings(sample_project)
    page.evaluate("""(doc) => {
        const a = document.querySelector('.th-passages .th-quote').firstChild;
        const pane = document.querySelector(`[data-thematic="transcript"][data-doc-id="${doc}"]`);
        const b = pane.querySelector('[data-o]').firstChild;
        const range = document.createRange(); range.setStart(a, 2); range.setEnd(b, 5);
        const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
        pane.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
    }""", doc_id)
    page.locator(f'.th-coding [data-code="strategy.plans"]').click()
    page.wait_for_selector(".th-coding .th-msg.th-error")
    assert "[U001]" in page.locator(".th-coding .th-msg").first.inner_text()
    assert project_codings(sample_project) == before
