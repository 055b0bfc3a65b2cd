"""The site's search (issue 13 item 4): Dossier's index (`generator/pages/search_index.py`)
and its worker (`assets/javascripts/search-worker.js`, MiniSearch), run here under Node
exactly as a browser runs it, speaking Material's worker protocol. The browser tests
(tests/browser/test_search.py) type the same queries into the site's search dialog.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
import yaml

from generator.mkdocs_config import mkdocs_config
from generator.pages import SiteContext, navigation
from generator.pages.search_index import (
    COLUMNS,
    ENTRIES_GLOBAL,
    META_FILE,
    PAGE_KIND,
    SUMMARY_MAX,
    entries_file,
    summary_text,
)
from generator.pipeline import Options, check

from .conftest import FIXTURES, ROOT, WORKER_CONTEXT_JS

JAVASCRIPTS = ROOT / "site_config" / "docs" / "assets" / "javascripts"
WORKER = JAVASCRIPTS / "search-worker.js"
MINISEARCH = JAVASCRIPTS / "minisearch" / "index.js"
NODE = shutil.which("node")

#: runs the worker in a fresh V8 context: importScripts reads the files, postMessage collects
#: the answers; prints {query: [first item of each result group]} for the queries in argv
HARNESS = r"""
const vm = require("vm"), fs = require("fs");
const [worker, minisearch, entries, queries] = process.argv.slice(1);
""" + WORKER_CONTEXT_JS + r"""(async () => {
  await handler({ data: { type: 0, data: { config: {}, docs: [] } } });
  if (sent.pop().type !== 1) throw new Error("no READY");
  while (ctx.texts.documentCount < ctx.rows.length)  // the summaries, indexed after READY
    await new Promise(resolve => setTimeout(resolve, 0));
  const out = {};
  for (const query of JSON.parse(queries)) {
    await handler({ data: { type: 2, data: query } });
    const message = sent.pop();
    if (message.type !== 3) throw new Error("no RESULT");
    out[query] = message.data.items.map(group => group[0]);
  }
  console.log(JSON.stringify(out));
})();
"""


def site_of(content_dir: Path, edition: str = "full") -> SiteContext:
    result = check(Options(content_dir=content_dir, edition=edition))
    assert result.linked is not None, result.diags
    return SiteContext(result.linked)


def entries(script: str) -> list[dict[str, object]]:
    """The rows of an entries file, as {column: value}."""
    prefix = f"window.{ENTRIES_GLOBAL}="
    assert script.startswith(prefix) and script.endswith(";\n")
    data = json.loads(script[len(prefix):-2])
    assert data["columns"] == list(COLUMNS)
    return [dict(zip(COLUMNS, row, strict=True)) for row in data["rows"]]


@cache
def default_entries() -> str:
    return entries_file(site_of(ROOT / "content"))


def run_worker(script: str, queries: list[str], tmp_path: Path) -> dict[str, list[dict[str, object]]]:
    if NODE is None:
        pytest.skip("node is not installed (the worker is checked in the browser tests too)")
    path = tmp_path / "entries.js"
    path.write_text(script, encoding="utf-8")
    done = subprocess.run([NODE, "-e", HARNESS, str(WORKER), str(MINISEARCH), str(path), json.dumps(queries)],
                          capture_output=True, text=True, check=True)
    found: dict[str, list[dict[str, object]]] = json.loads(done.stdout)
    return found


def test_the_mini_fixture_gives_one_entry_per_profile_and_the_navigation_titles() -> None:
    site = site_of(FIXTURES / "mini")
    rows = entries(entries_file(site))
    pages = [r for r in rows if r["type"] == PAGE_KIND]
    assert [(r["location"], r["title"]) for r in pages] == \
        [(s.path[:-3] + ".html", s.nav) for s in navigation(site)]
    profiles = {r["location"]: r for r in rows if r["type"] != PAGE_KIND}
    assert len(profiles) == len(site.linked.entities)
    assert profiles["people/jane-doe.html"] == {
        "location": "people/jane-doe.html", "title": "Jane Doe", "type": "Person",
        "aliases": ["Джейн Доу", "J. Doe"], "summary": "Director of Alpha Service since 2019.",
        "tags": ["leadership", "руководство"]}


@pytest.mark.parametrize(("summary", "shown"), [
    ("Director of [[alpha-service]] since 2019.", "Director of Alpha Service since 2019."),
    ("Heads [[alpha-service|the Service]].", "Heads the Service."),
    ("*Very* **bold** and `code`, [a link](https://example.org) and ~~struck~~.",
     "Very bold and code, a link and struck."),
    ("Two\n\nparagraphs,   spaced.", "Two paragraphs, spaced."),
    ("<script>alert(1)</script> & co", "<script>alert(1)</script> & co"),  # data, escaped where shown
])
def test_a_summary_is_plain_text(content, summary: str, shown: str) -> None:  # type: ignore[no-untyped-def]
    folder = content({
        "content/agencies/alpha-service.yml": "name: Alpha Service\n",
        "content/people/p.yml": f"name: P\nsummary: {json.dumps(summary)}\n",
    })
    site = site_of(folder)
    assert summary_text(site, site.linked.entities["p"]) == shown


def test_a_long_summary_is_cut_at_a_word(content) -> None:  # type: ignore[no-untyped-def]
    folder = content({"content/people/p.yml": "name: P\nsummary: " + "word " * 200 + "\n"})
    site = site_of(folder)
    text = summary_text(site, site.linked.entities["p"])
    assert len(text) <= SUMMARY_MAX + 2 and text.endswith("word …")


def test_the_index_is_deterministic_and_script_safe() -> None:
    site = site_of(FIXTURES / "hostile")
    first = entries_file(site)
    assert first == entries_file(site_of(FIXTURES / "hostile"))
    assert not re.search(r"[<>&\u2028\u2029]", first)  # nothing can close a <script> or open markup
    assert entries(first)  # and it parses back


def test_the_public_edition_index_holds_no_canary() -> None:
    """What the edition withholds never reaches the index; the full edition's index holds
    the canaries a search could show (names, aliases, summaries, tags), so this can fail."""
    content = FIXTURES / "editions"
    shown = ["CANARY-PERSON-NAME", "CANARY-PERSON-ALIAS", "CANARY-PERSON-SUMMARY", "secret-person"]
    full = entries_file(site_of(content, "full"))
    assert all(c in full for c in shown)
    public = entries_file(site_of(content, "public"))
    assert "CANARY" not in public and "secret-" not in public


def test_material_indexes_no_page_and_keeps_its_settings() -> None:
    """Material's own index is emptied by its meta plugin reading META_FILE (every page
    `search.exclude`); the search plugin itself stays, as the theme draws the dialog with it.
    The root mkdocs.yml (`mkdocs build` through the dossier plugin) says the same."""
    site = site_of(FIXTURES / "mini")
    root = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("!ENV", ""))
    for plugins in (mkdocs_config(site.linked.dossier, {}, [])["plugins"], root["plugins"]):
        names = [next(iter(p)) if isinstance(p, dict) else p for p in plugins]
        assert names.index("search") < names.index("meta")
        assert {"meta": {"meta_file": META_FILE}} in plugins
    static = ROOT / "site_config" / "docs" / META_FILE
    assert yaml.safe_load(static.read_text(encoding="utf-8")) == {"search": {"exclude": True}}


def test_mkdocs_build_from_the_project_root_empties_materials_index(tmp_path: Path) -> None:
    """The project's own mkdocs.yml, on the mini fixture: under `mkdocs build` the dossier
    plugin hands MkDocs its pages in memory, and the meta file is read from disk (a generated
    one crashed Material's meta plugin, which opens every meta file by its path)."""
    cfg = ROOT / "site_config"
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    paths = [(f"{key}: site_config/", f"{key}: {cfg}/") for key in ("INHERIT", "docs_dir", "custom_dir")]
    dossier = ("      content: content\n", f"      content: {FIXTURES / 'mini'}\n      config_dir: {cfg}\n")
    for old, new in [*paths, dossier]:
        assert old in text
        text = text.replace(old, new)
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    site = tmp_path / "site"
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)],
                          cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"] == []
    assert entries((site / "search" / "entries.js").read_text(encoding="utf-8"))
    assert not (site / META_FILE).exists()  # read by the plugin, not published


