"""Timelines: the SVG drawing (`generator/timeline.py`), a profile's Timeline section, and
the Timeline page, which past TIMELINE_PAGE_MAX entries becomes a page per year."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from generator import timeline as tl
from generator.dates import PartialDate
from generator.pages import timeline

from .conftest import FIXTURES, ContentFactory
from .test_pages import rendered

SVG = "{http://www.w3.org/2000/svg}"


def _timeline_section(page: str) -> str:
    """The text of a profile page's '## Timeline' section, up to the next section."""
    return page.split("## Timeline", 1)[1].split("\n## ", 1)[0]


def _entries(page: str) -> list[str]:
    """The entry cell (third column) of each dated row of a timeline page, in page order."""
    return [line.split("|")[2].strip() for line in page.splitlines() if "dossier-date" in line]


def test_timeline_svg_orders_partial_dates_and_marks_circa() -> None:
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


# --- a profile's Timeline section ---------------------------------------------------------


def test_entity_timeline_lists_events_relations_and_roles_in_date_order() -> None:
    section = _timeline_section(rendered(FIXTURES / "mini")["people/jane-doe.md"])
    rows = [line for line in section.splitlines() if line.startswith("| <span class=\"dossier-date")]
    assert len(rows) == 5
    assert "March 1970" in rows[0] and "Born" in rows[0]
    assert "April 2019" in rows[1] and "Director at [Alpha Service]" in rows[1]
    assert "February 2020" in rows[2] and "Visit in February 2020" in rows[2]
    assert "11 February 2020" in rows[3] and "11 February 2020" in rows[4]


def test_an_event_naming_an_entity_twice_is_one_timeline_row(content: ContentFactory) -> None:
    root = content({
        "content/countries/land.yml": "name: Land\n",
        "content/events/e.yml": "name: Twice\ndate: 2020\nlocation: land\nparticipants: [land]\n"
                                "sources: [src]\n",
    })
    section = _timeline_section(rendered(root)["countries/land.md"])
    assert section.count("Twice") == 1 and 'data-kind="event"' in section


_MET = "Jane Doe](people/jane-doe.md) met with [John Roe"


def _relation_rows(page: str, needle: str) -> list[str]:
    return [line for line in page.splitlines() if 'data-kind="relation"' in line and needle in line]


