"""What pages exist and what they say (`generator/pages/`): a page per entity, type index,
home and view; relation and reference links; names from content kept as text; the nav
and the site configuration built from the same page list; editions; the Tags page."""

from __future__ import annotations

import itertools
import json
import posixpath
import re
import shutil
from pathlib import Path

import pytest
import yaml
from lxml import html

from generator.cli import main
from generator.config import DEFAULT_CONFIG_DIR
from generator.mkdocs_config import SEARCH_SEPARATOR
from generator.pages import relative_href
from generator.pipeline import Options, run

from .conftest import FIXTURES, ROOT, ContentFactory, messages, pipeline


def rendered(root: Path, templates: Path | None = None) -> dict[str, str]:
    """The Markdown pages of `root`'s site by path; the pipeline must report nothing fatal."""
    result = pipeline(root, templates_dir=templates)
    assert result.site is not None, [d.format() for d in result.diags.items]
    return result.site.pages


# --- page kinds and their content ------------------------------------------------------------


def test_pages_for_every_entity_index_and_home() -> None:
    pages = rendered(FIXTURES / "mini")
    assert {"index.md", "people/index.md", "people/jane-doe.md", "agencies/beta-bureau.md",
            "sources/report-2020.md", "events/summit-2020.md"} <= set(pages)


def _table_rows(page: str, header: str) -> list[list[str]]:
    """The cells of each body row of the Markdown table whose header line holds `header`."""
    lines = page.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("| ") and header in line)
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("| "):
            break
        rows.append([cell.strip() for cell in line.strip("|").split(" | ")])
    return rows


RELATION_HEADER = '<span class="dossier-stack dossier-caption">Relation</span>'


@pytest.mark.parametrize(("page", "relation", "other"), [
    pytest.param("people/john-roe.md", "Member of", "[Beta Bureau](../agencies/beta-bureau.md)",
                 id="subject"),
    pytest.param("agencies/beta-bureau.md", "Members", "[John Roe](../people/john-roe.md)", id="object"),
    pytest.param("agencies/alpha-service.md", "Cooperates with", "[Beta Bureau](beta-bureau.md)",
                 id="symmetric-one"),
    pytest.param("agencies/beta-bureau.md", "Cooperates with", "[Alpha Service](alpha-service.md)",
                 id="symmetric-other"),
])
def test_relations_are_one_table_with_the_relation_read_from_the_page(page: str, relation: str,
                                                                      other: str) -> None:
    """One relation table per profile, its first column the relation in its own words and
    direction (there was a heading and a table per relation type, each with its widths)."""
    text = rendered(FIXTURES / "mini")[page]
    section = text.split("## Relations", 1)[1].split("\n## ", 1)[0]
    assert section.count(RELATION_HEADER) == 1 and "\n### " not in section
    rows = _table_rows(section, RELATION_HEADER)
    assert [relation, other] in [row[:2] for row in rows]
    assert all(len(row) == 5 for row in rows)  # relation, entity, when, assessment, sources


def _listed(page: str, heading: str) -> list[str]:
    """The link texts of the list under `heading` (a `### ` or `## ` heading), in order."""
    section = page.split(heading + "\n", 1)[1].split("\n#", 1)[0]
    return [line[3:].split("](", 1)[0] for line in section.splitlines() if line.startswith("- [")]


_SOURCES_OF_AN_OUTLET = {
    "content/agencies/paper.yml": "name: Paper\n",
    **{f"content/sources/{ident}.yml": f"name: {name}\ntitle: T\noutlet: paper\n"
       + (f"date: {date}\n" if date else "")
       for ident, name, date in [("s1", "Zeta report", "2021-03"), ("s2", "Alpha report", "2019"),
                                 ("s3", "beta report", None), ("s4", "Aardvark report", None),
                                 ("s5", "Mid report", "2021-03-02")]},
}
_EVENTS_OF_A_COUNTRY = {
    "content/countries/land.yml": "name: Land\n",
    **{f"content/events/{ident}.yml": f"name: {name}\ndate: {date}\nlocation: land\nsources: [src]\n"
       for ident, name, date in [("a", "Late", "2020-05-01"), ("b", "Year", "2020"),
                                 ("c", "Early", "2019-12"), ("d", "Also early", "2019-12")]},
}
_PEOPLE_OF_AN_AGENCY = {
    "content/agencies/bureau.yml": "name: Bureau\n",
    **{f"content/people/{ident}.yml": f"name: {name}\nroles:\n  - {{title: Chief, organization: bureau, "
       f"{when}sources: [src]}}\n" for ident, name, when in [
           ("p1", "Newest", "since: 2015, "), ("p2", "Oldest", "until: 2001, "),
           ("p3", "Undated", ""), ("p4", "Middle", "since: 2010, until: 2012, ")]},
}


