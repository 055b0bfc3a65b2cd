"""Tables and timelines of the default dossier as a reader uses them (issue 13, items 5-6).

Profiles' tables fit a phone; index tables sort (a date column by date) and filter;
a timeline filters by kind of entry and status; the timeline picture's labels never
meet. Each is done as a reader would (clicks, keys, a phone's viewport) in Chromium, and
every test checks that no request left 127.0.0.1 and no console error occurred.

Before: relation tables were 445-515 px wide in a 390 px screen; nothing sorted or
filtered; the timeline picture had no labels.
"""

from __future__ import annotations

import pytest

from .conftest import AXE, Served

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

#: the profiles with the widest tables: many relations with notes, roles, a long URL
WIDE_PROFILES = ["countries/russia.html", "countries/venezuela.html", "people/nicolas-maduro.html",
                 "people/miguel-rodriguez-torres.html", "agencies/fsb.html", "sources/seed-article.html",
                 "events/venezuelan-crisis-2018-2019.html"]

# Runs in the page: each table of the article wider than the article's column, or
# scrolling inside itself.
OVERFLOWING = """() => {
  const article = document.querySelector('article');
  const column = article.clientWidth;
  return [...article.querySelectorAll('table')].map(t => {
    const box = t.getBoundingClientRect(), art = article.getBoundingClientRect();
    return {head: t.rows[0].textContent.trim().slice(0, 40), scroll: t.scrollWidth, client: t.clientWidth,
            right: box.right - art.right, column};
  }).filter(t => t.scroll > t.client || t.scroll > t.column || t.right > 0.5);
}"""

# Runs in the page: the pairs of text boxes of the timeline picture that intersect.
MEETING_LABELS = """() => {
  const hit = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 &&
                        a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
  const texts = [...document.querySelectorAll('article svg.dossier-timeline text')]
    .map(t => ({text: t.textContent, r: t.getBoundingClientRect()})).filter(t => t.r.width > 0);
  const found = [];
  texts.forEach((a, i) => texts.slice(i + 1).forEach(b => {
    if (hit(a.r, b.r)) found.push([a.text, b.text]);
  }));
  return {labels: document.querySelectorAll('article svg.dossier-timeline .dt-label').length,
          marks: document.querySelectorAll('article svg.dossier-timeline a').length, found};
}"""


def _sort_keys(pg, column: int) -> list[str]:  # type: ignore[no-untyped-def]
    return pg.locator(f"article tbody tr td:nth-child({column}) [data-sort]").evaluate_all(
        "els => els.map(e => e.dataset.sort)")


def _visible_rows(pg) -> int:  # type: ignore[no-untyped-def]
    return pg.locator("article tbody tr:visible").count()


@pytest.mark.parametrize("profile", WIDE_PROFILES)
def test_no_table_of_a_profile_overflows_a_phone(default_site: Served, page, profile: str) -> None:
    pg, watch = page
    pg.set_viewport_size(PHONE)
    pg.goto(default_site.url + profile)
    assert pg.locator("article table").count() > 0
    assert pg.evaluate(OVERFLOWING) == []
    # the page itself does not scroll sideways either
    assert pg.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    watch.check()


@pytest.mark.parametrize(("index", "heading", "column"), [
    pytest.param("events/index.html", "Date", 1, id="events"),
    pytest.param("sources/index.html", "Date", 3, id="sources"),
    pytest.param("domains/index.html", "Period", 3, id="domains-period"),
])
def test_sorting_an_index_by_a_date_column_orders_by_date(default_site: Served, page, index: str,
                                                          heading: str, column: int) -> None:
    """By the ISO date (`data-sort`), a partial date before the dates inside it; undated
    rows last both ways. Text order would put "11 February 2020" before "2019"."""
    pg, watch = page
    pg.goto(default_site.url + index)
    header = pg.locator("article th", has=pg.locator("button", has_text=heading))
    button = header.locator("button")
    button.click()
    assert header.get_attribute("aria-sort") == "ascending"
    keys = _sort_keys(pg, column)
    dated = [k for k in keys if k]
    assert dated == sorted(dated) and keys == dated + [""] * (len(keys) - len(dated))
    button.click()
    assert header.get_attribute("aria-sort") == "descending"
    keys = _sort_keys(pg, column)
    assert [k for k in keys if k] == sorted(dated, reverse=True) and keys[len(dated):] == [""] * (
        len(keys) - len(dated))
    assert pg.locator("article th[aria-sort]").count() == 1
    watch.check()


