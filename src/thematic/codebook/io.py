"""Load and validate YAML codebooks, reporting every problem with its line and column.

The YAML is composed into nodes first (``yaml.compose``) so that each problem
can name where it is, as spaCy's schema validation does; all problems are
collected and raised together in one :class:`~thematic.errors.CodebookError`.

Example:
    >>> book = Codebook.loads('''
    ... codebook: {id: demo, version: "1", languages: [nb, en]}
    ... themes:
    ...   - id: strategy
    ...     label: {en: Strategy, nb: Strategi}
    ...     patterns: {nb: ["*strategi"]}
    ... ''')
    >>> [c.id for c in book.codes], book.coder_name
    (['strategy'], 'rules@demo:1')
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from ..errors import CodebookError, Errors
from ..types import LANGUAGES
from .model import (DOMAIN_WINDOWS, MAX_SPREAD, WINDOWS, Code, CodebookBase, CodebookInfo, Context, Domain,
                    Pattern, Spread)
from .redos import exponential_shape

if TYPE_CHECKING:
    import pandas as pd

TOP_KEYS = ("codebook", "domain", "spread", "themes", "codes")
INFO_KEYS = ("id", "name", "version", "authors", "languages", "description")
CODE_KEYS = ("id", "guid", "parent", "label", "definition", "when_to_use", "when_not_to_use", "examples", "colour",
             "color", "patterns", "not_patterns", "requires_domain", "codes")
CONTEXT_KEYS = ("pattern", "with", "without", "within")
DOMAIN_KEYS = ("cues", "within")
SPREAD_KEYS = ("before", "after", "answers")
MAX_WINDOW_WORDS = 50
TEXT_FIELDS = ("label", "definition", "when_to_use", "when_not_to_use")
SLUG = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")  # the codebook's own id (used in file and coder names)
# A code id part: Unicode letters and digits (målbilde, förankring), '_' and '-'; NFC, lower-case,
# no spaces and no dots (dots join the parts of a full id such as ledelse.förankring).
CODE_SLUG = re.compile(r"^[^\W_][\w\-]*$")
# A label or definition that swallowed a language mapping: "Målbilde, nn: Målbilete, sv: Målbild".
FLATTENED = re.compile(r"[,;]\s*(?:" + "|".join(LANGUAGES) + r")\s*:\s")
COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
#: Caps for codebooks from strangers: the largest real codebook is a few hundred KB and a few levels deep.
MAX_CODEBOOK_BYTES = 5_000_000
MAX_ALIASES = 100  # YAML anchors may be reused, but not to build a "billion laughs"
MAX_NODES = 200_000  # YAML nodes after expanding aliases
MAX_CODE_DEPTH = 20  # theme > code > sub-code > ...


class _AliasBudget:
    """Counts aliases and nodes while composing (mixed into a PyYAML composer)."""

    aliases = 0
    nodes = 0
    aliased: tuple = ()  # the node each alias stands for, once per use

    def compose_node(self, parent, index):
        self.nodes += 1
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise yaml.YAMLError(f"more than {MAX_ALIASES} aliases (*name); write the codes out instead")
            node = super().compose_node(parent, index)
            self.aliased += (node,)  # at most MAX_ALIASES
            return node
        return super().compose_node(parent, index)

    def expanded_size(self) -> int:
        """Nodes the tree would have with every alias expanded: each composed node once, and each use of an
        alias its anchor's whole subtree instead of one node. Only the anchors' subtrees are walked (the
        whole tree's walk took 15-30 ms for the study codebook, parsed twice when re-coding after an edit)."""
        size: dict[int, int] = {}
        total = self.nodes
        for node in self.aliased:
            total += _expanded_size(node, size) - 1
            if total > MAX_NODES:
                break
        return total


class _BudgetLoader(_AliasBudget, yaml.SafeLoader):
    """PyYAML's safe loader with an alias budget (aliases are counted while composing)."""


def _fast_loader():
    """The alias-budget composer over libyaml's C parser (10x faster than PyYAML's pure-Python scanner and
    parser: 0.13 -> 0.01 s for the sample codebook), or None where PyYAML was built without libyaml.

    Only events come from C: nodes are composed by PyYAML's Python composer with :class:`_BudgetLoader`'s
    alias budget, so deep nesting is a ``RecursionError`` (libyaml's own C composer crashes the process on
    100,000 nested ``-``), not a crash."""
    try:
        from yaml._yaml import CParser as parser
    except ImportError:
        return None

    class _FastBudgetLoader(_AliasBudget, yaml.composer.Composer, yaml.resolver.Resolver, parser):
        def __init__(self, stream):
            parser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.resolver.Resolver.__init__(self)

    return _FastBudgetLoader


_FAST_LOADER = _fast_loader()


MAX_FLOW_DEPTH = 100
_BRACKETS = re.compile(r"[\[\]{}]")


def _flow_too_deep(text: str) -> int | None:
    """The line where ``[``/``{`` nesting passes MAX_FLOW_DEPTH, checked before PyYAML (whose scanner
    is quadratic in flow depth: 100,000 ``[`` took minutes). Brackets inside quotes count too, which
    only over-estimates depth."""
    depth = 0
    for m in _BRACKETS.finditer(text):
        depth += 1 if m.group() in "[{" else -1
        if depth > MAX_FLOW_DEPTH:
            return text.count("\n", 0, m.start()) + 1
    return None


def _expanded_size(root, size: dict[int, int] | None = None) -> int:
    """Nodes the tree would have with every alias expanded (shared nodes counted once per use), iteratively;
    ``size`` keeps each node's expanded size by ``id`` across calls over one tree."""
    size = {} if size is None else size
    stack = [(root, False)]
    while stack:
        node, done = stack.pop()
        children = ([v for kv in node.value for v in kv] if isinstance(node, yaml.MappingNode)
                    else list(node.value) if isinstance(node, yaml.SequenceNode) else [])
        if done:
            size[id(node)] = min(1 + sum(size[id(c)] for c in children), MAX_NODES + 1)
        elif id(node) not in size:
            stack.append((node, True))
            stack.extend((c, False) for c in children if id(c) not in size)
    return size[id(root)]


class Codebook(CodebookBase):
    """A validated codebook: themes (root codes), codes and sub-codes with their patterns.

    Build one with :meth:`load` or :meth:`loads`; ``source_text`` keeps the YAML it came from.
    """

    def __init__(self, info: CodebookInfo, codes=(), path: str = "", source_text: str = ""):
        super().__init__(info, tuple(codes), path)
        self.source_text = source_text

    @classmethod
    def load(cls, path: str | Path) -> "Codebook":
        """Read a YAML codebook; raise ``CodebookError`` listing every problem with its line.

        >>> book = Codebook.load("codebooks/digitalisering.yaml")  # doctest: +SKIP
        """
        path = Path(path)
        if not path.is_file():
            raise CodebookError(Errors.C002.format(path=path, detail="file not found"), path=path)
        if path.stat().st_size > MAX_CODEBOOK_BYTES and path.suffix.lower() not in (".qdpx",):
            raise CodebookError(Errors.C002.format(path=path, detail=f"{path.stat().st_size} bytes, more than a "
                                                                     f"codebook's limit of {MAX_CODEBOOK_BYTES}"),
                                path=path)
        if path.suffix.lower() in (".qdc", ".qde", ".qdpx"):  # XML or a zip: never read as UTF-8 text
            from .qdc import load_qdc

            return load_qdc(path)[0]
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CodebookError(Errors.C002.format(path=path, detail=f"not UTF-8 ({exc.reason}); save it as UTF-8"),
                                path=path) from None
        return cls.loads(text, path=str(path))

    @classmethod
    def loads(cls, text: str, path: str = "<string>") -> "Codebook":
        """Parse a codebook from YAML text (``path`` is used in messages)."""
        info, codes = _Parser(path).parse(text)
        return cls(info, codes, path, text)

    @property
    def languages(self) -> tuple[str, ...]:
        return self.info.languages

    @property
    def fingerprint(self) -> str:
        """sha256 of the YAML text: changes whenever the codebook does."""
        return hashlib.sha256(self.source_text.encode("utf-8")).hexdigest()

    def to_frame(self) -> pd.DataFrame:
        """One row per code: id, theme, parent, depth, labels, definitions, rules, examples, patterns."""
        rows = []
        for code in self.codes:
            path = []
            node: str | None = code.id
            while node:
                path.insert(0, self.get(node).label_in("en"))
                node = self.get(node).parent
            row = {
                "id": code.id, "theme": code.theme, "parent": code.parent or "", "depth": code.depth,
                "path": " > ".join(path), "label_en": code.label_in("en"), "label_nb": code.label_in("nb"),
                "definition_en": code.definition.get("en", ""), "definition_nb": code.definition.get("nb", ""),
                "when_to_use": code.text_in("when_to_use"), "when_not_to_use": code.text_in("when_not_to_use"),
                "examples": " | ".join(code.examples), "colour": code.colour,
            }
            for lang in self.languages:
                row[f"patterns_{lang}"] = "; ".join(p.source for p in code.patterns if p.lang == lang)
            rows.append(row)
        import pandas as pd  # here: loading a codebook (re-coding) does not need pandas

        return pd.DataFrame(rows)

    def to_yaml(self) -> str:
        """The codebook in thematic's YAML format (used for codebooks imported from .qdc)."""

        def node(code: Code) -> dict:
            out: dict = {"id": code.id.rsplit(".", 1)[-1]}
            if code.guid:
                out["guid"] = code.guid
            for name in ("label", "definition", "when_to_use", "when_not_to_use"):
                if getattr(code, name):
                    out[name] = dict(getattr(code, name))
            if code.examples:
                out["examples"] = list(code.examples)
            if code.colour:
                out["colour"] = code.colour
            if code.requires_domain is not None:
                out["requires_domain"] = code.requires_domain
            for name in ("patterns", "not_patterns"):
                by_lang: dict[str, list] = {}
                for p in getattr(code, name):
                    by_lang.setdefault(p.lang, []).append(_pattern_yaml(p))
                if by_lang:
                    out[name] = by_lang
            children = self.children(code.id)
            if children:
                out["codes"] = [node(c) for c in children]
            return out

        info = {"id": self.info.id, "name": self.info.name, "version": self.info.version,
                "authors": list(self.info.authors), "languages": list(self.info.languages),
                "description": self.info.description}
        doc: dict = {"codebook": info}
        if self.domain.cues:
            cues: dict[str, list[str]] = {}
            for p in self.domain.cues:
                cues.setdefault(p.lang, []).append(p.source)
            doc["domain"] = {"within": self.domain.within, "cues": cues}
        if self.spread:
            doc["spread"] = {"before": self.spread.before, "after": self.spread.after, "answers": self.spread.answers}
        doc["themes"] = [node(t) for t in self.themes]
        return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)

    def lint(self) -> list[str]:
        """Warnings that do not stop loading: missing definitions or examples, shared patterns, and a
        label or definition that looks like a flattened language mapping ("Målbilde, nn: Målbilete")."""
        warnings = []
        owners: dict[tuple[str, str], list[str]] = {}
        for code in self.codes:
            where = f"{self.path}, line {code.line}" if code.line else self.path
            for name in TEXT_FIELDS:
                for lang, value in getattr(code, name).items():
                    if FLATTENED.search(value):
                        warnings.append(
                            f"{where}: the {name} ({lang}) of '{code.id}' looks like several languages on one line: "
                            f"'{value[:60]}'. Write one language per line in block style:\n"
                            f"    {name}:\n      nb: ...\n      nn: ...")
            if not code.definition:
                warnings.append(f"{where}: code '{code.id}' has no definition")
            if not code.examples:
                warnings.append(f"{where}: code '{code.id}' has no examples")
            for p in code.patterns:
                owners.setdefault((p.lang, p.source), []).append(code.id)
        for (lang, source), ids in owners.items():
            if len(ids) > 1:
                warnings.append(f"{self.path}: pattern '{source}' ({lang}) is shared by {', '.join(ids)}; "
                                "a match will be coded with all of them")
        warnings += self._lint_homographs()
        warnings += self._lint_domain()
        if self.spread.before + self.spread.after > 2:
            warnings.append(f"{self.path}: spread codes {self.spread.before} sentence(s) before and "
                            f"{self.spread.after} after every rule-coded one: most of a short answer. Check the "
                            "precision with 'thematic evaluate' against your own coding, or spread less.")
        return warnings

    def _lint_homographs(self) -> list[str]:
        """Single-word patterns whose lemma the lemmatiser shares with another word (``styre`` /
        ``styrer``, a manager); a phrase's neighbouring words already give its words a context."""
        from ..nlp import homographs, pattern_lemma

        out = []
        for code in self.codes:
            where = f"{self.path}, line {code.line}" if code.line else self.path
            for p in code.patterns:
                if p.kind != "word" or p.exact or p.head or p.first or p.context is not None:
                    continue  # phrases, compounds (which '=' cannot take) and patterns with a context
                word = p
                lemma = pattern_lemma(word.text, p.lang)
                known = homographs(p.lang).get(lemma, ())
                if word.text in known:  # the pattern word is itself the other word (sv "dator" read as "data")
                    folded = [lemma] + [f for f in known if f != word.text]
                else:
                    folded = list(known)
                if folded:
                    out.append(f"{where}: pattern '{p.source}' ({p.lang}) of '{code.id}' has homographs: the "
                               f"lemmatiser reads {', '.join(repr(f) for f in folded[:5])} as the same word "
                               f"('{lemma}'), so they are matched too. Write '={word.text}' to match only this "
                               "form, or add a context condition (with/without cue words).")
        return out

    def _lint_domain(self) -> list[str]:
        """Codes that require the domain in a language without domain cues are never coded there."""
        out = []
        cue_languages = {p.lang for p in self.domain.cues}
        for code in self.codes:
            if not self.requires_domain(code.id):
                continue
            missing = sorted({p.lang for p in code.patterns} - cue_languages)
            if missing:
                where = f"{self.path}, line {code.line}" if code.line else self.path
                out.append(f"{where}: '{code.id}' requires the domain, but there are no domain cues in "
                           f"{', '.join(missing)}: its patterns in {'that language' if len(missing) == 1 else 'those languages'} "
                           "can never code. Add cues under domain: cues:, or set requires_domain: false.")
        return out

    def __repr__(self) -> str:
        return (f"Codebook({self.id!r}, version={self.version!r}, themes={len(self.themes)}, "
                f"codes={len(self)}, languages={list(self.languages)})")


