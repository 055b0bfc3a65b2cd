"""Content text is data, never markup: escaping and sanitising for each place it lands.

- `md_text`: a string from content placed in Markdown (text, table cells, headings,
  link text, HTML attributes). HTML-escaped, Markdown punctuation turned into
  character references, line breaks and control characters folded to spaces.
- `prose_html`: a Markdown field rendered to HTML, then cleaned by nh3 with an
  allow-list (only http, https, mailto and relative links survive), then every text
  node and every attribute value re-protected (`protect_html`) so the page's own
  Markdown pass finds nothing in it to interpret. The Markdown it reads is bounded
  first (`_WorkBounds`): no field can make Python-Markdown quadratic.
- `svg_text`: a string placed in SVG text, `<title>` or an attribute (XML rules:
  no control characters at all, the five special characters escaped).
- `json_for_html`: a value serialised as JSON to embed in a page inside
  `<script type="application/json">`: nothing in it can close the element.
"""

from __future__ import annotations

import html
import json
import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element

import markdown
import nh3
from markdown import htmlparser as md_htmlparser
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString
from markupsafe import Markup

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
# cannot be written otherwise: a field's HTML keeps its first ELEMENTS_MAX elements.

REFERENCES_MAX = 200
ELEMENTS_MAX = 1000
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


# --- the work one Markdown field can cause (issue 11 item 5a) ------------------------------
#
# Python-Markdown looks for the end of a construct from each place one could begin: a `[`
# with no `]` after it is scanned to the end of its paragraph, once per link pattern; so
# are a `(` after `[text]` that never closes, a run of backticks with no run of the same
# length after it, and a tag the HTML block parser cannot close. Each inline element it
# makes copies its whole paragraph. Measured on 20 KB (Markdown 3.11, one core): `[` × 20,000
# took 57 s; `[x][` runs 19 s, `[x](<` 10 s, `![x](` 9 s, ``` ``x` ``` 6 s, `<a x="` 2 s; and
# 200 KB of `[a](b) ` 11 s. Lists nested a thousand deep raised RecursionError.
#
# So before Markdown reads a field, each construct that would be scanned to the end is taken
# out of play: its character is replaced by a stand-in (a Unicode noncharacter) that
# Markdown and nh3 leave alone, and that becomes the same character again, escaped, once the
# HTML is sanitised. For a construct that fails anyway (a `[` with no `]`) the page is
# unchanged. Where the bound changes what Markdown would have made (nesting past the
# limits below, more Markdown than MARKS_MAX, more raw tags than TAGS_MAX), it says so in
# `notes` (validate reports it as a warning where the field is written).

NEST_MAX = 16  #: list and quote levels: each level re-reads its lines, and Python recursion
BRACKET_DEPTH_MAX = 8  #: nested `[...]`: every level is scanned again by three link patterns
MARKS_MAX = 500  #: inline elements in one field: each copies its paragraph
RISKY_MAX = 8  #: backtick runs per field left to scan to the end (Markdown falls back on them)
SPLIT_WORK_MAX = 4_000_000  #: characters the block parser may go over again after splitting
#: a paragraph at a heading, rule, underline or link definition (some 0.2 µs each)
TAGS_MAX = 8  #: raw tags that do not close, per field: the HTML parser scans past each

_OUT_OF_PLAY = "[]()<>&*_\\`-+. #=\n"
_STAND_IN = {c: chr(0xFDD0 + i) for i, c in enumerate(_OUT_OF_PLAY)}
#: the noncharacters U+FDD0..U+FDEF are the stand-ins: in content they become U+FFFD
_OWN_NONCHARACTERS = re.compile("[\ufdd0-\ufdef]")
_RESTORE = str.maketrans({s: html.escape(c, quote=False) for c, s in _STAND_IN.items()})

NOTE_NESTING = f"lists or quotes nested deeper than {NEST_MAX} levels"
NOTE_BRACKETS = f"brackets nested deeper than {BRACKET_DEPTH_MAX} levels"
NOTE_MARKS = f"more than {MARKS_MAX} links, emphasis marks, code spans and entities"
NOTE_TAGS = f"more than {TAGS_MAX} HTML tags that do not close"
NOTE_BACKTICKS = f"more than {RISKY_MAX} backtick runs that close with a shorter run"
NOTE_QUOTES = "link addresses with a quote that does not close"
NOTE_BLOCK_STARTS = ("many headings, rules or link definitions inside one very long paragraph "
                     "(a blank line before and after each avoids it)")
