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
of duplicating them (see `export_stix_ids.stix_id`).

This module puts the bundle together; its parts are made by `export_stix_sdos` (the
entities), `export_stix_relationships` (relations, reference fields, roles),
`export_stix_notes` (claims, key judgments, questions) and `export_stix_meta` (the
producer, the extension's definition, the markings), from one `StixContext`
(`export_stix_context`: what they share).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from .export import plain_text
from .export_stix_context import StixContext, stamp, without_empty
from .export_stix_ids import PRODUCER_ID, stix_id
from .export_stix_meta import meta_objects
from .export_stix_notes import claim_notes, question_notes
from .export_stix_relationships import reference_objects, relation_objects, role_objects
from .export_stix_sdos import entity_objects
from .link import DOSSIER_ID, LinkedDossier


def export_stix(linked: LinkedDossier) -> dict[str, Any]:
    """The edition's dossier as a STIX 2.1 bundle (a JSON object): the meta objects, the
    dossier's report, then the content in a fixed order. The bundle's id is made from the
    edition and a digest of its objects: the same content gives the same bundle."""
    ctx = StixContext(linked)
    content = [*entity_objects(ctx), *relation_objects(ctx), *reference_objects(ctx),
               *role_objects(ctx), *claim_notes(ctx), *question_notes(ctx)]
    objects = [*meta_objects(content), dossier_report(ctx, [o["id"] for o in content]), *content]
    digest = hashlib.sha256(json.dumps(objects, sort_keys=True).encode()).hexdigest()
    return {"type": "bundle", "id": stix_id("bundle", f"{linked.edition}:{digest}"),
            "objects": objects}


def dossier_report(ctx: StixContext, object_refs: list[str]) -> dict[str, Any]:
    """The dossier as a `report` of every object (of the producer, when there is none:
    STIX requires `object_refs` to hold one)."""
    d = ctx.linked.dossier
    refs, cited = ctx.citations(d.sources)
    published = stamp(d.published) if d.published else ctx.fallback
    return without_empty(
        **ctx.common("report", DOSSIER_ID, ctx.dossier_marking, published), name=d.title,
        description=plain_text(d.summary, ctx.linked), report_types=["threat-report"],
        published=published, object_refs=object_refs or [PRODUCER_ID], external_references=refs,
        **ctx.extension(dossier_type="dossier", subtitle=d.subtitle, authors=d.authors,
                        edition=ctx.linked.edition, language=d.language, citations=cited,
                        updated=d.updated.iso() if d.updated else None))
