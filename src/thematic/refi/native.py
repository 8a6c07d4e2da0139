"""What REFI-QDA has no room for, carried beside it: ``thematic/project.json`` in the ``.qdpx``.

The standard part (``project.qde`` and ``sources/``) is what NVivo, ATLAS.ti, MAXQDA and
QualCoder read; they ignore this member. It holds what a round trip through thematic must
keep and the standard cannot say: code ids and the codebook as stored, each coding's source,
status and reviewer, documents' speakers, roles, original line numbers and every case
attribute (``speaker_map``, ``informants``, custom columns), and memos with their targets.

On import the member is used only when its fingerprint (each source's GUID and the SHA-256 of
its text) matches the sources the standard part holds, so an archive whose texts were edited
by another tool is read by the standard alone.

Example:
    >>> data = payload(project, source_guid)  # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
import hashlib
import json

import pandas as pd

from ..corpus import Document, Segment
from ..types import CODING_COLUMNS

MEMBER = "thematic/project.json"
FORMAT = "thematic-qdpx/1"
#: Provenance kept with each coding beyond the tidy columns.
REVIEW_COLUMNS = ["status", "reviewed_by", "reviewed_at"]
MEMO_COLUMNS = ["target_kind", "target_id", "text", "coder"]
#: Statuses a round trip keeps: visible codings and the decisions people made about machine ones.
KEPT_STATUSES = ("active", "pending", "rejected")


def fingerprint(texts: dict[str, str]) -> str:
    """SHA-256 over each source's GUID and its text's SHA-256, in GUID order."""
    digest = hashlib.sha256()
    for guid in sorted(texts):
        digest.update(f"{guid}\0{hashlib.sha256(texts[guid].encode('utf-8')).hexdigest()}\n".encode())
    return digest.hexdigest()


def _plain(value):
    """JSON-safe scalar (pandas NA and numpy numbers become None and int)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def payload(project, source_guid: dict[str, str]) -> bytes:
    """The member's bytes: sorted keys, no timestamps of its own, so the same project gives the same bytes."""
    documents = project.documents
    codings = project.codings_frame(statuses=KEPT_STATUSES, include_suggestions=True)
    book = project.codebook
    docs = []
    for d in documents:
        segments = [{k: v for k, v in dataclasses.asdict(s).items() if k != "doc_id"} for s in d.segments]
        docs.append({"doc_id": d.doc_id, "guid": source_guid[d.doc_id], "path": d.path, "format": d.format,
                     "language": d.language, "case": d.case, "attributes": dict(d.attributes),
                     "segments": segments, "line_map": [list(x) for x in d.line_map]})
    rows = [{c: _plain(v) for c, v in zip(CODING_COLUMNS + REVIEW_COLUMNS, r)}
            for r in codings[CODING_COLUMNS + REVIEW_COLUMNS].itertuples(index=False)]
    # No database ids or times of writing: a memo on a coding names the coding's place in "codings",
    # so exporting the imported project again gives the same bytes.
    position = {str(i): str(n) for n, i in enumerate(codings["coding_id"])}
    memos = []
    for m in project.memos.to_dict("records"):
        memo = {k: _plain(m[k]) for k in MEMO_COLUMNS}
        if memo["target_kind"] == "coding":
            memo["target_id"] = position.get(str(memo["target_id"]))  # None: its coding was removed
        memos.append(memo)
    data = {"format": FORMAT, "fingerprint": fingerprint({source_guid[d.doc_id]: d.text for d in documents}),
            "codebook": book.source_text if book is not None and book.source_text else None,
            "documents": docs, "codings": rows, "memos": memos}
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1, default=str).encode("utf-8")


def restore(result, raw: bytes) -> bool:
    """Replace what ``result`` (a :class:`RefiProject` read by the standard) holds with the member's
    content when its fingerprint matches the sources read; returns whether it did."""
    from ..codebook import Codebook

    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        result.tolerated.append(f"{MEMBER} is unreadable ({exc}); read by the standard alone")
        return False
    texts = {str(d.attributes.get("refi_guid")): d.text for d in result.documents}
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("fingerprint") != fingerprint(texts):
        result.tolerated.append(f"{MEMBER} does not match the archive's sources (edited by another tool?); "
                                "read by the standard alone")
        return False
    documents = []
    for d in data["documents"]:
        segments = tuple(Segment(d["doc_id"], **s) for s in d["segments"])
        documents.append(Document(d["doc_id"], texts[d["guid"]], d["path"], d["format"], d["language"], d["case"],
                                  d["attributes"], segments, tuple(tuple(x) for x in d["line_map"])))
    codings = pd.DataFrame(data["codings"], columns=CODING_COLUMNS + REVIEW_COLUMNS)
    for c in ("start", "end", "line_start", "line_end"):
        codings[c] = codings[c].astype("Int64")
    result.documents = documents
    result.codings = codings
    if data.get("codebook"):
        result.codebook = Codebook.loads(data["codebook"], path=f"<codebook in {result.path}>")
    result.memos = pd.DataFrame(data["memos"], columns=MEMO_COLUMNS)
    result.native = True
    result.tolerated.append(f"restored from {MEMBER}: code ids, coding provenance, speakers, lines, case "
                            "attributes and memo targets as thematic stored them")
    return True
