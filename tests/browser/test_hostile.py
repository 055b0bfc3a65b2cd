"""Hostile content in a real browser: no dialog, no injected element, handler or script.

The fixture `tests/fixtures/hostile` puts script tags, event handlers,
`javascript:` links, attribute break-outs, `</title>` and JSON-breaking quotes
in every field, and link syntax inside link titles and addresses in every prose
field (`people/evil-prose.yml` and the rest: a title that became a second, live
`<a ... onfocus=...>` on page load, issue 11 item 3). The built site is opened
from disk in headless Chromium (the way a reader opens it offline); every page is
loaded, then the search is run with a hostile query, and the live DOM is
inspected after the theme's scripts have run. `alert` and its kin are replaced
before any script runs, so a call is recorded even when no dialog would show.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.cli import main

from ..conftest import FIXTURES

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore::DeprecationWarning")]
CHROMIUM = "/usr/bin/chromium"
THEME_INLINE_SCRIPTS = ("__md_scope=", "var palette=", "var target=")
#: inline data (JSON, never run) the generator puts in a page, by id: a page's previews
DATA_ELEMENTS = ("dossier-previews",)
# The generator's own pictures (network, timeline, legend swatches) are the only SVG allowed,
# and its own controls the only form elements: a table's filter bar and sort buttons (tables.js),
# the Explore button beside a network picture (explorer.js).
DANGEROUS_IN_ARTICLE = ("script, iframe, object, embed, img, "
                        "svg:not(.dossier-network, .dossier-timeline, .dossier-legend svg), "
                        "form, input:not(.dossier-filter > label > input[type=search]), "
                        "button:not(th > button.dossier-sort, p.dx-launch > button.dx-open), textarea, "
                        "select:not(.dossier-filter > label > select), "
                        "video, audio, source, details, math, base, style, marquee, meta, "
                        "link, frame, frameset, applet, template")

# Runs in the page: everything content could have injected, as a list of findings.
INSPECT = """(allowedInline) => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(/[\\s\\u0000-\\u001f]+/g, '').toLowerCase();
      if (name.startsWith('on')) found.push(`handler ${el.tagName} ${name}`);
      if (/^(javascript|vbscript|data):/.test(value) &&
          ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'srcdoc', 'poster'].includes(name))
        found.push(`url ${el.tagName} ${name}=${attr.value.slice(0, 60)}`);
    }
  }
  for (const s of document.querySelectorAll('script')) {
    const src = s.getAttribute('src');
    if (src !== null) {
      if (!src.includes('assets/javascripts/') && !/search\\/search_index\\.js$/.test(src))
        found.push(`script src=${src}`);
    } else if (s.type === 'application/json' && DATA_ELEMENTS.includes(s.id)) {
      try { JSON.parse(s.textContent); } catch (e) { found.push(`data ${s.id} is not JSON`); }
    } else if (s.id !== '__config' && !allowedInline.some(p => s.textContent.startsWith(p))) {
      found.push(`inline script ${s.textContent.slice(0, 60)}`);
    }
  }
  for (const el of document.querySelectorAll('article :is(DANGEROUS):not(.md-search-result__more, '
                                             + 'script[type="application/json"]:is(#DATA_ID))'))
    found.push(`element ${el.outerHTML.slice(0, 80)}`);
  if (window.__pwned) found.push('window.__pwned');
  if (window.__calls && window.__calls.length) found.push(`called ${window.__calls.join(', ')}`);
  return found;
}""".replace("DANGEROUS", DANGEROUS_IN_ARTICLE).replace("DATA_ELEMENTS", repr(list(DATA_ELEMENTS))) \
    .replace("DATA_ID", ", #".join(DATA_ELEMENTS))


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("hostile") / "site"
    assert main(["build", "--content", str(FIXTURES / "hostile"), "--site-dir", str(site)]) == 0
    return site


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (make browser-deps)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-background-networking", "--disable-component-update"])
        yield b
        b.close()


#: runs before the page's own scripts: what content could call, recorded
HOOKS = """window.__calls = [];
for (const name of ['alert', 'confirm', 'prompt', 'print', 'open'])
  window[name] = (...args) => { window.__calls.push(`${name}(${args.join(',')})`); };"""
#: the Markdown links every prose field of the fixture holds: text → (address, title)
PAYLOAD_LINKS = {"payload link": ("https://example.org/a|b",
                                  "[b](y autofocus onfocus=window.__pwned=1;alert(61)//)"),
                 "footnote title": ("https://example.org", "[^1] {: onclick=alert(62) }")}


def _open(browser, url: str):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.add_init_script(HOOKS)
    dialogs: list[str] = []

    def on_dialog(d):  # type: ignore[no-untyped-def]
        dialogs.append(f"{d.type}: {d.message}")
        d.dismiss()

    page.on("dialog", on_dialog)
    page.goto(url, wait_until="load")
    page.wait_for_timeout(150)  # let the theme's scripts and any payload run
    return page, dialogs


def test_every_page_is_inert(hostile_site, browser):
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) >= 15
    problems: dict[str, list[str]] = {}
    page, dialogs = _open(browser, "about:blank")
    for path in pages:
        page.goto(path.as_uri(), wait_until="load")
        page.wait_for_timeout(100)  # let the theme's scripts and any payload run
        found = dialogs + page.evaluate(INSPECT, list(THEME_INLINE_SCRIPTS))
        dialogs.clear()
        if path.name == "evil-person.html":
            heading = page.inner_text("article h1")
        if found:
            problems[path.relative_to(hostile_site).as_posix()] = found
    page.close()
    assert problems == {}
    assert "<script>alert('name')</script>" in heading  # the hostile text is there, as text


def test_page_title_and_description_stay_text(hostile_site, browser):
    page, dialogs = _open(browser, (hostile_site / "people" / "evil-person.html").as_uri())
    assert page.title().startswith("Evil</title><script>alert('name')</script>\"><svg onload")
    description = page.get_attribute("meta[name=description]", "content")
    assert description == "Sub\" onmouseover=\"alert(2)\"><img src=x onerror=alert(3)>';alert(4)//"
    assert dialogs == []
    page.close()


@pytest.mark.parametrize("query", ["evil", "onerror", "<img src=x onerror=alert(99)>"])
def test_search_results_for_a_hostile_query_are_inert(hostile_site, browser, query):
    page, dialogs = _open(browser, (hostile_site / "index.html").as_uri())
    page.keyboard.press("/")  # Material's shortcut: opens the search dialog
    page.locator("input.md-search__input").press_sequentially(query, delay=20)
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    page.wait_for_timeout(300)
    items = page.locator(".md-search-result__item").count()
    found = dialogs + page.evaluate(INSPECT.replace("article :is", ".md-search-result :is"),
                                    list(THEME_INLINE_SCRIPTS))
    page.close()
    assert items > 0
    assert found == []


# Runs in the page: the fixture's payload links as the reader gets them, how often the text
# of its raw <a> shows (Python-Markdown reads the link syntax in that tag's title before
# the tag: it comes out as text and an inert link), and every table row whose cells do not
# match its header.
PAYLOADS = """() => ({
  links: [...document.querySelectorAll('article a')]
    .filter(a => ['payload link', 'footnote title'].includes(a.textContent))
    .map(a => [a.textContent, a.getAttribute('href'), a.getAttribute('title'), a.checkVisibility()]),
  raw: document.querySelector('article').innerText.split('raw link').length - 1,
  torn: [...document.querySelectorAll('article table')].flatMap(t => [...t.tBodies[0].rows]
    .filter(r => r.cells.length !== t.tHead.rows[0].cells.length).map(r => r.textContent.slice(0, 80))),
})"""


@pytest.mark.parametrize(("path", "fields"), [
    ("people/evil-prose.html", 7),  # summary, note, role, relation, claim text and note, timeline
    ("index.html", 5),  # summary, key judgment text and note, open question text and note
    ("sources/evil-notes.html", 1),
    ("events/evil-prose-event.html", 1),
])
def test_prose_payloads_stay_one_inert_link_each(hostile_site, browser, path, fields):
    page, dialogs = _open(browser, (hostile_site / path).as_uri())
    found = page.evaluate(PAYLOADS)
    problems = dialogs + page.evaluate(INSPECT, list(THEME_INLINE_SCRIPTS))
    page.close()
    assert problems == []
    assert found["torn"] == []  # a | in a cell's prose split no row
    expected = sorted((text, *PAYLOAD_LINKS[text], True) for text in PAYLOAD_LINKS for _ in range(fields))
    assert sorted(map(tuple, found["links"])) == expected  # shown, with the title as written
    assert found["raw"] == fields
