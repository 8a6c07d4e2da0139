"""A real JupyterLab in a real Chromium, for the notebook views (thematic.ui).

JupyterLab starts on 127.0.0.1 with a free port and a token, with ``--LabApp.expose_app_in_browser`` as
JupyterLab's own Galata tests do, so that ``window.jupyterapp`` opens notebooks and runs cells. Playwright
drives the system Chromium (Debian's ``chromium`` package). Without Chromium these tests skip locally, saying
how to install it, and fail under ``CI=true`` (``tests/conftest.py::require_component``).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import CODEBOOK_DIR, ROOT, SAMPLE_DIR, require_component

SHOTS = Path(os.environ.get("THEMATIC_SHOTS", ROOT / "out" / "screenshots"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    require_component(path is not None, "Chromium (for the browser tests of the notebook views)",
                      "apt-get install chromium  (and pip install -e '.[dev]' for playwright and jupyterlab)")
    try:
        import playwright  # noqa: F401
        import jupyterlab  # noqa: F401
        import anywidget  # noqa: F401
    except ImportError as exc:
        require_component(False, f"a Python package for the browser tests ({exc.name})", "pip install -e '.[dev]'")
    return path


@pytest.fixture(scope="session")
def sample_project(tmp_path_factory) -> Path:
    """The sample study, ingested and rule-coded once, as a project file the kernels open."""
    import thematic as th

    path = tmp_path_factory.mktemp("lab") / "study.thematic"
    with th.Project.open(path) as project:
        project.add(th.ingest(SAMPLE_DIR))
        project.autocode(th.Codebook.load(CODEBOOK_DIR / "digitalisering.yaml"))
    return path


@pytest.fixture(scope="session")
def lab(chromium, tmp_path_factory):
    """A running JupyterLab server: (base url, token, root folder)."""
    root = tmp_path_factory.mktemp("notebooks")
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(os.environ)
    src = str(ROOT / "src")
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")  # kernels import this checkout
    settings = tmp_path_factory.mktemp("lab-settings")
    notification = settings / "@jupyterlab" / "apputils-extension"
    notification.mkdir(parents=True)
    (notification / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    log = open(root / "jupyterlab.log", "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--ServerApp.token={token}", f"--ServerApp.root_dir={root}", "--allow-root",
         "--LabApp.expose_app_in_browser=True", "--ServerApp.disable_check_xsrf=True",
         f"--LabApp.user_settings_dir={settings}", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
            break
        except OSError:
            if server.poll() is not None or time.time() > deadline:
                server.kill()
                raise RuntimeError(f"JupyterLab did not start: {(root / 'jupyterlab.log').read_text()[-2000:]}")
            time.sleep(0.3)
    yield url, token, root
    server.terminate()
    try:
        server.wait(10)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()


@pytest.fixture(scope="session")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


@pytest.fixture(scope="session")
def page(browser, lab):
    url, token, _ = lab
    context = browser.new_context(viewport={"width": 1500, "height": 1000}, device_scale_factor=1)
    page = context.new_page()
    page.goto(f"{url}/lab?token={token}")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.started !== undefined", timeout=60000)
    page.evaluate("() => window.jupyterapp.started.then(() => null)")
    yield page
    context.close()


def write_notebook(root: Path, name: str, cells: list[str]) -> str:
    """A notebook of code cells in the lab's folder; returns its path relative to the lab root."""
    nb = {"cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                     "source": src} for src in cells],
          "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
          "nbformat": 4, "nbformat_minor": 5}
    (root / name).write_text(json.dumps(nb), encoding="utf-8")
    return name


def open_and_run(page, path: str, ready: str, timeout: float = 90000) -> None:
    """Open a notebook, wait for its kernel, run all cells, wait for ``ready`` (or fail on a cell error)."""
    page.evaluate("""() => { for (const w of Array.from(window.jupyterapp.shell.widgets('main'))) {
        if (w.context && w.context.model) { w.context.model.dirty = false; w.close(); } } }""")
    page.evaluate("(p) => window.jupyterapp.commands.execute('docmanager:open', {path: p}).then(() => null)", path)
    page.wait_for_function(
        "(p) => { const w = window.jupyterapp.shell.currentWidget; return w && w.context && w.context.path === p "
        "&& w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel "
        "&& w.sessionContext.session.kernel.status === 'idle'; }", arg=path, timeout=timeout)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells').then(() => null)")
    error = '.jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"]'
    page.wait_for_selector(f"{ready}, .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr'], "
                           f".jp-RenderedText[data-mime-type='application/vnd.jupyter.error']", timeout=timeout)
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error'], " + error)
    if errors.count():
        raise AssertionError("a cell failed: " + errors.first.inner_text()[-3000:])


def select_text(page, container: str, phrase: str, occurrence: int = 0) -> None:
    """Select ``phrase`` inside ``container`` as a person's mouse would (a DOM Range over the text nodes)."""
    found = page.evaluate(
        """([container, phrase, occurrence]) => {
          const root = document.querySelector(container);
          const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
          const nodes = []; let text = "";
          while (walker.nextNode()) { nodes.push([walker.currentNode, text.length]); text += walker.currentNode.data; }
          let at = -1;
          for (let i = 0; i <= occurrence; i++) { at = text.indexOf(phrase, at + 1); if (at < 0) return false; }
          const end = at + phrase.length;
          const locate = (pos) => { for (let i = nodes.length - 1; i >= 0; i--) if (nodes[i][1] <= pos) return [nodes[i][0], pos - nodes[i][1]]; };
          const [sn, so] = locate(at); const [en, eo] = locate(end);
          const range = document.createRange(); range.setStart(sn, so); range.setEnd(en, eo);
          sn.parentElement.scrollIntoView({block: "center"});
          const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
          root.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
          return true;
        }""", [container, phrase, occurrence])
    assert found, f"{phrase!r} is not in {container}"


def project_codings(path: Path) -> list[dict]:
    """The project's codings as a second process sees them (a researcher's second notebook)."""
    code = ("import json, sys, thematic as th\n"
            "p = th.Project.open(sys.argv[1])\n"
            "f = p.codings_frame(statuses=('active', 'pending', 'rejected', 'removed'), include_suggestions=True)\n"
            "cols = [c for c in ('coding_id', 'doc_id', 'start', 'end', 'code', 'coder', 'source', 'status', 'text',"
            " 'reviewed_by') if c in f]\n"
            "print(json.dumps(f[cols].astype(str).to_dict('records')))\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout)


def events(path: Path) -> list[dict]:
    code = ("import json, sys, thematic as th\n"
            "print(th.Project.open(sys.argv[1]).events.astype(str).to_json(orient='records'))\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout)


def shot(page, name: str, locator=None) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    (locator or page).screenshot(path=str(path))
    return path
