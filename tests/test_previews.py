"""Previews of linked profiles (`generator/pages/previews.py`): which pages carry which
entries, content kept as data in the page's JSON, editions, a bounded size, the same bytes
for the same content. What a reader sees in the browser: tests/browser/test_previews.py."""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from generator.cli import main
from generator.jsdata import html_json
from generator.pages import SiteContext, page_path
from generator.pages.previews import (
    PAGE_SUMMARY_BUDGET,
    PREVIEWS_ID,
    SUMMARY_MAX,
    SUMMARY_MIN,
    cut,
    linked_profiles,
    page_previews,
    preview_data,
    summary_limit,
    summary_text,
)
from generator.types import TYPE_SPECS

from .conftest import FIXTURES, ContentFactory, pipeline

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
_ELEMENT = re.compile(r'<script type="application/json" id="dossier-previews">(.*?)</script>', re.S)


def previews_of(text: str) -> dict[str, dict[str, str]]:
    """The previews a rendered page carries (its one element's JSON), by href, each as a dict
    (name, type, label, kind, summary); {} when it has none."""
    found = _ELEMENT.findall(text)
    assert len(found) <= 1
    return _entries(json.loads(found[0])) if found else {}


def _entries(data: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {href: {"name": name, "type": type_, "label": data["types"][type_], "kind": kind,
                   "summary": summary} for href, (name, type_, kind, summary) in data["links"].items()}


def rendered(root: Path, edition: str = "full") -> dict[str, str]:
    result = pipeline(root, edition=edition)
    assert result.site is not None, [d.format() for d in result.diags.items]
    return result.site.pages


@pytest.fixture(scope="module")
def mini_pages() -> dict[str, str]:
    return rendered(FIXTURES / "mini")


@pytest.fixture(scope="module")
def mini_site() -> SiteContext:
    result = pipeline(FIXTURES / "mini")
    assert result.linked is not None
    return SiteContext(result.linked)


# --- which pages carry which entries ---------------------------------------------------------


@pytest.mark.parametrize(("page", "expected"), [
    ("people/jane-doe.md", {"../agencies/alpha-service.html": "Alpha Service",
                            "../countries/ruritania.html": "Ruritania",
                            "../events/summit-2020.html": "Summit of 2020",
                            "../events/visit-2020-02.html": "Visit in February 2020",
                            "../sources/report-2020.html": "Report (2020)",
                            "john-roe.html": "John Roe"}),
    ("people/index.md", {"jane-doe.html": "Jane Doe", "john-roe.html": "John Roe",
                         "../countries/freedonia.html": "Freedonia",
                         "../countries/ruritania.html": "Ruritania"}),
])
def test_a_page_carries_the_previews_of_the_profiles_it_links_to(mini_pages, page, expected):
    """The keys are the pages' own relative addresses; the page itself is not among them."""
    got = previews_of(mini_pages[page])
    assert {href: entry["name"] for href, entry in got.items()} == expected


def test_every_entry_is_a_link_of_the_page_and_every_link_of_its_text_has_one(tmp_path: Path) -> None:
    """On the built mini site, a page's entries are exactly the profiles its article links
    to outside its pictures (MkDocs' rewritten links, prose links, reference links)."""
    site = tmp_path / "site"
    assert main(["build", "--content", str(FIXTURES / "mini"), "--site-dir", str(site)]) == 0
    profiles = {p.relative_to(site).as_posix() for spec in TYPE_SPECS.values()
                for p in (site / spec.folder).glob("*.html") if p.name != "index.html"}
    checked = 0
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        article = soup.select_one("article")
        if article is None:
            continue
        linked = set()
        for a in article.select("a[href]"):
            if a.find_parent("svg") is not None or a["href"].startswith(("http:", "https:", "#")):
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), a["href"].split("#")[0]))
            if target in profiles and target != rel:
                linked.add(target)
        element = soup.select_one(f"script#{PREVIEWS_ID}")
        data = _entries(json.loads(element.string)) if element is not None else {}
        keys = {posixpath.normpath(posixpath.join(posixpath.dirname(rel), href)) for href in data}
        assert keys == linked, rel
        checked += bool(keys)
    assert checked >= 10


