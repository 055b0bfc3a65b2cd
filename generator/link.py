"""Stage 3, link: resolve every reference and build the indexes pages need.

Checks that each id exists and is of a type the field allows (suggesting the
closest ids when not), finds parent cycles and relations written twice, then
keeps what the chosen edition may publish and indexes it: relations from both
ends, back-references from fields (`country`, `parent`, roles...), prose
mentions and citations. Every index is built in one pass before the linked
dossier is made, so linking stays linear in entities + references and what `link`
returns is complete and cannot change afterwards.

Where an entity's references sit is said once: `parts` walks an entity (and
`dossier_parts` dossier.yml) and yields every prose field, citation and reference
with the field and the object it sits in; resolving, leaving out what an edition
withholds, indexing and the live preview's `neighbours` all read that walk.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from types import MappingProxyType
from typing import Any, TypeVar

from .config import Vocabularies
from .diagnostics import Diagnostics, did_you_mean
from .model import (
    BackRef,
    Citation,
    Claim,
    Content,
    DossierInfo,
    Edge,
    Entity,
    LinkedDossier,
    Prose,
    Question,
    Ref,
    Relation,
    Role,
)
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
from .validate import INLINE_REF_RE

__all__ = ["DOSSIER_ID", "PART_KINDS", "WITHHELD", "WITHHELD_TITLE", "BackRef", "Edge", "LinkedDossier",
           "Part", "dossier_parts", "link", "neighbours", "parts"]

WITHHELD = "[withheld]"  # what a reader sees where prose names an entity the edition leaves out
DOSSIER_ID = "dossier"  # stands for dossier.yml in mention and citation indexes
WITHHELD_TITLE = "Dossier"  # the title when the edition withholds the dossier's (validate's stand-in)

# --- the walk over an entity's parts ----------------------------------------------------

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


def _ids_named(value: Prose | Citation | Ref) -> Iterator[str]:
    if isinstance(value, Prose):
        yield from (ref.id for ref in value.refs)
    elif isinstance(value, Citation):
        yield value.source.id
    else:
        yield value.id


# --- link -------------------------------------------------------------------------------


def link(content: Content, vocab: Vocabularies, diags: Diagnostics,
         edition: str = "full") -> LinkedDossier:
    """Resolve references across the whole content, then index the edition's part of it.

    `content` is left as it was given (the live preview's caches hand the same
    entities to the next run)."""
    _resolve(content, diags)
    _check_parent_cycles(content, diags)
    return _indexed(_select_edition(content, vocab, edition), vocab, edition, diags)


# --- resolution -------------------------------------------------------------------------


def _claim_keys(content: Content) -> set[str]:
    keys = {c.key for e in content.entities.values() for c in e.claims if c.key}
    keys |= {c.key for c in content.dossier.key_judgments if c.key}
    return keys


def _resolve(content: Content, diags: Diagnostics) -> None:
    """Report every reference that names no entity, or an entity of a type its field
    does not allow. A `ref-or-text` field naming no entity is text; a claim's
    `contradicts` may name a claim key. Key judgments' `contradicts` are not checked
    (they never were: one naming nothing is left out of every edition)."""
    entities = content.entities
    keys = _claim_keys(content)

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
        if spec is not CONTRADICTS:
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


# --- editions ---------------------------------------------------------------------------

#: what an edition shows instead, by the `id` of the object a part sits in, then field
Changes = dict[int, dict[str, Any]]
_Item = TypeVar("_Item", Entity, DossierInfo, Relation, Claim, Role, Question)


def _select_edition(content: Content, vocab: Vocabularies, edition: str) -> Content:
    """Leave out everything marked above the edition, and every reference to it.

    What has no marking of its own has its holder's: a relation, claim or role its
    entity's, a citation its statement's, dossier.yml's own fields the dossier's
    (`_dossier_withheld`); an entity or a key judgment without one, the dossier's.
    The parts (`parts`) of what is kept are shown as `_edition_changes` says; the
    content itself is left as it was."""
    top = vocab.marking_rank(vocab.editions[edition])

    def ok(marking: str) -> bool:
        return vocab.marking_rank(marking) <= top

    if _nothing_to_leave_out(content, ok):
        return content  # the common case (the full edition): nothing to copy
    kept = {i: e for i, e in content.entities.items() if ok(e.marking)}
    kept_keys = {c.key for e in kept.values() for c in e.claims if c.key and ok(c.marking)}
    kept_keys |= {c.key for c in content.dossier.key_judgments if c.key and ok(c.marking)}

    def changes_in(found: Iterable[Part]) -> Changes:
        return _edition_changes(found, content.entities, kept, kept_keys)

    out: dict[str, Entity] = {}
    for i, e in kept.items():
        changes = changes_in(parts(e))
        out[i] = replace(
            e, **changes.get(id(e), {}),  # its summary, note and sources
            fields=_fields_shown(e.fields, changes.get(id(e.fields), {})),
            relations=[_shown(r, changes) for r in e.relations if ok(r.marking) and r.target.id in kept],
            claims=[_shown(c, changes) for c in e.claims if ok(c.marking)],
            roles=[_shown(r, changes) for r in e.roles if ok(r.marking)],
        )
    d = content.dossier
    changes = changes_in(dossier_parts(d))
    judgments = [_shown(c, changes) for c in d.key_judgments if ok(c.marking)]
    if not ok(d.marking):
        return Content(_dossier_withheld(d, judgments), out)
    dossier = replace(_shown(d, changes), key_judgments=judgments,
                      questions=[_shown(q, changes) for q in d.questions])
    return Content(dossier, out)


def _edition_changes(found: Iterable[Part], named: Mapping[str, Entity],
                     kept: Mapping[str, Entity], kept_keys: set[str]) -> Changes:
    """What the edition shows of each part found: prose with withheld entities'
    references redacted (`_redact`); citations and reference lists without those naming
    a withheld entity (or a withheld claim's key); a single reference None when it names
    a withheld entity; in a `ref-or-text` field, the id as text when it names no entity
    at all. `named`: every entity of the content; `kept`: those the edition keeps."""
    changes: Changes = defaultdict(dict)
    for value, spec, holder in found:
        shown = changes[id(holder)]
        if isinstance(value, Prose):
            shown[spec.name] = _redact(value, kept)
        elif isinstance(value, Citation):
            citations = shown.setdefault(spec.name, [])
            if value.source.id in kept:
                citations.append(value)
        elif spec.kind == "ref-or-text" and value.id not in named:
            shown[spec.name] = value.id
        elif spec.kind == "refs":
            refs = shown.setdefault(spec.name, [])
            if value.id in kept or (spec is CONTRADICTS and value.id in kept_keys):
                refs.append(value)
        else:
            shown[spec.name] = value if value.id in kept else None
    return changes


def _shown(item: _Item, changes: Changes) -> _Item:
    """`item` with the edition's changes to its own parts (a new object when any)."""
    found = changes.get(id(item))
    return replace(item, **found) if found else item


def _fields_shown(fields: dict[str, Any], found: dict[str, Any]) -> dict[str, Any]:
    """Type-specific fields with the edition's changes: a reference that is None is left out."""
    if not found:
        return fields
    out: dict[str, Any] = {}
    for name, value in fields.items():
        shown = found.get(name, value)
        if shown is not None:
            out[name] = shown
    return out


def _dossier_withheld(d: DossierInfo, judgments: list[Claim]) -> DossierInfo:
    """dossier.yml as an edition shows it when the dossier's marking is above the edition.

    What cannot carry a marking of its own inherits the dossier's and is left out: the
    title (the stand-in a dossier without dossier.yml gets takes its place), subtitle,
    summary, authors, dates, open questions and general sources. Key judgments carry
    their own marking (the dossier's by default) and `judgments` holds those the edition
    keeps. The language and the marking are settings, not content.
    """
    return DossierInfo(title=WITHHELD_TITLE, path=d.path, marking=d.marking,
                       key_judgments=judgments, language=d.language)


def _nothing_to_leave_out(content: Content, ok: Callable[[str], bool]) -> bool:
    """True when the edition would keep everything as it is: every marking allowed (the
    dossier's own too), no `ref-or-text` field naming a missing entity (shown as text), no `contradicts`
    naming nothing. Why: the full edition of a big dossier was copied entity by entity
    (a fifth of the link stage) only to come out the same."""
    entities = content.entities
    keys = _claim_keys(content)
    for e in entities.values():
        if not ok(e.marking):
            return False
        if not all(ok(r.marking) for r in e.relations) or not all(ok(r.marking) for r in e.roles):
            return False
        for claim in e.claims:
            if not ok(claim.marking) or any(r.id not in entities and r.id not in keys
                                             for r in claim.contradicts):
                return False
        for value in e.fields.values():
            if isinstance(value, Ref) and value.id not in entities:
                return False
    return ok(content.dossier.marking) and all(
        ok(c.marking) and all(r.id in entities or r.id in keys for r in c.contradicts)
        for c in content.dossier.key_judgments)


def _redact(prose: Prose, kept: Mapping[str, Entity]) -> Prose:
    """Prose as the edition may show it: `[[id]]` of a withheld entity becomes `[withheld]`
    (`[[id|text]]` keeps the writer's text), so neither its id nor its name leaks."""
    if all(r.id in kept for r in prose.refs):
        return prose

    def one(m: re.Match[str]) -> str:
        ident, label = m.group(1).strip(), m.group(2)
        if ident in kept:
            return m.group(0)
        return WITHHELD if label is None else label

    return Prose(INLINE_REF_RE.sub(one, prose.text), [r for r in prose.refs if r.id in kept])


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
            found.update(_ids_named(value))
        for claim in e.claims:
            for ref in claim.contradicts:
                if ref.id in linked.claims_by_key:
                    found.add(linked.claims_by_key[ref.id][0])
    return found & linked.entities.keys()
