"""Stage 3, link: resolve every reference and build the indexes pages need.

Checks that each id exists and is of a type the field allows (suggesting the
closest ids when not), finds parent cycles and relations written twice, then
keeps what the chosen edition may publish and indexes it: relations from both
ends, back-references from fields (`country`, `parent`, roles...), prose
mentions and citations. Every index is built in one pass, so linking stays
linear in entities + references.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from .config import Vocabularies
from .diagnostics import Diagnostics, did_you_mean
from .model import Citation, Claim, Content, DossierInfo, Entity, Prose, Question, Ref, Relation
from .schema import TYPE_FIELDS, FieldSpec
from .validate import INLINE_REF_RE

WITHHELD = "[withheld]"  # what a reader sees where prose names an entity the edition leaves out
DOSSIER_ID = "dossier"  # stands for dossier.yml in mention and citation indexes
WITHHELD_TITLE = "Dossier"  # the title when the edition withholds the dossier's (validate's stand-in)


@dataclass(frozen=True)
class Edge:
    """A relation as both of its ends see it: `subject` wrote it about `object`."""

    relation: Relation
    subject: str
    object: str

    def other(self, entity_id: str) -> str:
        return self.object if entity_id == self.subject else self.subject


@dataclass(frozen=True)
class BackRef:
    """Entity `source` names this entity in its field `field` (shown as `label`)."""

    source: str
    label: str
    field: str
    detail: Any = None  # the Role for roles


@dataclass
class LinkedDossier:
    dossier: DossierInfo
    entities: dict[str, Entity]
    vocab: Vocabularies
    edition: str
    edges: list[Edge] = field(default_factory=list)
    edges_of: dict[str, list[Edge]] = field(default_factory=dict)
    backrefs: dict[str, list[BackRef]] = field(default_factory=dict)
    mentions: dict[str, list[str]] = field(default_factory=dict)
    cited_by: dict[str, list[str]] = field(default_factory=dict)
    claims_by_key: dict[str, tuple[str, Claim]] = field(default_factory=dict)
    questions_of: dict[str, list[Question]] = field(default_factory=dict)  # entity → open questions

    def of_type(self, type_: str) -> list[Entity]:
        return [e for e in self.entities.values() if e.type == type_]


def link(content: Content, vocab: Vocabularies, diags: Diagnostics,
         edition: str = "full") -> LinkedDossier:
    """Resolve references across the whole content, then index the edition's part of it."""
    _resolve(content, diags)
    _check_parent_cycles(content, diags)
    kept = _select_edition(content, vocab, edition)
    linked = LinkedDossier(kept.dossier, kept.entities, vocab, edition)
    _index_edges(linked, diags)
    _index_backrefs(linked)
    _index_prose_and_citations(linked)
    _index_questions(linked)
    return linked


# --- resolution -------------------------------------------------------------------------


def _resolve(content: Content, diags: Diagnostics) -> None:
    entities = content.entities
    keys = {c.key for e in entities.values() for c in e.claims if c.key}
    keys |= {c.key for c in content.dossier.key_judgments if c.key}

    def check(ref: Ref, types: tuple[str, ...] = (), what: str = "") -> None:
        target = entities.get(ref.id)
        if target is None:
            hint = did_you_mean(ref.id, entities) or "Create the entity's file, or fix the id."
            diags.error(ref.loc, f"unknown id '{ref.id}'{what}.", hint)
        elif types and target.type not in types:
            allowed = " or ".join(_a(t) for t in types)
            diags.error(ref.loc, f"'{ref.id}' is {_a(target.type)}, not {allowed}")

    for e in entities.values():
        for ref, types in _entity_refs(e):
            check(ref, types)
        for claim in e.claims:
            for ref in claim.contradicts:
                if ref.id not in keys and ref.id not in entities:
                    diags.error(ref.loc, f"unknown id or claim key '{ref.id}'.",
                                did_you_mean(ref.id, [*keys, *entities]))
    for ref, types in _dossier_refs(content.dossier):
        check(ref, types)


def _a(noun: str) -> str:
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"


def _citations_in(e: Entity) -> Iterator[Citation]:
    yield from e.sources
    for r in e.relations:
        yield from r.sources
    for c in e.claims:
        yield from c.sources
    for role in e.roles:
        yield from role.sources


def _dossier_citations(d: DossierInfo) -> Iterator[Citation]:
    yield from d.sources
    for c in d.key_judgments:
        yield from c.sources


def _prose_in(e: Entity) -> Iterator[Prose]:
    candidates: list[Prose | None] = [e.summary, e.note]
    candidates += [r.note for r in e.relations]
    for c in e.claims:
        candidates += [c.text, c.note]
    candidates += [role.note for role in e.roles]
    yield from (p for p in candidates if p is not None)