@pytest.mark.parametrize(("path", "text", "expected"), [
    ("people/index.md", "[Jane](jane-doe.md) and [John](john-roe.md#roles)",
     ["people/jane-doe.md", "people/john-roe.md"]),
    ("people/index.md", '<a href="../agencies/alpha-service.html" rel="noopener">A</a>',
     ["agencies/alpha-service.md"]),
    ("people/john-roe.md", "[me](john-roe.md) [J](jane-doe.html) [index](index.md) [x](nobody.md)",
     ["people/jane-doe.md"]),  # not itself, not an index, not a page that does not exist
    ("index.md", "[A](agencies/alpha-service.md) [B](../agencies/beta-bureau.md)",
     ["agencies/alpha-service.md"]),
    ("people/index.md", "[out](https://example.org/people/jane-doe.html) [tags](../tags.md)", []),
    ("people/index.md", '<svg><a href="jane-doe.html"><circle/></a></svg> [J](jane-doe.md)',
     ["people/jane-doe.md"]),
    ("people/index.md", '<div class="dossier-graph"><svg><a href="jane-doe.html"></a></svg></div>', []),
    ("index.md", "people/jane-doe.html as text, not a link", []),
])
def test_linked_profiles_reads_the_links_of_the_text(mini_site, path, text, expected):
    assert [page_path(e) for e in linked_profiles(mini_site, path, text)] == expected


def test_a_page_linking_to_nothing_gets_no_element(mini_site):
    assert page_previews(mini_site, "tags.md", "# Tags\n\nNo links here.\n") == ""


# --- content stays data ----------------------------------------------------------------------


