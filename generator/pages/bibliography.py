"""Page kind: the bibliography (`bibliography.md`): every source, by outlet and date,
with its grade and what cites it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from ..dates import PartialDate
from ..model import Entity
from .base import Link, PageContext, PageSpec, View, date_text
from .letters import Letters, by_initial, letter_links, letter_path, letter_title
from .site import SiteContext
from .statements import Cell
from .type_index import outlet

CITED_BY_SHOWN = 8
#: the folder of the bibliography's letter pages (by the outlet's initial)
LETTERS_FOLDER = "bibliography"


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
    """The bibliography: every source, by outlet and date; past LETTER_PAGES_MIN sources,
    an overview (`letters`, no rows) and a page per initial of the outlet (`letter`)."""

    title: str
    rows: tuple[BibliographyRow, ...]
    #: the letter pages, each with its number of sources ((): one page)
    letters: tuple[tuple[Link, int], ...]
    letter: str | None  # the initial of a letter page's outlets
    overview: Link | None  # a letter page's link to the overview
    total: int  # how many sources, on every page


#: the built-in template this kind draws its pages with, and the view it is given
TEMPLATES: dict[str, type[View]] = {"bibliography.md.j2": BibliographyView}


def pages(site: SiteContext) -> Iterator[PageSpec]:
    """The bibliography, and past LETTER_PAGES_MIN sources a page per initial of their
    outlets (`bibliography/a.md`), the order the one page lists them in."""
    yield PageSpec("bibliography.md", ("bibliography.md.j2",), bibliography_view, "dossier",
                   nav="Bibliography", group="reference")
    for letter, _ in _letters(site):
        yield PageSpec(letter_path(LETTERS_FOLDER, letter), ("bibliography.md.j2",),
                       partial(bibliography_view, letter=letter), "dossier", group="reference")


SortedSources = tuple[tuple[tuple[Any, ...], Entity], ...]


def _sorted_sources(site: SiteContext) -> SortedSources:
    """Every source with its place in the list (outlet, date, id), in that order, once."""
    def compute() -> SortedSources:
        page = site.page("bibliography.md")  # an outlet's text is the same from every page
        keyed = []
        for s in site.linked.of_type("source"):
            out = outlet(site, s, page)
            keyed.append(((str(out[0].text if isinstance(out[0], Link) else out[0]).casefold(),
                           s.date("date") or PartialDate(1), s.id), s))
        return tuple(sorted(keyed, key=lambda k: k[0]))
    return site.remembered("bibliography-sources", compute)


def _letters(site: SiteContext) -> Letters[tuple[tuple[Any, ...], Entity]]:
    return site.remembered("bibliography-letters",
                           lambda: by_initial(_sorted_sources(site), lambda k: k[0][0]))


def bibliography_view(site: SiteContext, letter: str | None = None) -> BibliographyView:
    """The bibliography (every source, or the overview of its letters), or a letter's page."""
    letters = _letters(site)
    page = site.page("bibliography.md" if letter is None else letter_path(LETTERS_FOLDER, letter))
    chosen = _sorted_sources(site) if not letters else () if letter is None else dict(letters)[letter]
    return BibliographyView("Bibliography" if letter is None else letter_title("Bibliography", letter),
                            tuple(_row(site, page, s, sort) for sort, s in chosen),
                            letter_links(page, LETTERS_FOLDER, letters), letter,
                            None if letter is None else Link("Bibliography", page.href("bibliography.md")),
                            len(_sorted_sources(site)))


def _row(site: SiteContext, page: PageContext, s: Entity, sort: tuple[Any, ...]) -> BibliographyRow:
    out = outlet(site, s, page)
    cited = site.linked.cited_by.get(s.id, [])
    return BibliographyRow(
        source=page.link(s.id), title=s.text("title") or s.name, author=s.text("author"),
        outlet=out, date=date_text(s.date("date")),
        kind=site.label("source_kinds", s.text("kind")) if s.text("kind") else "",
        grade=s.text("reliability"), grade_label=site.label("reliability", s.text("reliability")),
        url=s.text("url"),
        cited_by=tuple(page.home_or_link(i) for i in cited[:CITED_BY_SHOWN]),
        more=max(len(cited) - CITED_BY_SHOWN, 0), sort=sort)
