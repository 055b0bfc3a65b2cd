"""Stage 4, render: the linked dossier → Markdown pages and a `mkdocs.yml`, in memory.

This module decides *what* each page shows (view models built from the linked
dossier); the Jinja2 templates under `templates/` decide how it looks. A user's
templates folder, when given, is searched first, so any template can be
overridden by name. Every string from content reaches the page through
`escape.md_text` (Jinja's `finalize` applies it to every `{{ }}` output that is
not already safe markup) or through `escape.prose_html` for Markdown fields.
The Jinja environment itself is set up in `templating`.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import posixpath
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from jinja2 import Template, TemplateNotFound, TemplateSyntaxError, meta
from jinja2.defaults import DEFAULT_NAMESPACE
from markupsafe import Markup

from . import graph as g
from . import timeline as tl
from .config import DEFAULT_TEMPLATES_DIR, LABEL_VOCABS, Vocabularies
from .dates import PartialDate
from .diagnostics import Diagnostic
from .escape import md_text, plain_prose, prose_html
from .link import DOSSIER_ID, WITHHELD, Edge, LinkedDossier
from .load import FOLDER_OF_TYPE
from .model import Citation, Claim, Entity, Prose, Ref, Role
from .parallel import can_fork
from .progress import Progress
from .schema import COMMON_FIELDS, DOSSIER_FIELDS, ID_MAX, ID_RE, KINDS, PARTS, TYPE_FIELDS, TYPES, FieldSpec
from .templating import TemplateFailures, make_environment, template_problem, time_limit, time_limit_setting
from .validate import INLINE_REF_RE

TYPE_LABELS = {
    "person": ("Person", "People"), "agency": ("Agency", "Agencies"),
    "domain": ("Domain", "Domains"), "event": ("Event", "Events"),
    "installation": ("Installation", "Installations"), "country": ("Country", "Countries"),
    "source": ("Source", "Sources"),
}
#: Search settings. A dossier's aliases are often in another script ("Патрушев"): lunr's
#: trimmer and stemmers keep only their languages' letters and would drop such words, so the
#: pipeline is set to the stop-word filter alone (Material 9.8's default for English, made
#: explicit so no theme language or Material version brings the trimmer back), and `ru` is
#: added to the languages for its stop words. SEARCH_LANGS: the languages lunr ships.
SEARCH_LANGS = ("ar", "da", "de", "du", "el", "en", "es", "fi", "fr", "he", "hi", "hu", "hy", "it",
                "ja", "kn", "ko", "nl", "no", "pt", "ro", "ru", "sa", "sv", "ta", "te", "th", "tr",
                "vi", "zh")
EXTRA_SEARCH_LANGS = ("en", "ru")
SEARCH_PIPELINE = ["stopWordFilter"]
SEARCH_SEPARATOR = r'[\s\-,;:!?()\[\]"/·|]+'
EGO_MAX = 24  # neighbours drawn on a profile's network picture
RECENT_EVENTS = 8
HOME_NETWORK_NODES = 40
TIMELINE_PAGE_MAX = 400  # entries on the one timeline page; past it, a page per year
#: tags the Tags page shows as headings of their own; past it, a table per initial letter.
#: Why: Material's search plugin looks up every heading in the page's table of contents
#: (quadratic): 25,000 tags as headings took 52 s in MkDocs' write stage.
TAGS_AS_HEADINGS_MAX = 300
TAG_INITIALS_MAX = 40  # sections by initial on a long Tags page; the rarest share "Other"
CITED_BY_SHOWN = 8
_TYPE_NAMES = {t: TYPE_LABELS[t][0] for t in TYPES}
_TYPE_RANK = {t: n for n, t in enumerate(TYPES)}
_EGO_SMALL = g.Canvas(width=760, height=300, margin=180, margin_y=36, radius=7, font=12)
_EGO_LARGE = g.Canvas(width=760, height=460, margin=180, margin_y=36, radius=7, font=12)
ERRORS_PAGE = "errors.md"  # a static page from the config's docs/, linked when present
#: below this many profiles, starting worker processes costs more than it saves
PARALLEL_MIN = 400
PARALLEL_CHUNK = 50
#: the pages drawn from the whole dossier, in groups a worker renders at once; the
#: slowest first, so they overlap with the profile pages (the per-type network views
#: share the overview's layout, so they go with it)
PAGE_GROUPS = ("network", "timeline", "indexes", "reference")
PAGE_GROUPS_IN_ORDER = ("indexes", "timeline", "network", "reference")


@dataclass
class RenderedSite:
    """The Markdown tree (path relative to docs/ → text) and the MkDocs configuration."""

    pages: dict[str, str]
    mkdocs_config: dict[str, Any]
    #: the content's own date (latest `updated`/`published`), stamped on the build instead
    #: of the clock so that the same content gives the same bytes
    content_date: PartialDate | None = None
    #: pages that forked workers handed to the render's `sink` (path relative to docs/, as
    #: in `pages`) instead of sending their text back
    spooled: list[str] = field(default_factory=list)

    def page_paths(self) -> list[str]:
        return [*self.pages, *self.spooled]

    def mkdocs_yml(self) -> str:
        return yaml.safe_dump(self.mkdocs_config, sort_keys=False, allow_unicode=True)


# --- view models ------------------------------------------------------------------------


class Link(NamedTuple):
    """A link to a page: a tuple, since a profile page makes about eighty of them and
    the remembered `link` macro looks each up by value."""

    text: str
    href: str  # relative .md path, resolved by MkDocs


@dataclass
class Row:
    label: str
    values: list[Any]  # Link | str | Markup


@dataclass
class RelationRow:
    other: Link
    when: str
    status: str | None
    confidence: str | None
    cites: tuple[int, ...]
    note: Markup | None


@dataclass
class Group:
    label: str
    rows: list[Any]


@dataclass
class ClaimView:
    text: Markup
    status: str | None
    confidence: str | None
    likelihood: str | None
    grade: str | None
    when: str
    cites: tuple[int, ...]
    note: Markup | None
    contradicts: list[Any]
    key: str | None


class Reference(NamedTuple):
    """A numbered entry of a page's references; all but the number recur across pages."""

    number: int
    source: Link
    title: str
    publisher: str | None
    date: str
    grade: str | None
    locators: tuple[str, ...]


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

    def references(self) -> list[Reference]:
        return [Reference(n, self.page.link(sid), *self.page.source_facts(sid),
                          tuple(self.locators.get(sid, ())))
                for sid, n in self.numbers.items()]


