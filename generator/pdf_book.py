"""The briefing book as one HTML document, made from the site's own rendered views.

The book is the pages the site renders, not a second rendering of the content: its
front (`book.md.j2`, given a `BookView` holding the home page's `HomeView`: cover,
contents, summary, key judgments, open questions) and every profile page
(`entity.md.j2`), each rendered by the same templates and escaping as the site, each
converted by the site's own Markdown extensions (`markdown_extensions` of the MkDocs
configuration), then joined as sections of one document (`pdf_links` keeps their ids
apart and their links inside the book). A chapter per type holds that type's
profiles in the order of its index page. The print rules are the configuration's
`docs/assets/stylesheets/print.css`, after the site's own stylesheets (`extra_css`:
badges, pictures, tables), all inline: the book fetches nothing.

A large book is several documents (`Book.parts`), each of at most `PART_PROFILES`
profiles (the front goes with the first): Chromium's layout of one document grows
faster than its length (1,408 pages in 94 s, 4,709 pages in 15 minutes and 8 GB), so
each part is printed on its own and `pdf_parts` joins them. A part ends where a
profile ends; every profile begins a page anyway, so the parts print the pages one
document would. A chapter cut between parts carries on in the next one without its
title (`continued`). Links to another part are marked for `pdf_parts` (`pdf_links`),
and each part holds a hidden link to every anchor of it that another part links to,
so that Chromium names its place (it names only the places something links to).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import markdown
from mkdocs.utils.meta import get_data

from .config import DEFAULT_CONFIG_DIR, SiteConfig
from .dates import PartialDate
from .diagnostics import Diagnostic
from .link import LinkedDossier
from .model import Entity
from .page_templates import PageTemplates
from .pages import Link, PageSpec, SiteContext, View, all_pages, index_path, page_path
from .pages.base import TYPE_LABELS
from .pages.home import HomeView, home_view
from .parallel import map_chunks
from .pdf_links import BOOK_URI, book_anchor, page_part
from .render import PARALLEL_CHUNK, PARALLEL_MIN
from .types import TYPES_TABLE, TypeSpec

#: the book's own page (its front matter), as if it sat beside the home page
BOOK_PAGE = "book.md"
#: the book's print rules, read after the site's own stylesheets (`extra_css`)
PRINT_STYLESHEET = "assets/stylesheets/print.css"
#: the most profiles a part of the book holds: at 100 (about 320 pages of the benchmark's
#: generated profiles) Chromium's renderer stayed near 1 GB for each part of a
#: 1,000-profile book, which it printed whole in 15 minutes and 8 GB (generator/pdf.py)
PART_PROFILES = 100


@dataclass(frozen=True, eq=False)
class BookChapter(View):
    """A chapter of the book: one type's profiles, in the order of its index page."""

    title: str  # the type's plural
    link: Link  # to the chapter
    profiles: tuple[Link, ...]


@dataclass(frozen=True, eq=False)
class BookView(View):
    """The front of the PDF briefing book (`dossier pdf`): its cover, contents, summary,
    key judgments and open questions. The profiles follow, each its own profile page."""

    home: HomeView  # the home page's view: title, summary, key judgments, open questions
    date: str  # the content's own date (its latest `updated`/`published`), never the clock
    edition: str
    marking: str  # the highest marking of what the book holds
    chapters: tuple[BookChapter, ...]


#: the built-in template of the book's front, and the view it is given
TEMPLATES: dict[str, type[View]] = {"book.md.j2": BookView}


class Book(NamedTuple):
    parts: tuple[str, ...]  # the book's HTML documents, printed one by one and joined
    continued: tuple[int, ...]  # each part's profiles that carry on the previous part's chapter
    date: PartialDate | None  # the content's own date, stamped on the PDF


class _Run(NamedTuple):
    """Some profiles of a chapter that go in one part of the book."""

    spec: TypeSpec
    entities: list[Entity]
    continued: bool  # the chapter began in an earlier part


def book_html(linked: LinkedDossier, config: SiteConfig, templates_dir: Path | None,
              jobs: int = 1, limit: float | None = None, part_size: int | None = None) -> Book:
    """The book as HTML documents of at most `part_size` profiles each (`PART_PROFILES`).
    Raises TemplateFailures as `render` does.

    `jobs` > 1 renders and converts the profiles in that many forked processes (see
    `_profile_parts`)."""
    site = SiteContext(linked, config.static_pages)
    templates = PageTemplates(templates_dir, linked.vocab, TYPE_LABELS, site.label, limit)
    view = book_view(site)
    chapters = _chapters(linked)
    plan = _plan(chapters, part_size or PART_PROFILES)
    where = _anchor_parts(plan)
    parts = _Parts(config.mkdocs_base, _targets(chapters), where)
    front = parts.part(BOOK_PAGE, templates.render(("book.md.j2",), BOOK_PAGE, view.variables()))
    profiles = iter(_profile_parts(site, templates, parts, chapters, jobs))
    templates.raise_problems()
    bodies = []
    for number, runs in enumerate(plan):
        sections = [_section("book-front", BOOK_PAGE, front)] if number == 0 else []
        for run in runs:
            sections.append(_chapter_start(run))
            sections += [_section("book-profile", page_path(e), next(profiles)) for e in run.entities]
            sections.append("</section>")
        bodies.append("\n".join(sections))
    return Book(tuple(_document(linked, view, config, body) for body in _with_targets(bodies, where)),
                tuple(len(runs[0].entities) if runs and runs[0].continued else 0 for runs in plan),
                site.content_date())


