"""Exact-form patterns, context conditions, domain cues: format, lint, coding and re-coding."""

from __future__ import annotations

import pytest

import thematic as th
from thematic.codebook import Codebook
from thematic.coding import code_document
from thematic.errors import CodebookError
from thematic.transcripts import ingest_text


def book(patterns: str, extra: str = "", domain: str = "", lang: str = "nb") -> Codebook:
    return Codebook.loads(f"""
codebook: {{id: ctx, version: "1", languages: [nb, nn, sv, da, en]}}
{domain}
themes:
  - id: t
    label: T
    {extra}
    patterns:
      {lang}: [{patterns}]
""")


def coded(codebook, text: str, unit: str = "sentence", lang: str = "nb") -> list[str]:
    """The matched words of each coding, in order."""
    frame = code_document(ingest_text(text, language=lang), codebook, unit=unit)
    return list(frame.matched)


def test_exact_form_matches_the_form_only():
    assert coded(book('"styre"'), "K1: Vi styrer etter planen. Styret møtes.") == ["styrer", "Styret"]
    assert coded(book('"=styre"'), "K1: Vi styrer etter planen. Styret møtes. De vil styre.") == ["styre"]
    assert coded(book('"=styre"'), "K1: STYRE.") == ["STYRE"]  # case is still folded
    # in a phrase, each word may be exact
    assert coded(book('"=en =del"'), "K1: Det er en del. Vi deler en dele.") == ["en del"]


def test_with_cues_in_the_sentence_turn_and_word_windows():
    sentence = book('{pattern: styre, with: ["*kommune"], within: sentence}')
    text = "K1: Styret i kommunen bestemte. Vi styrer etter planen.\n\nK1: Styret i idrettslaget."
    assert coded(sentence, text) == ["Styret"]
    turn = book('{pattern: styre, with: ["*kommune"], within: turn}')
    assert coded(turn, text) == ["Styret", "styrer"]
    words = book('{pattern: styre, with: ["*kommune"], within: 1}')
    assert coded(words, "K1: Styret i kommunen.\n\nK2: Styret ble ikke valgt i kommunen.") == ["Styret"]
    # in turn units, "sentence" is the part of the turn between sentence ends
    assert coded(sentence, text, unit="turn") == ["Styret"]


def test_without_cues_drop_the_match_including_when_they_overlap_it():
    without = book('{pattern: del, without: ["en del av"], within: 0}')
    assert coded(without, "K1: Det er en del av jobben. Hver del teller.") == ["del"]
    far = book('{pattern: plan, without: [fotball], within: 3}')
    assert coded(far, "K1: En plan for fotball.\n\nK2: En plan som ikke handler om det hele tatt om fotball.") == ["plan"]


def test_domain_cues_gate_codes_that_require_them_in_unit_or_turn():
    domain = 'domain: {within: unit, cues: {nb: ["*skole", "*kommune"]}}'
    gated = book('"avtale"', extra="requires_domain: true", domain=domain)
    text = "K1: Vi har en avtale med tannlegen. Skolen har en avtale med leverandøren."
    assert coded(gated, text) == ["avtale"]
    assert coded(gated, "K1: Vi har en avtale med tannlegen. Skolen er stor.", unit="turn") == ["avtale"]
    by_turn = book('"avtale"', extra="requires_domain: true",
                   domain='domain: {within: turn, cues: {nb: ["*skole"]}}')
    text = "K1: Vi har en avtale med tannlegen. Skolen er stor.\n\nK2: En avtale til."
    assert coded(by_turn, text) == ["avtale"]
    ungated = book('"avtale"', domain=domain)
    assert len(coded(ungated, "K1: Vi har en avtale med tannlegen.")) == 1


def test_sub_codes_inherit_requires_domain_and_may_opt_out():
    codebook = Codebook.loads("""
codebook: {id: ctx, version: "1", languages: [nb]}
domain: {within: unit, cues: {nb: ["*skole"]}}
themes:
  - id: t
    label: T
    requires_domain: true
    codes:
      - id: a
        label: A
        patterns: {nb: [avtale]}
      - id: b
        label: B
        requires_domain: false
        patterns: {nb: [penger]}
""")
    assert codebook.requires_domain("t.a") and not codebook.requires_domain("t.b")
    frame = code_document(ingest_text("K1: En avtale om penger."), codebook)
    assert list(frame.code) == ["t.b"]


@pytest.mark.parametrize("patterns,domain,problem", [
    ('"=*styre"', "", "cannot take '*'"),
    ('{pattern: styre}', "", "needs cue words"),
    ('{with: [kommune]}', "", "needs 'pattern:'"),
    ('{pattern: styre, with: [kommune], within: paragraph}', "", "is not a window"),
    ('{pattern: styre, with: [kommune], within: 500}', "", "is not a window"),
    ('{pattern: styre, with: ["re:("]}', "", "invalid regular expression"),
    ('"styre"', 'domain: {cues: {de: [schule]}}', "does not declare"),
    ('"styre"', 'domain: {within: sentence, cues: {nb: [skole]}}', "is not a window"),
    ('"styre"', 'domain: {within: unit}', "needs 'cues:'"),
])
def test_malformed_context_and_domain_are_reported_with_lines(patterns, domain, problem):
    with pytest.raises(CodebookError) as err:
        book(patterns, domain=domain)
    assert problem in str(err.value) and "line" in str(err.value)


def test_lint_warns_about_homographs_and_domain_gaps():
    plain = book('"styre", "strategi"')
    warnings = plain.lint()
    assert any("'styre'" in w and "styrer" in w and "=styre" in w for w in warnings), warnings
    assert not any("'strategi'" in w and "homograph" in w for w in warnings)
    assert not any("homograph" in w for w in book('"=styre"').lint())
    gated = book('"avtale"', extra="requires_domain: true", domain='domain: {cues: {nb: [skole]}}', lang="sv")
    assert any("requires the domain" in w and "sv" in w for w in gated.lint())


def test_to_yaml_keeps_contexts_exact_forms_and_domain():
    original = book('{pattern: styre, with: ["*kommune", "=rådet"], without: [idrett*], within: 4}, "=plan"',
                    extra="requires_domain: true", domain='domain: {within: unit, cues: {nb: ["*skole"]}}')
    again = Codebook.loads(original.to_yaml())
    assert again.get("t").patterns == original.get("t").patterns
    assert again.get("t").patterns[0].context == original.get("t").patterns[0].context
    assert again.domain == original.domain and again.requires_domain("t")


def test_recoding_from_memory_applies_contexts_like_a_fresh_coding(tmp_path, sample_dir):
    base = th.Codebook.load(sample_dir.parent.parent / "codebooks" / "digitalisering.yaml")
    edited = th.Codebook.loads(base.source_text.replace(
        'nb: ["politiker", "politisk", "kommunestyre"',
        'nb: [{pattern: politiker, with: ["*skole", "*barnehage"], within: turn}, "politisk", "kommunestyre"'))
    assert edited.get("organisation.governance").patterns[0].context is not None
    key = ["doc_id", "start", "end", "code", "rule", "matched"]
    with th.Project.open(tmp_path / "a.thematic") as a, th.Project.open(tmp_path / "b.thematic") as b:
        for p in (a, b):
            p.add(th.ingest(sample_dir))
        a.autocode(base)
        a.autocode(edited)
        b.autocode(edited)
        again = a.codings[key].astype(str).sort_values(key).reset_index(drop=True)
        fresh = b.codings[key].astype(str).sort_values(key).reset_index(drop=True)
        assert again.equals(fresh)
