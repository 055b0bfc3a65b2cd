"""`dossier export --format ftm`: the edition's dossier as FollowTheMoney entities, one
JSON object per line (the format the `ftm` tools read and write).

What maps to what (the Data page says the same to readers):

- a person → `Person`; an agency → `PublicBody` (government bodies, ministries, armed
  forces, intelligence and security services, military units), `Company` (companies,
  private military companies) or `Organization`; a country → `Territory`, and its ISO code
  in the `country`/`nationality` properties of what names it; a domain → `Project`, its
  parties `ProjectParticipant`s; an event → `Event` with the people and agencies involved;
  an installation → `RealEstate` (an asset; its kind is the `propertyType`); a source →
  `Article`, and each profile citing it a `Documentation` with the locators as its role.
- a role held in an agency → `Employment` (the title is the role); `member-of` →
  `Membership`; `leads` → `Directorship`; any other relation, an installation's operator or
  builder, a participant that is no legal entity → `UnknownLink` with the relation's words.
- a claim → `Note` on its entity. The sources of a relation, role or claim are its `proof`.

FollowTheMoney has no field for confidence, likelihood, credibility or markings: they are
written in words into `summary` (status and dates go to `status`, `startDate`, `endDate`
where the schema has them). Key judgments and open questions, which belong to no entity,
are left out. The built dossier's edition decides what is exported (nothing above it).
The entities are plain dicts; the test suite checks them with the `followthemoney` model.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

from .export import country_codes, plain_text
from .jsdata import json_text
from .link import LinkedDossier
from .model import Citation, Claim, Entity, Ref, Relation, Role

#: agency kinds and the FtM schema of such a body (the others: Organization)
AGENCY_SCHEMA = {
    "government-body": "PublicBody", "ministry": "PublicBody", "armed-forces": "PublicBody",
    "intelligence-service": "PublicBody", "security-service": "PublicBody",
    "military-unit": "PublicBody", "company": "Company", "private-military-company": "Company",
}
SCHEMA = {"person": "Person", "domain": "Project", "event": "Event", "installation": "RealEstate",
          "country": "Territory", "source": "Article"}
#: schemas FtM counts as legal entities (a member, director, participant or one involved)
LEGAL = {"Person", "PublicBody", "Company", "Organization"}
ORGANIZATIONS = {"PublicBody", "Company", "Organization"}
#: ISO 639-1 (what content writes) → ISO 639-3 (what FtM's `language` holds), for the
#: languages FtM knows; a language missing here is named in the notes instead
LANGUAGES = {
    "ar": "ara", "az": "aze", "be": "bel", "bg": "bul", "bn": "ben", "bs": "bos", "cs": "ces",
    "da": "dan", "de": "deu", "el": "ell", "en": "eng", "es": "spa", "et": "est", "fa": "fas",
    "fi": "fin", "fr": "fra", "he": "heb", "hi": "hin", "hr": "hrv", "hu": "hun", "hy": "hye",
    "id": "ind", "it": "ita", "ja": "jpn", "ka": "kat", "kk": "kaz", "ko": "kor", "lt": "lit",
    "lv": "lav", "ms": "msa", "nl": "nld", "no": "nor", "pl": "pol", "ps": "pus", "pt": "por",
    "ro": "ron", "ru": "rus", "sk": "slk", "sr": "srp", "sv": "swe", "th": "tha", "tr": "tur",
    "uk": "ukr", "ur": "urd", "uz": "uzb", "vi": "vie", "zh": "zho",
}


def schema_of(e: Entity) -> str:
    if e.type == "agency":
        return AGENCY_SCHEMA.get(e.text("kind") or "", "Organization")
    return SCHEMA[e.type]


def _entity(ident: str, schema: str, **props: list[str] | str | None) -> dict[str, Any]:
    """An FtM entity: every property a list of strings; empty ones left out."""
    properties: dict[str, list[str]] = {}
    for name, value in props.items():
        values = [v for v in ([value] if isinstance(value, str) else value or ()) if v]
        if values:
            properties[name] = list(dict.fromkeys(values))
    return {"id": ident, "schema": schema, "properties": properties}


def link_id(*key: str) -> str:
    """A link's id: the SHA-1 of what identifies it (as FtM's `make_id` does), so the same
    content gives the same ids."""
    return hashlib.sha1("\x1f".join(key).encode("utf-8")).hexdigest()


def _words(**facts: str | int | None) -> str:
    """Facts FtM has no property for, in words: `status: reported; confidence: high`."""
    return "; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in facts.items() if v not in (None, ""))


class _Entities:
    def __init__(self, linked: LinkedDossier) -> None:
        self.linked = linked
        self.schemas = {i: schema_of(e) for i, e in linked.entities.items()}

    def ref_ids(self, value: Any) -> list[str]:
        refs = value if isinstance(value, list) else [value]
        return [r.id for r in refs if isinstance(r, Ref) and r.id in self.linked.entities]

    def iso(self, ids: list[str]) -> list[str]:
        """The country codes of the countries among `ids` (a code no country has is left
        out here, and kept in words on the country's `Territory`)."""
        codes = [self.linked.entities[i].text("iso") or "" for i in ids if self.schemas[i] == "Territory"]
        return [code.lower() for code in codes if code in country_codes()]

    def proof(self, sources: list[Citation]) -> list[str]:
        return [c.source.id for c in sources if c.source.id in self.linked.entities]

    def cited(self, sources: list[Citation]) -> str:
        """Where in its sources a statement is (`proof` names only the documents)."""
        return "; ".join(f"{c.source.id}, {c.locator}" for c in sources
                         if c.locator and c.source.id in self.linked.entities)

    def all(self) -> Iterator[dict[str, Any]]:
        for e in self.linked.entities.values():
            yield self.entity(e)
        for e in self.linked.entities.values():
            yield from self.documentation(e)
            yield from self.fields_as_links(e)
            yield from self.roles(e)
            yield from self.claims(e)
        for edge in self.linked.edges:
            yield self.relation(edge.relation, edge.subject, edge.object)

    def entity(self, e: Entity) -> dict[str, Any]:
        schema = self.schemas[e.id]
        common: dict[str, Any] = {
            "name": e.text("title") or e.name if e.type == "source" else e.name, "alias": e.aliases,
            "summary": plain_text(e.summary, self.linked), "keywords": e.tags,
            "notes": [plain_text(e.note, self.linked), _words(marking=e.marking)],
        }
        own = getattr(self, f"props_{e.type}")(e)
        for name in ("notes", "alias"):  # both give some: the profile's first
            own[name] = common.pop(name) + own.get(name, [])
        return _entity(e.id, schema, **common, **own)

    def props_person(self, e: Entity) -> dict[str, Any]:
        return {"birthDate": _iso(e, "born"), "deathDate": _iso(e, "died"),
                "nationality": self.iso(self.ref_ids(e.fields.get("nationality"))),
                "position": [r.title for r in e.roles]}

    def props_agency(self, e: Entity) -> dict[str, Any]:
        country = self.iso(self.ref_ids(e.fields.get("country")))
        parent = self.ref_ids(e.fields.get("parent"))
        return {"alias": [e.text("full_name"), e.text("native_name")],
                "abbreviation": e.text("abbreviation"), "country": country, "jurisdiction": country,
                "incorporationDate": _iso(e, "founded"), "dissolutionDate": _iso(e, "dissolved"),
                "parent": [p for p in parent if self.schemas[p] in LEGAL],
                "classification": self.linked.vocab.words("agency_kinds").get(e.text("kind") or "")}

    def props_domain(self, e: Entity) -> dict[str, Any]:
        return {"country": self.iso(self.ref_ids(e.fields.get("parties"))),
                "startDate": _iso(e, "since"), "endDate": _iso(e, "until"),
                "notes": [_words(circa="the dates are approximate" if e.fields.get("circa") else None)]}

    def props_event(self, e: Entity) -> dict[str, Any]:
        names = self.ref_ids(e.fields.get("participants")) + self.ref_ids(e.fields.get("location"))
        location = e.fields.get("location")
        return {"date": _iso(e, "date"), "startDate": _iso(e, "date"), "endDate": _iso(e, "end_date"),
                "country": self.iso(names), "location": location if isinstance(location, str) else None,
                "involved": [i for i in self.ref_ids(e.fields.get("participants"))
                             if self.schemas[i] in LEGAL],
                "notes": [_words(circa="the date is approximate" if e.fields.get("circa") else None)]}

    def props_installation(self, e: Entity) -> dict[str, Any]:
        kind = self.linked.vocab.words("installation_kinds").get(e.text("kind") or "")
        return {"country": self.iso(self.ref_ids(e.fields.get("country"))),
                "propertyType": kind, "address": e.text("location"),
                "notes": [_words(status=e.text("status"), since=_iso(e, "since"), until=_iso(e, "until"),
                                 circa="the dates are approximate" if e.fields.get("circa") else None)]}

    def props_country(self, e: Entity) -> dict[str, Any]:
        iso = e.text("iso")
        unknown = iso if iso and iso not in country_codes() else None
        return {"country": self.iso([e.id]), "notes": [_words(iso_code=unknown)]}

    def props_source(self, e: Entity) -> dict[str, Any]:
        outlet = self.ref_ids(e.fields.get("outlet"))
        language = e.text("language") or ""
        grade = e.text("reliability")
        publisher = e.text("publisher") or (self.linked.entities[outlet[0]].name if outlet else None)
        return {"title": e.text("title"), "author": e.text("author"), "publisher": publisher,
                "publishedAt": _iso(e, "date"), "sourceUrl": e.text("url"),
                "language": LANGUAGES.get(language.split("-")[0]),
                "notes": [_words(kind=e.text("kind"),
                                 language=language if language.split("-")[0] not in LANGUAGES else None,
                                 admiralty_source_grade=grade and f"{grade} ("
                                 f"{self.linked.vocab.words('reliability').get(grade, grade)})")]}

    def documentation(self, e: Entity) -> Iterator[dict[str, Any]]:
        """One `Documentation` per source the profile cites, its locators as the role."""
        cited: dict[str, list[Citation]] = {}
        for c in e.sources:
            if c.source.id in self.linked.entities:
                cited.setdefault(c.source.id, []).append(c)
        for source, items in cited.items():
            yield _entity(link_id("documentation", e.id, source), "Documentation", document=source,
                          entity=e.id, role="; ".join(c.locator for c in items if c.locator),
                          summary="; ".join(c.note for c in items if c.note))

    def fields_as_links(self, e: Entity) -> Iterator[dict[str, Any]]:
        """Reference fields no property of the schema holds, as links."""
        if e.type == "installation":
            for field, words in (("operator", "operates"), ("builder", "built")):
                for other in self.ref_ids(e.fields.get(field)):
                    yield self.unknown(other, e.id, words, (e.id, field))
        elif e.type == "domain":
            for other in self.ref_ids(e.fields.get("parties")):
                if self.schemas[other] in LEGAL:
                    yield _entity(link_id("participant", e.id, other), "ProjectParticipant",
                                  participant=other, project=e.id, role="party")
                elif self.schemas[other] != "Territory":
                    yield self.unknown(other, e.id, "party to", (e.id, "parties"))
        elif e.type == "event":
            for field, words in (("participants", "involved in"), ("location", "took place at"),
                                 ("domains", "part of")):
                for other in self.ref_ids(e.fields.get(field)):
                    if self.schemas[other] not in LEGAL | {"Territory"} or field == "domains":
                        subject, obj = (other, e.id) if field == "participants" else (e.id, other)
                        yield self.unknown(subject, obj, words, (e.id, field))

    def unknown(self, subject: str, obj: str, words: str, key: tuple[str, ...]) -> dict[str, Any]:
        return _entity(link_id("unknown", *key, subject, obj), "UnknownLink", subject=subject,
                       object=obj, role=words)

    def roles(self, e: Entity) -> Iterator[dict[str, Any]]:
        for n, role in enumerate(e.roles):
            org = self.ref_ids(role.organization)
            if org and self.schemas[org[0]] in ORGANIZATIONS:
                yield self.interval("Employment", ("role", e.id, str(n)), role, role.title,
                                    employee=e.id, employer=org[0])

    def interval(self, schema: str, key: tuple[str, ...], part: Role | Relation, role: str,
                 status: str | None = None, confidence: str | None = None,
                 **ends: str) -> dict[str, Any]:
        """A dated, sourced link: its dates, sources as proof, what FtM lacks in words."""
        return _entity(
            link_id(*key), schema, role=role, **ends, status=status,
            startDate=part.since.iso() if part.since else None,
            endDate=part.until.iso() if part.until else None,
            description=plain_text(part.note, self.linked), proof=self.proof(part.sources),
            summary=_words(confidence=confidence, circa="the dates are approximate" if part.circa else None,
                           marking=part.marking, cited=self.cited(part.sources)))

    def relation(self, r: Relation, subject: str, obj: str) -> dict[str, Any]:
        label = self.linked.vocab.relation_types[r.type].label
        key = ("relation", subject, r.type, obj, r.since.iso() if r.since else "",
               r.until.iso() if r.until else "")
        legal, org = self.schemas[subject] in LEGAL, self.schemas[obj] in ORGANIZATIONS
        if r.type == "member-of" and legal and org:
            return self.interval("Membership", key, r, label, r.status, r.confidence,
                                 member=subject, organization=obj)
        if r.type == "leads" and legal and org:
            return self.interval("Directorship", key, r, label, r.status, r.confidence,
                                 director=subject, organization=obj)
        return self.interval("UnknownLink", key, r, label, r.status, r.confidence,
                             subject=subject, object=obj)

    def claims(self, e: Entity) -> Iterator[dict[str, Any]]:
        for n, claim in enumerate(e.claims):
            yield _entity(link_id("claim", e.id, claim.key or str(n)), "Note", entity=e.id,
                          description=plain_text(claim.text, self.linked),
                          notes=plain_text(claim.note, self.linked), proof=self.proof(claim.sources),
                          summary=self.claim_words(claim))

    def claim_words(self, claim: Claim) -> str:
        grades = []
        for c in claim.sources:
            s = self.linked.entities.get(c.source.id)
            if s is not None and s.text("reliability"):
                grades.append(f"{s.text('reliability')}{claim.credibility or ''}")
        return _words(status=claim.status, confidence=claim.confidence, likelihood=claim.likelihood,
                      credibility=claim.credibility, admiralty=", ".join(dict.fromkeys(grades)),
                      date=claim.date.iso() if claim.date else None,
                      end_date=claim.end_date.iso() if claim.end_date else None,
                      circa="the date is approximate" if claim.circa else None, key=claim.key,
                      marking=claim.marking, cited=self.cited(claim.sources))


def _iso(e: Entity, name: str) -> str | None:
    d = e.date(name)
    return d.iso() if d else None


def export_ftm(linked: LinkedDossier) -> list[dict[str, Any]]:
    """The edition's dossier as FtM entities: the profiles (by id), then the links."""
    return list(_Entities(linked).all())


def ftm_text(linked: LinkedDossier) -> str:
    """JSON lines: one entity per line, keys sorted, as `ftm` writes them."""
    return "".join(json_text(entity) + "\n" for entity in export_ftm(linked))
