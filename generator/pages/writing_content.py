"""Page kind: "Writing content" (`writing-content.md`), the editor's guide, generated
from the schema and the vocabularies it documents, so it cannot drift from the code."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from ..config import LABEL_VOCABS, RelationType
from ..schema import COMMON_FIELDS, DOSSIER_FIELDS, ID_MAX, ID_RE, KINDS, PARTS, FieldSpec
from ..tradecraft import RULES
from ..types import TYPES_TABLE
from .base import TYPE_LABELS, Link, PageSpec, Reference, View
from .site import ERRORS_PAGE, SiteContext


@dataclass(frozen=True, eq=False)
class FieldDoc(View):
    name: str
    kind: str
    required: bool
    doc: Markup
    vocab: str | None
    ref_types: tuple[str, ...]  # the labels of the types a reference may point to


@dataclass(frozen=True, eq=False)
class TypeDoc(View):
    type: str
    label: str
    folder: str
    fields: tuple[FieldDoc, ...]


@dataclass(frozen=True, eq=False)
class PartDoc(View):
    name: str  # relations, claims, roles, ...
    fields: tuple[FieldDoc, ...]


@dataclass(frozen=True, eq=False)
class VocabularyDoc(View):
    name: str
    entries: tuple[tuple[str, str], ...]  # (word, meaning)


@dataclass(frozen=True, eq=False)
class ViewDoc(View):
    """A view class as the guide to templates shows it."""

    name: str
    template: str | None  # the built-in page template it is given to; None for a part of views
    doc: Markup  # its docstring's first paragraph: Markdown written in the code, not content
    fields: tuple[tuple[str, str], ...]  # (variable, its type as written in the code)


@dataclass(frozen=True, eq=False)
class WritingContentView(View):
    """This page: the schema, vocabularies and views it documents."""

    title: str
    common: tuple[FieldDoc, ...]
    types: tuple[TypeDoc, ...]
    parts: tuple[PartDoc, ...]
    dossier_fields: tuple[FieldDoc, ...]
    kinds: tuple[tuple[str, Markup], ...]
    id_pattern: str
    id_max: int
    relation_types: tuple[RelationType, ...]
    vocabularies: tuple[VocabularyDoc, ...]
    markings: tuple[str, ...]
    editions: tuple[tuple[str, str], ...]
    errors_page: str | None  # the Error messages page's href, when the site has one
    #: (type's label, field, words, whether they read from the entity named to the one writing it)
    #: for each reference field a network picture draws as a line
    line_readings: tuple[tuple[str, str, str, bool], ...]
    views: tuple[ViewDoc, ...]  # each page template's view, for those who write their own
    view_parts: tuple[ViewDoc, ...]  # the values those views hold (rows, links, claims...)
    tradecraft_rules: tuple[tuple[str, Markup], ...]  # (rule's code, what it flags)


#: the built-in template this kind draws its pages with, and the view it is given
TEMPLATES: dict[str, type[View]] = {"writing-content.md.j2": WritingContentView}


def pages(site: SiteContext) -> Iterator[PageSpec]:
    yield PageSpec("writing-content.md", ("writing-content.md.j2",), writing_content_view, "dossier",
                   nav="Writing content", group="reference")


def _trusted(doc: str) -> Markup:
    """Documentation written in schema.py (not content): its Markdown is kept, for a table cell."""
    return Markup(doc.replace("|", "\\|"))


def _docs(specs: dict[str, FieldSpec]) -> tuple[FieldDoc, ...]:
    return tuple(FieldDoc(s.name, s.kind, s.required, _trusted(s.doc), s.vocab,
                          tuple(TYPE_LABELS[t][0] for t in s.ref_types)) for s in specs.values())


def writing_content_view(site: SiteContext) -> WritingContentView:
    vocab = site.vocab
    page = site.page("writing-content.md")
    return WritingContentView(
        title="Writing content",
        common=_docs(COMMON_FIELDS),
        types=tuple(TypeDoc(t.name, t.label, t.folder, _docs(t.fields)) for t in TYPES_TABLE),
        parts=tuple(PartDoc(name, _docs(specs)) for name, specs in PARTS.items()),
        dossier_fields=_docs(DOSSIER_FIELDS),
        kinds=tuple((k, _trusted(v)) for k, v in KINDS.items()),
        id_pattern=ID_RE.pattern, id_max=ID_MAX,
        relation_types=tuple(vocab.relation_types.values()),
        vocabularies=tuple(VocabularyDoc(name, tuple(vocab.labels[name].items())) for name in LABEL_VOCABS),
        markings=tuple(vocab.markings), editions=tuple(vocab.editions.items()),
        errors_page=page.href(ERRORS_PAGE) if ERRORS_PAGE in site.static_pages else None,
        line_readings=tuple((t.label, name, r.words, r.backwards) for t in TYPES_TABLE
                            for name, r in t.edge_readings),
        views=tuple(_view_doc(cls, name) for name, cls in _template_views().items()),
        view_parts=tuple(_view_doc(cls) for cls in _view_parts()),
        tradecraft_rules=tuple((rule, _trusted(doc)) for rule, doc in RULES.items()),
    )


def _template_views() -> dict[str, type[View]]:
    from . import template_views  # the list of page kinds, which holds this one

    return template_views()


def _view_doc(cls: type[Any], template: str | None = None) -> ViewDoc:
    """A view class (or named tuple) documented from the code itself: its docstring's first
    paragraph and its fields' annotations, so the guide cannot drift from the views."""
    doc = cls.__doc__ or ""
    if doc.startswith(cls.__name__ + "("):  # the one dataclass or NamedTuple writes: no docstring
        doc = ""
    doc = _trusted(" ".join(doc.strip().split("\n\n")[0].split()))
    if dataclasses.is_dataclass(cls):
        names = [(f.name, str(f.type)) for f in dataclasses.fields(cls)]
    else:
        names = [(name, _type_name(kind)) for name, kind in cls.__annotations__.items()]
    return ViewDoc(cls.__name__, template, Markup(doc), tuple(names))


def _type_name(annotation: Any) -> str:
    if isinstance(annotation, str):
        return annotation
    forward = getattr(annotation, "__forward_arg__", None)  # a NamedTuple's string annotation
    return str(forward) if forward is not None else getattr(annotation, "__name__", str(annotation))


def _view_parts() -> list[type[Any]]:
    """Every view class that is not a page's own view, and the named tuples views hold."""
    pages = set(_template_views().values())
    found: list[type[Any]] = []
    todo: list[type[Any]] = list(View.__subclasses__())
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        if cls not in pages:
            found.append(cls)
    return sorted([*found, Link, Reference], key=lambda c: c.__name__)

