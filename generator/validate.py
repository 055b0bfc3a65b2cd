"""Stage 2, validate: plain data → typed `Content`, every problem collected.

The schema tables in `schema.py` say which fields exist and of what kind; this
module checks each value against its kind, converts it (dates, references,
prose) and reports what is wrong where it was written. References are only
checked for form here; whether they exist is the link stage's business.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .config import SiteConfig, language_problem
from .dates import DateError, PartialDate, is_reversed, parse_date, shown, type_name
from .diagnostics import Diagnostic, Diagnostics, Loc, did_you_mean
from .escape import markdown_notes
from .load import LoadedContent, LoadedFile
from .model import (
    DEFAULT_MARKING,
    Citation,
    Claim,
    Content,
    DossierInfo,
    Entity,
    Prose,
    Question,
    Ref,
    Relation,
    Role,
)
from .schema import (
    CITATION_FIELDS,
    CLAIM_FIELDS,
    DOSSIER_FIELDS,
    ID_MAX,
    ID_RE,
    QUESTION_FIELDS,
    RELATION_FIELDS,
    ROLE_FIELDS,
    FieldSpec,
    fields_for,
)
from .types import TYPE_SPECS, TYPES_TABLE
from .yamlstrict import Path_

INLINE_REF_RE = re.compile(r"\[\[([^\[\]|\n]*)(?:\|([^\[\]\n]*))?\]\]")
LANG_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
ISO_RE = re.compile(r"^[A-Z]{2}$")
INVISIBLE = {
    0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
    0x2066, 0x2067, 0x2068, 0x2069, 0xFEFF, 0x2060,
}
LONG_NAME = 200
#: ids that would collide with generated pages or internal names
RESERVED_IDS = {
    "index": "each type folder's list of entries is its index page",
    "dossier": "it stands for dossier.yml in links and citations",
}
INVALID = object()  # a value that failed its check (already reported)
#: what a word of each vocabulary is called in messages ("unknown agency kind 'x'")
VOCAB_NOUNS = {
    "relation_types": "relation type", "statuses": "status", "confidences": "confidence",
    "likelihoods": "likelihood",
    **{spec.kind_vocab: f"{spec.name} kind" for spec in TYPES_TABLE if spec.kind_vocab},
}


@dataclass
class _File:
    """Validation context for one file: where things are, what to report to."""

    file: LoadedFile
    diags: Diagnostics
    config: SiteConfig
    marking: str  # default marking for items in this file

    def loc(self, path: Path_, key: bool = False) -> Loc:
        return self.file.loc(path, key)

    def error(self, path: Path_, message: str, hint: str | None = None, key: bool = False) -> None:
        self.diags.error(self.loc(path, key), message, hint)

    def warning(self, path: Path_, message: str, hint: str | None = None) -> None:
        self.diags.warning(self.loc(path), message, hint)


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
    return _entity(_File(f, diags, config, marking))


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
    ctx = _File(f, diags, config, DEFAULT_MARKING)
    if f.data.get("marking") in config.vocab.markings:  # items inherit it; checked below
        ctx.marking = f.data["marking"]
    values = _mapping(ctx, f.data, (), DOSSIER_FIELDS, "dossier.yml")
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


# --- entities ---------------------------------------------------------------------------


def _entity(ctx: _File) -> Entity | None:
    f = ctx.file
    type_ = f.type
    problem = id_problem(f.stem)
    ok = problem is None
    if problem is not None:
        folder = TYPE_SPECS[type_].folder
        ctx.error((), problem, f"Rename the file, e.g. {folder}/{f.stem}-1.yml."
                  if f.stem in RESERVED_IDS else "Ids are lowercase letters, digits and single "
                  f"hyphens, at most 64 characters, e.g. {folder}/{_slug_hint(f.stem)}.yml.")
    specs = fields_for(type_)
    caption = TYPE_SPECS[type_].caption
    data = f.data
    if data.get("marking") in ctx.config.vocab.markings:  # items inherit it; checked below
        ctx.marking = data["marking"]
    values = _mapping(ctx, data, (), specs, f"{'an' if type_[0] in 'aeiou' else 'a'} {type_} profile",
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


def id_problem(stem: str) -> str | None:
    """Why `stem` (a file name without its suffix) cannot be an entity's id, if it cannot:
    the one rule that `check` applies to files and `dossier new` to the file it would write."""
    if len(stem) > ID_MAX or not ID_RE.match(stem):
        return f"file name '{stem}' is not a valid id"
    if stem in RESERVED_IDS:
        return f"the id '{stem}' is reserved: {RESERVED_IDS[stem]}"
    return None


def slugify(text: str) -> str:
    """The id a name spells in ASCII (accents dropped, every other run of characters one
    hyphen, at most 64 characters); '' when it has no Latin letter or digit."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:ID_MAX].strip("-")


