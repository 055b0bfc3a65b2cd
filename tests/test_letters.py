"""Long lists by letter (issue 17.4): past LETTER_PAGES_MIN rows a type's index, the tags
and the bibliography become an overview and a page per initial; below it, nothing changes.

The site is built once for the module with LETTER_PAGES_MIN lowered to 2, so the mini
fixture and a few added profiles (accents, Cyrillic, a digit, Han) are "long"."""

from __future__ import annotations

import posixpath
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import html

from generator.cli import main
from generator.config import DEFAULT_CONFIG_DIR
from generator.pages import letters
from generator.pages.letters import OTHER, initial, initial_order, letter_slug
from generator.pipeline import Options
from generator.serve import Preview, refresh

from .conftest import FIXTURES

ROOT = Path(__file__).resolve().parent.parent
ADDED = {
    "people/elodie-martin.yml": "name: Élodie Martin\ntags: [élan]\n",
    "people/boris-petrov.yml": "name: Борис Петров\ntags: [руководство]\n",
    "people/fourth-man.yml": "name: 4th Man\n",
    "people/qingbaoyuan.yml": "name: 情报员\n",
    "sources/pravda-1.yml": "name: Pravda one\ntitle: One\nkind: media-report\nreliability: C\n"
                            "publisher: Правда\n",
    "sources/elysee-1.yml": "name: Elysee one\ntitle: Two\nkind: media-report\nreliability: C\n"
                            "publisher: Élysée Press\n",
}


@pytest.mark.parametrize(("text", "letter"), [
    pytest.param("alpha", "A", id="latin"),
    pytest.param("Élodie", "E", id="accent-folded"),
    pytest.param("ß-sound", "S", id="sharp-s"),
    pytest.param("Патрушев", "П", id="cyrillic"),
    pytest.param("ёлка", "Е", id="cyrillic-yo-folded"),
    pytest.param("Ωmega", "Ω", id="greek"),
    pytest.param("  spaced", "S", id="leading-spaces"),
    pytest.param("42nd", OTHER, id="digit"),
    pytest.param("情报", OTHER, id="han-no-capitals"),
    pytest.param("#hash", OTHER, id="sign"),
    pytest.param("", OTHER, id="empty"),
])
def test_a_name_is_listed_under_its_initial(text: str, letter: str) -> None:
    assert initial(text) == letter


@pytest.mark.parametrize(("letter", "slug"), [
    ("A", "a"), ("Z", "z"), ("П", "u041f"), ("Ω", "u03a9"), (OTHER, "other"),
])
def test_a_letter_pages_file_name_is_ascii_and_stable(letter: str, slug: str) -> None:
    assert letter_slug(letter) == slug


def test_latin_letters_come_first_then_other_scripts_then_the_rest() -> None:
    assert sorted([OTHER, "П", "B", "Ω", "A"], key=initial_order) == ["A", "B", "Ω", "П", OTHER]


def _content(root: Path) -> Path:
    shutil.copytree(FIXTURES / "mini", root)
    for rel, text in ADDED.items():
        (root / rel).write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    base = tmp_path_factory.mktemp("letters")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(letters, "LETTER_PAGES_MIN", 2)
        assert main(["build", "--content", str(_content(base / "content")), "--site-dir",
                     str(base / "site")]) == 0
    yield base / "site"


def _page(path: Path) -> html.HtmlElement:
    return html.parse(str(path)).getroot()


def _rows(page: Path) -> list[str]:
    return [td.text_content().strip() for td in _page(page).xpath("//article//tbody/tr/td[1]")]


