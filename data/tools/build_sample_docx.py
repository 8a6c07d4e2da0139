"""Rebuild the sample Word transcripts from their plain-text sources.

Source markup, one line per paragraph: ``# `` a heading; ``a | b | c`` a table row
(consecutive rows form one table); ``**Label:** text`` a bold speaker label;
anything else a plain paragraph. Blank lines separate paragraphs.

    python data/tools/build_sample_docx.py
"""

from __future__ import annotations

import re
from pathlib import Path

import docx

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "sample_transcripts"
BOLD_LABEL = re.compile(r"^\*\*(?P<label>[^*]+)\*\*\s*(?P<rest>.*)$")


def build(source: Path, target: Path) -> None:
    document = docx.Document()
    document.core_properties.author = "thematic sample corpus"
    document.core_properties.title = source.stem
    rows: list[list[str]] = []
    for line in source.read_text(encoding="utf-8").splitlines() + [""]:
        if "|" in line and not line.startswith("#"):
            rows.append([cell.strip() for cell in line.split("|")])
            continue
        if rows:
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            table.style = "Table Grid"
            for r, values in enumerate(rows):
                for c, value in enumerate(values):
                    table.cell(r, c).text = value
            rows = []
        if not line.strip():
            continue
        if line.startswith("# "):
            document.add_heading(line[2:].strip(), level=1)
            continue
        match = BOLD_LABEL.match(line)
        paragraph = document.add_paragraph()
        if match:
            paragraph.add_run(match["label"]).bold = True
            paragraph.add_run(" " + match["rest"])
        else:
            paragraph.add_run(line)
    document.save(target)


if __name__ == "__main__":
    for src in sorted((HERE / "docx_sources").glob("*.txt")):
        build(src, OUT / f"{src.stem}.docx")
        print("wrote", OUT / f"{src.stem}.docx")
