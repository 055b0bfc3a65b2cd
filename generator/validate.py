"""Stage 2, validate: plain data → typed `Content`, every problem collected.

The schema tables in `schema.py` say which fields exist and of what kind; this
stage checks each file against them (`validate_file`, the per-entity walk, and
`validate_dossier`), then what spans files (`assemble`: ids and claim keys unique).
A mapping's fields are checked in `validate_fields`, one value against its kind
(dates, references, prose...) in `validate_values`; every problem is reported
where it was written. References are only checked for form here; whether they
exist is the link stage's business.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .config import SiteConfig, language_problem
from .diagnostics import Diagnostic, Diagnostics, Loc
from .load import LoadedContent, LoadedFile
from .model import DEFAULT_MARKING, Content, DossierInfo, Entity, Relation
from .schema import DOSSIER_FIELDS, fields_for
from .types import TYPE_SPECS
from .validate_fields import check_mapping
from .validate_values import RESERVED_IDS, FileContext, check_date_order, id_problem, slug_hint

#: shown path → (the LoadedFile read, the default marking, the configuration, the entity,
#: the diagnostics it gave): lets the live preview skip files that were not read again
ValidateCache = dict[str, tuple[LoadedFile, str, SiteConfig, "Entity | None", list[Diagnostic]]]


def validate(loaded: LoadedContent, config: SiteConfig, diags: Diagnostics,
             cache: ValidateCache | None = None) -> Content:
    """Check every loaded file against the content model (see module docstring).

    With a `cache` (kept by the caller between runs), a file the loader did not
    read again (the very same LoadedFile) is not checked again: its entity and
    diagnostics are reused.
    """
    dossier = validate_dossier(loaded, config, diags)
    return assemble(dossier, [_entity_cached(f, diags, config, dossier.marking, cache)
                              for f in loaded.files], diags)


def validate_file(f: LoadedFile, config: SiteConfig, marking: str, diags: Diagnostics) -> Entity | None:
    """One entity file on its own (`marking`: the dossier's, which items inherit).

    Each file is checked without looking at any other, so files can be checked in any
    order or process; what spans files is `assemble`'s."""
    return _entity_from_file(FileContext(f, diags, config, marking))


def assemble(dossier: DossierInfo, entities: list[Entity | None], diags: Diagnostics) -> Content:
    """The checks that span files (ids and claim keys unique), over the entities in the
    order their files were listed: of two files with the same id, the first is kept."""
    by_id: dict[str, Entity] = {}
    for entity in entities:
        if entity is None:
            continue
        if entity.id in by_id:
            other = by_id[entity.id]
            diags.error(entity.loc, f"duplicate id '{entity.id}': {other.path} uses it too",
                        "Ids are unique across all types; rename one of the files.")
            continue
        by_id[entity.id] = entity
    _check_claim_keys(by_id, dossier, diags)
    return Content(dossier, dict(sorted(by_id.items())))


def _entity_cached(f: LoadedFile, diags: Diagnostics, config: SiteConfig, marking: str,
                   cache: ValidateCache | None) -> Entity | None:
    if cache is None:
        return validate_file(f, config, marking, diags)
    hit = cache.get(f.path)
    if hit is not None and hit[0] is f and hit[1] == marking and hit[2] == config:
        diags.items.extend(hit[4])
        return hit[3]
    own = Diagnostics()
    entity = validate_file(f, config, marking, own)
    diags.items.extend(own.items)
    cache[f.path] = (f, marking, config, entity, own.items)
    return entity


def _check_claim_keys(entities: dict[str, Entity], dossier: DossierInfo, diags: Diagnostics) -> None:
    seen: dict[str, Loc] = {}
    claims = [c for e in entities.values() for c in e.claims] + dossier.key_judgments
    for claim in claims:
        if claim.key is None:
            continue
        if claim.key in seen:
            diags.error(claim.loc, f"duplicate claim key '{claim.key}' (first at {seen[claim.key]})")
        elif claim.key in entities:
            diags.error(claim.loc, f"claim key '{claim.key}' is also an entity id",
                        "Give the claim a key of its own.")
        else:
            seen[claim.key] = claim.loc


# --- the dossier file -------------------------------------------------------------------


def validate_dossier(loaded: LoadedContent, config: SiteConfig, diags: Diagnostics) -> DossierInfo:
    """dossier.yml (`loaded.dossier`), or a stand-in titled 'Dossier' when there is none."""
    f = loaded.dossier
    if f is None and loaded.dossier_found:  # unreadable: its error is reported already
        return DossierInfo(title="Dossier", path=f"{loaded.root}/dossier.yml")
    if f is None:
        diags.warning(Loc(f"{loaded.root}/dossier.yml"), "no dossier.yml; using the title 'Dossier'",
                      "Create dossier.yml with at least `title:`.")
        return DossierInfo(title="Dossier", path=f"{loaded.root}/dossier.yml")
    ctx = FileContext(f, diags, config, DEFAULT_MARKING)
    if f.data.get("marking") in config.vocab.markings:  # items inherit it; checked below
        ctx.marking = f.data["marking"]
    values = check_mapping(ctx, f.data, (), DOSSIER_FIELDS, "dossier.yml")
    _check_site_language(ctx, values)
    return DossierInfo(
        title=values.get("title", "Dossier"),
        path=f.path,
        subtitle=values.get("subtitle"),
        summary=values.get("summary"),
        authors=values.get("authors", []),
        published=values.get("published"),
        updated=values.get("updated"),
        marking=ctx.marking,
        key_judgments=values.get("key_judgments", []),
        questions=values.get("questions", []),
        sources=values.get("sources", []),
        language=values.get("language", "en"),
    )


def _check_site_language(ctx: FileContext, values: dict[str, Any]) -> None:
    """dossier.yml's `language` is also the theme's interface language, so it must be one
    the theme has (a source's `language` may be any code: it says what the source is in)."""
    problem = language_problem(values["language"], ctx.config.languages) \
        if "language" in values else None
    if problem:
        ctx.error(("language",), *problem)


# --- entities ---------------------------------------------------------------------------


def _entity_from_file(ctx: FileContext) -> Entity | None:
    """The entity a profile file describes, its problems reported; None when it has no
    valid id or no name (what it names could not be linked to)."""
    f = ctx.file
    type_ = f.type
    problem = id_problem(f.stem)
    ok = problem is None
    if problem is not None:
        folder = TYPE_SPECS[type_].folder
        ctx.error((), problem, f"Rename the file, e.g. {folder}/{f.stem}-1.yml."
                  if f.stem in RESERVED_IDS else "Ids are lowercase letters, digits and single "
                  f"hyphens, at most 64 characters, e.g. {folder}/{slug_hint(f.stem)}.yml.")
    specs = fields_for(type_)
    caption = TYPE_SPECS[type_].caption
    data = f.data
    if data.get("marking") in ctx.config.vocab.markings:  # items inherit it; checked below
        ctx.marking = data["marking"]
    values = check_mapping(ctx, data, (), specs, f"{'an' if type_[0] in 'aeiou' else 'a'} {type_} profile",
                           optional=set(caption[:-1]))  # the last, required, names it if they do not
    if "id" in values and values["id"] != f.stem:
        ctx.error(("id",), f"id '{values['id']}' does not match the file name '{f.stem}'",
                  "Remove the `id:` line or rename the file.")
    name = None
    for field in caption:  # the first one given
        name = name or values.get(field)
    if name is None or not ok:
        return None
    common = {"id", "name", "aliases", "summary", "tags", "relations", "claims", "sources",
              "updated", "marking", "note", "roles"}
    entity = Entity(
        id=f.stem, type=type_, name=name, path=f.path, loc=f.loc(),
        aliases=values.get("aliases", []), summary=values.get("summary"),
        tags=values.get("tags", []), claims=values.get("claims", []),
        sources=values.get("sources", []), roles=values.get("roles", []),
        updated=values.get("updated"), marking=ctx.marking, note=values.get("note"),
        fields={k: v for k, v in values.items() if k not in common},
    )
    entity.relations = [
        Relation(origin=f.stem, **r) for r in values.get("relations", [])
    ]
    for rel in entity.relations:
        if rel.target.id == f.stem:
            ctx.diags.error(rel.target.loc, f"'{f.stem}' has a relation to itself",
                            "A relation links two different entities.")
    _check_entity_dates(ctx, entity)
    return entity


def _check_entity_dates(ctx: FileContext, e: Entity) -> None:
    span = TYPE_SPECS[e.type].span
    if span is not None:
        a, b = span
        check_date_order(ctx, e.date(a), e.date(b), (b,), a, b)
    born = e.date("born")
    if born is not None and born.start() > dt.date.today():
        ctx.error(("born",), f"date of birth {born} is in the future")
