"""Typed data passed between stages.

`validate` produces a `Content` of entities whose references are still plain ids
(`Ref`, with the place they were written); `link` resolves them into a
`LinkedDossier`; `render` only reads that.

No stage changes a value it was handed: the live preview's caches hand the same
entities to every run, so a change made by one run would show in the next (a
relation written on both sides kept the dropped side's sources). Later stages
build new values (`dataclasses.replace`). `Relation`, `Question`, `Edge`, `BackRef`
and `LinkedDossier` are frozen to say so, and the linked dossier's indexes are
read-only mappings of tuples, complete when `link` returns it; the parts a dossier
holds by the tens of thousands (claims, roles, citations, prose) are not: a frozen
dataclass is built at half the speed or less (0.25 → 0.80 µs for a citation), about
0.1 s more to validate the 10,000-entity benchmark dossier (160,000 such parts).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .dates import PartialDate
from .diagnostics import Loc

if TYPE_CHECKING:  # config → load → types → model: imported for the annotation only
    from .config import Vocabularies

DEFAULT_MARKING = "TLP:CLEAR"


@dataclass(frozen=True)
class Ref:
    """An id as written in content, with where it was written."""

    id: str
    loc: Loc


@dataclass
class Prose:
    """A Markdown field and the `[[id]]` references found in it."""

    text: str
    refs: list[Ref] = field(default_factory=list)


@dataclass
class Citation:
    source: Ref
    locator: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Relation:
    type: str
    target: Ref
    origin: str  # the id of the entity whose file holds the relation
    loc: Loc
    since: PartialDate | None = None
    until: PartialDate | None = None
    circa: bool = False
    status: str | None = None
    confidence: str | None = None
    sources: list[Citation] = field(default_factory=list)
    note: Prose | None = None
    marking: str = DEFAULT_MARKING


@dataclass
class Claim:
    text: Prose
    loc: Loc
    key: str | None = None
    status: str | None = None
    confidence: str | None = None
    likelihood: str | None = None
    credibility: int | None = None
    date: PartialDate | None = None
    end_date: PartialDate | None = None
    circa: bool = False
    sources: list[Citation] = field(default_factory=list)
    contradicts: list[Ref] = field(default_factory=list)
    note: Prose | None = None
    marking: str = DEFAULT_MARKING


@dataclass
class Role:
    title: str
    loc: Loc
    organization: Ref | None = None
    since: PartialDate | None = None
    until: PartialDate | None = None
    circa: bool = False
    sources: list[Citation] = field(default_factory=list)
    note: Prose | None = None
    marking: str = DEFAULT_MARKING


@dataclass(frozen=True)
class Question:
    text: Prose
    loc: Loc
    related: list[Ref] = field(default_factory=list)
    note: Prose | None = None


@dataclass
class Entity:
    """One profile. Type-specific fields live in `fields`, typed by the schema:
    dates as PartialDate, references as Ref / list[Ref], prose as Prose."""

    id: str
    type: str
    name: str
    path: str
    loc: Loc
    aliases: list[str] = field(default_factory=list)
    summary: Prose | None = None
    tags: list[str] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    sources: list[Citation] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    updated: PartialDate | None = None
    marking: str = DEFAULT_MARKING
    note: Prose | None = None
    fields: dict[str, Any] = field(default_factory=dict)

    def date(self, name: str) -> PartialDate | None:
        value = self.fields.get(name)
        return value if isinstance(value, PartialDate) else None

    def text(self, name: str) -> str | None:
        value = self.fields.get(name)
        return value if isinstance(value, str) else None


@dataclass
class DossierInfo:
    title: str
    path: str
    subtitle: str | None = None
    summary: Prose | None = None
    authors: list[str] = field(default_factory=list)
    published: PartialDate | None = None
    updated: PartialDate | None = None
    marking: str = DEFAULT_MARKING
    key_judgments: list[Claim] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    sources: list[Citation] = field(default_factory=list)
    language: str = "en"


@dataclass
class Content:
    """The validated content: the dossier and its entities by id (sorted)."""

    dossier: DossierInfo
    entities: dict[str, Entity]


@dataclass(frozen=True)
class Edge:
    """A relation as both of its ends see it: `subject` wrote it about `object`."""

    relation: Relation
    subject: str
    object: str

    def other(self, entity_id: str) -> str:
        return self.object if entity_id == self.subject else self.subject


@dataclass(frozen=True)
class BackRef:
    """Entity `source` names this entity in its field `field` (shown as `label`)."""

    source: str
    label: str
    field: str
    detail: Role | None = None  # the role, for a role's organization


@dataclass(frozen=True)
class LinkedDossier:
    """The edition's part of the content, every reference resolved, with the indexes
    pages read. Complete when `link` returns it: every index is built before it is
    made, and none can be changed afterwards (read-only mappings of tuples).

    `entities` by id (sorted); `edges` one per relation (a relation written on both
    sides is one edge citing the sources of both), `edges_of` each entity's from both
    ends; `backrefs` entities naming one in a field (`country`, `parent`, roles...);
    `mentions` and `cited_by` the entities (and `dossier` for dossier.yml) whose prose
    names one or that cite a source, sorted; `claims_by_key` the owner and claim of each
    key; `questions_of` each entity's open questions.

    The entities and dossier it holds are validate's values (or, where the edition
    leaves something out, new ones made from them), shared and not copied: like every
    value handed between stages, no one changes them.
    """

    dossier: DossierInfo
    entities: Mapping[str, Entity]
    vocab: Vocabularies
    edition: str
    edges: tuple[Edge, ...]
    # The indexes' lists are tuples, typed as Sequence: pages ask `.get(id, [])`, and mypy
    # cannot join a tuple with the empty list.
    edges_of: Mapping[str, Sequence[Edge]]
    backrefs: Mapping[str, Sequence[BackRef]]
    mentions: Mapping[str, Sequence[str]]
    cited_by: Mapping[str, Sequence[str]]
    claims_by_key: Mapping[str, tuple[str, Claim]]
    questions_of: Mapping[str, Sequence[Question]]  # entity → open questions

    def of_type(self, type_: str) -> list[Entity]:
        return [e for e in self.entities.values() if e.type == type_]
