"""Fixed costs (issue 21): `import thematic`, `thematic --help` and `thematic status` load no heavy library.

Each check runs the command in a fresh interpreter and looks at ``sys.modules`` afterwards; the start-up
times themselves are measured by ``benchmarks/startup.py``, never asserted here.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import thematic as th
from thematic.cli import app

ROOT = Path(__file__).resolve().parents[1]
RELEASE = Path(__file__).parent / "data" / "release_0_1_0.thematic"  # schema 2: opening it migrates it

HEAVY = ("pandas", "numpy", "spacy", "matplotlib", "docx", "simplemma", "pyarrow", "sklearn")

#: In a fresh interpreter: run the CLI as the `thematic` script does, then print the heavy modules loaded.
RUN = (
    "import json, sys\n"
    "from thematic.cli import main\n"
    "sys.argv = ['thematic', *sys.argv[1:]]\n"
    "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\nelse:\n    code = 0\n"
    f"print('\\nLOADED ' + json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    "sys.exit(code)\n"
)


def fresh(*args: str, code: str = RUN) -> tuple[str, list[str]]:
    """(stdout, heavy modules loaded) of a new Python process running this checkout's thematic."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
               COLUMNS="120")
    done = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()
    out, _, loaded = done.stdout.decode().rpartition("\nLOADED ")  # bytes as written: no newline translation
    return out, json.loads(loaded)


@pytest.fixture
def old_project(tmp_path) -> Path:
    path = tmp_path / "old.thematic"
    shutil.copy(RELEASE, path)
    return path


def test_import_thematic_loads_no_heavy_library_and_keeps_every_name():
    code = (f"import json, sys, thematic\nprint('\\nLOADED ' + json.dumps([m for m in {HEAVY!r} "
            "if m in sys.modules] + [m for m in sys.modules if m.startswith('thematic.')]))")
    _, loaded = fresh(code=code)
    assert loaded == []  # not even a submodule of thematic
    names = set(dir(th))
    assert {"ingest", "Corpus", "Document", "Segment", "Codebook", "code_texts", "Project", "evaluate",
            "ThematicError", "analysis", "plots", "export", "reliability", "suggest", "privacy", "refi", "ui",
            "store", "coding", "nlp", "report", "__version__"} <= names
    for name in names - {"__version__"}:
        assert getattr(th, name) is not None, name
    from thematic import Codebook, Project, code_texts  # `from thematic import X` resolves through __getattr__

    assert Project is th.store.project.Project and Codebook.__name__ == "Codebook" and callable(code_texts)
    with pytest.raises(AttributeError, match="nosuch"):
        th.nosuch  # noqa: B018


def test_help_loads_neither_pandas_nor_spacy():
    out, loaded = fresh("--help")
    assert "Usage" in out and "status" in out and "report" in out
    assert loaded == [], f"`thematic --help` imported {loaded}"


def test_a_commands_help_loads_nothing_heavy_either():
    out, loaded = fresh("report", "--help")
    assert "--codebook" in out and loaded == []


def test_status_loads_no_spacy_matplotlib_or_pandas(old_project):
    out, loaded = fresh("status", str(old_project))
    assert "veileder" in out and "257 machine codings wait for review" in out
    assert loaded == [], f"`thematic status` imported {loaded}"
    out, loaded = fresh("status", str(old_project), "--format", "csv")
    with th.Project.open(old_project, create=False) as project:
        assert out == project.status.to_csv(index=False) and loaded == []  # byte for byte, line ends too


def test_store_summary_is_importable_without_pandas():
    code = ("import json, sys\nfrom thematic.store.summary import project_summary\n"
            f"print('\\nLOADED ' + json.dumps([m for m in {HEAVY!r} if m in sys.modules]))")
    assert fresh(code=code)[1] == []