#: (query, the profile that must come first): a typo, accents either way, another script, an
#: alias, the name itself
FIRST = [
    ("Patrushv", "people/nikolai-patrushev.html"),
    ("nikolai patrushv", "people/nikolai-patrushev.html"),
    ("Патрушев", "people/nikolai-patrushev.html"),
    ("Патрушов", "people/nikolai-patrushev.html"),
    ("Chavez", "people/hugo-chavez.html"),
    ("Chávez", "people/hugo-chavez.html"),
    ("CHÁVEZ", "people/hugo-chavez.html"),
    ("PMC Wagner", "agencies/wagner-group.html"),
    ("Группа Вагнера", "agencies/wagner-group.html"),
    ("Wagner", "agencies/wagner-group.html"),
    ("Patrus", "people/nikolai-patrushev.html"),  # typed so far
]


def test_queries_rank_the_profile_first(tmp_path: Path) -> None:
    found = run_worker(default_entries(), [q for q, _ in FIRST], tmp_path)
    assert {q: found[q][0]["location"] if found[q] else None for q, _ in FIRST} == dict(FIRST)


#: what the worker has indexed when it says it is ready: [summaries indexed, entries]
READY_HARNESS = r"""
const vm = require("vm"), fs = require("fs");
const [worker, minisearch, entries] = process.argv.slice(1);
""" + WORKER_CONTEXT_JS + r"""(async () => {
  await handler({ data: { type: 0, data: { config: {}, docs: [] } } });
  if (sent.pop().type !== 1) throw new Error("no READY");
  console.log(JSON.stringify([ctx.texts.documentCount, ctx.rows.length]));
})();
"""


