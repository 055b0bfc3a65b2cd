"""One page's HTML made a part of the book: its ids made unique, its links followed
inside the book, its headings one level down.

Every page of the site is converted on its own, so two pages both have `id="fn:1"`
(footnotes), `id="relations"` (headings) and links such as `../people/x.md`. In the
book, which is one HTML document, each page is a section whose anchor is named from
its path (`book_anchor`): its ids get that anchor as prefix, a link to another page
of the book becomes a link to that page's section (or to an id inside it), and a link
to a page the book leaves out (the tags page, the timeline) keeps its text and loses
its address. Links out of the dossier (`https:`) are kept as they are.

A large book is printed in parts (`pdf_book.book_html`, `pdf_parts`): a link to a
section printed in another part is written `https://book.invalid/#anchor` (`BOOK_URI`,
a reserved name that leads nowhere), which Chromium keeps as an address and `pdf_parts`
turns into a link to that anchor's place in the joined book.

Only tags are rewritten, from their source text: text between tags is copied
untouched, so what content wrote stays data (the renderer escaped it), and the case
of SVG attributes such as `viewBox` is kept. A regular expression finds the tags:
Python's HTMLParser took 1.3 s of the default dossier's 4.4 s.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Mapping

#: attributes naming an id (or several) of the same page
_ID_ATTRS = ("id", "aria-labelledby", "aria-describedby", "for")
_ATTR_RE = re.compile(r"""(\s)([^\s"'>/=]+)\s*=\s*("[^"]*"|'[^']*')""")
_HEADING_RE = re.compile(r"h[1-5]")
#: an end tag (1), or a start tag (3) with its attributes, quoted values whole: in the
#: HTML the site's Markdown makes, every `<` of text is written `&lt;` (the renderer
#: escapes content, nh3 re-serialises prose), so a `<` before a letter opens a tag
_TAG_RE = re.compile(r"""</([A-Za-z][\w:-]*)\s*>|<(([A-Za-z][\w:-]*)(?:\s+[^\s"'>/=]+"""
                     r"""(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*\s*/?)>""")
_EXTERNAL_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
#: the address of a link to a section printed in another part of the book
BOOK_URI = "https://book.invalid/"


def book_anchor(path: str) -> str:
    """The anchor of a page's section in the book (`people/x.md` → `page-people/x`)."""
    return "page-" + path.removesuffix(".md")


class PagePart:
    """Rewrites one page's HTML (see the module docstring)."""

    def __init__(self, path: str, targets: Mapping[str, str],
                 parts: Mapping[str, int] | None = None) -> None:
        """`path`: the page's path in the tree (`people/x.md`); `targets`: every page the
        book holds → its anchor (type indexes lead to their chapters); `parts`: each
        anchor → the part of the book it is printed in (None: the book is one part)."""
        self.folder = posixpath.dirname(path)
        self.prefix = targets.get(path, book_anchor(path)) + "--"
        self.targets = targets
        self.parts = parts or {}
        self.part = self.parts.get(self.prefix[:-2])

    def rewrite(self, html_text: str) -> str:
        return _TAG_RE.sub(self._tag, html_text)

    def _tag(self, m: re.Match[str]) -> str:
        name = m.group(1) or m.group(3)
        if m.group(1) is not None:  # an end tag
            return f"</{_heading_down(name)}>" if _HEADING_RE.fullmatch(name.lower()) else m.group(0)
        source = m.group(0)
        if _HEADING_RE.fullmatch(name.lower()):
            source = "<" + _heading_down(name.lower()) + source[1 + len(name):]
        return _ATTR_RE.sub(self._attribute, source) if "=" in source else source

    def _attribute(self, m: re.Match[str]) -> str:
        space, name, quoted = m.group(1), m.group(2), m.group(3)
        value = html.unescape(quoted[1:-1])
        if name.lower() in ("href", "xlink:href"):
            target = self.href(value)
            return "" if target is None else f'{space}{name}="{html.escape(target)}"'
        if name.lower() in _ID_ATTRS:
            ids = " ".join(self.prefix + each for each in value.split())
            return f'{space}{name}="{html.escape(ids)}"'
        return m.group(0)

    def href(self, value: str) -> str | None:
        """Where a link of this page leads in the book; None when the book leaves it out."""
        if _EXTERNAL_RE.match(value):
            return value
        place, _, fragment = value.partition("#")
        if not place:
            return "#" + self.prefix + fragment
        target = posixpath.normpath(posixpath.join(self.folder, place))
        if target.endswith(".html"):
            target = target[: -len(".html")] + ".md"
        anchor = self.targets.get(target)
        if anchor is None:
            return None
        there = "" if self.parts.get(anchor) == self.part else BOOK_URI
        return there + "#" + anchor + (f"--{fragment}" if fragment else "")


def _heading_down(tag: str) -> str:
    """h1 → h2 … h5 → h6: a page's title is a section of its chapter in the book."""
    return f"h{int(tag[1]) + 1}" if _HEADING_RE.fullmatch(tag) else tag


def page_part(html_text: str, path: str, targets: Mapping[str, str],
              parts: Mapping[str, int] | None = None) -> str:
    """`html_text`, the HTML of the page at `path`, as a part of the book (`parts`: see
    `PagePart`)."""
    return PagePart(path, targets, parts).rewrite(html_text)
