"""Stage 4: Markdown pages from the linked model; escaping; template overrides."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from lxml import etree
from markupsafe import Markup

from generator import graph as g
from generator import timeline as tl
from generator.config import DEFAULT_CONFIG_DIR, load_config
from generator.dates import PartialDate
from generator.diagnostics import Diagnostics
from generator.escape import md_text, plain_prose, prose_html
from generator.pipeline import Options, run
from generator.render import SEARCH_SEPARATOR, render

from .conftest import FIXTURES, ROOT, messages, pipeline, write


def rendered(root: Path, templates: Path | None = None) -> dict[str, str]:
    result = pipeline(root, templates_dir=templates)
    assert result.site is not None, [d.format() for d in result.diags.items]
    return result.site.pages


def test_pages_for_every_entity_index_and_home():
    pages = rendered(FIXTURES / "mini")
    assert {"index.md", "people/index.md", "people/jane-doe.md", "agencies/beta-bureau.md",
            "sources/report-2020.md", "events/summit-2020.md"} <= set(pages)


def test_relation_labels_from_both_sides():
    pages = rendered(FIXTURES / "mini")
    assert "### Member of" in pages["people/john-roe.md"]
    assert "[Beta Bureau](../agencies/beta-bureau.md)" in pages["people/john-roe.md"]
    assert "### Members" in pages["agencies/beta-bureau.md"]
    assert "[John Roe](../people/john-roe.md)" in pages["agencies/beta-bureau.md"]
    # symmetric: the same label on both pages
    assert "### Cooperates with" in pages["agencies/alpha-service.md"]
    assert "### Cooperates with" in pages["agencies/beta-bureau.md"]


def test_inline_reference_becomes_a_link_with_the_name():
    pages = rendered(FIXTURES / "mini")
    assert '<a href="../agencies/alpha-service.html" rel="noopener noreferrer">Alpha Service</a>' \
        in pages["people/jane-doe.md"]
    assert '<a href="people/jane-doe.html" rel="noopener noreferrer">its director</a>' \
        in pages["index.md"]


def test_md_text_neutralises_markup_in_every_context():
    out = md_text("<img src=x onerror=alert(1)> | *b* [l](javascript:x) `c`\n# h")
    assert "<" not in out and "|" not in out and "*" not in out and "[" not in out
    assert "`" not in out and "\n" not in out and "(" not in out
    assert md_text("# Heading").startswith("&#35;")
    assert md_text("1. item").startswith("&#49;&#46;")


def test_prose_is_sanitised_with_an_allow_list():
    html = prose_html('ok <script>alert(1)</script><b onclick="x()">b</b> [a](javascript:x) '
                      "[w](https://example.org) <img src=x onerror=y>")
    assert "<script" not in html and "onclick" not in html and "javascript" not in html
    assert "<img" not in html
    assert '<a href="https://example.org" rel="noopener noreferrer">w</a>' in html


def test_hostile_names_stay_text_in_tables_headings_and_front_matter(content):
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


def test_user_templates_override_by_name(tmp_path):
    own = write(tmp_path, {"own/entity.md.j2": "---\ntitle: x\n---\n# OWN {{ entity.name }}\n"})
    pages = rendered(FIXTURES / "mini", templates=own / "own")
    assert pages["people/jane-doe.md"].endswith("# OWN Jane Doe\n")
    assert "# Mini dossier" in pages["index.md"]  # not overridden: the built-in one


def test_rendering_is_deterministic():
    linked = pipeline(FIXTURES / "contract").linked
    cfg = load_config(DEFAULT_CONFIG_DIR, Diagnostics())
    assert linked is not None and cfg is not None
    a = render(linked, cfg.mkdocs_base)
    b = render(linked, cfg.mkdocs_base)
    assert a.pages == b.pages and a.mkdocs_yml() == b.mkdocs_yml()


def test_nav_lists_sections_not_entities():
    result = pipeline(FIXTURES / "contract")
    assert result.site is not None
    nav = result.site.mkdocs_config["nav"]
    assert nav[0] == {"Home": "index.md"}
    assert all(not v.endswith(("ann-smith.md", "north-bureau.md")) for item in nav
               for v in item.values())


# --- reader views: drawing modules, view pages, configuration -------------------------------

SVG = "{http://www.w3.org/2000/svg}"


def _graph(edges: list[tuple[str, str]]) -> g.Graph:
    gr = g.Graph()
    for a, b in edges:
        for i in (a, b):
            gr.add_node(g.Node(i, i.upper(), "person" if i < "m" else "agency", f"{i}.html"))
        gr.add_edge(a, b, "knows")
    return gr


def test_force_layout_is_deterministic_whatever_the_insertion_order():
    edges = [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("x", "y"), ("d", "x")]
    one = g.force_layout(_graph(edges), ("person", "agency"))
    two = g.force_layout(_graph(list(reversed(edges))), ("person", "agency"))
    assert one == two
    assert all(0.0 <= px <= 1.0 and 0.0 <= py <= 1.0 for px, py in one.values())
    assert len({(round(px, 3), round(py, 3)) for px, py in one.values()}) == len(one)


def test_a_large_graph_is_cut_to_its_best_connected_nodes():
    hub_edges = [("hub", f"n{i:05d}") for i in range(3000)] + [("n00001", "n00002")]
    gr = _graph(hub_edges)
    shown = gr.best_connected()
    assert len(shown) == g.MAX_NODES
    assert shown[:3] == ["hub", "n00001", "n00002"]


def test_network_svg_is_accessible_escaped_xml():
    gr = g.Graph()
    gr.add_node(g.Node("a", 'Evil <script>alert(1)</script> & "q" [x](javascript:y)', "person",
                       "people/a.html"))
    gr.add_node(g.Node("b", "Агентство", "agency", "agencies/b.html"))
    gr.add_edge("a", "b", "member <of>")
    text = g.svg(gr, g.force_layout(gr, ("person", "agency")), "dg-t", "Title <t>", "Desc & d")
    root = etree.fromstring(text.encode())  # well-formed XML, or this raises
    assert root.get("role") == "figure" and root.get("aria-labelledby") == "dg-t-t"
    assert root.get("aria-describedby") == "dg-t-d"
    assert root.find(f"{SVG}title").text == "Title <t>"
    assert root.find(f"{SVG}desc").text == "Desc & d"
    assert not list(root.iter(f"{SVG}script"))
    links = root.findall(f".//{SVG}a")
    assert sorted(a.get("href") for a in links) == ["agencies/b.html", "people/a.html"]
    evil = next(a for a in links if a.get("href") == "people/a.html")
    assert evil.get("aria-label").startswith('Evil <script>alert(1)</script> & "q" [x](javascript:y)')
    assert "javascript:" not in text and "<script" not in text  # Markdown-proof, not only XML
    edge_title = root.find(f".//{SVG}g[@class='dg-edge']/{SVG}title").text
    assert "member <of>" in edge_title and "Агентство" in edge_title
    assert "\n" not in text  # one line: a Markdown raw-HTML block cannot be split


def test_timeline_svg_orders_partial_dates_and_marks_circa():
    marks = [tl.Mark(PartialDate(2019, 4, 25), "day", "d.html"),
             tl.Mark(PartialDate(2019), "year", "y.html", circa=True),
             tl.Mark(PartialDate(2019, 4), "month", "m.html")]
    assert sorted(m.date for m in marks) == [PartialDate(2019), PartialDate(2019, 4),
                                             PartialDate(2019, 4, 25)]
    root = etree.fromstring(tl.svg([tl.Band("Events", "event", marks)], "t", "T", "D").encode())
    links = root.findall(f".//{SVG}a")
    assert [a.get("href") for a in links] == ["y.html", "m.html", "d.html"]
    assert "dt-circa" in links[0].get("class") and "dt-circa" not in links[1].get("class")
    assert links[0].get("aria-label") == "c. 2019: year"
    # a year is a bar across the year, a day a dot
    assert links[0].find(f"{SVG}rect") is not None and links[2].find(f"{SVG}circle") is not None


def test_view_pages_and_nav():
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


def test_error_messages_page_joins_the_nav_when_the_config_has_it(tmp_path):
    config_dir = tmp_path / "config"
    shutil.copytree(DEFAULT_CONFIG_DIR, config_dir)
    (config_dir / "docs" / "errors.md").write_text("# Error messages\n")
    result = run(Options(content_dir=FIXTURES / "mini", config_dir=config_dir))
    assert result.site is not None
    assert {"Error messages": "errors.md"} in result.site.mkdocs_config["nav"]
    assert "[Error messages](errors.md)" in result.site.pages["writing-content.md"]


def test_search_is_configured_for_other_scripts_in_both_configs():
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


def test_entity_timeline_lists_events_relations_and_roles_in_date_order():
    page = rendered(FIXTURES / "mini")["people/jane-doe.md"]
    section = page.split("## Timeline", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| <span")]
    assert len(rows) == 5
    assert "March 1970" in rows[0] and "Born" in rows[0]
    assert "April 2019" in rows[1] and "Director at [Alpha Service]" in rows[1]
    assert "February 2020" in rows[2] and "Visit in February 2020" in rows[2]
    assert "11 February 2020" in rows[3] and "11 February 2020" in rows[4]


def test_relative_href_agrees_with_relpath():
    import itertools
    import posixpath

    from generator.pages import relative_href

    paths = ["index.md", "people/a.md", "people/index.md", "network/people.md", "a/b/c.md"]
    for target, start in itertools.product(paths, ["", "people", "network", "a/b", "a"]):
        assert relative_href(target, start) == posixpath.relpath(target, start or ".")


def test_public_edition_leaves_marked_items_out_of_every_view(content):
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
    for name, text in pages.items():
        assert "Secret Meeting" not in text and "hidden-tag" not in text, name
    assert "met with" not in pages["timeline.md"] and "Other Person" not in pages["people/open.md"]
    assert "visible" in pages["tags.md"]


def test_an_event_naming_an_entity_twice_is_one_timeline_row(content):
    root = content({
        "content/countries/land.yml": "name: Land\n",
        "content/events/e.yml": "name: Twice\ndate: 2020\nlocation: land\nparticipants: [land]\n"
                                "sources: [src]\n",
    })
    page = rendered(root)["countries/land.md"]
    section = page.split("## Timeline", 1)[1].split("\n## ", 1)[0]
    assert section.count("Twice") == 1 and 'data-kind="event"' in section


def test_relative_href_agrees_with_posixpath_on_deeper_trees():
    import itertools
    import posixpath

    from generator.pages import relative_href

    paths = ["index.md", "people/a.md", "agencies/b.md", "people/x/y.md", "a/b/c.md", "a/c.md"]
    dirs = ["", "people", "agencies", "people/x", "a", "a/b"]
    for target, here in itertools.product(paths, dirs):
        assert relative_href(target, here) == posixpath.relpath(target, here or ".")


def test_parallel_render_gives_the_same_pages_in_the_same_order(monkeypatch):
    import generator.render as render_module
    from generator.pipeline import Options, check

    from .conftest import FIXTURES

    result = check(Options(content_dir=FIXTURES / "mini"))
    assert result.linked is not None and result.config is not None
    serial = render_module.render(result.linked, result.config.mkdocs_base, jobs=1)
    monkeypatch.setattr(render_module, "PARALLEL_MIN", 1)
    monkeypatch.setattr(render_module, "PARALLEL_CHUNK", 2)
    parallel = render_module.render(result.linked, result.config.mkdocs_base, jobs=2)
    assert list(parallel.pages.items()) == list(serial.pages.items())


def test_force_layout_is_cached_by_structure_and_returns_a_fresh_dict():
    from generator import graph as g

    def make(label: str) -> g.Graph:
        gr = g.Graph()
        for i, t in (("a", "person"), ("b", "agency"), ("c", "event")):
            gr.add_node(g.Node(i, f"{label} {i}", t, f"{i}.html"))
        gr.add_edge("a", "b", "leads")
        gr.add_edge("b", "c", "involved in")
        return gr

    first = g.force_layout(make("one"), ("person", "agency", "event"))
    first["a"] = (9.0, 9.0)  # the caller's copy: the cache must not change
    again = g.force_layout(make("two"), ("person", "agency", "event"))  # new labels, same links
    assert again["a"] != (9.0, 9.0) and set(again) == {"a", "b", "c"}
    other = make("two")
    other.add_edge("a", "c", "involved in")
    assert g.force_layout(other, ("person", "agency", "event")) != again


# --- the plain-prose fast path gives exactly what Markdown + the sanitiser give ----------

_PROSE_PIECES = ["word", " ", "  ", "Élan", "Патрушев", "(x)", "it's", '"q"', ":", ".", ",", "—",
                 "1.", "- ", "#", "*", "_", "`", "<b>", "&", "&amp;", "\u00a0", "\u200b", "\u202e",
                 "\u2003", "\n", "\n\n", "\t", "\x07", "|", "\\", "[x](y)", "[[a]]", "[[b|the b]]",
                 "[[gone]]", "[[gone|a ghost]]", "[[a|]]", "[[ a ]]", "😀", "~", "=", "!", "$"]


def _prose_page():
    from types import SimpleNamespace

    from generator.pages import PageContext

    entities = {"a": SimpleNamespace(id="a", type="person", name="A & <b>*B*</b> [c] (d) 1. e"),
                "b": SimpleNamespace(id="b", type="agency", name="Бюро \u00a0 #1 | `x`")}
    return PageContext(SimpleNamespace(entities=entities), "people/here.md")  # type: ignore[arg-type]


def test_plain_prose_is_taken_for_plain_text():
    from generator.model import Prose

    page = _prose_page()
    text = "Met [[a]] (2019): it's \"so\" — [[b|the bureau]], [[gone]] and Патрушев."
    assert plain_prose(page.prose_parts(text)) is not None  # the fast path applies...
    assert page.prose(Prose(text)) == prose_html(page.expand_refs(text))  # ...and agrees
    assert plain_prose(page.prose_parts("a *b*")) is None
    assert plain_prose(page.prose_parts("- item")) is None
    assert plain_prose(page.prose_parts("one\ntwo")) is None


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@given(st.lists(st.one_of(st.sampled_from(_PROSE_PIECES), st.text(max_size=6)), max_size=12),
       st.booleans())
def test_plain_prose_equals_the_full_path(pieces, inline):
    from generator.model import Prose

    page = _prose_page()
    text = "".join(pieces)
    assert page.prose(Prose(text), inline=inline) == prose_html(page.expand_refs(text), inline=inline)


def test_render_shortcuts_change_no_output(monkeypatch):
    """Remembered macros (called past Jinja's `Context.call`) and the un-copied escape
    give byte-identical pages."""
    import jinja2

    from generator import templating as r

    fast = rendered(FIXTURES / "hostile") | rendered(FIXTURES / "mini")
    monkeypatch.setattr(r, "PURE_MACROS", ())
    monkeypatch.setattr(r, "_Template", jinja2.Template)
    monkeypatch.setattr(r._Environment, "context_class", jinja2.runtime.Context)
    plain = rendered(FIXTURES / "hostile") | rendered(FIXTURES / "mini")
    assert fast == plain


def test_a_long_timeline_gets_a_page_per_year(monkeypatch):
    from generator.pages import timeline

    short = rendered(FIXTURES / "mini")
    assert not any(p.startswith("timeline/") for p in short) and "## 2020" in short["timeline.md"]
    monkeypatch.setattr(timeline, "TIMELINE_PAGE_MAX", 2)
    pages = rendered(FIXTURES / "mini")
    years = sorted(p for p in pages if p.startswith("timeline/"))
    assert years == ["timeline/2018.md", "timeline/2020.md"]
    main = pages["timeline.md"]
    assert "## 2020" not in main and "[2018](timeline/2018.md)" in main and "[2020](timeline/2020.md)" in main
    assert 'class="dossier-timeline"' in main  # a picture stays on the main page: bars per year
    assert 'href="timeline/2020.html" aria-label="2020&#58; 3 events"' in main
    assert "Summit of 2020" not in main  # it names no entity, so a renamed one leaves it alone
    y2020 = pages["timeline/2020.md"]
    assert "[Summit of 2020](../events/summit-2020.md)" in y2020
    assert "Back to the [Timeline](../timeline.md)" in y2020
    assert "← [2018](2018.md)" in y2020 and "→" not in y2020
    # every entry lands on exactly one year page, in the same order as on the single page
    def rows(text: str) -> list[str]:
        return [line.split("|")[2].strip() for line in text.splitlines() if "dossier-date" in line]
    assert rows(short["timeline.md"]) == [
        row.replace("../", "") for y in years for row in rows(pages[y])]


def test_remembered_macros_keep_a_bounded_memory(monkeypatch):
    from generator import templating as r

    calls = []
    monkeypatch.setattr(r, "MEMO_MAX", 3)
    link = r._Remembered(lambda text: calls.append(text) or f"<{text}>")
    assert [link(t) for t in "abca"] == ["<a>", "<b>", "<c>", "<a>"]
    assert calls == ["a", "b", "c"]  # "a" again: remembered
    assert [link(t) for t in "dab"] == ["<d>", "<a>", "<b>"]
    assert calls == ["a", "b", "c", "d", "a", "b"]  # full at "d": started afresh
    assert link(["x", "y"]) == "<['x', 'y']>" and link(["x", "y"]) == "<['x', 'y']>"
    assert calls[-1] == ["x", "y"] and len(calls) == 7  # a list argument is remembered by value


def test_a_remembered_macro_called_with_names_is_called_afresh():
    from generator import templating as r

    calls = []
    badge = r._Remembered(lambda kind, word="": calls.append((kind, word)) or f"{kind}:{word}")
    assert badge("a", word="b") == "a:b" and badge("a", word="b") == "a:b"
    assert calls == [("a", "b"), ("a", "b")]  # named arguments are not remembered
    assert badge("a") == "a:" and badge("a") == "a:" and len(calls) == 3


def test_a_remembered_macro_never_serves_markup_output_to_plain_text():
    """Markup("<b>x</b>") == "<b>x</b>" as a key: the output made for trusted markup must
    not come back for the same text from content, which must be escaped."""
    from markupsafe import Markup

    from generator import templating as r

    show = r._Remembered(lambda v: Markup("{0}").format(v))
    assert show(Markup("<b>x</b>")) == "<b>x</b>"
    assert show("<b>x</b>") == "&lt;b&gt;x&lt;/b&gt;"
    assert show(Markup("<b>x</b>")) == "<b>x</b>"


# --- the Tags page: headings while short, a table per initial past TAGS_AS_HEADINGS_MAX ------

@pytest.mark.parametrize(("tag", "initial"), [
    ("alpha", "A"), ("Élan", "E"), ("élan", "E"), ("ß-sound", "S"), ("Патрушев", "П"),
    ("42 things", "0–9"), ("#hash", "Other"), ("  spaced", "S"), ("", "Other"), ("情报", "情"),
])
def test_a_tag_is_listed_under_its_initial(tag, initial):
    from generator.pages.tags import tag_initial

    assert tag_initial(tag) == initial


def test_tag_sections_are_bounded_and_keep_every_tag_in_order():
    from generator.pages.site import tag_anchors
    from generator.pages.tags import TAG_INITIALS_MAX, TagGroup, tag_sections

    tags = [f"{chr(0x4E00 + i)}{n}" for i in range(100) for n in range(i % 3 + 1)]
    tags += [f"{word} {n}" for word in ("zeta", "alpha") for n in range(5)]  # the most: kept
    groups = tuple(TagGroup(t, a, Markup(""), ()) for t, a in tag_anchors(tags).items())
    sections = tag_sections(groups)
    assert len(sections) == TAG_INITIALS_MAX and sections[-1].initial.text == "Other"
    assert [s.initial.text for s in sections[:2]] == ["A", "Z"]
    assert sorted(g.anchor for s in sections for g in s.groups) == sorted(g.anchor for g in groups)
    for s in sections:  # each section keeps the page's order of tags
        assert list(s.groups) == [g for g in groups if g in s.groups]
    anchors = [s.initial.href for s in sections]
    assert len(set(anchors)) == len(anchors) and all(a.startswith("#tags-") for a in anchors)


def test_thousands_of_tags_build_a_page_of_few_headings_where_every_tag_link_lands(content):
    """3,000 tags (among them other scripts and markup): the Tags page has a heading per
    initial, not per tag, and every tag link of every profile lands on an id of the page."""
    from lxml import html

    from generator.cli import main
    from generator.pages.tags import TAG_INITIALS_MAX, TAGS_AS_HEADINGS_MAX

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
    links = 0
    for profile in (site / "people").glob("p*.html"):
        page = html.parse(str(profile)).getroot()
        for href in page.xpath("//article//a[contains(@href, 'tags.html#')]/@href"):
            assert href.startswith("../tags.html#") and href.split("#", 1)[1] in ids, (profile, href)
            links += 1
    assert links == 120 * 26
    for name in site.rglob("*.html"):  # no page of the site grows a heading per tag
        assert len(html.parse(str(name)).getroot().xpath("//article//*[self::h2 or self::h3]")) < 60
