"""`dossier export --format stix`: the edition's dossier as one STIX 2.1 bundle.

What maps to what (the Data page says the same to readers):

- a person → `identity` (individual); an agency → `threat-actor` when its kind is an
  intelligence or security service, a military unit or a private military company, else
  `identity` (organization, with its sector where the kind names one); a country →
  `location`; an installation → `infrastructure`, plus a `location` `located-at` its
  country; a domain or an event → `grouping` of the entities it involves; a source →
  `report` of the objects that cite it; the dossier → `report` of every object.
- a relation → `relationship` (its own type; `located-in` is STIX's `located-at`), a role
  held in an agency → `relationship` `related-to` with the title as its description, a
  reference field (country, parent, operator, participants...) → `relationship` named by
  the words the network pictures read it with ("part of" → `part-of`).
- a claim or a key judgment → `note` on its entity (or the dossier's report); an open
  question → `note` on the entities it concerns.
- a citation → an external reference (the source's outlet, title, locator and address).
- every object carries its TLP 2.0 `marking-definition` (the ids OASIS publishes for
  TLP 2.0: STIX's built-in TLP 1.0 objects have no CLEAR).

What STIX has no property for goes into one property extension, defined in the bundle
(`extension-definition`, not bare `x_` properties): the dossier's id and type, aliases
where the object type has none, claim and relation status, the confidence word beside
STIX's 0-100 `confidence` (low 15, moderate 50, high 85: the spec's "Low/Med/High"
scale), likelihood, credibility and Admiralty codes, partial dates and `circa` as
written, citations with locators, symmetric relations, contradicted claims and every
type-specific field. `[[id]]` in prose becomes the entity's name.

Ids are UUIDv5 from a fixed namespace and the dossier's own ids, not the UUIDv4 the
specification recommends: a producer MAY use other versions, and deterministic ids are
what make the same content give the same bundle, and a re-import update objects instead
of duplicating them (see `stix_id`).
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from .dates import PartialDate
from .export import plain_text, plain_value
from .link import DOSSIER_ID, LinkedDossier
from .model import Citation, Claim, Entity, Question, Ref, Role
from .types import TYPE_SPECS

#: the namespace of every id this module makes (a UUIDv4 drawn once, never to change:
#: the ids of every exported bundle depend on it)
NAMESPACE = uuid.UUID("2a963d37-cf4a-4b5a-a990-3015a096156b")
#: TLP 2.0 as OASIS publishes it (cti-stix-common-objects, extension-definition-specifications/
#: tlp-2.0): the extension and one marking definition per level, created 2022-10-01
TLP_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP_CREATED = "2022-10-01T00:00:00.000Z"
TLP_MARKINGS = {
    "TLP:CLEAR": "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    "TLP:GREEN": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "TLP:AMBER": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "TLP:RED": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}
#: version 1.0.0 of Dossier's own property extension, published in every bundle
EXTENSION_VERSION = "1.0.0"
EXTENSION_CREATED = "2026-11-30T00:00:00.000Z"
#: when nothing in the content is dated: a fixed stamp, never the clock
NO_DATE = "1970-01-01T00:00:00.000Z"
#: the analytic confidence words on STIX's 0-100 scale (STIX 2.1 appendix A, Low/Med/High)
CONFIDENCE = {"low": 15, "moderate": 50, "high": 85}
#: agency kinds exported as threat actors, and their `threat_actor_types`
THREAT_ACTOR_KINDS: dict[str, list[str]] = {
    "intelligence-service": ["nation-state"], "security-service": ["nation-state"],
    "military-unit": ["nation-state"], "private-military-company": [],
}
#: agency kinds with a sector in STIX's industry-sector vocabulary
SECTORS = {"government-body": "government", "ministry": "government-national",
           "armed-forces": "defense", "media": "communications"}
#: installation kinds that watch or listen: STIX's `reconnaissance`; the others `unknown`
RECONNAISSANCE = {"sigint-station", "radar", "satellite-ground-station"}
#: a dossier relation type and the STIX relationship type with the same meaning
RELATIONSHIP_TYPES = {"located-in": "located-at"}
#: what an RFC 3986 URI holds unencoded (reserved and unreserved characters, and `%` of an
#: escape already made), less the brackets, which only an IPv6 host may use
URI_SAFE = ":/?#@!$&'()*+,;=%~-._"

EXTENSION_SCHEMA = (
    "Dossier analytic properties (property-extension). Each object may carry: dossier_type "
    "(person, agency, domain, event, installation, country, source, dossier, relation, role, "
    "reference, claim, key-judgment, question), dossier_id (the dossier's id of the entity, "
    "or the claim key), aliases (list of names), note (the analyst's note, Markdown), "
    "fields (the entity's type-specific fields as written; references as dossier ids, dates "
    "as partial ISO 8601 strings), status (confirmed, reported, alleged, disputed, denied), "
    "confidence (low, moderate, high), likelihood (almost-no-chance .. almost-certain), "
    "credibility (Admiralty information grade 1-6), admiralty (source grade + information "
    "grade of each cited source, e.g. B2), since/until/date/end_date (partial ISO 8601 "
    "dates: 2019, 2019-04, 2019-04-25), circa (the dates are approximate), relation_type "
    "(the dossier's relation word), label (how a reference field or role reads), symmetric "
    "(the relation reads the same both ways), citations (the locators and notes of the "
    "sources cited: list of {source, locator, note}, source being the external_id of an "
    "external reference), "
    "contradicts (ids of objects the claim disputes), roles (positions held outside any "
    "agency), authors, subtitle, edition, language (the dossier's)."
)


def stix_id(kind: str, key: str) -> str:
    """`kind--UUIDv5(NAMESPACE, "kind:key")`: the same dossier id always gives the same
    STIX id, so an importer updates what it imported before. The dossier's ids are unique
    across types, and every object type gets its own name in the key.

    The UUID is made here as RFC 4122 says (SHA-1 of namespace and name, version and
    variant bits set), what `uuid.uuid5` does at a third of its cost (tests/test_exports.py
    checks the two agree): the 1,000-profile benchmark dossier needs 10,000 of them."""
    digest = bytearray(hashlib.sha1(_NAMESPACE_BYTES + f"{kind}:{key}".encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = digest.hex()
    return f"{kind}--{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


_NAMESPACE_BYTES = NAMESPACE.bytes


EXTENSION_ID = stix_id("extension-definition", "dossier-properties")
PRODUCER_ID = stix_id("identity", "dossier-generator")


def stamp(d: PartialDate) -> str:
    """A partial date as a STIX timestamp: its first day, at midnight UTC."""
    return f"{d.start().isoformat()}T00:00:00.000Z"


def _slug(words: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", words.lower()).strip("-")


def _kept(**props: Any) -> dict[str, Any]:
    """`props` without the empty ones (None, "", [], {}, False): STIX forbids empty lists
    and strings. No property kept here is a number that may be 0."""
    return {k: v for k, v in props.items() if v}


class _Bundle:
    """The objects of one bundle, built from the linked dossier in a fixed order."""

    def __init__(self, linked: LinkedDossier) -> None:
        self.linked = linked
        self.fallback = self._content_date()
        self.objects: list[dict[str, Any]] = []
        self.report_id = stix_id("report", DOSSIER_ID)
        self.note_ids = {key: stix_id("note", f"claim:{key}") for key in linked.claims_by_key}
        #: each entity's object id, made once: a UUIDv5 is a SHA-1, and the 1,000-profile
        #: benchmark dossier names its entities 31,000 times
        self.object_ids = {i: stix_id(sdo_type(e), i) for i, e in linked.entities.items()}
        self.object_ids[DOSSIER_ID] = self.report_id
        self.dossier_marking = _dossier_marking(linked)
        self.references: dict[tuple[str, str | None], dict[str, Any] | None] = {}

    def _content_date(self) -> str:
        d = self.linked.dossier
        dates = [x for x in (d.updated, d.published) if x is not None]
        dates += [e.updated for e in self.linked.entities.values() if e.updated is not None]
        return stamp(max(dates, key=lambda x: x.end())) if dates else NO_DATE

    # --- helpers ------------------------------------------------------------------------

    def object_id(self, entity_id: str) -> str:
        return self.object_ids[entity_id]

    def when(self, e: Entity | None) -> str:
        return stamp(e.updated) if e is not None and e.updated is not None else self.fallback

    def common(self, kind: str, key: str, marking: str, when: str) -> dict[str, Any]:
        return {"type": kind, "spec_version": "2.1", "id": stix_id(kind, key), "created": when,
                "modified": when, "object_marking_refs": [TLP_MARKINGS[marking]]}

    def extension(self, **props: Any) -> dict[str, Any]:
        return {"extensions": {EXTENSION_ID: {"extension_type": "property-extension", **_kept(**props)}}}

    def citations(self, items: Iterable[Citation]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The external references of `items` (outlet, title, locator, address), and the
        citations as the extension keeps them."""
        refs: list[dict[str, Any]] = []
        kept: list[dict[str, Any]] = []
        for c in items:
            ref = self.external_reference(c.source.id, c.locator)
            if ref is None:
                continue
            refs.append(ref)
            if c.locator or c.note:  # the rest is in the external reference
                kept.append(_kept(source=c.source.id, locator=c.locator, note=c.note))
        return refs, kept

    def external_reference(self, source_id: str, locator: str | None) -> dict[str, Any] | None:
        """A source cited at a locator, as an external reference: made once and shared by
        every object citing it so (the benchmark dossier cites 7,000 times, mostly the
        same few places); None for a source the edition leaves out."""
        key = (source_id, locator)
        if key not in self.references:
            s = self.linked.entities.get(source_id)
            if s is None:
                self.references[key] = None
            else:
                title = s.text("title") or s.name
                self.references[key] = _kept(
                    source_name=s.text("publisher") or title,
                    description=f"{title}, {locator}" if locator else title,
                    url=uri(s.text("url")), external_id=s.id)
        return self.references[key]

    def admiralty(self, claim: Claim) -> list[str]:
        """The Admiralty code of each cited source with a grade: its reliability and the
        claim's credibility (`B2`), or the reliability alone."""
        codes = []
        for c in claim.sources:
            s = self.linked.entities.get(c.source.id)
            grade = s.text("reliability") if s is not None else None
            if grade:
                code = f"{grade}{claim.credibility or ''}"
                if code not in codes:
                    codes.append(code)
        return codes

    def add(self, obj: dict[str, Any]) -> None:
        self.objects.append(obj)

    # --- the bundle ---------------------------------------------------------------------

    def build(self) -> dict[str, Any]:
        self.add_entities()
        self.add_relations()
        self.add_references()
        self.add_roles()
        self.add_claims()
        self.add_questions()
        content = list(self.objects)
        self.objects = [*self.meta(content), self.report([o["id"] for o in content]), *content]
        digest = hashlib.sha256(json.dumps(self.objects, sort_keys=True).encode()).hexdigest()
        return {"type": "bundle", "id": stix_id("bundle", f"{self.linked.edition}:{digest}"),
                "objects": self.objects}

    def meta(self, content: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The producer, the extension's definition and the TLP markings the objects use."""
        clear = [TLP_MARKINGS["TLP:CLEAR"]]
        producer = {"type": "identity", "spec_version": "2.1", "id": PRODUCER_ID,
                    "created": EXTENSION_CREATED, "modified": EXTENSION_CREATED, "name": "Dossier",
                    "description": "The generator that exported this bundle from a dossier's profiles.",
                    "identity_class": "system", "object_marking_refs": clear}
        definition = {"type": "extension-definition", "spec_version": "2.1", "id": EXTENSION_ID,
                      "created_by_ref": PRODUCER_ID, "created": EXTENSION_CREATED,
                      "modified": EXTENSION_CREATED, "name": "Dossier analytic properties",
                      "description": "What a dossier records and STIX has no property for.",
                      "schema": EXTENSION_SCHEMA, "version": EXTENSION_VERSION,
                      "extension_types": ["property-extension"], "object_marking_refs": clear}
        used = {TLP_MARKINGS["TLP:CLEAR"]}
        used.update(m for o in content for m in o["object_marking_refs"])
        markings = [{"type": "marking-definition", "spec_version": "2.1", "id": mid,
                     "created": TLP_CREATED, "name": name,
                     "extensions": {TLP_EXTENSION: {"extension_type": "property-extension",
                                                    "tlp_2_0": name.split(":")[1].lower()}}}
                    for name, mid in TLP_MARKINGS.items() if mid in used]
        return [producer, definition, *markings]

    def report(self, object_refs: list[str]) -> dict[str, Any]:
        d = self.linked.dossier
        refs, cited = self.citations(d.sources)
        published = stamp(d.published) if d.published else self.fallback
        return _kept(
            **self.common("report", DOSSIER_ID, self.dossier_marking, published), name=d.title,
            description=plain_text(d.summary, self.linked), report_types=["threat-report"],
            published=published, object_refs=object_refs or [PRODUCER_ID], external_references=refs,
            **self.extension(dossier_type="dossier", subtitle=d.subtitle, authors=d.authors,
                             edition=self.linked.edition, language=d.language, citations=cited,
                             updated=d.updated.iso() if d.updated else None))

    def add_entities(self) -> None:
        for e in self.linked.entities.values():
            self.add(self.entity(e))
            if e.type == "installation":
                self.add_installation_place(e)

    def entity(self, e: Entity) -> dict[str, Any]:
        kind = sdo_type(e)
        refs, cited = self.citations(e.sources)
        own = _kept(**self.common(kind, e.id, e.marking, self.when(e)),
                    name=e.text("title") or e.name if e.type == "source" else e.name,
                    description=plain_text(e.summary, self.linked), labels=e.tags,
                    external_references=refs)
        own.update(self.type_properties(e, kind))
        aliases = other_names(e) if "aliases" not in own else None
        free_roles = [plain_value(r) for r in e.roles if r.organization is None]
        own.update(self.extension(dossier_type=e.type, dossier_id=e.id, aliases=aliases,
                                  note=plain_text(e.note, self.linked), citations=cited,
                                  fields=plain_value(e.fields), roles=free_roles,
                                  updated=e.updated.iso() if e.updated else None))
        return own

    def type_properties(self, e: Entity, kind: str) -> dict[str, Any]:
        """The STIX properties of the entity's object type."""
        word = e.text("kind") or ""  # an agency's or installation's kind
        if kind == "threat-actor":
            return _kept(aliases=other_names(e), threat_actor_types=THREAT_ACTOR_KINDS[word])
        if kind == "identity":
            if e.type == "person":
                return _kept(identity_class="individual", roles=sorted({r.title for r in e.roles}))
            return _kept(identity_class="organization",
                         sectors=[SECTORS[word]] if word in SECTORS else [])
        if kind == "location":
            iso = e.text("iso")
            return {"country": iso} if iso else {"region": "unknown"}
        if kind == "infrastructure":
            first, last = e.date("since"), e.date("until")
            return _kept(aliases=e.aliases,
                         infrastructure_types=["reconnaissance" if word in RECONNAISSANCE
                                               else "unknown"],
                         first_seen=stamp(first) if first else None,
                         last_seen=_after(last) if last else None)
        if kind == "report":
            published = e.date("date")
            cited_by = [self.object_id(i) for i in self.linked.cited_by.get(e.id, ())]
            return {"report_types": ["threat-report"],
                    "published": stamp(published) if published else self.fallback,
                    "object_refs": cited_by or [self.report_id]}
        return {"context": "unspecified", "object_refs": self.grouped(e) or [self.report_id]}

    def grouped(self, e: Entity) -> list[str]:
        """A domain's parties; an event's participants, place and domains (in the edition)."""
        names: list[str] = []
        for name in ("parties", "participants", "location", "domains"):
            value = e.fields.get(name)
            for ref in value if isinstance(value, list) else [value]:
                if isinstance(ref, Ref) and ref.id in self.linked.entities and ref.id not in names:
                    names.append(ref.id)
        return [self.object_id(i) for i in names]

    def add_installation_place(self, e: Entity) -> None:
        """Where an installation stands: a location in its country, described in words."""
        country = e.fields.get("country")
        target = self.linked.entities.get(country.id) if isinstance(country, Ref) else None
        if target is None or not target.text("iso"):
            return
        place = _kept(**self.common("location", e.id, e.marking, self.when(e)),
                      name=f"{e.name} (site)", description=e.text("location"),
                      country=target.text("iso"))
        self.add(place)
        self.add(_kept(**self.common("relationship", f"site:{e.id}", e.marking, self.when(e)),
                       relationship_type="located-at", source_ref=self.object_id(e.id),
                       target_ref=place["id"],
                       **self.extension(dossier_type="reference", label="located in")))

    def add_relations(self) -> None:
        vocab = self.linked.vocab.relation_types
        for edge in self.linked.edges:
            r = edge.relation
            refs, cited = self.citations(r.sources)
            key = f"{edge.subject}|{r.type}|{edge.object}|{r.since or ''}|{r.until or ''}"
            spec = vocab[r.type]
            self.add(_kept(
                **self.common("relationship", key, r.marking, self.when(self.linked.entities[edge.subject])),
                relationship_type=RELATIONSHIP_TYPES.get(r.type, r.type),
                source_ref=self.object_id(edge.subject), target_ref=self.object_id(edge.object),
                description=plain_text(r.note, self.linked), confidence=CONFIDENCE.get(r.confidence or ""),
                start_time=stamp(r.since) if r.since else None,
                stop_time=_after(r.until) if r.until else None, external_references=refs,
                **self.extension(dossier_type="relation", relation_type=r.type,
                                 symmetric=spec.symmetric, status=r.status, confidence=r.confidence,
                                 since=r.since.iso() if r.since else None,
                                 until=r.until.iso() if r.until else None, circa=r.circa,
                                 citations=cited)))

    def add_references(self) -> None:
        """Reference fields as relationships, read as the network pictures read them."""
        entities = self.linked.entities
        for target in sorted(self.linked.backrefs):
            for b in self.linked.backrefs[target]:
                if isinstance(b.detail, Role):
                    continue  # roles: `add_roles`
                holder = entities[b.source]
                reading = TYPE_SPECS[holder.type].edge_reading(b.field)
                source, other = (target, b.source) if reading.backwards else (b.source, target)
                words = _slug(reading.words)
                self.add(_kept(
                    **self.common("relationship", f"{b.source}|{b.field}|{target}", holder.marking,
                                  self.when(holder)),
                    relationship_type=RELATIONSHIP_TYPES.get(words, words),
                    source_ref=self.object_id(source), target_ref=self.object_id(other),
                    **self.extension(dossier_type="reference", label=reading.words,
                                     fields={"field": b.field, "holder": b.source})))

    def add_roles(self) -> None:
        for e in self.linked.entities.values():
            for n, role in enumerate(e.roles):
                org = role.organization
                if org is None or org.id not in self.linked.entities:
                    continue
                refs, cited = self.citations(role.sources)
                self.add(_kept(
                    **self.common("relationship", f"role:{e.id}:{n}", role.marking, self.when(e)),
                    relationship_type="related-to", source_ref=self.object_id(e.id),
                    target_ref=self.object_id(org.id), description=role.title,
                    start_time=stamp(role.since) if role.since else None,
                    stop_time=_after(role.until) if role.until else None, external_references=refs,
                    **self.extension(dossier_type="role", label=role.title,
                                     note=plain_text(role.note, self.linked), circa=role.circa,
                                     since=role.since.iso() if role.since else None,
                                     until=role.until.iso() if role.until else None,
                                     citations=cited)))

    def add_claims(self) -> None:
        for e in self.linked.entities.values():
            for n, claim in enumerate(e.claims):
                self.add(self.note(claim, f"claim:{claim.key or f'{e.id}:{n}'}", self.object_id(e.id),
                                   "claim", self.when(e)))
        for n, claim in enumerate(self.linked.dossier.key_judgments):
            self.add(self.note(claim, f"claim:{claim.key or f'{DOSSIER_ID}:{n}'}", self.report_id,
                               "key-judgment", self.fallback))

    def note(self, claim: Claim, key: str, about: str, what: str, when: str) -> dict[str, Any]:
        refs, cited = self.citations(claim.sources)
        contradicts = []
        for ref in claim.contradicts:
            if ref.id in self.note_ids:
                contradicts.append(self.note_ids[ref.id])
            elif ref.id in self.linked.entities:
                contradicts.append(self.object_id(ref.id))
        return _kept(
            **self.common("note", key, claim.marking, when), content=plain_text(claim.text, self.linked),
            object_refs=[about], confidence=CONFIDENCE.get(claim.confidence or ""),
            external_references=refs,
            **self.extension(dossier_type=what, dossier_id=claim.key, status=claim.status,
                             confidence=claim.confidence, likelihood=claim.likelihood,
                             credibility=claim.credibility, admiralty=self.admiralty(claim),
                             date=claim.date.iso() if claim.date else None,
                             end_date=claim.end_date.iso() if claim.end_date else None,
                             circa=claim.circa, contradicts=contradicts,
                             note=plain_text(claim.note, self.linked), citations=cited))

    def add_questions(self) -> None:
        d = self.linked.dossier
        for n, q in enumerate(d.questions):
            self.add(self.question(q, n, self.dossier_marking))

    def question(self, q: Question, n: int, marking: str) -> dict[str, Any]:
        about = [self.object_id(r.id) for r in q.related if r.id in self.linked.entities]
        return _kept(**self.common("note", f"question:{n}", marking, self.fallback),
                     content=plain_text(q.text, self.linked),
                     object_refs=list(dict.fromkeys(about)) or [self.report_id],
                     **self.extension(dossier_type="question", note=plain_text(q.note, self.linked)))


def other_names(e: Entity) -> list[str]:
    """Every name of an entity but its own: its aliases, then an agency's abbreviation,
    full and native names, which a platform matches as aliases too (`GRU`)."""
    names = [*e.aliases, *(e.text(f) for f in ("abbreviation", "full_name", "native_name"))]
    return [n for n in dict.fromkeys(names) if n and n != e.name]


def _dossier_marking(linked: LinkedDossier) -> str:
    """The marking of what the edition keeps of dossier.yml: its own, or, when that is above
    the edition (whose export then holds none of its marked fields: the title reads
    "Dossier"), the edition's highest, so no object claims a marking the edition drops."""
    vocab = linked.vocab
    top = vocab.editions[linked.edition]
    mine = linked.dossier.marking
    return mine if vocab.marking_rank(mine) <= vocab.marking_rank(top) else top


def _after(d: PartialDate) -> str:
    """The end of a partial date as a STIX timestamp: the last millisecond of its last day,
    so a range within one year (`since: 2019, until: 2019`) still ends after it starts,
    as STIX requires of `stop_time` and `last_seen`."""
    return f"{d.end().isoformat()}T23:59:59.999Z"


def uri(url: str | None) -> str | None:
    """An address as STIX's `url` must be (an RFC 3986 URI): what content accepts (any
    `http(s)://` text) with the characters a URI may not hold percent-encoded."""
    return quote(url, safe=URI_SAFE) if url else None


def sdo_type(e: Entity) -> str:
    """The STIX object type an entity is exported as (see the module docstring)."""
    if e.type == "agency":
        return "threat-actor" if e.text("kind") in THREAT_ACTOR_KINDS else "identity"
    return {"person": "identity", "country": "location", "installation": "infrastructure",
            "source": "report"}.get(e.type, "grouping")


def export_stix(linked: LinkedDossier) -> dict[str, Any]:
    """The edition's dossier as a STIX 2.1 bundle (a JSON object)."""
    return _Bundle(linked).build()