@pytest.mark.parametrize(("copies", "indexed_at_ready"), [
    (1, True),   # the default dossier, 128 entries: one chunk, its first answer is whole
    (6, False),  # 768 entries: the summaries come after READY, a chunk at a time
])
def test_a_small_dossier_is_indexed_whole_before_the_worker_is_ready(
        tmp_path: Path, copies: int, indexed_at_ready: bool) -> None:
    if NODE is None:
        pytest.skip("node is not installed (the worker is checked in the browser tests too)")
    script = default_entries()
    prefix = f"window.{ENTRIES_GLOBAL}="
    data = json.loads(script[len(prefix):-2])
    one = len(data["rows"])
    data["rows"] = data["rows"] * copies
    path = tmp_path / "entries.js"
    path.write_text(prefix + json.dumps(data) + ";\n", encoding="utf-8")
    done = subprocess.run([NODE, "-e", READY_HARNESS, str(WORKER), str(MINISEARCH), str(path)],
                          capture_output=True, text=True, check=True)
    indexed, rows = json.loads(done.stdout)
    assert rows == one * copies and (rows <= 500) == indexed_at_ready  # TEXT_CHUNK
    assert indexed == (rows if indexed_at_ready else 0)


def test_accents_are_folded_both_ways(tmp_path: Path) -> None:
    queries = ["Chavez", "Chávez", "Rodriguez Torres", "Rodríguez Torres"]
    found = run_worker(default_entries(), queries, tmp_path)
    assert [r["location"] for r in found["Chavez"]] == [r["location"] for r in found["Chávez"]]
    assert [r["location"] for r in found["Rodriguez Torres"]] == \
        [r["location"] for r in found["Rodríguez Torres"]]
    assert found["Chavez"]


def test_pages_rank_below_every_profile(tmp_path: Path) -> None:
    rows = entries(default_entries())
    pages = {r["location"] for r in rows if r["type"] == PAGE_KIND}
    found = run_worker(default_entries(), ["Wagner", "network", "timeline", "people"], tmp_path)
    for query, results in found.items():
        kinds = [r["location"] in pages for r in results]
        assert kinds == sorted(kinds), query  # every profile before any page
    assert found["timeline"] and found["network"]  # pages are still found


def test_results_are_text_with_marks(tmp_path: Path) -> None:
    """Material inserts an item's title and text as HTML: content arrives escaped, with only
    the worker's own <mark>, <p> and <em> around it."""
    script = entries_file(site_of(FIXTURES / "hostile"))
    queries = [r["title"] for r in entries(script) if r["type"] != PAGE_KIND][:6]  # type: ignore[misc]
    found = run_worker(script, [*queries, "<img src=x onerror=alert(1)>", "script"], tmp_path)
    for results in found.values():
        for item in results:
            for html in (item["title"], item["text"]):
                tags = re.findall(r"<[^>]*>", str(html))
                assert set(tags) <= {"<mark>", "</mark>", "<p>", "</p>", "<em>", "</em>"}, html
    assert any(found[q] for q in queries)


def test_the_worker_answers_an_empty_query_with_nothing(tmp_path: Path) -> None:
    found = run_worker(entries_file(site_of(FIXTURES / "mini")), ["", "   ", "zzzzzzzz"], tmp_path)
    assert found == {"": [], "   ": [], "zzzzzzzz": []}



def test_the_writing_content_page_states_the_figures_the_code_uses() -> None:
    """The page's Search section says how many results show, where a typo is forgiven and
    where a summary is cut: the same figures as the worker and the index use."""
    page = (ROOT / "templates" / "writing-content.md.j2").read_text(encoding="utf-8")
    section = page[page.index("## Search\n"):page.index("\n## ", page.index("## Search\n"))]
    worker = WORKER.read_text(encoding="utf-8")
    results_max = re.search(r"var RESULTS_MAX = (\d+);", worker)
    fuzzy_from = re.search(r"term\.length >= (\d+) \? 1 : 0", worker)
    assert results_max is not None and fuzzy_from is not None
    assert f"The first {results_max.group(1)} results are listed" in section
    in_words = ["zero", "one", "two", "three", "four", "five"][int(fuzzy_from.group(1))]
    assert f"in a word of {in_words} letters or more" in section
    assert f"cut at {SUMMARY_MAX} characters" in section
