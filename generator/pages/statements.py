"""Views of what an entity states, shared by the pages that show it: claims (profiles,
key judgments on home), relations, roles, back-references and infobox rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from markupsafe import Markup

from ..link import DOSSIER_ID, Edge
from ..model import Claim, Entity, Role
from .base import Citations, Link, PageContext, View, date_text, page_path, span_text
from .site import SiteContext

#: a value in an infobox or index cell: a link, trusted markup, or text (escaped when shown)
Cell = Link | Markup | str


@dataclass(frozen=True, eq=False)
class Row(View):
    label: str
    values: tuple[Cell, ...]


@dataclass(frozen=True, eq=False)
class RelationRow(View):
    other: Link
    when: str
    status: str | None
    confidence: str | None
    cites: tuple[int, ...]
    note: Markup | None


@dataclass(frozen=True, eq=False)
class RoleRow(View):
    title: str
    organization: Link | None
    when: str
    cites: tuple[int, ...]
    note: Markup | None


@dataclass(frozen=True, eq=False)
class BackrefRow(View):
    other: Link
    detail: str
    cites: tuple[int, ...]


@dataclass(frozen=True, eq=False)
class Group(View):
    label: str
    rows: tuple[RelationRow, ...] | tuple[BackrefRow, ...]


@dataclass(frozen=True, eq=False)
class ClaimView(View):
    text: Markup
    status: str | None
    confidence: str | None
    likelihood: str | None
    grade: str | None
    when: str
    cites: tuple[int, ...]
    note: Markup | None
    contradicts: tuple[Link, ...]
    key: str | None


def claim_view(site: SiteContext, c: Claim, page: PageContext, cites: Citations) -> ClaimView:
    ents = site.linked.entities
    grade = None
    if c.credibility is not None:
        rel = [ents[s.source.id].text("reliability") for s in c.sources]
        letters = sorted({r for r in rel if r})
        grade = "/".join(f"{r}{c.credibility}" for r in letters) or f"?{c.credibility}"
    contradicts = []
    for ref in c.contradicts:
        if ref.id in ents:
            contradicts.append(page.link(ref.id))
        elif ref.id in site.linked.claims_by_key:
            owner, _ = site.linked.claims_by_key[ref.id]
            target = "index.md" if owner == DOSSIER_ID else page_path(ents[owner])
            contradicts.append(Link(f"claim '{ref.id}'", page.href(target) + f"#claim-{ref.id}"))
    return ClaimView(
        text=page.prose(c.text, inline=True) or Markup(""),
        status=c.status, confidence=c.confidence, likelihood=c.likelihood, grade=grade,
        when=span_text(c.date, c.end_date, c.circa) if c.end_date else date_text(c.date, c.circa),
        cites=cites.cite(c.sources), note=page.prose(c.note, inline=True),
        contradicts=tuple(contradicts), key=c.key,
    )


def role_row(site: SiteContext, role: Role, page: PageContext, cites: Citations) -> RoleRow:
    org = role.organization
    return RoleRow(
        title=role.title,
        organization=page.link(org.id) if org and org.id in site.linked.entities else None,
        when=span_text(role.since, role.until, role.circa),
        cites=cites.cite(role.sources),
        note=page.prose(role.note, inline=True),
    )


def relation_groups(site: SiteContext, e: Entity, page: PageContext, cites: Citations) -> tuple[Group, ...]:
    groups: dict[str, list[RelationRow]] = defaultdict(list)
    for edge in site.linked.edges_of.get(e.id, []):
        rtype = site.vocab.relation_types[edge.relation.type]
        label = rtype.label if edge.subject == e.id else rtype.inverse
        groups[label].append(relation_row(edge, e.id, page, cites))
    return tuple(Group(label.capitalize(), tuple(rows)) for label, rows in groups.items())


def relation_row(edge: Edge, here: str, page: PageContext, cites: Citations) -> RelationRow:
    r = edge.relation
    return RelationRow(
        other=page.link(edge.other(here)),
        when=span_text(r.since, r.until, r.circa),
        status=r.status,
        confidence=r.confidence,
        cites=cites.cite(r.sources),
        note=page.prose(r.note, inline=True),
    )


def backref_groups(site: SiteContext, e: Entity, page: PageContext, cites: Citations) -> tuple[Group, ...]:
    groups: dict[str, list[BackrefRow]] = defaultdict(list)
    for b in site.linked.backrefs.get(e.id, []):
        if isinstance(b.detail, Role):
            detail = ", ".join(x for x in (b.detail.title, span_text(b.detail.since, b.detail.until,
                                                                     b.detail.circa)) if x)
            row = BackrefRow(page.link(b.source), detail, cites.cite(b.detail.sources))
        else:
            other = site.linked.entities[b.source]
            row = BackrefRow(page.link(b.source), date_text(other.date("date")), ())
        groups[b.label].append(row)
    return tuple(Group(label, tuple(rows)) for label, rows in groups.items())
