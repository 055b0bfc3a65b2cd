"""Previews of linked profiles: what a reader sees on hovering or focusing a link to a profile
(its name, type, kind and the start of its summary), inline in the page that links to it.

Why inline, not a data file or Material's instant previews: Material previews only links
listed in `sitemap.xml` (it needs `site_url`, and fetches the target page, which `file://`
refuses); one data file of every profile's preview loaded by every page would grow with the
dossier (~300 bytes a profile: 3 MB at 10,000). A page carries, in a `<script
type="application/json">` (`generator.jsdata.html_json`), only the profiles it links to;
`assets/javascripts/previews.js` reads it.

Which profiles a page links to is read from the page's rendered text (`linked_profiles`), not
collected while its view is built: views share remembered work (every year page of the
timeline uses rows made once, with one page's links), and a user's own template may link
differently from the built-in one. Only addresses that resolve to a profile of the site
context count, and the site context holds only what the edition keeps.

The cost is bounded per page (`summary_limit`): up to `SUMMARY_MAX` characters of summary each
while a page links to few profiles, an equal share of `PAGE_SUMMARY_BUDGET` when it links to
many, none (name, type and kind only) when that share is under `SUMMARY_MIN`. Measured:
the default dossier's profile pages gain 1.7 kB (median; 21 kB at most, a source cited by 102
profiles), 8 % of the site's bytes. At 1,000 entities (benchmarks/generate.py) a profile page
gains 8.7 kB (median, ~34 linked profiles; 23 kB at most); the biggest index page, Events
(496 profiles, no summaries), 38 kB of 115 kB; the biggest page, Tags (850), 65 kB of 195 kB;
21 % of the site's bytes in all. Reading the links and writing the element cost about 0.8 ms
a page at first (0.85 s of CPU for the 1,073 pages at 1,000 entities), 0.25 ms since the scans
look for literals and the JSON is joined from remembered pieces. With a 30,000
character budget and objects instead of lists, that page was 88 kB and the site's share 25 %.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from typing import Any

from ..editions import WITHHELD
from ..jsdata import html_json
from ..model import Entity
from ..types import TYPE_SPECS
from ..validate_values import INLINE_REF_RE
from .base import TYPE_LABELS, page_path, relative_href
from .site import SiteContext

#: the element's id, which previews.js looks for
PREVIEWS_ID = "dossier-previews"
#: summary characters one preview shows at most (about two lines of a popover)
SUMMARY_MAX = 200
#: summary characters one page carries in all: a page linking to more profiles than
#: PAGE_SUMMARY_BUDGET / SUMMARY_MAX gets shorter summaries
PAGE_SUMMARY_BUDGET = 12_000
#: below this many characters a summary says too little: left out (name and type remain)
SUMMARY_MIN = 60

#: a link's address in a rendered page: Markdown's `](path)` or raw HTML's `href="path"`;
#: only relative paths to a page (.md or .html), without query or fragment. Two patterns,
#: not one alternation: a pattern that opens with a literal is searched for as a string
#: (an alternation is tried at every character), and the two never overlap (neither
#: address may hold a quote or a bracket). Reading a page's links took 0.45 s of CPU for
#: the 1,073 pages at 1,000 entities, most of it these scans.
_HREFS = (re.compile(r'\]\(([^()"\s#?:<>]+\.(?:md|html))(?=[)"#])'),
          re.compile(r'href="([^()"\s#?:<>]+\.(?:md|html))(?=[)"#])'))
#: a picture drawn at build time (raw HTML, one line): its nodes' links get no preview (the
#: script previews links of the text, not of pictures), so they are not looked for
_SVG_START = re.compile(r"<svg\b")
_SVG_END = "</svg>"
#: Markdown marks left in a summary's plain text (emphasis, code, strike, heading, quote)
_MARKS = re.compile(r"(?<!\w)[*_`~]+|[*_`~]+(?!\w)|^#+\s|^>\s", re.M)
_MARK_CHARACTERS = "*_`~#>"  # what _MARKS can find
#: a Markdown link or image: its text stays, its address goes
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def page_previews(site: SiteContext, path: str, text: str) -> str:
    """The previews element to append to page `path` (rendered Markdown `text`), or "" when
    the page links to no profile: a raw HTML block, separated by blank lines."""
    targets = linked_profiles(site, path, text)
    if not targets:
        return ""
    data = previews_json(site, path, targets)
    return f'\n\n<script type="application/json" id="{PREVIEWS_ID}">{data}</script>\n'


def linked_profiles(site: SiteContext, path: str, text: str) -> list[Entity]:
    """The profiles page `path` links to in its text (not itself, not from a picture), in
    the order of their paths."""
    resolve = _resolver(site, posixpath.dirname(path))
    found: dict[str, Entity] = {}
    outside = _without_pictures(text)
    for pattern in _HREFS:
        for href in pattern.findall(outside):
            hit = resolve(href)
            if hit is not None and hit[0] != path:
                found[hit[0]] = hit[1]
    return [found[p] for p in sorted(found)]


def _without_pictures(text: str) -> str:
    """`text` less its `<svg>` elements, each from `<svg` to the first `</svg>` after it
    (what `re.sub(r"<svg\\b.*?</svg>", "", text, flags=re.S)` gives): found as strings,
    since that lazy pattern stepped through a picture's 20 kB a character at a time (0.25 s
    of CPU for the 1,073 pages at 1,000 entities)."""
    pieces: list[str] = []
    pos = 0
    while (start := _SVG_START.search(text, pos)) is not None:
        end = text.find(_SVG_END, start.end())
        if end < 0:
            break
        pieces.append(text[pos:start.start()])
        pos = end + len(_SVG_END)
    if not pieces:
        return text
    pieces.append(text[pos:])
    return "".join(pieces)


Resolved = tuple[str, Entity] | None


def _resolver(site: SiteContext, folder: str) -> Callable[[str], Resolved]:
    """Where an address in a page of `folder` leads: (the profile's path, its entity), or
    None for any other page. Remembered per (folder, address) for the render: the 1,073
    pages at 1,000 entities hold 88,000 such addresses, most of them to the same profiles
    from the same folders."""
    known: dict[tuple[str, str], Resolved] = site.remembered("preview-addresses", dict)
    by_path = _profile_paths(site)

    def resolve(href: str) -> Resolved:
        key = (folder, href)
        if key in known:
            return known[key]
        target = posixpath.normpath(posixpath.join(folder, href))
        if target.endswith(".html"):
            target = target[: -len(".html")] + ".md"
        e = by_path.get(target)
        hit = known[key] = None if e is None else (target, e)
        return hit
    return resolve


def preview_data(site: SiteContext, path: str, targets: list[Entity]) -> dict[str, Any]:
    """What the page's previews show: `links`, href (relative to the page, .html) → [name,
    type, kind label or "", summary or ""], and `types`, each of those types' label. Keys
    sorted by `html_json`, so the same content gives the same bytes.

    Why lists, not objects: key names repeated in every entry were a fifth of the data
    (about 60 of 280 bytes an entry at 1,000 entities)."""
    folder = posixpath.dirname(path)
    limit = summary_limit(len(targets))
    links = {relative_href(page_path(e), folder)[: -len(".md")] + ".html": _entry(site, e, limit)
             for e in targets}
    return {"links": links, "types": {e.type: TYPE_LABELS[e.type][0] for e in targets}}


def previews_json(site: SiteContext, path: str, targets: list[Entity]) -> str:
    """`html_json(preview_data(site, path, targets))`, the same bytes, joined from pieces
    made once per render: each address's JSON (per folder) and each entry's (per summary
    limit). Why: a profile is linked from dozens of pages, and building then encoding the
    whole object on every page took 0.38 s of CPU for the 1,073 pages at 1,000 entities.
    The JSON is compact with sorted keys (`json_text`): the addresses sorted as strings,
    the types too; escaping each piece for HTML escapes the whole, since the JSON's own
    punctuation holds none of the characters `html_json` escapes."""
    folder = posixpath.dirname(path)
    limit = summary_limit(len(targets))
    addresses: dict[tuple[str, str], tuple[str, str]] = site.remembered("preview-address-json", dict)
    entries: dict[tuple[str, int], str] = site.remembered("preview-entry-json", dict)
    links = []
    for e in targets:
        address = addresses.get((folder, e.id))
        if address is None:
            href = relative_href(page_path(e), folder)[: -len(".md")] + ".html"
            address = addresses[folder, e.id] = (href, html_json(href))
        entry = entries.get((e.id, limit))
        if entry is None:
            entry = entries[e.id, limit] = html_json(_entry(site, e, limit))
        links.append((address[0], f"{address[1]}:{entry}"))
    links.sort()
    types = html_json({e.type: TYPE_LABELS[e.type][0] for e in targets})
    return '{"links":{' + ",".join(item for _, item in links) + '},"types":' + types + "}"


def _entry(site: SiteContext, e: Entity, limit: int) -> list[str]:
    """One preview: name, type, kind label or "", and the summary cut to `limit` (none
    made for a limit of 0, which leaves none of it: the year pages of a long timeline
    link to hundreds of profiles each, and made every summary for nothing)."""
    return [e.name, e.type, kind_label(site, e) or "", cut(summary_text(site, e), limit) if limit > 0 else ""]


def summary_limit(links: int) -> int:
    """Summary characters each preview on a page with `links` previews may show: SUMMARY_MAX,
    or an equal share of PAGE_SUMMARY_BUDGET, or 0 when the share is under SUMMARY_MIN."""
    share = min(SUMMARY_MAX, PAGE_SUMMARY_BUDGET // max(links, 1))
    return share if share >= SUMMARY_MIN else 0


def cut(text: str, limit: int) -> str:
    """`text` cut to about `limit` characters at a word, marked with an ellipsis."""
    if len(text) <= limit:
        return text
    if limit <= 0:
        return ""
    end = text.rfind(" ", 0, limit - 1)
    return text[: end if end > limit // 2 else limit - 1].rstrip() + "…"


def kind_label(site: SiteContext, e: Entity) -> str | None:
    """The entity's kind as its profile's badge names it ("Intelligence agency"), if any."""
    kind, vocab = e.text("kind"), TYPE_SPECS[e.type].kind_vocab
    return site.label(vocab, kind) if kind and vocab else None


def summary_text(site: SiteContext, e: Entity) -> str:
    """The whole summary in plain text, as a reader sees it: references by their names (a
    withheld one as the edition shows it), Markdown marks dropped; remembered per process."""
    texts: dict[str, str] = site.remembered("preview-summaries", dict)
    text = texts.get(e.id)
    if text is None:
        text = texts[e.id] = "" if e.summary is None else _plain(_named(site, e.summary.text))
    return text


def _named(site: SiteContext, text: str) -> str:
    """Prose with each `[[id]]` as the words a reader sees (`PageContext.prose_parts`'s
    text: its label, else the entity's name, else the edition's stand-in), without the
    addresses prose_parts works out for links (a preview shows none)."""
    if "[[" not in text:
        return text
    entities = site.linked.entities
    pieces: list[str] = []
    pos = 0
    for m in INLINE_REF_RE.finditer(text):
        ident, label = m.group(1).strip(), m.group(2)
        target = entities.get(ident)
        pieces += (text[pos:m.start()],
                   label if label is not None else WITHHELD if target is None else target.name)
        pos = m.end()
    pieces.append(text[pos:])
    return "".join(pieces)


def _plain(text: str) -> str:
    """Markdown links as their text, marks dropped, white space as single spaces: each
    pattern only where its characters occur. Why: every worker makes the summary of
    nearly every profile it links to (10,000 at 10,000 entities), and the three
    substitutions on every summary were half the previews' time there."""
    if "](" in text:
        text = _LINK.sub(r"\1", text)
    if any(mark in text for mark in _MARK_CHARACTERS):
        text = _MARKS.sub("", text)
    return " ".join(text.split())  # `re.sub(r"\s+", " ", text).strip()`: the same spaces


def _profile_paths(site: SiteContext) -> dict[str, Entity]:
    """Each profile's page path (.md, relative to docs/) → its entity, once per process."""
    return site.remembered("preview-paths", lambda: {page_path(e): e for e in site.linked.entities.values()})
