"""codepoints keeps each class's table over the Basic Multilingual Plane in the user's cache folder: a saved
table is the one the class's own test makes, a damaged or foreign file is made again, and a cache folder
that cannot be written only means the table is made in every process."""

from __future__ import annotations

import re

import numpy as np
import pytest

from thematic.codepoints import _CHECK, BMP, _load_table, _made_table, _table, _table_path, classify, code_points

TESTS = [str.isspace, str.isdecimal, re.compile(r"[^\W_]"), re.compile(r"\w", re.ASCII), re.compile(r"[^\W\d_]")]


def test_a_saved_table_is_the_one_the_test_makes(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    for test in TESTS:
        path = _table_path(test)
        assert path is not None and str(path).startswith(str(tmp_path)) and not path.exists()
        made = _made_table(test)
        first = _table.__wrapped__(test)  # made, then saved
        assert path.stat().st_size == BMP // 8 + _CHECK
        again = _table.__wrapped__(test)  # read back
        assert np.array_equal(first, made) and np.array_equal(again, made) and again.dtype == bool
        assert not again.flags.writeable
    assert len({_table_path(t) for t in TESTS}) == len(TESTS)  # pattern, flags and method each named apart
    assert _table_path(lambda c: c == "a") is None  # no stable name: made, never saved
    regex = pytest.importorskip("regex")
    assert _table_path(regex.compile(r"\w")) != _table_path(re.compile(r"\w"))  # another module's tables


def test_a_damaged_table_file_is_made_again(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    test = re.compile(r"[^\W_]")
    path = _table_path(test)
    path.parent.mkdir(parents=True)
    _table.__wrapped__(test)
    good = path.read_bytes()
    flipped = bytes([good[100] ^ 1])  # one bit of the class changed, the length right: caught by the checksum
    for damaged in (b"", b"\xff" * 100, b"\x00" * (BMP // 8 + 1), good[:100] + flipped + good[101:], good[:-1]):
        path.write_bytes(damaged)
        assert _load_table(path) is None
        assert np.array_equal(_table.__wrapped__(test), _made_table(test))
        assert path.read_bytes() == good  # written again whole


def test_an_unwritable_cache_folder_still_gives_the_right_classes(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    points = code_points("Ja,\u3000 2² ø_😀\ud800")
    for test in TESTS:
        table = _table.__wrapped__(test)
        assert np.array_equal(table, _made_table(test))
    assert classify(points, str.isspace).tolist() == [c.isspace() for c in "Ja,\u3000 2² ø_😀\ud800"]
