"""Views of what an entity states, shared by the pages that show it: claims (profiles,
key judgments on home), relations, roles, back-references and infobox rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from ..dates import PartialDate
from ..link import DOSSIER_ID, BackRef, Edge
from ..model import Claim, Entity, Role
from ..types import UNDATED
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
    """One row of a profile's relation table: the relation in its own words, read from
    this profile ("Expelled by", "Supports"), then the entity at its other end."""

    relation: str
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
    """A list of profiles that name this one in one of their fields, under `label`;
    `note` says in one line which field that is ("Events that took place here")."""

    label: str
    note: str
    rows: tuple[BackrefRow, ...]


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


def relation_rows(site: SiteContext, e: Entity, page: PageContext,
                  cites: Citations) -> tuple[RelationRow, ...]:
    """Every relation of `e`, both ways, for one table: the rows of one relation are
    kept together, in the order the relations are first met."""
    groups: dict[str, list[RelationRow]] = defaultdict(list)
    for edge in site.linked.edges_of.get(e.id, []):
        rtype = site.vocab.relation_types[edge.relation.type]
        label = rtype.label if edge.subject == e.id else rtype.inverse
        groups[label].append(relation_row(edge, e.id, label.capitalize(), page, cites))
    return tuple(row for rows in groups.values() for row in rows)


def relation_row(edge: Edge, here: str, words: str, page: PageContext, cites: Citations) -> RelationRow:
    r = edge.relation
    return RelationRow(
        relation=words,
        other=page.link(edge.other(here)),
        when=span_text(r.since, r.until, r.circa),
        status=r.status,
        confidence=r.confidence,
        cites=cites.cite(r.sources),
        note=page.prose(r.note, inline=True),
    )


#: what each list of "Linked from other profiles" holds, by the field that names the
#: profile (and the naming entity's type): the lists' labels alone left readers asking
#: how "Events here" differs from "Events"
BACKREF_NOTES: dict[tuple[str, str], str] = {
    ("person", "nationality"): "People of this nationality.",
    ("person", "roles"): "People who hold or held a role here, with the role and its dates.",
    ("agency", "country"): "Agencies and bodies that belong to this country.",
    ("agency", "parent"): "Bodies that are part of this one.",
    ("domain", "parties"): "Cooperation domains in which this entity is a party.",
    ("event", "location"): "Events that took place here.",
    ("event", "participants"): "Events this entity took part in.",
    ("event", "domains"): "Events that belong to this cooperation domain.",
    ("installation", "country"): "Installations that stand in this country.",
    ("installation", "operator"): "Installations this entity runs.",
    ("installation", "builder"): "Installations this entity built.",
    ("source", "outlet"): "Sources this outlet published.",
}


def backref_note(source_type: str, field: str) -> str:
    """The one line that says what a back-reference list holds (a field with no line of
    its own is named as it is written)."""
    return BACKREF_NOTES.get((source_type, field), f"Profiles whose {field} field names this one.")


def _backref_date(site: SiteContext, b: BackRef) -> PartialDate | None:
    """The date a back-reference row shows: a role's start (else its end), or the naming
    entity's date (an event's, a source's)."""
    if isinstance(b.detail, Role):
        return b.detail.since or b.detail.until
    return site.linked.entities[b.source].date("date")


def backref_groups(site: SiteContext, e: Entity, page: PageContext, cites: Citations) -> tuple[Group, ...]:
    """The profiles that name `e`, a list per label, each in date order: undated rows
    last, then by name (they were in file-name order while showing dates). Sources are
    numbered in the order the rows are shown."""
    ents = site.linked.entities
    found: dict[str, list[BackRef]] = defaultdict(list)
    for b in site.linked.backrefs.get(e.id, []):
        found[b.label].append(b)

    def order(b: BackRef) -> tuple[Any, ...]:
        when = _backref_date(site, b)
        return (when is None, when or UNDATED, ents[b.source].name.casefold(), b.source)

    groups = []
    for label, refs in found.items():
        notes = dict.fromkeys(backref_note(ents[b.source].type, b.field) for b in refs)
        rows = tuple(_backref_row(site, b, page, cites) for b in sorted(refs, key=order))
        groups.append(Group(label, " ".join(notes), rows))
    return tuple(groups)


def _backref_row(site: SiteContext, b: BackRef, page: PageContext, cites: Citations) -> BackrefRow:
    if isinstance(b.detail, Role):
        detail = ", ".join(x for x in (b.detail.title, span_text(b.detail.since, b.detail.until,
                                                                 b.detail.circa)) if x)
        return BackrefRow(page.link(b.source), detail, cites.cite(b.detail.sources))
    return BackrefRow(page.link(b.source), date_text(site.linked.entities[b.source].date("date")), ())