def test_a_long_index_is_an_overview_and_a_page_per_letter(site: Path) -> None:
    overview = _page(site / "people" / "index.html")
    assert overview.xpath("//article//div[@data-filter]") == []  # no rows of its own
    pages = sorted(overview.xpath("//article//table//a/@href"))
    assert pages == ["letters/e.html", "letters/j.html", "letters/other.html", "letters/u0411.html"]
    rows = {href: _rows(site / "people" / href) for href in pages}
    assert rows == {"letters/e.html": ["Élodie Martin"], "letters/j.html": ["Jane Doe", "John Roe"],
                    "letters/other.html": ["4th Man", "情报员"], "letters/u0411.html": ["Борис Петров"]}
    j = _page(site / "people" / "letters" / "j.html")
    assert j.xpath("//article//div[@data-filter='table']")  # sorting and filtering, per page
    assert j.xpath("//script[@id='dossier-previews']")  # and previews of its profiles
    assert j.xpath("//h1")[0].text_content().strip() == "People: J"
    other = _page(site / "people" / "letters" / "other.html")
    assert other.xpath("//h1")[0].text_content().strip() == "People: other initials"
    # a letter page's links reach the overview, the other letters and its profiles
    targets = {posixpath.normpath(posixpath.join("people/letters", href.split("#")[0]))
               for href in j.xpath("//article//a/@href")}
    assert {"people/index.html", "people/letters/e.html", "people/jane-doe.html"} <= targets


def test_a_short_index_stays_one_page(site: Path) -> None:
    assert not (site / "agencies" / "letters").exists()
    assert _rows(site / "agencies" / "index.html") == ["Alpha Service", "Beta Bureau"]


def test_the_nav_lists_the_overviews_never_a_letter_page(site: Path) -> None:
    nav = _page(site / "index.html").xpath("//nav[contains(@class, 'md-nav--primary')]//a/@href")
    assert "people/index.html" in nav and "tags.html" in nav and "bibliography.html" in nav
    assert [href for href in nav if "letters/" in href or href.startswith(("tags/", "bibliography/"))] == []


def test_every_tag_link_of_a_profile_lands_on_its_anchor(site: Path) -> None:
    links = [(profile, href) for profile in sorted((site / "people").glob("*.html"))
             for href in _page(profile).xpath("//article//a[contains(@href, 'tags')]/@href")]
    assert ("jane-doe.html", "../tags/l.html#tag-leadership") in [(p.name, h) for p, h in links]
    landed = []
    for profile, href in links:
        target, anchor = href.split("#")
        landed.append(anchor in _page(profile.parent / target).xpath("//@id"))
    assert len(links) == 4 and all(landed)
    assert sorted(_page(site / "tags.html").xpath("//article//table//a/@href")) == [
        "tags/d.html", "tags/e.html", "tags/l.html", "tags/u0420.html"]
    assert [td.text_content().strip() for td in _page(site / "tags" / "l.html").xpath(
        "//article//tbody/tr/td[1]")] == ["leadership"]


def test_a_long_bibliography_goes_by_the_outlets_initial(site: Path) -> None:
    pages = sorted(_page(site / "bibliography.html").xpath("//article//table//a/@href"))
    assert pages == ["bibliography/e.html", "bibliography/t.html", "bibliography/u041f.html"]
    titles = {p: [a.text_content() for a in _page(site / p).xpath("//article//li/a[1]")] for p in pages}
    assert titles["bibliography/u041f.html"] == ["Pravda one"]
    assert titles["bibliography/e.html"] == ["Elysee one"]
    assert len([t for ts in titles.values() for t in ts]) == 3  # every source, once


