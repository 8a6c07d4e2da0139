"""Rebuild the sample Teams transcript (.vtt) from its plain-text source.

Each source line is ``Speaker: text``; like Teams, the text is cut into cues of
one or two sentences, each with its own id and timing.

    python data/tools/build_sample_vtt.py
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "sample_transcripts"
SENTENCE = re.compile(r"(?<=[.!?])\s+")


def stamp(seconds: float) -> str:
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{int(h):02d}:{int(m):02d}:{s:06.3f}"


def build(source: Path, target: Path) -> None:
    lines = ["WEBVTT", ""]
    clock, n = 2.0, 0
    namespace = uuid.UUID("6f1c2a52-0c2e-4f4e-9a59-3b1f0b7d2a10")
    for raw in source.read_text(encoding="utf-8").splitlines():
        if not raw.strip():
            continue
        speaker, text = raw.split(":", 1)
        sentences = SENTENCE.split(text.strip())
        for i in range(0, len(sentences), 2):
            cue = " ".join(sentences[i : i + 2])
            duration = max(1.5, len(cue.split()) * 0.38)
            n += 1
            lines += [f"{uuid.uuid5(namespace, source.stem)}/{n}-0",
                      f"{stamp(clock)} --> {stamp(clock + duration)}",
                      f"<v {speaker.strip()}>{cue}</v>", ""]
            clock += duration + 0.2
    target.write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    for src in sorted((HERE / "vtt_sources").glob("*.txt")):
        build(src, OUT / f"{src.stem}.vtt")
        print("wrote", OUT / f"{src.stem}.vtt")