@pytest.mark.parametrize(("page", "needle", "year_pages"), [
    pytest.param("timeline.md", _MET, False, id="timeline"),
    pytest.param("timeline/2020.md", _MET.replace("](", "](../"), True, id="year-page"),
    pytest.param("people/jane-doe.md", "Met with [John Roe](john-roe.md)", False, id="profile"),
    pytest.param("agencies/alpha-service.md", "Cooperates with [Beta Bureau]", False, id="profile-2018"),
])
def test_relation_rows_carry_status_confidence_and_sources(page: str, needle: str, year_pages: bool,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A timeline dropped the assessment: its relation rows had no status, confidence or
    sources. Each now has its badges, its reference numbers and a References section that
    they point to, and the row says its status as data for the filter bar."""
    if year_pages:
        monkeypatch.setattr(timeline, "TIMELINE_PAGE_MAX", 2)
    text = rendered(FIXTURES / "mini")[page]
    rows = _relation_rows(text, needle)
    assert len(rows) == 1, rows
    row = rows[0]
    status = "alleged" if "Beta" in needle else "reported"
    assert f'data-status="{status}"' in row
    assert f"dossier-status-{status}" in row and "low confidence" in row
    numbers = [int(n) for n in re.findall(r"\[\^(\d+)\]", row.split("</span>", 1)[1])]
    assert numbers, row
    references = text.split("## References", 1)[1]
    cited = {line.split("]", 1)[0] for line in references.splitlines() if "report-2020.md)" in line}
    assert {f"[^{n}" for n in numbers} <= cited


def test_timeline_sources_are_numbered_in_the_order_rows_are_shown(content: ContentFactory) -> None:
    root = content({
        "content/sources/other.yml": "name: Other\ntitle: O\n",
        "content/countries/land.yml": "name: Land\nrelations:\n"
        "  - {type: cooperates-with, target: late, since: 2010, sources: [other]}\n"
        "  - {type: cooperates-with, target: early, since: 2000, sources: [src]}\n",
        "content/countries/late.yml": "name: Late\n",
        "content/countries/early.yml": "name: Early\n",
    })
    rows = _relation_rows(rendered(root)["timeline.md"], "cooperates with")
    assert [re.findall(r"\[\^(\d+)\]", row) for row in rows] == [["1"], ["2"]]
    assert "Early" in rows[0]


def test_events_rows_have_no_status_and_claims_keep_theirs() -> None:
    page = rendered(FIXTURES / "mini")["agencies/alpha-service.md"]
    section = _timeline_section(page)
    claim = next(line for line in section.splitlines() if 'data-kind="claim"' in line)
    assert 'data-status="reported"' in claim and "moderate confidence" in claim and "[^" in claim
    event_rows = [line for line in rendered(FIXTURES / "mini")["timeline.md"].splitlines()
                  if 'data-kind="event"' in line]
    assert event_rows and all('data-status=""' in line and "dossier-badge" not in line for line in event_rows)


@pytest.mark.parametrize(("rows", "bar"), [(3, False), (8, True)])
def test_a_timeline_with_a_choice_gets_a_filter_bar_hidden_until_the_script_shows_it(
        content: ContentFactory, rows: int, bar: bool) -> None:
    """Fewer than FILTER_MIN_ROWS rows: no bar. The bar lists the kinds and statuses its
    rows have, and is `hidden` (without JavaScript it would do nothing)."""
    files = {"content/countries/land.yml": "name: Land\nrelations:\n" + "".join(
        f"  - {{type: cooperates-with, target: o{n}, since: {2000 + n}, status: "
        f"{'reported' if n % 2 else 'confirmed'}, sources: [src]}}\n" for n in range(rows - 1)),
        "content/events/e.yml": "name: E\ndate: 2001\nlocation: land\nsources: [src]\n",
        **{f"content/countries/o{n}.yml": f"name: O{n}\n" for n in range(rows - 1)}}
    pages = rendered(content(files))
    for page in ("countries/land.md", "timeline.md"):
        filters = [line for line in pages[page].splitlines() if "dossier-filter" in line]
        assert len(filters) == (1 if bar else 0), page
        if bar:
            assert filters[0].startswith('<div class="dossier-filter" data-filter="timeline" hidden>')
            assert re.findall(r'<option value="(\w*)">', filters[0]) == [
                "", "event", "relation", "", "confirmed", "reported"]


# --- the Timeline page ---------------------------------------------------------------------


def test_a_long_timeline_gets_a_page_per_year(monkeypatch: pytest.MonkeyPatch) -> None:
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
    assert _entries(short["timeline.md"]) == [
        row.replace("../", "") for y in years for row in _entries(pages[y])]


# --- labels on the timeline picture ----------------------------------------------------------


def _label_boxes(svg: str) -> list[tuple[float, float, float, float, str]]:
    """Each label's box as the drawing estimates it: (left, top, right, bottom, text)."""
    root = etree.fromstring(svg.encode())
    boxes = []
    for t in root.iter(f"{SVG}text"):
        if "dt-label" not in (t.get("class") or ""):
            continue
        w, at, base = tl.text_width(t.text or ""), float(t.get("x")), float(t.get("y"))
        left = at if t.get("text-anchor") == "start" else at - w
        boxes.append((left, base - tl.LABEL_FONT, left + w, base + 3, t.text or ""))
    return boxes


def _overlapping(boxes: list[tuple[float, float, float, float, str]]) -> list[tuple[str, str]]:
    return [(a[4], b[4]) for n, a in enumerate(boxes) for b in boxes[n + 1:]
            if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]]