def _dossier_prose(d: DossierInfo) -> Iterator[Prose]:
    candidates: list[Prose | None] = [d.summary]
    for c in d.key_judgments:
        candidates += [c.text, c.note]
    for q in d.questions:
        candidates += [q.text, q.note]
    yield from (p for p in candidates if p is not None)


def _field_refs(e: Entity) -> Iterator[tuple[FieldSpec, Ref]]:
    for name, spec in TYPE_FIELDS[e.type].items():
        value = e.fields.get(name)
        if isinstance(value, Ref):
            yield spec, value
        elif isinstance(value, list):
            yield from ((spec, v) for v in value if isinstance(v, Ref))


def _entity_refs(e: Entity) -> Iterator[tuple[Ref, tuple[str, ...]]]:
    for spec, ref in _field_refs(e):
        if spec.kind != "ref-or-text":
            yield ref, spec.ref_types
    for r in e.relations:
        yield r.target, ()
    for role in e.roles:
        if role.organization:
            yield role.organization, ("agency",)
    for cit in _citations_in(e):
        yield cit.source, ("source",)
    for prose in _prose_in(e):
        for ref in prose.refs:
            yield ref, ()


def _dossier_refs(d: DossierInfo) -> Iterator[tuple[Ref, tuple[str, ...]]]:
    for cit in _dossier_citations(d):
        yield cit.source, ("source",)
    for q in d.questions:
        yield from ((r, ()) for r in q.related)
    for prose in _dossier_prose(d):
        yield from ((r, ()) for r in prose.refs)


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


def _select_edition(content: Content, vocab: Vocabularies, edition: str) -> Content:
    """Leave out everything marked above the edition, and every reference to it.

    What has no marking of its own has its holder's: a relation, claim or role its
    entity's, a citation its statement's, dossier.yml's own fields the dossier's
    (`_dossier_withheld`); an entity or a key judgment without one, the dossier's."""
    top = vocab.marking_rank(vocab.editions[edition])

    def ok(marking: str) -> bool:
        return vocab.marking_rank(marking) <= top

    if _nothing_to_leave_out(content, ok):
        return content  # the common case (the full edition): nothing to copy
    kept = {i: e for i, e in content.entities.items() if ok(e.marking)}
    kept_keys = {c.key for e in kept.values() for c in e.claims if c.key and ok(c.marking)}
    kept_keys |= {c.key for c in content.dossier.key_judgments if c.key and ok(c.marking)}

    def keep_ref(ref: Ref) -> bool:
        return ref.id in kept

    def cits(items: list[Citation]) -> list[Citation]:
        return [c for c in items if keep_ref(c.source)]

    def prose(p: Prose | None) -> Prose | None:
        return None if p is None else _redact(p, kept)

    def claims(items: list[Claim]) -> list[Claim]:
        return [replace(c, sources=cits(c.sources), text=_redact(c.text, kept), note=prose(c.note),
                        contradicts=[r for r in c.contradicts if r.id in kept or r.id in kept_keys])
                for c in items if ok(c.marking)]

    out: dict[str, Entity] = {}
    for i, e in kept.items():
        fields: dict[str, Any] = {}
        for name, value in e.fields.items():
            if isinstance(value, Ref) and value.id not in content.entities:
                fields[name] = value.id  # `ref-or-text` that names no entity: plain text
            elif isinstance(value, Ref):
                if keep_ref(value):
                    fields[name] = value
            elif isinstance(value, list) and value and isinstance(value[0], Ref):
                fields[name] = [r for r in value if keep_ref(r)]
            else:
                fields[name] = value
        out[i] = replace(
            e,
            fields=fields,
            summary=prose(e.summary),
            note=prose(e.note),
            sources=cits(e.sources),
            relations=[replace(r, sources=cits(r.sources), note=prose(r.note)) for r in e.relations
                       if ok(r.marking) and keep_ref(r.target)],
            claims=claims(e.claims),
            roles=[replace(r, sources=cits(r.sources), note=prose(r.note),
                           organization=r.organization if r.organization and keep_ref(r.organization)
                           else None)
                   for r in e.roles if ok(r.marking)],
        )
    d = content.dossier
    if not ok(d.marking):
        return Content(_dossier_withheld(d, claims(d.key_judgments)), out)
    dossier = replace(
        d, sources=cits(d.sources), key_judgments=claims(d.key_judgments), summary=prose(d.summary),
        questions=[replace(q, text=_redact(q.text, kept), note=prose(q.note),
                           related=[r for r in q.related if keep_ref(r)]) for q in d.questions],
    )
    return Content(dossier, out)


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
    keys = {c.key for e in entities.values() for c in e.claims if c.key}
    keys |= {c.key for c in content.dossier.key_judgments if c.key}
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


