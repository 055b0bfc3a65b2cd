"""One value checked against its kind and converted, for the validate stage.

Text (and its hygiene: invisible and control characters, over-long names), Markdown
prose and its `[[id]]` references, dates and their order, true/false, addresses,
country and language codes, vocabulary words, ids and references. Each check reports
what is wrong where the value was written and returns the converted value, or
`INVALID` when it reported a problem. `CONVERTERS` maps each of these kinds of
`schema.FieldSpec` to its check; the words of a vocabulary are `validate_words`', and
the kinds that are lists of mappings of fields themselves (citations, relations,
claims, roles, questions) are `validate_fields`'.

What an entity id may be (`id_problem`, `slugify`) is here too: the file name of an
entity, a reference and `dossier new` all go by the same rule.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .config import SiteConfig
from .dates import DateError, PartialDate, is_reversed, parse_date, shown, type_name
from .diagnostics import Diagnostics, Loc
from .escape import markdown_notes
from .load import LoadedFile
from .model import Prose, Ref
from .schema import ID_MAX, ID_RE, FieldSpec
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


@dataclass
class FileContext:
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


#: the check of one kind of value: (file, the field's spec, the value as read, its path)
#: → the converted value, or INVALID
Converter = Callable[[FileContext, FieldSpec, Any, Path_], Any]


# --- ids ----------------------------------------------------------------------------------


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


def slug_hint(stem: str) -> str:
    """The id to suggest for `stem` in a hint ('name' when it spells none)."""
    return slugify(stem) or "name"


# --- checks shared with the parts and the stage -------------------------------------------


def check_date_order(ctx: FileContext, start: PartialDate | None, end: PartialDate | None,
                     path: Path_, a: str, b: str) -> None:
    """Report `b` (`end`, at `path`) before `a` (`start`) when both are given."""
    if start is not None and end is not None and is_reversed(start, end):
        ctx.error(path, f"`{b}` {end} is before `{a}` {start}",
                  "Swap the dates, or correct the one that is wrong.")


def report_wrong_kind(ctx: FileContext, path: Path_, spec: FieldSpec, want: str, raw: Any) -> Any:
    """Report a value that is not of its field's kind at all (`want`); returns INVALID."""
    hint = None
    if isinstance(raw, list | dict) and spec.kind in ("text", "markdown", "ref-or-text"):
        hint = "Quote the value: text that starts with `[` or `{` reads as a YAML list or mapping."
    ctx.error(path, f"field '{spec.name}' must be {want}, not a {type_name(raw)}", hint)
    return INVALID


# --- text and prose -----------------------------------------------------------------------


def _text(ctx: FileContext, spec: FieldSpec, raw: Any, path: Path_) -> Any:
    if isinstance(raw, bool):
        ctx.error(path, f"field '{spec.name}' must be text, not a true/false value",
                  "Quote the value: YAML reads yes/no/true/false as booleans.")
        return INVALID
    if isinstance(raw, int | float):
        raw = str(raw)
    if not isinstance(raw, str):
        return report_wrong_kind(ctx, path, spec, "text", raw)
    if not raw.strip():
        ctx.error(path, f"field '{spec.name}' is empty")
        return INVALID
    _check_characters(ctx, path, spec.name, raw)
    check_placeholder(ctx, path, spec.name, raw)
    return raw.strip()


def _check_characters(ctx: FileContext, path: Path_, name: str, text: str) -> None:
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


def _text_list(ctx: FileContext, spec: FieldSpec, raw: Any, path: Path_) -> Any:
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list):
        return report_wrong_kind(ctx, path, spec, "a list of strings", raw)
    out = []
    for i, item in enumerate(raw):
        text = _text(ctx, FieldSpec(spec.name, "text", ""), item, (*path, i))
        if text is not INVALID:
            out.append(text)
    return out


def _markdown(ctx: FileContext, spec: FieldSpec, raw: Any, path: Path_) -> Any:
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        raw = str(raw)
    if not isinstance(raw, str):
        return report_wrong_kind(ctx, path, spec, "Markdown text", raw)
    check_markdown_work(ctx, raw, path, spec.name)
    check_placeholder(ctx, path, spec.name, raw)
    return Prose(raw, inline_refs(ctx, raw, path))


#: what `dossier new` writes where the writer's own text goes: a text beginning `TODO`
#: (and the sentence older scaffolds wrote), so `--strict` fails until it is replaced
PLACEHOLDER_START = "TODO"
OLD_PLACEHOLDERS = ("Write a summary here.",)


def check_placeholder(ctx: FileContext, path: Path_, name: str, text: str) -> None:
    stripped = text.strip()
    if stripped.startswith(PLACEHOLDER_START) or stripped in OLD_PLACEHOLDERS:
        ctx.warning(path, f"placeholder text left in {name}", "Replace it with your own text.")