@pytest.mark.parametrize(("files", "page", "heading", "order"), [
    pytest.param(_SOURCES_OF_AN_OUTLET, "agencies/paper.md", "### Published sources",
                 ["Alpha report", "Zeta report", "Mid report", "Aardvark report", "beta report"],
                 id="sources"),
    pytest.param(_EVENTS_OF_A_COUNTRY, "countries/land.md", "### Events here",
                 ["Also early", "Early", "Year", "Late"], id="events"),
    pytest.param(_PEOPLE_OF_AN_AGENCY, "agencies/bureau.md", "### People",
                 ["Oldest", "Middle", "Newest", "Undated"], id="roles"),
])
def test_backlinks_are_in_date_order_undated_last_by_name(content: ContentFactory, files: dict[str, str],
                                                          page: str, heading: str, order: list[str]) -> None:
    """They were in file-name order while showing dates. A partial date stands for its
    whole year or month, so it comes first among the dates inside it."""
    assert _listed(rendered(content(files))[page], heading) == order


def test_backlink_sources_are_numbered_in_the_order_shown(content: ContentFactory) -> None:
    """p1's role is the newer and its file comes first: its source is numbered second."""
    root = content({
        "content/agencies/bureau.yml": "name: Bureau\n",
        "content/sources/other.yml": "name: Other\ntitle: O\n",
        "content/people/p1.yml": "name: Newest\nroles:\n  - {title: Chief, organization: bureau, "
                                 "since: 2015, sources: [other]}\n",
        "content/people/p2.yml": "name: Oldest\nroles:\n  - {title: Chief, organization: bureau, "
                                 "since: 2001, sources: [src]}\n",
    })
    section = rendered(root)["agencies/bureau.md"].split("### People\n", 1)[1].split("\n#", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("- [")]
    assert [r.split("](")[0] for r in rows] == ["- [Oldest", "- [Newest"]
    assert rows[0].endswith("[^1]") and rows[1].endswith("[^2]")


@pytest.mark.parametrize(("files", "page", "heading", "note"), [
    pytest.param(_EVENTS_OF_A_COUNTRY, "countries/land.md", "### Events here",
                 "Events that took place here.", id="location"),
    pytest.param({"content/countries/land.yml": "name: Land\n",
                  "content/events/e.yml": "name: E\ndate: 2020\nparticipants: [land]\nsources: [src]\n"},
                 "countries/land.md", "### Events", "Events this entity took part in.", id="participants"),
    pytest.param(_PEOPLE_OF_AN_AGENCY, "agencies/bureau.md", "### People",
                 "People who hold or held a role here, with the role and its dates.", id="roles"),
])
def test_each_backlink_list_says_in_one_line_what_it_holds(content: ContentFactory, files: dict[str, str],
                                                           page: str, heading: str, note: str) -> None:
    text = rendered(content(files))[page]
    assert text.split(heading + "\n\n", 1)[1].startswith(note + "\n{: .dossier-section-note }\n")


def test_home_is_never_listed_under_mentioned_in() -> None:
    """The mini dossier's summary names Jane Doe and Alpha Service; the home page is not a
    profile, so it is not listed among those that mention them (it still cites sources)."""
    pages = rendered(FIXTURES / "mini")
    assert "## Mentioned in" not in pages["people/jane-doe.md"]  # only the home page names her
    assert _listed(pages["agencies/alpha-service.md"], "## Mentioned in") == ["Jane Doe"]
    assert "Home" in _listed(pages["sources/report-2020.md"], "## Cited by")


def test_inline_reference_becomes_a_link_with_the_name() -> None:
    pages = rendered(FIXTURES / "mini")
    assert '<a href="../agencies/alpha-service.html" rel="noopener noreferrer">Alpha Service</a>' \
        in pages["people/jane-doe.md"]
    assert '<a href="people/jane-doe.html" rel="noopener noreferrer">its director</a>' \
        in pages["index.md"]