def test_the_preview_moves_a_renamed_profile_between_letter_pages(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Élodie renamed Zoé: her E page goes (she was its only row), a Z page comes, and the
    tree is the one a full render makes."""
    monkeypatch.setattr(letters, "LETTER_PAGES_MIN", 2)
    opts = Options(content_dir=_content(tmp_path / "content"), config_dir=DEFAULT_CONFIG_DIR)
    live, state = tmp_path / "live", Preview()
    assert refresh(opts, live, state)
    assert (live / "docs/people/letters/e.md").exists()
    person = opts.content_dir / "people" / "elodie-martin.yml"
    person.write_text("name: Zoé Martin\ntags: [élan]\n", encoding="utf-8")
    assert refresh(opts, live, state)
    assert not (live / "docs/people/letters/e.md").exists()
    assert "Zoé Martin" in (live / "docs/people/letters/z.md").read_text(encoding="utf-8")
    full = tmp_path / "full"
    assert refresh(opts, full, Preview())
    assert _tree(live) == _tree(full)
    capsys.readouterr()


def test_the_preview_renders_every_page_when_the_tags_split(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """A tag added past LETTER_PAGES_MIN rows moves every tag's anchor to a letter page:
    Alpha Service's tag link, on a page the edit does not touch, must follow (a full
    render's tree)."""
    monkeypatch.setattr(letters, "LETTER_PAGES_MIN", 6)  # the fixture's 6 rows: one page
    opts = Options(content_dir=_content(tmp_path / "content"), config_dir=DEFAULT_CONFIG_DIR)
    live, state = tmp_path / "live", Preview()
    assert refresh(opts, live, state)
    agency = live / "docs/agencies/alpha-service.md"
    assert "(../tags.md#tag-leadership)" in agency.read_text(encoding="utf-8")
    (opts.content_dir / "people" / "fourth-man.yml").write_text("name: 4th Man\ntags: [x, y]\n",
                                                               encoding="utf-8")
    assert refresh(opts, live, state)
    assert "(../tags/l.md#tag-leadership)" in agency.read_text(encoding="utf-8")
    assert _tree(live) == _tree(_full(opts, tmp_path / "full"))
    capsys.readouterr()


def _full(opts: Options, out: Path) -> Path:
    assert refresh(opts, out, Preview())
    return out


def _tree(path: Path) -> dict[str, str]:
    return {p.relative_to(path).as_posix(): p.read_text(encoding="utf-8") for p in sorted(path.rglob("*.md"))}


PAGES_BELOW = ("index.md", "tags.md", "bibliography.md")


def test_below_the_threshold_the_pages_are_what_the_templates_before_letters_made(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The default dossier with the built-in templates and with the templates as they were
    before letter pages (commit 3a2ad9d, read from git) renders the same index, tags and
    bibliography pages, byte for byte. The old Tags template loses its branch for more than
    300 tags (a table per initial), which is now the letter pages' and reads a field gone."""
    old = tmp_path / "old-templates"
    old.mkdir()
    for name in PAGE_TEMPLATES:
        shown = subprocess.run(["git", "show", f"{BEFORE_LETTERS}:templates/{name}"], cwd=ROOT,
                               capture_output=True, text=True, check=False)
        if shown.returncode != 0:
            pytest.skip(f"no git history here: {shown.stderr.strip()}")
        (old / name).write_text(_without_sections(shown.stdout), encoding="utf-8")
    assert main(["render", "--content", str(ROOT / "content"), "--out", str(tmp_path / "now")]) == 0
    assert main(["render", "--content", str(ROOT / "content"), "--templates", str(old),
                 "--out", str(tmp_path / "before")]) == 0
    capsys.readouterr()
    now, before = _tree(tmp_path / "now" / "docs"), _tree(tmp_path / "before" / "docs")
    compared = [p for p in now if p.endswith(PAGES_BELOW)]
    assert len(compared) >= 9  # a type's index each, the tags, the bibliography
    assert [p for p in compared if now[p] != before[p]] == []
    assert [p for p in now if "/letters/" in p or p.startswith(("tags/", "bibliography/"))] == []


def _without_sections(template: str) -> str:
    if "{% if sections %}" not in template:
        return template
    start, end = template.index("{% if sections %}"), template.index("{% elif groups %}")
    return template[:start] + "{% if groups %}" + template[end + len("{% elif groups %}"):]


BEFORE_LETTERS = "3a2ad9d"
PAGE_TEMPLATES = ("index.md.j2", "tags.md.j2", "bibliography.md.j2")
