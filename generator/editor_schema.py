"""`dossier schema`: JSON Schemas that editors validate and complete content files with.

Made from the same field tables that drive validation (`schema.py`), the vocabularies
of the configuration and, with `--content`, the ids of the dossier, so that what the
editor accepts is what `dossier check` accepts (tests/test_schema_editor.py holds the
two to a table of mistakes, both ways).

Draft-07, because the YAML language server (VS Code's YAML extension) validates no
later draft. One schema per type: the folder says the type, and one schema over all
types could not tell an agency file from an installation file (both are a name and
common fields), so a `oneOf` failed on every such file. The schema with no option keeps
that whole view, as an `anyOf`.

Vocabulary words are `enum`s with their labels as `enumDescriptions` (what the YAML
language server shows beside each completion); `defaultSnippets` offer a relation, a
claim and a role to fill in.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .config import SiteConfig
from .diagnostics import Diagnostics
from .load import list_content
from .schema import CITATION_FIELDS, DOSSIER_FIELDS, ID_MAX, ID_RE, KINDS, PARTS, FieldSpec, fields_for
from .types import TYPE_SPECS, TYPES_TABLE
from .validate_values import LANG_RE

DRAFT = "http://json-schema.org/draft-07/schema#"
#: a date as the checker reads it: a year (YAML gives an integer), or text with a real month
#: and day (a day past the month's end, 2019-02-30, is for `check` to say: a pattern
#: that knew every month's length would be unreadable). One schema with two types, not
#: an `anyOf` of two: the YAML language server then reports the pattern's own message
#: for `2019-13`, where with two alternatives it said "Incorrect type. Expected integer"
DATE = {
    "type": ["integer", "string"],
    "minimum": 1, "maximum": 9999,  # for a year as a number
    "pattern": r"^\s*\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?\s*$",  # for text
    "patternErrorMessage": "Write a date: 2019, 2019-04 or 2019-04-25 (months 01 to 12).",
}
ID = {"type": "string", "pattern": ID_RE.pattern, "maxLength": ID_MAX}
#: text as the checker reads it: a number is taken as its digits, a blank is refused
TEXT = {"type": ["string", "number"], "pattern": r"\S"}
#: ids of entities by type, for the reference fields' `enum`s (`ids_by_type`)
Ids = dict[str, list[str]]

SNIPPETS: dict[str, dict[str, Any]] = {
    "relation": {"label": "relation", "description": "A typed, dated, sourced link to another entity",
                 "body": {"type": "${1:cooperates-with}", "target": "${2:id}", "since": "${3:2019}",
                          "status": "${4:reported}", "confidence": "${5:moderate}",
                          "sources": ["${6:source-id}"]}},
    "claim": {"label": "claim", "description": "A sourced statement with status and confidence",
              "body": {"text": "${1:What the source says, in your own words.}",
                       "status": "${2:reported}", "confidence": "${3:moderate}", "date": "${4:2019}",
                       "sources": [{"source": "${5:source-id}", "locator": "${6:p. 1}"}]}},
    "role": {"label": "role", "description": "A position held in an agency",
             "body": {"title": "${1:Director}", "organization": "${2:agency-id}", "since": "${3:2019}",
                      "sources": ["${4:source-id}"]}},
}


def ids_by_type(content_dir: Path) -> Ids:
    """The ids of the content folder's files, by type (their names: nothing is parsed, so a
    broken file still gives its id to complete)."""
    listing = list_content(content_dir, Diagnostics())
    found: Ids = {name: [] for name in TYPE_SPECS}
    for path, _, type_ in listing.files:
        if ID_RE.match(path.stem):
            found[type_].append(path.stem)
    return {name: sorted(set(ids)) for name, ids in found.items()}


class _Builder:
    """The schema of one kind of field, with the vocabularies and ids to enumerate."""

    def __init__(self, config: SiteConfig, ids: Ids | None) -> None:
        self.config = config
        self.ids = ids
        #: each list of ids the schema enumerates, once (`ids-agency`...): a 1,000-profile
        #: dossier's ids written in every field that takes them made each schema 200-290 KB
        self.id_lists: dict[str, dict[str, Any]] = {}

    def words(self, labels: dict[str, str]) -> dict[str, Any]:
        return {"type": "string", "enum": list(labels), "enumDescriptions": list(labels.values())}

    def ref(self, spec: FieldSpec) -> dict[str, Any]:
        if self.ids is None or spec.name == "contradicts":  # claim keys are not files
            return dict(ID)
        types = spec.ref_types or tuple(self.ids)
        known = sorted({i for t in types for i in self.ids.get(t, [])})
        if not known:
            return dict(ID)
        name = "ids-" + ("-".join(spec.ref_types) if spec.ref_types else "any")
        self.id_lists[name] = {"type": "string", "enum": known}
        return {"$ref": f"#/definitions/{name}"}

    def field(self, spec: FieldSpec) -> dict[str, Any]:
        vocab = self.config.vocab
        kind = spec.kind
        one: dict[str, Any]
        if kind in ("ref", "slug"):
            one = self.ref(spec) if kind == "ref" else dict(ID)
        elif kind == "refs":
            one = {"anyOf": [self.ref(spec), {"type": "array", "items": self.ref(spec)}]}
        elif kind == "citations":
            source = self.ref(CITATION_FIELDS["source"])
            one = {"anyOf": [source, {"type": "array", "items": {
                "anyOf": [source, {"$ref": "#/definitions/citation"}]}}]}
        elif kind in ("relations", "claims", "roles"):
            one = {"type": "array", "items": {"$ref": f"#/definitions/{kind[:-1]}"}}
        elif kind == "questions":  # a question may be its text alone
            one = {"type": "array", "items": {"anyOf": [_SCALARS["markdown"],
                                                        {"$ref": "#/definitions/question"}]}}
        elif kind == "enum":
            one = self.words(vocab.words(spec.vocab or ""))
        elif kind in ("reliability", "credibility"):
            one = self.words(vocab.labels[kind])
            if kind == "credibility":
                one = {"anyOf": [one, {"type": "integer", "minimum": 1, "maximum": 6}]}
        elif kind == "marking":
            one = {"type": "string", "enum": list(vocab.markings)}
        elif spec is DOSSIER_FIELDS["language"]:  # also the interface's: one the theme has
            one = {"type": "string", "enum": sorted(self.config.languages)}
        else:
            one = dict(_SCALARS[kind])
        if "$ref" in one:  # in draft-07 a $ref's siblings are ignored: the description too
            one = {"allOf": [one]}
        return {**one, "description": f"{spec.doc} ({KINDS[kind]})"}

    def mapping(self, fields: dict[str, FieldSpec], optional: tuple[str, ...] = (),
                snippet: str | None = None) -> dict[str, Any]:
        """A mapping of `fields`; an optional field may be left empty (`born:`), as the checker
        lets it."""
        properties = {}
        for name, spec in fields.items():
            one = self.field(spec)
            if not spec.required:
                one = _or_empty(one)
            properties[name] = one
        out: dict[str, Any] = {
            "type": "object",
            "additionalProperties": False,
            "properties": properties,
            "required": [n for n, s in fields.items() if s.required and n not in optional],
        }
        if snippet in SNIPPETS:
            out["defaultSnippets"] = [SNIPPETS[snippet]]
        return out

    def definitions(self) -> dict[str, Any]:
        """The parts' schemas, then the id lists every schema made so far refers to (call
        it last)."""
        parts = {name: self.mapping(fields, snippet=name) for name, fields in PARTS.items()}
        return {**parts, **dict(sorted(self.id_lists.items()))}


def _or_empty(one: dict[str, Any]) -> dict[str, Any]:
    """`one`, or nothing (`born:` left empty, which the checker lets an optional field be):
    `null` among its types where it has plain types, so that an editor reports what is
    wrong with the value itself (a date's pattern) rather than picking one of two
    alternatives; else an `anyOf`."""
    kinds = one.get("type")
    if isinstance(kinds, list | str) and "enum" not in one:
        return {**one, "type": [*([kinds] if isinstance(kinds, str) else kinds), "null"]}
    return {"anyOf": [{k: v for k, v in one.items() if k != "description"}, {"type": "null"}],
            "description": one["description"]}


_SCALARS: dict[str, dict[str, Any]] = {
    "text": TEXT,
    "markdown": {"type": ["string", "number"]},
    "text-list": {"anyOf": [TEXT, {"type": "array", "items": TEXT}]},
    "date": DATE,
    "bool": {"type": "boolean"},
    "url": {"type": "string", "pattern": r"^\s*https?://[^\s<>\"']+\s*$"},
    "iso": {"type": "string", "pattern": "^[A-Z]{2}$"},
    "ref-or-text": TEXT,
    "language": {"type": "string", "pattern": LANG_RE.pattern},
}


def type_schema(type_: str, config: SiteConfig, ids: Ids | None = None) -> dict[str, Any]:
    """The schema of one type's files (`dossier` for dossier.yml)."""
    build = _Builder(config, ids)
    if type_ == "dossier":
        body = build.mapping(DOSSIER_FIELDS)
        title = "Dossier file (dossier.yml)"
    else:
        spec = TYPE_SPECS[type_]  # of the fields that name an entity, the last is the required one
        body = build.mapping(fields_for(type_), spec.caption[:-1])
        title = f"Dossier {type_} profile ({spec.folder}/<id>.yml)"
    return {"$schema": DRAFT, "title": title, **body, "definitions": build.definitions()}



def whole_schema(config: SiteConfig, ids: Ids | None = None) -> dict[str, Any]:
    """Any content file: one of the types' schemas (`dossier schema` with no option). A file
    may fit several types (an agency and an installation may have the same fields), hence
    `anyOf`; the per-type schemas (`--type`, `--out`) are the ones to give an editor."""
    build = _Builder(config, ids)
    types = {spec.name: build.mapping(fields_for(spec.name), spec.caption[:-1]) for spec in TYPES_TABLE}
    defs = {**types, "dossier": build.mapping(DOSSIER_FIELDS), **build.definitions()}
    return {
        "$schema": DRAFT,
        "title": "Dossier content file",
        "description": "Any content file; the folder says which definition applies: "
                       + ", ".join(f"{spec.folder}/ → {spec.name}" for spec in TYPES_TABLE)
                       + ", dossier.yml → dossier. `dossier schema --out DIR` writes one schema "
                         "per type for editors.",
        "definitions": defs,
        "anyOf": [{"$ref": f"#/definitions/{name}"} for name in [*TYPE_SPECS, "dossier"]],
    }


def schema_files(config: SiteConfig, out: Path, content: Path, ids: Ids | None) -> dict[str, str]:
    """What `dossier schema --out DIR` writes: file name → text. A schema per type, and
    `yaml.schemas.json`, the `yaml.schemas` setting (schema file → the folder's files) to
    copy into `.vscode/settings.json`; its paths as the command line gave them (relative to
    where it ran: the workspace, normally)."""
    files = {f"{name}.schema.json": _json(type_schema(name, config, ids))
             for name in [*TYPE_SPECS, "dossier"]}
    mapping = {}
    for name in TYPE_SPECS:
        folder = _glob(content / TYPE_SPECS[name].folder)
        mapping[_schema_path(out / f"{name}.schema.json")] = [f"{folder}/*.yml", f"{folder}/*.yaml"]
    mapping[_schema_path(out / "dossier.schema.json")] = [_glob(content / "dossier.yml"),
                                                          _glob(content / "dossier.yaml")]
    files["yaml.schemas.json"] = _json({"yaml.schemas": mapping})
    return files


def _glob(path: Path) -> str:
    """A file pattern of `yaml.schemas`, as its examples write them: `content/people/*.yml`,
    relative to the workspace folder, forward slashes."""
    return Path(os.path.normpath(path)).as_posix()


def _schema_path(path: Path) -> str:
    """A schema file of `yaml.schemas`: `./schemas/person.schema.json` when relative (the
    extension reads it from the workspace folder), else the absolute path."""
    text = _glob(path)
    return text if path.is_absolute() else f"./{text}"


def _json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"
