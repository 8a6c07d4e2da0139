"""What ``thematic.ingest`` makes of a fixed set of inputs, as digests: the definition of "the same ingest".

Taken before ingest was made faster for issue 21 (commit 7808f25) and frozen in
``tests/data/ingest_fingerprint.json``; ``tests/test_ingest_fingerprint.py`` compares today's ingest with it.
Every Document field (text, segments with their speakers, roles, turns, informants, lines, times, pages and
headings, line map, language, case, attributes) and every problem message is covered.

Inputs: the sample transcripts, the label and source fixtures, a generated corpus (paragraphs of the
sample and fixture transcripts shuffled into 60 files, with exact and near duplicates, CRLF, BOMs, cp1252,
front matter, Swedish, English and mixed documents, multi-line paragraphs, rejected labels), hostile
single files (empty, binary, broken encodings, broken front matter and captions, control characters, a
huge line) and ``ingest_text`` on a few pastes.

Regenerate ONLY when a change to ingest's output is intended (and say so in the commit):
    PYTHONPATH=src python tests/ingest_fingerprint.py --write
"""

from __future__ import annotations

import codecs
import hashlib
import json
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FROZEN = ROOT / "tests" / "data" / "ingest_fingerprint.json"
SAMPLE = ROOT / "data" / "sample_transcripts"
LABELS = ROOT / "tests" / "fixtures" / "labels"
SOURCES = ROOT / "tests" / "fixtures" / "sources"


def _paragraphs() -> list[str]:
    """Blank-line separated paragraphs of every plain transcript of the sample and the label fixtures."""
    out = []
    for folder in (SAMPLE, LABELS):
        for path in sorted(folder.glob("*.txt")) + sorted(folder.glob("*.md")):
            data = path.read_bytes()
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = data.decode("cp1252")  # the Swedish sample is a Windows-1252 file
            text = text.replace("\r\n", "\n")
            out += [p.strip("\n") for p in text.split("\n\n") if p.strip()]
    return out


