"""Page kind: the home page (`index.md`): the dossier's summary, key judgments, open
questions, counts, recent events and a picture of its best connected entities."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from markupsafe import Markup

from ..dates import PartialDate
from ..model import DossierInfo
from ..schema import TYPES
from .base import TYPE_LABELS, Citations, Link, PageSpec, Reference, View, date_text, index_path
from .pictures import network_svg
from .site import SiteContext
from .statements import ClaimView, claim_view

RECENT_EVENTS = 8
HOME_NETWORK_NODES = 40


@dataclass(frozen=True, eq=False)
class QuestionView(View):
    text: Markup | None
    note: Markup | None
    related: tuple[Link, ...]


@dataclass(frozen=True, eq=False)
class RecentEvent(View):
    when: str
    event: Link


@dataclass(frozen=True, eq=False)
class HomeView(View):
    """The home page."""

    dossier: DossierInfo
    summary: Markup | None
    judgments: tuple[ClaimView, ...]
    questions: tuple[QuestionView, ...]
    counts: tuple[tuple[str, int, str], ...]  # (type's plural, how many, its index)
    general_sources: tuple[int, ...]
    references: tuple[Reference, ...]
    recent: tuple[RecentEvent, ...]
    network: Markup | None
    links: Mapping[str, str]  # the site-wide pages (nav title → href)


#: the built-in template this kind draws its pages with, and the view it is given
TEMPLATES: dict[str, type[View]] = {"home.md.j2": HomeView}


def pages(site: SiteContext) -> Iterator[PageSpec]:
    yield PageSpec("index.md", ("home.md.j2",), home_view, "dossier", nav="Home", group="indexes")


def home_view(site: SiteContext) -> HomeView:
    from . import navigation  # the list of pages, which holds this one

    page = site.page("index.md")
    linked = site.linked
    d = linked.dossier
    cites = Citations(page)
    judgments = tuple(claim_view(site, c, page, cites) for c in d.key_judgments)
    questions = tuple(QuestionView(page.prose(q.text, inline=True), page.prose(q.note, inline=True),
                                   tuple(page.link(r.id) for r in q.related)) for q in d.questions)
    counts = tuple((TYPE_LABELS[t][1], len(linked.of_type(t)), page.href(index_path(t))) for t in TYPES)
    events = sorted(linked.of_type("event"), key=lambda x: (x.date("date") or PartialDate(1), x.id),
                    reverse=True)
    recent = tuple(RecentEvent(date_text(x.date("date"), bool(x.fields.get("circa"))), page.link(x.id))
                   for x in events[:RECENT_EVENTS])
    shown = site.graph.best_connected(HOME_NETWORK_NODES, among=site.drawn_ids())
    network = network_svg(site, shown, page, "dg-home", "The dossier's best connected entities",
                          edge_labels=False)
    views = {spec.nav: page.href(spec.path) for spec in navigation(site)
             if spec.scope == "dossier" and spec.path != "index.md" and spec.nav}
    return HomeView(d, page.prose(d.summary), judgments, questions, counts,
                    cites.cite(d.sources), cites.references(), recent, network,
                    MappingProxyType(views))
