"""The default dossier (content/): strictly clean, and its main cross-links hold
in the built site and in the JSON export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.cli import main

from .conftest import ROOT, cli

CONTENT = ROOT / "content"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("default") / "site"
    assert main(["build", "--strict", "--content", str(CONTENT), "--site-dir", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("export") / "dossier.json"
    assert main(["export", "--content", str(CONTENT), "--format", "json", "-o", str(out)]) == 0
    return json.loads(out.read_text(encoding="utf-8"))


def page(site: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((site / rel).read_text(encoding="utf-8"), "lxml")


def links(doc: BeautifulSoup) -> set[str]:
    return {a["href"].split("#")[0] for a in doc.select("article a[href]")}


def test_check_strict_is_clean(capsys):
    code, _, err = cli(capsys, "check", "--strict", "--content", str(CONTENT))
    assert code == 0, err
    assert err.strip() == "dossier: ok: 0 errors, 0 warnings"


def test_every_type_is_populated(export):
    counts: dict[str, int] = {}
    for e in export["entities"]:
        counts[e["type"]] = counts.get(e["type"], 0) + 1
    assert set(counts) == {"person", "agency", "domain", "event", "installation", "country",
                           "source"}
    assert counts["person"] >= 15 and counts["event"] >= 20 and counts["source"] >= 8


def test_every_statement_cites_a_source(export):
    for e in export["entities"]:
        for item in e.get("claims", []) + e.get("relations", []) + e.get("roles", []):
            assert item.get("sources"), (e["id"], item)


def test_role_shows_on_the_agency_page(site, export):
    person = next(e for e in export["entities"] if e["id"] == "miguel-rodriguez-torres")
    assert "sebin" in [r.get("organization") for r in person["roles"]]
    sebin = page(site, "agencies/sebin.html")
    assert "../people/miguel-rodriguez-torres.html" in links(sebin)
    text = sebin.select_one("article").get_text(" ", strip=True)
    assert "Miguel Rodríguez Torres" in text


def test_event_shows_on_each_participant_page(site, export):
    event = next(e for e in export["entities"]
                 if e["id"] == "patrushev-rodriguez-torres-meeting-2013")
    assert {"nikolai-patrushev", "miguel-rodriguez-torres"} <= set(event["participants"])
    for pid in ("nikolai-patrushev", "miguel-rodriguez-torres"):
        assert "../events/patrushev-rodriguez-torres-meeting-2013.html" in links(
            page(site, f"people/{pid}.html"))


def test_relations_show_from_both_sides(site, export):
    for rel in export["relations"][:40]:
        folder = {e["id"]: e["type"] for e in export["entities"]}
        plural = {"person": "people", "agency": "agencies", "domain": "domains",
                  "event": "events", "installation": "installations", "country": "countries",
                  "source": "sources"}
        a, b = rel["source"], rel["target"]
        pa = page(site, f"{plural[folder[a]]}/{a}.html")
        pb = page(site, f"{plural[folder[b]]}/{b}.html")
        assert any(h.endswith(f"{b}.html") for h in links(pa)), (a, b)
        assert any(h.endswith(f"{a}.html") for h in links(pb)), (b, a)


def test_discrepancy_is_visible_to_readers(site):
    chavez = page(site, "people/hugo-chavez.html").select_one("article").get_text(" ", strip=True)
    assert "2013" in chavez and "2012" in chavez


def test_home_page_reads_from_title_to_judgments(site):
    home = page(site, "index.html")
    assert home.select_one("article h1").get_text(strip=True) == "Russian intelligence in Venezuela"
    headings = [h.get_text(strip=True) for h in home.select("article h2")]
    assert "Key judgments" in headings and "Open questions" in headings