def test_store_names_still_load_on_first_use():
    import thematic.store as store

    assert store.Project is th.Project and store.SCHEMA_VERSION >= 3
    assert callable(store.copy_project) and store.CopyReport.__name__ == "CopyReport"
    assert store.project.Project is store.Project  # submodules as attributes, as before
    assert {"Project", "AddReport", "SCHEMA_VERSION", "copy_project", "CopyReport"} <= set(dir(store))
    with pytest.raises(AttributeError):
        store.nosuch  # noqa: B018


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_status_prints_what_the_project_api_says(project_factory, old_project, fmt):
    """The CLI reads plain rows; they must say exactly what Project.status (a DataFrame) says, on both engines."""
    target = project_factory("status")
    th.store.copy_project(old_project, target)
    with th.Project.open(target, create=False) as project:
        project.accept(list(project.review_queue().coding_id[:2]), coder="Åse Ø, \"revisor\"")  # CSV quoting
        expected_repr, frame = repr(project), project.status
        waiting = len(project.review_queue())
    result = CliRunner().invoke(app, ["status", target, "--format", fmt])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert f"{waiting} machine codings wait for review" in result.output and expected_repr in result.output
    if fmt == "csv":
        assert out == frame.to_csv(index=False)
    elif fmt == "json":
        assert json.loads(out) == json.loads(frame.to_json(orient="records", force_ascii=False))
        assert out.count('"reviewed_by": null') == int(frame.reviewed_by.isna().sum())
    else:
        rows = [line for line in out.splitlines() if line.startswith("│")]
        assert len(rows) == len(frame) and any('Åse Ø, "revisor"' in r for r in rows)
        codings = [r.rstrip("│ ").rsplit("│", 1)[-1] for r in rows]
        assert [int(c) for c in codings] == list(frame.codings)
        assert rows[0].rstrip().endswith(f" {frame.codings.iloc[0]} │")  # numbers right-aligned, as before


def test_status_of_an_empty_and_of_a_missing_project(tmp_path):
    th.Project.open(tmp_path / "empty.thematic").close()
    result = CliRunner().invoke(app, ["status", str(tmp_path / "empty.thematic"), "--format", "csv"])
    assert result.exit_code == 0 and result.stdout == "coder,source,status,reviewed_by,codings\n"
    assert "0 machine codings wait for review" in result.output
    result = CliRunner().invoke(app, ["status", str(tmp_path / "nowhere.thematic")])
    assert result.exit_code == 2 and "[S001]" in result.output and "no such file" in result.output
    assert not (tmp_path / "nowhere.thematic").exists()  # status never makes a project


def test_status_of_a_project_from_a_newer_thematic_is_refused(tmp_path):
    import sqlite3

    path = tmp_path / "future.thematic"
    th.Project.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {th.store.SCHEMA_VERSION + 1}")
    conn.close()
    result = CliRunner().invoke(app, ["status", str(path)])
    assert result.exit_code == 2 and "[S002]" in result.output


def test_startup_benchmark_prints_figures_beside_the_baseline(old_project, capsys):
    spec = importlib.util.spec_from_file_location("startup", ROOT / "benchmarks" / "startup.py")
    startup = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(startup)
    assert startup.main(["--runs", "1", "--project", str(old_project), "--no-show", "--json"]) == 0
    out = capsys.readouterr().out
    figures = json.loads(out.strip().splitlines()[-1])
    assert set(figures) == set(startup.BASELINE) - {"thematic show P DOC"}
    assert "baseline" in out and startup.BASELINE_AT in out
    for name, f in figures.items():
        assert 0 < f["cpu_s"] <= f["wall_s"] * 2 + 0.5 and f["wall_s"] < 60, name
    assert figures["thematic status P"]["heavy"] == [] and figures["thematic --help"]["heavy"] == []


def test_coding_a_folder_and_recoding_load_no_pandas_or_matplotlib(tmp_path):
    """`thematic code` needs spaCy and numpy, not pandas: its closing table is read as plain rows, byte for
    byte what the DataFrame printed; re-coding after an edit loads no spaCy either."""
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "Lia-K1.txt").write_text(
        "I: Har dere en strategi?\n\nK1: Ja, vi har en digitaliseringsstrategi for skolene, og et målbilde.\n",
        encoding="utf-8")
    book, project = str(ROOT / "codebooks" / "digitalisering.yaml"), str(tmp_path / "p.thematic")
    out, loaded = fresh("code", str(tmp_path / "corpus"), "-c", book, "-p", project, "--format", "csv")
    assert "rules@digitalisering" in out and "pending" in out
    assert not {"pandas", "pyarrow", "matplotlib", "sklearn"} & set(loaded), loaded
    with th.Project.open(project, create=False) as stored:
        assert out.endswith(stored.status.to_csv(index=False))  # the same table the DataFrame gives
    out, loaded = fresh("code", "-c", book, "-p", project)
    assert "rule coding of the stored documents" in out
    assert not {"pandas", "spacy", "pyarrow", "matplotlib"} & set(loaded), loaded
