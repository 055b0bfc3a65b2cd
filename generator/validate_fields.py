"""A mapping of fields checked against its table of field specs, for the validate stage.

`check_mapping` walks a mapping (a profile, dossier.yml, or one of their parts): unknown,
empty and missing fields, a value cut short by a YAML comment, and each value checked
by its kind. Scalar kinds are `validate_values.CONVERTERS`'; the kinds that are lists
of mappings themselves (citations, relations, claims, roles, questions) are checked
here, each item through `check_mapping` again with its own table.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .dates import type_name
from .diagnostics import did_you_mean
from .model import Citation, Claim, Prose, Question, Role
from .schema import CITATION_FIELDS, CLAIM_FIELDS, QUESTION_FIELDS, RELATION_FIELDS, ROLE_FIELDS, FieldSpec
from .validate_values import (
    CONVERTERS,
    INVALID,
    Converter,
    FileContext,
    check_date_order,
    check_markdown_work,
    convert_ref,
    inline_refs,
    report_wrong_kind,
)
from .validate_words import WORD_CONVERTERS
from .yamlstrict import Path_


def check_mapping(ctx: FileContext, value: Any, path: Path_, specs: dict[str, FieldSpec], what: str,
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
        _check_placeholder_comment(ctx, (*path, key))
        if raw is None:
            if spec.required or cut:
                ctx.error((*path, key), f"field '{key}' is empty", cut)
            continue
        if cut:
            ctx.warning((*path, key), f"the value of '{key}' stops where ` #` starts a comment", cut)
        converted = _CONVERTERS[spec.kind](ctx, spec, raw, (*path, key))
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
#: a comment saying the value before it is a stand-in, as `dossier new` writes them
PLACEHOLDER_COMMENT = re.compile(r"\s#\s*TODO\b")


def _cut_by_comment(ctx: FileContext, path: Path_) -> str | None:
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


def _check_placeholder_comment(ctx: FileContext, path: Path_) -> None:
    """Warn of a value `dossier new` wrote as a stand-in: its line ends in a `# TODO`
    comment (`date: 2024  # TODO: when it happened`)."""
    span = ctx.file.smap.values.get(path)
    if span is None or span[0] >= len(ctx.file.lines):
        return
    line = ctx.file.lines[span[0]]
    if "TODO" in line and PLACEHOLDER_COMMENT.search(line, span[4] if span[2] == span[0] else 0):
        ctx.warning(path, f"placeholder text left in {path[-1]}",
                    "Write the real value and remove the `# TODO` comment.")


# --- the parts: lists of mappings -----------------------------------------------------------


def _items(ctx: FileContext, spec: FieldSpec, raw: Any, path: Path_, what: str,
           make: Callable[[Any, Path_], Any]) -> Any:
    if not isinstance(raw, list):
        return report_wrong_kind(ctx, path, spec, f"a list of {what}", raw)
    out = [make(item, (*path, i)) for i, item in enumerate(raw)]
    return [x for x in out if x is not None]


def _citations(ctx: FileContext, spec: FieldSpec, raw: Any, path: Path_) -> Any:
    if isinstance(raw, str):
        raw = [raw]

    def make(item: Any, p: Path_) -> Citation | None:
        if isinstance(item, str):
            ref = convert_ref(ctx, CITATION_FIELDS["source"], item, p)
            return None if ref is INVALID else Citation(ref)
        values = check_mapping(ctx, item, p, CITATION_FIELDS, "a source reference")
        return Citation(**values) if "source" in values else None

    return _items(ctx, spec, raw, path, "source references", make)


def _check_dated_part(ctx: FileContext, values: dict[str, Any], p: Path_, dates: tuple[str, str],
                      what: str) -> None:
    """What a relation, claim and role share: its dates in order, a source cited, and the
    file's marking when it names none (`values` gets it)."""
    start, end = dates
    check_date_order(ctx, values.get(start), values.get(end), (*p, end), start, end)
    if not values.get("sources"):
        ctx.warning(p, f"{what} cites no source", "Add `sources: [source-id]`.")
    values.setdefault("marking", ctx.marking)


def _relations(ctx: FileContext, spec: FieldSpec, raw: Any, path: Path_) -> Any:
    def make(item: Any, p: Path_) -> dict[str, Any] | None:
        values = check_mapping(ctx, item, p, RELATION_FIELDS, "a relation")
        if "type" not in values or "target" not in values:
            return None
        _check_dated_part(ctx, values, p, ("since", "until"),
                          f"relation '{values['type']}' to '{values['target'].id}'")
        return {**values, "loc": ctx.loc(p)}

    return _items(ctx, spec, raw, path, "relations", make)


def _claims(ctx: FileContext, spec: FieldSpec, raw: Any, path: Path_) -> Any:
    def make(item: Any, p: Path_) -> Claim | None:
        values = check_mapping(ctx, item, p, CLAIM_FIELDS, "a claim")
        if "text" not in values:
            return None
        _check_dated_part(ctx, values, p, ("date", "end_date"), "claim")
        return Claim(loc=ctx.loc(p), **values)

    return _items(ctx, spec, raw, path, "claims", make)


def _roles(ctx: FileContext, spec: FieldSpec, raw: Any, path: Path_) -> Any:
    def make(item: Any, p: Path_) -> Role | None:
        values = check_mapping(ctx, item, p, ROLE_FIELDS, "a role")
        if "title" not in values:
            return None
        _check_dated_part(ctx, values, p, ("since", "until"), f"role '{values['title']}'")
        return Role(loc=ctx.loc(p), **values)

    return _items(ctx, spec, raw, path, "roles", make)


def _questions(ctx: FileContext, spec: FieldSpec, raw: Any, path: Path_) -> Any:
    def make(item: Any, p: Path_) -> Question | None:
        if isinstance(item, str):
            check_markdown_work(ctx, item, p, "questions")
            return Question(Prose(item, inline_refs(ctx, item, p)), ctx.loc(p))
        values = check_mapping(ctx, item, p, QUESTION_FIELDS, "a question")
        if "text" not in values:
            return None
        return Question(loc=ctx.loc(p), **values)

    return _items(ctx, spec, raw, path, "questions", make)


#: every kind of field → its check: the scalar kinds', and the parts' defined here
_CONVERTERS: dict[str, Converter] = {
    **CONVERTERS,
    **WORD_CONVERTERS,
    "citations": _citations,
    "relations": _relations,
    "claims": _claims,
    "roles": _roles,
    "questions": _questions,
}