NOTE_ELEMENTS = f"more than {ELEMENTS_MAX} paragraphs, list items, table cells and other elements"


@dataclass
class _Budget:
    """What the bound may still leave in play in the field being converted."""

    marks: int = MARKS_MAX
    risky: int = RISKY_MAX
    notes: set[str] = field(default_factory=set)

    def allow_risky(self) -> bool:
        """Whether one more backtick run that Python-Markdown scans to the end (and then
        falls back on, so taking it out would change the page) may stay: a few cost a few
        scans."""
        self.risky -= 1
        return self.risky >= 0


def _replace_at(text: str, positions: Iterator[int] | list[int]) -> str:
    chars = list(text)
    for i in positions:
        chars[i] = _STAND_IN[chars[i]]
    return "".join(chars)


# block level: nesting and raw tags, over the whole field

_HR = re.compile(r"^[ ]{0,3}(?=(?P<g>(-+[ ]{0,2}){3,}|(_+[ ]{0,2}){3,}|(\*+[ ]{0,2}){3,}))(?P=g)[ ]*$")
_CONTAINER = re.compile(r"(>)[ ]*|([-+*])[ ]+|\d{1,9}([.)])[ ]+")
_TAG_START = re.compile(r"<(?=[A-Za-z]|/[A-Za-z]|\?|!(?!--))")
#: what the HTML parser looks for after each kind of tag start (a comment's search it does
#: once: Python-Markdown remembers where it found none)
_CLOSERS = {"<?": "?>", "<![CDATA[": "]]>"}
_UNUSED = re.compile(r"&(?![#A-Za-z0-9])|<(?=[\s<>]|$)")
#: the start-tag pattern of Python-Markdown's HTML parser (its own patched copy of
#: html.parser, which the module does not export by name)
_START_TAG_READ: re.Pattern[str] = vars(md_htmlparser)["htmlparser"].locatestarttagend_tolerant


def cap_nesting(line: str, budget: _Budget) -> str:
    """A line whose list and quote markers (with its indentation, four spaces a level)
    would nest deeper than NEST_MAX: the first marker past it is taken out of play."""
    pos = len(line) - len(line.lstrip(" "))
    depth = pos // 4
    while (m := _CONTAINER.match(line, pos)) is not None:
        depth += 1
        if depth > NEST_MAX:
            if _HR.match(line):  # `- - - ...` is a rule, not lists
                return line
            budget.notes.add(NOTE_NESTING)
            return _replace_at(line, [m.start(m.lastindex or 1)])
        pos = m.end()
    return line


def cap_tags(text: str, budget: _Budget) -> str:
    """Raw tags that do not close, past the first TAGS_MAX, are shown as text.

    Python's HTML parser (under Python-Markdown's block parser) scans a tag it cannot close
    to the end of the field, then goes on one character later: `<a ` × 333,000 took 20 s
    with a hundred of them left, `<?` lines as long. A start tag with a `>` after it and no
    quote between (a fuzzed million strings found no exception), or whose attributes the
    parser's own pattern reads up to that `>`; an end tag or a declaration with a `>`
    after it; a processing instruction with a `?>`, a CDATA section with a `]]>`: each is
    read up to there and no further. Only the others count. And past 2 × ELEMENTS_MAX tags
    of any kind all are text: at each block-level one the parser copies the rest of the
    field (`<div>x</div>` × 77,000 lines took 11 s), and only ELEMENTS_MAX elements stay.
    """
    starts = [m.start() for m in _TAG_START.finditer(text)]
    if len(starts) <= TAGS_MAX:
        return text
    if len(starts) > 2 * ELEMENTS_MAX:  # each block-level one copies the rest of the field
        budget.notes.add(NOTE_ELEMENTS)
        text = _replace_at(text, starts[2 * ELEMENTS_MAX:])
        starts = starts[:2 * ELEMENTS_MAX]
    ends = {closer: [m.start() for m in re.finditer(re.escape(closer), text)]
            for closer in (">", *_CLOSERS.values())}
    out: list[int] = []
    read_to = 0  # the parser goes on after a tag it closes: the starts inside it are not tags
    for start in starts:
        if start < read_to:
            continue
        closer = next((c for s, c in _CLOSERS.items() if text.startswith(s, start)), ">")
        found = ends[closer]
        after = bisect_right(found, start)
        end = found[after] + len(closer) - 1 if after < len(found) else None
        if end is not None and (text[start + 1] in "/?!" or _start_tag_closes(text, start, end)):
            read_to = end + 1
        else:
            out.append(start)
    if len(out) <= TAGS_MAX:
        return text
    budget.notes.add(NOTE_TAGS)
    return _replace_at(text, out[TAGS_MAX:])