def test_sorting_by_text_and_by_number(default_site: Served, page) -> None:
    pg, watch = page
    pg.goto(default_site.url + "sources/index.html")
    pg.locator("article th button", has_text="Times cited").click()
    cited = [int(t) for t in pg.locator("article tbody tr td:nth-child(6)").all_inner_texts()]
    assert cited == sorted(cited) and cited[0] < cited[-1]
    pg.goto(default_site.url + "people/index.html")
    pg.locator("article th button", has_text="Name").click()
    pg.locator("article th button", has_text="Name").click()
    names = pg.locator("article tbody tr td:nth-child(1)").all_inner_texts()
    assert names == sorted(names, key=str.casefold, reverse=True)
    watch.check()


@pytest.mark.parametrize(("index", "words", "expected"), [
    pytest.param("people/index.html", "chavez", "Hugo Chávez", id="accents-folded"),
    pytest.param("people/index.html", "PATRUSHEV", "Nikolai Patrushev", id="any-case"),
    pytest.param("events/index.html", "glonass 2022", "Agreement to open a GLONASS", id="every-word"),
])
def test_filtering_an_index_narrows_its_rows(default_site: Served, page, index: str, words: str,
                                             expected: str) -> None:
    pg, watch = page
    pg.goto(default_site.url + index)
    total = _visible_rows(pg)
    box = pg.get_by_label("Filter")
    box.fill(words)
    shown = pg.locator("article tbody tr:visible")
    assert 0 < shown.count() < total
    assert any(expected in t for t in shown.all_inner_texts())
    count = pg.locator("article .dossier-filter output").inner_text()
    assert count == f"{shown.count()} of {total} rows shown"
    box.fill("")
    assert _visible_rows(pg) == total
    watch.check()


def _timeline_rows(pg) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    return pg.locator("article tr:visible .dossier-date").evaluate_all(
        "els => els.map(e => ({kind: e.dataset.kind, status: e.dataset.status}))")


@pytest.mark.parametrize(("path", "kind", "status"), [
    pytest.param("timeline.html", "relation", "", id="timeline-relations"),
    pytest.param("timeline.html", "event", "", id="timeline-events"),
    pytest.param("timeline.html", "", "confirmed", id="timeline-confirmed"),
    pytest.param("countries/russia.html", "claim", "reported", id="profile"),
])
def test_a_timeline_filter_by_kind_and_status_hides_the_others(default_site: Served, page, path: str,
                                                              kind: str, status: str) -> None:
    pg, watch = page
    pg.goto(default_site.url + path)
    everything = _timeline_rows(pg)
    pg.locator("select[data-filter-key=kind]").select_option(kind)
    pg.locator("select[data-filter-key=status]").select_option(status)
    shown = _timeline_rows(pg)
    expected = [r for r in everything if kind in ("", r["kind"]) and status in ("", r["status"])]
    assert shown == expected and 0 < len(shown) < len(everything)
    if path == "timeline.html":  # a year whose rows are all hidden hides its heading
        years = [y for y in pg.locator("article h2:visible").all_inner_texts() if y.isdigit()]
        dates = pg.locator("article tr:visible .dossier-date").evaluate_all(
            "els => els.map(e => e.dataset.date)")
        assert years == sorted({d[:4] for d in dates})
    watch.check()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_timeline_picture_labels_never_meet(default_site: Served, page, viewport: dict[str, int]) -> None:
    pg, watch = page
    pg.set_viewport_size(viewport)
    pg.goto(default_site.url + "timeline.html")
    found = pg.evaluate(MEETING_LABELS)
    assert found["found"] == [] and found["labels"] == found["marks"] > 0
    font = pg.evaluate("""() => { const t = document.querySelector('article svg.dossier-timeline .dt-label');
      return parseFloat(getComputedStyle(t).fontSize) * t.closest('svg').getScreenCTM().a; }""")
    assert font >= (9 if viewport is DESKTOP else 10.5)
    watch.check()


