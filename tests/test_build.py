"""Stage 5 and end to end: real MkDocs builds, the HTML parsed."""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from generator.config import DEFAULT_CONFIG_DIR, load_config
from generator.diagnostics import Diagnostics
from generator.schema import COMMON_FIELDS, DOSSIER_FIELDS, KINDS, PARTS, TYPE_FIELDS

from .conftest import FIXTURES, ROOT, cli, write

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
    # the relation table's first column: the relation read from each side
    john_rel = [td.get_text(strip=True) for td in john.select("article table tr > td:first-child")]
    beta_rel = [td.get_text(strip=True) for td in beta.select("article table tr > td:first-child")]
    assert "Member of" in john_rel and "Members" in beta_rel
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
    assert "Led by" in [td.get_text(strip=True) for td in bureau.select("article table tr > td:first-child")]
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


@pytest.fixture(scope="module")
def root_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default dossier, built by plain `mkdocs build` from the project root."""
    site = tmp_path_factory.mktemp("root") / "site"
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q",
                          "-d", str(site)], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return site


def test_mkdocs_build_from_project_root(root_site):
    home = soup(root_site / "index.html")
    assert home.select_one("article h1").get_text(strip=True) == "Russian intelligence in Venezuela"
    assert (root_site / "people" / "nikolai-patrushev.html").is_file()


# --- reader views, on the mini fixture and on the default dossier ---------------------------


def table(page: BeautifulSoup, index: int = 0) -> tuple[list[str], list[list[str]]]:
    t = page.select("article table")[index]
    head = [th.get_text(strip=True) for th in t.select("thead th")]
    rows = [[td.get_text(" ", strip=True) for td in tr.select("td")] for tr in t.select("tbody tr")]
    return head, rows


def sections(page: BeautifulSoup) -> dict[str, Tag]:
    """Heading text → a wrapper holding everything up to the next h2/h3."""
    out: dict[str, Tag] = {}
    current: Tag | None = None
    for el in list(page.select_one("article").children):
        if isinstance(el, Tag) and el.name in ("h2", "h3"):
            current = page.new_tag("section")
            out[el.get_text(strip=True)] = current
        elif current is not None and isinstance(el, Tag):
            current.append(el.__copy__())
    return out


def assert_links_resolve(site: Path, page: Path, anchors: list[Tag]) -> None:
    for a in anchors:
        href = a["href"].split("#")[0]
        if href and not href.startswith(("http", "mailto")):
            assert (page.parent / href).resolve().is_file(), f"{page}: {href}"


def test_index_tables_have_the_columns_readers_scan(mini_site):
    head, rows = table(soup(mini_site / "people" / "index.html"))
    assert head == ["Name", "Nationality", "Roles"]
    assert ["Jane Doe", "Ruritania", "Director (Alpha Service)"] in rows
    head, rows = table(soup(mini_site / "agencies" / "index.html"))
    assert head == ["Name", "Kind", "Country", "Parent"]
    assert ["Beta Bureau", "security service", "Freedonia", "Alpha Service"] in rows
    head, rows = table(soup(mini_site / "events" / "index.html"))
    assert head == ["Date", "Event", "Participants"]
    assert [r[1] for r in rows] == ["Talks of 2020", "Visit in February 2020", "Summit of 2020"]
    assert rows[0][0] == "c. 2020"
    head, rows = table(soup(mini_site / "sources" / "index.html"))
    assert head == ["Source", "Outlet", "Date", "Kind", "Grade", "Times cited"]
    assert rows == [["Report (2020)", "The Daily Example", "1 June 2020", "media report", "B", "7"]]


def test_profile_shows_badges_tags_timeline_and_a_linked_network_picture(mini_site):
    path = mini_site / "people" / "jane-doe.html"
    jane = soup(path)
    assert [b.get_text(strip=True) for b in jane.select("article .dossier-type")] == ["Person"]
    tags = {a.get_text(strip=True): a["href"] for a in jane.select("article .dossier-tags a")}
    assert set(tags) == {"leadership", "руководство"}
    page, anchor = tags["руководство"].split("#")
    listed = soup((path.parent / page).resolve()).find(id=anchor)
    assert listed is not None and listed.name == "h2"
    svg = jane.select_one("article svg.dossier-network")
    assert svg["role"] == "figure" and svg.select_one("title").get_text() == "Direct links of Jane Doe"
    nodes = svg.select("a")
    labels = sorted(a["aria-label"] for a in nodes)
    assert labels == ["Alpha Service (Agency)", "Jane Doe (Person)", "John Roe (Person)",
                      "Ruritania (Country)", "Summit of 2020 (Event)",
                      "Visit in February 2020 (Event)"]
    assert_links_resolve(mini_site, path, nodes)
    assert [li.get_text(strip=True) for li in jane.select("article .dossier-legend li")] == [
        "Person", "Agency", "Event", "Country"]
    head, rows = table(jane, -1)
    assert head == ["Date", "Entry"] and rows[0] == ["March 1970", "Born"]


def test_references_gather_every_citation_with_grade_and_admiralty_code(mini_site):
    alpha = soup(mini_site / "agencies" / "alpha-service.html")
    refs = alpha.select(".footnote li")
    assert len(refs) == 1 and "Source grade B" in refs[0].get_text()
    grades = [b.get_text(strip=True) for b in alpha.select("article .dossier-grade")]
    assert grades == ["B3"]
    badges = {b.get_text(strip=True) for b in alpha.select("article .dossier-badge")}
    assert {"alleged", "low confidence", "reported", "moderate confidence"} <= badges
    # the relation row and the claim both point at reference 1
    markers = [a["href"] for a in alpha.select("article sup a.footnote-ref")]
    assert len(markers) >= 2 and len(set(markers)) == 1


def test_timeline_page_sorts_partial_dates_first_and_marks_circa(mini_site):
    page = soup(mini_site / "timeline.html")
    years = [h.get_text(strip=True) for h in page.select("article h2")]
    assert years == sorted(years) and {"2018", "2020"} <= set(years)
    dates = [s.get_text(strip=True) for s in sections(page)["2020"].select(".dossier-date")]
    assert dates[:3] == ["c. 2020", "February 2020", "11 February 2020"]
    assert "dossier-circa" in sections(page)["2020"].select(".dossier-date")[0]["class"]
    marks = page.select("article svg.dossier-timeline a")
    events = [m["aria-label"] for m in marks if "dt-event" in m["class"]]
    assert events == ["c. 2020: Talks of 2020", "February 2020: Visit in February 2020",
                      "11 February 2020: Summit of 2020"]
    assert_links_resolve(mini_site, mini_site / "timeline.html", marks)


def test_network_pages_link_every_node(mini_site):
    for name in ("network.html", "network/people.html", "index.html"):
        path = mini_site / name
        svg = soup(path).select_one("article svg.dossier-network")
        assert svg is not None and svg["role"] == "figure", name
        assert svg.select_one("title").get_text() and svg.select_one("desc").get_text()
        nodes = svg.select("a")
        assert nodes and all(a.get("aria-label") for a in nodes)
        assert_links_resolve(mini_site, path, nodes)
    labels = {label.strip("←→↑↓ ") for t in soup(mini_site / "network.html").select("svg .dg-edge-label")
              for label in t.get_text().split("; ")}  # the relation's words, an arrow giving the direction
    assert {"member of", "cooperates with", "met with", "part of", "involved"} <= labels


def test_bibliography_lists_outlet_date_kind_grade_and_citers(mini_site):
    page = soup(mini_site / "bibliography.html")
    entry = page.select("article li")[0]
    text = entry.get_text(" ", strip=True)
    for part in ("Report (2020)", "The Daily Example",
                 "1 June 2020", "Media report", "Grade B", "usually reliable"):
        assert part in text
    citers = {a.get_text(strip=True) for a in entry.select("small a")}
    assert {"Jane Doe", "Alpha Service", "Home"} <= citers


def test_tags_page_lists_every_tag_with_its_entities(mini_site):
    groups = sections(soup(mini_site / "tags.html"))
    assert {a.get_text(strip=True) for a in groups["leadership"].select("a")} == {
        "Jane Doe", "Alpha Service"}
    assert [a.get_text(strip=True) for a in groups["diplomacy"].select("a")] == ["Talks of 2020"]
    assert [a.get_text(strip=True) for a in groups["руководство"].select("a")] == ["Jane Doe"]


def test_home_page_has_judgments_questions_counts_network_and_recent_events(mini_site):
    home = soup(mini_site / "index.html")
    parts = sections(home)
    judgment = parts["Key judgments"].get_text(" ", strip=True)
    assert "Alpha cooperates with Beta." in judgment and "moderate confidence" in judgment
    assert [a.get_text(strip=True) for a in parts["Open questions"].select("a")] == ["Alpha Service"]
    head, rows = table(home)
    assert head == ["Section", "Entries"] and ["People", "2"] in rows and ["Events", "3"] in rows
    recent = [r.get_text(" ", strip=True) for r in parts["Recent events"].select("tbody tr")]
    assert recent[0].startswith("11 February 2020")
    assert parts["Network"].select_one("svg.dossier-network a") is not None


def test_writing_content_documents_every_field_and_vocabulary_word(mini_site):
    parts = sections(soup(mini_site / "writing-content.html"))

    def documented(heading: str) -> set[str]:
        return {c.get_text() for c in parts[heading].select("td code")}

    assert set(COMMON_FIELDS) <= documented("Fields every profile has")
    for type_, fields in TYPE_FIELDS.items():
        heading = next(h for h in parts if h.lower().startswith(type_ + " ("))
        assert set(fields) <= documented(heading), type_
    for part, fields in PARTS.items():
        assert set(fields) <= documented(part.capitalize()), part
    assert set(DOSSIER_FIELDS) <= documented("The dossier file (dossier.yml)")
    assert set(KINDS) <= {td.get_text() for td in parts["Kinds of values"].select("td")}
    cfg = load_config(DEFAULT_CONFIG_DIR, Diagnostics())
    assert cfg is not None
    vocab_words = {w for h in parts if "(" in h and h.split(" (")[0] in
                   {"Relation types", "Agency kinds", "Installation kinds", "Statuses",
                    "Confidence", "Likelihood", "Source kinds", "Source reliability",
                    "Information credibility"} for w in documented(h)}
    assert set(cfg.vocab.relation_types) <= vocab_words
    for words in cfg.vocab.labels.values():
        assert set(words) <= vocab_words
    markings = parts["Markings and editions"].get_text(" ")
    assert all(m in markings for m in cfg.vocab.markings + list(cfg.vocab.editions))
    assert "path:line:column: error: message" in parts["When something is wrong"].get_text()


def test_every_material_page_fixes_the_two_axe_findings(mini_site):
    css = (mini_site / "assets" / "stylesheets" / "dossier.css").read_text()
    assert re.search(r"\.md-copyright \{ color: var\(--md-footer-fg-color--light\); \}", css)
    for name in ("index.html", "people/jane-doe.html", "writing-content.html"):
        page = soup(mini_site / name)
        # the theme's own search partial (no copy); its dialog is named by search.js, run
        # before Material's bundle: tests/browser/test_search.py checks the live name
        assert page.select_one(".md-search[role=dialog]") is not None, name
        scripts = [s["src"].rsplit("/", 1)[-1] for s in page.select("script[src]")]
        bundle = next(i for i, src in enumerate(scripts) if src.startswith("bundle."))
        assert scripts[bundle - 1] == "search.js", name
        assert any("dossier.css" in link["href"] for link in page.select("link[rel=stylesheet]"))


def test_default_dossier_views_link_correctly(root_site):
    for name in ("index.html", "network.html", "timeline.html", "bibliography.html", "tags.html",
                 "people/nikolai-patrushev.html", "network/domains.html"):
        path = root_site / name
        anchors = soup(path).select("article a[href]")
        assert anchors, name
        assert_links_resolve(root_site, path, anchors)
    patrushev = soup(root_site / "people" / "nikolai-patrushev.html")
    assert "Николай Патрушев" in patrushev.select_one("article").get_text()
    nav = soup(root_site / "index.html").select("nav.md-nav--primary a.md-nav__link[href]")
    assert len(nav) < 25  # sections, never one entry per entity


def test_hostile_names_stay_text_in_pictures_and_views(tmp_path, capsys):
    name = 'Evil <script>alert(1)</script> & "q" [x](javascript:y) | *b*'
    root = write(tmp_path, {
        "content/dossier.yml": "title: T\n",
        "content/sources/src.yml": "name: Src\ntitle: A\nkind: other\nreliability: C\n",
        "content/people/evil.yml": f"name: '{name}'\ntags: ['<b>tag</b>']\n",
        "content/events/meet.yml": "name: Meet\ndate: 2020\nparticipants: [evil]\nsources: [src]\n",
    })
    site = tmp_path / "site"
    assert cli(capsys, "build", "--content", str(root / "content"), "--site-dir", str(site))[0] == 0
    for page_name in ("people/evil.html", "network.html", "tags.html", "timeline.html", "index.html"):
        page = soup(site / page_name)
        # the only script element is the page's previews: JSON data, never run
        assert not page.select("article script:not(#dossier-previews[type='application/json']), "
                               "article b"), page_name
        for data in page.select("article script#dossier-previews"):
            json.loads(data.get_text())
    evil = soup(site / "people" / "evil.html")
    svg_node = evil.select_one("svg.dossier-network a[href='evil.html']")
    assert svg_node["aria-label"] == f"{name} (Person)"
    assert evil.select_one("article h1").get_text() == name
    assert soup(site / "tags.html").select_one("article h2").get_text(strip=True) == "<b>tag</b>"


def test_error_messages_page_is_in_the_nav_and_explains_catalogue_messages(mini_site):
    from .test_catalogue import CASES

    page = soup(mini_site / "errors.html")
    assert "Error messages" in [a.get_text(strip=True) for a in page.select("nav a")]
    rows = [r.get_text(" ", strip=True) for r in page.select("article table tr")]
    # each row: its code, the message, what it means, how to fix it
    assert all(len(r.select("td")) in (0, 4) for r in page.select("article table tr"))
    # each catalogue message's fixed opening words have an entry
    for _, expected in CASES.values():
        for line in expected:
            message = line.split(": ", 2)[2]
            opening = re.split(r"['*:`]| U\+|\d", message.lstrip("`"))[0].strip()
            opening = " ".join(opening.split()[:2])
            assert any(opening in r for r in rows), opening


def test_year_pages_of_a_long_timeline_build_and_link_both_ways(tmp_path, monkeypatch):
    from generator.cli import main
    from generator.pages import timeline

    monkeypatch.setattr(timeline, "TIMELINE_PAGE_MAX", 2)
    site = tmp_path / "site"
    assert main(["build", "--content", str(FIXTURES / "mini"), "--site-dir", str(site)]) == 0
    main_page = soup(site / "timeline.html")
    links = main_page.select("article table a")
    assert [a.get_text(strip=True) for a in links] == ["2018", "2020"]
    assert_links_resolve(site, site / "timeline.html", links)
    bars = main_page.select("article svg.dossier-timeline a")
    assert [a["aria-label"] for a in bars] == ["2020: 3 events", "2018: 1 dated relation",
                                               "2020: 1 dated relation"]
    assert_links_resolve(site, site / "timeline.html", bars)
    year = soup(site / "timeline" / "2020.html")
    assert year.select_one("article h1").get_text(strip=True) == "Timeline: 2020"
    dates = [s.get_text(strip=True) for s in year.select("article .dossier-date")]
    assert dates[:3] == ["c. 2020", "February 2020", "11 February 2020"]
    assert_links_resolve(site, site / "timeline" / "2020.html", year.select("article a[href]"))


# --- output folders: only Dossier's own are written over (see tests/test_outputs.py) ------


def _files_under(root: Path) -> dict[str, bytes | None]:
    return {p.relative_to(root).as_posix(): p.read_bytes() if p.is_file() else None
            for p in sorted(root.rglob("*"))}


def test_write_tree_refuses_a_folder_it_did_not_write_and_cleans_its_own(tmp_path):
    from generator import outputs
    from generator.build import write_tree
    from generator.render import RenderedSite

    site = RenderedSite({"index.md": "# Home\n"}, {"site_name": "x"})
    mine = tmp_path / "project"
    write(mine, {"mkdocs.yml": "site_name: mine\n", "docs/index.md": "# Mine\n", "notes.txt": "x"})
    before = _files_under(mine)
    with pytest.raises(outputs.OutputRefused) as refused:
        write_tree(site, mine, DEFAULT_CONFIG_DIR)
    assert "holds files Dossier did not make (docs/, mkdocs.yml, notes.txt)" in str(refused.value)
    assert _files_under(mine) == before
    tree = tmp_path / "tree"
    write_tree(site, tree, DEFAULT_CONFIG_DIR)
    assert outputs.marked_kind(tree) == "tree"
    (tree / "docs" / "old.md").write_text("a page no longer wanted\n")
    write_tree(site, tree, DEFAULT_CONFIG_DIR)
    assert not (tree / "docs" / "old.md").exists() and (tree / outputs.MARKER).is_file()


def test_plain_mkdocs_build_does_not_replace_a_checkout(tmp_path):
    """The plugin's staged build (under `mkdocs build`) keeps the same rule: a located
    error, no traceback, the checkout whole."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "mini", project / "content")
    cfg = ROOT / "site_config"
    (project / "mkdocs.yml").write_text(
        f"INHERIT: {cfg}/mkdocs.base.yml\nsite_name: x\ndocs_dir: {cfg}/docs\n"
        f"theme:\n  name: material\n  custom_dir: {cfg}/overrides\n"
        f"plugins:\n  - search\n  - dossier:\n      config_dir: {cfg}\n")
    write(tmp_path / "pages", {".git/HEAD": "ref: refs/heads/gh-pages\n", "index.html": "<p>x</p>\n"})
    before = _files_under(tmp_path / "pages")
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d",
                          str(tmp_path / "pages")], cwd=project, capture_output=True, text=True)
    assert run.returncode != 0 and "Traceback" not in run.stderr
    assert "pages: error: not used for the site: it is a version-control checkout (.git)" in run.stderr
    assert _files_under(tmp_path / "pages") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pages", "project"]