@dataclass
class PageContext:
    """Helpers bound to the page being rendered: links relative to it, prose."""

    linked: LinkedDossier
    path: str
    #: (folder of the page, entity id) → link: shared by the pages of one renderer, since
    #: every profile in a folder links to an entity the same way (a profile makes ~80 links)
    links: dict[tuple[str, str], Link] = field(default_factory=dict)
    #: source id → what its references show (`source_facts`), shared like `links`
    facts: dict[str, tuple[str, str | None, str, str | None]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.folder = posixpath.dirname(self.path)

    def href(self, target_path: str) -> str:
        return relative_href(target_path, self.folder)

    def source_facts(self, source_id: str) -> tuple[str, str | None, str, str | None]:
        """A source's title, publisher, date and grade as a reference shows them."""
        facts = self.facts.get(source_id)
        if facts is None:
            s = self.linked.entities[source_id]
            facts = self.facts[source_id] = (s.text("title") or s.name, s.text("publisher"),
                                             _date_text(s.date("date")), s.text("reliability"))
        return facts

    def link(self, entity_id: str) -> Link:
        key = (self.folder, entity_id)
        found = self.links.get(key)
        if found is None:
            e = self.linked.entities[entity_id]
            found = self.links[key] = Link(e.name, self.href(page_path(e)))
        return found

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
    return f"{FOLDER_OF_TYPE[e.type]}/{e.id}.md"


def index_path(type_: str) -> str:
    return f"{FOLDER_OF_TYPE[type_]}/index.md"


def _date_text(d: PartialDate | None, circa: bool = False) -> str:
    if d is None:
        return ""
    return ("c. " if circa else "") + d.display()


def _trusted(doc: str) -> Markup:
    """Documentation written in schema.py (not content): its Markdown is kept, for a table cell."""
    return Markup(doc.replace("|", "\\|"))


def _period(start: PartialDate | None,
            end: PartialDate | None) -> tuple[PartialDate, PartialDate | None] | None:
    """Where a dated item sits on a timeline: its start, else its end alone; None if undated."""
    if start is not None:
        return start, end
    if end is not None:
        return end, None
    return None


def _md_link(link: Link) -> Markup:
    return Markup(f"[{md_text(link.text)}]({link.href})")


def _span_text(start: PartialDate | None, end: PartialDate | None, circa: bool = False) -> str:
    if start and end:
        return f"{_date_text(start, circa)} – {_date_text(end, circa)}"
    if start:
        return f"since {_date_text(start, circa)}"
    if end:
        return f"until {_date_text(end, circa)}"
    return ""


def timeline_year_path(year: int) -> str:
    return f"timeline/{year:04d}.md"


def whole_dossier_page(path: str) -> bool:
    """Pages drawn from the whole dossier (any edit may change them or make them go): all
    but home and what lies in a type's folder (its profiles and its index)."""
    return path != "index.md" and path.split("/", 1)[0] not in FOLDER_OF_TYPE.values()


def network_view_path(type_: str) -> str:
    return f"network/{FOLDER_OF_TYPE[type_]}.md"


def html_href(page: PageContext, entity: Entity) -> str:
    """A link to a profile for raw HTML (SVG), where MkDocs does not rewrite `.md` links."""
    return page.link(entity.id).href[: -len(".md")] + ".html"


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


def tag_initial(tag: str) -> str:
    """The letter a tag is listed under on a long Tags page: its first letter without
    accents, in capitals (any script); "0–9" for a digit; "Other" for anything else."""
    first = unicodedata.normalize("NFKD", tag.strip()[:1])[:1].upper()[:1]  # ß → S, not SS
    if first.isdigit():
        return "0–9"
    return first if first.isalpha() else "Other"


def tag_sections(groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The tags (`groups`, in their order) under their initials (`tag_initial`), each
    initial a section with a heading and a link to it: at most TAG_INITIALS_MAX, the
    initials with the fewest tags sharing the last one, "Other"."""
    initials = [tag_initial(row["tag"]) for row in groups]
    counts = Counter(initials)
    if len(counts) > TAG_INITIALS_MAX:
        kept = {i for i, _ in sorted(counts.items(), key=lambda c: (-c[1], c[0]))[:TAG_INITIALS_MAX - 1]}
        initials = [i if i in kept else "Other" for i in initials]
    by_initial: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for initial, row in zip(initials, groups, strict=True):
        by_initial[initial].append(row)
    order = sorted(by_initial, key=lambda i: (i == "Other", i.casefold(), i))
    return [{"initial": Link(i, "#" + _initial_anchor(i)),
             "anchor_attr": Markup("{#" + _initial_anchor(i) + "}"), "groups": by_initial[i]}
            for i in order]


def _initial_anchor(initial: str) -> str:
    """`tags-a`, `tags-0-9`, `tags-other`, `tags-u41f` (П): never a tag's (`tag-...`)."""
    if initial == "0–9":
        return "tags-0-9"
    if initial.isascii():
        return "tags-" + initial.lower()
    return f"tags-u{ord(initial):x}"


@dataclass
class TimelineEntry:
    """One dated line of a timeline: `label` then `other` (a link), then `text`.

    `iso` and `when` (the date as data and as text) are worked out once, when made.
    """

    date: PartialDate
    end: PartialDate | None
    circa: bool
    label: str
    other: Link | None = None
    text: Markup | str = ""
    kind: str = "event"  # event | relation | role | claim | date
    iso: str = field(init=False)
    when: str = field(init=False)

    def __post_init__(self) -> None:
        # made from dates and fixed words: escaped once, not on every page that shows them
        self.iso, self.when = _date_texts(self.date, self.end, self.circa)
        self.kind = _escaped_word(self.kind)

    def sort_key(self) -> tuple[Any, ...]:
        return (self.date, self.end or self.date, self.label, self.other.text if self.other else "")


@functools.lru_cache(maxsize=1 << 14)
def _date_texts(date: PartialDate, end: PartialDate | None, circa: bool) -> tuple[Markup, Markup]:
    """A timeline line's date as data (ISO) and as text, escaped: dates recur across pages."""
    if end and end != date:
        when = md_text(f"{_date_text(date, circa)} – {_date_text(end, circa)}")
    else:
        when = md_text(_date_text(date, circa))
    return md_text(date.iso()), when


@functools.lru_cache(maxsize=64)
def _escaped_word(word: str) -> Markup:
    return md_text(word)


class Dated(NamedTuple):
    """One item of the dossier's timeline: an event (`subject`), or a dated relation
    (`subject` `label` `object`)."""

    start: PartialDate
    end: PartialDate | None
    circa: bool
    kind: str  # event | relation
    subject: str
    label: str = ""
    object: str | None = None


#: Reader-facing words for an entity's own dates on its timeline.
DATE_FIELD_LABELS = {
    ("person", "born"): "Born", ("person", "died"): "Died",
    ("agency", "founded"): "Founded", ("agency", "dissolved"): "Dissolved",
    ("domain", "since"): "Cooperation begins", ("domain", "until"): "Cooperation ends",
    ("installation", "since"): "In service", ("installation", "until"): "Out of service",
    ("event", "date"): "Takes place", ("source", "date"): "Published",
}


# --- the renderer -----------------------------------------------------------------------


class Renderer:
    def __init__(self, linked: LinkedDossier, mkdocs_base: dict[str, Any],
                 templates_dir: Path | None = None, static_pages: frozenset[str] = frozenset(),
                 limit: float | None = None):
        self.linked = linked
        self.vocab: Vocabularies = linked.vocab
        self.mkdocs_base = mkdocs_base
        self.static_pages = static_pages  # Markdown pages the config's docs/ adds (errors.md)
        self.degrees: dict[str, int] = {}
        self._overview: tuple[list[str], dict[str, tuple[float, float]]] | None = None
        self.graph = self._build_graph()
        self.neighbours = self.graph.neighbours()
        self.tag_anchor = tag_anchors([t for e in linked.entities.values() for t in e.tags])
        #: seconds one page's template may take (`templating.time_limit`)
        self.limit = time_limit_setting() if limit is None else limit
        self.templates_dir = templates_dir
        self.env = make_environment(templates_dir, self.limit, vocab=self.vocab,
                                    type_labels=TYPE_LABELS, label=self.label)
        self._templates: dict[tuple[str, ...], Template] = {}
        #: template problems found so far, one per template file (shown path → error)
        self.problems: dict[str, Diagnostic] = {}
        self._failed: set[str] = set()  # names of templates that failed
        self._uses: dict[tuple[str, ...], frozenset[str]] = {}  # see `_skipped`
        self._links: dict[tuple[str, str], Link] = {}
        self._source_facts: dict[str, tuple[str, str | None, str, str | None]] = {}

    def label(self, vocab: str, word: str | None) -> str:
        if word is None:
            return ""
        return self.vocab.words(vocab).get(word, word)

    def _in_parallel(self, jobs: int, sink: PageSink | None = None
                     ) -> Iterator[tuple[tuple[str, Any], tuple[dict[str, str], list[Diagnostic]]]]:
        """Every page, rendered by `jobs` forked workers: the whole-dossier pages (slow ones
        first) and the profile pages in chunks, yielded in that order.

        Why: rendering is the generator's largest cost and every page is independent
        of the others; forked workers share the linked dossier without copying it.
        """
        global _WORKER, _SINK
        ids = list(self.linked.entities)
        tasks: list[tuple[str, Any]] = [("group", name) for name in PAGE_GROUPS]
        tasks += [("profiles", ids[i:i + PARALLEL_CHUNK]) for i in range(0, len(ids), PARALLEL_CHUNK)]
        _WORKER, _SINK = self, sink
        try:
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                yield from zip(tasks, pool.imap(_render_task, tasks), strict=True)
        finally:
            _WORKER = _SINK = None

    def render_all(self, progress: Progress | None = None, jobs: int = 1,
                   sink: PageSink | None = None) -> RenderedSite:
        progress = progress or Progress.off()
        # progress counts profile pages one by one and each group of other pages as one
        progress.stage("render", len(self.linked.entities) + len(PAGE_GROUPS), "pages")
        if jobs > 1 and len(self.linked.entities) >= PARALLEL_MIN and can_fork():
            pages: dict[str, str] = {}
            groups: dict[str, dict[str, str]] = {}
            for (kind, what), (chunk, problems) in self._in_parallel(jobs, sink):
                for problem in problems:  # the first in the order of the tasks, whichever worker
                    self.problems.setdefault(problem.path, problem)
                if kind == "group":
                    groups[what] = chunk
                    progress.step()
                else:
                    pages.update(chunk)
                    progress.step(len(chunk))
            for name in PAGE_GROUPS_IN_ORDER:  # the order one process gives
                pages.update(groups[name])
            self.raise_problems()
            if sink is not None:  # the sink has the text: `pages` holds only their names
                progress.finish()
                return RenderedSite({}, self.mkdocs_config(), self.content_date(),
                                    spooled=list(pages))
        else:
            pages = {}
            for e in self.linked.entities.values():
                pages[page_path(e)] = self.entity_page(e)
                progress.step()
            for name in PAGE_GROUPS_IN_ORDER:
                pages.update(self.group_pages(name))
                progress.step()
            self.raise_problems()
        progress.finish()
        return RenderedSite(pages, self.mkdocs_config(), self.content_date())

    def group_pages(self, name: str) -> dict[str, str]:
        """One group of the pages drawn from the whole dossier (see PAGE_GROUPS)."""
        if name == "indexes":
            pages = {index_path(t): self.index_page(t) for t in TYPES}
            pages["index.md"] = self.home_page()
            return pages
        if name == "timeline":
            return self.timeline_pages()
        if name == "network":
            pages = {"network.md": self.network_page()}
            for t in TYPES:
                if self.linked.of_type(t):
                    pages[network_view_path(t)] = self.network_view_page(t)
            return pages
        return {"bibliography.md": self.bibliography_page(), "tags.md": self.tags_page(),
                "writing-content.md": self.writing_content_page()}

    def view_pages(self) -> dict[str, str]:
        """The site-wide pages drawn from the whole dossier: any edit may change them."""
        return {**self.group_pages("timeline"), **self.group_pages("network"),
                **self.group_pages("reference")}

    def content_date(self) -> PartialDate | None:
        d = self.linked.dossier
        dates = [x for x in (d.updated, d.published) if x is not None]
        dates += [e.updated for e in self.linked.entities.values() if e.updated is not None]
        return max(dates, key=lambda x: x.end(), default=None)

    def _page(self, path: str) -> PageContext:
        return PageContext(self.linked, path, self._links, self._source_facts)

    def _render(self, names: list[str], page: str = "", /, **ctx: Any) -> str:
        """Page `page` from the first of the templates `names` that exists.

        A template that fails (any exception, or running past `self.limit` seconds)
        becomes a located error in `self.problems` and the page is left empty: the
        render goes on, so that one run finds the problems of every template, and
        raises them at its end (`raise_problems`). Pages whose templates include one
        that failed already are not tried again (one error per template is enough, and
        a template that never ends would take the limit on every page).
        """
        key = tuple(names)
        if self._failed and self._skipped(key):
            return ""
        try:
            with time_limit(self.limit):
                template = self._templates.get(key)
                if template is None:  # Jinja does not remember a name it did not find
                    template = self._templates[key] = self.env.select_template(names)
                return template.render(**ctx)
        except Exception as exc:  # the template's problem: reported as the user's error
            variables = [*ctx, *(k for k in self.env.globals if k not in DEFAULT_NAMESPACE)]
            problem = template_problem(exc, page or names[-1], names[0], self.templates_dir,
                                       variables, self.limit)
            self.problems.setdefault(problem.path, problem)
            self._failed.update({self._name_of(problem.path), *self._uses_of(key)[:1]})
            return ""

    def _name_of(self, shown: str) -> str:
        """A template's name (as templates import it) from the path a problem shows."""
        for folder in ([self.templates_dir] if self.templates_dir else []) + [DEFAULT_TEMPLATES_DIR]:
            path = Path(os.path.abspath(shown))
            if path.is_relative_to(os.path.abspath(folder)):
                return path.relative_to(os.path.abspath(folder)).as_posix()
        return shown

    def _uses_of(self, key: tuple[str, ...]) -> list[str]:
        """The template chosen for `key`, then every template it imports, includes or
        extends, however deep (names written in the templates; one not found is left out)."""
        found = [name for name in key if self._source(name) is not None][:1]
        for name in found:
            source = self._source(name)
            try:
                refs = meta.find_referenced_templates(self.env.parse(source or ""))
            except TemplateSyntaxError:
                continue
            found += [r for r in refs if r is not None and r not in found and self._source(r) is not None]
        return found

    def _source(self, name: str) -> str | None:
        try:
            return self.env.loader.get_source(self.env, name)[0] if self.env.loader else None
        except TemplateNotFound:
            return None

    def _skipped(self, key: tuple[str, ...]) -> bool:
        uses = self._uses.get(key)
        if uses is None:
            uses = self._uses[key] = frozenset(self._uses_of(key))
        return not uses.isdisjoint(self._failed)

    def raise_problems(self) -> None:
        """Raise TemplateFailures if any template failed (see `_render`)."""
        if self.problems:
            raise TemplateFailures(sorted(self.problems.values(), key=lambda d: (d.loc, d.message)))

    # --- entity pages -----------------------------------------------------------------

    def entity_page(self, e: Entity) -> str:
        page = self._page(page_path(e))
        cites = Citations(page)
        view = {
            "entity": e,
            "type_label": TYPE_LABELS[e.type][0],
            "kind_label": self._kind_label(e),
            "index": Link(TYPE_LABELS[e.type][1], page.href(index_path(e.type))),
            "summary": page.prose(e.summary),
            "note": page.prose(e.note),
            "infobox": self._infobox(e, page),
            "roles": [self._role_row(r, page, cites) for r in e.roles],
            "relations": self._relation_groups(e, page, cites),
            "backrefs": self._backref_groups(e, page, cites),
            "claims": [self._claim_view(c, page, cites) for c in e.claims],
            "general_sources": cites.cite(e.sources),
            "mentioned_in": [page.link(i) if i != DOSSIER_ID else Link("Home", page.href("index.md"))
                             for i in self.linked.mentions.get(e.id, [])],
            "cited_by": [page.link(i) if i != DOSSIER_ID else Link("Home", page.href("index.md"))
                         for i in self.linked.cited_by.get(e.id, [])],
            "questions": [page.prose(q.text, inline=True)
                          for q in self.linked.questions_of.get(e.id, [])],
            "tags": [Link(t, page.href("tags.md") + "#" + self.tag_anchor[t])
                     for t in dict.fromkeys(e.tags)],
            "timeline": self._entity_timeline(e, page),
            "network": self._ego_network(e, page),
        }
        view["references"] = cites.references()
        return self._render([f"{e.type}.md.j2", "entity.md.j2"], page.path, **view)

    def _kind_label(self, e: Entity) -> str | None:
        kind = e.text("kind")
        if kind is None:
            return None
        vocab = {"agency": "agency_kinds", "installation": "installation_kinds",
                 "source": "source_kinds"}[e.type]
        return self.label(vocab, kind)

    def _value(self, value: Any, spec_kind: str, vocab: str | None, page: PageContext) -> list[Any]:
        if isinstance(value, Ref):
            return [page.link(value.id)] if value.id in self.linked.entities else []
        if isinstance(value, list):
            return [x for v in value for x in self._value(v, spec_kind, vocab, page)]
        if isinstance(value, PartialDate):
            return [value.display()]
        if isinstance(value, bool):
            return ["yes" if value else "no"]
        if spec_kind == "url":
            return [Markup('<a href="{0}" rel="noopener noreferrer">{1}</a>').format(
                md_text(value), md_text(value))]
        if vocab:
            return [self.label(vocab, value)]
        if spec_kind == "reliability":
            return [f"{value}: {self.label('reliability', value)}"]
        return [str(value)]

    def _infobox(self, e: Entity, page: PageContext) -> list[Row]:
        rows = []
        for name, spec in TYPE_FIELDS[e.type].items():
            if name in ("circa",) or name not in e.fields:
                continue
            values = self._value(e.fields[name], spec.kind, spec.vocab, page)
            if values:
                if spec.kind == "date" and e.fields.get("circa"):
                    values = [f"c. {v}" for v in values]
                rows.append(Row(spec.shown_label, values))
        if e.updated:
            rows.append(Row("Profile reviewed", [e.updated.display()]))
        if e.marking != "TLP:CLEAR":
            rows.append(Row("Marking", [e.marking]))
        return rows

    def _role_row(self, role: Role, page: PageContext, cites: Citations) -> dict[str, Any]:
        org = role.organization
        return {
            "title": role.title,
            "organization": page.link(org.id) if org and org.id in self.linked.entities else None,
            "when": _span_text(role.since, role.until, role.circa),
            "cites": cites.cite(role.sources),
            "note": page.prose(role.note, inline=True),
        }

    def _relation_groups(self, e: Entity, page: PageContext, cites: Citations) -> list[Group]:
        groups: dict[str, list[RelationRow]] = defaultdict(list)
        for edge in self.linked.edges_of.get(e.id, []):
            rtype = self.vocab.relation_types[edge.relation.type]
            label = rtype.label if edge.subject == e.id else rtype.inverse
            groups[label].append(self._relation_row(edge, e.id, page, cites))
        return [Group(label.capitalize(), rows) for label, rows in groups.items()]

    def _relation_row(self, edge: Edge, here: str, page: PageContext,
                      cites: Citations) -> RelationRow:
        r = edge.relation
        return RelationRow(
            other=page.link(edge.other(here)),
            when=_span_text(r.since, r.until, r.circa),
            status=r.status,
            confidence=r.confidence,
            cites=cites.cite(r.sources),
            note=page.prose(r.note, inline=True),
        )

    def _backref_groups(self, e: Entity, page: PageContext, cites: Citations) -> list[Group]:
        groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for b in self.linked.backrefs.get(e.id, []):
            row: dict[str, Any] = {"other": page.link(b.source), "detail": "", "cites": ()}
            if isinstance(b.detail, Role):
                row["detail"] = ", ".join(
                    x for x in (b.detail.title, _span_text(b.detail.since, b.detail.until,
                                                           b.detail.circa)) if x)
                row["cites"] = cites.cite(b.detail.sources)
            else:
                other = self.linked.entities[b.source]
                row["detail"] = _date_text(other.date("date"))
            groups[b.label].append(row)
        return [Group(label, rows) for label, rows in groups.items()]

    def _claim_view(self, c: Claim, page: PageContext, cites: Citations) -> ClaimView:
        grade = None
        if c.credibility is not None:
            rel = [self.linked.entities[s.source.id].text("reliability") for s in c.sources]
            letters = sorted({r for r in rel if r})
            grade = "/".join(f"{r}{c.credibility}" for r in letters) or f"?{c.credibility}"
        contradicts = []
        for ref in c.contradicts:
            if ref.id in self.linked.entities:
                contradicts.append(page.link(ref.id))
            elif ref.id in self.linked.claims_by_key:
                owner, _ = self.linked.claims_by_key[ref.id]
                target = "index.md" if owner == DOSSIER_ID else page_path(self.linked.entities[owner])
                contradicts.append(Link(f"claim '{ref.id}'", page.href(target) + f"#claim-{ref.id}"))
        return ClaimView(
            text=page.prose(c.text, inline=True) or Markup(""),
            status=c.status, confidence=c.confidence, likelihood=c.likelihood, grade=grade,
            when=_span_text(c.date, c.end_date, c.circa) if c.end_date else _date_text(c.date, c.circa),
            cites=cites.cite(c.sources), note=page.prose(c.note, inline=True),
            contradicts=contradicts, key=c.key,
        )

    # --- index and home pages -----------------------------------------------------------

    def index_page(self, type_: str) -> str:
        path = index_path(type_)
        page = self._page(path)
        entities = sorted(self.linked.of_type(type_), key=lambda x: (x.name.casefold(), x.id))
        if type_ == "event":
            entities.sort(key=lambda x: (x.date("date") or PartialDate(1), x.id))
        rows = [self._index_row(e, page) for e in entities]
        return self._render([f"index-{type_}.md.j2", "index.md.j2"], path, type_=type_,
                            title=TYPE_LABELS[type_][1], columns=self._index_columns(type_),
                            rows=rows)

    def _index_columns(self, type_: str) -> list[str]:
        return {
            "person": ["Name", "Nationality", "Roles"],
            "agency": ["Name", "Kind", "Country", "Parent"],
            "domain": ["Name", "Parties", "Period"],
            "event": ["Date", "Event", "Participants"],
            "installation": ["Name", "Kind", "Country", "Status"],
            "country": ["Name", "ISO code"],
            "source": ["Source", "Outlet", "Date", "Kind", "Grade", "Times cited"],
        }[type_]

    def _index_row(self, e: Entity, page: PageContext) -> list[list[Any]]:
        f = e.fields
        own = [page.link(e.id)]

        def refs(name: str) -> list[Any]:
            return self._value(f.get(name, []), "refs", None, page)

        if e.type == "person":
            roles = [r.title + (f" ({self.linked.entities[r.organization.id].name})"
                                if r.organization and r.organization.id in self.linked.entities else "")
                     for r in e.roles[:3]]
            return [own, refs("nationality"), ["; ".join(roles)]]
        if e.type == "agency":
            return [own, [self.label("agency_kinds", e.text("kind"))], refs("country"), refs("parent")]
        if e.type == "domain":
            return [own, refs("parties"), [_span_text(e.date("since"), e.date("until"),
                                                      bool(f.get("circa")))]]
        if e.type == "event":
            return [[_date_text(e.date("date"), bool(f.get("circa")))], own, refs("participants")]
        if e.type == "installation":
            return [own, [self.label("installation_kinds", e.text("kind"))], refs("country"),
                    [e.text("status") or ""]]
        if e.type == "country":
            return [own, [e.text("iso") or ""]]
        return [own, self._outlet(e, page), [_date_text(e.date("date"))],
                [self.label("source_kinds", e.text("kind"))], [e.text("reliability") or ""],
                [str(len(self.linked.cited_by.get(e.id, [])))]]

    def _outlet(self, source: Entity, page: PageContext) -> list[Any]:
        """The outlet's profile when it has one, else the publisher as text."""
        outlet = source.fields.get("outlet")
        if isinstance(outlet, Ref) and outlet.id in self.linked.entities:
            return [page.link(outlet.id)]
        return [source.text("publisher") or ""]

    def home_page(self) -> str:
        page = self._page("index.md")
        d = self.linked.dossier
        cites = Citations(page)
        judgments = [self._claim_view(c, page, cites) for c in d.key_judgments]
        questions = [{"text": page.prose(q.text, inline=True), "note": page.prose(q.note, inline=True),
                      "related": [page.link(r.id) for r in q.related]} for q in d.questions]
        counts = [(TYPE_LABELS[t][1], len(self.linked.of_type(t)), page.href(index_path(t)))
                  for t in TYPES]
        events = sorted(self.linked.of_type("event"),
                        key=lambda x: (x.date("date") or PartialDate(1), x.id), reverse=True)
        recent = [{"when": _date_text(x.date("date"), bool(x.fields.get("circa"))),
                   "event": page.link(x.id)} for x in events[:RECENT_EVENTS]]
        shown = self.graph.best_connected(HOME_NETWORK_NODES, among=self._drawn_ids())
        network = self._network_svg(shown, page, "dg-home", "The dossier's best connected entities",
                                    edge_labels=False)
        return self._render(["home.md.j2"], page.path, dossier=d, summary=page.prose(d.summary),
                            judgments=judgments, questions=questions, counts=counts,
                            general_sources=cites.cite(d.sources), references=cites.references(),
                            recent=recent, network=network,
                            links={name: page.href(path) for name, path in self._view_pages()})

    # --- graphs ---------------------------------------------------------------------------

    def _build_graph(self) -> g.Graph:
        """Every entity, linked by relations and by reference fields (roles included)."""
        graph = g.Graph()
        ents = self.linked.entities
        for i in sorted(ents):
            graph.add_node(g.Node(i, ents[i].name, ents[i].type, page_path(ents[i])))
        for edge in self.linked.edges:
            graph.add_edge(edge.subject, edge.object,
                           self.vocab.relation_types[edge.relation.type].label)
        for target in sorted(self.linked.backrefs):
            for b in self.linked.backrefs[target]:
                if isinstance(b.detail, Role):
                    label = b.detail.title
                else:
                    label = TYPE_FIELDS[ents[b.source].type][b.field].shown_label.lower()
                graph.add_edge(b.source, target, label)
        self.degrees = graph.degrees()
        return graph

    def _drawn_ids(self) -> list[str]:
        """Entities with at least one link: isolated ones only clutter a picture."""
        return sorted(self.neighbours)

    def _network_svg(self, ids: list[str], page: PageContext, ident: str, title: str,
                     edge_labels: bool = True, centre: str | None = None,
                     focus: frozenset[str] | None = None,
                     reuse_overview: bool = False) -> Markup | None:
        """A network picture and its legend, as one line of raw HTML for the page.

        `reuse_overview`: entities drawn on the overview keep the places they have there
        (the network page and the per-type views), so the pictures read alike.

        `centre`: a profile's own picture (radial); `focus`: only the links of these
        entities are drawn, and they are drawn larger (a view of one type).
        """
        if not ids:
            return None
        sub = self.graph.subgraph(ids, [centre] if centre is not None else focus)
        ents = self.linked.entities
        sub.nodes = {i: g.Node(i, n.label, n.type, html_href(page, ents[i]))
                     for i, n in sub.nodes.items()}
        labels = _TYPE_NAMES
        n = len(sub.nodes)
        if centre is not None:
            others = sorted((i for i in sub.nodes if i != centre),
                            key=lambda i: (_TYPE_RANK[ents[i].type], ents[i].name.casefold(), i))
            pos = g.radial_layout(centre, others)
            canvas = _EGO_SMALL if n <= 7 else _EGO_LARGE
        else:
            overview = self._overview_layout()[1] if reuse_overview else {}
            if reuse_overview and set(sub.nodes) <= set(overview):
                pos = g.fit({i: overview[i] for i in sub.nodes})  # the overview's places
            else:
                pos = g.force_layout(sub, TYPES)
            big = n > 60
            canvas = g.Canvas(width=1200 if big else 820, height=900 if big else 560,
                              margin=130 if big else 110, margin_y=24, radius=6 if big else 7,
                              font=11 if big else 12, edge_labels=edge_labels,
                              hover_labels=len(sub.edges) > 60, wide=big)
        desc = (f"{n} entities and {len(sub.edges)} links. Each node is a link to the entity's "
                "page; colour shows its type (see the legend); hover a line for the relation.")
        picture = g.svg(sub, pos, ident, title, desc, canvas, labels, centre, focus or frozenset())
        shown = {x.type for x in sub.nodes.values()}
        legend = g.legend([t for t in TYPES if t in shown], labels)
        return Markup(f'<div class="dossier-graph">{picture}{legend}</div>')

    def _ego_network(self, e: Entity, page: PageContext) -> dict[str, Any] | None:
        others = self.neighbours.get(e.id, [])
        if not others:
            return None
        chosen = sorted(others, key=lambda i: (-self.degrees.get(i, 0), i))[:EGO_MAX]
        svg = self._network_svg([e.id, *chosen], page, "dg-ego", f"Direct links of {e.name}",
                                centre=e.id)
        return {"svg": svg, "shown": len(chosen), "more": len(others) - len(chosen),
                "network": Link("Network", page.href("network.md"))}

    def _overview_layout(self) -> tuple[list[str], dict[str, tuple[float, float]]]:
        """The overview's entities (the best connected) and their places, computed once."""
        if self._overview is None:
            shown = self.graph.best_connected(g.MAX_NODES, among=self._drawn_ids())
            self._overview = (shown, g.force_layout(self.graph.subgraph(shown), TYPES))
        return self._overview

    def network_page(self) -> str:
        page = self._page("network.md")
        drawn = self._drawn_ids()
        shown = self._overview_layout()[0]
        views = [(TYPE_LABELS[t][1], page.href(network_view_path(t)), len(self.linked.of_type(t)))
                 for t in TYPES if self.linked.of_type(t)]
        return self._render(["network.md.j2"], page.path, title="Network",
                            svg=self._network_svg(shown, page, "dg-all", "The dossier's network",
                                                  reuse_overview=True),
                            shown=len(shown), drawn=len(drawn), total=len(self.linked.entities),
                            views=views, view_of=None)

    def network_view_page(self, type_: str) -> str:
        """One type's entities and their direct neighbours, best connected first."""
        path = network_view_path(type_)
        page = self._page(path)
        own = [e.id for e in self.linked.of_type(type_) if e.id in self.neighbours]
        core = self.graph.best_connected(g.MAX_NODES // 2, among=own)
        around = {o for i in core for o in self.neighbours[i]} - set(core)
        shown = core + self.graph.best_connected(g.MAX_NODES - len(core), among=sorted(around))
        label = TYPE_LABELS[type_][1]
        return self._render(["network.md.j2"], path, title=f"Network: {label}",
                            svg=self._network_svg(shown, page, f"dg-{type_}",
                                                  f"{label} and their direct links",
                                                  focus=frozenset(core), reuse_overview=True),
                            shown=len(shown), drawn=len(own) + len(around),
                            total=len(self.linked.entities), views=[],
                            view_of=(label, Link("Network", page.href("network.md"))))

    # --- timelines ------------------------------------------------------------------------

    def _entity_timeline(self, e: Entity, page: PageContext) -> list[TimelineEntry]:
        """The entity's own dates, its events, and its dated relations, roles and claims."""
        ents = self.linked.entities
        out: list[TimelineEntry] = []
        circa = bool(e.fields.get("circa"))
        for name, spec in TYPE_FIELDS[e.type].items():
            d = e.date(name)
            if spec.kind == "date" and d and name != "end_date":
                end = e.date("end_date") if name == "date" else None
                out.append(TimelineEntry(d, end, circa,
                                         DATE_FIELD_LABELS.get((e.type, name), spec.shown_label),
                                         kind="date"))
        events_seen: set[str] = set()  # an event may name the entity in several fields
        for b in self.linked.backrefs.get(e.id, []):
            other = ents[b.source]
            when = _period(other.date("date"), other.date("end_date"))
            if other.type == "event" and when:
                if other.id in events_seen:
                    continue
                events_seen.add(other.id)
                out.append(TimelineEntry(*when, bool(other.fields.get("circa")), "Event:",
                                         page.link(other.id)))
            elif isinstance(b.detail, Role) and (when := _period(b.detail.since, b.detail.until)):
                out.append(TimelineEntry(*when, b.detail.circa, f"{b.detail.title}:",
                                         page.link(other.id), kind="role"))
        for edge in self.linked.edges_of.get(e.id, []):
            r = edge.relation
            if when := _period(r.since, r.until):
                rtype = self.vocab.relation_types[r.type]
                label = rtype.label if edge.subject == e.id else rtype.inverse
                out.append(TimelineEntry(*when, r.circa, label.capitalize(),
                                         page.link(edge.other(e.id)), kind="relation"))
        for role in e.roles:
            if when := _period(role.since, role.until):
                org = role.organization
                known = org is not None and org.id in ents
                out.append(TimelineEntry(*when, role.circa, role.title + (" at" if known else ""),
                                         page.link(org.id) if org and known else None, kind="role"))
        for c in e.claims:
            if c.date:
                out.append(TimelineEntry(c.date, c.end_date, c.circa, "Claim:",
                                         text=page.prose(c.text, inline=True) or "", kind="claim"))
        return sorted(out, key=TimelineEntry.sort_key)

    def _dated(self) -> list[Dated]:
        """Every dated event and dated relation of the dossier: what its timeline shows."""
        items = [Dated(d, e.date("end_date"), bool(e.fields.get("circa")), "event", e.id)
                 for e in self.linked.of_type("event") if (d := e.date("date")) is not None]
        for edge in self.linked.edges:
            r = edge.relation
            if (when := _period(r.since, r.until)) is not None:
                items.append(Dated(*when, r.circa, "relation", edge.subject,
                                   self.vocab.relation_types[r.type].label, edge.object))
        return items

    def _dossier_timeline(self, items: list[Dated], page: PageContext) -> list[TimelineEntry]:
        """The timeline's rows, in date order, linked from `page`."""
        return sorted((TimelineEntry(
            i.start, i.end, i.circa, "", page.link(i.subject), kind=i.kind,
            text=md_text(i.label) + Markup(" ") + _md_link(page.link(i.object))
            if i.object is not None else "") for i in items), key=TimelineEntry.sort_key)

    def _timeline_svg(self, items: list[Dated], page: PageContext) -> Markup | None:
        """The picture of a short timeline: a mark per event and dated relation."""
        ents = self.linked.entities
        marks: dict[str, list[tl.Mark]] = {"event": [], "relation": []}
        for i in items:
            subject = ents[i.subject]
            text = subject.name if i.object is None else \
                f"{subject.name} {i.label} {ents[i.object].name}"
            marks[i.kind].append(tl.Mark(i.start, text, html_href(page, subject), i.circa, i.end))
        bands = [b for b in (tl.Band("Events", "event", marks["event"]),
                             tl.Band("Relations", "relation", marks["relation"])) if b.marks]
        picture = tl.svg(bands, "dt-all", "Timeline of the dossier", width=780,
                         desc=f"{len(marks['event'])} events and {len(marks['relation'])} dated "
                         "relations on a year axis. "
                         "Dots are single days, bars whole months or years; hollow marks are "
                         "approximate. Each mark links to its page.")
        return Markup(f'<div class="dossier-graph">{picture}</div>') if picture else None

    def timeline_pages(self) -> dict[str, str]:
        """Every event and dated relation, by year; partial dates before precise ones.

        One page while the timeline is short (TIMELINE_PAGE_MAX entries). Past that, the
        page keeps a picture of entries per year (each bar a link) and a table of years,
        and each year gets a page of its own (`timeline/<year>.md`): no page grows with
        the dossier, and an edit rebuilds only the years it touches.
        """
        page = self._page("timeline.md")
        items = self._dated()
        counts: dict[str, dict[int, int]] = {"event": defaultdict(int), "relation": defaultdict(int)}
        for i in items:
            counts[i.kind][i.start.year] += 1
        totals = {"events": sum(counts["event"].values()),
                  "relations": sum(counts["relation"].values())}
        if len(items) <= TIMELINE_PAGE_MAX:
            return {"timeline.md": self._render(
                ["timeline.md.j2"], page.path, title="Timeline", periods=[],
                years=self._by_year(self._dossier_timeline(items, page)),
                svg=self._timeline_svg(items, page), **totals)}
        # every year page lies in timeline/: rows linked from one are linked from all
        years = self._by_year(self._dossier_timeline(items, self._page(timeline_year_path(0))))
        pages: dict[str, str] = {}
        for n, (year, entries) in enumerate(years):
            here = self._page(timeline_year_path(year))
            before = years[n - 1][0] if n > 0 else None
            after = years[n + 1][0] if n + 1 < len(years) else None
            pages[here.path] = self._render(
                ["timeline-year.md.j2"], here.path, title=f"Timeline: {year}", year=year, entries=entries,
                timeline=Link("Timeline", here.href("timeline.md")),
                before=Link(str(before), here.href(timeline_year_path(before))) if before else None,
                after=Link(str(after), here.href(timeline_year_path(after))) if after else None)
        periods = [{"year": Link(str(year), page.href(timeline_year_path(year))),
                    "events": counts["event"][year], "relations": counts["relation"][year]}
                   for year, _ in years]
        picture = tl.histogram(
            [b for b in (tl.Counts("Events", "event", counts["event"], ("event", "events")),
                         tl.Counts("Relations", "relation", counts["relation"],
                                   ("dated relation", "dated relations"))) if any(b.per_year.values())],
            {year: page.href(timeline_year_path(year))[: -len(".md")] + ".html" for year, _ in years},
            "dt-all", "Timeline of the dossier, entries per year", width=780,
            desc=f"{totals['events']} events and {totals['relations']} dated relations, counted "
                 "per year on a year axis: the taller the bar, the more entries. Each bar links "
                 "to its year's page.")
        pages["timeline.md"] = self._render(
            ["timeline.md.j2"], page.path, title="Timeline", years=[], periods=periods,
            svg=Markup(f'<div class="dossier-graph">{picture}</div>') if picture else None, **totals)
        return pages

    @staticmethod
    def _by_year(entries: list[TimelineEntry]) -> list[tuple[int, list[TimelineEntry]]]:
        years: dict[int, list[TimelineEntry]] = defaultdict(list)
        for t in entries:
            years[t.date.year].append(t)
        return sorted(years.items())

    # --- bibliography, tags, writing content ------------------------------------------------

    def bibliography_page(self) -> str:
        page = self._page("bibliography.md")
        rows: list[dict[str, Any]] = []
        for s in self.linked.of_type("source"):
            outlet = self._outlet(s, page)
            cited = self.linked.cited_by.get(s.id, [])
            rows.append({
                "source": page.link(s.id), "title": s.text("title") or s.name,
                "author": s.text("author"), "outlet": outlet, "date": _date_text(s.date("date")),
                "kind": self.label("source_kinds", s.text("kind")) if s.text("kind") else "",
                "grade": s.text("reliability"),
                "grade_label": self.label("reliability", s.text("reliability")),
                "url": s.text("url"),
                "cited_by": [page.link(i) if i != DOSSIER_ID else Link("Home", page.href("index.md"))
                             for i in cited[:CITED_BY_SHOWN]],
                "more": max(len(cited) - CITED_BY_SHOWN, 0),
                "sort": (str(outlet[0].text if isinstance(outlet[0], Link) else outlet[0]).casefold(),
                         s.date("date") or PartialDate(1), s.id),
            })
        rows.sort(key=lambda r: r["sort"])
        return self._render(["bibliography.md.j2"], page.path, title="Bibliography", rows=rows)

    def tags_page(self) -> str:
        page = self._page("tags.md")
        by_tag: dict[str, list[Entity]] = defaultdict(list)
        for e in self.linked.entities.values():
            for t in dict.fromkeys(e.tags):
                by_tag[t].append(e)
        groups = [{"tag": t, "anchor": a, "anchor_attr": Markup("{#" + a + "}"),
                   "entities": [(page.link(e.id), TYPE_LABELS[e.type][0])
                                for e in sorted(by_tag[t], key=lambda x: (x.name.casefold(), x.id))]}
                  for t, a in self.tag_anchor.items()]
        sections = tag_sections(groups) if len(groups) > TAGS_AS_HEADINGS_MAX else []
        return self._render(["tags.md.j2"], page.path, title="Tags", groups=groups,
                            sections=sections)

    def writing_content_page(self) -> str:
        """The editor's guide, generated from the schema and the vocabularies it documents."""
        vocab = self.vocab
        page = self._page("writing-content.md")

        def docs(specs: dict[str, FieldSpec]) -> list[dict[str, Any]]:
            return [{"name": s.name, "kind": s.kind, "required": s.required, "doc": _trusted(s.doc),
                     "vocab": s.vocab, "ref_types": [TYPE_LABELS[t][0] for t in s.ref_types]}
                    for s in specs.values()]

        types = [{"type": t, "label": TYPE_LABELS[t][0], "folder": FOLDER_OF_TYPE[t],
                  "fields": docs(TYPE_FIELDS[t])} for t in TYPES]
        vocabularies = [{"name": name, "entries": list(vocab.labels[name].items())}
                        for name in LABEL_VOCABS]
        return self._render(
            ["writing-content.md.j2"], page.path, title="Writing content",
            common=docs(COMMON_FIELDS), types=types,
            parts=[{"name": name, "fields": docs(specs)} for name, specs in PARTS.items()],
            dossier_fields=docs(DOSSIER_FIELDS),
            kinds=[(k, _trusted(v)) for k, v in KINDS.items()], id_pattern=ID_RE.pattern, id_max=ID_MAX,
            relation_types=list(vocab.relation_types.values()), vocabularies=vocabularies,
            markings=vocab.markings, editions=list(vocab.editions.items()),
            errors_page=page.href(ERRORS_PAGE) if ERRORS_PAGE in self.static_pages else None,
        )

    # --- MkDocs configuration -----------------------------------------------------------

    def mkdocs_config(self) -> dict[str, Any]:
        d = self.linked.dossier
        config: dict[str, Any] = {
            "site_name": str(md_text(d.title)),
            "site_description": str(md_text(d.subtitle or d.title)),
            "docs_dir": "docs",
        }
        for key, value in self.mkdocs_base.items():
            config.setdefault(key, value)
        theme = dict(config.get("theme", {"name": "material"}))
        theme["custom_dir"] = "overrides"
        theme.setdefault("language", d.language)
        config["theme"] = theme
        config["nav"] = [{"Home": "index.md"}] + [
            {TYPE_LABELS[t][1]: index_path(t)} for t in TYPES
        ] + [{name: path} for name, path in self._view_pages()]
        langs = [lang for lang in dict.fromkeys((d.language, *EXTRA_SEARCH_LANGS))
                 if lang in SEARCH_LANGS]
        search = {"lang": langs, "separator": SEARCH_SEPARATOR, "pipeline": SEARCH_PIPELINE}
        config.setdefault("plugins", [{"search": search}, "offline"])
        return config

    def _view_pages(self) -> list[tuple[str, str]]:
        """The site-wide pages after the type indexes: what the nav and the home page link."""
        views = [("Bibliography", "bibliography.md"), ("Timeline", "timeline.md"),
                 ("Network", "network.md"), ("Tags", "tags.md"),
                 ("Writing content", "writing-content.md")]
        if ERRORS_PAGE in self.static_pages:
            views.append(("Error messages", ERRORS_PAGE))
        return views


_WORKER: Renderer | None = None  # the renderer a forked worker inherits


#: what a forked worker hands its pages to (path, text), if anything: see `render`
PageSink = Callable[[str, str], None]
_SINK: PageSink | None = None


def _render_task(task: tuple[str, Any]) -> tuple[dict[str, str], list[Diagnostic]]:
    """In a worker: ("profiles", ids) or ("group", name) → those pages (with a sink,
    handed to it and returned as paths with empty text) and the template problems met
    meanwhile, as values: an exception would not say which page, and a traceback
    cannot cross the fork."""
    assert _WORKER is not None
    pages = _render_pages_of(task)
    problems = list(_WORKER.problems.values())
    _WORKER.problems.clear()
    return pages, problems


def _render_pages_of(task: tuple[str, Any]) -> dict[str, str]:
    assert _WORKER is not None
    kind, what = task
    if kind == "group":
        pages = _WORKER.group_pages(what)
    else:
        entities = _WORKER.linked.entities
        pages = {page_path(entities[i]): _WORKER.entity_page(entities[i]) for i in what}
    if _SINK is None:
        return pages
    for rel, text in pages.items():
        _SINK(rel, text)
    return dict.fromkeys(pages, "")


def render_pages(linked: LinkedDossier, mkdocs_base: dict[str, Any], templates_dir: Path | None,
                 entity_ids: set[str], index_types: set[str] | None = None,
                 static_pages: frozenset[str] = frozenset(), limit: float | None = None) -> dict[str, str]:
    """Only the pages of `entity_ids`, the index pages (of `index_types`, or all), home
    and the whole-dossier views (timeline, network, bibliography, tags).

    For the live preview, which re-renders the neighbourhood of an edit instead of
    every page (`serve.affected`). Raises TemplateFailures as `render` does.
    """
    renderer = Renderer(linked, mkdocs_base, templates_dir, static_pages, limit)
    pages = {page_path(linked.entities[i]): renderer.entity_page(linked.entities[i])
             for i in sorted(entity_ids) if i in linked.entities}
    for t in TYPES if index_types is None else [t for t in TYPES if t in index_types]:
        pages[index_path(t)] = renderer.index_page(t)
    pages["index.md"] = renderer.home_page()
    pages.update(renderer.view_pages())
    renderer.raise_problems()
    return pages


def render(linked: LinkedDossier, mkdocs_base: dict[str, Any],
           templates_dir: Path | None = None, static_pages: frozenset[str] = frozenset(),
           progress: Progress | None = None, jobs: int = 1,
           sink: PageSink | None = None, limit: float | None = None) -> RenderedSite:
    """Render every page of the linked dossier (see the module docstring).

    `static_pages` are the Markdown pages the configuration's `docs/` adds to the site
    (`SiteConfig.static_pages`); the "Error messages" page is linked when among them.
    `jobs` > 1 renders profile pages in that many forked processes; only for
    single-threaded callers (the command line), never inside a server. With a `sink`
    (the build stage's `Spool`), those workers hand it their pages instead of sending
    the text back (`RenderedSite.spooled` names them): on a large dossier, passing
    150 MB of text between processes cost more than writing it, and doubled memory.

    A template that fails, or runs past `limit` seconds on a page (default: the
    `templating.time_limit_setting`), is reported: TemplateFailures is raised once every
    page has been tried, holding one located error per template file.
    """
    renderer = Renderer(linked, mkdocs_base, templates_dir, static_pages, limit)
    return renderer.render_all(progress, jobs, sink)

