"""What a STIX bundle says about itself: its producer, the definition of Dossier's property
extension, and the TLP 2.0 marking definitions its objects use.

What STIX has no property for goes into one property extension, defined in the bundle
(`extension-definition`, not bare `x_` properties): a consumer reads from the bundle
alone what each of its properties means (`EXTENSION_SCHEMA`).
"""

from __future__ import annotations

from typing import Any

from .export_stix_ids import EXTENSION_ID, PRODUCER_ID, TLP_CREATED, TLP_EXTENSION, TLP_MARKINGS

#: version 1.0.0 of Dossier's own property extension, published in every bundle
EXTENSION_VERSION = "1.0.0"
EXTENSION_CREATED = "2026-11-30T00:00:00.000Z"

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


def meta_objects(content: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The producer, the extension's definition and the TLP markings the objects use
    (CLEAR always: the producer and the definition carry it)."""
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
