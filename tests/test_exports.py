"""Exports (issue 14): `dossier export --format stix|ftm|csv`, checked with the field's own
tools: the OASIS STIX validator and the `stix2` library, the FollowTheMoney model, Python's
csv and zipfile readers. Every export is a real `dossier export` run, cached per module.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import uuid
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import stix2
from bs4 import BeautifulSoup
from followthemoney import model
from stix2validator import ValidationOptions, validate_instance

from generator.cli import main
from generator.config import DEFAULT_CONFIG_DIR
from generator.export import FORMATS
from generator.export_csv import ZIP_DATE, csv_names
from generator.export_stix_ids import EXTENSION_ID, NAMESPACE, TLP_EXTENSION, TLP_MARKINGS, stix_id
from generator.pages import data as data_kind
from generator.pipeline import Options
from generator.serve import Preview, refresh

from .conftest import FIXTURES, ROOT, ContentFactory
from .test_editions import AMBER_FIELDS, canaries

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

CONTENTS = {
    "default": ROOT / "content",
    "contract": FIXTURES / "contract",
    "hostile": FIXTURES / "hostile",
    "editions": FIXTURES / "editions",
    "editions-amber": FIXTURES / "editions-amber",
}
#: the validator's warnings a bundle may carry, each a choice the Data page explains: its
#: code → the check to disable in strict mode (the country check reports code 201, which
#: names another check, so it is disabled by name)
ACCEPTED_WARNINGS = {
    "103": "103",  # UUIDv5 ids, not v4: the same content gives the same ids
    "202": "202",  # relationship types the spec lists for no such pair: the dossier's own words
    "302": "302",  # an external reference with an address but no hash: no source is fetched
    "201": "countries",  # a country code the validator does not know: as the content writes it
}

#: what a format leaves out of every edition (FtM: key judgments belong to no entity)
LEFT_OUT = {"ftm": ["CANARY-JUDGMENT", "canary-judgment-key"]}

Export = Callable[..., bytes]


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Export:
    """`export(content, fmt, edition="full")`: the bytes `dossier export` writes to -o."""
    done: dict[tuple[str, str, str], bytes] = {}

    def run(content: str, fmt: str, edition: str = "full") -> bytes:
        key = (content, fmt, edition)
        if key not in done:
            out = tmp_path_factory.mktemp("export") / f"export.{fmt}"
            assert main(["export", "--content", str(CONTENTS[content]), "--format", fmt,
                         "--edition", edition, "-o", str(out)]) == 0
            done[key] = out.read_bytes()
        return done[key]

    return run


def text_of(fmt: str, data: bytes) -> str:
    """An export as text; a zip's entries decompressed and joined, so nothing hides in it."""
    if fmt != "csv":
        return data.decode("utf-8")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "\n".join(archive.read(name).decode("utf-8") for name in archive.namelist())


