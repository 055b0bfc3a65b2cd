"""Page kind: the bibliography (`bibliography.md`): every source, by outlet and date,
with its grade and what cites it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..dates import PartialDate
from .base import Link, PageSpec, View, date_text
from .site import SiteContext
from .statements import Cell
from .type_index import outlet

CITED_BY_SHOWN = 8


@dataclass(frozen=True, eq=False)
class BibliographyRow(View):
    source: Link
    title: str
    author: str | None
    outlet: tuple[Cell, ...]
    date: str
    kind: str
    grade: str | None
    grade_label: str
    url: str | None
    cited_by: tuple[Link, ...]  # the first CITED_BY_SHOWN
    more: int  # how many more cite it
    sort: tuple[Any, ...]


@dataclass(frozen=True, eq=False)
class BibliographyView(View):
    """The bibliography: every source, by outlet and date."""

    title: str
    rows: tuple[BibliographyRow, ...]


#: the built-in template this kind draws its pages with, and the view it is given
TEMPLATES: dict[str, type[View]] = {"bibliography.md.j2": BibliographyView}


def pages(site: SiteContext) -> Iterator[PageSpec]:
    yield PageSpec("bibliography.md", ("bibliography.md.j2",), bibliography_view, "dossier",
                   nav="Bibliography", group="reference")


def bibliography_view(site: SiteContext) -> BibliographyView:
    page = site.page("bibliography.md")
    rows = []
    for s in site.linked.of_type("source"):
        out = outlet(site, s, page)
        cited = site.linked.cited_by.get(s.id, [])
        rows.append(BibliographyRow(
            source=page.link(s.id), title=s.text("title") or s.name, author=s.text("author"),
            outlet=out, date=date_text(s.date("date")),
            kind=site.label("source_kinds", s.text("kind")) if s.text("kind") else "",
            grade=s.text("reliability"), grade_label=site.label("reliability", s.text("reliability")),
            url=s.text("url"),
            cited_by=tuple(page.home_or_link(i) for i in cited[:CITED_BY_SHOWN]),
            more=max(len(cited) - CITED_BY_SHOWN, 0),
            sort=(str(out[0].text if isinstance(out[0], Link) else out[0]).casefold(),
                  s.date("date") or PartialDate(1), s.id),
        ))
    rows.sort(key=lambda r: r.sort)
    return BibliographyView("Bibliography", tuple(rows))
