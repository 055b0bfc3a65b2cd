"""Page kind: a type's index (`people/index.md`): a table of its entities."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

from ..dates import PartialDate
from ..model import Entity, Ref
from ..schema import TYPES
from .base import TYPE_LABELS, PageContext, PageSpec, View, date_text, index_path, span_text
from .profile import KIND_VOCABS, field_value
from .site import SiteContext
from .statements import Cell

INDEX_COLUMNS = {
    "person": ("Name", "Nationality", "Roles"),
    "agency": ("Name", "Kind", "Country", "Parent"),
    "domain": ("Name", "Parties", "Period"),
    "event": ("Date", "Event", "Participants"),
    "installation": ("Name", "Kind", "Country", "Status"),
    "country": ("Name", "ISO code"),
    "source": ("Source", "Outlet", "Date", "Kind", "Grade", "Times cited"),
}


@dataclass(frozen=True, eq=False)
class IndexView(View):
    """A type's index page (`index-person.md.j2` is tried first): a table, its header
    `columns`, each row a cell per column, each cell its values."""

    type_: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[tuple[Cell, ...], ...], ...]  # a row of cells, each cell its values


#: the built-in template this kind draws its pages with, and the view it is given
TEMPLATES: dict[str, type[View]] = {"index.md.j2": IndexView}


def pages(site: SiteContext) -> Iterator[PageSpec]:
    for t in TYPES:
        yield PageSpec(index_path(t), (f"index-{t}.md.j2", "index.md.j2"), partial(index_view, type_=t),
                       "type", subject=t, nav=TYPE_LABELS[t][1], group="indexes")


def index_view(site: SiteContext, type_: str) -> IndexView:
    page = site.page(index_path(type_))
    entities = sorted(site.linked.of_type(type_), key=lambda x: (x.name.casefold(), x.id))
    if type_ == "event":
        entities.sort(key=lambda x: (x.date("date") or PartialDate(1), x.id))
    return IndexView(type_, TYPE_LABELS[type_][1], INDEX_COLUMNS[type_],
                     tuple(_index_row(site, e, page) for e in entities))


def _index_row(site: SiteContext, e: Entity, page: PageContext) -> tuple[tuple[Cell, ...], ...]:
    f = e.fields
    own: tuple[Cell, ...] = (page.link(e.id),)

    def refs(name: str) -> tuple[Cell, ...]:
        return tuple(field_value(site, f.get(name, []), "refs", None, page))

    def kind() -> tuple[Cell, ...]:
        return (site.label(KIND_VOCABS[e.type], e.text("kind")),)

    ents = site.linked.entities
    if e.type == "person":
        roles = [r.title + (f" ({ents[r.organization.id].name})"
                            if r.organization and r.organization.id in ents else "")
                 for r in e.roles[:3]]
        return own, refs("nationality"), ("; ".join(roles),)
    if e.type == "agency":
        return own, kind(), refs("country"), refs("parent")
    if e.type == "domain":
        return own, refs("parties"), (span_text(e.date("since"), e.date("until"), bool(f.get("circa"))),)
    if e.type == "event":
        return (date_text(e.date("date"), bool(f.get("circa"))),), own, refs("participants")
    if e.type == "installation":
        return own, kind(), refs("country"), (e.text("status") or "",)
    if e.type == "country":
        return own, (e.text("iso") or "",)
    return (own, outlet(site, e, page), (date_text(e.date("date")),), kind(), (e.text("reliability") or "",),
            (str(len(site.linked.cited_by.get(e.id, []))),))


def outlet(site: SiteContext, source: Entity, page: PageContext) -> tuple[Cell, ...]:
    """The outlet's profile when it has one, else the publisher as text."""
    found = source.fields.get("outlet")
    if isinstance(found, Ref) and found.id in site.linked.entities:
        return (page.link(found.id),)
    return (source.text("publisher") or "",)
