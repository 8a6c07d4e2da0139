"""Codebooks from strangers: alias bombs, deep nesting, huge files, duplicate ids at scale, exponential regexes."""

from __future__ import annotations

import re
import time

import pytest
from typer.testing import CliRunner

import thematic as th
from thematic.cli import app
from thematic.codebook.redos import exponential_shape
from thematic.errors import CodebookError

pytestmark = pytest.mark.timeout(30)

HEAD = "codebook: {id: cb, version: 1.0.0, languages: [nb]}\n"


def test_alias_bomb_is_refused_in_milliseconds():
    lines = [HEAD, 'a: &a {id: x, label: "x"}\n']
    previous = "a"
    for level in "bcdefghi":
        lines.append(f"{level}: &{level} [" + ", ".join([f"*{previous}"] * 9) + "]\n")
        previous = level
    lines.append("themes: [*i, *i, *i]\n")
    text = "".join(lines)
    assert len(text) < 2000  # 1.5 KB that would expand to 9^8 codes
    start = time.perf_counter()
    with pytest.raises(CodebookError, match=r"\[C001\].*(aliases|billion)"):
        th.Codebook.loads(text)
    assert time.perf_counter() - start < 2


def test_many_aliases_below_the_node_cap_are_refused_by_the_alias_budget():
    text = HEAD + "x: &x {id: a, label: a}\nthemes: [" + ", ".join(["*x"] * 150) + "]\n"
    with pytest.raises(CodebookError, match=r"more than 100 aliases"):
        th.Codebook.loads(text)