def check_markdown_work(ctx: FileContext, text: str, path: Path_, name: str) -> None:
    """Markdown past the renderer's bounds (`escape.markdown_notes`: nesting, links, tags...)
    is shown as written on the page: say so where it is written. `[[id]]` stands for the
    link the renderer makes of it."""
    notes = markdown_notes(INLINE_REF_RE.sub("[x](x)", text))
    if notes:
        ctx.warning(path, f"too much Markdown in '{name}': {'; '.join(notes)}",
                    "The rest is shown as written. Split or shorten the text, or escape stray "
                    "marks with a backslash (\\[ \\` \\*).")


def inline_refs(ctx: FileContext, text: str, path: Path_) -> list[Ref]:
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


# --- dates, true/false, addresses, codes ----------------------------------------------------


def _date(ctx: FileContext, spec: FieldSpec, raw: Any, path: Path_) -> Any:
    if isinstance(raw, float) and raw.is_integer():  # `since: 2008.0`, a year as JSON reads it
        raw = int(raw)
    try:
        return parse_date(raw)
    except DateError as exc:
        ctx.error(path, f"field '{spec.name}': {exc}")
        return INVALID


def _bool(ctx: FileContext, spec: FieldSpec, raw: Any, path: Path_) -> Any:
    if isinstance(raw, bool):
        return raw
    return report_wrong_kind(ctx, path, spec, "true or false", raw)


def _url(ctx: FileContext, spec: FieldSpec, raw: Any, path: Path_) -> Any:
    if not isinstance(raw, str):
        return report_wrong_kind(ctx, path, spec, "an address", raw)
    if not re.match(r"^https?://[^\s<>\"']+$", raw.strip()):
        ctx.error(path, f"'{shown(raw)}' is not an http:// or https:// address")
        return INVALID
    return raw.strip()


def _iso(ctx: FileContext, spec: FieldSpec, raw: Any, path: Path_) -> Any:
    if not isinstance(raw, str):
        return report_wrong_kind(ctx, path, spec, "a two-letter code", raw)
    if not ISO_RE.match(raw):
        hint = f"Did you mean '{raw.upper()}'?" if ISO_RE.match(raw.upper()) else None
        ctx.error(path, f"'{shown(raw)}' is not an ISO 3166-1 alpha-2 code", hint)
        return INVALID
    return raw


def _language(ctx: FileContext, spec: FieldSpec, raw: Any, path: Path_) -> Any:
    if not isinstance(raw, str) or not LANG_RE.match(raw):
        ctx.error(path, f"'{shown(raw)}' is not a language code", "Write e.g. en, es, ru, pt-BR.")
        return INVALID
    return raw


# --- ids and references ---------------------------------------------------------------------


def _slug(ctx: FileContext, spec: FieldSpec, raw: Any, path: Path_) -> Any:
    if not isinstance(raw, str) or len(raw) > ID_MAX or not ID_RE.match(raw):
        ctx.error(path, f"'{shown(raw)}' is not a valid id",
                  "Use lowercase letters, digits and single hyphens, at most 64 characters.")
        return INVALID
    return raw


def convert_ref(ctx: FileContext, spec: FieldSpec, raw: Any, path: Path_) -> Any:
    """A reference to an entity, checked for form only (whether it exists is the link
    stage's business)."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    if not isinstance(raw, str):
        return report_wrong_kind(ctx, path, spec, "an id", raw)
    if not ID_RE.match(raw):
        ctx.error(path, f"'{shown(raw)}' is not an id",
                  f"Ids are lowercase with hyphens, e.g. '{slug_hint(raw)}'.")
        return INVALID
    return Ref(raw, ctx.loc(path))


def _refs(ctx: FileContext, spec: FieldSpec, raw: Any, path: Path_) -> Any:
    if isinstance(raw, str):
        one = convert_ref(ctx, spec, raw, path)
        return INVALID if one is INVALID else [one]
    if not isinstance(raw, list):
        return report_wrong_kind(ctx, path, spec, "a list of ids", raw)
    items = [convert_ref(ctx, spec, item, (*path, i)) for i, item in enumerate(raw)]
    return [r for r in items if r is not INVALID]


def _ref_or_text(ctx: FileContext, spec: FieldSpec, raw: Any, path: Path_) -> Any:
    if isinstance(raw, str) and ID_RE.match(raw):
        return Ref(raw, ctx.loc(path))
    return _text(ctx, spec, raw, path)


CONVERTERS: dict[str, Converter] = {
    "text": _text,
    "markdown": _markdown,
    "text-list": _text_list,
    "date": _date,
    "bool": _bool,
    "url": _url,
    "iso": _iso,
    "ref": convert_ref,
    "refs": _refs,
    "ref-or-text": _ref_or_text,
    "language": _language,
    "slug": _slug,
}
