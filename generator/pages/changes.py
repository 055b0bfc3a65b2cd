"""Page kind: Recent changes (`changes.md`), the latest commits that touched a profile,
from the content's git history (`generator.history`); and the rows a profile's own
History section shows. No history (no git, not a repository, an edition that may not
show it): no page, and no section.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..dates import PartialDate
from ..history import RECENT_CHANGES_MAX, RECENT_PROFILES_MAX, Change
from .base import TYPE_LABELS, Link, PageSpec, View, date_text
from .site import SiteContext

CHANGES_PAGE = "changes.md"


@dataclass(frozen=True, eq=False)
class ChangeRow(View):
    """A commit as a page shows it: its commit date (from git) and its message's first line
    (text from the commit, shown as text)."""

    date: str  # as the site writes dates ("2 January 2020")
    subject: str
    commit: str  # its hash, abbreviated


@dataclass(frozen=True, eq=False)
class RecentChange(View):
    """A commit on the Recent changes page and the profiles it touched (those the edition
    keeps; at most RECENT_PROFILES_MAX, then how many more)."""

    change: ChangeRow
    profiles: tuple[tuple[Link, str], ...]  # (profile, its type's label)
    more: int


@dataclass(frozen=True, eq=False)
class ChangesView(View):
    """The Recent changes page."""

    title: str
    changes: tuple[RecentChange, ...]
    limit: int  # the most commits listed


#: the built-in template this kind draws its pages with, and the view it is given
TEMPLATES: dict[str, type[View]] = {"changes.md.j2": ChangesView}


def pages(site: SiteContext) -> Iterator[PageSpec]:
    if site.history:
        yield PageSpec(CHANGES_PAGE, ("changes.md.j2",), changes_view, "dossier", nav="Recent changes",
                       group="reference")


def change_row(change: Change) -> ChangeRow:
    year, month, day = (int(part) for part in change.date.split("-"))
    return ChangeRow(date_text(PartialDate(year, month, day)), change.subject, change.commit[:10])


def changes_view(site: SiteContext) -> ChangesView:
    page = site.page(CHANGES_PAGE)
    entities = site.linked.entities
    rows = []
    for change, ids in site.history.recent:
        shown = ids[:RECENT_PROFILES_MAX]
        rows.append(RecentChange(change_row(change),
                                 tuple((page.link(i), TYPE_LABELS[entities[i].type][0]) for i in shown),
                                 len(ids) - len(shown)))
    return ChangesView("Recent changes", tuple(rows), RECENT_CHANGES_MAX)


def entity_changes(site: SiteContext, entity_id: str) -> tuple[tuple[ChangeRow, ...], int]:
    """A profile's History section: its commits, newest first, and how many earlier ones
    are left out."""
    history = site.history
    return (tuple(change_row(c) for c in history.by_entity.get(entity_id, ())),
            history.earlier.get(entity_id, 0))