def _pattern_yaml(p: Pattern):
    """A pattern as written in YAML: its source, or a mapping when it has a context condition."""
    if p.context is None:
        return p.source
    out: dict = {"pattern": p.source}
    if p.context.with_:
        out["with"] = [c.source for c in p.context.with_]
    if p.context.without:
        out["without"] = [c.source for c in p.context.without]
    out["within"] = p.context.within
    return out


class _Parser:
    """Walks composed YAML nodes, collecting every problem before raising."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[str] = []
        self.first_line: int | None = None
        self.flat: dict[str, tuple[str | None, int]] = {}  # slug -> (parent reference, line)
        self.ids: set[str] = set()  # every full id so far: the duplicate check stays linear

    def problem(self, node, detail: str) -> None:
        line, column = (node.start_mark.line + 1, node.start_mark.column + 1) if node is not None else (1, 1)
        self.first_line = self.first_line or line
        self.problems.append(Errors.C001.format(path=self.path, line=line, column=column, detail=detail)[7:])

    @staticmethod
    def compose_fast(text: str):
        """The node tree from libyaml's parser, or None when it is missing or the text has any YAML problem
        (then PyYAML's pure-Python parser composes it again, so that messages name line and column as before)."""
        if _FAST_LOADER is None:
            return None
        loader = _FAST_LOADER(text)
        try:
            root = loader.get_single_node()
            return (root, loader) if root is not None else None
        except (yaml.YAMLError, RecursionError):
            return None
        finally:
            loader.dispose()

    def parse(self, text: str) -> tuple[CodebookInfo, list[Code]]:
        if len(text) > MAX_CODEBOOK_BYTES:
            raise CodebookError(Errors.C002.format(path=self.path, detail=f"{len(text)} characters, more than a "
                                                                          f"codebook's limit of {MAX_CODEBOOK_BYTES}"),
                                path=self.path)
        deep = _flow_too_deep(text)
        if deep is not None:
            raise CodebookError(Errors.C001.format(path=self.path, line=deep, column=1,
                                                   detail=f"brackets nested more than {MAX_FLOW_DEPTH} deep; a "
                                                          "codebook needs a few levels, not hundreds"),
                                path=self.path, line=deep)
        fast = self.compose_fast(text)
        root, loader = fast if fast is not None else (None, _BudgetLoader(text))
        try:
            if fast is None:
                root = loader.get_single_node()
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None) or getattr(loader, "mark", None)
            line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            detail = f"YAML syntax error: {getattr(exc, 'problem', None) or exc}"
            raise CodebookError(Errors.C001.format(path=self.path, line=line, column=column, detail=detail),
                                path=self.path, line=line) from None
        except RecursionError:
            line = getattr(loader, "line", 0) + 1  # where the reader stopped
            raise CodebookError(Errors.C001.format(path=self.path, line=line, column=1,
                                                   detail="nested too deeply; a codebook needs a few levels, "
                                                          "not hundreds"), path=self.path, line=line) from None
        finally:
            if fast is None:
                loader.dispose()
        # without aliases the tree is as large as composed (walking it again took 16 ms for the sample codebook)
        if root is not None and (loader.nodes if not loader.aliases else loader.expanded_size()) > MAX_NODES:
            raise CodebookError(Errors.C001.format(path=self.path, line=1, column=1,
                                                   detail=f"the aliases expand to more than {MAX_NODES} entries "
                                                          "(a 'billion laughs'?); write the codes out instead"),
                                path=self.path, line=1)
        if not isinstance(root, yaml.MappingNode):
            raise CodebookError(Errors.C002.format(path=self.path, detail="expected 'codebook:' and 'themes:' at the top"),
                                path=self.path, line=1)
        top = self.mapping(root, TOP_KEYS, "the top level")
        info = self.info(top.get("codebook"))
        if "domain" in top:
            info = dataclasses.replace(info, domain=self.domain(top["domain"], info.languages))
        if "spread" in top:
            info = dataclasses.replace(info, spread=self.spread(top["spread"]))
        codes: list[Code] = []
        if "themes" not in top and "codes" not in top:
            self.problem(root, "no 'themes:' list; add at least one theme")
        for item in self.sequence(top.get("themes"), "themes"):
            self.code(item, None, info.languages, codes)
        for item in self.sequence(top.get("codes"), "codes"):  # flat form with explicit parents
            self.code(item, "@flat", info.languages, codes)
        codes = self.resolve_flat(codes)
        if self.problems:
            raise CodebookError(Errors.C004.format(path=self.path, count=len(self.problems),
                                                   problems="\n".join(f"  - {p}" for p in self.problems)),
                                path=self.path, line=self.first_line, problems=self.problems)
        return info, codes

    # -- structure helpers --------------------------------------------------------------------

    def mapping(self, node, allowed, where: str) -> dict:
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{where} should be a mapping of 'key: value' lines")
            return {}
        out = {}
        for key_node, value_node in node.value:
            key = key_node.value
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else f"; allowed: {', '.join(allowed)}"
                self.problem(key_node, f"unknown key '{key}' in {where}{hint}")
                continue
            if key in out:
                self.problem(key_node, f"key '{key}' appears twice in {where}")
            out[key] = value_node
        return out

    def sequence(self, node, where: str) -> list:
        if node is None:
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"'{where}' should be a list (lines starting with '- ')")
            return []
        return list(node.value)

    def scalar(self, node, where: str) -> str:
        if node is None:
            return ""
        if not isinstance(node, yaml.ScalarNode):
            self.problem(node, f"{where} should be a single value")
            return ""
        return str(node.value).strip()

    def texts(self, node, where: str, languages) -> dict[str, str]:
        """A text per language: a plain string (the first declared language) or ``{lang: text}``."""
        if node is None:
            return {}
        if isinstance(node, yaml.ScalarNode):
            return {languages[0] if languages else "en": str(node.value).strip()}
        out = {}
        for lang, value in self.mapping(node, LANGUAGES, where).items():
            out[lang] = self.scalar(value, f"{where} ({lang})")
        return out

    # -- content ------------------------------------------------------------------------------

    def info(self, node) -> CodebookInfo:
        if node is None:
            self.problem(None, "missing 'codebook:' block with id, name and version")
            return CodebookInfo("codebook")
        fields = self.mapping(node, INFO_KEYS, "'codebook'")
        cid = self.scalar(fields.get("id"), "codebook id")
        if not cid:
            self.problem(node, "the codebook needs an 'id' (a slug such as 'digitalisering')")
        elif not SLUG.match(cid):
            self.problem(fields["id"], f"codebook id '{cid}' must be lower-case letters, digits, '_' or '-'")
        languages = tuple(self.scalar(n, "language") for n in self.sequence(fields.get("languages"), "languages"))
        for lang_node, lang in zip(self.sequence(fields.get("languages"), "languages"), languages):
            if lang not in LANGUAGES:
                self.problem(lang_node, f"unknown language '{lang}'; use {', '.join(LANGUAGES)}")
        authors = tuple(self.scalar(n, "author") for n in self.sequence(fields.get("authors"), "authors"))
        return CodebookInfo(id=cid or "codebook", name=self.scalar(fields.get("name"), "name"),
                            version=self.scalar(fields.get("version"), "version") or "0", authors=authors,
                            languages=languages or ("en",),
                            description=self.scalar(fields.get("description"), "description"))

    def code(self, node, parent: str | None, languages, out: list[Code], depth: int = 1) -> None:
        if depth > MAX_CODE_DEPTH:
            self.problem(node, f"codes nested more than {MAX_CODE_DEPTH} levels deep; flatten the tree")
            return
        fields = self.mapping(node, CODE_KEYS, "a code")
        if not fields:
            return
        slug = unicodedata.normalize("NFC", self.scalar(fields.get("id"), "id"))
        line = node.start_mark.line + 1
        if not slug:
            self.problem(node, "code without 'id'; give it a slug such as 'useful'")
            return
        flat = parent == "@flat"
        if flat:
            parent = None
            self.flat[slug] = (unicodedata.normalize("NFC", self.scalar(fields.get("parent"), "parent")) or None, line)
            if "codes" in fields:
                self.problem(fields["codes"], "a code in the flat 'codes:' list cannot nest codes; give them 'parent:'")
        elif "parent" in fields:
            self.problem(fields["parent"], "'parent' is only for the flat 'codes:' list; nest the code instead")
        if not CODE_SLUG.match(slug) or slug != slug.lower():
            hint = f"; write it in lower case: '{slug.lower()}'" if CODE_SLUG.match(slug) else ""
            self.problem(fields["id"], f"id '{slug}' must be lower-case letters (å, ø, ä, ö are fine), digits, '_' "
                                       f"or '-', starting with a letter or digit (no dots or spaces){hint}")
        full_id = slug if not parent else f"{parent}.{slug}"
        if full_id in self.ids:
            self.problem(fields["id"], f"duplicate id '{full_id}'")
        self.ids.add(full_id)
        texts = {f: self.texts(fields.get(f), f, languages) for f in TEXT_FIELDS}
        if "label" not in fields:
            texts["label"] = {}
        for lang, value in texts["label"].items():
            if not value:
                self.problem(fields["label"], f"empty label ({lang}) for '{full_id}'")
        if "label" in fields and not texts["label"]:
            self.problem(fields["label"], f"empty label for '{full_id}'")
        colour_node = fields.get("colour") or fields.get("color")
        colour = self.scalar(colour_node, "colour")
        if colour and not COLOUR.match(colour):
            self.problem(colour_node, f"colour '{colour}' should look like '#1f77b4'")
        examples = self.examples(fields.get("examples"))
        requires_domain = None
        if "requires_domain" in fields:
            requires_domain = self.flag(fields["requires_domain"], "requires_domain")
        patterns = self.patterns(fields.get("patterns"), languages, exclude=False)
        not_patterns = self.patterns(fields.get("not_patterns"), languages, exclude=True)
        out.append(Code(id=full_id, label=texts["label"], definition=texts["definition"],
                        when_to_use=texts["when_to_use"], when_not_to_use=texts["when_not_to_use"],
                        examples=examples, colour=colour, patterns=patterns, not_patterns=not_patterns,
                        line=line, guid=self.scalar(fields.get("guid"), "guid"), requires_domain=requires_domain))
        for child in self.sequence(fields.get("codes"), "codes"):
            self.code(child, full_id, languages, out, depth + 1)

    def examples(self, node) -> tuple[str, ...]:
        if node is None:
            return ()
        if isinstance(node, yaml.MappingNode):  # examples per language
            values = []
            for _, value in self.mapping(node, LANGUAGES, "examples").items():
                values += [self.scalar(n, "example") for n in self.sequence(value, "examples")]
            return tuple(v for v in values if v)
        return tuple(v for v in (self.scalar(n, "example") for n in self.sequence(node, "examples")) if v)

    def patterns(self, node, languages, exclude: bool) -> tuple[Pattern, ...]:
        if node is None:
            return ()
        key = "not_patterns" if exclude else "patterns"
        out = []
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"'{key}' should map languages to lists, e.g. {{nb: [strategi]}}")
            return ()
        for lang_node, value in node.value:
            lang = lang_node.value
            if lang not in languages:
                self.problem(lang_node, f"{key} in language '{lang}', which the codebook does not declare "
                                        f"(languages: {', '.join(languages)})")
                continue
            for item in self.sequence(value, f"{key} ({lang})"):
                if isinstance(item, yaml.MappingNode):  # a pattern with a context condition
                    pattern = self.context_pattern(item, lang, exclude)
                else:
                    pattern = self.pattern(item, lang, exclude)
                if pattern is not None:
                    out.append(pattern)
        return tuple(out)

    def pattern(self, item, lang: str, exclude: bool, context: Context | None = None) -> Pattern | None:
        raw = self.scalar(item, "pattern")
        if not raw or raw in ("*", "re:", "="):
            self.problem(item, "empty pattern")
            return None
        pattern = Pattern.parse(raw, lang, exclude, context)
        if pattern.kind == "regex":
            try:
                re.compile(pattern.text)
            except re.error as exc:
                self.problem(item, f"invalid regular expression '{pattern.text}': {exc}")
                return None
            why = exponential_shape(pattern.text)
            if why:
                self.problem(item, f"regular expression '{pattern.text}' can take exponential time: {why}. "
                                   "Rewrite it without the nesting, with an atomic group (?>...) or a "
                                   "possessive quantifier (*+, ++), or use a word or phrase pattern")
                return None
        for word in pattern.words() if pattern.kind != "regex" else ():
            if word.exact and (word.head or word.first):
                self.problem(item, f"'{word.source}': '=' matches one exact word form, so it cannot take '*' "
                                   "(compounds); drop one of them")
                return None
        return pattern

    def cue_list(self, node, lang: str, where: str) -> tuple[Pattern, ...]:
        if isinstance(node, yaml.ScalarNode):
            node = yaml.SequenceNode("tag:yaml.org,2002:seq", [node], node.start_mark, node.end_mark)
        cues = []
        for cue in self.sequence(node, where):
            pattern = self.pattern(cue, lang, False)
            if pattern is not None:
                cues.append(pattern)
        return tuple(cues)

    def flag(self, node, where: str) -> bool:
        """``true``/``yes`` or ``false``/``no``; anything else is a problem (and reads as false)."""
        value = self.scalar(node, where).lower()
        if value not in ("true", "false", "yes", "no"):
            self.problem(node, f"{where} should be true or false, not '{value}'")
        return value in ("true", "yes")

    def window(self, node, allowed: tuple[str, ...], default, numbers: bool):
        if node is None:
            return default
        value = self.scalar(node, "within")
        if value in allowed:
            return value
        if numbers and value.isdigit() and 0 <= int(value) <= MAX_WINDOW_WORDS:
            return int(value)
        choices = ", ".join(allowed) + (f" or a number of words from 0 to {MAX_WINDOW_WORDS}" if numbers else "")
        self.problem(node, f"within: '{value}' is not a window; use {choices}")
        return default

    def context_pattern(self, node, lang: str, exclude: bool) -> Pattern | None:
        """``{pattern: styre, with: [kommune*], without: [...], within: sentence|turn|N}``."""
        fields = self.mapping(node, CONTEXT_KEYS, "a pattern with context")
        if "pattern" not in fields:
            self.problem(node, "a pattern with context needs 'pattern:' (the words to match), e.g. "
                               "{pattern: styre, with: [kommune*], within: sentence}")
            return None
        with_ = self.cue_list(fields.get("with"), lang, "with")
        without = self.cue_list(fields.get("without"), lang, "without")
        if not with_ and not without:
            self.problem(node, "a pattern with context needs cue words in 'with:' or 'without:'")
        within = self.window(fields.get("within"), WINDOWS, "sentence", numbers=True)
        return self.pattern(fields["pattern"], lang, exclude, Context(with_, without, within))

    def domain(self, node, languages) -> Domain:
        """``domain: {within: unit|turn, cues: {nb: [skole*, ...], ...}}``: the study's domain words."""
        fields = self.mapping(node, DOMAIN_KEYS, "'domain'")
        cues: list[Pattern] = []
        cue_node = fields.get("cues")
        if cue_node is None:
            self.problem(node, "'domain' needs 'cues:' mapping languages to lists of words, e.g. {nb: [skole*]}")
        elif not isinstance(cue_node, yaml.MappingNode):
            self.problem(cue_node, "'cues' should map languages to lists, e.g. {nb: [skole*, kommune*]}")
        else:
            for lang_node, value in cue_node.value:
                lang = lang_node.value
                if lang not in languages:
                    self.problem(lang_node, f"domain cues in language '{lang}', which the codebook does not declare "
                                            f"(languages: {', '.join(languages)})")
                    continue
                cues += self.cue_list(value, lang, f"domain cues ({lang})")
        within = self.window(fields.get("within"), DOMAIN_WINDOWS, "turn", numbers=False)
        return Domain(tuple(cues), within)

    def spread(self, node) -> Spread:
        """``spread: {before: N, after: N, answers: true}``: sentences either side of a rule-coded one that take its
        code, and answers that take the codes of the question."""
        fields = self.mapping(node, SPREAD_KEYS, "'spread'")
        counts: dict = {}
        if "answers" in fields:
            counts["answers"] = self.flag(fields["answers"], "spread: answers")
        for name in ("before", "after"):
            value = self.scalar(fields.get(name), name) if name in fields else "0"
            if value.isdigit() and int(value) <= MAX_SPREAD:
                counts[name] = int(value)
            else:
                counts[name] = 0
                if isinstance(fields[name], yaml.ScalarNode):  # (scalar() names any other shape)
                    self.problem(fields[name], f"spread: {name}: '{value}' is not a number of sentences from 0 "
                                               f"to {MAX_SPREAD}, e.g. spread: {{after: 1}}")
        return Spread(**counts)

    def resolve_flat(self, codes: list[Code]) -> list[Code]:
        """Give flat-form codes their full dotted ids; unknown parents and cycles are problems."""
        if not self.flat:
            return codes
        nested = {c.id for c in codes} - set(self.flat)
        full: dict[str, str | None] = {}

        def resolve(slug: str, seen: tuple[str, ...]) -> str | None:
            if slug in full:
                return full[slug]
            parent, line = self.flat[slug]
            if slug in seen:
                self.problems.append(f"{self.path}, line {line}: cycle in parents: {' -> '.join(seen + (slug,))}")
                self.first_line = self.first_line or line
                return None
            if parent is None:
                result = slug
            elif parent in nested:
                result = f"{parent}.{slug}"
            elif parent in self.flat:
                base = resolve(parent, seen + (slug,))
                result = f"{base}.{slug}" if base else None
            else:
                self.problems.append(f"{self.path}, line {line}: unknown parent '{parent}' for '{slug}'")
                self.first_line = self.first_line or line
                result = None
            full[slug] = result
            return result

        out = []
        for code in codes:
            if code.id in self.flat:
                new_id = resolve(code.id, ())
                if new_id is None:
                    continue
                code = dataclasses.replace(code, id=new_id)
            out.append(code)
        if len({c.id for c in out}) != len(out):
            self.problems.append(f"{self.path}: duplicate ids after resolving parents")
        return out
