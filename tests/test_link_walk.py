"""Stage 3, link: the one walk over an entity's parts, and what `link` hands on.

`parts` (and `dossier_parts`) yield every prose field, citation and reference with the
field and the object it sits in; resolving, editions, the indexes and the live
preview's `neighbours` read it, so what it misses all of them miss. `link` returns a
linked dossier that is complete and cannot be changed, and leaves its input as it was
(the live preview's caches hand the same content to the next run).
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from generator.config import SiteConfig
from generator.diagnostics import Diagnostics
from generator.link import link, neighbours
from generator.model import (
    Citation,
    Claim,
    Content,
    DossierInfo,
    Entity,
    LinkedDossier,
    Prose,
    Question,
    Ref,
    Relation,
    Role,
)
from generator.parts import PART_KINDS, Part, dossier_parts, parts
from generator.schema import (
    CLAIM_FIELDS,
    COMMON_FIELDS,
    DOSSIER_FIELDS,
    QUESTION_FIELDS,
    RELATION_FIELDS,
    ROLE_FIELDS,
    TYPE_FIELDS,
)

from .conftest import FIXTURES, linked, messages, validated, write

S = "kind: media-report\nreliability: B\n"  # what a source needs to validate without a warning

#: one entity of each type and dossier.yml, holding every kind of part the model has:
#: notes everywhere, a claim disputing a key judgment and the reverse, a role with a
#: note, a `ref-or-text` field written as text (`t`'s location, not a part)
EVERY_PART = {
    "dossier.yml": """
        title: Walk
        summary: About [[p]].
        sources: [s]
        key_judgments:
          - text: Judgment on [[a]].
            key: kj
            sources: [{source: s, locator: p. 2}]
            contradicts: [c1]
            note: Judgment note on [[p]].
        questions:
          - text: Question on [[a]]?
            related: [p, a]
            note: Question note on [[e]].
    """,
    "people/p.yml": """
        name: P
        summary: Summary naming [[a]].
        note: Note naming [[c|a country]].
        sources: [{source: s, locator: p. 1}]
        nationality: [c]
        relations:
          - type: member-of
            target: a
            sources: [s]
            note: Relation note on [[a]].
        claims:
          - text: Claim naming [[e]].
            key: c1
            sources: [s]
            contradicts: [kj, a]
            note: Claim note.
        roles:
          - title: Chief
            organization: a
            sources: [s]
            note: Role note.
    """,
    "agencies/a.yml": "name: A\nkind: ministry\ncountry: c\nparent: b\nnote: Agency note.\n",
    "agencies/b.yml": "name: B\nkind: ministry\n",
    "countries/c.yml": "name: C\niso: \"NO\"\nsummary: A country.\n",
    "domains/d.yml": "name: D\nparties: [a, p]\nsources: [s]\n",
    "events/e.yml": "name: E\ndate: 2020\nlocation: i\nparticipants: [p]\ndomains: [d]\n",
    "events/t.yml": "name: T\ndate: 2021\nlocation: At sea\n",
    "installations/i.yml": "name: I\ncountry: c\noperator: a\nbuilder: b\n",
    "sources/s.yml": "name: S\ntitle: The source\noutlet: a\n" + S,
}


@pytest.fixture(scope="module")
def every_part(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(tmp_path_factory.mktemp("walk") / "content", EVERY_PART)


#: a part as the table below writes it: (where it sits, field, kind, what it names or says)
Shown = tuple[str, str, str, str]


def _shown(found: Iterator[Part], e: Entity | DossierInfo) -> list[Shown]:
    return [(_where(holder, e), spec.name, *_what(value)) for value, spec, holder in found]


def _where(holder: object, e: Entity | DossierInfo) -> str:
    """Where a part sits, by identity: the very object of `e` that holds it."""
    if holder is e:
        return "itself"
    if isinstance(e, Entity) and holder is e.fields:
        return "fields"
    lists: dict[str, Sequence[object]] = (
        {"relations": e.relations, "claims": e.claims, "roles": e.roles} if isinstance(e, Entity)
        else {"key_judgments": e.key_judgments, "questions": e.questions})
    for name, items in lists.items():
        for i, item in enumerate(items):
            if holder is item:
                return f"{name}[{i}]"
    raise AssertionError(f"{holder!r} is not held by {e!r}")


def _what(value: Prose | Citation | Ref) -> tuple[str, str]:
    if isinstance(value, Prose):
        return "prose", value.text
    if isinstance(value, Citation):
        return "citation", value.source.id + (f" @ {value.locator}" if value.locator else "")
    return "ref", value.id


CONTRACT_PARTS: dict[str, list[Shown]] = {
    "ann-smith": [  # person
        ("fields", "nationality", "ref", "northland"),
        ("itself", "summary", "prose", "Chief of the [[north-bureau|Bureau]]."),
        ("itself", "sources", "citation", "article-2021"),
        ("relations[0]", "target", "ref", "north-bureau"),
        ("relations[0]", "sources", "citation", "article-2021 @ para 2"),
        ("claims[0]", "text", "prose", "Ann Smith trained in the south."),
        ("claims[0]", "sources", "citation", "article-2021"),
        ("roles[0]", "organization", "ref", "north-bureau"),
        ("roles[0]", "sources", "citation", "article-2021"),
    ],
    "north-bureau": [  # agency
        ("fields", "country", "ref", "northland"),
        ("fields", "parent", "ref", "north-ministry"),
        ("relations[0]", "target", "ref", "south-agency"),
        ("relations[0]", "sources", "citation", "article-2021"),
        ("relations[0]", "note", "prose", "Markdown *note* naming [[south-agency]]."),
        ("relations[1]", "target", "ref", "coastal-radar"),
        ("relations[1]", "sources", "citation", "article-2021"),
    ],
    "signals": [  # domain
        ("fields", "parties", "ref", "north-bureau"),
        ("fields", "parties", "ref", "south-agency"),
    ],
    "signing-2019": [  # event
        ("fields", "location", "ref", "northland"),
        ("fields", "participants", "ref", "ann-smith"),
        ("fields", "participants", "ref", "north-bureau"),
        ("fields", "domains", "ref", "signals"),
        ("itself", "sources", "citation", "article-2021"),
    ],
    "coastal-radar": [  # installation: its location is text, not a part
        ("fields", "country", "ref", "northland"),
        ("fields", "operator", "ref", "north-bureau"),
    ],
    "northland": [],  # country
    "article-2021": [],  # source
}

EVERY_PART_PARTS: dict[str, list[Shown]] = {
    "p": [
        ("fields", "nationality", "ref", "c"),
        ("itself", "summary", "prose", "Summary naming [[a]]."),
        ("itself", "sources", "citation", "s @ p. 1"),
        ("itself", "note", "prose", "Note naming [[c|a country]]."),
        ("relations[0]", "target", "ref", "a"),
        ("relations[0]", "sources", "citation", "s"),
        ("relations[0]", "note", "prose", "Relation note on [[a]]."),
        ("claims[0]", "text", "prose", "Claim naming [[e]]."),
        ("claims[0]", "sources", "citation", "s"),
        ("claims[0]", "contradicts", "ref", "kj"),
        ("claims[0]", "contradicts", "ref", "a"),
        ("claims[0]", "note", "prose", "Claim note."),
        ("roles[0]", "organization", "ref", "a"),
        ("roles[0]", "sources", "citation", "s"),
        ("roles[0]", "note", "prose", "Role note."),
    ],
    "a": [
        ("fields", "country", "ref", "c"),
        ("fields", "parent", "ref", "b"),
        ("itself", "note", "prose", "Agency note."),
    ],
    "c": [("itself", "summary", "prose", "A country.")],
    "d": [
        ("fields", "parties", "ref", "a"),
        ("fields", "parties", "ref", "p"),
        ("itself", "sources", "citation", "s"),
    ],
    "e": [
        ("fields", "location", "ref", "i"),
        ("fields", "participants", "ref", "p"),
        ("fields", "domains", "ref", "d"),
    ],
    "t": [],  # its location is text
    "i": [
        ("fields", "country", "ref", "c"),
        ("fields", "operator", "ref", "a"),
        ("fields", "builder", "ref", "b"),
    ],
    "s": [("fields", "outlet", "ref", "a")],
}


def _content(root: Path, config: SiteConfig) -> Content:
    found, diags = validated(root, config)
    assert messages(diags) == [], "the fixture content does not validate cleanly"
    return found


def _roots(every_part: Path) -> dict[str, Path]:
    return {"contract": FIXTURES / "contract", "every-part": every_part}


@pytest.mark.parametrize(("fixture", "entity_id", "expected"), [
    *[pytest.param("contract", i, rows, id=f"contract-{i}") for i, rows in CONTRACT_PARTS.items()],
    *[pytest.param("every-part", i, rows, id=f"every-part-{i}") for i, rows in EVERY_PART_PARTS.items()],
])
def test_the_walk_yields_every_part_where_it_sits(
        site_config: SiteConfig, every_part: Path, fixture: str, entity_id: str,
        expected: list[Shown]) -> None:
    e = _content(_roots(every_part)[fixture], site_config).entities[entity_id]
    assert _shown(parts(e), e) == expected


@pytest.mark.parametrize(("fixture", "table"), [("contract", CONTRACT_PARTS),
                                               ("every-part", EVERY_PART_PARTS)])
def test_the_table_has_an_entity_of_each_type(site_config: SiteConfig, every_part: Path,
                                              fixture: str, table: dict[str, list[Shown]]) -> None:
    found = _content(_roots(every_part)[fixture], site_config).entities
    assert sorted({found[i].type for i in table}) == sorted(TYPE_FIELDS)


@pytest.mark.parametrize(("fixture", "expected"), [
    pytest.param("contract", [
        ("itself", "summary", "prose", "A dossier about [[north-bureau]] and [[ann-smith|its chief]]."),
        ("key_judgments[0]", "text", "prose", "The Bureau will keep cooperating with the Agency."),
        ("key_judgments[0]", "sources", "citation", "article-2021"),
        ("questions[0]", "text", "prose", "Does the Bureau run the radar?"),
        ("questions[0]", "related", "ref", "north-bureau"),
        ("questions[0]", "related", "ref", "coastal-radar"),
    ], id="contract"),
    pytest.param("every-part", [
        ("itself", "summary", "prose", "About [[p]]."),
        ("itself", "sources", "citation", "s"),
        ("key_judgments[0]", "text", "prose", "Judgment on [[a]]."),
        ("key_judgments[0]", "sources", "citation", "s @ p. 2"),
        ("key_judgments[0]", "contradicts", "ref", "c1"),
        ("key_judgments[0]", "note", "prose", "Judgment note on [[p]]."),
        ("questions[0]", "text", "prose", "Question on [[a]]?"),
        ("questions[0]", "related", "ref", "p"),
        ("questions[0]", "related", "ref", "a"),
        ("questions[0]", "note", "prose", "Question note on [[e]]."),
    ], id="every-part"),
])
def test_the_dossier_walk_yields_every_part_where_it_sits(
        site_config: SiteConfig, every_part: Path, fixture: str, expected: list[Shown]) -> None:
    d = _content(_roots(every_part)[fixture], site_config).dossier
    assert _shown(dossier_parts(d), d) == expected


#: the model's classes that hold parts, with the schema table of their fields
HOLDERS = [(Entity, COMMON_FIELDS), (Relation, RELATION_FIELDS), (Claim, CLAIM_FIELDS),
           (Role, ROLE_FIELDS), (Question, QUESTION_FIELDS), (DossierInfo, DOSSIER_FIELDS)]


def test_every_prose_citation_and_reference_field_of_the_schema_is_walked(
        site_config: SiteConfig, every_part: Path) -> None:
    """The walk is written out for speed; a prose, citation or reference field added to
    the schema's tables but not to `parts` would be missed by resolving, editions and
    indexes alike. The every-part content fills each such field."""
    content = _content(every_part, site_config)
    walked = {(type(holder), spec.name) for e in content.entities.values() for _, spec, holder in parts(e)}
    walked |= {(type(holder), spec.name) for _, spec, holder in dossier_parts(content.dossier)}
    walked = {(cls, name) for cls, name in walked if cls is not dict}
    expected = {(cls, spec.name) for cls, table in HOLDERS for spec in table.values()
                if spec.kind in PART_KINDS}
    assert walked == expected


def _held(value: object) -> Iterator[object]:
    """Every prose field, citation and reference `value` holds, found by looking into
    the model's objects themselves rather than the schema's tables: a prose field's own
    references and a citation's source belong to it and are not looked into."""
    if isinstance(value, Prose | Citation | Ref):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _held(item)
    elif isinstance(value, dict):
        yield from _held(list(value.values()))
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _held(getattr(value, f.name))


