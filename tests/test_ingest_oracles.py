"""The faster ingest passes give what the simple code they replaced gives, on hostile input: every Unicode
white space, lone surrogates, astral characters, CR and CRLF, empty texts, huge lines, labels, headings,
rejected labels that fold paragraphs together, documents and transcripts."""

from __future__ import annotations

import bisect
import random
import sys
from collections import Counter
from itertools import chain, repeat
from pathlib import Path

from thematic.corpus import Segment
from thematic.transcripts.duplicates import NEAR, Duplicates, Signature
from thematic.transcripts.evidence import weigh_labels
from thematic.transcripts.readers import read_file, read_plain
from thematic.transcripts.segments import HEADING_SEPARATOR, build_segments, plain_heading_level
from thematic.transcripts.speakers import LabelFinder, role_of

FIXTURES = Path(__file__).parent / "fixtures"
SPACES = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]  # every Unicode white space
SOLID = ["a", "ø", "Å", "😀", "\U00010400", "\u0301", "_", "\x00", "-", "1", "\ud800", ":", "#", "*", "[", "]",
         ".", "Vi har en plan", "Budsjett 2,5 mill"]
PIECES = ["K1: ", "Intervjuer: ", "I: ", "# ", "  ## ", "   ###\t", "**Kari:** ", "[Ola] ", "00:12:03 Kari: ",
          "Dato: 3. mars ", "Kari Lunde (Fjordvik): ", "Moderator - ", "2.1 Mål for perioden\n", "Fakta\n",
          "\n", "\n\n", "\r\n", "\r", " \n", "\n\nK2: ", "\n\nI: "]


def _old_build_segments(doc_id, raw, evidence, roles, informant_for, document=False):
    """build_segments as it was (a bisect per line, the dataclass constructor per segment): the oracle."""
    text = raw.text
    starts = [s for s, _ in raw.line_map]
    lines = [n for _, n in raw.line_map]
    segments = []
    turn, speaker, role, informant = -1, "", "unknown", ""
    headings = []
    heading_path = ""
    paragraphs = []
    for i, para in enumerate(raw.paragraphs):
        if i in evidence.merged and paragraphs:
            previous, label = paragraphs[-1]
            paragraphs[-1] = (type(previous)(**{**previous.__dict__, "end": para.end,
                                                "time_end": para.time_end or previous.time_end}), label)
            continue
        paragraphs.append((para, evidence.labels[i] if i < len(evidence.labels) else None))
    for k, (para, label) in enumerate(paragraphs):
        time_start = para.time_start
        if document and raw.plain and not para.heading and k + 1 < len(paragraphs):
            level = plain_heading_level(text[para.start:para.end])
            if level:
                para = type(para)(**{**para.__dict__, "heading": True, "level": level})
        if para.heading:
            level = para.level or 1
            headings = [h for h in headings if h[0] < level] + [(level, " ".join(text[para.start:para.end].split()))]
            heading_path = HEADING_SEPARATOR.join(h for _, h in headings)
            turn, speaker, role, informant = turn + 1, "", "unknown", ""
            speech = para.start
        elif document:
            turn, speaker, role, informant = turn + 1, "", "document", ""
            speech = para.start
        elif para.speaker or label:
            if para.speaker:
                speech = para.label_end if para.label_end is not None else para.start
                speaker = para.speaker
            else:
                speech = para.start + label.end
                speaker = label.speaker
                time_start = label.time if label.time is not None else time_start
            turn, informant = turn + 1, ""
            role = role_of(speaker, roles)
        else:
            speech = para.start
            turn = max(turn, 0)
        if role == "informant":
            informant = informant_for(speaker)
        while speech < para.end and text[speech].isspace():
            speech += 1
        if speech >= para.end:
            continue
        if lines:
            line_start = lines[max(bisect.bisect_right(starts, speech) - 1, 0)]
            line_end = lines[max(bisect.bisect_right(starts, para.end - 1) - 1, 0)]
        else:
            line_start = line_end = None
        segments.append(Segment(doc_id=doc_id, index=len(segments), start=speech, end=para.end, speaker=speaker,
                                role=role, turn=turn, informant=informant if role == "informant" else "",
                                line_start=line_start, line_end=line_end, time_start=time_start,
                                time_end=para.time_end, page=para.page, heading=heading_path))
    return tuple(segments)