def generated_corpus(out: Path, seed: int = 21) -> None:
    """60 files of shuffled paragraphs with the variations ingest has to get right (deterministic)."""
    rng = random.Random(seed)
    paragraphs = _paragraphs()
    swedish = [p for p in paragraphs if any(w in p.split() for w in ("och", "inte", "att", "är"))]
    english = ["Interviewer: What does the plan say about the schools and the teachers?",
               "K1: We have a strategy for the whole municipality, and the teachers were part of the work "
               "from the very beginning, which was important for how it was received.",
               "Interviewer: And how is it followed up?",
               "K1: The principals report twice a year on what they have done, and we talk about it in the "
               "leadership group; there is no separate budget for this, which is a problem."]
    texts: list[str] = []
    for n in range(52):
        k = rng.randint(3, 40)
        chosen = [rng.choice(paragraphs) for _ in range(k)]
        if n % 7 == 3:  # multi-line paragraphs: lines of a turn broken where a transcriber pressed Enter
            chosen = [p.replace(". ", ".\n", 2) for p in chosen]
        if n % 9 == 4:
            chosen = [rng.choice(swedish) for _ in range(k)] if swedish else chosen
        if n % 11 == 5:
            chosen = english * 3
        if n % 13 == 6 and swedish:  # a Norwegian interview quoting Swedish
            chosen = chosen + [rng.choice(swedish) for _ in range(max(k // 3, 1))]
        if n % 5 == 2:
            chosen = ["Dato: 3. mars 2026", "Sted: Tindvik rådhus", "Tilskudd: 2,5 mill."] + chosen
        if n % 8 == 1:
            chosen.insert(len(chosen) // 2, "Merknad: opptaket var dårlig her")
        texts.append("\n\n".join(chosen) + "\n")
    texts.append(texts[10].upper().replace("\n\n", "\n\n\n"))  # the same words: a duplicate
    near = texts[12].split("\n\n")
    texts.append("\n\n".join(near[:-1]) + "\n" if len(near) > 8 else texts[12] + "K1: Ja.\n")  # near-duplicate
    half = texts[14].split("\n\n")
    texts.append("\n\n".join(half[: len(half) // 2] + [rng.choice(paragraphs) for _ in range(len(half))]) + "\n")
    texts.append("Intervjuer: Hei?\n\nK1: Ja.\n")  # a short paste
    texts.append("Bare noen ord.\n")  # too little text to tell the language
    texts.append("K1: " + " ".join(rng.choice(paragraphs).split()[:3]) + "\n")
    texts.append("\n\n".join(paragraphs[:6]) + "\n")
    texts.append("\n\n".join(paragraphs[:6]) + "\n")  # an exact copy under another name
    for n, text in enumerate(texts):
        name = f"Gen{n:03d}-K{n % 5 + 1}"
        if n % 10 == 0:
            (out / f"{name}.md").write_text("---\ncase: Genby\nlanguage: nb\n---\n\n# Intervju\n\n" + text,
                                            encoding="utf-8")
        elif n % 10 == 1:
            (out / f"{name}.txt").write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
        elif n % 10 == 2:
            (out / f"{name}.txt").write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
        elif n % 10 == 3:
            (out / f"{name}.txt").write_bytes(text.encode("cp1252", "replace"))
        elif n % 10 == 4:
            (out / f"{name}.txt").write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
        elif n % 10 == 5:
            lines = text.split("\n")
            mixed = b"\n".join(line.encode("cp1252", "replace") if i % 4 == 1 else line.encode("utf-8")
                               for i, line in enumerate(lines))
            (out / f"{name}.txt").write_bytes(mixed)
        elif n % 10 == 6:
            (out / f"{name}.txt").write_text(text.replace("\n\n", "\n\f\n", 1).replace("K1:", "K1:\u2028", 1),
                                             encoding="utf-8")
        else:
            (out / f"{name}.txt").write_text(text, encoding="utf-8")


# A copy of tests/adversarial/test_hostile_transcripts.py's broken captions, on purpose: the fingerprint's
# inputs are frozen with it, so a later edit of that test must not change what this one compares.
VTT = """WEBVTT

00:00:01.000 --> 00:00:04.000
<v Intervjuer>Hva med planen?

00:00:05.000 --> 00:00:0X.000
<v K1>Denne cuen er ødelagt.

00:00:09.000 --> 00:00:12.000
<v K1>Vi har en plan for skolene.

00:00:20.000 --> 00:00:15.000
<v K1>Denne slutter før den starter.

00:00:21.000 --> 00:00:24.000
<v K1 Og her mangler taggen sin slutt.
"""
SRT = """1
00:00:01,000 --> 00:00:04,000
Intervjuer: Hva med planen?

2
00:00:05,000 --> 00:00:09,000
K1: Vi har en plan for skolene, og den ble vedtatt i fjor.

3
00:00:09,500 --> 00:00:12,000
Den gjelder til 2028.
"""

HOSTILE: dict[str, bytes] = {
    "empty.txt": b"",
    "blank.txt": b" \n\t\r\n",
    "bom-only.txt": codecs.BOM_UTF8,
    "binary.txt": bytes(range(256)) * 20,
    "nul.txt": b"K1: Vi har\x00 en plan.\n" * 5,
    "controls.txt": "K1: Vi har en plan.\x01\x02\x03\x1b\x7f\n".encode() * 3,
    "few-controls.txt": "K1: Vi har\x0b en plan.\x07\n\nIntervjuer: Og\x0c så?\n".encode(),
    "cp1252.txt": "Intervjuer: Hva med skolene på Bjørkåsen?\n\nK1: Vi har søkt om midler.\n".encode("cp1252"),
    "mixed.txt": ("Intervjuer: Hva med skolene på Bjørkåsen?\n".encode("utf-8")
                  + "K1: Vi har søkt om midler til læringsbrett.\n".encode("cp1252")
                  + "K1: Og så må vi få på plass rutiner.\n".encode("utf-8")),
    "utf16.txt": codecs.BOM_UTF16_BE + "K1: Vi har en strategi for skolene.\n".encode("utf-16-be"),
    "bad-utf16.txt": codecs.BOM_UTF16_LE + b"K\x001\x00:\x00 \x00\x00\xd8",
    "front-bad.md": b"---\ncase: [unclosed\nlanguage: nb\n---\n\nK1: Hei.\n",
    "front-list.md": b"---\n- a\n- b\n---\n\nK1: Hei.\n",
    "front-ok.md": "---\ncase: Fjordby\nlanguage: sv\ninformants: K1;K2\nsource_type: focus group\n---\n\n"
                   "# Del 1\n\nIntervjuer: Hur går det?\n\nK1: Det går bra, vi har en plan.\n\n"
                   "## Del 1.1\n\nK2: Och vi har mål.\n".encode(),
    "nfd.txt": "K1: Vi har en pla\u0308n for sko\u030alene og la\u030arere.\n".encode(),
    "cr-only.txt": b"Intervjuer: Hei?\r\rK1: Vi har en plan.\rDen er ny.\r",
    "huge-line.txt": ("K1: " + "planen er lang og " * 20000 + "\n").encode(),
    "too-big.txt": b"K1: Vi har en plan.\n" * 60_000,
    "labels-only.txt": b"K1:\n\nIntervjuer:\n\nK1:\n",
    "names.txt": ("Kari Lunde: Vi har en plan.\n\nOla: Ja?\n\nKari Lunde: Den er god.\n\nOla: Fint.\n\n"
                  "Budsjett: 4,2 millioner kroner\n\nKari Lunde (00:12:03): Og mer.\n\n[00:13:00] Ola: Ja.\n\n"
                  "**Kari Lunde:** Slutt.\n\n[Ola] Takk.\n\nKARI LUNDE: Ha det.\n").encode(),
    "document.txt": ("1 Innledning\n\nKommunen har en plan for digitalisering i skolen.\n\n1.1 Mål\n\n"
                     "Målet er at alle elever skal ha egen maskin innen 2027, og at lærerne får opplæring.\n\n"
                     "Fakta om satsingen\n\nSatsingen koster 4 millioner kroner.\n").encode(),
    "broken.vtt": VTT.encode(),
    "ok.srt": SRT.encode(),
    "empty.vtt": b"WEBVTT\n\n",
    "garbage.vtt": b"WEBVTT\n\nthis is not a cue\n-->\n",
    "notzip.docx": b"PK\x03\x04 not really a zip",
    "text.docx": b"just text",
    "bad.pdf": b"%PDF-1.4 broken",
    "bad.odt": b"PK\x03\x04 broken",
    "tags.html": "<html><body><h1>Plan</h1><p>Vi har en <b>plan</b> for skolene.</p><script>x()</script>"
                 "<p>Intervjuer: Og?</p></body></html>".encode(),
}

PASTES = [
    ("Intervjuer: Hva er planen?\nK1: Vi har en strategi.", {}),
    ("Eg veit ikkje kva vi skal gjere med strategien, men vi har ein plan for skulane og barnehagane.",
     {"language": None}),
    ("Vi har en plan.\n\nDen er ny.", {"attributes": {"source_type": "interview"}}),
    ("Kari: Hei.\n\nOla: Hei.\n\nKari: Planen?\n\nOla: Ja.", {"roles": {"Kari": "interviewer"}}),
    ("Møte 12: Vi har en plan.\n\nMøte 12: Og mål.", {"speaker_patterns": [r"(?P<speaker>Møte \d+):\s*"]}),
]


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False, sort_keys=True, default=repr).encode()).hexdigest()[:20]


def document_record(doc, root: str) -> dict:
    """Every field of a Document, paths made relative to ``root``."""
    return {
        "doc_id": doc.doc_id, "text": doc.text, "path": doc.path.replace(root, "<root>"), "format": doc.format,
        "language": doc.language, "case": doc.case,
        "attributes": {k: (v.replace(root, "<root>") if isinstance(v, str) else v) for k, v in doc.attributes.items()},
        "segments": [[s.doc_id, s.index, s.start, s.end, s.speaker, s.role, s.turn, s.informant, s.line_start,
                      s.line_end, s.time_start, s.time_end, s.page, s.heading] for s in doc.segments],
        "line_map": [list(x) for x in doc.line_map],
    }


def corpus_fingerprint(corpus, root: str) -> dict:
    return {
        "order": [d.doc_id for d in corpus.documents],
        "documents": {d.doc_id: _digest(document_record(d, root)) for d in corpus.documents},
        "segments": sum(len(d.segments) for d in corpus.documents),
        "problems": [[Path(p.path).name, p.message.replace(root, "<root>"), p.line, p.severity]
                     for p in corpus.problems],
    }


def fingerprint(tmp: Path) -> dict:
    """The fingerprint of every input (``tmp`` is an empty scratch folder)."""
    import thematic as th
    from thematic.errors import ThematicError
    from thematic.transcripts import ingest_text

    out: dict = {}
    for name, folder in (("sample", SAMPLE), ("labels", LABELS), ("sources", SOURCES)):
        out[name] = corpus_fingerprint(th.ingest(folder), str(folder))
    generated = tmp / "generated"
    generated.mkdir()
    generated_corpus(generated)
    out["generated"] = corpus_fingerprint(th.ingest(generated), str(generated))
    out["generated_language_sv"] = corpus_fingerprint(th.ingest(sorted(generated.glob("Gen00[0-9]*"))[:6],
                                                                language="sv"), str(generated))
    for name, data in HOSTILE.items():
        folder = tmp / ("hostile-" + name.replace(".", "-"))
        folder.mkdir()
        (folder / name).write_bytes(data)
        for strict in (False, True):
            key = f"hostile {name}" + (" strict" if strict else "")
            try:
                out[key] = corpus_fingerprint(th.ingest(folder, strict=strict, max_bytes=1_000_000), str(folder))
            except ThematicError as exc:
                out[key] = {"error": type(exc).__name__, "message": str(exc).replace(str(folder), "<root>")}
    for k, (text, options) in enumerate(PASTES):
        out[f"paste {k}"] = _digest(document_record(ingest_text(text, **options), ""))
    return out


def compute() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        return fingerprint(Path(tmp))


if __name__ == "__main__":
    result = compute()
    if "--write" in sys.argv:
        FROZEN.write_text(json.dumps(result, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {FROZEN}")
    else:
        print(json.dumps(result, ensure_ascii=False, indent=1, sort_keys=True))