@pytest.mark.parametrize("fixture", ["contract", "every-part"])
def test_the_walk_yields_every_part_the_model_holds(site_config: SiteConfig, every_part: Path,
                                                     fixture: str) -> None:
    """Whatever a field's kind, a prose field, citation or reference the validated
    content holds but the walk misses would escape resolving, editions and indexes (the
    order the walk yields them in is the tables' above)."""
    content = _content(_roots(every_part)[fixture], site_config)
    for e in content.entities.values():
        assert {id(v) for v, _, _ in parts(e)} == {id(v) for v in _held(e)}, e.id
    assert {id(v) for v, _, _ in dossier_parts(content.dossier)} == {id(v) for v in _held(content.dossier)}


# --- link leaves its input as it was, and what it returns cannot change --------------------

LINKED = [("contract", "full"), ("contract", "public"), ("editions", "public"),
          ("editions-amber", "public"), ("editions-amber", "full"), ("hostile", "full"), ("mini", "full")]


@pytest.mark.parametrize(("fixture", "edition"), LINKED)
def test_link_twice_gives_equal_results_and_leaves_the_content_as_it_was(
        site_config: SiteConfig, fixture: str, edition: str) -> None:
    given, _ = validated(FIXTURES / fixture, site_config)
    before = copy.deepcopy(given)
    first = link(given, site_config.vocab, Diagnostics(), edition)
    second = link(given, site_config.vocab, Diagnostics(), edition)
    assert first == second
    assert first is not second and first.entities is not second.entities
    assert given == before


