"""`dossier schema` for editors (issue 15, item 1): a draft-07 schema per type, vocabulary
words and ids as enums, and a schema that agrees with `dossier check` both ways."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from generator.config import DEFAULT_CONFIG_DIR, SiteConfig, load_config
from generator.diagnostics import Diagnostics
from generator.editor_schema import ids_by_type, type_schema
from generator.load import TYPE_FOLDERS
from generator.pipeline import Options, check
from generator.scaffold import profile_text
from generator.yamlstrict import read_yaml

from .conftest import FIXTURES, ROOT, cli

CONTENT_FOLDERS = [ROOT / "content", *(p for p in sorted(FIXTURES.iterdir())
                                       if (p / "dossier.yml").exists() and p.name != "hostile")]


@pytest.fixture(scope="module")
def config() -> SiteConfig:
    found = load_config(DEFAULT_CONFIG_DIR, Diagnostics())
    assert found is not None
    return found


def _problems(schema: dict[str, Any], data: Any) -> list[str]:
    validator = jsonschema.Draft7Validator(schema)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]


def _type_of(path: Path) -> str:
    return "dossier" if path.stem == "dossier" else TYPE_FOLDERS[path.parent.name]


@pytest.mark.parametrize("folder", CONTENT_FOLDERS, ids=lambda p: p.name)
def test_every_content_file_validates_against_its_types_schema(config, folder):
    """The default dossier and the fixtures (all of which `check` passes) pass their
    schemas, with their ids enumerated."""
    ids = ids_by_type(folder)
    schemas = {name: type_schema(name, config, ids) for name in [*TYPE_FOLDERS.values(), "dossier"]}
    failures = {}
    for path in sorted(folder.rglob("*.yml")):
        problems = _problems(schemas[_type_of(path)], read_yaml(path.read_text(encoding="utf-8"))[0])
        if problems:
            failures[str(path.relative_to(folder))] = problems
    assert failures == {}


@pytest.mark.parametrize("type_", [*TYPE_FOLDERS.values(), "dossier"])
def test_each_schema_is_a_valid_draft_07_schema(config, type_):
    schema = type_schema(type_, config, ids_by_type(ROOT / "content"))
    jsonschema.Draft7Validator.check_schema(schema)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"


def test_a_new_person_file_fits_the_person_schema_and_no_other_but_its_lookalikes(config):
    """The issue's first finding: one schema for all types matched a person file as five
    types. Per type, a file with a person's own field fits only the person schema."""
    data = {"name": "Jane", "born": 1970}
    fits = [t for t in TYPE_FOLDERS.values() if not _problems(type_schema(t, config), data)]
    assert fits == ["person"]


