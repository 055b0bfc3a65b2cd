"""Typed data passed between stages.

`validate` produces a `Content` of entities whose references are still plain ids
(`Ref`, with the place they were written); `link` resolves them into a
`LinkedDossier`; `render` only reads that.

No stage changes a value it was handed: the live preview's caches hand the same
entities to every run, so a change made by one run would show in the next (a
relation written on both sides kept the dropped side's sources). Later stages
build new values (`dataclasses.replace`). `Relation` and `Question` are frozen to
say so; the parts a dossier holds by the tens of thousands (claims, roles,
citations, prose) are not: a frozen dataclass is built at half the speed or less
(0.25 → 0.80 µs for a citation), about 0.1 s more to validate the 10,000-entity
benchmark dossier (160,000 such parts).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .dates import PartialDate
from .diagnostics import Loc

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
