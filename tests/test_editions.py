"""Editions: a public build holds nothing marked above TLP:GREEN, in any file.

The fixture `tests/fixtures/editions` puts a canary string in every kind of
restricted item (entity names, aliases, summaries, tags, roles, relation notes,
claims, locators, sources, key judgments, claim keys, ids). Every file of a
public site and the public export is searched for every canary; the full
edition must hold each of them, so the search can fail.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.cli import main

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
    headings = [h.get_text(strip=True) for h in person.select("article h3")]
    assert headings == ["Leads", "Events"]  # the met-with to a withheld person and the AMBER relation: gone
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
