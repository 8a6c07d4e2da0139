"""Shared test fixtures. Tests never touch the network or download models."""

from __future__ import annotations

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