def _crowd(n: int, days: bool) -> list[tl.Mark]:
    return [tl.Mark(PartialDate(2019, 1 + k % 12, 1 + k % 28) if days else PartialDate(2000 + k % 20),
                    f"Entry number {k} with a longer name than fits", f"e{k}.html") for k in range(n)]


@pytest.mark.parametrize(("n", "days"), [(5, True), (30, True), (60, False), (300, True)])
def test_every_mark_is_labelled_until_the_lanes_run_out_and_no_labels_meet(n: int, days: bool) -> None:
    svg = tl.svg([tl.Band("Events", "event", _crowd(n, days))], "t", "T", "D", width=780)
    boxes = _label_boxes(svg)
    assert _overlapping(boxes) == []
    assert all(b[0] >= 0 and b[2] <= 780 for b in boxes)  # inside the picture
    marks = etree.fromstring(svg.encode()).findall(f".//{SVG}a")
    assert len(marks) == n
    if n <= tl.MAX_LANES:
        assert len(boxes) == n
    # a bounded picture: at most MAX_LANES lanes, whatever the number of marks
    height = float(etree.fromstring(svg.encode()).get("viewBox").split()[3])
    assert height <= 8 + tl.MAX_LANES * 15 + 14 + 28


@pytest.mark.parametrize(("text", "room", "shown"), [
    pytest.param("Short", 200, "Short", id="fits"),
    pytest.param("Russia–Venezuela agreement on protecting classified information", 200,
                 "Russia–Venezuela agreement on…", id="cut-at-a-word"),
    pytest.param("Одинслишкомдлинныйзаголовокбезпробелов", 100, "Одинслишкомдл…", id="cut-in-a-word"),
    pytest.param("情报情报情报情报情报情报情报情报情报", 60, "情报情报…", id="wide-characters"),
])
def test_a_long_label_is_cut_with_an_ellipsis_to_its_room(text: str, room: float, shown: str) -> None:
    assert tl.fitted(text, room) == shown
    assert tl.text_width(tl.fitted(text, room)) <= room


def test_cutting_a_long_name_reads_only_what_fits(monkeypatch: pytest.MonkeyPatch) -> None:
    """A name may be very long: cutting it looks at the characters that fit (and a few
    more), not at the whole name once per character removed."""
    read: list[str] = []
    measure = tl.unicodedata.east_asian_width  # asked of every plain letter measured
    monkeypatch.setattr(tl.unicodedata, "east_asian_width", lambda ch: read.append(ch) or measure(ch))
    assert tl.fitted("x" * 100_000, tl.LABEL_MAX).endswith("…")
    assert 0 < len(read) < 100


def test_a_label_is_text_escaped_and_the_mark_keeps_its_whole_name() -> None:
    name = '<script>alert("x")</script> & [x](javascript:y)'
    svg = tl.svg([tl.Band("Events", "event", [tl.Mark(PartialDate(2020), name, "e.html")])], "t", "T", "D")
    root = etree.fromstring(svg.encode())  # well-formed: nothing broke out of the text
    label = next(t for t in root.iter(f"{SVG}text") if t.get("class") == "dt-label")
    assert label.text and "<script>" not in svg
    assert root.find(f".//{SVG}a").get("aria-label").endswith(name)


@pytest.mark.parametrize(("first", "last", "labelled"), [(2000, 2020, True), (1000, 2020, False)])
def test_histogram_bars_carry_their_counts_where_they_fit(first: int, last: int, labelled: bool) -> None:
    counts = tl.Counts("Events", "event", {first: 12, last: 3}, ("event", "events"))
    svg = tl.histogram([counts], {first: "a.html", last: "b.html"}, "h", "T", "D", width=780)
    root = etree.fromstring(svg.encode())
    shown = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "dt-count"]
    assert shown == (["12", "3"] if labelled else [])
