"""thematic.cachedir: the one place that reads $XDG_CACHE_HOME, for the dictionaries and the project stamps."""

from __future__ import annotations

from pathlib import Path

from thematic import dictionaries
from thematic.cachedir import cache_folder
from thematic.store.engine import _stamp_file


def test_cache_folder_follows_xdg_cache_home(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_folder() == tmp_path / "xdg" / "thematic"
    assert cache_folder("a", "b") == tmp_path / "xdg" / "thematic" / "a" / "b"
    assert not (tmp_path / "xdg").exists()  # a path only: nothing is created


def test_cache_folder_without_the_variable_or_with_it_empty_is_under_home(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache_folder("x") == tmp_path / "home" / ".cache" / "thematic" / "x"
    monkeypatch.setenv("XDG_CACHE_HOME", "")
    assert cache_folder("x") == tmp_path / "home" / ".cache" / "thematic" / "x"


def test_dictionaries_and_project_stamps_use_it(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert dictionaries.cache_folder() == tmp_path / "thematic" / "dictionaries"
    stamp = _stamp_file(Path("some/project.thematic"))
    assert stamp.parent == tmp_path / "thematic" / "checked" and len(stamp.name) == 32
    assert _stamp_file(None) is None