def test_hostile_names_stay_text_in_tables_headings_and_front_matter(content: ContentFactory) -> None:
    name = 'Evil | "quoted" <script>alert(1)</script> [x](javascript:y)'
    root = content({
        "content/people/evil.yml": f"name: '{name}'\naliases: ['*a*', '<b>']\n",
        "content/agencies/ok.yml": "name: Ok\nrelations:\n  - {type: leads, target: evil, "
                                   "sources: [src]}\n",
    })
    pages = rendered(root)
    page = pages["people/evil.md"]
    assert "<script>" not in page and "javascript:" not in page
    assert 'title: "Evil &#124; &quot;quoted&quot;' in page
    row = next(line for line in pages["agencies/ok.md"].splitlines() if "evil.md" in line)
    assert row.count("|") == 6  # five cells: the name's pipe does not split its cell


def test_public_edition_leaves_marked_items_out_of_every_view(content: ContentFactory) -> None:
    root = content({
        "content/people/open.yml": "name: Open Person\ntags: [visible]\nrelations:\n"
                                   "  - {type: met-with, target: other, since: 2020, sources: [src],"
                                   " marking: 'TLP:RED'}\n",
        "content/people/other.yml": "name: Other Person\n",
        "content/events/secret.yml": "name: Secret Meeting\ndate: 2021\nmarking: 'TLP:AMBER'\n"
                                     "participants: [open]\ntags: [hidden-tag]\nsources: [src]\n",
    })
    result = pipeline(root, edition="public")
    assert result.site is not None, messages(result)
    pages = result.site.pages
    leaking = sorted(name for name, text in pages.items()
                     if "Secret Meeting" in text or "hidden-tag" in text)
    assert leaking == []
    assert "met with" not in pages["timeline.md"] and "Other Person" not in pages["people/open.md"]
    assert "visible" in pages["tags.md"]


_DOMAINS = {f"content/domains/d{n}.yml": f"name: D{n}\n{when}" for n, when in enumerate([
    "since: 2019-04\n", "until: 2001\n", "", "since: 2019\nuntil: 2020\n"])}


@pytest.mark.parametrize(("files", "page", "column", "keys"), [
    pytest.param(None, "events/index.md", 0, ["2020", "2020-02", "2020-02-11"], id="event-dates"),
    pytest.param(None, "sources/index.md", 2, ["2020-06-01"], id="source-dates"),
    pytest.param(_DOMAINS, "domains/index.md", 2, ["2019-04", "2001", "", "2019"], id="periods"),
    pytest.param(None, "people/index.md", None, [], id="no-dates"),
])
def test_index_tables_carry_what_sorts_and_filters_them(content: ContentFactory,
                                                        files: dict[str, str] | None, page: str,
                                                        column: int | None, keys: list[str]) -> None:
    """A date or period cell sorts by the ISO date inside it (`data-sort`; "" when it has
    none), not by its text ("11 February 2020" would sort before "2020"); above the table a
    filter bar, hidden until tables.js shows it."""
    root = content(files) if files else FIXTURES / "mini"
    text = rendered(root)[page]
    header = next(line for line in text.splitlines() if line.startswith("| ") and "data-sort" not in line)
    rows = _table_rows(text, header)
    found = [re.findall(r'<span data-sort="([^"]*)">', " | ".join(row)) for row in rows]
    if column is None:
        assert found and all(f == [] for f in found)
    else:
        assert [re.search(r'<span data-sort="([^"]*)">', row[column]).group(1)  # type: ignore[union-attr]
                for row in rows] == keys
    assert '<div class="dossier-filter" data-filter="table" hidden>' in text.split(header, 1)[0]


# --- links between pages -----------------------------------------------------------------------

_HREF_TARGETS = ["index.md", "people/a.md", "people/index.md", "network/people.md", "agencies/b.md",
                 "people/x/y.md", "a/b/c.md", "a/c.md"]
_HREF_STARTS = ["", "people", "network", "agencies", "people/x", "a", "a/b"]


@pytest.mark.parametrize(("target", "start"), [
    pytest.param(target, start, id=f"{target} from {start or '.'}")
    for target, start in itertools.product(_HREF_TARGETS, _HREF_STARTS)
])
def test_relative_href_agrees_with_posixpath_relpath(target: str, start: str) -> None:
    assert relative_href(target, start) == posixpath.relpath(target, start or ".")


# --- the nav and the site configuration: the same page list ----------------------------------


def test_nav_lists_sections_not_entities() -> None:
    result = pipeline(FIXTURES / "contract")
    assert result.site is not None
    nav = result.site.mkdocs_config["nav"]
    assert nav[0] == {"Home": "index.md"}
    assert all(not v.endswith(("ann-smith.md", "north-bureau.md")) for item in nav
               for v in item.values())


