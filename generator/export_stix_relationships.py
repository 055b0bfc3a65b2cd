"""The links of a STIX export, each a `relationship`: the relations the profiles state, the
reference fields (country, parent, operator, participants...), and the roles held in an
agency.

A relation keeps its own type (`located-in` is STIX's `located-at`); a reference field is
named by the words the network pictures read it with ("part of" → `part-of`, from
`types.TYPE_SPECS`); a role is `related-to`, its title the description.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .export import plain_text
from .export_stix_context import CONFIDENCE, StixContext, stamp, stamp_end, without_empty
from .model import Role
from .types import TYPE_SPECS

#: a dossier relation type and the STIX relationship type with the same meaning
RELATIONSHIP_TYPES = {"located-in": "located-at"}


def slug(words: str) -> str:
    """Words as a STIX relationship type: lower case, hyphens between ("part of" → `part-of`)."""
    return re.sub(r"[^a-z0-9]+", "-", words.lower()).strip("-")


def relation_objects(ctx: StixContext) -> Iterator[dict[str, Any]]:
    """The relations the profiles state, in the order the linker found them."""
    vocab = ctx.linked.vocab.relation_types
    for edge in ctx.linked.edges:
        r = edge.relation
        refs, cited = ctx.citations(r.sources)
        key = f"{edge.subject}|{r.type}|{edge.object}|{r.since or ''}|{r.until or ''}"
        spec = vocab[r.type]
        yield without_empty(
            **ctx.common("relationship", key, r.marking, ctx.when(ctx.linked.entities[edge.subject])),
            relationship_type=RELATIONSHIP_TYPES.get(r.type, r.type),
            source_ref=ctx.object_id(edge.subject), target_ref=ctx.object_id(edge.object),
            description=plain_text(r.note, ctx.linked), confidence=CONFIDENCE.get(r.confidence or ""),
            start_time=stamp(r.since) if r.since else None,
            stop_time=stamp_end(r.until) if r.until else None, external_references=refs,
            **ctx.extension(dossier_type="relation", relation_type=r.type,
                            symmetric=spec.symmetric, status=r.status, confidence=r.confidence,
                            since=r.since.iso() if r.since else None,
                            until=r.until.iso() if r.until else None, circa=r.circa,
                            citations=cited))


def reference_objects(ctx: StixContext) -> Iterator[dict[str, Any]]:
    """Reference fields as relationships, read as the network pictures read them."""
    entities = ctx.linked.entities
    for target in sorted(ctx.linked.backrefs):
        for b in ctx.linked.backrefs[target]:
            if isinstance(b.detail, Role):
                continue  # roles: `role_objects`
            holder = entities[b.source]
            reading = TYPE_SPECS[holder.type].edge_reading(b.field)
            source, other = (target, b.source) if reading.backwards else (b.source, target)
            words = slug(reading.words)
            yield without_empty(
                **ctx.common("relationship", f"{b.source}|{b.field}|{target}", holder.marking,
                             ctx.when(holder)),
                relationship_type=RELATIONSHIP_TYPES.get(words, words),
                source_ref=ctx.object_id(source), target_ref=ctx.object_id(other),
                **ctx.extension(dossier_type="reference", label=reading.words,
                                fields={"field": b.field, "holder": b.source}))


def role_objects(ctx: StixContext) -> Iterator[dict[str, Any]]:
    """The roles held in an agency the edition keeps (a role held in no agency is in its
    holder's extension: `export_stix_sdos.entity_object`)."""
    for e in ctx.linked.entities.values():
        for n, role in enumerate(e.roles):
            org = role.organization
            if org is None or org.id not in ctx.linked.entities:
                continue
            refs, cited = ctx.citations(role.sources)
            yield without_empty(
                **ctx.common("relationship", f"role:{e.id}:{n}", role.marking, ctx.when(e)),
                relationship_type="related-to", source_ref=ctx.object_id(e.id),
                target_ref=ctx.object_id(org.id), description=role.title,
                start_time=stamp(role.since) if role.since else None,
                stop_time=stamp_end(role.until) if role.until else None, external_references=refs,
                **ctx.extension(dossier_type="role", label=role.title,
                                note=plain_text(role.note, ctx.linked), circa=role.circa,
                                since=role.since.iso() if role.since else None,
                                until=role.until.iso() if role.until else None,
                                citations=cited))
