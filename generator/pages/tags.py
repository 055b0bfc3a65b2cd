"""Page kind: the tags (`tags.md`): every tag and the profiles that carry it; past
LETTER_PAGES_MIN rows (a tag's profiles), a page per initial (`tags/a.md`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

from markupsafe import Markup

from ..model import Entity
from .base import TYPE_LABELS, Link, PageSpec, View
from .letters import Letters, by_initial, letter_links, letter_path, letter_title
from .site import TAGS_LETTERS, SiteContext

#: The one Tags page (at most LETTER_PAGES_MIN rows) shows each tag as a heading; a letter
#: page, which may hold thousands of tags, a table with each tag's anchor on its row. Why:
#: Material's search plugin looks up every heading in the page's table of contents
#: (quadratic): 25,000 tags as headings took 52 s in MkDocs' write stage.


@dataclass(frozen=True, eq=False)
class TagGroup(View):
    tag: str
    anchor: str
    anchor_attr: Markup  # `{#anchor}`: the attribute list that sets the heading's or row's id
    entities: tuple[tuple[Link, str], ...]  # (profile, its type's label)


@dataclass(frozen=True, eq=False)
class TagsView(View):
    """The tags page."""

    title: str
    groups: tuple[TagGroup, ...]
    #: past LETTER_PAGES_MIN tags, the letter pages, each with its number of tags, else ()
    letters: tuple[tuple[Link, int], ...]
    letter: str | None  # the initial of a letter page's tags (their table)
    overview: Link | None  # a letter page's link to the Tags page
    total: int  # how many tags, on every page


#: the built-in template this kind draws its pages with, and the view it is given
TEMPLATES: dict[str, type[View]] = {"tags.md.j2": TagsView}


def pages(site: SiteContext) -> Iterator[PageSpec]:
    """The Tags page, and past LETTER_PAGES_MIN tags a page per initial (`tags/a.md`,
    where `SiteContext.tag_page` sends a profile's tag links)."""
    yield PageSpec("tags.md", ("tags.md.j2",), tags_view, "dossier", nav="Tags", group="reference")
    for letter, _ in _letters(site):
        yield PageSpec(letter_path(TAGS_LETTERS, letter), ("tags.md.j2",), partial(tags_view, letter=letter),
                       "dossier", group="reference")


def _letters(site: SiteContext) -> Letters[str]:
    return site.remembered("tag-letters",
                           lambda: by_initial(tuple(site.tag_anchor), lambda t: t, site.tag_rows()))


def _by_tag(site: SiteContext) -> dict[str, list[Entity]]:
    """Each tag's profiles, once per process (every letter page reads its share)."""
    def compute() -> dict[str, list[Entity]]:
        by_tag: dict[str, list[Entity]] = defaultdict(list)
        for e in site.linked.entities.values():
            for t in dict.fromkeys(e.tags):
                by_tag[t].append(e)
        return by_tag
    return site.remembered("tag-profiles", compute)


def tags_view(site: SiteContext, letter: str | None = None) -> TagsView:
    """The Tags page (every tag, or the overview of the letter pages) or a letter's page."""
    letters = _letters(site)
    path = "tags.md" if letter is None else letter_path(TAGS_LETTERS, letter)
    page = site.page(path)
    by_tag = _by_tag(site)
    tags = tuple(site.tag_anchor) if not letters else () if letter is None else dict(letters)[letter]
    groups = tuple(TagGroup(t, site.tag_anchor[t], Markup("{#" + site.tag_anchor[t] + "}"),
                            tuple((page.link(e.id), TYPE_LABELS[e.type][0])
                                  for e in sorted(by_tag[t], key=lambda x: (x.name.casefold(), x.id))))
                   for t in tags)
    return TagsView("Tags" if letter is None else letter_title("Tags", letter), groups,
                    letter_links(page, TAGS_LETTERS, letters), letter,
                    Link("Tags", page.href("tags.md")) if letter is not None else None, len(site.tag_anchor))
