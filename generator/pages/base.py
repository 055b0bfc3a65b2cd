"""What every page kind shares: page specs, typed views, links relative to a page,
numbered references and the few ways a date is written.

A page kind (one module of this package) lists its pages as `PageSpec`s; the render
loop (`generator.render`) builds each spec's view and renders it with the spec's
template. Views are frozen dataclasses (`View`): what a template can rely on is
written down in one place, and a renamed field fails in `tests/test_views.py`, not
when a user's template renders.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal, NamedTuple

from markupsafe import Markup

from ..dates import PartialDate
from ..editions import WITHHELD
from ..escape import md_text, plain_prose, prose_html
from ..link import DOSSIER_ID, LinkedDossier
from ..model import Citation, Entity, Prose
from ..types import TYPE_SPECS
from ..validate_values import INLINE_REF_RE

if TYPE_CHECKING:
    from .site import SiteContext

#: which part of the dossier a page is drawn from: one entity, one type, or all of it
#: (the live preview re-renders a page when an edit touches its scope)
Scope = Literal["entity", "type", "dossier"]


class View:
    """A page's view: the variables its template sees (the dataclass's fields).

    Subclasses are `@dataclass(frozen=True, eq=False)`: frozen, compared by identity
    and never hashable, so the remembered macros (`templating`) never serve one view's output
    to another that merely compares equal.
    """

    __hash__: ClassVar[None] = None  # type: ignore[assignment]

    def variables(self) -> dict[str, Any]:
        """The template's variables: the fields, by name (not copied deeply). A view holds
        nothing but its fields, so its `__dict__` is them: no `dataclasses.fields` walk
        on every page."""
        return dict(self.__dict__)


@dataclass(frozen=True)
class PageSpec:
    """One page of the site: where it goes, which templates may draw it (the first
    that exists: a user's `person.md.j2` before the built-in `entity.md.j2`), how its
    view is built, and what it is drawn from.

    `build` is called in the process that renders the page (perhaps a forked worker).
    `nav`: the page's title in the site's navigation, for the few pages listed there.
    `group`: pages drawn from the whole dossier are rendered in groups, one group per
    worker task, so that pages sharing costly work (the overview layout, the dated
    items) find it done; profile pages go in chunks ("profiles").
    """

    path: str
    templates: tuple[str, ...]
    build: Callable[[SiteContext], View] | None  # None: a static page, or a data file
    scope: Scope
    subject: str | None = None  # the entity id (scope "entity") or type (scope "type")
    nav: str | None = None
    group: str = "profiles"
    #: a data file rather than a page (the explorer's graph, the search index, an export):
    #: its whole text, written as it is under docs/ (no template, no Markdown) and copied
    #: into the site by MkDocs. Build it with `generator.jsdata`, never by pasting strings.
    data: Callable[[SiteContext], str] | None = None
    #: False: the live preview makes the file only when it renders every page, and keeps
    #: it through the partial refreshes after an edit (the exports of the Data page: they
    #: doubled the refresh of a 1,000-profile dossier, 1.4 -> 2.7 s of CPU)
    preview: bool = True

    @property
    def rendered(self) -> bool:
        """Whether the render stage makes this file (a page with a view, or a data file),
        as opposed to a static page the configuration supplies."""
        return self.build is not None or self.data is not None


class Link(NamedTuple):
    """A link to a page: a tuple, since a profile page makes about eighty of them and
    the remembered `link` macro looks each up by value."""

    text: str
    href: str  # relative .md path, resolved by MkDocs


class Reference(NamedTuple):
    """A numbered entry of a page's references; all but the number recur across pages."""

    number: int
    source: Link
    title: str
    publisher: str | None
    date: str
    grade: str | None
    locators: tuple[str, ...]


SourceFacts = tuple[str, str | None, str, str | None]


@dataclass
class PageContext:
    """Helpers bound to the page being rendered: links relative to it, prose."""

    linked: LinkedDossier
    path: str
    #: (folder of the page, entity id) → link: shared by the pages of one process, since
    #: every profile in a folder links to an entity the same way (a profile makes ~80 links)
    links: dict[tuple[str, str], Link] = field(default_factory=dict)
    #: source id → what its references show (`source_facts`), shared like `links`
    facts: dict[str, SourceFacts] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.folder = posixpath.dirname(self.path)

    def href(self, target_path: str) -> str:
        return relative_href(target_path, self.folder)

    def source_facts(self, source_id: str) -> SourceFacts:
        """A source's title, publisher, date and grade as a reference shows them."""
        facts = self.facts.get(source_id)
        if facts is None:
            s = self.linked.entities[source_id]
            facts = self.facts[source_id] = (s.text("title") or s.name, s.text("publisher"),
                                             date_text(s.date("date")), s.text("reliability"))
        return facts

    def link(self, entity_id: str) -> Link:
        key = (self.folder, entity_id)
        found = self.links.get(key)
        if found is None:
            e = self.linked.entities[entity_id]
            found = self.links[key] = Link(e.name, self.href(page_path(e)))
        return found

    def home_or_link(self, entity_id: str) -> Link:
        """A link to an entity, or to the home page for the dossier itself (`DOSSIER_ID`)."""
        return Link("Home", self.href("index.md")) if entity_id == DOSSIER_ID else self.link(entity_id)

    def prose(self, prose: Prose | None, inline: bool = False) -> Markup | None:
        if prose is None:
            return None
        fast = plain_prose(self.prose_parts(prose.text), inline=inline)
        if fast is not None:
            return fast
        return prose_html(self.expand_refs(prose.text), inline=inline)

    def prose_parts(self, text: str) -> list[tuple[str, str | None]]:
        """The prose as the writer's text and its `[[id]]`s: (text, None) and (link text,
        relative .html href, or "" for a reference shown without a link)."""
        entities = self.linked.entities
        parts: list[tuple[str, str | None]] = []
        pos = 0
        for m in INLINE_REF_RE.finditer(text):
            if m.start() > pos:
                parts.append((text[pos:m.start()], None))
            ident, label = m.group(1).strip(), m.group(2)
            target = entities.get(ident)
            if target is None:
                parts.append((label if label is not None else WITHHELD, ""))
            else:
                parts.append((label if label is not None else target.name,
                              self.href(page_path(target))[: -len(".md")] + ".html"))
            pos = m.end()
        if pos < len(text) or not parts:
            parts.append((text[pos:], None))
        return parts

    def expand_refs(self, text: str) -> str:
        """`[[id]]` → a Markdown link with the entity's (escaped) name, relative .html:
        the prose's parts (`prose_parts`) as Markdown, for the full path."""
        return "".join(
            piece if href is None else f"[{md_text(piece)}]({href})" if href else str(md_text(piece))
            for piece, href in self.prose_parts(text))


@dataclass
class Citations:
    """Numbers the sources cited on one page, in order of first citation."""

    page: PageContext
    numbers: dict[str, int] = field(default_factory=dict)
    locators: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def cite(self, items: list[Citation]) -> tuple[int, ...]:
        """The numbers of `items`' sources, in order, each once: a tuple, so that the
        remembered `cites` macro finds it by value."""
        out: list[int] = []
        for c in items:
            sid = c.source.id
            if sid not in self.numbers:
                self.numbers[sid] = len(self.numbers) + 1
            if c.locator and c.locator not in self.locators[sid]:
                self.locators[sid].append(c.locator)
            if self.numbers[sid] not in out:
                out.append(self.numbers[sid])
        return tuple(out)

    def references(self) -> tuple[Reference, ...]:
        return tuple(Reference(n, self.page.link(sid), *self.page.source_facts(sid),
                               tuple(self.locators.get(sid, ())))
                     for sid, n in self.numbers.items())


def relative_href(target: str, from_dir: str) -> str:
    """`posixpath.relpath(target, from_dir)` for the tree's clean relative paths.

    Why not relpath itself: it makes both paths absolute on every call, and every
    page makes hundreds of links, so it was a tenth of the render time.
    """
    to = target.split("/")
    here = from_dir.split("/") if from_dir else []
    common = 0
    while common < len(here) and common < len(to) - 1 and here[common] == to[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + to[common:])


def page_path(e: Entity) -> str:
    return f"{TYPE_SPECS[e.type].folder}/{e.id}.md"


def index_path(type_: str) -> str:
    return f"{TYPE_SPECS[type_].folder}/index.md"


def html_href(page: PageContext, entity: Entity) -> str:
    """A link to a profile for raw HTML (SVG), where MkDocs does not rewrite `.md` links."""
    return page.link(entity.id).href[: -len(".md")] + ".html"


def date_text(d: PartialDate | None, circa: bool = False) -> str:
    if d is None:
        return ""
    return ("c. " if circa else "") + d.display()


def span_text(start: PartialDate | None, end: PartialDate | None, circa: bool = False) -> str:
    if start and end:
        return f"{date_text(start, circa)} – {date_text(end, circa)}"
    if start:
        return f"since {date_text(start, circa)}"
    if end:
        return f"until {date_text(end, circa)}"
    return ""


def md_link(link: Link) -> Markup:
    return Markup(f"[{md_text(link.text)}]({link.href})")


#: each type's name as a reader sees it, singular and plural (templates' `type_labels`)
TYPE_LABELS = {spec.name: (spec.label, spec.plural) for spec in TYPE_SPECS.values()}
