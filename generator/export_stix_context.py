"""What every part of a STIX export shares: the linked dossier, each entity's object id,
the properties every object carries (type, id, dates, marking, the extension), the
citations as external references, and the conversions of dates and addresses.

The object builders (`export_stix_sdos`, `export_stix_relationships`, `export_stix_notes`)
take one `StixContext`, made once per bundle, so the costly parts (an id is a SHA-1, an
external reference is shared by every object citing the same place) are made once.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from .dates import PartialDate
from .export_stix_ids import EXTENSION_ID, TLP_MARKINGS, stix_id
from .link import DOSSIER_ID, LinkedDossier
from .model import Citation, Entity

#: when nothing in the content is dated: a fixed stamp, never the clock
NO_DATE = "1970-01-01T00:00:00.000Z"
#: the analytic confidence words on STIX's 0-100 scale (STIX 2.1 appendix A, Low/Med/High)
CONFIDENCE = {"low": 15, "moderate": 50, "high": 85}
#: agency kinds exported as threat actors, and their `threat_actor_types`
THREAT_ACTOR_KINDS: dict[str, list[str]] = {
    "intelligence-service": ["nation-state"], "security-service": ["nation-state"],
    "military-unit": ["nation-state"], "private-military-company": [],
}
#: what an RFC 3986 URI holds unencoded (reserved and unreserved characters, and `%` of an
#: escape already made), less the brackets, which only an IPv6 host may use
URI_SAFE = ":/?#@!$&'()*+,;=%~-._"


def stamp(d: PartialDate) -> str:
    """A partial date as a STIX timestamp: its first day, at midnight UTC."""
    return f"{d.start().isoformat()}T00:00:00.000Z"


def stamp_end(d: PartialDate) -> str:
    """The end of a partial date as a STIX timestamp: the last millisecond of its last day,
    so a range within one year (`since: 2019, until: 2019`) still ends after it starts,
    as STIX requires of `stop_time` and `last_seen`."""
    return f"{d.end().isoformat()}T23:59:59.999Z"


def uri(url: str | None) -> str | None:
    """An address as STIX's `url` must be (an RFC 3986 URI): what content accepts (any
    `http(s)://` text) with the characters a URI may not hold percent-encoded."""
    return quote(url, safe=URI_SAFE) if url else None


def without_empty(**props: Any) -> dict[str, Any]:
    """`props` without the empty ones (None, "", [], {}, False): STIX forbids empty lists
    and strings. No property kept here is a number that may be 0."""
    return {k: v for k, v in props.items() if v}


def sdo_type(e: Entity) -> str:
    """The STIX object type an entity is exported as (see `export_stix`'s docstring)."""
    if e.type == "agency":
        return "threat-actor" if e.text("kind") in THREAT_ACTOR_KINDS else "identity"
    return {"person": "identity", "country": "location", "installation": "infrastructure",
            "source": "report"}.get(e.type, "grouping")


class StixContext:
    """One bundle's shared state: the linked dossier and what is made once from it."""

    def __init__(self, linked: LinkedDossier) -> None:
        self.linked = linked
        self.fallback = self._content_date()
        self.report_id = stix_id("report", DOSSIER_ID)
        self.note_ids = {key: stix_id("note", f"claim:{key}") for key in linked.claims_by_key}
        #: each entity's object id, made once: a UUIDv5 is a SHA-1, and the 1,000-profile
        #: benchmark dossier names its entities 31,000 times
        self.object_ids = {i: stix_id(sdo_type(e), i) for i, e in linked.entities.items()}
        self.object_ids[DOSSIER_ID] = self.report_id
        # at most the edition's highest: the edition labels a withheld dossier with it
        self.dossier_marking = linked.dossier.marking
        self.references: dict[tuple[str, str | None], dict[str, Any] | None] = {}

    def _content_date(self) -> str:
        """The latest date the content gives (the dossier's or a profile's `updated`, its
        `published`): the stamp of whatever has no date of its own, never the clock."""
        d = self.linked.dossier
        dates = [x for x in (d.updated, d.published) if x is not None]
        dates += [e.updated for e in self.linked.entities.values() if e.updated is not None]
        return stamp(max(dates, key=lambda x: x.end())) if dates else NO_DATE

    def object_id(self, entity_id: str) -> str:
        return self.object_ids[entity_id]

    def when(self, e: Entity | None) -> str:
        """The `created`/`modified` stamp of an entity's objects: its `updated`, else the
        content's date."""
        return stamp(e.updated) if e is not None and e.updated is not None else self.fallback

    def common(self, kind: str, key: str, marking: str, when: str) -> dict[str, Any]:
        """The properties every object carries: type, id, dates and its TLP marking."""
        return {"type": kind, "spec_version": "2.1", "id": stix_id(kind, key), "created": when,
                "modified": when, "object_marking_refs": [TLP_MARKINGS[marking]]}

    def extension(self, **props: Any) -> dict[str, Any]:
        """The non-empty `props` in Dossier's property extension (`export_stix_meta`)."""
        return {"extensions": {EXTENSION_ID: {"extension_type": "property-extension",
                                              **without_empty(**props)}}}

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
                kept.append(without_empty(source=c.source.id, locator=c.locator, note=c.note))
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
                self.references[key] = without_empty(
                    source_name=s.text("publisher") or title,
                    description=f"{title}, {locator}" if locator else title,
                    url=uri(s.text("url")), external_id=s.id)
        return self.references[key]