def walk_keys(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from walk_keys(v)
    elif isinstance(value, list):
        for v in value:
            yield from walk_keys(v)


# --- STIX 2.1 ---------------------------------------------------------------------------


@pytest.mark.parametrize("content", ["default", "contract", "hostile", "editions-amber"])
def test_stix_bundle_is_valid_for_the_oasis_validator(export: Export, content: str) -> None:
    bundle = json.loads(export(content, "stix"))
    results = validate_instance(bundle, ValidationOptions(version="2.1"))
    assert results.is_valid, [str(e) for e in results.errors][:5]
    codes = {str(w).split("{", 1)[1].split("}", 1)[0] for w in results.warnings if "{" in str(w)}
    assert codes <= ACCEPTED_WARNINGS.keys(), [str(w) for w in results.warnings][:5]
    strict = ValidationOptions(version="2.1", strict=True, disabled=",".join(ACCEPTED_WARNINGS.values()))
    assert validate_instance(bundle, strict).is_valid  # nothing else: strict, less those choices


@pytest.mark.parametrize("content", ["default", "hostile"])
def test_stix_bundle_parses_with_the_stix2_library_without_custom_content(export: Export,
                                                                          content: str) -> None:
    bundle = json.loads(export(content, "stix"))
    parsed = stix2.parse(bundle, allow_custom=False)
    assert len(parsed.objects) == len(bundle["objects"])


def test_stix_every_object_carries_a_tlp_2_marking_defined_in_the_bundle(export: Export) -> None:
    bundle = json.loads(export("editions-amber", "stix"))
    objects = {o["id"]: o for o in bundle["objects"]}
    markings = {i: o for i, o in objects.items() if o["type"] == "marking-definition"}
    assert set(markings) <= set(TLP_MARKINGS.values())
    for marking in markings.values():
        level = marking["extensions"][TLP_EXTENSION]["tlp_2_0"]
        assert marking["name"] == f"TLP:{level.upper()}"
    for o in objects.values():
        if o["type"] != "marking-definition":
            assert len(o["object_marking_refs"]) == 1 and o["object_marking_refs"][0] in markings
    amber = [o for o in objects.values() if o.get("object_marking_refs") == [TLP_MARKINGS["TLP:AMBER"]]]
    assert any(o.get("name") == "CANARY-PERSON-NAME" for o in amber)  # the dossier-wide default


@pytest.mark.parametrize("content", ["editions", "editions-amber"])
def test_stix_public_bundle_marks_nothing_above_green(export: Export, content: str) -> None:
    """The dossier's report included: with a TLP:AMBER dossier, the public edition keeps
    none of dossier.yml's marked fields, so its report is no AMBER object (it was)."""
    bundle = json.loads(export(content, "stix", "public"))
    allowed = {TLP_MARKINGS["TLP:CLEAR"], TLP_MARKINGS["TLP:GREEN"]}
    assert {o["id"] for o in bundle["objects"] if o["type"] == "marking-definition"} <= allowed
    assert {m for o in bundle["objects"] for m in o.get("object_marking_refs", [])} <= allowed


def test_stix_keeps_what_stix_lacks_in_its_defined_extension_not_in_x_properties(export: Export) -> None:
    bundle = json.loads(export("default", "stix"))
    assert not [k for k in walk_keys(bundle) if k.startswith("x_")]
    (definition,) = [o for o in bundle["objects"] if o["type"] == "extension-definition"]
    assert definition["id"] == EXTENSION_ID and definition["extension_types"] == ["property-extension"]
    used = {k for o in bundle["objects"] for k in o.get("extensions", {})}
    assert used == {EXTENSION_ID, TLP_EXTENSION}
    notes = {o["extensions"][EXTENSION_ID].get("dossier_id"): o for o in bundle["objects"]
             if o["type"] == "note"}
    judged = notes["installations-russian-built-not-operated"]
    extension = judged["extensions"][EXTENSION_ID]
    assert extension["likelihood"] == "roughly-even" and extension["status"] == "alleged"
    assert extension["confidence"] == "low" and judged["confidence"] == 15
    assert extension["citations"][0]["locator"].startswith("Bring radars, guns and money, para. 4")
    assert judged["external_references"][0]["external_id"] == "seed-article"


def test_stix_agencies_carry_their_abbreviation_and_native_name_as_aliases(export: Export) -> None:
    agencies = {o["name"]: o for o in json.loads(export("contract", "stix"))["objects"]
                if o.get("extensions", {}).get(EXTENSION_ID, {}).get("dossier_type") == "agency"}
    names = {name: o.get("aliases") or o["extensions"][EXTENSION_ID].get("aliases", [])
             for name, o in agencies.items()}
    expected = {(name, alias) for name, o in agencies.items()
                for field in ("abbreviation", "native_name")
                for alias in [o["extensions"][EXTENSION_ID]["fields"].get(field)] if alias}
    assert expected and all(alias in names[name] for name, alias in expected)


def test_stix_relations_keep_partial_dates_and_symmetry(export: Export) -> None:
    data = json.loads(export("default", "json"))
    bundle = json.loads(export("default", "stix"))
    extensions = [o["extensions"][EXTENSION_ID] for o in bundle["objects"] if o["type"] == "relationship"]
    relations = [x for x in extensions if x["dossier_type"] == "relation"]
    assert len(relations) == len(data["relations"])
    since = sorted(r.get("since", "") for r in data["relations"])
    assert sorted(r.get("since", "") for r in relations) == since and "2020-12" in since
    assert {r["relation_type"] for r in relations if r.get("symmetric")} >= {"cooperates-with"}


def test_stix_counts_every_claim_judgment_and_question_as_a_note(export: Export) -> None:
    data = json.loads(export("default", "json"))
    bundle = json.loads(export("default", "stix"))
    kinds = Counter(o["extensions"][EXTENSION_ID]["dossier_type"] for o in bundle["objects"]
                    if o["type"] == "note")
    assert kinds["claim"] == sum(len(e.get("claims", [])) for e in data["entities"])
    assert kinds["key-judgment"] == len(data["dossier"]["key_judgments"])
    assert kinds["question"] == len(data["dossier"]["questions"])


def test_stix_ids_are_fixed_by_the_dossier_ids(export: Export) -> None:
    """The namespace never changes: an id exported once is the same in every later export
    and every edition (what lets a platform update instead of duplicate)."""
    assert stix_id("identity", "open-person") == "identity--06ab7063-ed94-50c4-add6-fe9250bed127"
    full = {o["id"] for o in json.loads(export("editions", "stix"))["objects"]}
    public = {o["id"] for o in json.loads(export("editions", "stix", "public"))["objects"]}
    assert stix_id("identity", "open-person") in full & public
    assert stix_id("identity", "secret-person") in full - public


@pytest.mark.parametrize("key", ["open-person", "claim:a-key", "a|member-of|b|2019-04|", "Кремль"])
def test_stix_ids_are_rfc_4122_uuid5(key: str) -> None:
    """`stix_id` makes its UUIDs itself (faster): they are what `uuid.uuid5` makes."""
    assert stix_id("note", key) == f"note--{uuid.uuid5(NAMESPACE, f'note:{key}')}"


# --- FollowTheMoney ---------------------------------------------------------------------


@pytest.mark.parametrize("content", ["default", "contract", "hostile", "editions", "editions-amber"])
def test_ftm_entities_are_valid_for_the_followthemoney_model(export: Export, content: str) -> None:
    lines = export(content, "ftm").decode("utf-8").splitlines()
    entities = [json.loads(line) for line in lines]
    ids = [e["id"] for e in entities]
    assert len(ids) == len(set(ids))
    for entity in entities:
        schema = model.get(entity["schema"])
        assert schema is not None and not schema.abstract
        schema.validate(entity)  # raises InvalidData
        cleaned = model.get_proxy(entity).to_dict()["properties"]
        assert cleaned == entity["properties"], entity["id"]  # nothing dropped or rewritten
        for name, values in entity["properties"].items():
            if schema.get(name).type.name == "entity":
                assert set(values) <= set(ids), (entity["id"], name)


def test_ftm_maps_roles_memberships_and_sources(export: Export) -> None:
    entities = [json.loads(line) for line in export("default", "ftm").decode("utf-8").splitlines()]
    by_schema = Counter(e["schema"] for e in entities)
    assert by_schema["Person"] == len(list((ROOT / "content" / "people").glob("*.yml")))
    assert by_schema["Territory"] == len(list((ROOT / "content" / "countries").glob("*.yml")))
    assert by_schema["Employment"] > 0 and by_schema["Membership"] > 0 and by_schema["Documentation"] > 0
    peskov = next(e for e in entities if e["schema"] == "Employment"
                  and e["properties"]["employee"] == ["dmitry-peskov"])
    assert peskov["properties"]["employer"] == ["kremlin"]
    assert peskov["properties"]["role"] == ["Spokesperson"]
    note = next(e for e in entities if e["schema"] == "Note" and "likelihood: roughly-even"
                in e["properties"].get("summary", [""])[0])
    assert "confidence: low" in note["properties"]["summary"][0]


# --- CSV --------------------------------------------------------------------------------


def test_csv_zip_holds_one_table_per_type_and_statement_with_fixed_dates(export: Export) -> None:
    data = export("default", "csv")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == csv_names()
        assert {info.date_time for info in archive.infolist()} == {ZIP_DATE}
        texts = {name: archive.read(name).decode("utf-8") for name in archive.namelist()}
    assert all(text.startswith("\ufeff") for text in texts.values())  # Excel reads it as UTF-8
    people = list(csv.DictReader(io.StringIO(texts["people.csv"][1:])))
    assert len(people) == len(list((ROOT / "content" / "people").glob("*.yml")))
    novak = next(row for row in people if row["id"] == "alexander-novak")
    assert "Александр Новак" in novak["aliases"].split("; ")
    relations = list(csv.DictReader(io.StringIO(texts["relations.csv"][1:])))
    assert len(relations) == len(json.loads(export("default", "json"))["relations"])


def test_csv_cells_that_look_like_formulas_stay_text(content: ContentFactory, tmp_path: Path) -> None:
    folder = content({"content/people/formula.yml": """\
        name: "=HYPERLINK(\\"http://example.org\\",\\"x\\")"
        aliases: ["+1 555", "@SUM(A1)", "-2"]
        tags: [plain]
        """})
    out = tmp_path / "out.zip"
    assert main(["export", "--content", str(folder), "--format", "csv", "-o", str(out)]) == 0
    with zipfile.ZipFile(out) as archive:
        rows = list(csv.DictReader(io.StringIO(archive.read("people.csv").decode("utf-8")[1:])))
    assert rows[0]["name"] == "'=HYPERLINK(\"http://example.org\",\"x\")"
    assert rows[0]["aliases"] == "'+1 555; @SUM(A1); -2"  # the cell's start is what a sheet reads
    assert rows[0]["tags"] == "plain"


def test_csv_needs_a_file_to_write_its_zip(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["export", "--content", str(CONTENTS["default"]), "--format", "csv"])
    assert stopped.value.code == 2
    assert "--format csv writes a zip file: name it with -o FILE.zip" in capsys.readouterr().err


# --- every format -----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_is_deterministic(export: Export, tmp_path: Path, fmt: str) -> None:
    again = tmp_path / "again"
    assert main(["export", "--content", str(CONTENTS["default"]), "--format", fmt, "-o", str(again)]) == 0
    assert again.read_bytes() == export("default", fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_public_export_holds_no_canary(export: Export, fmt: str) -> None:
    """Nothing marked above TLP:GREEN in the public edition's export, in any format; the
    full edition's export holds the withheld profiles, so the search can fail."""
    public = text_of(fmt, export("editions", fmt, "public"))
    assert [c for c in canaries() if c in public] == []
    full = text_of(fmt, export("editions", fmt))
    assert [c for c in canaries() if c not in full] == LEFT_OUT.get(fmt, [])
    amber = text_of(fmt, export("editions-amber", fmt, "public"))
    assert [c for _, c in AMBER_FIELDS if c in amber] == []
    assert [c for _, c in AMBER_FIELDS if c in text_of(fmt, export("editions-amber", fmt))] != []


@pytest.mark.parametrize("fmt", ["stix", "ftm", "csv"])
def test_hostile_names_are_exported_as_data(export: Export, fmt: str) -> None:
    """A name full of markup and formula characters arrives as written (JSON escapes it;
    CSV adds the one `'` a formula start gets), never cut, escaped twice or dropped."""
    names = [e["name"] for e in json.loads(export("hostile", "json"))["entities"]
             if "<script>" in e["name"]]
    assert names
    if fmt == "csv":
        with zipfile.ZipFile(io.BytesIO(export("hostile", "csv"))) as archive:
            cells = {row["name"] for name in archive.namelist() if name not in ("relations.csv",
                     "claims.csv", "roles.csv")
                     for row in csv.DictReader(io.StringIO(archive.read(name).decode("utf-8")[1:]))}
    elif fmt == "stix":
        cells = {o.get("name") for o in json.loads(export("hostile", "stix"))["objects"]}
    else:
        cells = {n for line in export("hostile", "ftm").decode("utf-8").splitlines()
                 for n in json.loads(line)["properties"].get("name", [])}
    assert all(name in cells or f"'{name}" in cells for name in names)


# --- the site's Data page ---------------------------------------------------------------


@pytest.fixture(scope="module")
def mini_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("mini") / "site"
    assert main(["build", "--content", str(FIXTURES / "mini"), "--site-dir", str(site)]) == 0
    return site


def test_site_offers_every_export_on_its_data_page(mini_site: Path, tmp_path: Path) -> None:
    """The Data page is in the navigation and links each file; the files hold what
    `dossier export` writes for the same content (the CSV tables: the zip's entries)."""
    page = BeautifulSoup((mini_site / "data.html").read_text(encoding="utf-8"), "lxml")
    assert "Data" in [a.get_text(strip=True) for a in page.select("nav a[href$='data.html']")]
    links = {a.get_text(strip=True): a["href"] for a in page.select("article a[download]")}
    assert list(links) == ["dossier.json", "dossier.stix.json", "dossier.ftm.jsonl", *csv_names()]
    shipped = {name: (mini_site / href).read_bytes() for name, href in links.items()}
    for name, fmt in (("dossier.json", "json"), ("dossier.stix.json", "stix"), ("dossier.ftm.jsonl", "ftm"),
                      ("tables.zip", "csv")):
        out = tmp_path / name
        assert main(["export", "--content", str(FIXTURES / "mini"), "--format", fmt, "-o", str(out)]) == 0
        if fmt == "ftm":
            assert shipped[name] == out.read_bytes()
            continue
        if fmt != "csv":  # the same value; the site's without indentation
            assert json.loads(shipped[name]) == json.loads(out.read_bytes())
            continue
        with zipfile.ZipFile(out) as archive:
            assert {n: archive.read(n) for n in archive.namelist()} == {n: shipped[n] for n in csv_names()}
    first = page.select_one("article li:has(a[download])").get_text(" ", strip=True)
    assert first.startswith("dossier.json : JSON. Dossier's own model")
    data = json.loads(shipped["dossier.json"])
    intro = page.select_one("article h1 + p").get_text(" ", strip=True)
    assert f"{len(data['entities'])} profiles, {len(data['relations'])} relations" in intro


def test_live_preview_makes_the_exports_once_and_keeps_them_through_edits(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """A partial refresh after an edit neither makes the exports again (they doubled the
    refresh of a 1,000-profile dossier) nor drops them from the preview's tree."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "mini", content)
    opts = Options(content_dir=content, config_dir=DEFAULT_CONFIG_DIR)
    made: list[str] = []
    make = data_kind.export_text
    monkeypatch.setattr(data_kind, "export_text",
                        lambda linked, fmt, compact: made.append(fmt) or make(linked, fmt, compact))
    live, state = tmp_path / "live", Preview()
    assert refresh(opts, live, state) and sorted(made) == ["ftm", "json", "stix"]
    exported = (live / "docs" / "data" / "dossier.stix.json").read_bytes()
    person = content / "people" / "jane-doe.yml"
    person.write_text(person.read_text(encoding="utf-8").replace("name: Jane Doe", "name: Jane Roe"),
                      encoding="utf-8")
    assert refresh(opts, live, state)
    assert sorted(made) == ["ftm", "json", "stix"]  # not made again
    assert (live / "docs" / "data" / "dossier.stix.json").read_bytes() == exported
    assert "Jane Roe" in (live / "docs" / "people" / "jane-doe.md").read_text(encoding="utf-8")
    assert (live / "docs" / "data.md").is_file()
    capsys.readouterr()
