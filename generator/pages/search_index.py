"""Data files of the site's search: one entry per profile, read by Dossier's search worker.

Why not Material's own index: it holds every page's full text, section by section. At
10,000 entities it was 56-69 MB; Chromium's first result came 26 s after the page loaded
(174 MB of JavaScript heap), and at 1,000 entities 2.5 s. A reader searches for a person,
an agency or an event by name, alias or tag, and wants its profile: one entry per profile
(name, aliases, type, a plain-text summary, tags) plus the navigation's page titles is what
the search needs, a few hundred bytes a profile.

- `search/entries.js` sets `window.dossierSearchIndex` (`generator.jsdata.script_file`):
  loaded by `<script src>`/`importScripts` in the search worker
  (`assets/javascripts/search-worker.js`, MiniSearch), which works from `file://` where
  fetch does not. Entries are built from the site context, which holds only what the
  edition keeps.
- `search/search.json` and `search/search.js` (`window.__index`): the same entries, in
  the order and shape Zensical's search dialog reads (its documents: `location`, `title`,
  `text`, `path`, as HTML text). Under Zensical, `assets/javascripts/search.js` points the
  theme's `base` at search/ (where its bundle looks for `search.json`, or `search.js` from
  `file://`) and its worker at Dossier's, which answers with these documents' positions: one
  index and the same results under both themes. Zensical writes its own `search.json` at
  the root (left empty by the meta file below) and would overwrite one of ours there. A
  copy rather than the entries themselves: Zensical's dialog draws results from documents
  it holds. At 10,000 entities each file is 4.0 MB (entries.js 3.8 MB); Zensical's first
  result came 1.8 s after the page loaded, from disk (50 MB of heap) or a server (17 MB).
- `site_config/docs/dossier-search.meta.yml` (static: Material's `meta` plugin reads meta
  files from disk) tells Material's search plugin to index no page: its `search_index.json`
  keeps only the settings the theme reads, so no page load parses a whole-site index.
"""

from __future__ import annotations

from collections.abc import Iterator
from html import escape

from ..jsdata import json_text, script_file
from ..model import Entity
from . import previews
from .base import TYPE_LABELS, PageSpec, View, page_path
from .site import SiteContext

#: the entries' file and the global it sets (read by the worker)
ENTRIES_PATH = "search/entries.js"
ENTRIES_GLOBAL = "dossierSearchIndex"
#: Material's meta plugin applies this file's keys to every page below its folder: the
#: configuration's docs/ holds it, at the root
META_FILE = "dossier-search.meta.yml"
#: each entry's columns, in order: an entry is a list, not an object (10,000 entries x 6 keys
#: would repeat the key names some 600 kB)
COLUMNS = ("location", "title", "type", "aliases", "summary", "tags")
#: the kind shown for a page that is not a profile (ranked below profiles by the worker)
PAGE_KIND = "page"
#: a summary longer than this is cut at a word for the index (a snippet shows ~200 characters;
#: the bound keeps 10,000 entries under ~5 MB whatever the content)
SUMMARY_MAX = 400

#: Zensical's documents (see the module's docstring), and the global its bundle reads from
#: `file://`
ZENSICAL_JSON = "search/search.json"
ZENSICAL_SCRIPT = "search/search.js"
ZENSICAL_GLOBAL = "__index"
#: the settings a Zensical index carries, Zensical's defaults: only Zensical's own worker
#: reads them (Dossier's ignores them), so the files stay a valid index for it
ZENSICAL_CONFIG = {"lang": ["en"], "separator": r'[\s\-_,:!=\[\]()\\"`/]+|\.(?!\d)'}

TEMPLATES: dict[str, type[View]] = {}


def pages(site: SiteContext) -> Iterator[PageSpec]:
    yield PageSpec(ENTRIES_PATH, (), None, "dossier", group="reference", data=entries_file)
    # only Zensical reads these; the live preview (MkDocs) need not remake them on each edit
    yield PageSpec(ZENSICAL_JSON, (), None, "dossier", group="reference",
                   data=zensical_json, preview=False)
    yield PageSpec(ZENSICAL_SCRIPT, (), None, "dossier", group="reference",
                   data=zensical_script, preview=False)


def entries_file(site: SiteContext) -> str:
    return script_file(ENTRIES_GLOBAL, {"columns": list(COLUMNS), "rows": search_entries(site)})


def zensical_json(site: SiteContext) -> str:
    return json_text(zensical_index(site)) + "\n"


def zensical_script(site: SiteContext) -> str:
    return script_file(ZENSICAL_GLOBAL, zensical_index(site))


def zensical_index(site: SiteContext) -> dict[str, object]:
    """The entries as Zensical's documents, in the entries' order (the worker answers with
    an entry's position). Zensical's dialog parses `title`, `text` and `path` as HTML and
    decodes only `&amp;`, `&lt;` and `&gt;`, so those three are all that is escaped (a
    title's apostrophe as `&#x27;` showed raw). A location is relative to search/, the
    `base` Zensical resolves it from."""
    return {"config": ZENSICAL_CONFIG, "items": [
        zensical_document(row) for row in search_entries(site)]}


def zensical_document(row: list[object]) -> dict[str, object]:
    """An entry as the document Zensical's dialog shows: its name, its type as the path,
    its aliases and summary as the text."""
    location, title, kind, aliases, summary, _tags = row
    text = " · ".join(t for t in (", ".join(map(str, aliases)) if isinstance(aliases, list) else "",
                                  str(summary)) if t)
    return {"location": f"../{location}", "title": _html_text(str(title)), "text": _html_text(text),
            "path": [] if kind == PAGE_KIND else [_html_text(str(kind))]}


def _html_text(text: str) -> str:
    return escape(text, quote=False)


def search_entries(site: SiteContext) -> list[list[object]]:
    """The navigation's pages (title only), then every profile, by type and id: the same
    content gives the same file."""
    from . import navigation  # the package's list of pages (imported late: it imports us)

    rows: list[list[object]] = [
        [_html_location(spec.path), spec.nav, PAGE_KIND, [], "", []]
        for spec in navigation(site) if spec.nav is not None
    ]
    entities = site.linked.entities
    for ident in sorted(entities, key=lambda i: (entities[i].type, i)):
        rows.append(profile_entry(site, entities[ident]))
    return rows


def profile_entry(site: SiteContext, e: Entity) -> list[object]:
    return [_html_location(page_path(e)), e.name, TYPE_LABELS[e.type][0], list(dict.fromkeys(e.aliases)),
            summary_text(site, e), list(dict.fromkeys(e.tags))]


def summary_text(site: SiteContext, e: Entity) -> str:
    """The summary as a reader sees it, in plain text: references by their names (a withheld
    one as the edition shows it), Markdown marks dropped, cut at SUMMARY_MAX at a word."""
    text = previews.summary_text(site, e)  # the same plain text a link's preview shows
    if len(text) <= SUMMARY_MAX:
        return text
    cut = text.rfind(" ", 0, SUMMARY_MAX)
    return text[: cut if cut > SUMMARY_MAX // 2 else SUMMARY_MAX].rstrip() + " …"


def _html_location(md_path: str) -> str:
    """A page's address relative to the site's root, as Material's results link to it."""
    return md_path[: -len(".md")] + ".html"
