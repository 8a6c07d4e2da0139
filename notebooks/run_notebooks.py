"""Execute every notebook top to bottom and store its outputs, so readers see the findings without running them.

    python notebooks/run_notebooks.py            # all notebooks
    python notebooks/run_notebooks.py 01 03      # those whose names start with 01 or 03

Notebooks run with this folder as the working directory and write only to ../work/ (ignored by git).
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent
TIMEOUT = 600


def execute(path: Path) -> nbformat.NotebookNode:
    """Run a notebook in a fresh kernel (cwd: notebooks/) and return it with its outputs."""
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=TIMEOUT, kernel_name="python3",
                   resources={"metadata": {"path": str(HERE)}}).execute()
    return notebook


def main(prefixes: list[str]) -> int:
    for path in sorted(HERE.glob("*.ipynb")):
        if prefixes and not path.name.startswith(tuple(prefixes)):
            continue
        notebook = execute(path)
        nbformat.write(notebook, path)
        print(f"executed and saved {path.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
