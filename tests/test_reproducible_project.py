"""Coding the same corpus twice writes the same project file (apart from times): nothing in it depends
on the process's string hashing (PYTHONHASHSEED), so two runs of a study can be compared byte for byte."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys

CODE = r'''
import sys, thematic as th
with th.Project.open(sys.argv[1]) as project:
    project.add(th.ingest(sys.argv[2]))
    project.autocode(th.Codebook.load(sys.argv[3]))
'''


def _tables(path) -> dict[str, str]:
    """A digest of every table's rows, without the columns that hold times or the event log's payloads."""
    con = sqlite3.connect(path)
    try:
        out = {}
        for (table,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
            columns = [r[1] for r in con.execute(f"PRAGMA table_info({table})")
                       if not r[1].endswith("_at") and r[1] not in ("at", "payload", "value")]
            rows = sorted(map(repr, con.execute(f"SELECT {', '.join(repr(c).replace(chr(39), chr(34)) for c in columns)} "
                                                f"FROM {table}")))
            out[table] = f"{len(rows)} {hashlib.sha256(chr(10).join(rows).encode()).hexdigest()}"
        return out
    finally:
        con.close()


def test_two_first_codings_with_other_string_hashing_write_the_same_tables(tmp_path, sample_dir, codebook_dir):
    corpus = tmp_path / "corpus"  # two interviews (nb, sv) are enough to show a dependence on hashing, and quick
    corpus.mkdir()
    for name in ("Fjordvik-K2.txt", "Sjöberga-S1.txt"):
        (corpus / name).write_bytes((sample_dir / name).read_bytes())
    digests = []
    for seed in ("1", "2"):
        path = tmp_path / f"p{seed}.thematic"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", CODE, str(path), str(corpus), str(codebook_dir / "digitalisering.yaml")],
                       env=env, check=True, capture_output=True)
        digests.append(_tables(path))
    assert digests[0]["codings"].split()[0] != "0" and digests[0]["coding_memory"].split()[0] != "0"
    assert digests[0] == digests[1]
