"""The bound at the inline level (issue 11 item 5a): one inline element's text, with what
Python-Markdown's inline patterns would scan to its end taken out of play.

`bound_unit` reads exactly the string the inline patterns will read (after block parsing,
before the `inline` treeprocessor: `markdown_bound` runs it on every element's text and
tail): where its code spans lie (as `BacktickInlineProcessor.find_code_spans` finds them),
which characters a backslash escapes, which `[` `]` pair up (as `getText` counts them) and
where `getLink` stops after a `(`. The figures that justified it, on 20 KB (Markdown 3.11,
one core): `[` × 20,000 took 57 s; `[x][` runs 19 s, `[x](<` 10 s, `![x](` 9 s, ``` ``x` ```
6 s; 200 KB of `[a](b) ` 11 s. A module of its own because mirroring those searches is most
of the bound's code, and all of it that follows Markdown 3.11's inline patterns; the
limits, notes, budget and stand-ins it shares with the block level are in `markdown_budget`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from .markdown_budget import (
    BRACKET_DEPTH_MAX,
    NOTE_BACKTICKS,
    NOTE_BRACKETS,
    NOTE_MARKS,
    NOTE_QUOTES,
    _Budget,
    _replace_at,
)

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
