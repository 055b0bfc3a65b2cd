"""`dossier new TYPE "Name"`: a profile file to start from, with every field named.

It writes only what `check` would accept, judged by check's own code rather than a
copy of its rules: the id made from the name by validate's id rule and against the
files check would read, the file's text by the validator itself. What check would
refuse is refused here as a located error, and nothing is written; a warning check
would give (a control character in the name) is printed here too, and the file written.
"""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

from .config import DEFAULT_CONFIG_DIR, load_config
from .dates import shown
from .diagnostics import Diagnostics, Loc, did_you_mean, visible
from .load import TYPE_FOLDERS, LoadedFile, display_path, list_content
from .model import DEFAULT_MARKING
from .types import TYPE_SPECS
from .validate import validate_file
from .validate_values import id_problem, slugify
from .yamlstrict import YamlProblem, read_yaml

PLACEHOLDERS_LEFT = ("dossier: replace the TODO placeholders in it with your own text; "
                     "`dossier check --strict` fails until you do")
ANOTHER_NAME = "Pass another name (the id is made from it); change `name:` in the file afterwards."


def new_profile(content_dir: Path, type_: str, name: str) -> int:
    """Write the profile; 0 when written, 1 when refused (diagnostics on stderr), 2 for a
    type that does not exist (a wrong command line)."""
    type_ = TYPE_FOLDERS.get(type_, type_)  # a folder's name stands for its type
    if type_ not in TYPE_SPECS:
        hint = did_you_mean(type_, TYPE_SPECS)
        print(visible(f"dossier: unknown type '{type_}'; use one of: {', '.join(TYPE_SPECS)}."
                      + (f" {hint}" if hint else "")), file=sys.stderr)
        return 2
    diags = Diagnostics()
    path = _write_profile(content_dir, type_, name, diags)
    for d in diags.sorted():
        if d.code != "placeholder":  # written on purpose: said once below
            print(d.format(), file=sys.stderr)
    if path is None:
        return 1
    print(visible(display_path(path)))
    print(PLACEHOLDERS_LEFT, file=sys.stderr)
    return 0


def _write_profile(content_dir: Path, type_: str, name: str, diags: Diagnostics) -> Path | None:
    """The file written, or None with the reason in `diags`."""
    folder = content_dir / TYPE_SPECS[type_].folder
    slug = slugify(name)
    if not slug:
        diags.error(Loc(display_path(folder)), f"the name '{shown(name)}' gives no id: it has no "
                    "Latin letters or digits", "Pass the name in Latin letters (or add some); "
                    "change `name:` in the file afterwards.")
        return None
    path = folder / f"{slug}.yml"
    where = Loc(display_path(path))
    if not _is_text(name):
        diags.error(where, f"the name '{shown(name)}' holds bytes that are not UTF-8 text",
                    "Pass the name as UTF-8 (your terminal's encoding may not be UTF-8).")
        return None
    problem = id_problem(slug)
    if problem is not None:
        diags.error(where, problem, ANOTHER_NAME)
        return None
    if os.path.lexists(path):
        diags.error(where, "the file exists already; not overwritten", ANOTHER_NAME)
        return None
    other = _file_with_id(content_dir, slug)
    if other is not None:
        diags.error(where, f"duplicate id '{slug}': {other} uses it too",
                    f"Ids are unique across all types. {ANOTHER_NAME}")
        return None
    text = profile_text(type_, name)
    if not _checks(text, where.path, type_, slug, diags):
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8") as handle:  # "x": never over a file made meanwhile
            handle.write(text)
    except OSError as exc:
        in_the_way = exc.errno in (errno.EEXIST, errno.ENOTDIR) and not os.path.lexists(path)
        diags.error(where, f"cannot write the file: {exc.strerror or exc}",
                    "A file stands where a folder of that path must be; move it away."
                    if in_the_way else None)
        return None
    return path


