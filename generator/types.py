"""What each entity type is, in one table: its folder, names, colour, vocabulary, dates
and index columns.

Why one table: what a person or an installation is used to be written in about eleven
places across seven modules (the type name "installation(s)" was spelled 12 times in
generator/), and an index page's headers and cells had to be kept in step by position.
Modelled on FollowTheMoney's schema/*.yaml, where one file says what a Person is: its
`caption` (the fields that name it), `temporalExtent` (here `span`) and `featured`
properties (here `index_columns`). Adding a type is one `TypeSpec` below plus its fields
in `schema.TYPE_FIELDS`; tests/test_types.py checks that the two agree.

The table is data, not code: it imports nothing of the render stage. How pages show a
`Cell` is written down in `Cell`'s docstring for the render stage to follow.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NamedTuple

from .dates import PartialDate
from .model import Entity
from .schema import TYPE_FIELDS, FieldSpec

CellKind = Literal["own", "refs", "vocab", "text", "date", "span", "roles", "outlet", "times-cited"]
#: how many field names each kind of cell reads (see `Cell`)
CELL_FIELDS: dict[CellKind, int] = {
    "own": 0, "refs": 1, "vocab": 1, "text": 1, "date": 1, "span": 2,
    "roles": 0, "outlet": 2, "times-cited": 0,
}
#: how an index page orders its rows (see `TypeSpec.index_key`)
IndexOrder = Literal["name", "date"]
#: what an undated entity sorts as on a page ordered by date: before every real date
UNDATED = PartialDate(1)


@dataclass(frozen=True, init=False)
class Cell:
    """One cell of a type's index table, said declaratively: its `kind` and the field(s)
    it reads. A cell is a list of values (links or plain strings) that the template
    joins; "the edition" below is the linked dossier the page is rendered from.

    - `own`: the entity itself: one link to its profile, its name as the text.
    - `refs` field: a link to each entity the reference field names (one id or a list,
      in the order written) that is in the edition; the others are left out, and an
      absent field gives an empty cell (no values).
    - `vocab` field: one string: the label of the field's word in the vocabulary its
      `FieldSpec.vocab` names (the word itself when the vocabulary lacks it); "" when
      the field is absent.
    - `text` field: one string: the field's value as written; "" when absent.
    - `date` field: one string: the date as readers see it (`25 April 2019`), prefixed
      "c. " when the entity's `circa` is true (a type without a `circa` field never
      has it); "" when absent.
    - `span` start end: one string: "START – END" when both dates are given, "since
      START" or "until END" when one is, "" when neither; each date shown as for `date`
      (with "c. " when `circa` is true).
    - `roles`: one string: the entity's first three roles in the edition, as written, each
      its title followed by " (Organization name)" when its organization is in the
      edition, joined by "; "; "" when it has none.
    - `outlet` ref text: one value: a link to the entity the reference field `ref` names
      (a source's `outlet`) when it is in the edition, else the text field `text` as
      written (its `publisher`), else "".
    - `times-cited`: one string: how many profiles of the edition cite the entity, and
      the dossier file when it does (the number of its `cited_by` entries), in decimal.
    """

    kind: CellKind
    fields: tuple[str, ...]  # the entity fields it reads, in the order listed above

    def __init__(self, kind: CellKind, *fields: str) -> None:
        """`Cell("span", "since", "until")`: the kind, then the fields it reads.

        A cell naming too few or too many fields is a mistake in the table: refused
        when the table is built, not found when a page shows an empty column."""
        if kind not in CELL_FIELDS:
            raise ValueError(f"unknown cell kind {kind!r}")
        if len(fields) != CELL_FIELDS[kind]:
            raise ValueError(f"a {kind!r} cell reads {CELL_FIELDS[kind]} field(s), not {fields}")
        object.__setattr__(self, "kind", kind)  # frozen: set once, here
        object.__setattr__(self, "fields", fields)


class Reading(NamedTuple):
    """How a network picture's line reads a reference field: its `words`, read from the
    entity holding the field to the one it names ("FSB sixth directorate → part of →
    FSB"), or, `backwards`, from the one named to the holder ("Russia → party to →
    Energy cooperation")."""

    words: str
    backwards: bool = False


@dataclass(frozen=True)
class TypeSpec:
    """What one entity type is. Its fields are `schema.TYPE_FIELDS[name]` (`fields`)."""

    name: str  # the type as content and code name it: "person"
    folder: str  # its folder under content/ and in the site: "people"
    label: str  # one of them, for readers: "Person"
    plural: str  # several, for readers: "People" (its index page's title)
    colour: str  # its fill on network pictures (Okabe–Ito palette, see graph.py)
    #: (header, cell) per column of its index page, left to right
    index_columns: tuple[tuple[str, Cell], ...]
    index_order: IndexOrder = "name"
    #: the vocabulary of its `kind` field, when it has one
    kind_vocab: str | None = None
    #: its own (start, end) date fields, which must not be reversed
    span: tuple[str, str] | None = None
    #: (field, reader-facing words) for its own dates on its timeline; other date
    #: fields show their `FieldSpec.shown_label`
    date_labels: tuple[tuple[str, str], ...] = ()
    #: the fields that name an entity, the first one given wins: a source may go
    #: without `name` and is named by its (required) `title`
    caption: tuple[str, ...] = ("name",)
    #: folder names people write for this type's by mistake ("persons")
    folder_typos: tuple[str, ...] = ()
    #: (field, reading) for each reference field a network picture draws as a line
    #: (those with an `inverse`; a role's line reads as its title)
    edge_readings: tuple[tuple[str, Reading], ...] = ()

    @property
    def fields(self) -> dict[str, FieldSpec]:
        """The type's own fields (besides those every entity has), from schema.py."""
        return TYPE_FIELDS[self.name]

    def date_label(self, field: str) -> str | None:
        """The reader-facing words for the type's own date `field` on its timeline."""
        return dict(self.date_labels).get(field)

    def edge_reading(self, field: str) -> Reading:
        """How a line drawn for the reference field `field` reads (its name, lower-case,
        for a field the table forgot: tests/test_graph.py checks that none is)."""
        return dict(self.edge_readings).get(field) or Reading(field.replace("_", " "))

    def index_key(self, e: Entity) -> tuple[PartialDate | str, str]:
        """Where `e` sits on its index page: by date (undated first) or by casefolded
        name, then by id, so equal dates or names keep one order on every build."""
        if self.index_order == "date":
            return e.date("date") or UNDATED, e.id
        return e.name.casefold(), e.id


def _name(header: str = "Name") -> tuple[str, Cell]:
    return header, Cell("own")


#: Every entity type, in the order pages list them (menus, the home page's counts,
#: network legends, the "Writing content" page): the order of `schema.TYPES`.
TYPES_TABLE: tuple[TypeSpec, ...] = (
    TypeSpec(
        "person", "people", "Person", "People", "#0072B2",
        index_columns=(_name(), ("Nationality", Cell("refs", "nationality")),
                       ("Roles", Cell("roles"))),
        span=("born", "died"),
        date_labels=(("born", "Born"), ("died", "Died")),
        folder_typos=("persons",),
        edge_readings=(("nationality", Reading("national of")),),
    ),
    TypeSpec(
        "agency", "agencies", "Agency", "Agencies", "#D55E00",
        index_columns=(_name(), ("Kind", Cell("vocab", "kind")),
                       ("Country", Cell("refs", "country")), ("Parent", Cell("refs", "parent"))),
        kind_vocab="agency_kinds",
        span=("founded", "dissolved"),
        date_labels=(("founded", "Founded"), ("dissolved", "Dissolved")),
        folder_typos=("organizations", "organisations"),
        edge_readings=(("country", Reading("belongs to")), ("parent", Reading("part of"))),
    ),
    TypeSpec(
        "domain", "domains", "Domain", "Domains", "#009E73",
        index_columns=(_name(), ("Parties", Cell("refs", "parties")),
                       ("Period", Cell("span", "since", "until"))),
        span=("since", "until"),
        date_labels=(("since", "Cooperation begins"), ("until", "Cooperation ends")),
        edge_readings=(("parties", Reading("party to", backwards=True)),),
    ),
    TypeSpec(
        "event", "events", "Event", "Events", "#CC79A7",
        index_columns=(("Date", Cell("date", "date")), _name("Event"),
                       ("Participants", Cell("refs", "participants"))),
        index_order="date",
        span=("date", "end_date"),
        date_labels=(("date", "Takes place"),),
        edge_readings=(("location", Reading("took place at")), ("participants", Reading("involved")),
                       ("domains", Reading("part of"))),
    ),
    TypeSpec(
        "installation", "installations", "Installation", "Installations", "#E69F00",
        index_columns=(_name(), ("Kind", Cell("vocab", "kind")),
                       ("Country", Cell("refs", "country")), ("Status", Cell("text", "status"))),
        kind_vocab="installation_kinds",
        span=("since", "until"),
        date_labels=(("since", "In service"), ("until", "Out of service")),
        folder_typos=("bases",),
        edge_readings=(("country", Reading("located in")), ("operator", Reading("operated by")),
                       ("builder", Reading("built by"))),
    ),
    TypeSpec(
        "country", "countries", "Country", "Countries", "#56B4E9",
        index_columns=(_name(), ("ISO code", Cell("text", "iso"))),
    ),
    TypeSpec(
        "source", "sources", "Source", "Sources", "#7f7f7f",
        index_columns=(_name("Source"), ("Outlet", Cell("outlet", "outlet", "publisher")),
                       ("Date", Cell("date", "date")),
                       ("Kind", Cell("vocab", "kind")), ("Grade", Cell("text", "reliability")),
                       ("Times cited", Cell("times-cited"))),
        kind_vocab="source_kinds",
        date_labels=(("date", "Published"),),
        caption=("name", "title"),
        edge_readings=(("outlet", Reading("published by")),),
    ),
)
#: type name → its spec, in the table's order
TYPE_SPECS: dict[str, TypeSpec] = {spec.name: spec for spec in TYPES_TABLE}
