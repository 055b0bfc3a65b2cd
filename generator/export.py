"""`dossier export --format json`: the model as JSON.

Export walks the linked dossier (so an edition's export leaves out what the
edition withholds) and writes references as ids. (The JSON Schemas of `dossier
schema` are `editor_schema`'s.)
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
from typing import Any

from .dates import PartialDate
from .editions import WITHHELD
from .link import LinkedDossier
from .model import Citation, Prose, Ref
from .validate_values import INLINE_REF_RE

#: every format `dossier export --format` writes (json first: the default)
FORMATS = ("json", "stix", "ftm", "csv")


def plain_value(value: Any) -> Any:
    """Model values → JSON values: dates as ISO strings, refs as ids, prose as text."""
    if isinstance(value, PartialDate):
        return value.iso()
    if isinstance(value, Ref):
        return value.id
    if isinstance(value, Prose):
        return value.text
    if isinstance(value, Citation):
        out: dict[str, Any] = {"source": value.source.id}
        if value.locator:
            out["locator"] = value.locator
        if value.note:
            out["note"] = value.note
        return out
    if isinstance(value, list):
        return [plain_value(v) for v in value]
    if isinstance(value, dict):
        return {k: plain_value(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: plain_value(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name not in ("loc", "origin", "path") and getattr(value, f.name) not in (None, [], False)
        }
    return value


#: two-letter codes Babel names as territories that no country holds (the euro zone,
#: outlying Oceania, Ceuta and Melilla, pseudo-locales): FollowTheMoney refuses them
NOT_COUNTRIES = frozenset({"EA", "EZ", "QO", "XA", "XB"})


@functools.cache
def country_codes() -> frozenset[str]:
    """The ISO 3166-1 alpha-2 codes of countries and territories, from Babel's locale data
    (MkDocs Material's own dependency): content only checks a code's shape (`XX` passes),
    and a tool such as FollowTheMoney refuses a code it does not know."""
    from babel import Locale

    codes = [str(code) for code in Locale("en").territories]
    return frozenset(code for code in codes if len(code) == 2 and code.isalpha()) - NOT_COUNTRIES


def plain_text(prose: Prose | None, linked: LinkedDossier) -> str | None:
    """Prose for a tool that knows no `[[id]]`: each reference becomes its text (`[[id|text]]`)
    or the entity's name, and one to an entity the edition leaves out reads "[withheld]",
    as on the site. The rest stays the writer's Markdown, as text."""
    if prose is None:
        return None
    entities = linked.entities

    def named(m: re.Match[str]) -> str:
        target = entities.get(m.group(1).strip())
        if target is None:
            return m.group(2) if m.group(2) is not None else WITHHELD
        return m.group(2) if m.group(2) is not None else target.name

    return INLINE_REF_RE.sub(named, prose.text)


def export_json(linked: LinkedDossier) -> dict[str, Any]:
    entities = []
    for e in linked.entities.values():
        item: dict[str, Any] = {"id": e.id, "type": e.type, "name": e.name, "aliases": e.aliases}
        for name in ("summary", "tags", "claims", "sources", "roles", "updated", "marking", "note"):
            value = getattr(e, name)
            if value not in (None, []):
                item[name] = plain_value(value)
        item.update({k: plain_value(v) for k, v in e.fields.items()})
        item["relations"] = [plain_value(r) | {"target": r.target.id} for r in e.relations]
        entities.append(item)
    relations = []
    for edge in linked.edges:
        r = plain_value(edge.relation)
        r.pop("target", None)
        relations.append({"source": edge.subject, "type": edge.relation.type,
                          "target": edge.object, **{k: v for k, v in r.items() if k != "type"}})
    dossier = plain_value(linked.dossier)
    dossier["edition"] = linked.edition
    return {"dossier": dossier, "entities": entities, "relations": relations}


def export_bytes(linked: LinkedDossier, fmt: str) -> bytes:
    """What `dossier export --format FMT` writes: the JSON object or the STIX bundle
    (indented JSON), FtM JSON lines, or a zip of CSV files (`export_csv`)."""
    if fmt == "csv":
        from .export_csv import csv_files, csv_zip

        return csv_zip(csv_files(linked))
    return export_text(linked, fmt).encode("utf-8")


def export_text(linked: LinkedDossier, fmt: str, compact: bool = False) -> str:
    """The text of the `json`, `stix` or `ftm` export. `compact`: JSON without spaces,
    keys sorted (`jsdata.json_text`), as the site's Data page ships it.

    Why compact there: indented, `json.dumps` runs Python's own encoder instead of the C
    one; for the STIX bundle of the 1,000-profile benchmark dossier that took 3.3 s of
    its 5.1 s and made 13.9 MB instead of 9.6."""
    from .jsdata import json_text

    if fmt == "ftm":
        from .export_ftm import ftm_text

        return ftm_text(linked)
    if fmt == "stix":
        from .export_stix import export_stix

        value = export_stix(linked)
    else:
        value = export_json(linked)
    if compact:
        return json_text(value) + "\n"
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"
