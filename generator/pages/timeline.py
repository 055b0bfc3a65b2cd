"""Page kind: the dossier's timeline (`timeline.md`), and past TIMELINE_PAGE_MAX
entries a page per year (`timeline/<year>.md`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

from markupsafe import Markup

from .. import timeline as tl
from ..escape import md_text
from .base import Citations, Link, PageContext, PageSpec, Reference, View, html_href, md_link
from .dated import Dated, TimelineEntry, TimelineFilter, dated_items, timeline_filter
from .pictures import timeline_bands_svg
from .site import SiteContext

TIMELINE_PAGE_MAX = 400  # entries on the one timeline page; past it, a page per year
Years = tuple[tuple[int, tuple[TimelineEntry, ...]], ...]
ItemsByYear = tuple[tuple[int, tuple[Dated, ...]], ...]


@dataclass(frozen=True, eq=False)
class Period(View):
    year: Link
    events: int
    relations: int


@dataclass(frozen=True, eq=False)
class TimelineView(View):
    """The timeline page: its entries by year while short, else a table of years."""

    title: str
    years: Years  # the entries by year (a short timeline), else ()
    periods: tuple[Period, ...]  # a year's counts and page (a long timeline), else ()
    svg: Markup | None
    events: int
    relations: int
    filter: TimelineFilter | None  # the filter bar over the entries (a short timeline)
    references: tuple[Reference, ...]  # the relations' sources


@dataclass(frozen=True, eq=False)
class YearView(View):
    """One year's page of a long timeline."""

    title: str
    year: int
    entries: tuple[TimelineEntry, ...]
    timeline: Link
    before: Link | None
    after: Link | None
    filter: TimelineFilter | None
    references: tuple[Reference, ...]


def timeline_year_path(year: int) -> str:
    return f"timeline/{year:04d}.md"


#: the built-in templates this kind draws its pages with, and the views they are given
TEMPLATES: dict[str, type[View]] = {"timeline.md.j2": TimelineView, "timeline-year.md.j2": YearView}


def pages(site: SiteContext) -> Iterator[PageSpec]:
    """One page while the timeline is short (TIMELINE_PAGE_MAX entries). Past that, the
    page keeps a picture of entries per year (each bar a link) and a table of years,
    and each year gets a page of its own: no page grows with the dossier, and an edit
    rebuilds only the years it touches."""
    yield PageSpec("timeline.md", ("timeline.md.j2",), timeline_view, "dossier", nav="Timeline",
                   group="timeline")
    if len(dated_items(site)) > TIMELINE_PAGE_MAX:
        for year, _ in _year_items(site):
            yield PageSpec(timeline_year_path(year), ("timeline-year.md.j2",), partial(year_view, year=year),
                           "dossier", group="timeline")


def _dossier_timeline(site: SiteContext, items: list[Dated] | tuple[Dated, ...], page: PageContext,
                      cites: Citations) -> list[TimelineEntry]:
    """The timeline's rows, in date order, linked from `page`: a relation with its status,
    confidence and sources, numbered on `page` in the order the rows are shown.

    Sorted by the items' own dates and subjects' names, which is each row's `sort_key` (its
    label is empty, its link's text the subject's name), so that each row is made once, with
    its numbers: made, sorted, then copied with `dataclasses.replace` to add them, the rows
    of the 30 year pages at 10,000 entities cost 0.6 s more."""
    ents = site.linked.entities
    rows = sorted(items, key=lambda i: (i.start, i.end or i.start, "", ents[i.subject].name))
    return [_entry(i, page, cites.cite(i.relation.sources) if i.relation else ()) for i in rows]


def _entry(i: Dated, page: PageContext, numbers: tuple[int, ...]) -> TimelineEntry:
    text: Markup | str = ""
    if i.object is not None:
        text = md_text(i.label) + Markup(" ") + md_link(page.link(i.object))
    r = i.relation
    return TimelineEntry(i.start, i.end, i.circa, "", page.link(i.subject), kind=i.kind, text=text,
                         status=r.status if r else None, confidence=r.confidence if r else None,
                         cites=numbers)


