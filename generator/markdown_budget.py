"""The bound on the work one Markdown field can cause (issue 11 item 5a): what it may leave in play.

Python-Markdown looks for the end of a construct from each place one could begin: a `[`
with no `]` after it is scanned to the end of its paragraph, once per link pattern; so
are a `(` after `[text]` that never closes, a run of backticks with no run of the same
length after it, and a tag the HTML block parser cannot close. Each inline element it
makes copies its whole paragraph. Measured on 20 KB (Markdown 3.11, one core): `[` × 20,000
took 57 s; `[x][` runs 19 s, `[x](<` 10 s, `![x](` 9 s, ``` ``x` ``` 6 s, `<a x="` 2 s; and
200 KB of `[a](b) ` 11 s. Lists nested a thousand deep raised RecursionError.

So before Markdown reads a field, each construct that would be scanned to the end is taken
out of play: its character is replaced by a stand-in (a Unicode noncharacter) that
Markdown and nh3 leave alone, and that becomes the same character again, escaped, once the
HTML is sanitised. For a construct that fails anyway (a `[` with no `]`) the page is
unchanged. Where the bound changes what Markdown would have made (nesting past the
limits below, more Markdown than MARKS_MAX, more raw tags than TAGS_MAX), it says so in
`notes` (validate reports it as a warning where the field is written).

The bound works at two levels, a module each: `markdown_bound` reads the whole field
before the block parser (and registers both levels as one Markdown extension),
`markdown_inline_bound` one inline element's text before the inline patterns. This
module is what both share: the limits, the notes, the budget a field spends and the
stand-ins. `escape` converts fields through the bound (`prose_html`, `markdown_notes`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

NEST_MAX = 16  #: list and quote levels: each level re-reads its lines, and Python recursion
BRACKET_DEPTH_MAX = 8  #: nested `[...]`: every level is scanned again by three link patterns
MARKS_MAX = 500  #: inline elements in one field: each copies its paragraph
RISKY_MAX = 8  #: backtick runs per field left to scan to the end (Markdown falls back on them)
SPLIT_WORK_MAX = 4_000_000  #: characters the block parser may go over again after splitting
#: a paragraph at a heading, rule, underline or link definition (some 0.2 µs each)
TAGS_MAX = 8  #: raw tags that do not close, per field: the HTML parser scans past each
ELEMENTS_MAX = 1000  #: elements a field's HTML keeps: each copies its cell or the rest of the field

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
    """`text` with the character at each of `positions` out of play: a stand-in is one
    character too, so every position found in the text before still holds."""
    chars = list(text)
    for i in positions:
        chars[i] = _STAND_IN[chars[i]]
    return "".join(chars)
