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


_LINE_START_CHARS = frozenset("#+-0123456789")
_SPECIAL = re.compile("[" + re.escape("".join(map(chr, _ESCAPE_TABLE))) + "]")  # what it changes
_markup = str.__new__  # Markup(text) without Markup's Python-level __new__, for plain str


def md_text(value: Any) -> Markup:
    """Escape one string from content for any Markdown or HTML text/attribute context.

    Called for every value a template prints, so the common cases (already markup;
    short printable text with nothing to escape) take no regular expressions.
    """
    if isinstance(value, Markup):
        return value
    text = value if type(value) is str else ("" if value is None else str(value))
    if not text.isprintable():  # control characters (and a few harmless others) → one space
        text = _CONTROL.sub(" ", text)
    text = text.strip()
    if _SPECIAL.search(text):
        text = text.translate(_ESCAPE_TABLE)
    if text[:1] in _LINE_START_CHARS:
        text = _LINE_START.sub(lambda m: "".join(f"&#{ord(c)};" for c in m.group(1)), text)
    return _markup(Markup, text)


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


#: anything that makes prose more than sentences and links for Python-Markdown (or that
#: the sanitiser re-writes): such text takes the full `prose_html` path
_NOT_PLAIN = re.compile(r"[\\`*_{}\[\]<>&!|~^=$#\x00-\x1f\x7f-\xa0\u2028\u2029\ufffe\uffff]")
_BLOCK_START = re.compile(r"[-+*>#]|\d+[.)]")
_TEXT_TABLE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", **_MD_SPECIAL})


def plain_prose(parts: list[tuple[str, str | None]], inline: bool = False) -> Markup | None:
    """What `prose_html` gives for prose that is plain sentences and links, built directly.

    `parts`: the prose in order, as (text, None) for the writer's own text and
    (link text, href) for an `[[id]]` (href made by the renderer, never by content;
    "" for a reference shown as text alone). Returns None when the writer's text holds
    anything Markdown could read as syntax, spans lines or starts or ends with spaces:
    the caller then takes the full path. Why: Markdown and the sanitiser cost a
    quarter of a millisecond per field and most prose in a dossier is plain; a test
    checks this path gives the full path's output.
    """
    shape = "".join(text if href is None else "x" for text, href in parts).strip("\n")
    if not shape or _NOT_PLAIN.search(shape) or _BLOCK_START.match(shape) or shape != shape.strip():
        return None
    out = []
    last = len(parts) - 1
    for i, (text, href) in enumerate(parts):
        if href is None:
            text = text.lstrip("\n") if i == 0 else text
            text = text.rstrip("\n") if i == last else text
            out.append(text.translate(_TEXT_TABLE))
        else:
            label = html.unescape(md_text(text)).translate(_TEXT_TABLE)
            out.append(f'<a href="{href}" rel="noopener noreferrer">{label}</a>' if href else label)
    body = "".join(out)
    return Markup(body if inline else f"<p>{body}</p>")


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