def _start_tag_closes(text: str, start: int, end: int) -> bool:
    """Whether the HTML parser reads the start tag at `start` up to the `>` at `end`."""
    tag = text[start:end + 1]
    if '"' not in tag and "'" not in tag:
        return True
    m = _START_TAG_READ.match(tag)
    return m is not None and m.end() == len(tag) - 1


def _unused_references_and_tags(text: str) -> str:
    """`&` and `<` that can start nothing (not followed by a name, a number, a tag or an
    address) out of play: the page is the same, and the HTML parser spends some 4 µs on
    each (a megabyte of `&` took 8 s)."""
    if "&" not in text and "<" not in text:
        return text
    return _replace_at(text, [m.start() for m in _UNUSED.finditer(text)])


_CONTAINERS = r"(?:[ ]*(?:>[ ]?|[-+*][ ]+|\d{1,9}[.)][ ]+))*[ ]{0,3}"
#: a line Python-Markdown's block parser splits its block at, each time copying the rest: a
#: `#` heading, a setext underline, a rule, a link definition (`# x` × 20,000 lines: 4.9 s)
_BLANK_LINE = re.compile(r"\n[ ]*(?=\n)")
_SPLITTING_LINE = re.compile("^" + _CONTAINERS + r"(?:(#)|([=-])[=-]*[ ]*$|([-*_])(?:[ ]*\3){2,}[ ]*$"
                          r"|(\[)[^\[\]]*\]:)", re.MULTILINE)


def cap_block_starts(text: str, budget: _Budget) -> str:
    """Headings, rules, underlines and link definitions past SPLIT_WORK_MAX are read as
    text: their first mark is taken out of play. Python-Markdown's block parser splits a
    paragraph at each and goes over the rest of it again, with every block processor
    (`# x` × 20,000 lines without a blank one: 4.9 s); so each costs what is left of its
    paragraph (up to the next blank line), and their sum is what is bounded."""
    found = [(m.start(), m.start(m.lastindex or 1)) for m in _SPLITTING_LINE.finditer(text)]
    if not found or len(text) * len(found) <= SPLIT_WORK_MAX:
        return text
    paragraph_ends = [m.start() for m in _BLANK_LINE.finditer(text)]
    out: list[int] = []
    work = 0
    for line, mark in found:
        after = bisect_right(paragraph_ends, line)
        work += (paragraph_ends[after] if after < len(paragraph_ends) else len(text)) - line
        if work > SPLIT_WORK_MAX:
            out.append(mark)
    if not out:
        return text
    budget.notes.add(NOTE_BLOCK_STARTS)
    return _replace_at(text, out)


_LEADING_MARKERS = re.compile(r"(?:[ ]*(?:>|[-+*]|\d{1,9}[.)])(?=[ ]|$))*")


def cap_lines(lines: list[str], budget: _Budget) -> list[str]:
    """Past the lines that may make 2 × ELEMENTS_MAX elements (one a paragraph or a raw
    block or heading begun, one a list or quote marker, one a table cell; a line that
    goes on a paragraph makes none), the rest of the field is one line: its line breaks
    are taken out of play (each comes back as a line break in the text). Python-Markdown
    moves every block to the front of a list and every element through another (133,000
    paragraphs took 11 s); the elements past ELEMENTS_MAX would be dropped anyway."""
    if len(lines) + sum(line.count("|") for line in lines) <= ELEMENTS_MAX:
        return lines
    made = 0
    after_blank = True
    for i, line in enumerate(lines):
        text = line.strip()
        starts = (after_blank and bool(text)) or text[:1] in ("#", "<")  # a paragraph, a block
        made += starts + line.count("|") + _leading_markers(line)
        after_blank = not text
        if made > 2 * ELEMENTS_MAX and i + 1 < len(lines):
            budget.notes.add(NOTE_ELEMENTS)
            return [*lines[:i], _STAND_IN["\n"].join(lines[i:])]
    return lines


