"""Every command has help and is documented in the README (as sqlite-utils checks its docs)."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from thematic.cli import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def commands() -> list[list[str]]:
    click_app = typer.main.get_command(app)
    out = []
    for name, command in click_app.commands.items():
        if hasattr(command, "commands"):
            out += [[name, sub] for sub in command.commands]
        else:
            out.append([name])
    return out


@pytest.mark.parametrize("command", commands(), ids=" ".join)
def test_every_command_has_help_and_is_in_the_readme(command):
    result = CliRunner().invoke(app, [*command, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output
    if command[0] != "version":
        assert f"thematic {command[0]}" in README or command[-1] in README, command


def test_thematic_errors_become_clean_messages(tmp_path):
    result = CliRunner().invoke(app, ["ingest", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "[T008]" in result.output and "Traceback" not in result.output