def _plan(chapters: list[tuple[TypeSpec, list[Entity]]], size: int) -> list[list[_Run]]:
    """The chapters' profiles cut into parts of at most `size` profiles, in order (the
    front goes in the first part); a book without profiles is its front."""
    plan: list[list[_Run]] = [[]]
    room = size
    for spec, entities in chapters:
        start = 0
        while start < len(entities):
            if room == 0:
                plan.append([])
                room = size
            run = entities[start:start + room]
            plan[-1].append(_Run(spec, run, start > 0))
            start += len(run)
            room -= len(run)
    return plan


def _anchor_parts(plan: list[list[_Run]]) -> dict[str, int]:
    """Each section's anchor → the part it is printed in (a chapter's: where it begins)."""
    where = {book_anchor(BOOK_PAGE): 0}
    for number, runs in enumerate(plan):
        for run in runs:
            if not run.continued:
                where[book_anchor(index_path(run.spec.name))] = number
            where.update((book_anchor(page_path(e)), number) for e in run.entities)
    return where


def _owner(target: str, where: dict[str, int]) -> int | None:
    """The part holding `target`: a section's anchor, or one of its ids (`anchor--id`;
    an entity's id may itself hold `--`, so every cut is tried)."""
    if target in where:
        return where[target]
    cuts = [m.start() for m in re.finditer("--", target)]
    return next((where[target[:cut]] for cut in cuts if target[:cut] in where), None)


def _chapter_start(run: _Run) -> str:
    if run.continued:
        return '<section class="book-chapter book-chapter-continued">'
    anchor = html.escape(book_anchor(index_path(run.spec.name)))
    return (f'<section class="book-chapter" id="{anchor}">'
            f'<h1 class="book-chapter-title">{html.escape(run.spec.plural)}</h1>')


_OTHER_PART_RE = re.compile(r'href="' + re.escape(BOOK_URI) + r'#([^"]*)"')


def _with_targets(bodies: list[str], where: dict[str, int]) -> list[str]:
    """Each part's body with hidden links to its anchors that other parts link to: Chromium
    names a place in the PDF only when the document links to it. (The pattern may also
    meet such text in a paragraph: an extra hidden link is harmless.)"""
    wanted: list[set[str]] = [set() for _ in bodies]
    for body in bodies:
        for target in _OTHER_PART_RE.findall(body):
            part = _owner(html.unescape(target), where)
            if part is not None:
                wanted[part].add(target)
    return [body + ("\n<div class=\"book-targets\" hidden>"
                    + "".join(f'<a href="#{target}"></a>' for target in sorted(targets)) + "</div>"
                    if targets else "") for body, targets in zip(bodies, wanted, strict=True)]


def _profile_parts(site: SiteContext, templates: PageTemplates, parts: _Parts,
                   chapters: list[tuple[TypeSpec, list[Entity]]], jobs: int) -> list[str]:
    """Every profile page, rendered and converted, in the chapters' order; template problems
    are kept in `templates`. In `jobs` processes (`parallel.map_chunks`) from as many
    profiles as `render` shares: the site's Markdown conversion is most of the book's work
    (35 s of the 36 s of the 300-entity benchmark dossier's, in one process)."""
    specs = {spec.path: spec for spec in all_pages(site) if spec.scope == "entity"}
    ordered = [specs[page_path(e)] for _, entities in chapters for e in entities]

    def work(chunk: Sequence[PageSpec]) -> tuple[list[str], list[Diagnostic]]:
        made = []
        for spec in chunk:
            assert spec.build is not None
            made.append(parts.part(spec.path, templates.render(spec.templates, spec.path,
                                                                spec.build(site).variables())))
        return made, templates.take_problems()

    profiles: list[str] = []
    for made, problems in map_chunks(work, ordered, jobs=jobs, min_items=PARALLEL_MIN,
                                     chunk=PARALLEL_CHUNK):
        profiles += made
        for problem in problems:
            templates.problems.setdefault(problem.path, problem)
    return profiles


class _Parts:
    """A page's Markdown → its HTML as a part of the book, by the site's extensions."""

    def __init__(self, mkdocs_base: dict[str, Any], targets: dict[str, str],
                 where: dict[str, int]) -> None:
        self.converter = markdown.Markdown(extensions=_extensions(mkdocs_base), output_format="html")
        self.targets = targets
        self.where = where

    def part(self, path: str, text: str) -> str:
        self.converter.reset()
        return page_part(self.converter.convert(get_data(text)[0]), path, self.targets, self.where)


