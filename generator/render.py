"""Stage 4, render: the linked dossier → Markdown pages and a `mkdocs.yml`, in memory.

This module decides *what* each page shows (view models built from the linked
dossier); the Jinja2 templates under `templates/` decide how it looks. A user's
templates folder, when given, is searched first, so any template can be
overridden by name. Every string from content reaches the page through
`escape.md_text` (Jinja's `finalize` applies it to every `{{ }}` output that is
not already safe markup) or through `escape.prose_html` for Markdown fields.
"""

from __future__ import annotations

import multiprocessing
import posixpath
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from .config import DEFAULT_TEMPLATES_DIR, Vocabularies
from .dates import PartialDate
from .escape import md_text, prose_html, yaml_string
from .link import DOSSIER_ID, Edge, LinkedDossier, questions_for
from .load import FOLDER_OF_TYPE
from .model import Citation, Claim, Entity, Prose, Ref, Role
from .progress import Progress
from .schema import TYPE_FIELDS, TYPES
from .validate import INLINE_REF_RE

TYPE_LABELS = {
    "person": ("Person", "People"), "agency": ("Agency", "Agencies"),
    "domain": ("Domain", "Domains"), "event": ("Event", "Events"),
    "installation": ("Installation", "Installations"), "country": ("Country", "Countries"),
    "source": ("Source", "Sources"),
}
WITHHELD = "[withheld]"
#: below this many profiles, starting worker processes costs more than it saves
PARALLEL_MIN = 400
PARALLEL_CHUNK = 50


@dataclass
class RenderedSite:
    """The Markdown tree (path relative to docs/ → text) and the MkDocs configuration."""

    pages: dict[str, str]
    mkdocs_config: dict[str, Any]

    def mkdocs_yml(self) -> str:
        return yaml.safe_dump(self.mkdocs_config, sort_keys=False, allow_unicode=True)


# --- view models ------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
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
    cites: list[int]
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
    cites: list[int]
    note: Markup | None
    contradicts: list[Any]
    key: str | None


@dataclass
class Reference:
    number: int
    source: Link
    title: str
    publisher: str | None
    date: str
    grade: str | None
    locators: list[str]


@dataclass
class Citations:
    """Numbers the sources cited on one page, in order of first citation."""

    page: PageContext
    numbers: dict[str, int] = field(default_factory=dict)
    locators: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def cite(self, items: list[Citation]) -> list[int]:
        out = []
        for c in items:
            sid = c.source.id
            if sid not in self.numbers:
                self.numbers[sid] = len(self.numbers) + 1
            if c.locator and c.locator not in self.locators[sid]:
                self.locators[sid].append(c.locator)
            if self.numbers[sid] not in out:
                out.append(self.numbers[sid])
        return out

    def references(self) -> list[Reference]:
        linked = self.page.linked
        refs = []
        for sid, n in self.numbers.items():
            s = linked.entities[sid]
            refs.append(Reference(
                number=n, source=self.page.link(sid), title=s.text("title") or s.name,
                publisher=s.text("publisher"), date=_date_text(s.date("date")),
                grade=s.text("reliability"), locators=self.locators.get(sid, []),
            ))
        return refs


@dataclass
class PageContext:
    """Helpers bound to the page being rendered: links relative to it, prose."""

    linked: LinkedDossier
    path: str

    def href(self, target_path: str) -> str:
        return relative_href(target_path, posixpath.dirname(self.path))

    def link(self, entity_id: str) -> Link:
        e = self.linked.entities[entity_id]
        return Link(e.name, self.href(page_path(e)))

    def prose(self, prose: Prose | None, inline: bool = False) -> Markup | None:
        if prose is None:
            return None
        return prose_html(self.expand_refs(prose.text), inline=inline)

    def expand_refs(self, text: str) -> str:
        """`[[id]]` → a Markdown link with the entity's (escaped) name, relative .html."""
        entities = self.linked.entities

        def one(m: re.Match[str]) -> str:
            ident, label = m.group(1).strip(), m.group(2)
            target = entities.get(ident)
            if target is None:
                return str(md_text(label if label is not None else WITHHELD))
            text = md_text(label if label is not None else target.name)
            url = self.href(page_path(target))[: -len(".md")] + ".html"
            return f"[{text}]({url})"

        return INLINE_REF_RE.sub(one, text)


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


def _span_text(start: PartialDate | None, end: PartialDate | None, circa: bool = False) -> str:
    if start and end:
        return f"{_date_text(start, circa)} – {_date_text(end, circa)}"
    if start:
        return f"since {_date_text(start, circa)}"
    if end:
        return f"until {_date_text(end, circa)}"
    return ""


# --- the renderer -----------------------------------------------------------------------


def _join(items: Any, sep: str = "") -> Markup:
    return Markup.escape(sep).join(md_text(x) for x in items)


#: Jinja filters that would otherwise mark content as safe after HTML-only escaping.
#: Autoescape makes macro output safe markup; `finalize=md_text` escapes every other
#: value for Markdown and HTML at once.
_SAFE_FILTERS = {
    "join": _join,
    "e": md_text,
    "escape": md_text,
    "forceescape": md_text,
    "replace": lambda s, old, new, count=-1: md_text(str(s).replace(old, new, count)),
    "urlize": md_text,
    "yaml_string": lambda v: yaml_string(str(md_text(v))),
}



