"""Dated items: the lines of a timeline (a profile's own, and the dossier's)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from markupsafe import Markup

from ..dates import PartialDate
from ..escape import md_text
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
    iso: str = field(init=False)
    when: str = field(init=False)

    def __post_init__(self) -> None:
        # made from dates and fixed words: escaped once, not on every page that shows them
        iso, when = _date_texts(self.date, self.end, self.circa)
        object.__setattr__(self, "iso", iso)
        object.__setattr__(self, "when", when)
        object.__setattr__(self, "kind", _escaped_word(self.kind))

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
                                   site.vocab.relation_types[r.type].label, edge.object))
        return items
    return site.remembered("dated-items", compute)
