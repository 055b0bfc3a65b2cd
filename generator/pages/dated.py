"""Dated items: the lines of a timeline (a profile's own, and the dossier's)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from markupsafe import Markup

from ..dates import PartialDate
from ..escape import md_text
from ..model import Relation
from .base import Link, View, date_text
from .site import SiteContext


@dataclass(frozen=True, eq=False)
class TimelineEntry(View):
    """One dated line of a timeline: `label` then `other` (a link), then `text`.

    `iso` and `when` (the date as data and as text) are worked out once, when made.
    """

    date: PartialDate
    end: PartialDate | None
    circa: bool
    label: str
    other: Link | None = None
    text: Markup | str = ""
    kind: str = "event"  # event | relation | role | claim | date
    status: str | None = None  # a relation's or claim's: how established it is
    confidence: str | None = None
    cites: tuple[int, ...] = ()  # the page's reference numbers of its sources
    iso: str = field(init=False)
    when: str = field(init=False)

    def __post_init__(self) -> None:
        # made from dates and fixed words: escaped once, not on every page that shows them
        iso, when = _date_texts(self.date, self.end, self.circa)
        object.__setattr__(self, "iso", iso)
        object.__setattr__(self, "when", when)
        object.__setattr__(self, "kind", _escaped_word(self.kind))
        if self.status is not None:
            object.__setattr__(self, "status", _escaped_word(self.status))

    def sort_key(self) -> tuple[Any, ...]:
        return (self.date, self.end or self.date, self.label, self.other.text if self.other else "")


@functools.lru_cache(maxsize=1 << 14)
def _date_texts(date: PartialDate, end: PartialDate | None, circa: bool) -> tuple[Markup, Markup]:
    """A timeline line's date as data (ISO) and as text, escaped: dates recur across pages."""
    if end and end != date:
        when = md_text(f"{date_text(date, circa)} – {date_text(end, circa)}")
    else:
        when = md_text(date_text(date, circa))
    return md_text(date.iso()), when


@functools.lru_cache(maxsize=64)
def _escaped_word(word: str) -> Markup:
    return md_text(word)


def period(start: PartialDate | None,
           end: PartialDate | None) -> tuple[PartialDate, PartialDate | None] | None:
    """Where a dated item sits on a timeline: its start, else its end alone; None if undated."""
    if start is not None:
        return start, end
    if end is not None:
        return end, None
    return None


class Dated(NamedTuple):
    """One item of the dossier's timeline: an event (`subject`), or a dated relation
    (`subject` `label` `object`)."""

    start: PartialDate
    end: PartialDate | None
    circa: bool
    kind: str  # event | relation
    subject: str
    label: str = ""
    object: str | None = None
    relation: Relation | None = None  # a relation's: its status, confidence and sources


#: what each kind of timeline entry is called in the filter over a timeline
KIND_LABELS = {"event": "events", "relation": "relations", "role": "roles", "claim": "claims",
               "date": "own dates"}


@dataclass(frozen=True, eq=False)
class TimelineFilter(View):
    """The choices of the filter bar over a timeline (`tables.js` shows it; without
    JavaScript it stays hidden and every row shows): the kinds of entry and the statuses
    its rows have, each (word, label), in a fixed order."""

    kinds: tuple[tuple[str, str], ...]
    statuses: tuple[tuple[str, str], ...]


#: fewer rows than this get no filter bar: there is nothing to look for
FILTER_MIN_ROWS = 6


def timeline_filter(site: SiteContext, entries: list[TimelineEntry] | tuple[TimelineEntry, ...]
                    ) -> TimelineFilter | None:
    """The filter bar for `entries`, or None when it would offer no choice."""
    kinds = {t.kind for t in entries}
    statuses = {t.status for t in entries if t.status}
    if len(entries) < FILTER_MIN_ROWS or (len(kinds) < 2 and len(statuses) < 2):
        return None
    vocab = site.vocab.words("statuses")
    return TimelineFilter(
        tuple((k, label) for k, label in KIND_LABELS.items() if k in kinds),
        tuple((s, site.label("statuses", s)) for s in [*vocab, *sorted(statuses - vocab.keys())]
              if s in statuses))


def dated_items(site: SiteContext) -> list[Dated]:
    """Every dated event and dated relation of the dossier: what its timeline shows."""
    def compute() -> list[Dated]:
        linked = site.linked
        items = [Dated(d, e.date("end_date"), bool(e.fields.get("circa")), "event", e.id)
                 for e in linked.of_type("event") if (d := e.date("date")) is not None]
        for edge in linked.edges:
            r = edge.relation
            if (when := period(r.since, r.until)) is not None:
                items.append(Dated(*when, r.circa, "relation", edge.subject,
                                   site.vocab.relation_types[r.type].label, edge.object, r))
        return items
    return site.remembered("dated-items", compute)
