"""The bound at the block level (issue 11 item 5a), and the Markdown extension that runs
the whole bound on a field.

Before Python-Markdown's block parser reads a field, `_BoundBlocks` (a preprocessor) takes
out of play, over the whole field: list and quote markers nested past NEST_MAX (each level
re-reads its lines; a thousand levels raised RecursionError); raw tags the HTML parser
cannot close, past TAGS_MAX (`<a ` × 333,000 took 20 s); `&` and `<` that start nothing
(a megabyte of `&` took 8 s); headings, rules, underlines and link definitions past
SPLIT_WORK_MAX characters of re-reading (`# x` × 20,000 lines: 4.9 s); and the lines after
those that make 2 × ELEMENTS_MAX elements (133,000 paragraphs took 11 s). After block
parsing, `_BoundInline` bounds each inline element's text (`markdown_inline_bound`).
`_WorkBounds` registers both, with a fresh budget (`markdown_budget`) for every field.
`_may_reach_a_limit` is validate's cheap screen: a field it says False for cannot reach a
note of the bound, and is not converted.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from xml.etree.ElementTree import Element

import markdown
from markdown import htmlparser as md_htmlparser
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from .markdown_budget import (
    _STAND_IN,
    BRACKET_DEPTH_MAX,
    ELEMENTS_MAX,
    MARKS_MAX,
    NEST_MAX,
    NOTE_BLOCK_STARTS,
    NOTE_ELEMENTS,
    NOTE_NESTING,
    NOTE_TAGS,
    RISKY_MAX,
    SPLIT_WORK_MAX,
    TAGS_MAX,
    _Budget,
    _replace_at,
)
from .markdown_inline_bound import _BRACKET, bound_unit

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


# --- the extension: where each level runs in Python-Markdown ------------------------------

class _BoundBlocks(Preprocessor):
    """The block-level caps on the whole field: registered at 25, after whitespace is
    normalised (30) and before the HTML block parser (20)."""

    def __init__(self, md: markdown.Markdown, bounds: _WorkBounds) -> None:
        super().__init__(md)
        self.bounds = bounds

    def run(self, lines: list[str]) -> list[str]:
        budget = self.bounds.budget
        text = "\n".join(cap_nesting(line, budget) for line in cap_lines(lines, budget))
        text = cap_block_starts(cap_tags(_unused_references_and_tags(text), budget), budget)
        return text.split("\n")


class _BoundInline(Treeprocessor):
    """`bound_unit` on every element's text and tail: registered at 25, after block parsing
    and before the inline patterns (`inline`, 20)."""

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


# --- validate's cheap screen: may any note of the bound apply? ----------------------------

#: a line that could nest past NEST_MAX: levels are four spaces of indentation each, then
#: one a marker, so one of the two is at least half of it
_DEEP_LINE = re.compile(rf"^(?:[ ]{{{4 * (NEST_MAX // 2)}}}|[ ]*(?:(?:>|[-+*]|\d{{1,9}}[.)])[ ]*)"
                        rf"{{{NEST_MAX // 2 + 1}}})", re.MULTILINE)


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