def test_view_pages_and_nav() -> None:
    result = pipeline(FIXTURES / "mini")
    assert result.site is not None
    pages, config = result.site.pages, result.site.mkdocs_config
    assert {"timeline.md", "network.md", "network/people.md", "bibliography.md", "tags.md",
            "writing-content.md"} <= set(pages)
    names = [next(iter(item)) for item in config["nav"]]
    assert names[:1] == ["Home"] and {"Timeline", "Network", "Tags", "Writing content"} <= set(names)
    assert names[-1] == "Error messages"  # site_config/docs/errors.md is linked when present
    paths = [next(iter(item.values())) for item in config["nav"]]
    assert not any(p.startswith(("people/", "agencies/")) and not p.endswith("index.md")
                   for p in paths)


def test_error_messages_page_joins_the_nav_when_the_config_has_it(tmp_path: Path) -> None:
    config_dir = tmp_path / "config"
    shutil.copytree(DEFAULT_CONFIG_DIR, config_dir)
    (config_dir / "docs" / "errors.md").write_text("# Error messages\n")
    result = run(Options(content_dir=FIXTURES / "mini", config_dir=config_dir))
    assert result.site is not None
    assert {"Error messages": "errors.md"} in result.site.mkdocs_config["nav"]
    assert "[Error messages](errors.md)" in result.site.pages["writing-content.md"]


def test_search_is_configured_for_other_scripts_in_both_configs() -> None:
    result = pipeline(FIXTURES / "mini")
    assert result.site is not None
    plugins = result.site.mkdocs_config["plugins"]
    search = next(p["search"] for p in plugins if isinstance(p, dict) and "search" in p)
    assert "ru" in search["lang"] and "en" in search["lang"]
    assert search["pipeline"] == ["stopWordFilter"]  # no trimmer, no stemmer: any script stays
    assert "offline" in plugins
    root = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    root_search = next(p["search"] for p in root["plugins"] if isinstance(p, dict) and "search" in p)
    assert "ru" in root_search["lang"] and root_search["separator"] == SEARCH_SEPARATOR
    assert root_search["pipeline"] == ["stopWordFilter"]


# --- the Tags page: headings while short, a page per initial with a table past LETTER_PAGES_MIN rows

def test_thousands_of_tags_build_a_page_of_few_headings_where_every_tag_link_lands(
        content: ContentFactory) -> None:
    """3,000 tags (among them other scripts and markup): the Tags page becomes a page per
    initial (`tags/a.md`, past LETTER_PAGES_MIN rows), no page has a heading per tag, and
    every tag link of every profile lands on an id of its letter's page."""
    words = ["signals", "Naval", "élan", "Патрушев", "42nd", "情报", "| {#tag-evil} <b>x</b>", "#x"]
    files = {f"content/people/p{n:03d}.yml": f"name: Person {n}\ntags:\n" + "".join(
        f"  - {json.dumps(f'{words[(n + k) % len(words)]} {n}-{k}', ensure_ascii=False)}\n"
        for k in range(25)) + "  - shared\n" for n in range(120)}
    root = content(files)
    assert main(["build", "--content", str(root), "--site-dir", "site"]) == 0
    site = root.parent / "site"
    tag_pages = {p.name: html.parse(str(p)).getroot() for p in sorted((site / "tags").glob("*.html"))}
    ids = {(name, i) for name, page in tag_pages.items() for i in page.xpath("//@id")}
    for page in tag_pages.values():
        headings = page.xpath("//article//*[self::h1 or self::h2 or self::h3 or self::h4]")
        assert len(headings) == 1  # the page's title: each tag's anchor is on its row
    rows = [r for page in tag_pages.values() for r in page.xpath("//article//td[starts-with(@id, 'tag-')]")]
    assert len(rows) == 120 * 25 + 1  # one row per tag, each with its anchor
    assert "| {#tag-evil} <b>x</b> 0-6" in {r.text_content() for r in rows}  # text, not markup
    links = [(profile.name, href) for profile in sorted((site / "people").glob("p*.html"))
             for href in html.parse(str(profile)).getroot().xpath(
                 "//article//a[contains(@href, 'tags/')]/@href")]
    assert len(links) == 120 * 26
    assert [(name, href) for name, href in links if not (
        href.startswith("../tags/") and tuple(href.removeprefix("../tags/").split("#", 1)) in ids)] == []
    # no page of the site grows a heading per tag
    crowded = [str(name) for name in site.rglob("*.html")
               if len(html.parse(str(name)).getroot().xpath("//article//*[self::h2 or self::h3]")) >= 60]
    assert crowded == []