class Renderer:
    def __init__(self, linked: LinkedDossier, mkdocs_base: dict[str, Any],
                 templates_dir: Path | None = None):
        self.linked = linked
        self.vocab: Vocabularies = linked.vocab
        self.mkdocs_base = mkdocs_base
        loaders = [FileSystemLoader(str(templates_dir))] if templates_dir else []
        loaders.append(FileSystemLoader(str(DEFAULT_TEMPLATES_DIR)))
        self.env = Environment(
            loader=ChoiceLoader(loaders),
            undefined=StrictUndefined,
            autoescape=True,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            finalize=md_text,
        )
        self.env.filters.update(_SAFE_FILTERS)
        self.env.globals.update(vocab=self.vocab, type_labels=TYPE_LABELS, label=self.label)

    def label(self, vocab: str, word: str | None) -> str:
        if word is None:
            return ""
        return self.vocab.words(vocab).get(word, word)

    def _entity_pages_in_parallel(self, jobs: int) -> Iterator[dict[str, str]]:
        """Profile pages rendered by `jobs` forked workers, in chunks, in entity order.

        Why: rendering is the generator's largest cost and every page is independent
        of the others; forked workers share the linked dossier without copying it.
        """
        global _WORKER
        ids = list(self.linked.entities)
        chunks = [ids[i:i + PARALLEL_CHUNK] for i in range(0, len(ids), PARALLEL_CHUNK)]
        _WORKER = self
        try:
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                yield from pool.imap(_render_chunk, chunks)
        finally:
            _WORKER = None

    def render_all(self, progress: Progress | None = None, jobs: int = 1) -> RenderedSite:
        progress = progress or Progress.off()
        progress.stage("render", len(self.linked.entities) + len(TYPES) + 1, "pages")
        pages: dict[str, str] = {}
        if jobs > 1 and len(self.linked.entities) >= PARALLEL_MIN \
                and "fork" in multiprocessing.get_all_start_methods():
            for chunk in self._entity_pages_in_parallel(jobs):
                pages.update(chunk)
                progress.step(len(chunk))
        else:
            for e in self.linked.entities.values():
                pages[page_path(e)] = self.entity_page(e)
                progress.step()
        for t in TYPES:
            pages[index_path(t)] = self.index_page(t)
            progress.step()
        pages["index.md"] = self.home_page()
        progress.step()
        progress.finish()
        return RenderedSite(pages, self.mkdocs_config())

    def _render(self, names: list[str], **ctx: Any) -> str:
        return self.env.select_template(names).render(**ctx)

    # --- entity pages -----------------------------------------------------------------

    def entity_page(self, e: Entity) -> str:
        page = PageContext(self.linked, page_path(e))
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
                          for q in questions_for(self.linked.dossier, e.id)],
        }
        view["references"] = cites.references()
        return self._render([f"{e.type}.md.j2", "entity.md.j2"], **view)

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
            row: dict[str, Any] = {"other": page.link(b.source), "detail": "", "cites": []}
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
        page = PageContext(self.linked, path)
        entities = sorted(self.linked.of_type(type_), key=lambda x: (x.name.casefold(), x.id))
        rows = [self._index_row(e, page) for e in entities]
        return self._render([f"index-{type_}.md.j2", "index.md.j2"], type_=type_,
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
            "source": ["Source", "Publisher", "Date", "Kind", "Grade", "Cited by"],
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
        return [own, [e.text("publisher") or ""], [_date_text(e.date("date"))],
                [self.label("source_kinds", e.text("kind"))], [e.text("reliability") or ""],
                [str(len(self.linked.cited_by.get(e.id, [])))]]

    def home_page(self) -> str:
        page = PageContext(self.linked, "index.md")
        d = self.linked.dossier
        cites = Citations(page)
        judgments = [self._claim_view(c, page, cites) for c in d.key_judgments]
        questions = [{"text": page.prose(q.text, inline=True),
                      "related": [page.link(r.id) for r in q.related]} for q in d.questions]
        counts = [(TYPE_LABELS[t][1], len(self.linked.of_type(t)), page.href(index_path(t)))
                  for t in TYPES]
        return self._render(["home.md.j2"], dossier=d, summary=page.prose(d.summary),
                            judgments=judgments, questions=questions, counts=counts,
                            general_sources=cites.cite(d.sources), references=cites.references())

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
        ]
        config.setdefault("plugins", ["search", "offline"])
        return config


_WORKER: Renderer | None = None  # the renderer a forked worker inherits


def _render_chunk(ids: list[str]) -> dict[str, str]:
    assert _WORKER is not None
    entities = _WORKER.linked.entities
    return {page_path(entities[i]): _WORKER.entity_page(entities[i]) for i in ids}


def render_pages(linked: LinkedDossier, mkdocs_base: dict[str, Any], templates_dir: Path | None,
                 entity_ids: set[str], index_types: set[str] | None = None) -> dict[str, str]:
    """Only the pages of `entity_ids`, the index pages (of `index_types`, or all) and home.

    For the live preview, which re-renders the neighbourhood of an edit instead of
    every page (`serve.affected`).
    """
    renderer = Renderer(linked, mkdocs_base, templates_dir)
    pages = {page_path(linked.entities[i]): renderer.entity_page(linked.entities[i])
             for i in sorted(entity_ids) if i in linked.entities}
    for t in TYPES if index_types is None else [t for t in TYPES if t in index_types]:
        pages[index_path(t)] = renderer.index_page(t)
    pages["index.md"] = renderer.home_page()
    return pages


def render(linked: LinkedDossier, mkdocs_base: dict[str, Any],
           templates_dir: Path | None = None, progress: Progress | None = None,
           jobs: int = 1) -> RenderedSite:
    """Render every page of the linked dossier (see the module docstring).

    `jobs` > 1 renders profile pages in that many forked processes; only for
    single-threaded callers (the command line), never inside a server.
    """
    return Renderer(linked, mkdocs_base, templates_dir).render_all(progress, jobs)