def _leading_markers(line: str) -> int:
    m = _LEADING_MARKERS.match(line)
    return len(m.group().split()) if m else 0


class _BoundBlocks(Preprocessor):
    def __init__(self, md: markdown.Markdown, bounds: _WorkBounds) -> None:
        super().__init__(md)
        self.bounds = bounds

    def run(self, lines: list[str]) -> list[str]:
        budget = self.bounds.budget
        text = "\n".join(cap_nesting(line, budget) for line in cap_lines(lines, budget))
        text = cap_block_starts(cap_tags(_unused_references_and_tags(text), budget), budget)
        return text.split("\n")


# inline level: one element's text at a time, exactly the string Python-Markdown's inline
# patterns will read (after block parsing, before the `inline` treeprocessor)

_BACKTICK_RUN = re.compile(r"`+")
_BRACKET = re.compile(r"[\[\]]")
_PAREN = re.compile(r"[()]")
_QUOTE = re.compile(r"[\"']")
_QUOTE_CLOSE = re.compile(r"([\"'])[ ]*\)")
_ANGLE_LINK = re.compile(r"""\(\s*(<[^<>]*>)\s*(?:('[^']*'|"[^"]*")\s*)?\)""")
_MARK = re.compile(r"[\[<&*_]|  \n")
_ANY_MARK = re.compile(r"[\[`<&*_\\]|  \n")
_CAPPED = re.compile(r"[\[`<&*_\\]| ( )\n")


@dataclass
class _Unit:
    """One inline element's text as Python-Markdown's link patterns will see it: where its
    code spans lie and which characters an escape hides."""

    text: str
    visible: bytearray
    spans: list[tuple[int, int]]
    escapes: list[int]  # where a backslash escapes the next character (an inline element each)


def _code_spans(text: str, budget: _Budget) -> tuple[list[tuple[int, int]], list[int]]:
    """Python-Markdown's code spans in `text` (as `BacktickInlineProcessor.find_code_spans`
    of Markdown 3.11 finds them) and the backticks to take out of play.

    An opening run with no later run of its length is scanned to the end; with no shorter
    one there either it stays text and the search goes on twice its width further (so it
    can skip into the next run): those backticks are taken out of play, which leaves the
    page as it was. With a shorter one Markdown makes a code span of it (a fallback): past
    RISKY_MAX such runs are taken out of play too, which the notes say.
    """
    runs = [(m.start(), m.end()) for m in _BACKTICK_RUN.finditer(text)]
    by_length: dict[int, list[int]] = defaultdict(list)
    for idx, (s, e) in enumerate(runs):
        by_length[e - s].append(idx)
    longest = [(0, -1)] * (len(runs) + 1)  # the longest run after each index, and its first index
    for idx in range(len(runs) - 1, -1, -1):
        width = runs[idx][1] - runs[idx][0]
        longest[idx] = (width, idx) if width >= longest[idx + 1][0] else longest[idx + 1]
    spans: list[tuple[int, int]] = []
    out: list[int] = []
    resume = 0  # where Markdown's search for the next opening backtick goes on
    for idx, (s, e) in enumerate(runs):
        if e <= resume:
            continue
        start = resume if s < resume else s + _first_backtick_closed(text, s, resume, out)
        width = e - start
        same = by_length.get(width, [])
        after = bisect_right(same, idx)
        shorter, where = longest[idx + 1]
        if not width:
            continue
        if after < len(same):
            resume = runs[same[after]][1]
            spans.append((start, resume))
        elif 0 < shorter < width and budget.allow_risky():
            resume = runs[where][1]
            spans.append((e - shorter, resume))
        elif 0 < shorter < width:
            budget.notes.add(NOTE_BACKTICKS)
            out.extend(range(start, e))
            resume = e
        else:
            resume = start + 2 * width
            out.extend(_backticks_skipped(text, runs, idx, start, resume))
    return spans, out


