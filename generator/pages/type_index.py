"""Page kind: a type's index (`people/index.md`): a table of its entities, its columns
the type's `index_columns` (generator/types.py), each a declarative `Cell` shown here."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial

from ..model import Entity, Ref
from ..types import TYPE_SPECS, TYPES_TABLE
from ..types import Cell as Column
from .base import Link, PageContext, PageSpec, View, date_text, index_path, span_text
from .letters import Letters, by_initial, letter_links, letter_path, letter_title
from .profile import field_value
from .site import SiteContext
from .statements import Cell

Cells = tuple[Cell, ...]  # one cell: its values
#: how many of a person's roles the index shows
ROLES_SHOWN = 3


@dataclass(frozen=True, eq=False)
class IndexView(View):
    """A type's index page (`index-person.md.j2` is tried first): a table, its header
    `columns`, each row a cell per column, each cell its values. Past LETTER_PAGES_MIN
    entities, an overview (`letters`, no rows) and a page per letter (`letter`)."""

    type_: str
    title: str
    plural: str  # the type's name in the plural ("People"; the title of an unsplit index)
    columns: tuple[str, ...]
    rows: tuple[tuple[tuple[Cell, ...], ...], ...]  # a row of cells, each cell its values
    #: per row, each cell's sort key: the ISO date of a date or period cell ("" when it has
    #: none: sorted last), None for the other cells, which sort by their text
    sort_keys: tuple[tuple[str | None, ...], ...]
    #: the index's letter pages, each with its number of rows ((): one page)
    letters: tuple[tuple[Link, int], ...]
    letter: str | None  # the initial of a letter page's rows
    overview: Link | None  # a letter page's link to the overview
    total: int  # the type's entities, on every page


#: the built-in template this kind draws its pages with, and the view it is given
TEMPLATES: dict[str, type[View]] = {"index.md.j2": IndexView}


def pages(site: SiteContext) -> Iterator[PageSpec]:
    """A type's index, and past LETTER_PAGES_MIN entities its letter pages
    (`people/letters/a.md`: a folder of their own, since a profile's id could be `index-a`);
    each is drawn from the type, so the live preview re-renders them all after an edit."""
    for t in TYPES_TABLE:
        templates = (f"index-{t.name}.md.j2", "index.md.j2")
        yield PageSpec(index_path(t.name), templates, partial(index_view, type_=t.name), "type",
                       subject=t.name, nav=t.plural, group="indexes")
        for letter, _ in _letters(site, t.name):
            yield PageSpec(letter_path(letters_folder(t.name), letter), templates,
                           partial(index_view, type_=t.name, letter=letter), "type", subject=t.name,
                           group="indexes")


def letters_folder(type_: str) -> str:
    return f"{TYPE_SPECS[type_].folder}/letters"


def _letters(site: SiteContext, type_: str) -> Letters[Entity]:
    """The type's entities in index order under their names' initials, () when few."""
    def compute() -> Letters[Entity]:
        entities = sorted(site.linked.of_type(type_), key=TYPE_SPECS[type_].index_key)
        return by_initial(entities, lambda e: e.name)
    return site.remembered(f"index-letters-{type_}", compute)


def index_view(site: SiteContext, type_: str, letter: str | None = None) -> IndexView:
    """The index (all its rows, or the overview of its letters), or one letter's page."""
    spec = TYPE_SPECS[type_]
    letters = _letters(site, type_)
    path = index_path(type_) if letter is None else letter_path(letters_folder(type_), letter)
    page = site.page(path)
    entities: tuple[Entity, ...] | list[Entity] = ()  # the overview of the letters
    if letter is not None:
        entities = dict(letters)[letter]
    elif not letters:
        entities = sorted(site.linked.of_type(type_), key=spec.index_key)
    return IndexView(type_, spec.plural if letter is None else letter_title(spec.plural, letter), spec.plural,
                     tuple(title for title, _ in spec.index_columns),
                     tuple(tuple(cell_values(site, e, column, page) for _, column in spec.index_columns)
                           for e in entities),
                     tuple(tuple(sort_key(e, column) for _, column in spec.index_columns)
                           for e in entities),
                     letter_links(page, letters_folder(type_), letters), letter,
                     Link(spec.plural, page.href(index_path(type_))) if letter is not None else None,
                     sum(len(rows) for _, rows in letters) if letters else len(entities))


def sort_key(e: Entity, column: Column) -> str | None:
    """How a date or period cell sorts: by its (first) date as ISO text, which orders as
    dates do, a partial date before the dates inside it ("2019" < "2019-04"); the text
    shown ("25 April 2019", "since 2019") would sort by day or by word."""
    if column.kind not in ("date", "span"):
        return None
    d = e.date(column.fields[0])
    if d is None and column.kind == "span":
        d = e.date(column.fields[1])
    return d.iso() if d is not None else ""


def cell_values(site: SiteContext, e: Entity, column: Column, page: PageContext) -> Cells:
    """What `column` shows for `e` (each kind as `types.Cell` describes it)."""
    return _CELLS[column.kind](site, e, column.fields, page)


CellShower = Callable[[SiteContext, Entity, tuple[str, ...], PageContext], "Cells"]


def _own(site: SiteContext, e: Entity, fields: tuple[str, ...], page: PageContext) -> Cells:
    return (page.link(e.id),)


def _refs(site: SiteContext, e: Entity, fields: tuple[str, ...], page: PageContext) -> Cells:
    return tuple(field_value(site, e.fields.get(fields[0], []), "refs", None, page))


def _vocab(site: SiteContext, e: Entity, fields: tuple[str, ...], page: PageContext) -> Cells:
    return (site.label(TYPE_SPECS[e.type].fields[fields[0]].vocab or "", e.text(fields[0])),)


def _text(site: SiteContext, e: Entity, fields: tuple[str, ...], page: PageContext) -> Cells:
    return (e.text(fields[0]) or "",)


def _date(site: SiteContext, e: Entity, fields: tuple[str, ...], page: PageContext) -> Cells:
    return (date_text(e.date(fields[0]), bool(e.fields.get("circa"))),)


def _span(site: SiteContext, e: Entity, fields: tuple[str, ...], page: PageContext) -> Cells:
    return (span_text(e.date(fields[0]), e.date(fields[1]), bool(e.fields.get("circa"))),)


def _roles(site: SiteContext, e: Entity, fields: tuple[str, ...], page: PageContext) -> Cells:
    ents = site.linked.entities
    roles = [r.title + (f" ({ents[r.organization.id].name})" if r.organization and r.organization.id in ents
                        else "") for r in e.roles[:ROLES_SHOWN]]
    return ("; ".join(roles),)


def _outlet(site: SiteContext, e: Entity, fields: tuple[str, ...], page: PageContext) -> Cells:
    found = e.fields.get(fields[0])
    if isinstance(found, Ref) and found.id in site.linked.entities:
        return (page.link(found.id),)
    return (e.text(fields[1]) or "",)


def _times_cited(site: SiteContext, e: Entity, fields: tuple[str, ...], page: PageContext) -> Cells:
    return (str(len(site.linked.cited_by.get(e.id, []))),)


_CELLS: dict[str, CellShower] = {
    "own": _own, "refs": _refs, "vocab": _vocab, "text": _text, "date": _date, "span": _span,
    "roles": _roles, "outlet": _outlet, "times-cited": _times_cited,
}


def outlet(site: SiteContext, source: Entity, page: PageContext) -> Cells:
    """The outlet's profile when it has one, else the publisher as text."""
    return _outlet(site, source, ("outlet", "publisher"), page)
