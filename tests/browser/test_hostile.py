"""Hostile content in a real browser: no dialog, no injected element, handler or script.

The fixture `tests/fixtures/hostile` puts script tags, event handlers,
`javascript:` links, attribute break-outs, `</title>` and JSON-breaking quotes
in every field. The built site is opened from disk in headless Chromium (the
way a reader opens it offline); every page is loaded, then the search is run
with a hostile query, and the live DOM is inspected after the theme's scripts
have run.
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
# The generator's own pictures (network, timeline, legend swatches) are the only SVG allowed.
DANGEROUS_IN_ARTICLE = ("script, iframe, object, embed, img, "
                        "svg:not(.dossier-network, .dossier-timeline, .dossier-legend svg), "
                        "form, input, button, textarea, "
                        "select, video, audio, source, details, math, base, style, marquee, meta, "
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
    } else if (s.id !== '__config' && !allowedInline.some(p => s.textContent.startsWith(p))) {
      found.push(`inline script ${s.textContent.slice(0, 60)}`);
    }
  }
  for (const el of document.querySelectorAll('article :is(DANGEROUS):not(.md-search-result__more)'))
    found.push(`element ${el.outerHTML.slice(0, 80)}`);
  if (window.__pwned) found.push('window.__pwned');
  return found;
}""".replace("DANGEROUS", DANGEROUS_IN_ARTICLE)


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


def _open(browser, url: str):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
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