def _backslashes_before(text: str, pos: int) -> int:
    start = pos
    while start > 0 and text[start - 1] == "\\":
        start -= 1
    return pos - start


def _first_backtick_closed(text: str, run_start: int, resume: int, out: list[int]) -> int:
    """1 when the run's first backtick cannot open a code span, else 0. The backslashes
    before it escape it when they are odd in number. When even, Markdown's backtick
    pattern takes them as escaped backslashes (and the backtick opens) only if its search
    reaches their start; if it goes on from inside them, the backtick is text and goes
    out of play, so that no longer search does otherwise."""
    count = _backslashes_before(text, run_start)
    if count % 2:
        return 1
    if count and run_start - count < resume:
        out.append(run_start)
        return 1
    return 0


def _backticks_skipped(text: str, runs: list[tuple[int, int]], idx: int, start: int,
                       resume: int) -> Iterator[int]:
    """The backticks from a failed opener at `start` up to `resume`, but an escaped one."""
    yield from range(start, min(runs[idx][1], resume))
    idx += 1
    while idx < len(runs) and runs[idx][0] < resume:
        s, e = runs[idx]
        yield from range(s + _backslashes_before(text, s) % 2, min(e, resume))
        idx += 1


def _read_unit(text: str, escapable: frozenset[str], budget: _Budget) -> _Unit:
    """The unit with its backtick runs that cannot make a code span out of play, and where
    its code spans and backslash escapes lie."""
    spans, out = _code_spans(text, budget)
    if out:
        text = _replace_at(text, out)
    visible = bytearray(b"\x01") * len(text)
    escapes: list[int] = []
    start = 0
    for span_start, span_end in [*spans, (len(text), len(text))]:
        visible[span_start:span_end] = bytes(span_end - span_start)
        pos = text.find("\\", start, span_start)
        while 0 <= pos < span_start - 1:
            if text[pos + 1] in escapable:
                visible[pos:pos + 2] = b"\x00\x00"
                escapes.append(pos)
            pos = text.find("\\", pos + 2, span_start)
        start = span_end
    return _Unit(text, visible, spans, escapes)


def _brackets(unit: _Unit, budget: _Budget) -> tuple[list[tuple[int, int]], list[int]]:
    """Matched `[` `]` pairs (as Python-Markdown's `getText` counts them) and the brackets
    to take out of play: a `[` with no `]` (each link pattern would scan to the end), and
    pairs nested deeper than BRACKET_DEPTH_MAX."""
    stack: list[int] = []
    pairs: list[tuple[int, int]] = []
    out: list[int] = []
    for m in _BRACKET.finditer(unit.text):
        pos = m.start()
        if not unit.visible[pos]:
            continue
        if m.group() == "[":
            stack.append(pos)
        elif stack:
            opener = stack.pop()
            if len(stack) >= BRACKET_DEPTH_MAX:
                out += (opener, pos)
                budget.notes.add(NOTE_BRACKETS)
            else:
                pairs.append((opener, pos))
    return pairs, out + stack