def _slug_hint(stem: str) -> str:
    return slugify(stem) or "name"


def _check_entity_dates(ctx: _File, e: Entity) -> None:
    span = TYPE_SPECS[e.type].span
    if span is not None:
        a, b = span
        _range(ctx, e.date(a), e.date(b), (b,), a, b)
    born = e.date("born")
    if born is not None and born.start() > dt.date.today():
        ctx.error(("born",), f"date of birth {born} is in the future")


def _range(ctx: _File, start: PartialDate | None, end: PartialDate | None, path: Path_,
           a: str, b: str) -> None:
    if start is not None and end is not None and is_reversed(start, end):
        ctx.error(path, f"`{b}` {end} is before `{a}` {start}",
                  "Swap the dates, or correct the one that is wrong.")


# --- generic field checking -------------------------------------------------------------


def _mapping(ctx: _File, value: Any, path: Path_, specs: dict[str, FieldSpec], what: str,
             optional: set[str] | None = None) -> dict[str, Any]:
    """Check a mapping against its field specs; returns the converted values present."""
    if not isinstance(value, dict):
        ctx.error(path, f"{what} must be a mapping of fields, not a {type_name(value)}")
        return {}
    out: dict[str, Any] = {}
    for key, raw in value.items():
        spec = specs.get(key)
        if spec is None:
            ctx.error((*path, key), f"unknown field '{key}' in {what}",
                      did_you_mean(key, specs) or f"Allowed fields: {', '.join(specs)}.", key=True)
            continue
        cut = _cut_by_comment(ctx, (*path, key))
        if raw is None:
            if spec.required or cut:
                ctx.error((*path, key), f"field '{key}' is empty", cut)
            continue
        if cut:
            ctx.warning((*path, key), f"the value of '{key}' stops where ` #` starts a comment", cut)
        converted = _convert(ctx, spec, raw, (*path, key))
        if converted is not INVALID:
            out[key] = converted
    for name in _required(specs):
        if name not in value and name not in (optional or set()):
            ctx.error(path, f"missing required field '{name}' in {what}")
    return out


_REQUIRED: dict[int, tuple[dict[str, FieldSpec], list[str]]] = {}


def _required(specs: dict[str, FieldSpec]) -> list[str]:
    """The required fields of a spec table, worked out once per table (the table is kept
    with its answer, so its id cannot be reused by another)."""
    found = _REQUIRED.get(id(specs))
    if found is None or found[0] is not specs:
        found = _REQUIRED[id(specs)] = (specs, [n for n, spec in specs.items() if spec.required])
    return found[1]


_COMMENT_AFTER = re.compile(r"\s*#\S")


def _cut_by_comment(ctx: _File, path: Path_) -> str | None:
    """A hint when an unquoted value is followed by ` #word`: likely text cut by a comment."""
    span = ctx.file.smap.values.get(path)  # the raw span: this runs for every value
    if span is None or span[3]:  # no span of its own, or quoted, block, list or mapping
        return None
    lines = ctx.file.lines
    if span[0] >= len(lines) or "#" not in lines[span[0]]:
        return None
    if _COMMENT_AFTER.match(lines[span[0]], span[4]):
        return "Quote the whole value: in YAML ` #` starts a comment."
    return None


def _convert(ctx: _File, spec: FieldSpec, raw: Any, path: Path_) -> Any:
    return _CONVERTERS[spec.kind](ctx, spec, raw, path)


def _expect(ctx: _File, path: Path_, spec: FieldSpec, want: str, raw: Any) -> Any:
    hint = None
    if isinstance(raw, list | dict) and spec.kind in ("text", "markdown", "ref-or-text"):
        hint = "Quote the value: text that starts with `[` or `{` reads as a YAML list or mapping."
    ctx.error(path, f"field '{spec.name}' must be {want}, not a {type_name(raw)}", hint)
    return INVALID