SOURCE = "title: S\nreliability: B\n"
#: (file, text, whether check gives an error): each mistake, and each thing that looks like
#: one but is accepted; the schema must say the same
TABLE = [
    ("people/p.yml", "name: P\nsources: s\n", False),
    ("people/p.yml", "name: P\naliases: x\n", False),
    ("people/p.yml", "name: 1234\n", False),
    ("people/p.yml", "name: P\nborn: 2008.0\n", False),
    ("domains/d.yml", "name: D\nsince: 2008.0\n", False),
    ("people/p.yml", "name: P\nrelations:\n  - {type: leads, target: a, since: 2008.0, sources: s}\n",
     False),
    ("domains/d.yml", "name: D\nsince: 2008.10\n", True),  # October 2008 is written 2008-10
    ("people/p.yml", "name: P\nborn: 2008\n", False),
    ("people/p.yml", "name: P\nborn: 2008-02\n", False),
    ("people/p.yml", "name: P\nborn:\n", False),
    ("people/p.yml", "name: P\nnationality: c\n", False),
    ("people/p.yml", "name: P\nclaims:\n  - text: T\n    credibility: 2\n    sources: [s]\n", False),
    ("people/p.yml", "name: P\nroles:\n  - {title: Chief, organization: a, sources: s}\n", False),
    ("agencies/a.yml", "name: A\nkind: ministry\ncountry: c\n", False),
    ("sources/t.yml", "title: T\nurl: https://example.org/x\nlanguage: pt-BR\n", False),
    ("people/p.yml", "name: P\nwebsite: x\n", True),
    ("people/p.yml", "name: P\nborn: 2019-13\n", True),
    ("people/p.yml", "name: P\nborn: 2008.5\n", True),
    ("people/p.yml", "name: P\nborn: 0\n", True),
    ("people/p.yml", "name: P\nborn: true\n", True),
    ("people/p.yml", "name: true\n", True),
    ("people/p.yml", "name: ' '\n", True),
    ("people/p.yml", "name:\n", True),
    ("people/p.yml", "aliases: [P]\n", True),
    ("people/p.yml", "name: P\nrelations:\n  - {type: works-for, target: a, sources: [s]}\n", True),
    ("people/p.yml", "name: P\nrelations:\n  - {type: member-of, target: nobody, sources: [s]}\n",
     True),
    ("people/p.yml", "name: P\nrelations:\n  - {target: a, sources: [s]}\n", True),
    ("people/p.yml", "name: P\nclaims:\n  - text: T\n    status: confimed\n    sources: [s]\n", True),
    ("people/p.yml", "name: P\nclaims:\n  - text: T\n    confidence: medium\n    sources: [s]\n", True),
    ("people/p.yml", "name: P\nclaims:\n  - text: T\n    credibility: 7\n    sources: [s]\n", True),
    ("people/p.yml", "name: P\nclaims:\n  - text: T\n    sources: [a]\n", True),  # not a source
    ("people/p.yml", "name: P\nnationality: [a]\n", True),  # an agency, not a country
    ("people/p.yml", "name: P\nmarking: TLP:WHITE\n", True),
    ("people/p.yml", "name: P\ncirca: yes\n", True),
    ("people/p.yml", "name: P\nroles:\n  - {organization: a}\n", True),
    ("agencies/a.yml", "name: A\nkind: spy-shop\n", True),
    ("countries/c.yml", "name: C\niso: ve\n", True),
    ("sources/t.yml", "title: T\nurl: javascript:alert(1)\n", True),
    ("sources/t.yml", "title: T\nreliability: G\n", True),
    ("sources/t.yml", "name: T\n", True),
    ("events/e.yml", "name: E\n", True),
    ("events/e.yml", "name: E\ndate: 2019-04-31x\n", True),
    ("dossier.yml", "title: T\nlanguage: pt-BR\n", False),
    ("dossier.yml", "title: T\nlanguage: en-GB\n", True),  # the theme has no such translation
    ("dossier.yml", "title: T\nkey_judgments:\n  - text: K\n    status: confimed\n", True),
    ("dossier.yml", "title: T\nquestions:\n  - Who funds it?\n", False),
]


def _content(tmp: Path, rel: str, text: str) -> Path:
    files = {"dossier.yml": "title: T\n", "sources/s.yml": SOURCE, "agencies/a.yml": "name: A\n",
             "countries/c.yml": "name: C\n", rel: text}
    for name, body in files.items():
        (tmp / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp / name).write_text(body, encoding="utf-8")
    return tmp


@pytest.mark.parametrize(("rel", "text", "refused"), TABLE, ids=[f"{t[0]}:{t[1]!r}" for t in TABLE])
def test_schema_and_check_agree_both_ways(config, tmp_path, rel, text, refused):
    root = _content(tmp_path / "content", rel, text)
    errors = [d for d in check(Options(root)).diags.errors if d.path.endswith(rel)]
    schema = type_schema(_type_of(root / rel), config, ids_by_type(root))
    problems = _problems(schema, read_yaml(text)[0])
    assert (bool(errors), bool(problems)) == (refused, refused), (errors, problems)


def test_vocabulary_words_are_enums_with_their_labels(config):
    schema = type_schema("person", config)
    relation = schema["definitions"]["relation"]["properties"]["type"]["anyOf"][0] \
        if "anyOf" in schema["definitions"]["relation"]["properties"]["type"] \
        else schema["definitions"]["relation"]["properties"]["type"]
    assert "cooperates-with" in relation["enum"] and "works-for" not in relation["enum"]
    assert relation["enumDescriptions"][relation["enum"].index("cooperates-with")] == "cooperates with"
    status = schema["definitions"]["claim"]["properties"]["status"]["anyOf"][0]
    assert status["enum"] == ["confirmed", "reported", "alleged", "disputed", "denied"]


