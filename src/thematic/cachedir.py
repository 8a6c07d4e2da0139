"""Where thematic keeps files of its own between runs: a folder in the user's cache.

``$XDG_CACHE_HOME/thematic`` (``~/.cache/thematic`` when the variable is unset or empty, as the XDG
base directory specification says). Everything kept there can be rebuilt, so it may be deleted at any
time: the decoded language dictionaries (:mod:`thematic.dictionaries`), the character-class tables
(:mod:`thematic.codepoints`) and the stamps of projects closed cleanly (:mod:`thematic.store.engine`).
Imports nothing of thematic, so any module may use it.

Example:
    >>> cache_folder("dictionaries").parts[-2:]
    ('thematic', 'dictionaries')
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def cache_folder(*parts: str) -> Path:
    """``$XDG_CACHE_HOME/thematic/<parts>`` (``~/.cache/thematic/...`` without the variable); not created."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base, "thematic", *parts)


def save(write, path: Path) -> None:
    """``write(temporary path)`` in ``path``'s folder (made if missing), then rename the finished file to
    ``path``: a process reading it never sees half a file. An ``OSError`` (a folder that cannot be written,
    a full disk) is raised after the temporary file is removed; the caller decides what not saving means."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
