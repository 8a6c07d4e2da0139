"""Shared test fixtures. Tests never touch the network or download models."""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = ROOT / "data" / "sample_transcripts"
CODEBOOK_DIR = ROOT / "codebooks"
SHARED_DIR = ROOT.parent / "shared"
sys.path.insert(0, str(Path(__file__).parent))  # tests/pg_server.py, shared with benchmarks/team_coders.py

# A clean close records the project file's state in the user's cache folder (thematic/store/engine.py):
# tests, and the processes they start, keep those records in a folder of their own.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="thematic-test-cache-")
atexit.register(shutil.rmtree, os.environ["XDG_CACHE_HOME"], True)


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLE_DIR


@pytest.fixture(scope="session")
def codebook_dir() -> Path:
    return CODEBOOK_DIR


@pytest.fixture(scope="module")
def book(codebook_dir: Path):
    """The study's codebook (``codebooks/digitalisering.yaml``), loaded once per test module."""
    import thematic as th

    return th.Codebook.load(codebook_dir / "digitalisering.yaml")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared reference material; tests using it skip when a user's clone lacks it."""
    if not (SHARED_DIR / "refi-qda").is_dir():
        pytest.skip("../shared/refi-qda is absent (it is reference material beside the project, "
                    "not part of a user's clone)")
    return SHARED_DIR


def require_component(available: bool, what: str, how: str) -> None:
    """Skip a test whose system component is missing, saying how to install it; under CI=true, fail instead.

    CI installs every component (``.ci/run``), so a test skipped there would hide a broken install step.
    """
    if available:
        return
    message = f"{what} is not installed here; install it with: {how}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but {message}", pytrace=False)
    pytest.skip(message)


# -- the project store on both engines ------------------------------------------------------------------------

ENGINES = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def pg_server():
    """One throwaway PostgreSQL server for the whole session (tests get a fresh schema each)."""
    import pg_server as pg

    require_component(pg.available(), "PostgreSQL (initdb, pg_ctl) with the psycopg driver",
                      pg.HOW + '; pip install -e ".[team]"')
    server = pg.ThrowawayPostgres().start()
    try:
        server.create_database("thematic_tests")
        yield server
    finally:
        server.stop()


@pytest.fixture(params=ENGINES)
def engine(request) -> str:
    """The store engine a test runs on: each test using it runs once per engine."""
    return request.param


_schemas = iter(range(1, 10**9))


@pytest.fixture
def project_factory(engine, tmp_path, request):
    """``project_factory("name")`` gives a new, empty project location on this test's engine:
    a file in ``tmp_path`` (SQLite) or a fresh schema in the session's PostgreSQL database."""
    server = request.getfixturevalue("pg_server") if engine == "postgresql" else None

    def make(name: str = "study") -> str:
        if server is None:
            return str(tmp_path / f"{name}.thematic")
        return server.url("thematic_tests", schema=f"t{next(_schemas)}_{name.lower()}")

    return make
