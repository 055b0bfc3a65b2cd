"""Editions: a public build holds nothing marked above TLP:GREEN, in any file.

The fixture `tests/fixtures/editions` puts a canary string in every kind of
restricted item (entity names, aliases, summaries, tags, roles, relation notes,
claims, locators, sources, key judgments, claim keys, ids). Every file of a
public site and the public export is searched for every canary; the full
edition must hold each of them, so the search can fail.

The fixture `tests/fixtures/editions-amber` makes TLP:AMBER the dossier-wide
default: what has no marking of its own inherits it (dossier.yml's own fields,
open questions, every entity and statement not marked lower). `AMBER_FIELDS` names
the canary of each field; none may reach any file of the public site or export.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.cli import main
from generator.export_stix_ids import TLP_MARKINGS, stix_id
from generator.link import DOSSIER_ID
from generator.pdf_book import book_html
from generator.pipeline import Options, check

from .conftest import FIXTURES

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
CONTENT = FIXTURES / "editions"
WITHHELD_IDS = ["secret-person", "secret-agency", "secret-source", "canary-judgment-key"]


def canaries() -> list[str]:
    found: set[str] = set()
    for path in CONTENT.rglob("*.yml"):
        text = path.read_text()
        found.update(w.strip(",.]}[") for w in text.split() if w.strip(",.]}[").startswith("CANARY-"))
    found.discard("CANARY-...")
    return sorted(found) + WITHHELD_IDS


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = {}
    for edition in ("full", "public"):
        base = tmp_path_factory.mktemp(edition)
        assert main(["build", "--content", str(CONTENT), "--edition", edition,
                     "--site-dir", str(base / "site")]) == 0
        assert main(["export", "--content", str(CONTENT), "--edition", edition,
                     "-o", str(base / "export.json")]) == 0
        out[edition] = base
    return out


def every_file_text(base: Path) -> dict[str, str]:
    """Every output file as text; gzip files decompressed, so nothing hides in them."""
    texts = {}
    for path in sorted(base.rglob("*")):
        if path.is_file():
            raw = path.read_bytes()
            if path.suffix == ".gz":
                raw = gzip.decompress(raw)
            texts[path.relative_to(base).as_posix()] = raw.decode("utf-8", errors="replace")
    return texts


def test_fixture_has_canaries_in_every_kind_of_item():
    assert len(canaries()) >= 15


def test_full_edition_holds_every_canary(builds):
    texts = "\n".join(every_file_text(builds["full"]).values())
    missing = [c for c in canaries() if c not in texts]
    assert missing == []


def test_public_edition_holds_no_canary_in_any_file(builds):
    texts = every_file_text(builds["public"])
    assert "site/search/search_index.json" in texts and "export.json" in texts
    assert "site/sitemap.xml.gz" in texts
    leaks = [(name, c) for name, text in texts.items() for c in canaries() if c in text]
    assert leaks == []


def test_public_edition_has_no_dead_links_and_no_withheld_pages(builds):
    site = builds["public"] / "site"
    assert not (site / "people" / "secret-person.html").exists()
    for page in site.rglob("*.html"):
        for a in BeautifulSoup(page.read_text(), "lxml").select("article a[href]"):
            href = a["href"].split("#")[0]
            if href and not href.startswith(("http:", "https:", "mailto:")):
                assert (page.parent / href).resolve().exists(), f"{page}: {href}"


def test_public_pages_keep_what_is_public(builds):
    site = builds["public"] / "site"
    person = BeautifulSoup((site / "people" / "open-person.html").read_text(), "lxml")
    text = person.select_one("article").get_text(" ", strip=True)
    assert "Officer" in text and "An open claim." in text and "[withheld]" in text
    relations = [tr.td.get_text(strip=True) for table in person.select("article table")
                 if table.th.get_text(strip=True) == "Relation" for tr in table.select("tbody tr")]
    headings = [h.get_text(strip=True) for h in person.select("article h3")]
    # the met-with to a withheld person and the AMBER relation: gone
    assert relations == ["Leads"] and headings == ["Events"]
    event = BeautifulSoup((site / "events" / "open-event.html").read_text(), "lxml")
    assert [a.get_text() for a in event.select("article a[href*='people/']:not(svg a)")] == ["Open Person"]
    home = BeautifulSoup((site / "index.html").read_text(), "lxml")
    counts = {r.select("td")[0].get_text(strip=True): r.select("td")[1].get_text(strip=True)
              for r in home.select("article table tr") if r.select("td")}
    assert counts["People"] == "1" and counts["Agencies"] == "1" and counts["Sources"] == "1"


def test_public_export_drops_withheld_references(builds):
    data = json.loads((builds["public"] / "export.json").read_text())
    assert sorted(e["id"] for e in data["entities"]) == [
        "open-agency", "open-country", "open-event", "open-person", "open-source"]
    assert data["dossier"]["edition"] == "public"
    assert all(r["target"] != "secret-person" for r in data["relations"])


# --- a dossier-wide TLP:AMBER default ---------------------------------------------------

AMBER = FIXTURES / "editions-amber"
#: (where the canary is written, the canary): every field of dossier.yml, and of one
#: entity of each type, that inherits TLP:AMBER; a public build must hold none of them
AMBER_FIELDS = [
    ("dossier title", "CANARY-DOSSIER-TITLE"),
    ("dossier subtitle", "CANARY-DOSSIER-SUBTITLE"),
    ("dossier summary", "CANARY-DOSSIER-SUMMARY"),
    ("dossier authors", "CANARY-DOSSIER-AUTHOR"),
    ("dossier published, as shown", "3 February 1901"),
    ("dossier published, as exported", "1901-02-03"),
    ("dossier updated (the sitemap's date)", "2031-07-09"),
    ("dossier sources: locator", "CANARY-DOSSIER-SOURCE-LOCATOR"),
    ("dossier sources: note", "CANARY-DOSSIER-SOURCE-NOTE"),
    ("key judgment without a marking: text", "CANARY-JUDGMENT-TEXT"),
    ("key judgment without a marking: key", "canary-judgment-key"),
    ("key judgment without a marking: note", "CANARY-JUDGMENT-NOTE"),
    ("key judgment without a marking: locator", "CANARY-JUDGMENT-LOCATOR"),
    ("open question: text", "CANARY-QUESTION-TEXT"),
    ("open question: note", "CANARY-QUESTION-NOTE"),
    ("open question written as a string", "CANARY-QUESTION-PLAIN"),
    ("person: id", "canary-person"),
    ("person: name", "CANARY-PERSON-NAME"),
    ("person: aliases", "CANARY-PERSON-ALIAS"),
    ("person: summary", "CANARY-PERSON-SUMMARY"),
    ("person: tags", "canary-person-tag"),
    ("person: note", "CANARY-PERSON-NOTE"),
    ("person: sources, locator", "CANARY-PERSON-SOURCES-LOCATOR"),
    ("person: role title", "CANARY-ROLE-TITLE"),
    ("person: role note", "CANARY-ROLE-NOTE"),
    ("person: role locator", "CANARY-ROLE-LOCATOR"),
    ("person: relation note", "CANARY-RELATION-NOTE"),
    ("person: relation locator", "CANARY-RELATION-LOCATOR"),
    ("person: claim text", "CANARY-CLAIM-TEXT"),
    ("person: claim key", "canary-claim-key"),
    ("person: claim note", "CANARY-CLAIM-NOTE"),
    ("person: claim locator", "CANARY-CLAIM-LOCATOR"),
    ("person: citation note", "CANARY-CITATION-NOTE"),
    ("agency: id", "canary-agency"),
    ("agency: name", "CANARY-AGENCY-NAME"),
    ("agency: full_name", "CANARY-AGENCY-FULL-NAME"),
    ("agency: native_name", "CANARY-AGENCY-NATIVE-NAME"),
    ("agency: abbreviation", "CANARY-AGENCY-ABBREVIATION"),
    ("domain: id", "canary-domain"),
    ("domain: name", "CANARY-DOMAIN-NAME"),
    ("event: id", "canary-event"),
    ("event: name", "CANARY-EVENT-NAME"),
    ("event: location as text", "CANARY-EVENT-LOCATION"),
    ("installation: id", "canary-installation"),
    ("installation: name", "CANARY-INSTALLATION-NAME"),
    ("installation: location", "CANARY-INSTALLATION-LOCATION"),
    ("country: id", "canary-country"),
    ("country: name", "CANARY-COUNTRY-NAME"),
    ("source: id", "canary-source"),
    ("source: title", "CANARY-SOURCE-TITLE"),
    ("source: publisher", "CANARY-SOURCE-PUBLISHER"),
    ("source: author", "CANARY-SOURCE-AUTHOR"),
    ("source: url", "CANARY-SOURCE-URL"),
    ("a public claim's locator in a withheld source", "CANARY-LOCATOR-OF-WITHHELD-SOURCE"),
]
_CANARY = re.compile(r"CANARY-[A-Z0-9-]*[A-Z0-9]|canary-[a-z0-9-]*[a-z0-9]")


@pytest.fixture(scope="module")
def amber_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    """Every file of the full and the public build and export of the AMBER-default
    fixture, as text (one real build per edition for the whole table)."""
    out = {}
    for edition in ("full", "public"):
        base = tmp_path_factory.mktemp(f"amber-{edition}")
        assert main(["build", "--content", str(AMBER), "--edition", edition,
                     "--site-dir", str(base / "site")]) == 0
        assert main(["export", "--content", str(AMBER), "--edition", edition,
                     "-o", str(base / "export.json")]) == 0
        out[edition] = every_file_text(base)
    return out


def test_amber_table_names_every_canary_of_the_fixture():
    written = {m for path in AMBER.rglob("*.yml") for m in _CANARY.findall(path.read_text())}
    written |= {path.stem for path in AMBER.rglob("canary-*.yml")}
    assert written == {c for _, c in AMBER_FIELDS if c.lower().startswith("canary-")}


@pytest.mark.parametrize(("field", "canary"), AMBER_FIELDS, ids=[f for f, _ in AMBER_FIELDS])
def test_amber_default_withholds_from_the_public_edition(amber_builds, field, canary):
    public = amber_builds["public"]
    assert {"site/search/search_index.json", "export.json", "site/sitemap.xml.gz"} <= public.keys()
    assert [name for name, text in public.items() if canary in text] == []


@pytest.mark.parametrize(("field", "canary"), AMBER_FIELDS, ids=[f for f, _ in AMBER_FIELDS])
def test_amber_default_full_edition_shows_every_field(amber_builds, field, canary):
    assert any(canary in text for text in amber_builds["full"].values())


def test_amber_default_public_edition_keeps_what_is_marked_lower(amber_builds):
    """What carries TLP:GREEN or TLP:CLEAR is published, and a relation or claim with no
    marking of its own has its entity's (GREEN here), not the dossier's AMBER."""
    public = amber_builds["public"]
    home = BeautifulSoup(public["site/index.html"], "lxml")
    assert home.select_one("article h1").get_text(strip=True) == "Dossier"
    assert "A public judgment about Public Agency" in home.select_one("article").get_text(" ", strip=True)
    assert home.find(id="open-questions") is None
    person = BeautifulSoup(public["site/people/public-person.html"], "lxml")
    text = person.select_one("article").get_text(" ", strip=True)
    assert "A public membership." in text and "A public claim." in text
    export = json.loads(public["export.json"])
    assert [j["text"] for j in export["dossier"].pop("key_judgments")] == [
        "A public judgment about [[public-agency]]."]
    assert export["dossier"] == {"title": "Dossier", "marking": "TLP:GREEN", "language": "en",
                                 "edition": "public"}
    assert sorted(e["id"] for e in export["entities"]) == [
        "public-agency", "public-country", "public-person", "public-source"]


def test_question_note_is_shown_under_its_question_as_prose(amber_builds):
    """The note of an open question is shown on the home page, its `[[id|text]]`
    resolved and its markup cleaned like any prose."""
    home = BeautifulSoup(amber_builds["full"]["site/index.html"], "lxml")
    items = home.find(id="open-questions").find_next_sibling("ul").find_all("li")
    note = items[0].find("small")
    assert note is not None
    assert note.get_text() == "CANARY-QUESTION-NOTE: see the officer and why it matters"
    assert [(a["href"], a.get_text()) for a in note.find_all("a")] == [
        ("people/public-person.html", "the officer")]
    assert note.find("em").get_text() == "why" and note.find("script") is None
    assert items[1].find("small") is None  # a question written as a plain string has no note


# --- the dossier's marking in an edition's outputs ------------------------------------------

#: the files of a build that label the dossier as a whole
DOSSIER_FILES = ("export.json", "site/data/dossier.json", "site/data/dossier.stix.json")


def build_files(request: pytest.FixtureRequest, fixture: str, edition: str) -> dict[str, str]:
    """`DOSSIER_FILES` of the module's build of the fixture's edition, as text."""
    if fixture == "editions-amber":
        return request.getfixturevalue("amber_builds")[edition]
    base = request.getfixturevalue("builds")[edition]
    return {name: (base / name).read_text(encoding="utf-8") for name in DOSSIER_FILES}


def dossier_markings(files: dict[str, str]) -> dict[str, str]:
    """How each of `DOSSIER_FILES` labels the dossier: Dossier's JSON (`dossier export` and
    the site's data file) and the STIX bundle's dossier report."""
    stix = json.loads(files["site/data/dossier.stix.json"])
    (report,) = [o for o in stix["objects"] if o["id"] == stix_id("report", DOSSIER_ID)]
    tlp_names = {ref: name for name, ref in TLP_MARKINGS.items()}
    return {"export.json": json.loads(files["export.json"])["dossier"]["marking"],
            "site/data/dossier.json": json.loads(files["site/data/dossier.json"])["dossier"]["marking"],
            "site/data/dossier.stix.json": tlp_names[report["object_marking_refs"][0]]}


@pytest.mark.parametrize(("fixture", "edition", "marking"), [
    ("editions-amber", "public", "TLP:GREEN"),  # a TLP:AMBER dossier: the edition's highest
    ("editions-amber", "full", "TLP:AMBER"),  # full publishes up to TLP:RED: the dossier's own
    ("editions", "public", "TLP:CLEAR"),  # a dossier below the edition keeps its own
    ("editions", "full", "TLP:CLEAR"),
])
def test_every_export_labels_the_dossier_with_the_lower_of_its_and_the_editions_marking(
        request, fixture, edition, marking):
    markings = dossier_markings(build_files(request, fixture, edition))
    assert markings == dict.fromkeys(DOSSIER_FILES, marking)


def book_marking(content: Path, edition: str) -> str:
    """The marking class of the edition's printed book (print.css writes the marking in
    every page's header and footer from it)."""
    result = check(Options(content_dir=content, edition=edition))
    assert result.linked is not None and result.config is not None
    (document,) = book_html(result.linked, result.config, None).parts
    body = BeautifulSoup(document, "lxml").body
    assert body is not None
    (tlp,) = [c for c in body["class"] if c.startswith("tlp-")]
    return tlp


@pytest.mark.parametrize(("edition", "marking"), [("public", "tlp-green"), ("full", "tlp-amber")])
def test_the_book_of_an_edition_is_marked_no_higher_than_the_edition(edition, marking):
    """The book carries the highest marking of what it holds: the public book of the AMBER
    dossier holds nothing above GREEN (it said AMBER, the withheld dossier's own)."""
    assert book_marking(AMBER, edition) == marking