def _hostile_texts(n: int, seed: int = 7):
    rng = random.Random(seed)
    yield from ["", "\n", " ", "\n\n\n", "a", "# ", "K1:", "K1:\n\nK1: ja", " \u3000\n\u2028x\u2029", "\ud800\n\udfff",
                "x" * 100_000, "K1: " + "ja " * 50_000, ("I: Hei?\n\nK1: ja\n" * 2000) + "# slutt",
                "\r\n".join(["I: hei", "K1: ja", "", "# H", "Dato: 3. mars", "K1: mer"])]
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(0, 40)):
            r = rng.random()
            parts.append(rng.choice(SPACES) if r < 0.25 else rng.choice(PIECES) if r < 0.6 else rng.choice(SOLID))
        yield "".join(parts)


def _raws():
    finder = LabelFinder([r"(?P<speaker>Moderator)\s*-\s*"])
    for k, text in enumerate(_hostile_texts(600)):
        yield read_plain(text, "<t>", finder if k % 2 else None, markdown=k % 3 == 0), finder if k % 2 else None
    for path in sorted((FIXTURES / "labels").glob("*.txt")) + sorted((FIXTURES / "sources").iterdir()):
        if path.suffix in (".txt", ".md", ".docx", ".vtt", ".srt", ".html", ".odt"):
            yield read_file(path, path.read_bytes()), None


def test_build_segments_equals_the_simple_loop_on_hostile_and_fixture_documents():
    roles = [None, {"ola": "interviewer", "K1": "informant"}]
    seen = 0
    for k, (raw, finder) in enumerate(_raws()):
        evidence = weigh_labels(raw, finder, known=["Ola"] if k % 5 == 0 else ())
        for document in (False, True):
            args = ("d", raw, evidence, roles[k % 2], lambda s: f"inf-{s}", document)
            new, old = build_segments(*args), _old_build_segments(*args)
            assert new == old, (k, raw.text[:200])
            assert [repr(s) for s in new] == [repr(s) for s in old]  # same field types (int, not numpy's)
            seen += len(new)
    assert seen > 5000


class _CountingDuplicates(Duplicates):
    """Duplicates.check as it was: every earlier document's shared shingles counted (the oracle)."""

    def _near(self, shingles):
        shared = Counter(chain.from_iterable(map(self.index.get, shingles, repeat(()))))
        for j, common in shared.most_common(3):
            if common / (len(shingles) + self.sizes[j] - common) >= NEAR:
                return j
        return None


def _shingle_sets(seed: int):
    """Shingle sets that overlap a lot, tie often and come in near copies, of every size from 1."""
    rng = random.Random(seed)
    universe = rng.randint(3, 400)
    made: list[frozenset[int]] = []
    for _ in range(rng.randint(1, 120)):
        r = rng.random()
        if made and r < 0.4:  # a near copy of an earlier set: some shingles dropped, some added
            base = list(rng.choice(made))
            kept = [h for h in base if rng.random() > rng.choice([0.0, 0.05, 0.1, 0.2, 0.3])]
            made.append(frozenset(kept + [rng.randrange(universe) for _ in range(rng.randint(0, 5))]) or
                        frozenset([1]))
        else:
            size = rng.choice([1, 2, 3, 5, 10, 50, 200, 300])
            made.append(frozenset(rng.randrange(universe) + (1 << 63) * rng.randint(0, 1) for _ in range(size)))
    return made


def test_the_near_duplicate_check_answers_as_counting_every_shared_shingle():
    found = 0
    for seed in range(150):
        new, old = Duplicates(), _CountingDuplicates()
        for k, shingles in enumerate(_shingle_sets(seed)):
            sig = Signature(f"key{k}", True, shingles)
            answer = new.check(f"{k}.txt", sig)
            assert answer == old.check(f"{k}.txt", sig), (seed, k)
            found += answer is not None
    assert found > 500
