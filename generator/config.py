"""Site configuration: vocabularies and MkDocs base settings from `site_config/`.

Read with the same strict YAML reader as content, and checked, so a typo in a
vocabulary is a located error like any other.
"""

from __future__ import annotations

import functools
import importlib.util
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .dates import type_name
from .diagnostics import Diagnostics, Loc, did_you_mean
from .load import decode_text, display_path
from .tradecraft import TradecraftSettings, read_settings
from .yamlstrict import YamlProblem, read_yaml

PACKAGE_DIR = Path(__file__).resolve().parent


def built_in_folder(name: str) -> Path:
    """A built-in folder (`site_config`, `templates`) wherever this copy of Dossier keeps it.

    A clone (and its editable install) has it at the root beside `generator/`; a wheel
    installs it inside the package, as `generator/<name>` (pyproject.toml maps the two
    folders to `generator.site_config` and `generator.templates`, so the clone's layout
    stays as it is). The package's own copy is looked for first: beside an installed
    `generator/` lies site-packages, where another distribution may have put a `templates`.
    """
    installed = PACKAGE_DIR / name
    return installed if installed.is_dir() else PACKAGE_DIR.parent / name


DEFAULT_CONFIG_DIR = built_in_folder("site_config")
DEFAULT_TEMPLATES_DIR = built_in_folder("templates")

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
    #: the interface languages the theme can be set to (see `theme_languages`)
    languages: frozenset[str] = field(default_factory=lambda: theme_languages())
    #: the tradecraft rules' settings (`tradecraft.yml`; the defaults when it is absent)
    tradecraft: TradecraftSettings = field(default_factory=TradecraftSettings)


LANGUAGES_PARTIALS = Path("partials") / "languages"


@functools.cache
def _material_languages() -> frozenset[str]:
    spec = importlib.util.find_spec("material")  # where it is installed, without importing it
    folders = spec.submodule_search_locations if spec is not None else None
    if not folders:  # pragma: no cover - Material is a dependency
        return frozenset()
    return _languages_in(Path(next(iter(folders))) / "templates")


def _languages_in(templates: Path) -> frozenset[str]:
    return frozenset(p.stem for p in (templates / LANGUAGES_PARTIALS).glob("*.html"))


def theme_languages(config_dir: Path | None = None) -> frozenset[str]:
    """The languages the site's theme can show its interface in: one template per language
    in the installed Material (`partials/languages/<code>.html`), read from the package so
    the list follows Material's, plus any the configuration's `overrides/` adds.

    Why: Material imports the template named by `theme.language` as is, so a code it has
    no file for (`en-GB`, `pt-br`) passed `check` and then stopped `build` with a Jinja
    traceback."""
    own = _languages_in(config_dir / "overrides") if config_dir is not None else frozenset()
    return _material_languages() | own


def language_hint(code: str, known: frozenset[str]) -> str:
    """The code meant, when it is clear: the same code in other letter case (`pt-br`), the
    language without its region (`en-GB` → `en`), or a close spelling; else the list."""
    same = [k for k in known if k.lower() == code.lower()]
    primary = code.split("-")[0].lower()
    meant = same[0] if same else primary if primary in known else None
    if meant is not None:
        return f"Did you mean '{meant}'?"
    return did_you_mean(code, known) or f"Use one of: {', '.join(sorted(known))}."


def language_problem(code: str, known: frozenset[str]) -> tuple[str, str] | None:
    """(message, hint) when `code` cannot be the site's interface language."""
    if code in known:
        return None
    return (f"language '{code}' is not one the site's theme (Material) is translated into",
            language_hint(code, known))


def _read(path: Path, diags: Diagnostics) -> tuple[Any, Any] | None:
    shown = display_path(path)
    try:
        text = decode_text(path.read_bytes(), shown, diags)
        return None if text is None else read_yaml(text)
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
    languages = theme_languages(config_dir)
    base = _mkdocs_base(config_dir / "mkdocs.base.yml", languages, diags)
    tradecraft = _tradecraft(config_dir / "tradecraft.yml", diags)
    if len(diags.errors) > before:
        return None
    vocab = Vocabularies(rels, labels, list(markings), {str(k): str(v) for k, v in editions.items()})
    docs = config_dir / "docs"
    static = frozenset(p.relative_to(docs).as_posix() for p in docs.rglob("*.md")) \
        if docs.is_dir() else frozenset()
    return SiteConfig(vocab, base, config_dir, static, languages, tradecraft)


def _tradecraft(path: Path, diags: Diagnostics) -> TradecraftSettings:
    """tradecraft.yml's settings; the defaults (every rule on) when there is no such file."""
    if not path.exists():
        return TradecraftSettings()
    read = _read(path, diags)
    if read is None:
        return TradecraftSettings()
    return read_settings(read[0], read[1], display_path(path), diags)


def _mkdocs_base(path: Path, languages: frozenset[str], diags: Diagnostics) -> dict[str, Any]:
    """mkdocs.base.yml's settings (none when there is no such file); a `theme.language`
    there wins over dossier.yml's, so it is checked like it."""
    if not path.exists():
        return {}
    read = _read(path, diags)
    if read is None:
        return {}
    base, smap = read

    def loc(*at: str) -> Loc:
        span = smap.value(at)
        return Loc(display_path(path), span.line + 1, span.column + 1)

    if not isinstance(base, dict):
        diags.error(loc(), "mkdocs.base.yml must be a mapping of MkDocs settings, not a "
                    f"{type_name(base)}")
        return {}
    theme = base.get("theme")
    if isinstance(theme, str):  # MkDocs' short form, `theme: material`
        theme = base["theme"] = {"name": theme}
    if theme is not None and not isinstance(theme, dict):
        diags.error(loc("theme"), "`theme` in mkdocs.base.yml must be a theme name or a mapping "
                    f"of theme settings, not a {type_name(theme)}")
        return {}
    code = theme.get("language") if theme is not None else None
    problem = language_problem(str(code), languages) if code is not None else None
    if problem:
        diags.error(loc("theme", "language"), *problem)
    return dict(base)