def _text(ctx: _File, spec: FieldSpec, raw: Any, path: Path_) -> Any:
    if isinstance(raw, bool):
        ctx.error(path, f"field '{spec.name}' must be text, not a true/false value",
                  "Quote the value: YAML reads yes/no/true/false as booleans.")
        return INVALID
    if isinstance(raw, int | float):
        raw = str(raw)
    if not isinstance(raw, str):
        return _expect(ctx, path, spec, "text", raw)
    if not raw.strip():
        ctx.error(path, f"field '{spec.name}' is empty")
        return INVALID
    _check_characters(ctx, path, spec.name, raw)
    return raw.strip()


def _check_characters(ctx: _File, path: Path_, name: str, text: str) -> None:
    for ch in text:
        code = ord(ch)
        if code in INVISIBLE:
            ctx.warning(path, f"invisible or direction-changing character U+{code:04X} in '{name}'",
                        "Remove it; it can make a name read differently from what it is.")
            break
        if (code < 0x20 and ch not in "\n\t") or 0x7F <= code < 0xA0:
            ctx.warning(path, f"control character U+{code:04X} in '{name}'", "Remove it.")
            break
    if name in ("name", "title") and len(text) > LONG_NAME:
        ctx.warning(path, f"'{name}' is {len(text)} characters long",
                    f"Keep names under {LONG_NAME} characters; put the rest in `summary`.")


def _text_list(ctx: _File, spec: FieldSpec, raw: Any, path: Path_) -> Any:
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list):
        return _expect(ctx, path, spec, "a list of strings", raw)
    out = []
    for i, item in enumerate(raw):
        text = _text(ctx, FieldSpec(spec.name, "text", ""), item, (*path, i))
        if text is not INVALID:
            out.append(text)
    return out


def _markdown(ctx: _File, spec: FieldSpec, raw: Any, path: Path_) -> Any:
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        raw = str(raw)
    if not isinstance(raw, str):
        return _expect(ctx, path, spec, "Markdown text", raw)
    _check_markdown_work(ctx, raw, path, spec.name)
    return Prose(raw, _inline_refs(ctx, raw, path))


def _check_markdown_work(ctx: _File, text: str, path: Path_, name: str) -> None:
    """Markdown past the renderer's bounds (`escape.markdown_notes`: nesting, links, tags...)
    is shown as written on the page: say so where it is written. `[[id]]` stands for the
    link the renderer makes of it."""
    notes = markdown_notes(INLINE_REF_RE.sub("[x](x)", text))
    if notes:
        ctx.warning(path, f"too much Markdown in '{name}': {'; '.join(notes)}",
                    "The rest is shown as written. Split or shorten the text, or escape stray "
                    "marks with a backslash (\\[ \\` \\*).")


def _inline_refs(ctx: _File, text: str, path: Path_) -> list[Ref]:
    """The `[[id]]` references in a prose value, each located in the file."""
    refs: list[Ref] = []
    span = ctx.file.smap.value(path)
    lines = ctx.file.lines
    cursor = (span.line, span.column)
    for m in INLINE_REF_RE.finditer(text):
        ident = m.group(1).strip()
        found = _find(lines, f"[[{m.group(1)}", cursor, span.end_line)
        if found:
            cursor = (found[0], found[1] + 2)
            loc = Loc(ctx.file.path, found[0] + 1, found[1] + 1)
        else:
            loc = Loc(ctx.file.path, span.line + 1, span.column + 1)
        if not ID_RE.match(ident):
            ctx.diags.error(loc, f"malformed reference '{m.group(0)}'",
                            "Write [[id]] or [[id|text]] with a lowercase id.")
            continue
        refs.append(Ref(ident, loc))
    return refs


def _find(lines: list[str], needle: str, start: tuple[int, int], end_line: int) -> tuple[int, int] | None:
    line, col = start
    while line <= min(end_line, len(lines) - 1):
        pos = lines[line].find(needle, col)
        if pos >= 0:
            return line, pos
        line, col = line + 1, 0
    return None


def _date(ctx: _File, spec: FieldSpec, raw: Any, path: Path_) -> Any:
    try:
        return parse_date(raw)
    except DateError as exc:
        ctx.error(path, f"field '{spec.name}': {exc}")
        return INVALID


def _bool(ctx: _File, spec: FieldSpec, raw: Any, path: Path_) -> Any:
    if isinstance(raw, bool):
        return raw
    return _expect(ctx, path, spec, "true or false", raw)