@dataclass
class _Parens:
    """What `LinkInlineProcessor.getLink` (Markdown 3.11) needs to know, found once per
    unit: which `)` matches each `(`, where the quotes are, and each `)` that follows a
    quote with spaces between at most (`getLink` ends a quoted title there)."""

    text: str
    match: dict[int, int]
    quotes: list[int]
    each_quote: dict[str, list[int]]
    close_quotes: dict[str, list[int]]
    close_parens: dict[str, list[int]]

    @classmethod
    def read(cls, unit: _Unit) -> _Parens:
        text, visible = unit.text, unit.visible
        match: dict[int, int] = {}
        stack: list[int] = []
        for m in _PAREN.finditer(text):
            if visible[m.start()]:
                if m.group() == "(":
                    stack.append(m.start())
                elif stack:
                    match[stack.pop()] = m.start()
        quotes = [m.start() for m in _QUOTE.finditer(text) if visible[m.start()]]
        each_quote: dict[str, list[int]] = {'"': [], "'": []}
        for q in quotes:
            each_quote[text[q]].append(q)
        close_quotes: dict[str, list[int]] = {'"': [], "'": []}
        close_parens: dict[str, list[int]] = {'"': [], "'": []}
        for m in _QUOTE_CLOSE.finditer(text):
            if visible[m.start()] and visible[m.end() - 1]:
                close_quotes[m.group(1)].append(m.start())
                close_parens[m.group(1)].append(m.end() - 1)
        return cls(text, match, quotes, each_quote, close_quotes, close_parens)

    def closes_after(self, quote: str, after: int) -> bool:
        """Whether a `)` follows a `quote` that stands after position `after`."""
        return bisect_right(self.close_quotes[quote], after) < len(self.close_quotes[quote])

    def ends(self, paren: int) -> bool | None:
        """Whether `getLink` from the `(` at `paren` stops before the end of the unit: True
        when it does, False when it fails (no `)` for it), None when it runs on into a
        quoted title that never closes (and may still fall back on a link there)."""
        closing = self.match.get(paren)
        q = bisect_right(self.quotes, paren)
        if q == len(self.quotes) or (closing is not None and closing < self.quotes[q]):
            return closing is not None
        first = self.quotes[q]
        quote = self.text[first]
        if self.closes_after(quote, first):
            return True
        other = self.each_quote["'" if quote == '"' else '"']
        alt = bisect_right(other, first)  # getLink's second quote, closed by its next occurrence
        return True if alt < len(other) and self.closes_after(self.text[other[alt]], other[alt]) else None


def _link_parens(unit: _Unit, pairs: list[tuple[int, int]], budget: _Budget) -> list[int]:
    """The `(` after a `[text]` whose `getLink` would scan to the end of the unit, out of
    play: the page is unchanged when it fails there anyway; when it runs into a quoted
    title that never closes, Markdown may make a link of what comes before (or of nearly
    the whole unit: the end it falls back on counts every later parenthesis), which the
    notes say."""
    text = unit.text
    parens: _Parens | None = None
    out: list[int] = []
    for _, close in pairs:
        paren = close + 1
        if paren >= len(text) or text[paren] != "(" or not unit.visible[paren]:
            continue
        if _ANGLE_LINK.match(text, paren):
            continue
        parens = parens or _Parens.read(unit)
        ends = parens.ends(paren)
        if ends is None:
            budget.notes.add(NOTE_QUOTES)
        if not ends:
            out.append(paren)
    return out


def _cap_marks(unit: _Unit, budget: _Budget) -> str | None:
    """Past the field's MARKS_MAX-th inline element (code span, escape, link, tag, entity,
    emphasis, line break) every mark is taken out of play: each element Python-Markdown
    makes copies its whole paragraph. None when the unit fits in what is left."""
    marks = [m.start() for m in _MARK.finditer(unit.text) if unit.visible[m.start()]]
    marks += [s for s, _ in unit.spans] + unit.escapes
    if len(marks) <= budget.marks:
        budget.marks -= len(marks)
        return None
    cut = sorted(marks)[budget.marks]
    budget.marks = 0
    budget.notes.add(NOTE_MARKS)
    return _replace_at(unit.text, [m.start(1) if m.group(1) else m.start() for m in
                                   _CAPPED.finditer(unit.text, cut)])


def _out_of_play(unit: _Unit, budget: _Budget) -> _Unit:
    """The unit with its brackets and link parentheses that would be scanned to the end
    out of play (stand-ins keep every position, so the unit's map still holds)."""
    pairs, out = _brackets(unit, budget)
    out += _link_parens(unit, pairs, budget)
    if out:
        unit.text = _replace_at(unit.text, out)
    return unit


def bound_unit(text: str, escapable: frozenset[str], budget: _Budget) -> str:
    """One inline element's text, with every construct that Python-Markdown would scan to
    its end taken out of play, and the field's inline elements capped at MARKS_MAX."""
    if not _ANY_MARK.search(text):
        return text
    unit = _out_of_play(_read_unit(text, escapable, budget), budget)
    capped = _cap_marks(unit, budget)
    if capped is None:
        return unit.text
    return _out_of_play(_read_unit(capped, escapable, budget), budget).text  # what the cap left open


