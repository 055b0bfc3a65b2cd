"""Stage 3, link: resolve every reference and build the indexes pages need.

Checks that each id exists and is of a type the field allows (suggesting the
closest ids when not), finds parent cycles and relations written twice, then
keeps what the chosen edition may publish (`editions.select_edition`) and indexes
it: relations from both ends, back-references from fields (`country`, `parent`,
roles...), prose mentions and citations. Every index is built in one pass before
the linked dossier is made, so linking stays linear in entities + references and
what `link` returns is complete and cannot change afterwards.

Where an entity's references sit is said once, in `parts`: resolving, the
edition's selection, indexing and the live preview's `neighbours` all read that walk.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from types import MappingProxyType
from typing import Any, TypeVar

from .config import Vocabularies
from .diagnostics import Diagnostics, did_you_mean
from .editions import select_edition
from .model import (
    BackRef,
    Citation,
    Claim,
    Content,
    DossierInfo,
    Edge,
    LinkedDossier,
    Prose,
    Question,
    Ref,
    Relation,
    Role,
)
from .parts import CITED_SOURCE, CONTRADICTS, Holder, claim_keys, dossier_parts, ids_named, parts
from .schema import FieldSpec

__all__ = ["DOSSIER_ID", "BackRef", "Edge", "LinkedDossier", "link", "neighbours"]

DOSSIER_ID = "dossier"  # stands for dossier.yml in mention and citation indexes


# --- link -------------------------------------------------------------------------------


def link(content: Content, vocab: Vocabularies, diags: Diagnostics,
         edition: str = "full") -> LinkedDossier:
    """Resolve references across the whole content, then index the edition's part of it.

    `content` is left as it was given (the live preview's caches hand the same
    entities to the next run)."""
    _resolve(content, diags)
    _check_parent_cycles(content, diags)
    return _indexed(select_edition(content, vocab, edition), vocab, edition, diags)


# --- resolution -------------------------------------------------------------------------


def _resolve(content: Content, diags: Diagnostics) -> None:
    """Report every reference that names no entity, or an entity of a type its field
    does not allow. A `ref-or-text` field naming no entity is text; a claim's
    `contradicts` may name a claim key: a key judgment's too (one naming nothing used to
    pass unchecked and vanish from every edition)."""
    entities = content.entities
    keys = claim_keys(content)

    def check(ref: Ref, types: tuple[str, ...] = ()) -> None:
        target = entities.get(ref.id)
        if target is None:
            hint = did_you_mean(ref.id, entities) or "Create the entity's file, or fix the id."
            diags.error(ref.loc, f"unknown id '{ref.id}'.", hint)
        elif types and target.type not in types:
            allowed = " or ".join(_a(t) for t in types)
            diags.error(ref.loc, f"'{ref.id}' is {_a(target.type)}, not {allowed}")

    def check_part(value: Prose | Citation | Ref, spec: FieldSpec) -> None:
        if isinstance(value, Prose):
            for ref in value.refs:
                check(ref)
        elif isinstance(value, Citation):
            check(value.source, CITED_SOURCE.ref_types)
        elif spec is CONTRADICTS:
            if value.id not in keys and value.id not in entities:
                diags.error(value.loc, f"unknown id or claim key '{value.id}'.",
                            did_you_mean(value.id, [*keys, *entities]))
        elif spec.kind != "ref-or-text":
            check(value, spec.ref_types)

    for e in entities.values():
        for value, spec, _ in parts(e):
            check_part(value, spec)
    for value, spec, _ in dossier_parts(content.dossier):
        check_part(value, spec)


def _a(noun: str) -> str:
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"


def _check_parent_cycles(content: Content, diags: Diagnostics) -> None:
    entities = content.entities
    done: set[str] = set()
    for start in entities:
        path: list[str] = []
        current: str | None = start
        while current is not None and current not in done:
            if current in path:
                cycle = [*path[path.index(current):], current]
                ref = entities[cycle[-2]].fields["parent"]
                diags.error(ref.loc, f"parent cycle: {' → '.join(cycle)}",
                            "An agency cannot be its own ancestor; fix one `parent`.")
                break
            path.append(current)
            parent = entities[current].fields.get("parent") if current in entities else None
            current = parent.id if isinstance(parent, Ref) and parent.id in entities else None
        done.update(path)


# --- indexes ----------------------------------------------------------------------------


def _indexed(kept: Content, vocab: Vocabularies, edition: str, diags: Diagnostics) -> LinkedDossier:
    """The linked dossier of the edition's content, every index built here, in one pass
    over the entities and their parts, before it is made."""
    entities = kept.entities
    edges: dict[tuple[Any, ...], Edge] = {}
    backrefs: dict[str, list[BackRef]] = defaultdict(list)
    mentions: dict[str, set[str]] = defaultdict(set)
    cited: dict[str, set[str]] = defaultdict(set)
    claims_by_key: dict[str, tuple[str, Claim]] = {}
    for e in entities.values():
        for r in e.relations:
            _add_edge(edges, r, vocab, diags)
        for value, spec, holder in parts(e):
            if isinstance(value, Prose):
                for ref in value.refs:
                    if ref.id != e.id:
                        mentions[ref.id].add(e.id)
            elif isinstance(value, Citation):
                cited[value.source.id].add(e.id)
            elif spec.inverse and value.id in entities:
                backrefs[value.id].append(_backref(e.id, spec, holder))
        for c in e.claims:
            if c.key:
                claims_by_key[c.key] = (e.id, c)
    d = kept.dossier
    for value, _, _ in dossier_parts(d):
        if isinstance(value, Prose):
            for ref in value.refs:
                mentions[ref.id].add(DOSSIER_ID)
        elif isinstance(value, Citation):
            cited[value.source.id].add(DOSSIER_ID)
    for c in d.key_judgments:
        if c.key:
            claims_by_key[c.key] = (DOSSIER_ID, c)
    all_edges = tuple(edges.values())  # a key keeps its first place when its edge is replaced
    return LinkedDossier(
        dossier=d, entities=MappingProxyType(dict(entities)), vocab=vocab, edition=edition,
        edges=all_edges, edges_of=_edges_of(all_edges), backrefs=_read_only(backrefs),
        mentions=_sorted_index(mentions), cited_by=_sorted_index(cited),
        claims_by_key=MappingProxyType(claims_by_key), questions_of=_questions_of(d),
    )


def _relation_key(r: Relation, symmetric: bool) -> tuple[Any, ...]:
    ends = tuple(sorted((r.origin, r.target.id))) if symmetric else (r.origin, r.target.id)
    return (r.type, ends, r.since, r.until)


def _add_edge(edges: dict[tuple[Any, ...], Edge], r: Relation, vocab: Vocabularies,
              diags: Diagnostics) -> None:
    """One edge per relation; a relation written on both sides is one edge citing the
    sources of both, made anew: the relations themselves stay as written, since the
    live preview hands the same ones to the next run (merged in place, a side's
    sources outlived its removal)."""
    key = _relation_key(r, vocab.relation_types[r.type].symmetric)
    first = edges.get(key)
    if first is None:
        edges[key] = Edge(r, r.origin, r.target.id)
        return
    diags.warning(r.loc, f"relation '{r.type}' between '{r.origin}' and "
                  f"'{r.target.id}' is written twice (also at {first.relation.loc})",
                  "Write a relation once, on either side; both pages show it.")
    edges[key] = replace(first, relation=_citing_also(first.relation, r.sources))


def _citing_also(relation: Relation, more: list[Citation]) -> Relation:
    """A copy of `relation` that also cites those of `more` it does not cite yet."""
    sources = list(relation.sources)
    for citation in more:
        if citation not in sources:
            sources.append(citation)
    return replace(relation, sources=sources)


def _edges_of(edges: tuple[Edge, ...]) -> Mapping[str, Sequence[Edge]]:
    found: dict[str, list[Edge]] = defaultdict(list)
    for edge in edges:
        found[edge.subject].append(edge)
        found[edge.object].append(edge)
    return _read_only(found)


def _backref(source: str, spec: FieldSpec, holder: Holder) -> BackRef:
    """`source` names an entity in the field `spec`: a type-specific field, or a role's
    organization (listed under the role's entity's `roles`, with the role)."""
    if isinstance(holder, Role):
        return BackRef(source, spec.inverse or "", "roles", holder)
    return BackRef(source, spec.inverse or "", spec.name)


def _questions_of(d: DossierInfo) -> Mapping[str, Sequence[Question]]:
    """Each entity's open questions, indexed once instead of scanned per page."""
    questions: dict[str, list[Question]] = defaultdict(list)
    for q in d.questions:
        for entity_id in dict.fromkeys(r.id for r in q.related):
            questions[entity_id].append(q)
    return _read_only(questions)


