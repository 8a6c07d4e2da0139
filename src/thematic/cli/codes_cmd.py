"""``thematic codes rename|merge|move``: revise the codes of a project (one undoable event each)."""

from __future__ import annotations

import getpass
from pathlib import Path

import typer

from ._app import app, console, friendly

codes_app = typer.Typer(help="Rename, merge and move codes in a project (undo with project.undo()).",
                        no_args_is_help=True)
app.add_typer(codes_app, name="codes")

_CODER = typer.Option(None, "--coder", help="Who made the change (default: your login name).")


def _open(project: Path):
    from ..errors import Errors, StoreError
    from ..store import Project

    if not project.is_file():
        raise StoreError(Errors.S001.format(path=project, detail="no such file"), path=project)
    return Project.open(project)


def _show(result: dict) -> None:
    for old, new in result["mapping"].items():
        console.print(f"  {old} -> {new}", highlight=False)
    console.print(f"{result['codings']} codings moved, {result['collapsed']} collapsed into another coding of the "
                  f"same span by the same coder; codebook version {result['codebook_version']}", highlight=False)


@codes_app.command("rename")
@friendly
def rename(project: Path = typer.Argument(..., help="Project file."),
           old: str = typer.Argument(..., help="Code id to rename, e.g. target_picture.unclear."),
           new: str = typer.Argument(..., help="New id (same parent) or new slug."),
           coder: str = _CODER) -> None:
    """Rename a code and its sub-codes; every coding, rule and memo follows."""
    with _open(project) as store:
        _show(store.rename_code(old, new, coder=coder or getpass.getuser()))


@codes_app.command("merge")
@friendly
def merge(project: Path = typer.Argument(..., help="Project file."),
          codes: list[str] = typer.Argument(..., help="Codes to merge."),
          into: str = typer.Option(..., "--into", help="The code they become (one of them, another, or a new id)."),
          coder: str = _CODER) -> None:
    """Merge codes into one; a coder's codings of the same span collapse, each author's stay distinct."""
    with _open(project) as store:
        _show(store.merge_codes(codes, into=into, coder=coder or getpass.getuser()))


@codes_app.command("move")
@friendly
def move(project: Path = typer.Argument(..., help="Project file."),
         code: str = typer.Argument(..., help="Code to move (with its sub-codes)."),
         parent: str = typer.Option(None, "--parent", help="Theme or code to move it under."),
         as_theme: bool = typer.Option(False, "--as-theme", help="Make the code a theme of its own."),
         coder: str = _CODER) -> None:
    """Move a code under another theme or code."""
    from ..errors import Errors, ThematicError

    if (parent is None) == (not as_theme):
        raise ThematicError(Errors.A002.format(detail="give --parent THEME (or --as-theme to make the code a theme)"))
    with _open(project) as store:
        _show(store.move_code(code, parent=None if as_theme else parent, coder=coder or getpass.getuser()))