def _url(ctx: _File, spec: FieldSpec, raw: Any, path: Path_) -> Any:
    if not isinstance(raw, str):
        return _expect(ctx, path, spec, "an address", raw)
    if not re.match(r"^https?://[^\s<>\"']+$", raw.strip()):
        ctx.error(path, f"'{shown(raw)}' is not an http:// or https:// address")
        return INVALID
    return raw.strip()


def _iso(ctx: _File, spec: FieldSpec, raw: Any, path: Path_) -> Any:
    if not isinstance(raw, str):
        return _expect(ctx, path, spec, "a two-letter code", raw)
    if not ISO_RE.match(raw):
        hint = f"Did you mean '{raw.upper()}'?" if ISO_RE.match(raw.upper()) else None
        ctx.error(path, f"'{shown(raw)}' is not an ISO 3166-1 alpha-2 code", hint)
        return INVALID
    return raw


def _choice(ctx: _File, spec: FieldSpec, raw: Any, path: Path_, words: Any, what: str) -> Any:
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    if not isinstance(raw, str):
        return _expect(ctx, path, spec, f"one of: {', '.join(words)}", raw)
    if raw not in words:
        ctx.error(path, f"unknown {what} '{shown(raw)}'",
                  did_you_mean(raw, words) or f"Use one of: {', '.join(words)}.")
        return INVALID
    return raw


def _enum(ctx: _File, spec: FieldSpec, raw: Any, path: Path_) -> Any:
    vocab = spec.vocab or ""
    what = VOCAB_NOUNS.get(vocab, vocab)
    return _choice(ctx, spec, raw, path, ctx.config.vocab.words(vocab), what)


def _reliability(ctx: _File, spec: FieldSpec, raw: Any, path: Path_) -> Any:
    return _choice(ctx, spec, raw, path, ctx.config.vocab.labels["reliability"], "reliability grade")


def _credibility(ctx: _File, spec: FieldSpec, raw: Any, path: Path_) -> Any:
    value = _choice(ctx, spec, raw, path, ctx.config.vocab.labels["credibility"], "credibility grade")
    return INVALID if value is INVALID else int(value)


def _marking(ctx: _File, spec: FieldSpec, raw: Any, path: Path_) -> Any:
    return _choice(ctx, spec, raw, path, ctx.config.vocab.markings, "marking")


def _language(ctx: _File, spec: FieldSpec, raw: Any, path: Path_) -> Any:
    if not isinstance(raw, str) or not LANG_RE.match(raw):
        ctx.error(path, f"'{shown(raw)}' is not a language code", "Write e.g. en, es, ru, pt-BR.")
        return INVALID
    return raw


def _check_site_language(ctx: _File, values: dict[str, Any]) -> None:
    """dossier.yml's `language` is also the theme's interface language, so it must be one
    the theme has (a source's `language` may be any code: it says what the source is in)."""
    problem = language_problem(values["language"], ctx.config.languages) \
        if "language" in values else None
    if problem:
        ctx.error(("language",), *problem)


def _slug(ctx: _File, spec: FieldSpec, raw: Any, path: Path_) -> Any:
    if not isinstance(raw, str) or len(raw) > ID_MAX or not ID_RE.match(raw):
        ctx.error(path, f"'{shown(raw)}' is not a valid id",
                  "Use lowercase letters, digits and single hyphens, at most 64 characters.")
        return INVALID
    return raw


def _ref(ctx: _File, spec: FieldSpec, raw: Any, path: Path_) -> Any:
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    if not isinstance(raw, str):
        return _expect(ctx, path, spec, "an id", raw)
    if not ID_RE.match(raw):
        ctx.error(path, f"'{shown(raw)}' is not an id",
                  f"Ids are lowercase with hyphens, e.g. '{_slug_hint(raw)}'.")
        return INVALID
    return Ref(raw, ctx.loc(path))


def _refs(ctx: _File, spec: FieldSpec, raw: Any, path: Path_) -> Any:
    if isinstance(raw, str):
        one = _ref(ctx, spec, raw, path)
        return INVALID if one is INVALID else [one]
    if not isinstance(raw, list):
        return _expect(ctx, path, spec, "a list of ids", raw)
    items = [_ref(ctx, spec, item, (*path, i)) for i, item in enumerate(raw)]
    return [r for r in items if r is not INVALID]


