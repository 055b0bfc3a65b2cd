"""The site context: what every page kind reads, made once per render from the linked
dossier and never changed afterwards (its caches only remember what it computed).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from .. import graph as g
from ..config import Vocabularies
from ..dates import PartialDate
from ..history import NO_HISTORY, History
from ..link import LinkedDossier
from ..model import Role
from ..schema import TYPES
from ..types import TYPE_SPECS
from .base import Link, PageContext, SourceFacts, page_path
from .letters import initial, is_long, letter_path

_T = TypeVar("_T")

#: the "Error messages" page: a static page from the configuration's docs/, linked when present
ERRORS_PAGE = "errors.md"
#: the folder of the Tags page's letter pages (a long list of tags)
TAGS_LETTERS = "tags"


@dataclass(frozen=True)
class SiteContext:
    """The linked dossier and what the pages derive from all of it: the graph of its
    entities, their neighbours and degrees, the tags' anchors.

    `remembered` work (the overview's layout, the dated items of the timeline) is
    done once per process, by the first page that needs it: a forked worker renders
    a whole group of pages that share it.
    """

    linked: LinkedDossier
    #: Markdown pages the configuration's docs/ adds to the site (`errors.md`)
    static_pages: frozenset[str] = frozenset()
    #: the content's change history from git (`history`), read before the render
    history: History = NO_HISTORY
    graph: g.Graph = field(init=False)
    neighbours: dict[str, list[str]] = field(init=False)
    degrees: dict[str, int] = field(init=False)
    tag_anchor: dict[str, str] = field(init=False)
    _links: dict[tuple[str, str], Link] = field(init=False, repr=False)
    _facts: dict[str, SourceFacts] = field(init=False, repr=False)
    _memo: dict[str, Any] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        graph = build_graph(self.linked)
        for name, value in (("graph", graph), ("neighbours", graph.neighbours()),
                            ("degrees", graph.degrees()),
                            ("tag_anchor", tag_anchors([t for e in self.linked.entities.values()
                                                        for t in e.tags])),
                            ("_links", {}), ("_facts", {}), ("_memo", {})):
            object.__setattr__(self, name, value)

    @property
    def vocab(self) -> Vocabularies:
        return self.linked.vocab

    def label(self, vocab: str, word: str | None) -> str:
        if word is None:
            return ""
        return self.vocab.words(vocab).get(word, word)

    def page(self, path: str) -> PageContext:
        """Helpers for the page at `path` (links and source facts shared between pages)."""
        return PageContext(self.linked, path, self._links, self._facts)

    def remembered(self, key: str, compute: Callable[[], _T]) -> _T:
        """`compute()`, once per process for this site (work several pages share)."""
        if key not in self._memo:
            self._memo[key] = compute()
        result: _T = self._memo[key]
        return result

    def tag_rows(self) -> int:
        """The rows of the Tags page: a tag's profiles, for each tag. Why not the tags: at
        10,000 generated entities 5 tags listed 8,500 profiles on 1.6 MB of Markdown."""
        return self.remembered("tag-rows", lambda: tag_rows(self.linked))

    def tag_page(self, tag: str) -> str:
        """The page that holds `tag`'s anchor: the Tags page, or past LETTER_PAGES_MIN rows
        (`tag_rows`) the page of its initial (`tags/a.md`), where a profile's tag link
        must lead."""
        if not is_long(self.tag_rows()):
            return "tags.md"
        return letter_path(TAGS_LETTERS, initial(tag))

    def drawn_ids(self) -> list[str]:
        """Entities with at least one link: isolated ones only clutter a picture."""
        return sorted(self.neighbours)

    def content_date(self) -> PartialDate | None:
        """The content's own date (latest `updated`/`published`), stamped on the build."""
        d = self.linked.dossier
        dates = [x for x in (d.updated, d.published) if x is not None]
        dates += [e.updated for e in self.linked.entities.values() if e.updated is not None]
        return max(dates, key=lambda x: x.end(), default=None)


def build_graph(linked: LinkedDossier) -> g.Graph:
    """Every entity, linked by relations (their vocabulary words) and by reference
    fields (their reading in the table of types; a role's line reads as its title)."""
    graph = g.Graph()
    ents = linked.entities
    for i in sorted(ents):
        graph.add_node(g.Node(i, ents[i].name, ents[i].type, page_path(ents[i])))
    for edge in linked.edges:
        kind = linked.vocab.relation_types[edge.relation.type]
        graph.add_edge(edge.subject, edge.object, kind.label, symmetric=kind.symmetric)
    for target in sorted(linked.backrefs):
        for b in linked.backrefs[target]:
            if isinstance(b.detail, Role):
                graph.add_edge(b.source, target, b.detail.title)
                continue
            reading = TYPE_SPECS[ents[b.source].type].edge_reading(b.field)
            subject, obj = (target, b.source) if reading.backwards else (b.source, target)
            graph.add_edge(subject, obj, reading.words)
    return graph


def tag_rows(linked: LinkedDossier) -> int:
    """How many (tag, profile) rows the Tags page lists."""
    return sum(len(set(e.tags)) for e in linked.entities.values())


def tag_pages_split(linked: LinkedDossier) -> bool:
    """Whether the Tags page is a page per letter, so tag links lead to `tags/<letter>.md`:
    when an edit changes it, every profile's tag links change (the preview renders all)."""
    return is_long(tag_rows(linked))


def tag_anchors(tags: list[str]) -> dict[str, str]:
    """A unique, stable anchor on the Tags page for every tag (any script)."""
    anchors: dict[str, str] = {}
    used: set[str] = set()
    for tag in sorted(set(tags), key=lambda t: (t.casefold(), t)):
        base = "tag-" + (re.sub(r"[\W_]+", "-", tag.casefold()).strip("-") or "x")
        anchor, n = base, 1
        while anchor in used:
            n += 1
            anchor = f"{base}-{n}"
        used.add(anchor)
        anchors[tag] = anchor
    return anchors


@functools.cache
def type_rank() -> dict[str, int]:
    return {t: n for n, t in enumerate(TYPES)}