def test_plain_mkdocs_build_holds_the_site_folders_lock_until_the_swap(tmp_path):
    """Under `mkdocs build`, the plugin holds the lock `dossier build` takes on the site's
    parent folder (a hook of the same build finds it taken), and releases it at the end."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "mini", project / "content")
    cfg = ROOT / "site_config"
    probe = tmp_path / "probe.txt"
    (project / "hooks.py").write_text(
        "import fcntl, os\n"
        "def on_post_build(config):\n"
        f"    fd = os.open({str(tmp_path / 'out')!r}, os.O_RDONLY)\n"
        "    try:\n"
        "        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)\n"
        "        word = 'free'\n"
        "    except BlockingIOError:\n"
        "        word = 'held'\n"
        "    finally:\n"
        "        os.close(fd)\n"
        f"    open({str(probe)!r}, 'w').write(word)\n")
    (project / "mkdocs.yml").write_text(
        f"INHERIT: {cfg}/mkdocs.base.yml\nsite_name: x\ndocs_dir: {cfg}/docs\n"
        f"theme:\n  name: material\n  custom_dir: {cfg}/overrides\n"
        f"plugins:\n  - search\n  - dossier:\n      config_dir: {cfg}\nhooks:\n  - hooks.py\n")
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d",
                          str(tmp_path / "out" / "site")], cwd=project, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert probe.read_text() == "held"
    fd = os.open(tmp_path / "out", os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released: taken at once
    finally:
        os.close(fd)
    assert (tmp_path / "out" / "site" / "index.html").is_file()


# --- staging beside the site: only what Dossier made is cleaned up -----------------------


@pytest.mark.parametrize("theirs", [".site.building-mine/notes.txt", ".site.old-mine/site/index.html",
                                    ".site.old-mine/notes.txt"])
@pytest.mark.parametrize("site_there", [True, False])
def test_staging_leaves_folders_named_like_its_own_but_not_made_by_it(tmp_path, theirs, site_there):
    from generator.build import StagedSite

    if site_there:
        (tmp_path / "site").mkdir()
    write(tmp_path, {theirs: "mine\n"})
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    staged = StagedSite(tmp_path / "site")
    staged.discard()
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before
    assert (tmp_path / "site").exists() == site_there


def test_staging_removes_what_a_killed_build_left_and_puts_back_a_site_set_aside(tmp_path):
    from generator import outputs
    from generator.build import StagedSite

    for name in (".site.building-dead", ".site.old-dead"):  # a lock file nobody holds
        write(tmp_path, {f"{name}/{outputs.LOCK}": ""})
    write(tmp_path, {".site.old-dead/site/index.html": "kept\n"})
    outputs.mark(tmp_path / ".site.old-dead" / "site", "site")
    StagedSite(tmp_path / "site").discard()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert (tmp_path / "site" / "index.html").read_text() == "kept\n"
