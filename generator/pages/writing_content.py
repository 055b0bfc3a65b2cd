"""Page kind: "Writing content" (`writing-content.md`), the editor's guide, generated
from the schema and the vocabularies it documents, so it cannot drift from the code."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from markupsafe import Markup

from ..config import LABEL_VOCABS, RelationType
from ..load import FOLDER_OF_TYPE
from ..schema import COMMON_FIELDS, DOSSIER_FIELDS, ID_MAX, ID_RE, KINDS, PARTS, TYPE_FIELDS, TYPES, FieldSpec
from .base import TYPE_LABELS, PageSpec, View
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
class WritingContentView(View):
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
        types=tuple(TypeDoc(t, TYPE_LABELS[t][0], FOLDER_OF_TYPE[t], _docs(TYPE_FIELDS[t])) for t in TYPES),
        parts=tuple(PartDoc(name, _docs(specs)) for name, specs in PARTS.items()),
        dossier_fields=_docs(DOSSIER_FIELDS),
        kinds=tuple((k, _trusted(v)) for k, v in KINDS.items()),
        id_pattern=ID_RE.pattern, id_max=ID_MAX,
        relation_types=tuple(vocab.relation_types.values()),
        vocabularies=tuple(VocabularyDoc(name, tuple(vocab.labels[name].items())) for name in LABEL_VOCABS),
        markings=tuple(vocab.markings), editions=tuple(vocab.editions.items()),
        errors_page=page.href(ERRORS_PAGE) if ERRORS_PAGE in site.static_pages else None,
    )