def test_sorting_and_filtering_by_keyboard(default_site: Served, page) -> None:
    pg, watch = page
    pg.goto(default_site.url + "events/index.html")
    box = pg.get_by_label("Filter")
    box.focus()
    pg.keyboard.type("venezuela")
    assert pg.locator("article tbody tr:visible").count() < pg.locator("article tbody tr").count()
    pg.keyboard.press("Tab")  # from the box to the first heading's button
    assert pg.evaluate("document.activeElement.classList.contains('dossier-sort')")
    pg.keyboard.press("Enter")
    assert pg.locator("article th").first.get_attribute("aria-sort") == "ascending"
    pg.keyboard.press("Space")
    assert pg.locator("article th").first.get_attribute("aria-sort") == "descending"
    pg.goto(default_site.url + "timeline.html")
    pg.locator("select[data-filter-key=kind]").focus()
    pg.keyboard.press("ArrowDown")  # a closed select changes its choice with the arrows
    assert {r["kind"] for r in _timeline_rows(pg)} == {"event"}
    watch.check()


@pytest.mark.parametrize("path", ["events/index.html", "timeline.html", "countries/russia.html"])
def test_without_javascript_every_row_shows_and_no_control_does_nothing(browser, default_site: Served,
                                                                        path: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        pg = context.new_page()
        pg.goto(default_site.url + path)
        bars = pg.locator("article .dossier-filter")
        assert bars.count() == 1 and not bars.first.is_visible()
        assert pg.locator("article tbody tr:visible").count() == pg.locator("article tbody tr").count()
        assert pg.locator("article th button").count() == 0
    finally:
        context.close()


def test_print_shows_every_row_and_no_controls(default_site: Served, page) -> None:
    pg, watch = page
    pg.goto(default_site.url + "timeline.html")
    pg.locator("select[data-filter-key=kind]").select_option("relation")
    assert pg.locator("article tbody tr:visible").count() < pg.locator("article tbody tr").count()
    pg.emulate_media(media="print")
    assert not pg.locator("article .dossier-filter").is_visible()
    assert pg.locator("article tbody tr:visible").count() == pg.locator("article tbody tr").count()
    watch.check()


def test_sorting_works_from_disk(default_site: Served, page) -> None:
    pg, watch = page
    pg.goto((default_site.root / "events" / "index.html").as_uri())
    pg.locator("article th button", has_text="Date").click()
    pg.locator("article th button", has_text="Date").click()
    keys = [k for k in _sort_keys(pg, 1) if k]
    assert keys == sorted(keys, reverse=True)
    watch.check()


@pytest.mark.skipif(not AXE.is_file(), reason="axe-core is installed by `make test` (npm)")
@pytest.mark.parametrize(("path", "viewport"), [
    pytest.param("events/index.html", DESKTOP, id="index"),
    pytest.param("timeline.html", DESKTOP, id="timeline"),
    pytest.param("countries/russia.html", PHONE, id="profile-phone"),
])
def test_axe_finds_no_serious_problem_in_sortable_tables_and_filters(default_site: Served, page, path: str,
                                                                      viewport: dict[str, int]) -> None:
    pg, watch = page
    pg.set_viewport_size(viewport)
    pg.goto(default_site.url + path)
    if path == "events/index.html":
        pg.locator("article th button", has_text="Date").click()
        pg.get_by_label("Filter").fill("venezuela")
    pg.add_script_tag(path=str(AXE))
    found = pg.evaluate("async () => (await axe.run(document)).violations"
                        ".map(v => [v.id, v.impact, v.nodes.length, v.nodes[0].target])")
    assert [v for v in found if v[1] in ("serious", "critical")] == []
    watch.check()
