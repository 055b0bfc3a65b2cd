"""Page kind: the tags (`tags.md`): every tag and the profiles that carry it."""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

from markupsafe import Markup

from ..model import Entity
from .base import TYPE_LABELS, Link, PageSpec, View
from .letters import Letters, by_initial, letter_links, letter_path, letter_title
from .site import TAGS_LETTERS, SiteContext

#: tags the Tags page shows as headings of their own; past it, a table per initial letter.
#: Why: Material's search plugin looks up every heading in the page's table of contents
#: (quadratic): 25,000 tags as headings took 52 s in MkDocs' write stage.
TAGS_AS_HEADINGS_MAX = 300
TAG_INITIALS_MAX = 40  # sections by initial on a long Tags page; the rarest share "Other"


@dataclass(frozen=True, eq=False)
class TagGroup(View):
    tag: str
    anchor: str
    anchor_attr: Markup  # `{#anchor}`: the attribute list that sets the heading's or row's id
    entities: tuple[tuple[Link, str], ...]  # (profile, its type's label)


@dataclass(frozen=True, eq=False)
class TagSection(View):
    initial: Link  # the initial, linked to its section
    anchor_attr: Markup
    groups: tuple[TagGroup, ...]


@dataclass(frozen=True, eq=False)
class TagsView(View):
    """The tags page."""

    title: str
    groups: tuple[TagGroup, ...]
    sections: tuple[TagSection, ...]  # past TAGS_AS_HEADINGS_MAX tags, else ()
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
    sections = tag_sections(groups) if len(groups) > TAGS_AS_HEADINGS_MAX and not letters else ()
    return TagsView("Tags" if letter is None else letter_title("Tags", letter), groups, sections,
                    letter_links(page, TAGS_LETTERS, letters), letter,
                    Link("Tags", page.href("tags.md")) if letter is not None else None, len(site.tag_anchor))


def tag_initial(tag: str) -> str:
    """The letter a tag is listed under on a long Tags page: its first letter without
    accents, in capitals (any script); "0–9" for a digit; "Other" for anything else."""
    first = unicodedata.normalize("NFKD", tag.strip()[:1])[:1].upper()[:1]  # ß → S, not SS
    if first.isdigit():
        return "0–9"
    return first if first.isalpha() else "Other"


def tag_sections(groups: tuple[TagGroup, ...]) -> tuple[TagSection, ...]:
    """The tags (`groups`, in their order) under their initials (`tag_initial`), each
    initial a section with a heading and a link to it: at most TAG_INITIALS_MAX, the
    initials with the fewest tags sharing the last one, "Other"."""
    initials = [tag_initial(g.tag) for g in groups]
    counts = Counter(initials)
    if len(counts) > TAG_INITIALS_MAX:
        kept = {i for i, _ in sorted(counts.items(), key=lambda c: (-c[1], c[0]))[:TAG_INITIALS_MAX - 1]}
        initials = [i if i in kept else "Other" for i in initials]
    by_initial: dict[str, list[TagGroup]] = defaultdict(list)
    for initial, group in zip(initials, groups, strict=True):
        by_initial[initial].append(group)
    order = sorted(by_initial, key=lambda i: (i == "Other", i.casefold(), i))
    return tuple(TagSection(Link(i, "#" + _initial_anchor(i)), Markup("{#" + _initial_anchor(i) + "}"),
                            tuple(by_initial[i])) for i in order)


def _initial_anchor(initial: str) -> str:
    """`tags-a`, `tags-0-9`, `tags-other`, `tags-u41f` (П): never a tag's (`tag-...`)."""
    if initial == "0–9":
        return "tags-0-9"
    if initial.isascii():
        return "tags-" + initial.lower()
    return f"tags-u{ord(initial):x}"
