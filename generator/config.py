"""Site configuration: vocabularies and MkDocs base settings from `site_config/`.

Read with the same strict YAML reader as content, and checked, so a typo in a
vocabulary is a located error like any other.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostics, Loc
from .load import display_path
from .yamlstrict import YamlProblem, read_yaml

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG_DIR = PACKAGE_ROOT / "site_config"
DEFAULT_TEMPLATES_DIR = PACKAGE_ROOT / "templates"

REQUIRED_RELATIONS = (
    "member-of", "leads", "part-of", "reports-to", "cooperates-with", "met-with", "supplies",
    "funds", "trains", "operates", "located-in", "involved-in", "targets", "reported-on",
)
LABEL_VOCABS = (
    "agency_kinds", "installation_kinds", "statuses", "confidences", "likelihoods",
    "source_kinds", "reliability", "credibility",
)


@dataclass(frozen=True)
class RelationType:
    id: str
    label: str
    inverse: str
    symmetric: bool


@dataclass
class Vocabularies:
    relation_types: dict[str, RelationType]
    labels: dict[str, dict[str, str]]  # vocabulary name → id → label
    markings: list[str]
    editions: dict[str, str]  # edition → highest marking published
    @functools.cached_property
    def relation_words(self) -> dict[str, str]:
        """Relation type → its label: asked for by every relation row, made once."""
        return {k: v.label for k, v in self.relation_types.items()}

    def words(self, vocab: str) -> dict[str, str]:
        if vocab == "relation_types":
            return self.relation_words
        return self.labels[vocab]

    def marking_rank(self, marking: str) -> int:
        return self.markings.index(marking)


@dataclass
class SiteConfig:
    vocab: Vocabularies
    mkdocs_base: dict[str, Any] = field(default_factory=dict)
    config_dir: Path = DEFAULT_CONFIG_DIR
    #: Markdown pages that `docs/` adds to every site (e.g. errors.md), relative to it
    static_pages: frozenset[str] = frozenset()


def _read(path: Path, diags: Diagnostics) -> tuple[Any, Any] | None:
    shown = display_path(path)
    try:
        return read_yaml(path.read_text(encoding="utf-8"))
    except OSError as exc:
        diags.error(Loc(shown), f"cannot read site configuration: {exc.strerror or exc}")
    except YamlProblem as exc:
        diags.error(Loc(shown, exc.line + 1, exc.column + 1), exc.message, exc.hint)
    return None


def load_config(config_dir: Path, diags: Diagnostics) -> SiteConfig | None:
    """Read and check `vocabularies.yml` and `mkdocs.base.yml`; None on errors."""
    vocab_path = config_dir / "vocabularies.yml"
    read = _read(vocab_path, diags)
    if read is None:
        return None
    data, smap = read
    shown = display_path(vocab_path)

    def loc(*path: str | int) -> Loc:
        span = smap.value(tuple(path))
        return Loc(shown, span.line + 1, span.column + 1)

    before = len(diags.errors)
    rels: dict[str, RelationType] = {}
    raw_rels = data.get("relation_types") if isinstance(data, dict) else None
    if not isinstance(raw_rels, dict):
        diags.error(loc(), "vocabularies.yml needs a `relation_types` mapping")
        return None
    for rid, spec in raw_rels.items():
        if not isinstance(spec, dict) or not isinstance(spec.get("label"), str):
            diags.error(loc("relation_types", rid), f"relation type '{rid}' needs a `label`")
            continue
        symmetric = spec.get("symmetric") is True
        inverse = spec.get("inverse")
        if not symmetric and not isinstance(inverse, str):
            diags.error(loc("relation_types", rid),
                        f"relation type '{rid}' needs an `inverse` label or `symmetric: true`")
            continue
        rels[rid] = RelationType(rid, spec["label"], spec["label"] if symmetric else str(inverse),
                                 symmetric)
    for rid in REQUIRED_RELATIONS:
        if rid not in raw_rels:
            diags.error(loc("relation_types"), f"relation type '{rid}' is required by the contract")
    labels: dict[str, dict[str, str]] = {}
    for name in LABEL_VOCABS:
        words = data.get(name)
        if not isinstance(words, dict):
            diags.error(loc(), f"vocabularies.yml needs a `{name}` mapping")
            continue
        labels[name] = {str(k): str(v) for k, v in words.items()}
    markings = data.get("markings")
    if not (isinstance(markings, list) and all(isinstance(m, str) for m in markings)):
        diags.error(loc(), "vocabularies.yml needs a `markings` list")
        markings = []
    editions = data.get("editions")
    if not isinstance(editions, dict):
        diags.error(loc(), "vocabularies.yml needs an `editions` mapping")
        editions = {}
    for ed, top in editions.items():
        if top not in markings:
            diags.error(loc("editions", ed), f"edition '{ed}' names unknown marking '{top}'")
    base_path = config_dir / "mkdocs.base.yml"
    base: dict[str, Any] = {}
    if base_path.exists():
        read_base = _read(base_path, diags)
        if read_base is not None and isinstance(read_base[0], dict):
            base = read_base[0]
    if len(diags.errors) > before:
        return None
    vocab = Vocabularies(rels, labels, list(markings), {str(k): str(v) for k, v in editions.items()})
    docs = config_dir / "docs"
    static = frozenset(p.relative_to(docs).as_posix() for p in docs.rglob("*.md")) \
        if docs.is_dir() else frozenset()
    return SiteConfig(vocab, base, config_dir, static)