def _is_text(name: str) -> bool:
    """Whether the name is text: a command line in another encoding reaches Python as
    lone surrogates, which no UTF-8 file can hold."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _file_with_id(content_dir: Path, slug: str) -> str | None:
    """The file check would read that already has the id `slug` (ids are one namespace
    across types, and `x.yaml` is id `x` too), as check shows it."""
    listing = list_content(content_dir, Diagnostics())  # the folder's own problems: check's
    return next((shown_path for path, shown_path, _ in listing.files if path.stem == slug), None)


def _checks(text: str, shown_path: str, type_: str, slug: str, diags: Diagnostics) -> bool:
    """Whether check would accept the file `text` (its warnings added to `diags`).

    The built-in configuration is enough: what a new profile holds (the name, a date)
    is checked against no vocabulary."""
    config = load_config(DEFAULT_CONFIG_DIR, Diagnostics())
    try:
        data, smap = read_yaml(text)
    except YamlProblem as problem:  # pragma: no cover - profile_text quotes what it writes
        diags.error(Loc(shown_path, problem.line + 1, problem.column + 1), problem.message)
        return False
    if config is None:  # pragma: no cover - the built-in configuration is valid
        return True
    own = Diagnostics()
    validate_file(LoadedFile(shown_path, type_, slug, data, smap, text.splitlines()), config,
                  DEFAULT_MARKING, own)
    diags.items.extend(own.items)
    return not own.has_errors()


#: commented examples of the parts a profile is made of, shown above their (empty) lists
RELATION_EXAMPLE = """\
# Relations: typed, dated, sourced links to other profiles, written on one side only
# (both pages show them). To add one, write `relations:` without `[]` and the example
# below it, uncommented:
#   - type: member-of          # a relation type: member-of, leads, part-of, reports-to,
#                              #   cooperates-with, met-with, ... (site_config/vocabularies.yml)
#     target: other-id         # the other profile's id: its file name without .yml
#     since: 2019-04           # 2019, 2019-04 or 2019-04-25; `until:` ends it
#     status: reported         # confirmed | reported | alleged | disputed | denied
#     confidence: moderate     # low | moderate | high (confirmed needs more than low)
#     sources: [source-id]     # the sources/ profiles it rests on"""
CLAIM_EXAMPLE = """\
# Claims: sourced statements, in your own words, hedged as the sources allow:
#   - text: Russian specialists helped set up radio-monitoring sites.
#     status: reported
#     confidence: moderate
#     likelihood: likely       # optional: almost-no-chance ... roughly-even ... almost-certain
#     date: 2021
#     sources:
#       - {source: source-id, locator: "para 4"}   # where in the source it says so"""
ROLE_EXAMPLE = """\
# Roles: positions held, each in an agency:
#   - title: Director
#     organization: agency-id  # the agency's id
#     since: 2014
#     until: 2018
#     sources: [source-id]"""
SUMMARY_PLACEHOLDER = ("TODO: a few paragraphs in your own words: who or what this is, since "
                       "when, and why it matters here. Mention another profile by its id in "
                       "double square brackets.")
#: a required field's stand-in by kind: a value `check` accepts, marked `# TODO` so that
#: `--strict` fails until it is replaced
REQUIRED_PLACEHOLDERS = {"date": "2024  # TODO: the real date: 2019, 2019-04 or 2019-04-25"}


def profile_text(type_: str, name: str) -> str:
    """The new profile: the name, the required fields filled in, the others as comments,
    and commented examples of a relation, a claim and (for a person) a role. Its
    placeholders (a `TODO` summary, a `# TODO` value) are warnings, so `check --strict`
    fails until they are replaced."""
    lines = [f"name: {yaml_quote(name)}", "aliases: []", "summary: >-",
             *_folded(SUMMARY_PLACEHOLDER), "tags: []"]
    parts = {"roles": ROLE_EXAMPLE}
    for field, spec in TYPE_SPECS[type_].fields.items():
        if spec.required:
            lines.append(f"{field}: " + (REQUIRED_PLACEHOLDERS["date"] if spec.kind == "date"
                                         else yaml_quote(name)))
        elif field in parts:
            lines += [parts[field], f"{field}: []"]
        else:
            lines.append(f"# {field}:   # {spec.doc}")
    lines += [RELATION_EXAMPLE, "relations: []", CLAIM_EXAMPLE, "claims: []",
              "sources: []   # sources for the profile as a whole: [source-id, ...]"]
    return "\n".join(lines) + "\n"


def _folded(text: str, width: int = 86) -> list[str]:
    """`text` as the lines of a folded block (`>-`), indented two spaces."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(f"  {line}")
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, f"  {line}"]


def _needs_escape(code: int) -> bool:
    """Whether YAML would refuse the character raw (not printable), fold it (a line break)
    or drop it (a byte-order mark) inside a double-quoted scalar."""
    printable = 0x20 <= code <= 0x7E or 0xA0 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD \
        or code >= 0x10000
    return not printable or code in (0x2028, 0x2029, 0xFEFF)


def yaml_quote(text: str) -> str:
    """`text` as a YAML double-quoted scalar that reads back as exactly `text`."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif _needs_escape(code):
            out.append(f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" if code <= 0xFFFF
                       else f"\\U{code:08x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'