class _BoundInline(Treeprocessor):
    def __init__(self, md: markdown.Markdown, bounds: _WorkBounds) -> None:
        super().__init__(md)
        self.bounds = bounds

    def run(self, root: Element) -> None:
        escapable = frozenset(self.md.ESCAPED_CHARS)
        budget = self.bounds.budget
        for el in root.iter():
            if el is root:
                continue
            if el.text and not isinstance(el.text, AtomicString):
                el.text = bound_unit(el.text, escapable, budget)
            if el.tail and not isinstance(el.tail, AtomicString):
                el.tail = bound_unit(el.tail, escapable, budget)


class _WorkBounds(Extension):
    """Registers the two bounds: block level before the HTML block parser, inline level
    before the inline patterns. `budget` is fresh for every field (`reset`)."""

    def __init__(self) -> None:
        super().__init__()
        self.budget = _Budget()

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.register(_BoundBlocks(md, self), "dossier_bound_blocks", 25)
        md.treeprocessors.register(_BoundInline(md, self), "dossier_bound_inline", 25)
        md.registerExtension(self)

    def reset(self) -> None:
        self.budget = _Budget()


_bounds = _WorkBounds()
_md = markdown.Markdown(extensions=["tables", "sane_lists", _bounds], output_format="html")


def _markdown_html(source: str) -> str:
    """The field through bounded Markdown and nh3, stand-ins back to their characters."""
    _md.reset()
    if _OWN_NONCHARACTERS.search(source):
        source = _OWN_NONCHARACTERS.sub("\ufffd", source)
    return cap_elements(sanitize(_md.convert(source)), _bounds.budget.notes).translate(_RESTORE)


#: a line that could nest past NEST_MAX: levels are four spaces of indentation each, then
#: one a marker, so one of the two is at least half of it
_DEEP_LINE = re.compile(rf"^(?:[ ]{{{4 * (NEST_MAX // 2)}}}|[ ]*(?:(?:>|[-+*]|\d{{1,9}}[.)])[ ]*)"
                        rf"{{{NEST_MAX // 2 + 1}}})", re.MULTILINE)


def markdown_notes(source: str) -> list[str]:
    """What the bound changes in this Markdown: the field converted as `prose_html` converts
    it, for validation to report where the field is written. Prose that cannot reach any
    limit (almost all: a test checks the screen below against the bound) is not converted.
    """
    if not _may_reach_a_limit(source):
        return []
    _markdown_html(source)
    return sorted(_bounds.budget.notes)


def _may_reach_a_limit(text: str) -> bool:
    """A cheap screen: False only when no note of the bound can apply to `text` (validate
    runs it on every Markdown field: a handful of str.count on most)."""
    return (text.count("<") > TAGS_MAX or text.count("``") > RISKY_MAX
            or ("](" in text and ('"' in text or "'" in text))
            or (text.count("[") > BRACKET_DEPTH_MAX and _bracket_depth(text) > BRACKET_DEPTH_MAX)
            or (_deep_line_possible(text) and _DEEP_LINE.search(text) is not None)
            or (len(text) > min(MARKS_MAX, ELEMENTS_MAX) // 2 and _many_elements(text))
            # a split costs at most the text's length, and there is at most one a line
            or (len(text) ** 2 > SPLIT_WORK_MAX and _SPLITTING_LINE.search(text) is not None))


def _deep_line_possible(text: str) -> bool:
    """A line nests past NEST_MAX only with 32 spaces of indentation or 9 markers."""
    return " " * 32 in text or sum(text.count(c) for c in ">-+*.)") > NEST_MAX // 2


#: where elements come from: a line (a paragraph, a row), a list or quote marker, a table
#: cell, an inline mark; each makes at most two
_ELEMENT_SOURCE = re.compile(r"[\n\[`<&*_\\|>]|[-+*.)] ")


def _many_elements(text: str) -> bool:
    """Whether `text` may make more inline elements or elements than the bound lets through."""
    return 2 * len(_ELEMENT_SOURCE.findall(text)) + 6 > min(MARKS_MAX, ELEMENTS_MAX)


def _bracket_depth(text: str) -> int:
    depth = deepest = 0
    for m in _BRACKET.finditer(text):
        depth = depth + 1 if m.group() == "[" else max(depth - 1, 0)
        deepest = max(deepest, depth)
    return deepest


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
