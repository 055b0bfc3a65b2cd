"""Where the labels of a network picture go: measured, truncated, placed without collisions.

A label is a box: its width estimated from per-character advance widths, its height
from the font's ascent and descent. Node labels are placed first, most connected node
first (the picture's centre before all), each at the first of eight candidate spots
around its circle where its box stays inside the canvas and touches no circle and no
label placed before it: the full name if it fits anywhere, else the longest run of
whole words with "…", else the label is hidden (the picture's stylesheet shows it while
its node is hovered or focused). Edge labels come next, at the first free spot along
their line, or hidden (shown while the line is hovered).

Measured on the default dossier before this pass (1280 px): 51 of 113 pictures had
overlapping labels (300 pairs), 203 of 1,592 labels were cut at a fixed 34 characters
whether or not there was room. The test suite measures the built pages in Chromium.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import NamedTuple

#: Advance widths of the printable ASCII characters (space to "~"), in thousandths of an
#: em. Measured in Chromium (canvas `measureText` at 1000 px) with the site's font stack
#: (`-apple-system, BlinkMacSystemFont, Helvetica, Arial, sans-serif`), which resolves to
#: Liberation Sans on Linux: the widths are Helvetica's and Arial's (the same AFM metrics).
_ASCII = (
    "278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 556 556 556 556 556 556 "
    "556 556 556 556 278 278 584 584 584 556 1015 667 667 722 722 667 611 778 722 278 500 "
    "667 556 833 722 778 667 778 722 667 611 722 667 944 667 667 611 278 278 278 469 556 "
    "333 556 556 500 556 556 278 556 556 222 222 500 222 833 556 556 556 556 333 500 278 "
    "556 500 722 500 500 500 334 260 334 584"
)
ASCII_WIDTHS: dict[str, int] = {chr(32 + i): int(w) for i, w in enumerate(_ASCII.split())}
#: Punctuation the pictures draw themselves (arrows, the ellipsis) and common typography,
#: measured the same way.
PUNCTUATION_WIDTHS = {"→": 1000, "←": 1000, "↑": 500, "↓": 500, "…": 1000, "–": 556, "—": 1000,
                      "‘": 222, "’": 222, "“": 333, "”": 333}
#: A letter outside ASCII with no ASCII base letter (Cyrillic, Greek...), small and
#: capital: Liberation Sans sets Cyrillic small letters at 500-802 ("а" 556, "ш" 802),
#: capitals at 611-923 ("П" 719, "Ж" 923); "Патрушев Николай Платонович" is 14,722 at
#: 1000 px, estimated at 16,239.
OTHER_WIDTH, OTHER_CAPITAL_WIDTH = 560, 720
#: East Asian wide and full-width characters take a full em.
WIDE_WIDTH = 1000
#: Other system fonts set the same text wider (San Francisco on a Mac is about 6 % wider
#: than Helvetica): every estimate is scaled by this, so a label never outgrows its box.
SAFETY = 1.08
#: The font's ascent and descent, in em (Liberation Sans: 0.905 and 0.212).
ASCENT, DESCENT = 0.92, 0.22
#: Space between a circle and its label, and around every box, in canvas units.
GAP = 3.0
PAD = 1.0
ELLIPSIS = "…"
_WORD = re.compile(r"[^\s\-–—/]+")


@functools.lru_cache(maxsize=1 << 12)
def _char_width(ch: str) -> int:
    width = ASCII_WIDTHS.get(ch) or PUNCTUATION_WIDTHS.get(ch)
    if width is not None:
        return width
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return WIDE_WIDTH
    if unicodedata.combining(ch):
        return 0
    base = unicodedata.normalize("NFKD", ch)[:1]  # "é" is as wide as "e"
    if base != ch and base in ASCII_WIDTHS:
        return ASCII_WIDTHS[base]
    return OTHER_CAPITAL_WIDTH if ch.isupper() else OTHER_WIDTH


def text_width(text: str, size: float) -> float:
    """The estimated width of `text` set at `size` canvas units (see `ASCII_WIDTHS`)."""
    return _ems(text) * size * SAFETY / 1000


@functools.lru_cache(maxsize=1 << 15)  # names recur on many pictures
def _ems(text: str) -> int:
    return sum(_char_width(c) for c in text)


def shortened(text: str) -> Iterator[str]:
    """The beginnings of `text` a label may show, longest first: all of it, then its
    first words (split at spaces and dashes, trailing punctuation dropped, no bracket
    left open). Each is a prefix of `text`; the drawing adds "…".

    Never part of a word: a link's visible text must be whole words of its name, or
    axe-core's label-content-name-mismatch (serious) fails, and so it does for "Meeting
    on Venezuela (January…", since it reads a name without its brackets' content."""
    yield text
    ends = [m.end() for m in _WORD.finditer(text)]
    for end in reversed(ends[:-1]):
        head = text[:end].rstrip(",;:–-— ")
        if head and head.count("(") == head.count(")"):
            yield head


class Box(NamedTuple):
    left: float
    top: float
    right: float
    bottom: float

    def hits(self, other: Box) -> bool:
        return (self.left < other.right and other.left < self.right
                and self.top < other.bottom and other.top < self.bottom)


class _Boxes:
    """The boxes placed so far on a canvas of `width` × `height`, in a grid of cells: a new
    box is checked only against those sharing a cell (a 150-node picture tries about 2,500
    candidate boxes against some 400 placed ones).

    Written for speed: `take` checks the canvas, finds the cells once, tests each overlap
    inline and adds the box, in one call with the box's four sides as arguments. A profile
    tries about 40 candidate boxes for each of its two pictures; with a call per step, a
    box object per candidate and a method call per pair, placing labels was a quarter of
    a picture's time (1.2 of 4.7 s under cProfile for the 1,000 profiles of the benchmark
    dossier). Any rounding of a coordinate to its cell that never decreases finds every
    overlap: two boxes that overlap share a cell."""

    #: a cell's side, in canvas units: most labels are wider than 48 (each box then sat in
    #: several cells, each a list to look in); at 144 the ego pictures took 9% fewer
    #: instructions and the network pages 5% fewer than at 48, at 240 no fewer again
    CELL = 144.0

    def __init__(self, width: float, height: float) -> None:
        self.width, self.height = width, height
        self._cells: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}

    def _cells_of(self, left: float, top: float, right: float, bottom: float) -> list[tuple[int, int]]:
        c = self.CELL
        x0, x1, y0, y1 = int(left // c), int(right // c), int(top // c), int(bottom // c)
        if x0 == x1 and y0 == y1:
            return [(x0, y0)]
        return [(gx, gy) for gx in range(x0, x1 + 1) for gy in range(y0, y1 + 1)]

    def add(self, box: tuple[float, float, float, float]) -> None:
        """Add `box` (a circle's) wherever it lies."""
        cells = self._cells
        for cell in self._cells_of(*box):
            found = cells.get(cell)
            if found is None:
                cells[cell] = [box]
            else:
                found.append(box)

    def take(self, left: float, top: float, right: float, bottom: float) -> bool:
        """Add the box if it lies inside the canvas and overlaps none of the boxes placed
        so far; whether it did."""
        if left < 0 or top < 0 or right > self.width or bottom > self.height:
            return False
        cells = self._cells
        keys = self._cells_of(left, top, right, bottom)
        for cell in keys:
            for other in cells.get(cell, ()):
                if left < other[2] and other[0] < right and top < other[3] and other[1] < bottom:
                    return False
        box = (left, top, right, bottom)
        for cell in keys:
            found = cells.get(cell)
            if found is None:
                cells[cell] = [box]
            else:
                found.append(box)
        return True


class Placed(NamedTuple):
    """A label as drawn: its anchor point and `text-anchor`, the text shown (the full
    text, or a beginning of it that is drawn followed by "…"), or `shown` false when
    there was no room. A tuple, not a frozen dataclass, whose every field is set through
    `object.__setattr__`: a profile's two pictures place some fifty labels."""

    x: float
    y: float  # the baseline
    anchor: str  # "start", "middle" or "end"
    text: str
    shown: bool = True


class Spot(NamedTuple):
    """A node to label: its centre, radius and full label."""

    x: float
    y: float
    r: float
    text: str


class Segment(NamedTuple):
    """A line to label: its two ends and its words."""

    x1: float
    y1: float
    x2: float
    y2: float
    text: str


#: where along its line an edge label may sit, first choice first
ALONG = (0.5, 0.4, 0.6, 0.3, 0.7, 0.25, 0.75)


Candidate = tuple[float, float, str]


@functools.lru_cache(maxsize=1 << 12)  # a radial picture's places recur (see graph_edges._line)
def _around(x: float, y: float, r: float, size: float, outward: float) -> tuple[Candidate, ...]:
    """Candidate (x, baseline, anchor) around a circle, the side facing away from the
    picture's middle first (`outward` > 0: the node is right of it)."""
    mid = y + (ASCENT - DESCENT) * size / 2  # a baseline that centres the text on the circle
    above, below = y - r - GAP - DESCENT * size, y + r + GAP + ASCENT * size
    d = r * 0.7
    right = [(x + r + GAP, mid, "start"), (x + d, above, "start"), (x + d, below, "start")]
    left = [(x - r - GAP, mid, "end"), (x - d, above, "end"), (x - d, below, "end")]
    sides = right + left if outward >= 0 else left + right
    return (sides[0], sides[3], (x, above, "middle"), (x, below, "middle"), *sides[1:3], *sides[4:])


class LabelPlacer:
    """Places the labels of one picture of `width` × `height` whose circles are `spots`:
    every box it accepts stays inside the canvas and clear of every circle and of every
    box accepted before it."""

    def __init__(self, spots: dict[str, Spot], width: float, height: float) -> None:
        self.spots, self.width, self.height = spots, width, height
        self._boxes = _Boxes(width, height)
        for s in spots.values():
            self._boxes.add(Box(s.x - s.r - PAD, s.y - s.r - PAD, s.x + s.r + PAD, s.y + s.r + PAD))

    def nodes(self, order: Iterable[str], size: float, centre: str | None = None) -> dict[str, Placed]:
        """A place for the label of each node, in priority `order`; the `centre` of a
        picture tries above and below its circle first."""
        out: dict[str, Placed] = {}
        for i in order:
            s = self.spots[i]
            candidates = _around(s.x, s.y, s.r, size, s.x - self.width / 2)
            if i == centre:
                candidates = tuple(sorted(candidates, key=lambda c: c[2] != "middle"))
            out[i] = self._node(s, candidates, size)
        return out

    def _node(self, s: Spot, candidates: tuple[Candidate, ...], size: float) -> Placed:
        """The longest beginning of the label that fits at any candidate: a full name
        anywhere beats a shortened one at the preferred side."""
        ascent, descent, take = ASCENT * size, DESCENT * size, self._boxes.take
        for text in shortened(s.text):
            w = text_width(text if text == s.text else text + ELLIPSIS, size)
            for x, baseline, anchor in candidates:  # the label's box, by its anchor
                left = x if anchor == "start" else x - w if anchor == "end" else x - w / 2
                if take(left - PAD, baseline - ascent - PAD, left + w + PAD, baseline + descent + PAD):
                    return Placed(x, baseline, anchor, text)
        x, baseline, anchor = candidates[0]
        return Placed(x, baseline, anchor, s.text, shown=False)

    def edges(self, segments: Iterable[Segment], size: float,
              along: tuple[float, ...] = ALONG) -> list[Placed]:
        """A place along each line for its words (never shortened: the words are few),
        or `shown` false."""
        out = []
        ascent, descent, take = ASCENT * size, DESCENT * size, self._boxes.take
        centring = (ASCENT - DESCENT) * size / 2
        for seg in segments:
            w = text_width(seg.text, size)
            for t in along:
                x = seg.x1 + (seg.x2 - seg.x1) * t
                baseline = seg.y1 + (seg.y2 - seg.y1) * t + centring
                left = x - w / 2  # the words' box, centred on the line
                if take(left - PAD, baseline - ascent - PAD, left + w + PAD, baseline + descent + PAD):
                    out.append(Placed(x, baseline, "middle", seg.text))
                    break
            else:
                out.append(Placed((seg.x1 + seg.x2) / 2, (seg.y1 + seg.y2) / 2, "middle", seg.text,
                                  shown=False))
        return out