@pytest.mark.parametrize("fast", [True, False])
def test_the_expanded_size_walks_only_the_anchors_and_equals_the_whole_trees_walk(fast):
    """``_AliasBudget.expanded_size`` (nodes composed, plus each alias use's anchor subtree) against the walk of the
    whole tree it replaced, on nested anchors, merge keys, a sequence of aliases and the study codebooks, with
    libyaml's parser and PyYAML's own."""
    from pathlib import Path

    import yaml

    from thematic.codebook.io import MAX_NODES, _BudgetLoader, _expanded_size, _FAST_LOADER

    if fast and _FAST_LOADER is None:
        pytest.skip("PyYAML was built without libyaml here")
    nested = HEAD + "a: &a [x, y, {k: v}]\nb: &b [*a, *a, z]\nc: &c {<<: {m: *b}, n: [*b, *a]}\nthemes: [*c, *b, *a]\n"
    bomb = HEAD + "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [" + ", ".join([f"*{p}"] * 10) + "]\n" for p, n in zip("abcdef", "bcdefg")) + "themes: [*g]\n"
    root_dir = Path(__file__).resolve().parents[2] / "codebooks"
    texts = [nested, bomb, HEAD + "x: &x {id: a}\nthemes: [*x, *x, [*x]]\n"]
    texts += [p.read_text(encoding="utf-8") for p in sorted(root_dir.glob("*.yaml"))]
    assert any("&" in t for t in texts[3:])  # a study codebook shares its cue lists by anchors
    for text in texts:
        loader = (_FAST_LOADER if fast else _BudgetLoader)(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
        whole = _expanded_size(root)
        got = loader.expanded_size()
        assert got == whole or got > MAX_NODES < whole, text[:80]
    assert _expanded_size(yaml.compose(bomb)) > MAX_NODES  # the bomb is one


def test_100000_deep_brackets_are_a_coded_error():
    with pytest.raises(CodebookError, match=r"\[C001\].*line 2.*brackets nested more than 100 deep"):
        th.Codebook.loads(HEAD + "themes: " + "[" * 100_000)


def test_codes_300_deep_are_a_coded_error():
    text = HEAD + "themes:\n"
    indent = "  "
    for depth in range(300):
        text += f"{indent}- id: c{depth}\n{indent}  label: c\n{indent}  codes:\n"
        indent += "    "
    text += f"{indent}- id: leaf\n{indent}  label: leaf\n"
    with pytest.raises(CodebookError, match=r"(nested more than 20 levels|nested too deeply)"):
        th.Codebook.loads(text)


def test_a_huge_codebook_file_is_refused_before_parsing(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_text(HEAD + "# " + "x" * 6_000_000 + "\n", encoding="utf-8")
    with pytest.raises(CodebookError, match=r"\[C002\].*limit"):
        th.Codebook.load(path)


@pytest.mark.timeout(60)
def test_duplicate_ids_among_thousands_of_codes_are_found():
    codes = "".join(f"      - {{id: c{i}, label: c}}\n" for i in range(6_000))
    text = HEAD + "themes:\n  - id: t\n    label: t\n    codes:\n" + codes + "      - {id: c7, label: again}\n"
    with pytest.raises(CodebookError, match=r"duplicate id 't\.c7'"):
        th.Codebook.loads(text)


@pytest.mark.parametrize("pattern", [r"(\w+\s?)*$", r"(a+)+b", r"(a|aa)*c", r"(x{1,9})*y", r"(\w|ab)*c"])
def test_exponential_regexes_are_rejected_with_an_explanation(pattern):
    text = HEAD + f"themes:\n  - id: t\n    label: t\n    patterns: {{nb: ['re:{pattern}']}}\n"
    with pytest.raises(CodebookError, match=r"can take exponential time.*atomic group"):
        th.Codebook.loads(text)
    # and the shape really is exponential: each extra character doubles the time (kept tiny here)
    if pattern == r"(\w+\s?)*$":
        compiled = re.compile(pattern)
        times = []
        for n in (14, 18):
            start = time.perf_counter()
            compiled.match("a" * n + "!")
            times.append(time.perf_counter() - start)
        assert times[1] > 4 * times[0]


@pytest.mark.parametrize("pattern", [r"(?:bruker|brukt) (?:vi |det |målbildet )*(?:faktisk|aktivt)",
                                     r"\bdel(?:e|er|te)\b.{0,40}(?:erfaring|kunnskap)", r"(?>\w+\s?)*$",
                                     r"(\w+\s?)*+$", r"målbild\w*.{0,120}(?:uklar|usikker)"])
def test_safe_shapes_pass(pattern):
    assert exponential_shape(pattern) is None


def test_sample_codebooks_have_no_exponential_regex(codebook_dir):
    for path in codebook_dir.glob("*.yaml"):
        th.Codebook.load(path)  # would raise on an exponential shape


def test_lint_cli_rejects_the_hanging_regex(tmp_path):
    path = tmp_path / "cb.yaml"
    path.write_text(HEAD + "themes:\n  - id: t\n    label: t\n    patterns: {nb: ['re:(\\w+\\s?)*$']}\n",
                    encoding="utf-8")
    result = CliRunner().invoke(app, ["codebook", "lint", str(path)])
    assert result.exit_code == 1 and "exponential" in result.output and "line 5" in result.output


def test_100000_nested_block_sequences_are_a_coded_error_not_a_crash():
    # libyaml's own C composer overflows the C stack here (a segfault); ours composes libyaml's events in Python
    with pytest.raises(CodebookError, match=r"\[C001\].*line 3.*nested too deeply"):
        th.Codebook.loads(HEAD + "themes:\n" + "- " * 100_000 + "x\n")


def test_libyaml_events_compose_the_same_nodes_as_pure_python_pyyaml(codebook_dir):
    import yaml

    from thematic.codebook.io import _FAST_LOADER, _BudgetLoader

    def tree(node):
        mark = (node.tag, node.start_mark.line, node.start_mark.column, node.end_mark.line, node.end_mark.column)
        if isinstance(node, yaml.ScalarNode):
            return mark + (node.value, node.style or None)
        if isinstance(node, yaml.SequenceNode):
            return mark + (bool(node.flow_style), [tree(c) for c in node.value])
        return mark + (bool(node.flow_style), [(tree(k), tree(v)) for k, v in node.value])

    assert _FAST_LOADER is not None  # PyYAML wheels come with libyaml
    for path in sorted(codebook_dir.glob("*.yaml")):
        text = path.read_text(encoding="utf-8-sig")
        assert tree(_FAST_LOADER(text).get_single_node()) == tree(_BudgetLoader(text).get_single_node()), path.name
