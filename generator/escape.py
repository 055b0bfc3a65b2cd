"""Content text is data, never markup: escaping and sanitising for each place it lands.

- `md_text`: a string from content placed in Markdown (text, table cells, headings,
  link text, HTML attributes). HTML-escaped, Markdown punctuation turned into
  character references, line breaks and control characters folded to spaces.
- `prose_html`: a Markdown field rendered to HTML, then cleaned by nh3 with an
  allow-list (only http, https, mailto and relative links survive), then every text
  node and every attribute value re-protected (`protect_html`) so the page's own
  Markdown pass finds nothing in it to interpret. The Markdown it reads is bounded
  first (`markdown_bound._WorkBounds`): no field can make Python-Markdown quadratic;
  `markdown_notes` says what that bound changes in a field, for validate to warn.
  `plain_prose` builds the same HTML directly for prose that is sentences and links.
- `hex_references`, `cap_elements`: the page's own Markdown pass kept linear in a value.
- `svg_text`: a string placed in SVG text, `<title>` or an attribute (XML rules:
  no control characters at all, the five special characters escaped).
- `json_for_html`: a value serialised as JSON to embed in a page inside
  `<script type="application/json">`: nothing in it can close the element.
- `yaml_string`: already-escaped text as a double-quoted YAML string (front matter).
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

import markdown
import nh3
from markupsafe import Markup

from .markdown_bound import _may_reach_a_limit, _WorkBounds
from .markdown_budget import _OWN_NONCHARACTERS, _RESTORE, ELEMENTS_MAX, NOTE_ELEMENTS

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_MD_SPECIAL = {c: f"&#{ord(c)};" for c in "\\`*_{}[]()!|~^=$:"}
#: html.escape(quote=True) and the Markdown punctuation above in one str.translate pass
#: (the HTML entities contain none of that punctuation, so one pass equals the two)
_ESCAPE_TABLE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                               "'": "&#x27;", **_MD_SPECIAL})
_MD_TABLE = str.maketrans(_MD_SPECIAL)
_LINE_START = re.compile(r"^([#+\-]|\d+\.)")

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "i", "li", "ol", "p", "pre",
    "s", "strong", "sub", "sup", "ul", "table", "thead", "tbody", "tr", "th", "td", "hr", "span",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}


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
        text = _LINE_START.sub(_char_references, text)
    if len(text) > REFERENCES_MAX and text.count("&") > REFERENCES_MAX:
        text = hex_references(text)
    return _markup(Markup, text)


def _char_references(m: re.Match[str]) -> str:
    return "".join(f"&#{ord(c)};" for c in m.group(0))


# --- sanitised HTML, made inert for the page's own Markdown pass ---------------------------

#: nh3 writes HTML one way (html5ever's serialiser): every attribute value in double quotes
#: with `"` as `&quot;`, `<` in text as `&lt;`, no comments. So a tag is a `<` up to the
#: first `>` outside quotes, and all else is text.
_TAG_OR_TEXT = re.compile(r'<[^"<>]*(?:"[^"]*"[^"<>]*)*>|[^<]+')
_ATTRIBUTE_VALUE = re.compile(r'="([^"]*)"')
#: what the page's Markdown could read in an attribute value: every character the text
#: escaping turns into a reference except `:` (it is read only in `<scheme:...>` autolinks
#: and `term: definition` lines, and `<` and line breaks are escaped here too; every URL
#: keeps its `https:` as written), plus `<` `>` (a whole tag is one inert piece for
#: Python-Markdown only when its values hold neither) and line breaks (a value must not
#: start a line: `[^1]: ...` footnote definitions, headings, lists)
_ATTRIBUTE_TABLE = str.maketrans({**{c: r for c, r in _MD_SPECIAL.items() if c != ":"},
                                  "<": "&lt;", ">": "&gt;", "\n": "&#10;", "\r": "&#13;"})
_MARKER_AFTER_BREAK = re.compile(r"(?<=\n)([ \t]*)([#+\-]|\d+\.)")


def protect_html(fragment: str) -> str:
    """Sanitised HTML with Markdown punctuation turned into character references in every
    text node and attribute value, and line-start markers (`#`, `-`, `+`, `1.`) escaped
    wherever text begins a line: the page's Markdown pass sees tags, references and
    letters only.

    Why attribute values too: Python-Markdown reads links, footnote references and code
    spans before it sets raw HTML aside, so `title="[b](y onfocus=...)"` became a second
    `<a>` inside the first and broke out of the attribute (issue 11 item 3); a `|` in an
    href split a table cell (item 6).
    """
    pieces = []
    for m in _TAG_OR_TEXT.finditer(fragment):
        piece = m.group()
        if piece[0] == "<":
            pieces.append(_ATTRIBUTE_VALUE.sub(_protect_value, piece))
            continue
        text = piece.translate(_MD_TABLE)
        if m.start() == 0 and text[:1] in _LINE_START_CHARS:
            text = _LINE_START.sub(_char_references, text)
        if "\n" in text:
            text = _MARKER_AFTER_BREAK.sub(_escape_marker, text)
        pieces.append(text)
    return "".join(pieces)


def _protect_value(m: re.Match[str]) -> str:
    return '="' + m.group(1).translate(_ATTRIBUTE_TABLE) + '"'


def _escape_marker(m: re.Match[str]) -> str:
    return m.group(1) + "".join(f"&#{ord(c)};" for c in m.group(2))


def sanitize(fragment: str) -> str:
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


# --- the work the page's own Markdown pass does on a value ---------------------------------
#
# Every character reference and every tag is an inline element for the page's Markdown
# pass, and each copies the whole list item or table cell it stands in: 20,000 `&#91;` in a
# list item took 3.6 s, 32,000 `<br>` 8.8 s (and four times as many, sixteen times as
# long). Python-Markdown's pattern for references reads a lowercase `x` only, so `&#X5B;`
# (which HTML reads as `[`) passes through as text; past REFERENCES_MAX references a value
# is written that way (only then: the pages of ordinary content stay as they were). Tags
# cannot be written otherwise: a field's HTML keeps its first ELEMENTS_MAX elements (a
# limit of the bound on a field's work, `markdown_budget`).

REFERENCES_MAX = 200
_REFERENCE = re.compile(r"&(#[0-9]+|#x[0-9a-fA-F]+|amp|lt|gt|quot|nbsp);")
_NAMED_REFERENCES = {"amp": 0x26, "lt": 0x3C, "gt": 0x3E, "quot": 0x22, "nbsp": 0xA0}
_TAG_NAME = re.compile(r"</?([a-z0-9]+)")
_EMPTY_ELEMENTS = frozenset({"br", "hr"})
_BLOCK_ELEMENTS = frozenset({"p", "br", "hr", "li", "ul", "ol", "blockquote", "pre", "table",
                             "thead", "tbody", "tr", "th", "td"})


#: the references escaping writes (and nh3's), each as it is written in hex: replaced one
#: after the other, a megabyte of `&#91;` takes 0.05 s (a callback per reference took 1 s)
_HEX_OF = {**{f"&#{ord(c)};": f"&#X{ord(c):X};" for c in "\\`*_{}[]()!|~^=$:#+-.0123456789\n\r"},
           **{f"&{name};": f"&#X{code:X};" for name, code in _NAMED_REFERENCES.items()},
           "&#x27;": "&#X27;"}


def hex_references(text: str) -> str:
    """Every character reference as `&#X..;`: the page's Markdown pass leaves it as text."""
    for reference, hex_form in _HEX_OF.items():
        if reference in text:
            text = text.replace(reference, hex_form)
    return _REFERENCE.sub(_hex_reference, text) if "&" in text else text