def test_hostile_names_and_summaries_stay_data_in_the_built_page(tmp_path: Path) -> None:
    """Every hostile name reaches the page's JSON as it is written, inside one inert element:
    no `<`, `>` or `&` in the element's text, and nothing else in the article became a script."""
    site = tmp_path / "site"
    assert main(["build", "--content", str(FIXTURES / "hostile"), "--site-dir", str(site)]) == 0
    result = pipeline(FIXTURES / "hostile")
    assert result.linked is not None
    names = {e.name for e in result.linked.entities.values()}
    seen: set[str] = set()
    for path in sorted(site.rglob("*.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        elements = soup.select(f"article script#{PREVIEWS_ID}")
        assert len(elements) <= 1, path
        if elements:
            text = elements[0].string
            assert not set(text) & set("<>&"), path
            assert elements[0]["type"] == "application/json"
            seen.update(entry["name"] for entry in _entries(json.loads(text)).values())
    assert names <= seen
    assert any("</script>" in n for n in names)


# --- editions --------------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", ["editions", "editions-amber"])
def test_a_public_edition_previews_nothing_withheld(fixture: str) -> None:
    """The canaries of the editions fixtures (names, summaries of withheld profiles; in
    editions-amber, everything not marked below the dossier's TLP:AMBER) are in the full
    edition's previews and in none of the public edition's."""
    full = "\n".join(_ELEMENT.findall("\n".join(rendered(FIXTURES / fixture).values())))
    public = "\n".join(_ELEMENT.findall("\n".join(rendered(FIXTURES / fixture, "public").values())))
    assert full.count("CANARY-") >= 3
    assert public and "CANARY" not in public.upper()


def test_a_reference_to_a_withheld_profile_in_a_summary_reads_as_the_edition_shows_it() -> None:
    pages = rendered(FIXTURES / "editions", "public")
    person = previews_of(pages["agencies/open-agency.md"])["../people/open-person.html"]
    assert person["summary"] == "Met [withheld] once; see also [withheld]."


# --- a bounded size --------------------------------------------------------------------------


@pytest.mark.parametrize(("links", "limit"), [
    (1, SUMMARY_MAX),
    (PAGE_SUMMARY_BUDGET // SUMMARY_MAX, SUMMARY_MAX),
    (PAGE_SUMMARY_BUDGET // SUMMARY_MAX + 1, PAGE_SUMMARY_BUDGET // (PAGE_SUMMARY_BUDGET // SUMMARY_MAX + 1)),
    (PAGE_SUMMARY_BUDGET // SUMMARY_MIN, SUMMARY_MIN),
    (PAGE_SUMMARY_BUDGET // SUMMARY_MIN + 1, 0),
    (100_000, 0),
])
def test_summaries_get_shorter_as_a_page_links_to_more_profiles(links, limit):
    assert summary_limit(links) == limit


@pytest.mark.parametrize(("text", "limit", "expected"), [
    ("Short.", 200, "Short."),
    ("one two three four", 12, "one two…"),
    ("abcdefghijklmnopqrstuvwxyz", 10, "abcdefghi…"),  # no space: cut inside the word
    ("anything", 0, ""),
])
def test_cut_at_a_word(text, limit, expected):
    got = cut(text, limit)
    assert got == expected
    assert len(got) <= max(limit, len(text) if len(text) <= limit else 0)


def test_a_page_linking_to_hundreds_of_profiles_stays_within_its_budget(content: ContentFactory) -> None:
    """150 people with 400-character summaries: their index page carries every name and type,
    and summaries cut to an equal share of PAGE_SUMMARY_BUDGET (80 characters each)."""
    long = " ".join(["word"] * 80)
    root = content({f"content/people/p{n:03}.yml": f"name: Person {n}\nsummary: {long}\n"
                    for n in range(150)})
    index = previews_of(rendered(root)["people/index.md"])
    assert len(index) == 150 and all(e["name"] and e["label"] == "Person" for e in index.values())
    share = summary_limit(150)
    assert SUMMARY_MIN <= share == PAGE_SUMMARY_BUDGET // 150 < SUMMARY_MAX
    assert all(SUMMARY_MIN <= len(e["summary"]) <= share for e in index.values())


# --- the same bytes for the same content -----------------------------------------------------


def test_the_same_content_gives_the_same_previews(mini_site, mini_pages):
    text = mini_pages["people/jane-doe.md"]
    first = page_previews(mini_site, "people/jane-doe.md", text)
    assert first == page_previews(mini_site, "people/jane-doe.md", text)
    assert first in text  # the render appended exactly this
    targets = linked_profiles(mini_site, "people/jane-doe.md", text)
    data = preview_data(mini_site, "people/jane-doe.md", targets)
    assert list(json.loads(_ELEMENT.findall(first)[0])["links"]) == sorted(data["links"])


@pytest.mark.parametrize("fixture", ["mini", "hostile"])
def test_the_element_is_the_json_of_the_preview_data(fixture: str) -> None:
    """The element's text, joined from pieces remembered per render (`previews_json`), is
    byte for byte `html_json(preview_data(...))` on every page that has one."""
    result = pipeline(FIXTURES / fixture)
    assert result.linked is not None and result.site is not None
    site = SiteContext(result.linked)
    checked = 0
    for path, text in result.site.pages.items():
        found = _ELEMENT.findall(text)
        if not found:
            continue
        page = text[:text.index(f'\n\n<script type="application/json" id="{PREVIEWS_ID}">')]
        targets = linked_profiles(site, path, page)
        assert found[0] == html_json(preview_data(site, path, targets)), path
        checked += 1
    assert checked >= 10


@pytest.mark.parametrize(("fixture", "edition"),
                         [("hostile", "full"), ("editions", "public"), ("mini", "full")])
def test_a_summary_reads_as_its_prose_with_the_marks_dropped(fixture: str, edition: str) -> None:
    """`summary_text` skips the patterns a summary has no character for: it gives what the
    three substitutions over `prose_parts`' words give, for every profile."""
    result = pipeline(FIXTURES / fixture, edition=edition)
    assert result.linked is not None
    site = SiteContext(result.linked)
    for e in result.linked.entities.values():
        words = "".join(piece for piece, _ in site.page(page_path(e)).prose_parts(e.summary.text)) \
            if e.summary else ""
        marks = re.compile(r"(?<!\w)[*_`~]+|[*_`~]+(?!\w)|^#+\s|^>\s", re.M)
        links = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
        expected = re.sub(r"\s+", " ", marks.sub("", links.sub(r"\1", words))).strip()
        assert summary_text(site, e) == expected, e.id


def test_a_second_render_in_the_same_process_previews_its_own_content(content: ContentFactory) -> None:
    """What previews remember lives as long as the render's site context: the live preview
    renders again in the same process, and an edited name or summary must show at once."""
    def people(name: str, summary: str) -> Path:
        return content({"content/people/a.yml": f"name: {name}\nsummary: {summary}\n",
                        "content/people/b.yml": "name: Bee\nsummary: Knows [[a]].\n"})
    first = previews_of(rendered(people("Ann Old", "The first summary."))["people/b.md"])
    second = previews_of(rendered(people("Ann New", "The second summary."))["people/b.md"])
    assert first["a.html"]["name"] == "Ann Old" and first["a.html"]["summary"] == "The first summary."
    assert second["a.html"]["name"] == "Ann New" and second["a.html"]["summary"] == "The second summary."


# --- documented --------------------------------------------------------------------------------


def test_the_writing_content_page_states_the_bounds_the_code_keeps(mini_pages):
    """The Previews section's figures are the module's: a changed bound fails here."""
    page = mini_pages["writing-content.md"]
    section = page[page.index("## Previews"):]
    section = section[:section.index("\n## ")]
    assert f"up to {SUMMARY_MAX} characters" in section
    assert f"more than {PAGE_SUMMARY_BUDGET // SUMMARY_MAX} profiles" in section
    assert f"past {PAGE_SUMMARY_BUDGET // SUMMARY_MIN} the card" in section
    assert "24 by 24 pixels" in section and "Escape" in section