def _redact(prose: Prose, kept: dict[str, Entity]) -> Prose:
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


def _relation_key(r: Relation, symmetric: bool) -> tuple[Any, ...]:
    ends = tuple(sorted((r.origin, r.target.id))) if symmetric else (r.origin, r.target.id)
    return (r.type, ends, r.since, r.until)


def _index_edges(linked: LinkedDossier, diags: Diagnostics) -> None:
    """One edge per relation; a relation written on both sides is one edge citing the
    sources of both, made anew: the relations themselves stay as written, since the
    live preview hands the same ones to the next run (merged in place, a side's
    sources outlived its removal)."""
    seen: dict[tuple[Any, ...], Edge] = {}
    for e in linked.entities.values():
        for r in e.relations:
            key = _relation_key(r, linked.vocab.relation_types[r.type].symmetric)
            first = seen.get(key)
            if first is None:
                seen[key] = Edge(r, r.origin, r.target.id)
                continue
            diags.warning(r.loc, f"relation '{r.type}' between '{r.origin}' and "
                          f"'{r.target.id}' is written twice (also at {first.relation.loc})",
                          "Write a relation once, on either side; both pages show it.")
            seen[key] = replace(first, relation=_citing_also(first.relation, r.sources))
    linked.edges = list(seen.values())  # a key keeps its first place when its edge is replaced
    edges_of: dict[str, list[Edge]] = defaultdict(list)
    for edge in linked.edges:
        edges_of[edge.subject].append(edge)
        edges_of[edge.object].append(edge)
    linked.edges_of = dict(edges_of)


def _citing_also(relation: Relation, more: list[Citation]) -> Relation:
    """A copy of `relation` that also cites those of `more` it does not cite yet."""
    sources = list(relation.sources)
    for citation in more:
        if citation not in sources:
            sources.append(citation)
    return replace(relation, sources=sources)


def _index_backrefs(linked: LinkedDossier) -> None:
    back: dict[str, list[BackRef]] = defaultdict(list)
    for e in linked.entities.values():
        for spec, ref in _field_refs(e):
            if ref.id in linked.entities and spec.inverse:
                back[ref.id].append(BackRef(e.id, spec.inverse, spec.name))
        for role in e.roles:
            if role.organization:
                back[role.organization.id].append(BackRef(e.id, "People", "roles", role))
    linked.backrefs = dict(back)


def _index_prose_and_citations(linked: LinkedDossier) -> None:
    mentions: dict[str, set[str]] = defaultdict(set)
    cited: dict[str, set[str]] = defaultdict(set)
    for e in linked.entities.values():
        for prose in _prose_in(e):
            for ref in prose.refs:
                if ref.id != e.id:
                    mentions[ref.id].add(e.id)
        for cit in _citations_in(e):
            cited[cit.source.id].add(e.id)
        for c in e.claims:
            if c.key:
                linked.claims_by_key[c.key] = (e.id, c)
    d = linked.dossier
    for prose in _dossier_prose(d):
        for ref in prose.refs:
            mentions[ref.id].add(DOSSIER_ID)
    for cit in _dossier_citations(d):
        cited[cit.source.id].add(DOSSIER_ID)
    for c in d.key_judgments:
        if c.key:
            linked.claims_by_key[c.key] = (DOSSIER_ID, c)
    linked.mentions = {k: sorted(v) for k, v in sorted(mentions.items())}
    linked.cited_by = {k: sorted(v) for k, v in sorted(cited.items())}


def neighbours(linked: LinkedDossier, entity_id: str) -> set[str]:
    """Every entity whose page can show something of `entity_id`, or the reverse.

    One hop through every index: relations both ways, field back-references,
    prose mentions, citations, and the owners of claims it disputes. Used by the
    live preview to re-render only the pages an edit can change.
    """
    found: set[str] = {edge.other(entity_id) for edge in linked.edges_of.get(entity_id, [])}
    found.update(b.source for b in linked.backrefs.get(entity_id, []))
    found.update(linked.mentions.get(entity_id, []))
    found.update(linked.cited_by.get(entity_id, []))
    e = linked.entities.get(entity_id)
    if e is not None:
        found.update(ref.id for ref, _ in _entity_refs(e))
        for claim in e.claims:
            for ref in claim.contradicts:
                if ref.id in linked.claims_by_key:
                    found.add(linked.claims_by_key[ref.id][0])
    found.discard(DOSSIER_ID)
    return found


def _index_questions(linked: LinkedDossier) -> None:
    """Each entity's open questions, indexed once instead of scanned per page."""
    questions: dict[str, list[Question]] = defaultdict(list)
    for q in linked.dossier.questions:
        for entity_id in dict.fromkeys(r.id for r in q.related):
            questions[entity_id].append(q)
    linked.questions_of = dict(questions)
