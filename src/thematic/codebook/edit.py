"""Revising a codebook during an analysis: rename, merge and move codes (pure functions).

Thematic analysis revises its themes (Braun and Clarke's phase of reviewing themes).
Each function returns a new :class:`Codebook` with the next version (the last number of
the version goes up: ``1.0.0`` -> ``1.0.1``) and the mapping of old to new code ids; a
code's rules (patterns, exclusions) travel with it, and so do its sub-codes. The YAML is
regenerated with :meth:`Codebook.to_yaml` and parsed again, so the result is validated
like any codebook. Comments of the original YAML are not kept in the new version.

Example:
    >>> new, mapping = rename(book, "target_picture.unclear", "target_picture.vague")  # doctest: +SKIP

``diff(old, new)`` says which codes were added, removed, renamed or merged between two versions.
"""

from __future__ import annotations

import dataclasses
import re

from ..errors import CodebookError, Errors
from .io import Codebook
from .model import Code


def next_version(version: str) -> str:
    """``1.0.0`` -> ``1.0.1``; ``2`` -> ``3``; a version without a number gets ``.1``."""
    match = re.search(r"(\d+)(\D*)$", version)
    if not match:
        return f"{version}.1"
    return f"{version[:match.start(1)]}{int(match.group(1)) + 1}{match.group(2)}"


def _rebuild(book: Codebook, codes: list[Code]) -> Codebook:
    info = dataclasses.replace(book.info, version=next_version(book.version))
    draft = Codebook(info, codes, book.path)
    return Codebook.loads(draft.to_yaml(), path=book.path or f"<{book.id}>")


def _need(book: Codebook, code_id: str) -> Code:
    return book.get(code_id)  # CodebookError with close matches when unknown


def _remap(code_id: str, old: str, new: str) -> str:
    if code_id == old:
        return new
    if code_id.startswith(old + "."):
        return new + code_id[len(old):]
    return code_id


def _moved(book: Codebook, old: str, new: str) -> tuple[list[Code], dict[str, str]]:
    mapping = {c.id: _remap(c.id, old, new) for c in book.codes if _remap(c.id, old, new) != c.id}
    return [dataclasses.replace(c, id=mapping.get(c.id, c.id)) for c in book.codes], mapping


def _check_new(book: Codebook, new: str) -> None:
    if new in book:
        raise CodebookError(Errors.C002.format(path=book.path or book.id,
                                               detail=f"there is already a code '{new}'; merge into it instead"))
    for slug in new.split("."):
        if not re.match(r"^[a-z0-9][a-z0-9_\-]*$", slug):
            raise CodebookError(Errors.C002.format(
                path=book.path or book.id, detail=f"'{new}' is not a code id: use lower-case slugs joined by dots"))


def rename(book: Codebook, old: str, new: str) -> tuple[Codebook, dict[str, str]]:
    """Rename code ``old`` (and its sub-codes) to ``new``: a full id under the same parent, or a slug."""
    code = _need(book, old)
    if "." not in new and code.parent:
        new = f"{code.parent}.{new}"
    if (new.rsplit(".", 1)[0] if "." in new else None) != code.parent:
        raise CodebookError(Errors.C002.format(
            path=book.path or book.id, detail=f"renaming '{old}' to '{new}' would move it to another parent; "
                                              "use move_code (thematic codes move) for that"))
    _check_new(book, new)
    codes, mapping = _moved(book, old, new)
    return _rebuild(book, codes), mapping


def move(book: Codebook, code_id: str, parent: str | None) -> tuple[Codebook, dict[str, str]]:
    """Move a code (with its sub-codes) under ``parent``; ``parent=None`` makes it a theme."""
    code = _need(book, code_id)
    if parent is not None:
        _need(book, parent)
        if parent == code_id or parent.startswith(code_id + "."):
            raise CodebookError(Errors.C002.format(path=book.path or book.id,
                                                   detail=f"cannot move '{code_id}' under itself ('{parent}')"))
    slug = code.id.rsplit(".", 1)[-1]
    new = f"{parent}.{slug}" if parent else slug
    if new == code_id:
        return book, {}
    _check_new(book, new)
    codes, mapping = _moved(book, code_id, new)
    return _rebuild(book, codes), mapping