def test_with_content_reference_fields_enumerate_the_ids_of_the_right_types(config):
    ids = ids_by_type(ROOT / "content")
    schema = type_schema("person", config, ids)
    definitions = schema["definitions"]

    def enum(one: dict[str, Any]) -> list[str]:
        """The ids a reference field's schema allows (each list is written once)."""
        while "$ref" not in one:
            one = (one.get("anyOf") or one.get("allOf"))[0]
        return definitions[one["$ref"].split("/")[-1]]["enum"]

    assert enum(schema["properties"]["nationality"]) == ids["country"]
    assert "venezuela" in ids["country"]
    assert enum(definitions["role"]["properties"]["organization"]) == ids["agency"]
    assert enum(definitions["citation"]["properties"]["source"]) == ids["source"]
    assert set(enum(definitions["relation"]["properties"]["target"])) == {i for v in ids.values() for i in v}


def test_relations_claims_and_roles_offer_snippets(config):
    definitions = type_schema("person", config)["definitions"]
    for part in ("relation", "claim", "role"):
        body = definitions[part]["defaultSnippets"][0]["body"]
        assert set(body) <= set(definitions[part]["properties"])


def test_schema_type_prints_one_type(capsys):
    code, out, _ = cli(capsys, "schema", "--type", "installation", "--content", str(FIXTURES / "contract"))
    schema = json.loads(out)
    assert code == 0 and schema["title"].startswith("Dossier installation profile")
    assert "status" in schema["properties"] and "born" not in schema["properties"]


def test_schema_with_no_option_still_describes_every_file(capsys):
    code, out, _ = cli(capsys, "schema")
    schema = json.loads(out)
    assert code == 0 and schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert {*TYPE_FOLDERS.values(), "dossier"} <= set(schema["definitions"])
    assert schema["definitions"]["event"]["required"] == ["name", "date"]
    jsonschema.Draft7Validator.check_schema(schema)
    assert not _problems(schema, {"name": "Jane", "born": 1970})  # anyOf: fits one type or more


def test_schema_out_writes_a_schema_per_type_and_the_vscode_mapping(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = cli(capsys, "schema", "--out", "schemas", "--content", str(FIXTURES / "contract"))
    assert code == 0 and "wrote 8 schemas" in err
    written = sorted(p.name for p in (tmp_path / "schemas").iterdir())
    assert written == sorted([".dossier-output", "yaml.schemas.json",
                              *(f"{t}.schema.json" for t in [*TYPE_FOLDERS.values(), "dossier"])])
    mapping = json.loads((tmp_path / "schemas" / "yaml.schemas.json").read_text())["yaml.schemas"]
    people = f"{(FIXTURES / 'contract' / 'people').as_posix()}/*.yml"
    assert people in mapping["./schemas/person.schema.json"]
    # again over its own output: allowed, and the same bytes
    before = (tmp_path / "schemas" / "person.schema.json").read_bytes()
    assert cli(capsys, "schema", "--out", "schemas", "--content", str(FIXTURES / "contract"))[0] == 0
    assert (tmp_path / "schemas" / "person.schema.json").read_bytes() == before


def test_schema_out_refuses_a_folder_it_did_not_make(capsys, tmp_path):
    mine = tmp_path / "notes"
    mine.mkdir()
    (mine / "todo.txt").write_text("keep me")
    code, _, err = cli(capsys, "schema", "--out", str(mine))
    assert code == 1 and "it holds files Dossier did not make" in err
    assert sorted(p.name for p in mine.iterdir()) == ["todo.txt"]


def test_schema_out_refuses_the_content_folder(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content").mkdir()
    code, _, err = cli(capsys, "schema", "--out", "content", "--content", "content")
    assert code == 1 and "content folder" in err and list((tmp_path / "content").iterdir()) == []


@pytest.mark.parametrize("type_", list(TYPE_FOLDERS.values()))
def test_a_new_profile_fits_its_schema(config, type_):
    """What `dossier new` writes, placeholders and all, is valid in the editor too."""
    assert _problems(type_schema(type_, config), read_yaml(profile_text(type_, "Jane Doe"))[0]) == []