def _ref_or_text(ctx: _File, spec: FieldSpec, raw: Any, path: Path_) -> Any:
    if isinstance(raw, str) and ID_RE.match(raw):
        return Ref(raw, ctx.loc(path))
    return _text(ctx, spec, raw, path)


def _items(ctx: _File, spec: FieldSpec, raw: Any, path: Path_, what: str,
           make: Callable[[Any, Path_], Any]) -> Any:
    if not isinstance(raw, list):
        return _expect(ctx, path, spec, f"a list of {what}", raw)
    out = [make(item, (*path, i)) for i, item in enumerate(raw)]
    return [x for x in out if x is not None]


def _citations(ctx: _File, spec: FieldSpec, raw: Any, path: Path_) -> Any:
    if isinstance(raw, str):
        raw = [raw]

    def make(item: Any, p: Path_) -> Citation | None:
        if isinstance(item, str):
            ref = _ref(ctx, CITATION_FIELDS["source"], item, p)
            return None if ref is INVALID else Citation(ref)
        values = _mapping(ctx, item, p, CITATION_FIELDS, "a source reference")
        return Citation(**values) if "source" in values else None

    return _items(ctx, spec, raw, path, "source references", make)


def _require_sources(ctx: _File, item: dict[str, Any], p: Path_, what: str) -> None:
    if not item.get("sources"):
        ctx.warning(p, f"{what} cites no source", "Add `sources: [source-id]`.")


def _relations(ctx: _File, spec: FieldSpec, raw: Any, path: Path_) -> Any:
    def make(item: Any, p: Path_) -> dict[str, Any] | None:
        values = _mapping(ctx, item, p, RELATION_FIELDS, "a relation")
        if "type" not in values or "target" not in values:
            return None
        _range(ctx, values.get("since"), values.get("until"), (*p, "until"), "since", "until")
        _require_sources(ctx, values, p, f"relation '{values['type']}' to '{values['target'].id}'")
        values.setdefault("marking", ctx.marking)
        return {**values, "loc": ctx.loc(p)}

    return _items(ctx, spec, raw, path, "relations", make)


def _claims(ctx: _File, spec: FieldSpec, raw: Any, path: Path_) -> Any:
    def make(item: Any, p: Path_) -> Claim | None:
        values = _mapping(ctx, item, p, CLAIM_FIELDS, "a claim")
        if "text" not in values:
            return None
        _range(ctx, values.get("date"), values.get("end_date"), (*p, "end_date"), "date",
               "end_date")
        _require_sources(ctx, values, p, "claim")
        values.setdefault("marking", ctx.marking)
        return Claim(loc=ctx.loc(p), **values)

    return _items(ctx, spec, raw, path, "claims", make)


def _roles(ctx: _File, spec: FieldSpec, raw: Any, path: Path_) -> Any:
    def make(item: Any, p: Path_) -> Role | None:
        values = _mapping(ctx, item, p, ROLE_FIELDS, "a role")
        if "title" not in values:
            return None
        _range(ctx, values.get("since"), values.get("until"), (*p, "until"), "since", "until")
        _require_sources(ctx, values, p, f"role '{values['title']}'")
        values.setdefault("marking", ctx.marking)
        return Role(loc=ctx.loc(p), **values)

    return _items(ctx, spec, raw, path, "roles", make)


def _questions(ctx: _File, spec: FieldSpec, raw: Any, path: Path_) -> Any:
    def make(item: Any, p: Path_) -> Question | None:
        if isinstance(item, str):
            _check_markdown_work(ctx, item, p, "questions")
            return Question(Prose(item, _inline_refs(ctx, item, p)), ctx.loc(p))
        values = _mapping(ctx, item, p, QUESTION_FIELDS, "a question")
        if "text" not in values:
            return None
        return Question(loc=ctx.loc(p), **values)

    return _items(ctx, spec, raw, path, "questions", make)


_CONVERTERS: dict[str, Callable[[_File, FieldSpec, Any, Path_], Any]] = {
    "text": _text,
    "markdown": _markdown,
    "text-list": _text_list,
    "date": _date,
    "bool": _bool,
    "url": _url,
    "iso": _iso,
    "enum": _enum,
    "ref": _ref,
    "refs": _refs,
    "ref-or-text": _ref_or_text,
    "citations": _citations,
    "relations": _relations,
    "claims": _claims,
    "roles": _roles,
    "questions": _questions,
    "reliability": _reliability,
    "credibility": _credibility,
    "marking": _marking,
    "language": _language,
    "slug": _slug,
}