def merge(book: Codebook, sources: list[str], into: str) -> tuple[Codebook, dict[str, str]]:
    """Merge ``sources`` into ``into``: their rules, examples and sub-codes go to ``into``.

    ``into`` may be one of the sources, another code, or a new id (under an existing parent, or a
    new theme): then the first source takes that id and the others are merged into it.
    """
    sources = list(dict.fromkeys(sources))
    for s in sources:
        _need(book, s)
    if len(set(sources) | {into}) < 2:
        raise CodebookError(Errors.C002.format(path=book.path or book.id, detail="merging needs at least two codes"))
    mapping: dict[str, str] = {}
    if into not in book:
        book, mapping = move_and_rename(book, sources[0], into)
        sources = sources[1:]
    merged = [s for s in sources if s != into]
    for s in merged:
        if into.startswith(s + "."):
            raise CodebookError(Errors.C002.format(path=book.path or book.id,
                                                   detail=f"cannot merge '{s}' into its own sub-code '{into}'"))
    target = book.get(into)
    patterns, not_patterns, examples = list(target.patterns), list(target.not_patterns), list(target.examples)
    for s in merged:
        code = book.get(s)
        patterns += [p for p in code.patterns if p not in patterns]
        not_patterns += [p for p in code.not_patterns if p not in not_patterns]
        examples += [e for e in code.examples if e not in examples]
        for c in book.codes:
            if c.id == s or c.id.startswith(s + "."):
                mapping[c.id] = into + c.id[len(s):]
    # ids given back by the first step (a rename) map from the original ids
    mapping = {k: mapping.get(v, v) for k, v in mapping.items()}
    out, seen = [], set()
    for c in book.codes:
        if c.id in merged:
            continue
        new_id = mapping.get(c.id, c.id)
        if c.id == into:
            c = dataclasses.replace(c, patterns=tuple(patterns), not_patterns=tuple(not_patterns),
                                    examples=tuple(examples))
        if new_id in seen:
            raise CodebookError(Errors.C002.format(path=book.path or book.id,
                                                   detail=f"merging would make two codes '{new_id}'; rename one first"))
        seen.add(new_id)
        out.append(dataclasses.replace(c, id=new_id))
    return _rebuild(book, out), {k: v for k, v in mapping.items() if k != v}


def move_and_rename(book: Codebook, old: str, new: str) -> tuple[Codebook, dict[str, str]]:
    """Give code ``old`` the full id ``new`` wherever its parent (which must exist)."""
    _need(book, old)
    parent = new.rsplit(".", 1)[0] if "." in new else None
    if parent is not None:
        _need(book, parent)
    _check_new(book, new)
    codes, mapping = _moved(book, old, new)
    return Codebook(book.info, codes, book.path, book.source_text), mapping


def diff(old: Codebook | None, new: Codebook, renamed: dict[str, str] | None = None) -> dict[str, list]:
    """Codes ``added``, ``removed``, ``renamed`` and ``merged`` ((old, new) pairs) between two versions.

    ``renamed`` is the mapping recorded when the codes were renamed, merged or moved; without
    it a code counts as renamed when a removed and an added code have the same rules.
    """
    before = {c.id: c for c in (old.codes if old is not None else [])}
    after = {c.id: c for c in new.codes}
    renamed = dict(renamed or {})
    added = [c for c in after if c not in before]
    removed = [c for c in before if c not in after]
    for gone in list(removed):
        if gone in renamed:
            continue
        twin = [a for a in added if (after[a].patterns, after[a].not_patterns) ==
                (before[gone].patterns, before[gone].not_patterns) and (after[a].patterns or after[a].not_patterns)]
        if len(twin) == 1:
            renamed[gone] = twin[0]
    pairs = [(o, n) for o, n in renamed.items() if o in before and o not in after and n in after]
    targets = [n for _, n in pairs]
    merged = [(o, n) for o, n in pairs if n in before or targets.count(n) > 1]
    return {"added": [a for a in added if a not in set(targets)],
            "removed": [r for r in removed if r not in dict(pairs)],
            "renamed": [p for p in pairs if p not in merged],
            "merged": merged}
