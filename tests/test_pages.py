"""What pages exist and what they say (`generator/pages/`): a page per entity, type index,
home and view; relation and reference links; names from content kept as text; the nav
and the site configuration built from the same page list; editions; the Tags page."""

from __future__ import annotations

import itertools
import json
import posixpath
import shutil
from pathlib import Path

import pytest
import yaml
from lxml import html
from markupsafe import Markup

from generator.cli import main
from generator.config import DEFAULT_CONFIG_DIR
from generator.mkdocs_config import SEARCH_SEPARATOR
from generator.pages import relative_href
from generator.pages.site import tag_anchors
from generator.pages.tags import (
    TAG_INITIALS_MAX,
    TAGS_AS_HEADINGS_MAX,
    TagGroup,
    tag_initial,
    tag_sections,
)
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


def test_relation_labels_from_both_sides() -> None:
    pages = rendered(FIXTURES / "mini")
    assert "### Member of" in pages["people/john-roe.md"]
    assert "[Beta Bureau](../agencies/beta-bureau.md)" in pages["people/john-roe.md"]
    assert "### Members" in pages["agencies/beta-bureau.md"]
    assert "[John Roe](../people/john-roe.md)" in pages["agencies/beta-bureau.md"]
    # symmetric: the same label on both pages
    assert "### Cooperates with" in pages["agencies/alpha-service.md"]
    assert "### Cooperates with" in pages["agencies/beta-bureau.md"]


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
    assert row.count("|") == 5  # the name's pipe does not split the cell


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


# --- the Tags page: headings while short, a table per initial past TAGS_AS_HEADINGS_MAX ------

@pytest.mark.parametrize(("tag", "initial"), [
    pytest.param("alpha", "A", id="latin"),
    pytest.param("Élan", "E", id="accented-capital"),
    pytest.param("élan", "E", id="accented-small"),
    pytest.param("ß-sound", "S", id="sharp-s"),
    pytest.param("Патрушев", "П", id="cyrillic"),
    pytest.param("42 things", "0–9", id="digit"),
    pytest.param("#hash", "Other", id="punctuation"),
    pytest.param("  spaced", "S", id="leading-spaces"),
    pytest.param("", "Other", id="empty"),
    pytest.param("情报", "情", id="han"),
])
def test_a_tag_is_listed_under_its_initial(tag: str, initial: str) -> None:
    assert tag_initial(tag) == initial


def test_tag_sections_are_bounded_and_keep_every_tag_in_order() -> None:
    tags = [f"{chr(0x4E00 + i)}{n}" for i in range(100) for n in range(i % 3 + 1)]
    tags += [f"{word} {n}" for word in ("zeta", "alpha") for n in range(5)]  # the most: kept
    groups = tuple(TagGroup(t, a, Markup(""), ()) for t, a in tag_anchors(tags).items())
    sections = tag_sections(groups)
    assert len(sections) == TAG_INITIALS_MAX and sections[-1].initial.text == "Other"
    assert [s.initial.text for s in sections[:2]] == ["A", "Z"]
    assert sorted(g.anchor for s in sections for g in s.groups) == sorted(g.anchor for g in groups)
    # each section keeps the page's order of tags
    assert [list(s.groups) for s in sections] == [[g for g in groups if g in s.groups] for s in sections]
    anchors = [s.initial.href for s in sections]
    assert len(set(anchors)) == len(anchors) and all(a.startswith("#tags-") for a in anchors)


def test_thousands_of_tags_build_a_page_of_few_headings_where_every_tag_link_lands(
        content: ContentFactory) -> None:
    """3,000 tags (among them other scripts and markup): the Tags page has a heading per
    initial, not per tag, and every tag link of every profile lands on an id of the page."""
    words = ["signals", "Naval", "élan", "Патрушев", "42nd", "情报", "| {#tag-evil} <b>x</b>", "#x"]
    files = {f"content/people/p{n:03d}.yml": f"name: Person {n}\ntags:\n" + "".join(
        f"  - {json.dumps(f'{words[(n + k) % len(words)]} {n}-{k}', ensure_ascii=False)}\n"
        for k in range(25)) + "  - shared\n" for n in range(120)}
    root = content(files)
    assert main(["build", "--content", str(root), "--site-dir", "site"]) == 0
    site = root.parent / "site"
    tags_page = html.parse(str(site / "tags.html")).getroot()
    ids = set(tags_page.xpath("//@id"))
    headings = tags_page.xpath("//article//*[self::h1 or self::h2 or self::h3 or self::h4]")
    assert len(headings) <= 1 + TAG_INITIALS_MAX < TAGS_AS_HEADINGS_MAX
    rows = tags_page.xpath("//article//td[starts-with(@id, 'tag-')]")
    assert len(rows) == 120 * 25 + 1  # one row per tag, each with its anchor
    assert "| {#tag-evil} <b>x</b> 0-6" in {r.text_content() for r in rows}  # text, not markup
    links = [(profile.name, href) for profile in sorted((site / "people").glob("p*.html"))
             for href in html.parse(str(profile)).getroot().xpath(
                 "//article//a[contains(@href, 'tags.html#')]/@href")]
    assert len(links) == 120 * 26
    assert [(name, href) for name, href in links
            if not (href.startswith("../tags.html#") and href.split("#", 1)[1] in ids)] == []
    # no page of the site grows a heading per tag
    crowded = [str(name) for name in site.rglob("*.html")
               if len(html.parse(str(name)).getroot().xpath("//article//*[self::h2 or self::h3]")) >= 60]
    assert crowded == []

