"""Store an imported REFI-QDA project in a thematic project (codings keep their coders)."""

from __future__ import annotations

from pathlib import Path

from .load import RefiProject, load_qdpx


def import_into(project, imported: RefiProject | str | Path, *, language: str = "nb") -> dict:
    """Add documents, the code tree, codings (source ``import``) and notes; returns counts.

    ``imported`` is a loaded project (:func:`load_qdpx`) or the path of a .qdpx/.qde file
    (read with ``language`` for its texts).

    >>> import_into(th.Project.open("work/p.thematic"), "colleague.qdpx")  # doctest: +SKIP
    """
    if not isinstance(imported, RefiProject):
        imported = load_qdpx(imported, language=language)
    if imported.native:
        return _restore(project, imported)
    project.add(imported.documents, coder="import")
    if imported.codebook is not None and len(imported.codebook):
        project.add_codebook(imported.codebook)
    counts = {"documents": len(imported.documents), "codes": len(imported.codebook or []), "codings": 0, "notes": 0}
    if len(imported.codings):
        for coder, block in imported.codings.groupby("coder"):
            counts["codings"] += len(project.add_codings(block, source="import", coder=coder))
    for note in imported.notes.itertuples(index=False):
        doc_id = note.target.split(":", 1)[0] if ":" in note.target else None
        project.memo(note.text, coder=note.coder or "import", doc_id=doc_id)
        counts["notes"] += 1
    return counts


def _restore(project, imported: RefiProject) -> dict:
    """A thematic project's own export: codings keep coder, source, status and reviewer; memos their targets."""
    project.add(imported.documents, coder="import")
    if imported.codebook is not None and len(imported.codebook):
        project.add_codebook(imported.codebook)
    codings = imported.codings
    ids = project.restore_codings(codings, coder="import") if len(codings) else []
    new_id = {str(n): new for n, new in enumerate(ids)}  # memos name a coding by its place in the list
    for m in imported.memos.itertuples(index=False):
        target = {"code": {"code": m.target_id}, "document": {"doc_id": m.target_id}}.get(m.target_kind, {})
        if m.target_kind == "coding" and str(m.target_id) in new_id:
            target = {"coding_id": new_id[str(m.target_id)]}
        project.memo(m.text, coder=m.coder or "import", **target)
    return {"documents": len(imported.documents), "codes": len(imported.codebook or []), "codings": len(ids),
            "notes": len(imported.memos)}
