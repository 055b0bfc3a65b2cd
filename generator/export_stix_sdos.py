"""The entities of a STIX export: one domain object per entity, with the properties of its
object type (`sdo_type`), and the place an installation stands at.

A person is an `identity` (individual); an agency a `threat-actor` or an `identity`
(organization, with its sector); a country a `location`; an installation an
`infrastructure`; a domain or an event a `grouping`; a source a `report` of what cites it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .export import plain_text, plain_value
from .export_stix_context import (
    THREAT_ACTOR_KINDS,
    StixContext,
    sdo_type,
    stamp,
    stamp_end,
    without_empty,
)
from .model import Entity, Ref

#: agency kinds with a sector in STIX's industry-sector vocabulary
SECTORS = {"government-body": "government", "ministry": "government-national",
           "armed-forces": "defense", "media": "communications"}
#: installation kinds that watch or listen: STIX's `reconnaissance`; the others `unknown`
RECONNAISSANCE = {"sigint-station", "radar", "satellite-ground-station"}


def entity_objects(ctx: StixContext) -> Iterator[dict[str, Any]]:
    """Every entity's object, each installation's followed by its place."""
    for e in ctx.linked.entities.values():
        yield entity_object(ctx, e)
        if e.type == "installation":
            yield from installation_place(ctx, e)


def entity_object(ctx: StixContext, e: Entity) -> dict[str, Any]:
    """An entity's object: what STIX has a property for, the rest in the extension."""
    kind = sdo_type(e)
    refs, cited = ctx.citations(e.sources)
    own = without_empty(**ctx.common(kind, e.id, e.marking, ctx.when(e)),
                        name=e.text("title") or e.name if e.type == "source" else e.name,
                        description=plain_text(e.summary, ctx.linked), labels=e.tags,
                        external_references=refs)
    own.update(type_properties(ctx, e, kind))
    aliases = other_names(e) if "aliases" not in own else None
    free_roles = [plain_value(r) for r in e.roles if r.organization is None]
    own.update(ctx.extension(dossier_type=e.type, dossier_id=e.id, aliases=aliases,
                             note=plain_text(e.note, ctx.linked), citations=cited,
                             fields=plain_value(e.fields), roles=free_roles,
                             updated=e.updated.iso() if e.updated else None))
    return own


def type_properties(ctx: StixContext, e: Entity, kind: str) -> dict[str, Any]:
    """The STIX properties of the entity's object type."""
    word = e.text("kind") or ""  # an agency's or installation's kind
    if kind == "threat-actor":
        return without_empty(aliases=other_names(e), threat_actor_types=THREAT_ACTOR_KINDS[word])
    if kind == "identity":
        if e.type == "person":
            return without_empty(identity_class="individual", roles=sorted({r.title for r in e.roles}))
        return without_empty(identity_class="organization",
                             sectors=[SECTORS[word]] if word in SECTORS else [])
    if kind == "location":
        iso = e.text("iso")
        return {"country": iso} if iso else {"region": "unknown"}
    if kind == "infrastructure":
        first, last = e.date("since"), e.date("until")
        return without_empty(aliases=e.aliases,
                             infrastructure_types=["reconnaissance" if word in RECONNAISSANCE
                                                   else "unknown"],
                             first_seen=stamp(first) if first else None,
                             last_seen=stamp_end(last) if last else None)
    if kind == "report":
        published = e.date("date")
        cited_by = [ctx.object_id(i) for i in ctx.linked.cited_by.get(e.id, ())]
        return {"report_types": ["threat-report"],
                "published": stamp(published) if published else ctx.fallback,
                "object_refs": cited_by or [ctx.report_id]}
    return {"context": "unspecified", "object_refs": grouped(ctx, e) or [ctx.report_id]}


def grouped(ctx: StixContext, e: Entity) -> list[str]:
    """A domain's parties; an event's participants, place and domains (in the edition)."""
    names: list[str] = []
    for name in ("parties", "participants", "location", "domains"):
        value = e.fields.get(name)
        for ref in value if isinstance(value, list) else [value]:
            if isinstance(ref, Ref) and ref.id in ctx.linked.entities and ref.id not in names:
                names.append(ref.id)
    return [ctx.object_id(i) for i in names]


def installation_place(ctx: StixContext, e: Entity) -> Iterator[dict[str, Any]]:
    """Where an installation stands: a location in its country, described in words, and
    the installation `located-at` it (nothing when its country is not in the edition or
    has no ISO code)."""
    country = e.fields.get("country")
    target = ctx.linked.entities.get(country.id) if isinstance(country, Ref) else None
    if target is None or not target.text("iso"):
        return
    place = without_empty(**ctx.common("location", e.id, e.marking, ctx.when(e)),
                          name=f"{e.name} (site)", description=e.text("location"),
                          country=target.text("iso"))
    yield place
    yield without_empty(**ctx.common("relationship", f"site:{e.id}", e.marking, ctx.when(e)),
                        relationship_type="located-at", source_ref=ctx.object_id(e.id),
                        target_ref=place["id"],
                        **ctx.extension(dossier_type="reference", label="located in"))


def other_names(e: Entity) -> list[str]:
    """Every name of an entity but its own: its aliases, then an agency's abbreviation,
    full and native names, which a platform matches as aliases too (`GRU`)."""
    names = [*e.aliases, *(e.text(f) for f in ("abbreviation", "full_name", "native_name"))]
    return [n for n in dict.fromkeys(names) if n and n != e.name]
