"""The table of entity types (generator/types.py): each entry checked against the schema,
the vocabularies and the other entries, then the stages that read it run for real on
content of every type, so a broken entry fails here and not on a reader's page."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest

from generator import load
from generator.config import LABEL_VOCABS, SiteConfig
from generator.dates import PartialDate
from generator.diagnostics import Diagnostics
from generator.graph_svg import legend
from generator.model import Entity
from generator.schema import TYPE_FIELDS, TYPES, fields_for
from generator.types import CELL_FIELDS, TYPE_SPECS, TYPES_TABLE, Cell, TypeSpec
from generator.validate import validate_file

from .conftest import ContentFactory, cli, linked, loaded, messages

SPECS = [pytest.param(spec, id=spec.name) for spec in TYPES_TABLE]
WITH_SPAN = [pytest.param(spec, id=spec.name) for spec in TYPES_TABLE if spec.span]
WITH_KINDS = [pytest.param(spec, id=spec.name) for spec in TYPES_TABLE if spec.kind_vocab]
#: what each kind of cell needs of the fields it reads, in order: their schema kinds
CELL_FIELD_KINDS: dict[str, tuple[set[str], ...]] = {
    "own": (), "roles": (), "times-cited": (),
    "refs": ({"ref", "refs"},),
    "vocab": ({"enum"},),
    "text": ({"text", "enum", "iso", "reliability"},),
    "date": ({"date"},),
    "span": ({"date"}, {"date"}),
    "outlet": ({"ref"}, {"text"}),
}
#: a value of each field kind a minimal profile may need for its required fields
REQUIRED_VALUES = {"text": "Required text", "date": "2020"}


# --- the table itself ----------------------------------------------------------------------


def test_the_table_has_every_schema_type_in_the_schema_order() -> None:
    assert tuple(spec.name for spec in TYPES_TABLE) == TYPES == tuple(TYPE_FIELDS)
    assert list(TYPE_SPECS) == list(TYPES)
    assert all(TYPE_SPECS[spec.name] is spec for spec in TYPES_TABLE)


@pytest.mark.parametrize(
    "attribute", ["folder", "label", "plural", "colour"],
)
def test_folders_names_and_colours_are_distinct_across_types(attribute: str) -> None:
    values = [getattr(spec, attribute) for spec in TYPES_TABLE]
    assert len(set(values)) == len(values), values


def test_a_mistaken_folder_name_points_at_one_folder_and_is_no_folder_itself() -> None:
    folders = {spec.folder for spec in TYPES_TABLE}
    wrong = [w for spec in TYPES_TABLE for w in (spec.name, *spec.folder_typos) if w != spec.folder]
    assert len(set(wrong)) == len(wrong), wrong
    assert not folders & set(wrong)


@pytest.mark.parametrize("spec", SPECS)
def test_names_and_folder_are_usable(spec: TypeSpec) -> None:
    assert re.fullmatch(r"[a-z]+(_[a-z]+)*", spec.name)
    assert re.fullmatch(r"[a-z]+(-[a-z]+)*", spec.folder)  # a path part and a URL part
    assert spec.label and spec.plural and spec.label[0].isupper() and spec.plural[0].isupper()
    assert re.fullmatch(r"#[0-9A-Fa-f]{6}", spec.colour)
    assert spec.fields is TYPE_FIELDS[spec.name]


@pytest.mark.parametrize("spec", SPECS)
def test_index_columns_read_fields_the_type_has(spec: TypeSpec) -> None:
    fields = fields_for(spec.name)
    headers = [header for header, _ in spec.index_columns]
    assert headers and all(headers) and len(set(headers)) == len(headers)
    assert [cell.kind for _, cell in spec.index_columns].count("own") == 1  # the row's link
    for header, cell in spec.index_columns:
        assert len(cell.fields) == CELL_FIELDS[cell.kind] == len(CELL_FIELD_KINDS[cell.kind])
        for name, kinds in zip(cell.fields, CELL_FIELD_KINDS[cell.kind], strict=True):
            assert name in fields, f"{header}: {spec.name} has no field {name!r}"
            assert fields[name].kind in kinds, f"{header}: {name!r} is a {fields[name].kind}"
        if cell.kind == "vocab":
            assert fields[cell.fields[0]].vocab in LABEL_VOCABS
        if cell.kind == "roles":
            assert fields["roles"].kind == "roles"


@pytest.mark.parametrize("spec", SPECS)
def test_kind_vocabulary_is_the_kind_fields_and_exists(spec: TypeSpec, site_config: SiteConfig) -> None:
    kind = spec.fields.get("kind")
    assert spec.kind_vocab == (kind.vocab if kind else None)
    if spec.kind_vocab:
        assert spec.kind_vocab in LABEL_VOCABS
        assert site_config.vocab.words(spec.kind_vocab)  # the built-in vocabulary has words


@pytest.mark.parametrize("spec", SPECS)
def test_span_and_date_labels_name_date_fields_of_the_type(spec: TypeSpec) -> None:
    dates = {name for name, f in spec.fields.items() if f.kind == "date"}
    if spec.span is not None:
        start, end = spec.span
        assert start != end and {start, end} <= dates
    labelled = [name for name, _ in spec.date_labels]
    assert len(set(labelled)) == len(labelled) and set(labelled) <= dates
    assert all(words and words[0].isupper() for _, words in spec.date_labels)
    assert all(spec.date_label(name) == words for name, words in spec.date_labels)
    assert spec.date_label("name") is None


@pytest.mark.parametrize("spec", SPECS)
def test_caption_fields_are_text_and_the_last_is_required(spec: TypeSpec) -> None:
    fields = fields_for(spec.name)
    assert spec.caption[0] == "name"
    assert all(fields[name].kind == "text" for name in spec.caption)
    assert fields[spec.caption[-1]].required or spec.caption == ("name",)


@pytest.mark.parametrize("spec", SPECS)
def test_index_order_reads_a_field_every_entity_has(spec: TypeSpec) -> None:
    if spec.index_order == "date":
        assert fields_for(spec.name)["date"].kind == "date"
        assert fields_for(spec.name)["date"].required
    else:
        assert spec.index_order == "name"


CELL_MISTAKES = [
    pytest.param(("refs",), "reads 1 field", id="refs-without-field"),
    pytest.param(("own", "name"), "reads 0 field", id="own-with-field"),
    pytest.param(("span", "since"), "reads 2 field", id="span-with-one-field"),
    pytest.param(("outlet",), "reads 2 field", id="outlet-without-fields"),
    pytest.param(("link", "x"), "unknown cell kind 'link'", id="unknown-kind"),
]


@pytest.mark.parametrize(("args", "message"), CELL_MISTAKES)
def test_a_cell_naming_the_wrong_number_of_fields_is_refused(args: tuple[str, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Cell(*args)  # type: ignore[arg-type]


def test_cells_are_frozen_values() -> None:
    assert Cell("span", "since", "until") == Cell("span", "since", "until")
    assert Cell("span", "since", "until").fields == ("since", "until")
    with pytest.raises(AttributeError):
        Cell("own").kind = "refs"  # type: ignore[misc]


# --- what the stages derive from it ------------------------------------------------------


def test_the_legend_shows_each_types_colour_beside_its_label() -> None:
    """What a reader of a network picture sees: the legend's dot for each type filled
    with the table's colour, beside the type's label. (The folder a type is read from
    and the noun of its `kind` errors are checked by loading and validating for real
    below; comparing load's and validate's tables with the comprehensions that make
    them could not fail.)"""
    page = lxml.html.fragment_fromstring(
        legend([spec.name for spec in TYPES_TABLE], {spec.name: spec.label for spec in TYPES_TABLE}))
    shown = [(li.text_content().strip(), li.find(".//circle").get("fill")) for li in page.iter("li")]
    assert shown == [(spec.label, spec.colour) for spec in TYPES_TABLE]


def _profile(spec: TypeSpec, name: str | None = "Profile", **values: str) -> str:
    """A profile of type `spec` that check accepts: a name (None: none), its required
    fields, `values`."""
    lines = {"name": name}
    for field, f in spec.fields.items():
        if f.required:
            lines[field] = REQUIRED_VALUES[f.kind]
    lines.update(values)
    return "".join(f"{k}: {v}\n" for k, v in lines.items() if v is not None)


@pytest.mark.parametrize("spec", SPECS)
def test_a_file_in_the_types_folder_is_read_as_the_type(spec: TypeSpec, content: ContentFactory,
                                                        site_config: SiteConfig) -> None:
    root = content({f"content/{spec.folder}/x.yml": _profile(spec)})
    entity = validate_file(next(f for f in loaded(root).files if f.stem == "x"), site_config,
                           "TLP:CLEAR", Diagnostics())
    assert entity is not None and (entity.type, entity.name) == (spec.name, "Profile")


FOLDER_MISTAKES = [pytest.param(spec, wrong, id=wrong)
                   for spec in TYPES_TABLE for wrong in (spec.name, *spec.folder_typos)
                   if wrong != spec.folder]


@pytest.mark.parametrize(("spec", "wrong"), FOLDER_MISTAKES)
def test_a_folder_written_by_mistake_names_the_types_folder(spec: TypeSpec, wrong: str,
                                                            content: ContentFactory) -> None:
    root = content({f"content/{wrong}/x.yml": _profile(spec)})
    diags = Diagnostics()
    load.load_content(root, diags)
    assert messages(diags) == [
        f"content/{wrong}/x.yml: error: unknown folder '{wrong}' Did you mean '{spec.folder}'?"]


@pytest.mark.parametrize("spec", WITH_SPAN)
def test_a_reversed_span_is_an_error_at_its_end(spec: TypeSpec, content: ContentFactory,
                                                site_config: SiteConfig) -> None:
    assert spec.span is not None
    start, end = spec.span
    root = content({f"content/{spec.folder}/x.yml": _profile(spec, **{start: "2020", end: "2019"})})
    f = next(f for f in loaded(root).files if f.stem == "x")
    diags = Diagnostics()
    validate_file(f, site_config, "TLP:CLEAR", diags)
    line = f.lines.index(f"{end}: 2019") + 1
    assert messages(diags) == [
        f"content/{spec.folder}/x.yml:{line}:{len(end) + 3}: error: `{end}` 2019 is before `{start}` "
        "2020 Swap the dates, or correct the one that is wrong."]


@pytest.mark.parametrize("spec", WITH_KINDS)
def test_a_kind_outside_the_types_vocabulary_is_an_error(spec: TypeSpec, content: ContentFactory,
                                                         site_config: SiteConfig) -> None:
    assert spec.kind_vocab is not None
    word = next(iter(site_config.vocab.words(spec.kind_vocab)))
    root = content({f"content/{spec.folder}/good.yml": _profile(spec, "Good", kind=word),
                    f"content/{spec.folder}/bad.yml": _profile(spec, "Bad", kind="no-such-kind")})
    files = {f.stem: f for f in loaded(root).files}
    found = Diagnostics()
    assert validate_file(files["good"], site_config, "TLP:CLEAR", found) is not None
    assert messages(found) == []
    validate_file(files["bad"], site_config, "TLP:CLEAR", found)
    assert [d.message for d in found.items] == [f"unknown {spec.name} kind 'no-such-kind'"]


@pytest.mark.parametrize("spec", SPECS)
def test_without_a_name_the_caption_names_the_entity_or_it_is_an_error(
        spec: TypeSpec, content: ContentFactory, site_config: SiteConfig) -> None:
    root = content({f"content/{spec.folder}/x.yml": _profile(spec, None, summary="No name.")})
    f = next(f for f in loaded(root).files if f.stem == "x")
    diags = Diagnostics()
    entity = validate_file(f, site_config, "TLP:CLEAR", diags)
    if len(spec.caption) > 1:
        assert messages(diags) == [] and entity is not None
        assert entity.name == REQUIRED_VALUES[spec.fields[spec.caption[-1]].kind]
    else:
        assert entity is None
        assert [d.message for d in diags.items] == [
            f"missing required field 'name' in {'an' if spec.name[0] in 'aeiou' else 'a'} "
            f"{spec.name} profile"]


# --- index pages: the headers and the row order the table says ---------------------------


def _entity(spec: TypeSpec, ident: str, name: str, date: PartialDate | None = None) -> Entity:
    fields = {"date": date} if date else {}
    return Entity(ident, spec.name, name, f"{spec.folder}/{ident}.yml", None, fields=fields)  # type: ignore[arg-type]


@pytest.mark.parametrize("spec", SPECS)
def test_index_key_orders_by_the_types_order_then_id(spec: TypeSpec) -> None:
    rows = [_entity(spec, "d", "beta", PartialDate(2019)), _entity(spec, "c", "Alpha", PartialDate(2021)),
            _entity(spec, "b", "alpha", PartialDate(2019, 4)), _entity(spec, "a", "Gamma", PartialDate(2019))]
    order = [e.id for e in sorted(rows, key=spec.index_key)]
    assert order == (["a", "d", "b", "c"] if spec.index_order == "date" else ["b", "c", "d", "a"])


def _index_table(page: Path) -> tuple[list[str], list[str]]:
    """An index page's column headers and the link target of each row's own cell."""
    lines = [line for line in page.read_text(encoding="utf-8").splitlines() if line.startswith("| ")]
    headers = [h.strip() for h in lines[0].strip("| ").split(" | ")]
    return headers, [m.group(1) for line in lines[1:] if (m := re.search(r"\]\(([a-z0-9-]+)\.md\)", line))]


def test_index_pages_show_the_tables_columns_in_the_tables_order(
        content: ContentFactory, capsys: pytest.CaptureFixture[str], site_config: SiteConfig,
        tmp_path: Path) -> None:
    """Built for real: every type's index page, three entities each, named and dated so
    that name order, date order and id order all differ."""
    files = {"content/dossier.yml": "title: Types\n"}
    for spec in TYPES_TABLE:
        for ident, name, date in (("x1", "beta", "2021"), ("x2", "Alpha", "2019"), ("x3", "gamma", "2020")):
            dated = {"date": date} if "date" in spec.fields else {}
            files[f"content/{spec.folder}/{spec.name}-{ident}.yml"] = _profile(spec, name, **dated)
    root = content(files, with_defaults=False)
    dossier, _ = linked(root, site_config)
    code, _, err = cli(capsys, "render", "--content", str(root), "--out", str(tmp_path / "tree"))
    assert code == 0, err
    for spec in TYPES_TABLE:
        headers, own = _index_table(tmp_path / "tree" / "docs" / spec.folder / "index.md")
        assert headers == [header for header, _ in spec.index_columns]
        assert own == [e.id for e in sorted(dossier.of_type(spec.name), key=spec.index_key)]


#: one profile of every type with every index column filled (and a second source with
#: what its cells fall back to): each kind of `Cell`, as its docstring says it is shown
EVERY_CELL = {
    "content/dossier.yml": "title: Cells\nsources: [s1]\n",
    "content/countries/ve.yml": "name: Venezuela\niso: VE\n",
    "content/countries/ru.yml": "name: Russia\niso: RU\n",
    "content/agencies/gov.yml": "name: Government\nkind: government-body\ncountry: ru\n",
    "content/agencies/fsb.yml": "name: FSB\nkind: intelligence-service\ncountry: ru\nparent: gov\n",
    "content/agencies/meduza.yml": "name: Meduza\nkind: media\n",
    "content/people/ana.yml": """
        name: Ana
        nationality: [ve, ru]
        roles:
          - {title: Director, organization: fsb, sources: [s1]}
          - {title: Adviser, sources: [s1]}
          - {title: Chair, organization: gov, sources: [s1]}
          - {title: Fourth, organization: gov, sources: [s1]}
        """,
    "content/domains/sigint.yml": "name: SIGINT\nparties: [fsb, ve]\nsince: 2019-04\nuntil: 2021\n"
                                  "circa: true\n",
    "content/events/visit.yml": "name: Visit\ndate: 2020-05-03\ncirca: true\nparticipants: [ana, fsb]\n",
    "content/installations/base.yml": "name: Base\nkind: sigint-station\ncountry: ve\nstatus: reported\n",
    "content/sources/s1.yml": "name: S1\ntitle: T1\noutlet: meduza\npublisher: Not shown\ndate: 2019-04-25\n"
                              "kind: media-report\nreliability: B\n",
    "content/sources/s2.yml": "title: T2\npublisher: Some Ministry\nkind: official-statement\n",
}
#: a sortable cell as the index template writes it: `<span data-sort="ISO">text</span>`
_SORT_SPAN = re.compile(r'<span data-sort="([^"]*)">(.*?)</span>')
#: folder → its index page's rows, each cell as the page's Markdown writes it
EVERY_CELL_ROWS = {
    "people": [["[Ana](ana.md)", "[Venezuela](../countries/ve.md), [Russia](../countries/ru.md)",
                "Director &#40;FSB&#41;; Adviser; Chair &#40;Government&#41;"]],
    "agencies": [["[FSB](fsb.md)", "intelligence service", "[Russia](../countries/ru.md)",
                  "[Government](gov.md)"],
                 ["[Government](gov.md)", "government body", "[Russia](../countries/ru.md)", ""],
                 ["[Meduza](meduza.md)", "media outlet", "", ""]],
    "domains": [["[SIGINT](sigint.md)", "[FSB](../agencies/fsb.md), [Venezuela](../countries/ve.md)",
                 "c. April 2019 – c. 2021 @ 2019-04"]],
    "events": [["c. 3 May 2020 @ 2020-05-03", "[Visit](visit.md)",
                "[Ana](../people/ana.md), [FSB](../agencies/fsb.md)"]],
    "installations": [["[Base](base.md)", "signals intelligence station", "[Venezuela](../countries/ve.md)",
                       "reported"]],
    "countries": [["[Russia](ru.md)", "RU"], ["[Venezuela](ve.md)", "VE"]],
    "sources": [["[S1](s1.md)", "[Meduza](../agencies/meduza.md)", "25 April 2019 @ 2019-04-25",
                 "media report", "B", "2"],
                ["[T2](s2.md)", "Some Ministry", "", "official statement", "", "0"]],
}


def test_every_kind_of_index_cell_shows_what_cell_says(
        content: ContentFactory, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Built for real: the rows of every index page, cell by cell (`Cell`'s docstring)."""
    root = content(EVERY_CELL, with_defaults=False)
    code, _, err = cli(capsys, "render", "--content", str(root), "--out", str(tmp_path / "tree"))
    assert code == 0, err
    assert {cell.kind for spec in TYPES_TABLE for _, cell in spec.index_columns} == set(CELL_FIELDS)
    for spec in TYPES_TABLE:
        page = (tmp_path / "tree" / "docs" / spec.folder / "index.md").read_text(encoding="utf-8")
        rows = [line.rstrip().removeprefix("| ").removesuffix(" |").split(" | ")
                for line in page.splitlines() if line.startswith("| ")][2:]  # after headers, rule
        # a dated cell carries its ISO date for sorting (`data-sort`): read as "text @ key"
        rows = [[_SORT_SPAN.sub(lambda m: f"{m[2]} @ {m[1]}" if m[1] else m[2], cell) for cell in row]
                for row in rows]
        assert rows == EVERY_CELL_ROWS[spec.folder], spec.folder
