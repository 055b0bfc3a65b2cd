"""The one walk over an entity's parts: where its prose, citations and references sit.

`parts` walks an entity (and `dossier_parts` dossier.yml) and yields every prose
field, citation and reference with the field it is written in and the object it
sits in. Where references sit is said once, here: resolving, leaving out what an
edition withholds (`editions`), the link stage's indexes and the live preview's
`neighbours` all read this walk, so what it misses all of them miss
(tests/test_link_walk.py checks it against the schema's tables).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .model import Citation, Claim, Content, DossierInfo, Entity, Prose, Question, Ref, Relation, Role
from .schema import (
    CITATION_FIELDS,
    CLAIM_FIELDS,
    COMMON_FIELDS,
    DOSSIER_FIELDS,
    QUESTION_FIELDS,
    RELATION_FIELDS,
    ROLE_FIELDS,
    TYPE_FIELDS,
    FieldSpec,
)

__all__ = ["CITED_SOURCE", "CONTRADICTS", "PART_KINDS", "Holder", "Part", "claim_keys", "dossier_parts",
           "ids_named", "parts"]

#: what holds a part: the entity or dossier.yml itself, one of their relations, claims,
#: roles or questions, or an entity's type-specific `fields`
Holder = Entity | DossierInfo | Relation | Claim | Role | Question | dict[str, Any]
#: a prose field, a citation or a reference; the field it is written in (its `FieldSpec`:
#: name, kind, the types it may name, its inverse label); what holds it. A plain tuple,
#: not a NamedTuple: one is made per part, 360,000 per link of the 10,000-entity
#: benchmark dossier (two walks), and a NamedTuple took 0.9 µs to make against 0.1 µs.
Part = tuple[Prose | Citation | Ref, FieldSpec, Holder]

#: the field kinds whose values are parts: prose, citations and references
PART_KINDS = frozenset({"markdown", "citations", "ref", "refs", "ref-or-text"})
#: each type's own fields that hold parts, in the schema's order
TYPE_PARTS = {type_: tuple(spec for spec in specs.values() if spec.kind in PART_KINDS)
              for type_, specs in TYPE_FIELDS.items()}
SUMMARY, SOURCES, NOTE = COMMON_FIELDS["summary"], COMMON_FIELDS["sources"], COMMON_FIELDS["note"]
RELATION_TARGET, RELATION_SOURCES, RELATION_NOTE = (
    RELATION_FIELDS["target"], RELATION_FIELDS["sources"], RELATION_FIELDS["note"])
CLAIM_TEXT, CLAIM_SOURCES, CONTRADICTS, CLAIM_NOTE = (
    CLAIM_FIELDS["text"], CLAIM_FIELDS["sources"], CLAIM_FIELDS["contradicts"], CLAIM_FIELDS["note"])
ROLE_ORGANIZATION, ROLE_SOURCES, ROLE_NOTE = (
    ROLE_FIELDS["organization"], ROLE_FIELDS["sources"], ROLE_FIELDS["note"])
QUESTION_TEXT, QUESTION_RELATED, QUESTION_NOTE = (
    QUESTION_FIELDS["text"], QUESTION_FIELDS["related"], QUESTION_FIELDS["note"])
DOSSIER_SUMMARY, DOSSIER_SOURCES = DOSSIER_FIELDS["summary"], DOSSIER_FIELDS["sources"]
CITED_SOURCE = CITATION_FIELDS["source"]


def parts(e: Entity) -> Iterator[Part]:
    """Every prose field, citation and reference of `e`, with the field and the object
    it sits in: its type-specific fields first (in the schema's order), then its own
    summary, sources and note, then its relations', claims' and roles', in the order
    written. Text written in a `ref-or-text` field (no id) is not a part.

    The parts of relations, claims and roles are written out, not looked up field by
    field in the schema's tables: 56 ms against 139 ms for the 180,000 parts of the
    10,000-entity benchmark dossier, walked twice per link (tests/test_link_walk.py
    checks that every prose, citation and reference field of the tables is walked).
    """
    fields = e.fields
    for spec in TYPE_PARTS[e.type]:
        value = fields.get(spec.name)
        if isinstance(value, list):
            for item in value:
                yield item, spec, fields
        elif isinstance(value, Ref | Prose):
            yield value, spec, fields
    if e.summary is not None:
        yield e.summary, SUMMARY, e
    for citation in e.sources:
        yield citation, SOURCES, e
    if e.note is not None:
        yield e.note, NOTE, e
    for r in e.relations:
        yield r.target, RELATION_TARGET, r
        for citation in r.sources:
            yield citation, RELATION_SOURCES, r
        if r.note is not None:
            yield r.note, RELATION_NOTE, r
    for c in e.claims:
        yield from _claim_parts(c)
    for role in e.roles:
        if role.organization is not None:
            yield role.organization, ROLE_ORGANIZATION, role
        for citation in role.sources:
            yield citation, ROLE_SOURCES, role
        if role.note is not None:
            yield role.note, ROLE_NOTE, role


def _claim_parts(c: Claim) -> Iterator[Part]:
    yield c.text, CLAIM_TEXT, c
    for citation in c.sources:
        yield citation, CLAIM_SOURCES, c
    for ref in c.contradicts:
        yield ref, CONTRADICTS, c
    if c.note is not None:
        yield c.note, CLAIM_NOTE, c


def dossier_parts(d: DossierInfo) -> Iterator[Part]:
    """Every prose field, citation and reference of dossier.yml (see `parts`): its summary
    and sources, then its key judgments' and open questions'."""
    if d.summary is not None:
        yield d.summary, DOSSIER_SUMMARY, d
    for citation in d.sources:
        yield citation, DOSSIER_SOURCES, d
    for c in d.key_judgments:
        yield from _claim_parts(c)
    for q in d.questions:
        yield q.text, QUESTION_TEXT, q
        for ref in q.related:
            yield ref, QUESTION_RELATED, q
        if q.note is not None:
            yield q.note, QUESTION_NOTE, q


def ids_named(value: Prose | Citation | Ref) -> Iterator[str]:
    """The ids a part names: prose its inline references', a citation its source's."""
    if isinstance(value, Prose):
        yield from (ref.id for ref in value.refs)
    elif isinstance(value, Citation):
        yield value.source.id
    else:
        yield value.id


def claim_keys(content: Content) -> set[str]:
    """Every claim key written, the key judgments' too: besides an entity, what a
    claim's `contradicts` may name."""
    keys = {c.key for e in content.entities.values() for c in e.claims if c.key}
    keys |= {c.key for c in content.dossier.key_judgments if c.key}
    return keys