def _hex_reference(m: re.Match[str]) -> str:
    name = m.group(1)
    if name[0] != "#":
        code = _NAMED_REFERENCES[name]
    else:
        code = int(name[2:], 16) if name[1] == "x" else int(name[1:])
    return f"&#X{code:X};"


def cap_elements(fragment: str, notes: set[str]) -> str:
    """Sanitised HTML with its elements past the first ELEMENTS_MAX dropped (their text
    kept; a line break where a block ended) and those still open there closed, so that
    the rest of a table row or list item stays whole."""
    if fragment.count("<") <= 2 * ELEMENTS_MAX:
        return fragment
    notes.add(NOTE_ELEMENTS)
    pieces: list[str] = []
    still_open: list[str] = []
    tags = 0
    for m in _TAG_OR_TEXT.finditer(fragment):
        piece = m.group()
        if piece[0] != "<":
            pieces.append(piece)
            continue
        name = _tag_name(piece)
        if tags >= 2 * ELEMENTS_MAX:
            pieces.append("\n" if name in _BLOCK_ELEMENTS else "")
            continue
        tags += 1
        pieces.append(piece)
        if piece[1] == "/":
            while still_open and still_open.pop() != name:
                pass
        elif name not in _EMPTY_ELEMENTS:
            still_open.append(name)
        if tags == 2 * ELEMENTS_MAX:
            pieces += [f"</{n}>" for n in reversed(still_open)]
    return "".join(pieces)


def _tag_name(tag: str) -> str:
    m = _TAG_NAME.match(tag)
    return m.group(1) if m else ""


# --- Markdown fields: one converter, bounded (markdown_bound), then sanitised ---------------

_bounds = _WorkBounds()
_md = markdown.Markdown(extensions=["tables", "sane_lists", _bounds], output_format="html")


def _markdown_html(source: str) -> str:
    """The field through bounded Markdown and nh3, stand-ins back to their characters."""
    _md.reset()
    if _OWN_NONCHARACTERS.search(source):
        source = _OWN_NONCHARACTERS.sub("\ufffd", source)
    return cap_elements(sanitize(_md.convert(source)), _bounds.budget.notes).translate(_RESTORE)


def markdown_notes(source: str) -> list[str]:
    """What the bound changes in this Markdown: the field converted as `prose_html` converts
    it, for validation to report where the field is written. Prose that cannot reach any
    limit (almost all: a test checks the screen, `markdown_bound._may_reach_a_limit`,
    against the bound) is not converted.
    """
    if not _may_reach_a_limit(source):
        return []
    _markdown_html(source)
    return sorted(_bounds.budget.notes)


def prose_html(source: str, inline: bool = False) -> Markup:
    """Render Markdown prose to safe HTML for embedding in a generated page.

    `inline` drops the paragraph wrapper and line breaks, for table cells and lists.
    """
    rendered = _markdown_html(source)
    if inline:
        rendered = re.sub(r"</p>\s*<p>", "<br>", rendered)
        rendered = re.sub(r"^<p>|</p>$", "", rendered.strip())
    rendered = protect_html(rendered)
    rendered = re.sub(r"\n+", " " if inline else "\n", rendered).strip()
    if inline and rendered.count("&") > REFERENCES_MAX:  # a list item or a table cell
        rendered = hex_references(rendered)
    return Markup(rendered)


#: anything that makes prose more than sentences and links for Python-Markdown (or that
#: the sanitiser re-writes, or that the bound replaces): such text takes the full path
_NOT_PLAIN = re.compile(
    r"[\\`*_{}\[\]<>&!|~^=$#\x00-\x1f\x7f-\xa0\u2028\u2029\ufdd0-\ufdef\ufffe\uffff]")
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
    if inline and body.count("&") > REFERENCES_MAX:  # as prose_html writes a long cell
        body = hex_references(body)
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
