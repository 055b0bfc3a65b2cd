"""Page kind: "Data" (`data.md`): the edition's exports for download, and what each format
holds. The files are data files of the render (`PageSpec.data`), made from the same
linked dossier as the pages, so they hold what the edition holds and nothing more: the
JSON, STIX and FtM files hold what `dossier export --format ...` writes for that edition
(the JSON without indentation: 30% smaller, and made by the C encoder, see
`export.export_text`), the CSV files are the entries of its zip, one by one (a site
offers each table as a link; a zip would be a second copy of the same bytes).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass

from ..export import export_text
from ..export_csv import csv_files, csv_names
from .base import PageSpec, View
from .site import SiteContext

PAGE = "data.md"
FOLDER = "data"
#: (file name, format, what it is for) of each whole-dossier export, in the page's order
EXPORTS = (
    ("dossier.json", "json", "JSON", "Dossier's own model: every field, references as ids."),
    ("dossier.stix.json", "stix", "STIX 2.1 bundle",
     "For threat-intelligence platforms (OpenCTI, MISP): identities, threat actors, locations, "
     "infrastructure, reports, notes and relationships, with TLP markings."),
    ("dossier.ftm.jsonl", "ftm", "FollowTheMoney entities (JSON lines)",
     "For Aleph, OpenSanctions and the ftm tools: people, bodies, events, assets, documents "
     "and the links between them."),
)


@dataclass(frozen=True, eq=False)
class DataFile(View):
    name: str  # the file's name, also the link's text
    href: str  # relative to the Data page
    format: str
    about: str


@dataclass(frozen=True, eq=False)
class DataView(View):
    """The Data page: the edition's exports and the CSV tables, and how much they hold.

    No file sizes: they would need every export made to draw the page, which the live
    preview redraws on every edit (the files themselves it makes once, `PageSpec.preview`)."""

    title: str
    edition: str
    top_marking: str  # the highest marking the edition holds
    profiles: int
    relations: int
    claims: int  # the profiles' claims and the key judgments
    exports: tuple[DataFile, ...]
    tables: tuple[DataFile, ...]


#: the built-in template this kind draws its pages with, and the view it is given
TEMPLATES: dict[str, type[View]] = {"data.md.j2": DataView}


#: the render's group (`PageSpec.group`: one worker's task) of each export: apart, so that
#: on a large dossier they are made side by side (about 1.2 s of CPU per 1,000 profiles in
#: all, the STIX bundle half of it) rather than one after the other in one worker
GROUPS = {"json": "indexes", "stix": "reference", "ftm": "timeline", "csv": "indexes"}


def pages(site: SiteContext) -> Iterator[PageSpec]:
    """The page, then one data file per export and per CSV table (their names are known
    without making them: the list of pages stays cheap). The live preview makes the files
    when it renders every page, not on every edit (`PageSpec.preview`)."""
    yield PageSpec(PAGE, ("data.md.j2",), data_view, "dossier", nav="Data", group="reference")
    for name, fmt, *_ in EXPORTS:
        yield PageSpec(f"{FOLDER}/{name}", (), None, "dossier", group=GROUPS[fmt],
                       data=functools.partial(export_file, fmt), preview=False)
    for name in csv_names():
        yield PageSpec(f"{FOLDER}/csv/{name}", (), None, "dossier", group=GROUPS["csv"],
                       data=functools.partial(csv_file, name), preview=False)


def export_file(fmt: str, site: SiteContext) -> str:
    """The `json`, `stix` or `ftm` export, compact (see `export.export_text`)."""
    return export_text(site.linked, fmt, compact=True)


def csv_file(name: str, site: SiteContext) -> str:
    """One CSV table; the tables are made together, once per process."""
    return site.remembered("csv-files", lambda: csv_files(site.linked))[name]


def data_view(site: SiteContext) -> DataView:
    def described(name: str, fmt: str, about: str) -> DataFile:
        return DataFile(name.rsplit("/", 1)[-1], f"{FOLDER}/{name}", fmt, about)

    linked = site.linked
    return DataView(
        title="Data",
        edition=linked.edition,
        top_marking=linked.vocab.editions[linked.edition],
        profiles=len(linked.entities),
        relations=len(linked.edges),
        claims=sum(len(e.claims) for e in linked.entities.values()) + len(linked.dossier.key_judgments),
        exports=tuple(described(name, fmt, about) for name, _, fmt, about in EXPORTS),
        tables=tuple(described(f"csv/{name}", "CSV", "") for name in csv_names()),
    )
