"""Page kind: an entity's profile (`people/<id>.md`): badges, infobox, relations both
ways, claims, numbered references, its own timeline and a picture of its direct links."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from markupsafe import Markup

from ..dates import PartialDate
from ..escape import md_text
from ..link import DOSSIER_ID
from ..model import Entity, Ref, Role
from ..types import TYPE_SPECS
from .base import (
    TYPE_LABELS,
    Citations,
    Link,
    PageContext,
    PageSpec,
    Reference,
    View,
    index_path,
    page_path,
)
from .changes import ChangeRow, entity_changes
from .dated import TimelineEntry, TimelineFilter, period, timeline_filter
from .pictures import network_svg
from .site import SiteContext
from .statements import (
    BackrefRow,
    Cell,
    ClaimView,
    Group,
    RelationRow,
    RoleRow,
    Row,
    backref_groups,
    claim_view,
    relation_rows,
    role_row,
)

EGO_MAX = 24  # neighbours drawn on a profile's network picture

__all__ = ["BackrefRow", "ClaimView", "EgoNetwork", "Group", "ProfileView", "RelationRow",
           "RoleRow", "Row", "pages"]


@dataclass(frozen=True, eq=False)
class EgoNetwork(View):
    svg: Markup | None
    shown: int
    more: int
    network: Link


@dataclass(frozen=True, eq=False)
class ProfileView(View):
    """An entity's profile page (a type's own template, such as `person.md.j2`, is tried first)."""

    entity: Entity
    type_label: str
    kind_label: str | None
    index: Link
    summary: Markup | None
    note: Markup | None
    infobox: tuple[Row, ...]
    roles: tuple[RoleRow, ...]
    relations: tuple[RelationRow, ...]  # one table, the relation a column
    backrefs: tuple[Group, ...]
    claims: tuple[ClaimView, ...]
    general_sources: tuple[int, ...]
    mentioned_in: tuple[Link, ...]
    cited_by: tuple[Link, ...]
    questions: tuple[Markup | None, ...]
    tags: tuple[Link, ...]
    timeline: tuple[TimelineEntry, ...]
    timeline_filter: TimelineFilter | None  # its filter bar; None when there is no choice
    network: EgoNetwork | None
    history: tuple[ChangeRow, ...]  # its file's commits, newest first (`changes`); () without git
    history_earlier: int  # older commits left out
    references: tuple[Reference, ...]


#: the built-in template this kind draws its pages with, and the view it is given
TEMPLATES: dict[str, type[View]] = {"entity.md.j2": ProfileView}


def pages(site: SiteContext) -> Iterator[PageSpec]:
    for e in site.linked.entities.values():
        yield PageSpec(page_path(e), (f"{e.type}.md.j2", "entity.md.j2"), partial(profile_view, e=e),
                       "entity", subject=e.id)


def profile_view(site: SiteContext, e: Entity) -> ProfileView:
    page = site.page(page_path(e))
    cites = Citations(page)
    linked = site.linked
    # the fields in the order the references are numbered: roles, relations, backrefs,
    # claims, then the general sources
    roles = tuple(role_row(site, r, page, cites) for r in e.roles)
    relations = relation_rows(site, e, page, cites)
    backrefs = backref_groups(site, e, page, cites)
    claims = tuple(claim_view(site, c, page, cites) for c in e.claims)
    general_sources = cites.cite(e.sources)
    timeline = _entity_timeline(site, e, page, cites)  # cites what the sections above cited
    history, history_earlier = entity_changes(site, e.id)
    return ProfileView(
        entity=e,
        type_label=TYPE_LABELS[e.type][0],
        kind_label=_kind_label(site, e),
        index=Link(TYPE_LABELS[e.type][1], page.href(index_path(e.type))),
        summary=page.prose(e.summary),
        note=page.prose(e.note),
        infobox=_infobox(site, e, page),
        roles=roles, relations=relations, backrefs=backrefs, claims=claims,
        general_sources=general_sources,
        # the home page's prose is the dossier's, not a profile: never listed here
        mentioned_in=tuple(page.link(i) for i in linked.mentions.get(e.id, []) if i != DOSSIER_ID),
        cited_by=tuple(page.home_or_link(i) for i in linked.cited_by.get(e.id, [])),
        questions=tuple(page.prose(q.text, inline=True) for q in linked.questions_of.get(e.id, [])),
        tags=tuple(Link(t, page.href(site.tag_page(t)) + "#" + site.tag_anchor[t])
                   for t in dict.fromkeys(e.tags)),
        timeline=timeline,
        timeline_filter=timeline_filter(site, timeline),
        network=_ego_network(site, e, page),
        history=history, history_earlier=history_earlier,
        references=cites.references(),
    )


def _kind_label(site: SiteContext, e: Entity) -> str | None:
    kind, vocab = e.text("kind"), TYPE_SPECS[e.type].kind_vocab
    if kind is None or vocab is None:
        return None
    return site.label(vocab, kind)


def field_value(site: SiteContext, value: Any, spec_kind: str, vocab: str | None,
                page: PageContext) -> list[Cell]:
    """A field's value as cells: references linked (left out when withheld), dates and
    yes/no as text, addresses as links, vocabulary words as their labels."""
    if isinstance(value, Ref):
        return [page.link(value.id)] if value.id in site.linked.entities else []
    if isinstance(value, list):
        return [x for v in value for x in field_value(site, v, spec_kind, vocab, page)]
    if isinstance(value, PartialDate):
        return [value.display()]
    if isinstance(value, bool):
        return ["yes" if value else "no"]
    if spec_kind == "url":
        link = Markup('<a href="{0}" rel="noopener noreferrer">{1}</a>')
        return [link.format(md_text(value), md_text(value))]
    if vocab:
        return [site.label(vocab, value)]
    if spec_kind == "reliability":
        return [f"{value}: {site.label('reliability', value)}"]
    return [str(value)]


def _infobox(site: SiteContext, e: Entity, page: PageContext) -> tuple[Row, ...]:
    rows = []
    for name, spec in TYPE_SPECS[e.type].fields.items():
        if name in ("circa",) or name not in e.fields:
            continue
        values = field_value(site, e.fields[name], spec.kind, spec.vocab, page)
        if values:
            if spec.kind == "date" and e.fields.get("circa"):
                values = [f"c. {v}" for v in values]
            rows.append(Row(spec.shown_label, tuple(values)))
    if e.updated:
        rows.append(Row("Profile reviewed", (e.updated.display(),)))
    if e.marking != "TLP:CLEAR":
        rows.append(Row("Marking", (e.marking,)))
    return tuple(rows)


def _ego_network(site: SiteContext, e: Entity, page: PageContext) -> EgoNetwork | None:
    others = site.neighbours.get(e.id, [])
    if not others:
        return None
    chosen = sorted(others, key=lambda i: (-site.degrees.get(i, 0), i))[:EGO_MAX]
    svg = network_svg(site, [e.id, *chosen], page, "dg-ego", f"Direct links of {e.name}", centre=e.id)
    return EgoNetwork(svg, len(chosen), len(others) - len(chosen), Link("Network", page.href("network.md")))


def _entity_timeline(site: SiteContext, e: Entity, page: PageContext,
                     cites: Citations) -> tuple[TimelineEntry, ...]:
    """The entity's own dates, its events, and its dated relations, roles and claims; a
    relation or claim with its status, confidence and sources, a role with its sources."""
    ents = site.linked.entities
    out: list[TimelineEntry] = []
    circa = bool(e.fields.get("circa"))
    type_spec = TYPE_SPECS[e.type]
    for name, spec in type_spec.fields.items():
        d = e.date(name)
        if spec.kind == "date" and d and name != "end_date":
            end = e.date("end_date") if name == "date" else None
            out.append(TimelineEntry(d, end, circa, type_spec.date_label(name) or spec.shown_label,
                                     kind="date"))
    events_seen: set[str] = set()  # an event may name the entity in several fields
    for b in site.linked.backrefs.get(e.id, []):
        other = ents[b.source]
        when = period(other.date("date"), other.date("end_date"))
        if other.type == "event" and when:
            if other.id in events_seen:
                continue
            events_seen.add(other.id)
            out.append(TimelineEntry(*when, bool(other.fields.get("circa")), "Event:", page.link(other.id)))
        elif isinstance(b.detail, Role) and (when := period(b.detail.since, b.detail.until)):
            out.append(TimelineEntry(*when, b.detail.circa, f"{b.detail.title}:", page.link(other.id),
                                     kind="role", cites=cites.cite(b.detail.sources)))
    for edge in site.linked.edges_of.get(e.id, []):
        r = edge.relation
        if when := period(r.since, r.until):
            rtype = site.vocab.relation_types[r.type]
            label = rtype.label if edge.subject == e.id else rtype.inverse
            out.append(TimelineEntry(*when, r.circa, label.capitalize(), page.link(edge.other(e.id)),
                                     kind="relation", status=r.status, confidence=r.confidence,
                                     cites=cites.cite(r.sources)))
    for role in e.roles:
        if when := period(role.since, role.until):
            org = role.organization
            known = org is not None and org.id in ents
            out.append(TimelineEntry(*when, role.circa, role.title + (" at" if known else ""),
                                     page.link(org.id) if org and known else None, kind="role",
                                     cites=cites.cite(role.sources)))
    for c in e.claims:
        if c.date:
            out.append(TimelineEntry(c.date, c.end_date, c.circa, "Claim:",
                                     text=page.prose(c.text, inline=True) or "", kind="claim",
                                     status=c.status, confidence=c.confidence,
                                     cites=cites.cite(c.sources)))
    return tuple(sorted(out, key=TimelineEntry.sort_key))
