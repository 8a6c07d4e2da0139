"""Command-line interface: a thin layer over the library.

Each command module parses arguments, makes one library call and prints the
result; ``ThematicError`` becomes a clean message (``_app.friendly``).
"""

from __future__ import annotations

from ._app import app
from . import (  # noqa: F401  (importing registers the commands)
    ingest_cmd, codebook_cmd, code_cmd, codes_cmd, report_cmd, refi_cmd, privacy_cmd, reliability_cmd, backup_cmd,
    evaluate_cmd, show_cmd,
)


def main() -> None:
    app()


__all__ = ["app", "main"]
