"""Content text is data, never markup: escaping and sanitising for each place it lands.

- `md_text`: a string from content placed in Markdown (text, table cells, headings,
  link text, HTML attributes). HTML-escaped, Markdown punctuation turned into
  character references, line breaks and control characters folded to spaces.
- `prose_html`: a Markdown field rendered to HTML, then cleaned by nh3 with an
  allow-list (only http, https, mailto and relative links survive), then its text
  re-protected so the page's own Markdown pass cannot re-interpret it.
- `svg_text`: a string placed in SVG text, `<title>` or an attribute (XML rules:
  no control characters at all, the five special characters escaped).
- `json_for_html`: a value serialised as JSON to embed in a page inside
  `<script type="application/json">`: nothing in it can close the element.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

import markdown
import nh3
from markupsafe import Markup

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_MD_SPECIAL = {c: f"&#{ord(c)};" for c in "\\`*_{}[]()!|~^=$:"}
#: html.escape(quote=True) and the Markdown punctuation above in one str.translate pass
#: (the HTML entities contain none of that punctuation, so one pass equals the two)
_ESCAPE_TABLE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                               "'": "&#x27;", **_MD_SPECIAL})
_MD_TABLE = str.maketrans(_MD_SPECIAL)
_LINE_START = re.compile(r"^([#+\-]|\d+\.)")
_TEXT_NODE = re.compile(r">([^<]+)<")

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "i", "li", "ol", "p", "pre",
    "s", "strong", "sub", "sup", "ul", "table", "thead", "tbody", "tr", "th", "td", "hr", "span",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}

_md = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")


def md_text(value: Any) -> Markup:
    """Escape one string from content for any Markdown or HTML text/attribute context."""
    if isinstance(value, Markup):
        return value
    text = "" if value is None else str(value)
    text = _CONTROL.sub(" ", text).strip()
    text = text.translate(_ESCAPE_TABLE)
    text = _LINE_START.sub(lambda m: "".join(f"&#{ord(c)};" for c in m.group(1)), text)
    return Markup(text)


def _protect_text(fragment: str) -> str:
    """Turn Markdown punctuation inside text nodes into character references."""
    def fix(m: re.Match[str]) -> str:
        return ">" + m.group(1).translate(_MD_TABLE) + "<"
    return _TEXT_NODE.sub(fix, fragment)


def sanitize(fragment: str) -> str:
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def prose_html(source: str, inline: bool = False) -> Markup:
    """Render Markdown prose to safe HTML for embedding in a generated page.

    `inline` drops the paragraph wrapper and line breaks, for table cells and lists.
    """
    _md.reset()
    rendered = sanitize(_md.convert(source))
    if inline:
        rendered = re.sub(r"</p>\s*<p>", "<br>", rendered)
        rendered = re.sub(r"^<p>|</p>$", "", rendered.strip())
    rendered = _protect_text("<x>" + rendered + "</x>")[3:-4]
    rendered = re.sub(r"\n+", " " if inline else "\n", rendered).strip()
    return Markup(rendered)


def yaml_string(value: str) -> Markup:
    """A double-quoted YAML string (front matter) holding already-escaped text."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return Markup(f'"{escaped}"')


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def svg_text(value: Any) -> Markup:
    """Escape one string from content for SVG text, `<title>` or attribute values.

    XML 1.0 refuses control characters outright (a standalone .svg with one does
    not display), so they become spaces; `& < > " '` become references.
    """
    text = _XML_INVALID.sub(" ", "" if value is None else str(value))
    return Markup(html.escape(text, quote=True))


def json_for_html(value: Any) -> Markup:
    """JSON that stays inert inside `<script type="application/json">`: `<`, `>`, `&`, `'`
    and U+2028/2029 escaped, so `</script>` or `<!--` in content cannot end the element."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("'", "\\u0027"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return Markup(text)
