"""Stage 5 and end to end: real MkDocs builds, the HTML parsed."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .conftest import FIXTURES, ROOT, cli

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def article_links(page: BeautifulSoup) -> dict[str, str]:
    return {a.get_text(strip=True): a["href"] for a in page.select("article a[href]")}


@pytest.fixture(scope="module")
def mini_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("mini") / "site"
    from generator.cli import main

    assert main(["build", "--content", str(FIXTURES / "mini"), "--site-dir", str(site)]) == 0
    return site


def test_relation_on_one_side_shows_on_both_pages(mini_site):
    john = soup(mini_site / "people" / "john-roe.html")
    beta = soup(mini_site / "agencies" / "beta-bureau.html")
    john_h3 = [h.get_text(strip=True) for h in john.select("article h3")]
    beta_h3 = [h.get_text(strip=True) for h in beta.select("article h3")]
    assert "Member of" in john_h3 and "Members" in beta_h3
    assert article_links(john)["Beta Bureau"] == "../agencies/beta-bureau.html"
    assert article_links(beta)["John Roe"] == "../people/john-roe.html"


def test_inline_reference_is_a_working_link(mini_site):
    jane = soup(mini_site / "people" / "jane-doe.html")
    href = article_links(jane)["Alpha Service"]
    target = (mini_site / "people" / href).resolve()
    assert target.is_file()
    assert soup(target).select_one("article h1").get_text(strip=True) == "Alpha Service"


def test_every_internal_link_resolves(mini_site):
    for page in mini_site.rglob("*.html"):
        for a in soup(page).select("article a[href]"):
            href = a["href"].split("#")[0]
            if href and not href.startswith(("http", "mailto")):
                assert (page.parent / href).resolve().exists(), f"{page}: {href}"


def test_aliases_references_and_badges_on_the_page(mini_site):
    jane = soup(mini_site / "people" / "jane-doe.html")
    text = jane.select_one("article").get_text(" ", strip=True)
    assert "Джейн Доу" in text
    assert "reported" in [b.get_text(strip=True) for b in jane.select(".dossier-status")]
    refs = jane.select(".footnote li")
    assert len(refs) == 1 and "A report on Alpha and Beta" not in refs[0].get_text()
    assert "Report (2020)" in refs[0].get_text() and "para 4" in refs[0].get_text()
    assert jane.title.get_text() == "Jane Doe - Mini dossier"


def test_site_has_no_external_fonts_or_scripts(mini_site):
    for page in mini_site.rglob("*.html"):
        html = soup(page)
        for tag in html.select("link[href], script[src]"):
            url = tag.get("href") or tag.get("src")
            assert not url.startswith(("http:", "https:", "//")), f"{page}: {url}"


def test_contract_only_content_builds(tmp_path, capsys):
    code, _, err = cli(capsys, "build", "--strict", "--content", str(FIXTURES / "contract"),
                       "--site-dir", str(tmp_path / "site"))
    assert code == 0, err
    bureau = soup(tmp_path / "site" / "agencies" / "north-bureau.html")
    assert "Led by" in [h.get_text(strip=True) for h in bureau.select("article h3")]
    assert (tmp_path / "site" / "installations" / "coastal-radar.html").is_file()


def test_failed_build_leaves_previous_site_whole(tmp_path, capsys, content):
    site = tmp_path / "site"
    good = content({"content/people/a.yml": "name: A\nsummary: fine\n"})
    assert cli(capsys, "build", "--content", str(good), "--site-dir", str(site))[0] == 0
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    (good / "people" / "a.yml").write_text('name: A\nsummary: "[[missing]]"\n')
    code, _, err = cli(capsys, "build", "--content", str(good), "--site-dir", str(site))
    assert code == 1 and "unknown id 'missing'" in err
    after = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "site"]  # no debris


def test_mkdocs_warning_fails_the_build_and_keeps_the_site(tmp_path, capsys, content):
    site = tmp_path / "site"
    good = content({})
    assert cli(capsys, "build", "--content", str(good), "--site-dir", str(site))[0] == 0
    before = sorted(p.relative_to(site) for p in site.rglob("*"))
    own = tmp_path / "own"
    own.mkdir()
    (own / "home.md.j2").write_text("# Home\n\n[broken](nowhere.md)\n")
    code, _, err = cli(capsys, "build", "--content", str(good), "--site-dir", str(site),
                       "--templates", str(own))
    assert code == 1 and "nowhere.md" in err and "left as it was" in err
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == before


def test_rendered_tree_builds_with_plain_mkdocs(tmp_path, capsys):
    out = tmp_path / "tree"
    code, _, _ = cli(capsys, "render", "--content", str(FIXTURES / "mini"), "--out", str(out))
    assert code == 0 and (out / "mkdocs.yml").is_file()
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f",
                          str(out / "mkdocs.yml"), "-d", str(tmp_path / "site")],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "site" / "people" / "jane-doe.html").is_file()


def test_mkdocs_build_from_project_root(tmp_path):
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q",
                          "-d", str(tmp_path / "site")], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    home = soup(tmp_path / "site" / "index.html")
    assert home.select_one("article h1") is not None


def test_error_messages_page_is_in_the_nav_and_explains_catalogue_messages(mini_site):
    from .test_catalogue import CASES

    page = soup(mini_site / "errors.html")
    assert "Error messages" in [a.get_text(strip=True) for a in page.select("nav a")]
    rows = [r.get_text(" ", strip=True) for r in page.select("article table tr")]
    assert all(len(r.select("td")) in (0, 3) for r in page.select("article table tr"))
    # each catalogue message's fixed opening words have an entry
    for _, expected in CASES.values():
        for line in expected:
            message = line.split(": ", 2)[2]
            opening = re.split(r"['*:`]| U\+|\d", message.lstrip("`"))[0].strip()
            opening = " ".join(opening.split()[:2])
            assert any(opening in r for r in rows), opening
