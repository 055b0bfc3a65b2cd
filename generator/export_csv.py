"""`dossier export --format csv -o FILE.zip`: the edition's dossier as CSV files for a
spreadsheet, in one zip.

One file per type (`people.csv`, `agencies.csv`...: a row per profile, a column per field)
and one per kind of statement (`relations.csv`, `claims.csv`, `roles.csv`), so a list can
be sorted and filtered without a program. Cells hold text as written: lists joined with
"; ", references as ids, dates as written (`2019-04`), a citation as its source's id with
its locator in brackets, `[[id]]` in prose as the entity's name.

Why a zip: a spreadsheet opens one table per file, and one file is what `-o` names and
writes atomically (the site offers the same CSV files one by one). Why these bytes:
UTF-8 with a byte-order mark, which is how Excel knows the text is UTF-8 (Cyrillic and
Arabic names stay readable), and CRLF line ends (RFC 4180). A cell that begins like a
formula (`=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`, so a
spreadsheet shows it as text and never evaluates it (OWASP's advice on CSV injection).
The zip's entries carry a fixed date, so the same content gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from typing import Any

from .dates import PartialDate
from .export import plain_text
from .link import DOSSIER_ID, LinkedDossier
from .model import Citation, Claim, Prose, Ref, Role
from .schema import TYPE_FIELDS
from .types import TYPES_TABLE

#: a date for every entry of the zip: the earliest a zip can hold (no clock)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
#: what a spreadsheet may read as the start of a formula
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"

RELATION_COLUMNS = ("source", "type", "label", "target", "since", "until", "circa", "status",
                    "confidence", "note", "sources", "marking")
CLAIM_COLUMNS = ("entity", "key", "text", "status", "confidence", "likelihood", "credibility",
                 "date", "end_date", "circa", "contradicts", "note", "sources", "marking")
ROLE_COLUMNS = ("person", "title", "organization", "since", "until", "circa", "note", "sources",
                "marking")
COMMON_FIRST = ("id", "name", "aliases", "summary", "tags")
COMMON_LAST = ("updated", "marking", "note", "sources")


def cell(value: Any, linked: LinkedDossier) -> str:
    """A value as a cell's text (see the module docstring), safe from formula evaluation."""
    text = _text(value, linked)
    return "'" + text if text.startswith(FORMULA_START) else text


def _text(value: Any, linked: LinkedDossier) -> str:
    if value is None or value is False:
        return ""
    if value is True:
        return "yes"
    if isinstance(value, PartialDate):
        return value.iso()
    if isinstance(value, Ref):
        return value.id
    if isinstance(value, Prose):
        return plain_text(value, linked) or ""
    if isinstance(value, Citation):
        return f"{value.source.id} ({value.locator})" if value.locator else value.source.id
    if isinstance(value, list):
        return "; ".join(_text(v, linked) for v in value)
    return str(value)


def _table(columns: Iterable[str], rows: Iterable[Iterable[Any]], linked: LinkedDossier) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell(v, linked) for v in row])
    return BOM + out.getvalue()


STATEMENT_FILES = ("relations.csv", "claims.csv", "roles.csv")


def csv_names() -> list[str]:
    """The names of the files `csv_files` makes, in its order."""
    return [f"{spec.folder}.csv" for spec in TYPES_TABLE] + list(STATEMENT_FILES)


def csv_files(linked: LinkedDossier) -> dict[str, str]:
    """File name → CSV text: one per type (in the order pages list them), then the
    relations, claims (key judgments under `dossier`) and roles."""
    files: dict[str, str] = {}
    for spec in TYPES_TABLE:
        own = [name for name, field in TYPE_FIELDS[spec.name].items() if field.kind != "roles"]
        columns = (*COMMON_FIRST, *own, *COMMON_LAST)
        rows = ([e.id, e.name, e.aliases, e.summary, e.tags, *(e.fields.get(n) for n in own),
                 e.updated, e.marking, e.note, e.sources] for e in linked.of_type(spec.name))
        files[f"{spec.folder}.csv"] = _table(columns, rows, linked)
    relation_types = linked.vocab.relation_types
    files["relations.csv"] = _table(RELATION_COLUMNS, (
        [edge.subject, r.type, relation_types[r.type].label, edge.object, r.since, r.until, r.circa,
         r.status, r.confidence, r.note, r.sources, r.marking]
        for edge in linked.edges for r in (edge.relation,)), linked)
    claims = [(e.id, c) for e in linked.entities.values() for c in e.claims]
    claims += [(DOSSIER_ID, c) for c in linked.dossier.key_judgments]
    files["claims.csv"] = _table(CLAIM_COLUMNS, (_claim_row(owner, c) for owner, c in claims), linked)
    files["roles.csv"] = _table(ROLE_COLUMNS, (
        _role_row(e.id, r) for e in linked.entities.values() for r in e.roles), linked)
    return files


def _claim_row(owner: str, c: Claim) -> list[Any]:
    return [owner, c.key, c.text, c.status, c.confidence, c.likelihood, c.credibility, c.date,
            c.end_date, c.circa, c.contradicts, c.note, c.sources, c.marking]


def _role_row(person: str, r: Role) -> list[Any]:
    return [person, r.title, r.organization, r.since, r.until, r.circa, r.note, r.sources, r.marking]


def csv_zip(files: dict[str, str]) -> bytes:
    """The files in one zip, each entry dated `ZIP_DATE` and readable by all, in order."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in files.items():
            entry = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, text.encode("utf-8"))
    return out.getvalue()