def _by_year(entries: list[TimelineEntry]) -> Years:
    years: dict[int, list[TimelineEntry]] = defaultdict(list)
    for t in entries:
        years[t.date.year].append(t)
    return tuple((year, tuple(rows)) for year, rows in sorted(years.items()))


def _year_items(site: SiteContext) -> ItemsByYear:
    """Every year's dated items, grouped once; each year page makes its own rows, since
    the reference numbers of the relations' sources are the page's."""
    def compute() -> ItemsByYear:
        years: dict[int, list[Dated]] = defaultdict(list)
        for i in dated_items(site):
            years[i.start.year].append(i)
        return tuple((year, tuple(items)) for year, items in sorted(years.items()))
    return site.remembered("timeline-years", compute)


def _counts(items: list[Dated]) -> dict[str, dict[int, int]]:
    counts: dict[str, dict[int, int]] = {"event": defaultdict(int), "relation": defaultdict(int)}
    for i in items:
        counts[i.kind][i.start.year] += 1
    return counts


def timeline_view(site: SiteContext) -> TimelineView:
    page = site.page("timeline.md")
    items = dated_items(site)
    counts = _counts(items)
    events, relations = sum(counts["event"].values()), sum(counts["relation"].values())
    if len(items) <= TIMELINE_PAGE_MAX:
        cites = Citations(page)
        entries = _dossier_timeline(site, items, page, cites)
        return TimelineView("Timeline", _by_year(entries), (), _bands_svg(site, items, page), events,
                            relations, timeline_filter(site, entries), cites.references())
    years = _year_items(site)
    periods = tuple(Period(Link(str(year), page.href(timeline_year_path(year))),
                           counts["event"][year], counts["relation"][year]) for year, _ in years)
    picture = tl.histogram(
        [b for b in (tl.Counts("Events", "event", counts["event"], ("event", "events")),
                     tl.Counts("Relations", "relation", counts["relation"],
                               ("dated relation", "dated relations"))) if any(b.per_year.values())],
        {year: page.href(timeline_year_path(year))[: -len(".md")] + ".html" for year, _ in years},
        "dt-all", "Timeline of the dossier, entries per year", width=780,
        desc=f"{events} events and {relations} dated relations, counted "
             "per year on a year axis: the taller the bar, the more entries. Each bar links "
             "to its year's page.")
    svg = Markup(f'<div class="dossier-graph">{picture}</div>') if picture else None
    return TimelineView("Timeline", (), periods, svg, events, relations, None, ())


def year_view(site: SiteContext, year: int) -> YearView:
    years = _year_items(site)
    here = site.page(timeline_year_path(year))
    n = [y for y, _ in years].index(year)
    before = years[n - 1][0] if n > 0 else None
    after = years[n + 1][0] if n + 1 < len(years) else None
    cites = Citations(here)
    entries = tuple(_dossier_timeline(site, years[n][1], here, cites))
    return YearView(f"Timeline: {year}", year, entries, Link("Timeline", here.href("timeline.md")),
                    Link(str(before), here.href(timeline_year_path(before))) if before else None,
                    Link(str(after), here.href(timeline_year_path(after))) if after else None,
                    timeline_filter(site, entries), cites.references())


def _bands_svg(site: SiteContext, items: list[Dated], page: PageContext) -> Markup | None:
    """The picture of a short timeline: a mark per event and dated relation."""
    ents = site.linked.entities
    marks: dict[str, list[tl.Mark]] = {"event": [], "relation": []}
    for i in items:
        subject = ents[i.subject]
        text = subject.name if i.object is None else f"{subject.name} {i.label} {ents[i.object].name}"
        marks[i.kind].append(tl.Mark(i.start, text, html_href(page, subject), i.circa, i.end))
    bands = [tl.Band("Events", "event", marks["event"]), tl.Band("Relations", "relation", marks["relation"])]
    return timeline_bands_svg(bands, len(marks["event"]), len(marks["relation"]))
