"""Shared test fixtures. Tests never touch the network or download models."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = ROOT / "data" / "sample_transcripts"
CODEBOOK_DIR = ROOT / "codebooks"
SHARED_DIR = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLE_DIR


@pytest.fixture(scope="session")
def codebook_dir() -> Path:
    return CODEBOOK_DIR


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