@pytest.fixture(scope="module")
def every_part_linked(site_config: SiteConfig, every_part: Path) -> LinkedDossier:
    found, diags = linked(every_part, site_config)
    assert messages(diags) == []
    return found


@pytest.mark.parametrize("name", [f.name for f in dataclasses.fields(LinkedDossier)])
def test_the_linked_dossier_refuses_a_new_value(every_part_linked: LinkedDossier, name: str) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(every_part_linked, name, getattr(every_part_linked, name))


INDEXES = ["entities", "edges_of", "backrefs", "mentions", "cited_by", "claims_by_key", "questions_of"]


@pytest.mark.parametrize("name", INDEXES)
def test_the_linked_dossiers_indexes_are_read_only(every_part_linked: LinkedDossier, name: str) -> None:
    index = getattr(every_part_linked, name)
    assert index, "the every-part content fills every index"
    key = next(iter(index))
    with pytest.raises(TypeError):
        index[key] = index[key]
    with pytest.raises(TypeError):
        del index[key]
    if name != "entities":  # the lists an index holds are tuples too
        assert all(isinstance(v, tuple) for v in index.values())
    assert isinstance(every_part_linked.edges, tuple)


def test_neighbours_of_an_event_include_the_place_it_names(every_part_linked: LinkedDossier) -> None:
    """An event's `location` (a `ref-or-text` field) shows on the place's page ("Events
    here"), so the live preview re-renders that page when the event changes. It used to
    be missed: the references `neighbours` read left `ref-or-text` fields out."""
    found = every_part_linked
    assert neighbours(found, "e") == {"i", "p", "d"}
    assert "e" in neighbours(found, "i")  # and from the place's side, by its back-reference
