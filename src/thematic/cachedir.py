"""Where thematic keeps files of its own between runs: a folder in the user's cache.

``$XDG_CACHE_HOME/thematic`` (``~/.cache/thematic`` when the variable is unset or empty, as the XDG
base directory specification says). Everything kept there can be rebuilt, so it may be deleted at any
time: the decoded language dictionaries (:mod:`thematic.dictionaries`) and the stamps of projects
closed cleanly (:mod:`thematic.store.engine`). Imports nothing of thematic, so any module may use it.

Example:
    >>> cache_folder("dictionaries").parts[-2:]
    ('thematic', 'dictionaries')
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_folder(*parts: str) -> Path:
    """``$XDG_CACHE_HOME/thematic/<parts>`` (``~/.cache/thematic/...`` without the variable); not created."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base, "thematic", *parts)