_T = TypeVar("_T")


def _read_only(index: dict[str, list[_T]]) -> Mapping[str, Sequence[_T]]:
    """The index as the linked dossier holds it: a read-only mapping of tuples."""
    return MappingProxyType({k: tuple(v) for k, v in index.items()})


def _sorted_index(index: dict[str, set[str]]) -> Mapping[str, Sequence[str]]:
    return MappingProxyType({k: tuple(sorted(v)) for k, v in sorted(index.items())})


def neighbours(linked: LinkedDossier, entity_id: str) -> set[str]:
    """Every entity whose page can show something of `entity_id`, or the reverse.

    One hop through every index: relations both ways, field back-references,
    prose mentions, citations, every entity its parts name (`parts`), and the
    owners of claims it disputes. Used by the live preview to re-render only the
    pages an edit can change.
    """
    found: set[str] = {edge.other(entity_id) for edge in linked.edges_of.get(entity_id, ())}
    found.update(b.source for b in linked.backrefs.get(entity_id, ()))
    found.update(linked.mentions.get(entity_id, ()))
    found.update(linked.cited_by.get(entity_id, ()))
    e = linked.entities.get(entity_id)
    if e is not None:
        for value, _, _ in parts(e):
            found.update(ids_named(value))
        for claim in e.claims:
            for ref in claim.contradicts:
                if ref.id in linked.claims_by_key:
                    found.add(linked.claims_by_key[ref.id][0])
    return found & linked.entities.keys()