def book_view(site: SiteContext) -> BookView:
    """The front's view; its links are relative to the book's page, as a page's are."""
    page = site.page(BOOK_PAGE)
    chapters = tuple(
        BookChapter(spec.plural, Link(spec.plural, page.href(index_path(spec.name))),
                    tuple(page.link(e.id) for e in entities))
        for spec, entities in _chapters(site.linked))
    date = site.content_date()
    return BookView(home_view(site), date.display() if date else "", site.linked.edition,
                    highest_marking(site.linked), chapters)


def _chapters(linked: LinkedDossier) -> list[tuple[TypeSpec, list[Entity]]]:
    """Each type that has profiles, in the types' order, with them in its index's order."""
    chapters = []
    for spec in TYPES_TABLE:
        entities = sorted(linked.of_type(spec.name), key=spec.index_key)
        if entities:
            chapters.append((spec, entities))
    return chapters


def highest_marking(linked: LinkedDossier) -> str:
    """The most restricted marking of anything the edition keeps (never above the
    edition's own): the marking a reader must honour for the whole book."""
    vocab = linked.vocab
    return max(_markings(linked), key=vocab.marking_rank)


def _markings(linked: LinkedDossier) -> Iterator[str]:
    d = linked.dossier
    yield d.marking
    yield from (c.marking for c in d.key_judgments)
    for e in linked.entities.values():
        yield e.marking
        for items in (e.relations, e.claims, e.roles):
            yield from (x.marking for x in items)


def _targets(chapters: list[tuple[TypeSpec, list[Entity]]]) -> dict[str, str]:
    """Every page the book holds → its section's anchor (the home page: the book's front;
    a type's index: its chapter)."""
    targets = {BOOK_PAGE: book_anchor(BOOK_PAGE), "index.md": book_anchor(BOOK_PAGE)}
    for spec, entities in chapters:
        targets[index_path(spec.name)] = book_anchor(index_path(spec.name))
        targets.update((page_path(e), book_anchor(page_path(e))) for e in entities)
    return targets


def _extensions(mkdocs_base: dict[str, Any]) -> list[Any]:
    """The site's Markdown extensions (names, or {name: options}) as Python-Markdown takes them."""
    out: list[Any] = []
    for item in mkdocs_base.get("markdown_extensions", []):
        if isinstance(item, dict):
            for name, options in item.items():
                out.append(markdown.Markdown(extensions=[]).build_extension(name, options or {}))
        else:
            out.append(item)
    return out


def _section(kind: str, path: str, body: str) -> str:
    return f'<section class="{kind}" id="{html.escape(book_anchor(path))}">\n{body}\n</section>'


def _document(linked: LinkedDossier, view: BookView, config: SiteConfig, body: str) -> str:
    """A part's HTML document: the print stylesheets inline (nothing is fetched), the
    marking in every page's header and footer (print.css places them). The page numbers
    are left out: a part does not know its pages' numbers in the book; `numbers_html`
    prints them."""
    marking = view.marking
    return (
        f'<!DOCTYPE html>\n<html lang="{html.escape(linked.dossier.language)}">\n<head>\n'
        f'<meta charset="utf-8">\n<title>{html.escape(linked.dossier.title)}</title>\n'
        f"<style>\n{_stylesheets(config)}\n"
        f"@page {{ @top-center {{ content: {_css_string(marking)}; }} "
        f"@bottom-left {{ content: {_css_string(marking)}; }} @bottom-right {{ content: none; }} }}\n"
        f"</style>\n</head>\n"
        f'<body class="md-typeset book tlp-{_css_class(marking)}">\n{body}\n</body>\n</html>\n')


def numbers_html(config: SiteConfig, pages: int) -> str:
    """A document of `pages` empty pages showing only their numbers ("k / N"), with the
    book's page rules: printed, each page is laid over the book's page of that number
    (`pdf_parts`), so the numbers run on across parts in the book's own font and place."""
    blank = '<div style="break-after: page; height: 1px"></div>\n' * (pages - 1) + "<div></div>\n"
    return (f'<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n<title>-</title>\n'
            f"<style>\n{_stylesheets(config)}\n"
            "@page { @top-center { content: none; } @bottom-left { content: none; } }\n"
            f'</style>\n</head>\n<body class="md-typeset book">\n{blank}</body>\n</html>\n')


def _stylesheets(config: SiteConfig) -> str:
    names = [*config.mkdocs_base.get("extra_css", []), PRINT_STYLESHEET]
    return "\n".join(_stylesheet(config, name) for name in names)


def _stylesheet(config: SiteConfig, name: str) -> str:
    """A stylesheet from the configuration's docs/, else the built-in one."""
    for folder in (config.config_dir, DEFAULT_CONFIG_DIR):
        path = folder / "docs" / name
        if path.is_file():
            return path.read_text(encoding="utf-8").replace("</", "<\\/")
    return ""


def _css_string(text: str) -> str:
    """A CSS string literal: quotes, backslashes and line ends escaped as code points."""
    return '"' + "".join(c if c.isalnum() or c in " :+-_." else f"\\{ord(c):x} " for c in text) + '"'


def _css_class(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold().removeprefix("tlp:")).strip("-")


