"""A visual timeline drawn at build time as SVG.

Marks are placed on a year axis by the interval their date stands for: a day is a
dot, a month or a year (a partial date) a bar across that month or year, so
`2019` spans the whole year and sorts before `2019-04` and `2019-04-25` (see
`dates.PartialDate`). Approximate dates (`circa`) are drawn hollow. Marks that
would overlap go to the next lane. Every mark links to its page and carries its
date and label as text; every string is escaped. Like the network pictures, the
SVG is a named `role="figure"` so that its links stay reachable.

Each mark is labelled beside it (its name, cut with "…" past LABEL_MAX), and a mark
and its label take their lane together, so no two labels meet; a label's width is
estimated on the generous side (`text_width`), since the browser's own measure is not
known at build time. Past MAX_LANES a band's marks lose their labels rather than grow
the picture without end.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from .dates import PartialDate
from .graph import x

MAX_LANES = 40  # lanes of one band: a mark and its label each
LABEL_FONT = 11  # px, as tables.css draws `.dt-label`
LABEL_MAX = 200  # px: a longer label is cut with "…"
LABEL_GAP = 4  # px between a mark and its label, and between neighbours in a lane
LABEL_MIN = 40  # px: a label with less room than this is left out (the mark keeps its title)

_NARROW = set("ijlI.,:;'|!ftr()[] ")
_WIDE = set("mwMW@%—")


def _char_em(ch: str) -> float:
    if ch in _NARROW:
        return 0.34
    if ch in _WIDE:
        return 0.95
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.05
    return 0.8 if ch.isupper() else 0.6


def text_width(text: str, font: float = LABEL_FONT) -> float:
    """The width of `text` in px, estimated on the generous side: per character, the
    widest of its class in Liberation Sans/Arial (the fonts Chromium uses for the site's
    sans-serif on Linux) plus a margin: narrow letters 0.34 em (Arial's are 0.22-0.33),
    m/w and the like 0.95 (0.83-0.94), capitals 0.8 (at most 0.78), other letters and
    digits 0.6 (at most 0.56), and East Asian wide characters 1.05 (1.0). Measured in
    Chromium on the default dossier's labels: 0.85-0.94 of this estimate."""
    return sum(_char_em(ch) for ch in text) * font


def fitted(text: str, room: float, font: float = LABEL_FONT) -> str:
    """`text` whole if it fits in `room` px, else cut at a word (or a character) and "…".

    One pass over the characters that fit, never the whole of a long name."""
    limit = room / font
    widths = [0.0]  # widths[n]: the first n characters' width, in em
    for ch in text:
        widths.append(widths[-1] + _char_em(ch))
        if widths[-1] > limit:
            break
    else:
        return text
    end = len(widths) - 1
    while end and widths[end] > limit - _char_em("…"):
        end -= 1
    cut = text[:end]
    words = cut.rsplit(" ", 1)[0] if " " in cut.strip() else cut
    return (words.rstrip(" ,;:–-") or cut) + "…" if cut else ""


@dataclass(frozen=True)
class _Placed:
    """A mark's place in its band: its lane, its extent, and its label (None: no room)."""

    lane: int
    x1: float
    x2: float
    label: str | None = None
    label_x: float = 0.0
    anchor: str = "start"


class _Lanes:
    """The lanes of one band: the spans (mark and label together) each lane holds."""

    def __init__(self, left: float, right: float) -> None:
        self.spans: list[list[tuple[float, float]]] = []
        self.left, self.right = left, right

    def free(self, lane: int, a: float, b: float) -> bool:
        return all(b + LABEL_GAP <= s or a >= e + LABEL_GAP for s, e in self.spans[lane])

    def place(self, x1: float, x2: float, text: str) -> _Placed:
        """A lane for a mark at [x1, x2] with its label to the right, else to the left,
        else inside it (a bar across the picture), else cut to the room left on the
        right; past MAX_LANES, the mark alone, in the lane where it meets the fewest."""
        label = fitted(text, LABEL_MAX)
        w = text_width(label)
        options = []  # (span start, span end, label, label's x, text-anchor)
        if x2 + LABEL_GAP + w <= self.right:
            options.append((x1, x2 + LABEL_GAP + w, label, x2 + LABEL_GAP, "start"))
        if x1 - LABEL_GAP - w >= self.left:
            options.append((x1 - LABEL_GAP - w, x2, label, x1 - LABEL_GAP, "end"))
        if not options and x2 - x1 >= w + 2 * LABEL_GAP:  # a bar across the picture: inside
            options.append((x1, x2, label, x1 + LABEL_GAP, "start"))  # (text has a halo, dossier.css)
        room = self.right - x2 - LABEL_GAP
        if not options and room >= LABEL_MIN:
            cut = fitted(text, room)
            options.append((x1, x2 + LABEL_GAP + text_width(cut), cut, x2 + LABEL_GAP, "start"))
        existing = range(len(self.spans))
        found = next(((lane, o) for o in options for lane in existing if self.free(lane, o[0], o[1])), None)
        if found is None and options and len(self.spans) < MAX_LANES:
            self.spans.append([])
            found = (len(self.spans) - 1, options[0])
        if found is not None:
            lane, (a, b, shown, at, anchor) = found
            self.spans[lane].append((a, b))
            return _Placed(lane, x1, x2, shown, at, anchor)
        lane = self._lane_without_label(x1, x2)
        self.spans[lane].append((x1, x2))
        return _Placed(lane, x1, x2)

    def _lane_without_label(self, x1: float, x2: float) -> int:
        for lane in range(len(self.spans)):
            if self.free(lane, x1, x2):
                return lane
        if len(self.spans) < MAX_LANES:
            self.spans.append([])
            return len(self.spans) - 1
        return min(range(len(self.spans)), key=lambda k: sum(
            1 for s, e in self.spans[k] if not (x2 <= s or x1 >= e)))


@dataclass(frozen=True)
class Mark:
    date: PartialDate
    label: str
    href: str
    circa: bool = False
    end: PartialDate | None = None


@dataclass(frozen=True)
class Band:
    label: str
    css: str  # class suffix: colour of the band's marks
    marks: list[Mark]


def _tick_step(years: int) -> int:
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500):
        if years / step <= 16:
            return step
    return 1000


def _fraction(d: dt.date) -> float:
    start = dt.date(d.year, 1, 1)
    days = (dt.date(d.year + 1, 1, 1) - start).days
    return d.year + (d - start).days / days


@dataclass(frozen=True)
class Axis:
    """Years `first`..`last` mapped onto x from `left` to `width - right`, ticks every `step`."""

    first: int
    last: int
    step: int
    width: int
    left: int = 110
    right: int = 20

    @classmethod
    def spanning(cls, first: int, last: int, width: int) -> Axis:
        step = _tick_step(last - first + 1)
        first -= first % step
        last = last + step - (last % step) if (last + 1) % step else last + 1
        return cls(first, last, step, width)

    def at(self, t: float) -> float:
        scale = (self.width - self.left - self.right) / max(self.last - self.first, 1)
        return self.left + (t - self.first) * scale

    def draw(self, y: int) -> list[str]:
        ticks = [f'<line class="dt-axis" x1="{self.left}" y1="{y}" x2="{self.width - self.right}" '
                 f'y2="{y}"/>']
        for year in range(self.first, self.last + 1, self.step):
            tx = self.at(year)
            ticks.append(f'<line class="dt-tick" x1="{tx:.1f}" y1="4" x2="{tx:.1f}" y2="{y + 4}"/>'
                         f'<text class="dt-year" x="{tx:.1f}" y="{y + 18}" '
                         f'text-anchor="middle">{year}</text>')
        return ticks


def _figure(ident: str, title: str, desc: str, width: int, height: int, body: list[str],
            extra_class: str = "") -> str:
    classes = "dossier-timeline" + (f" {extra_class}" if extra_class else "")
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="{classes}" role="figure" '
            f'viewBox="0 0 {width} {height}" aria-labelledby="{x(ident)}-t" '
            f'aria-describedby="{x(ident)}-d">'
            f'<title id="{x(ident)}-t">{x(title)}</title><desc id="{x(ident)}-d">{x(desc)}</desc>'
            + "".join(body) + "</svg>")


def svg(bands: list[Band], ident: str, title: str, desc: str, width: int = 1000) -> str:
    """One accessible SVG element (a single line) with a band of lanes per `Band`."""
    marks = [m for b in bands for m in b.marks]
    if not marks:
        return ""
    axis = Axis.spanning(min(m.date.year for m in marks),
                         max((m.end or m.date).year for m in marks), width)
    at = axis.at
    lane_h, band_gap, axis_h = 15, 14, 28
    out: list[str] = []
    y = 8
    for band in bands:
        lanes = _Lanes(axis.left, width - axis.right)
        body: list[str] = []
        for m in sorted(band.marks, key=lambda m: (m.date, m.label)):
            x1 = at(_fraction(m.date.start()))
            x2 = max(at(_fraction((m.end or m.date).end()) + 1 / 366), x1 + 4)
            placed = lanes.place(x1, x2, m.label)
            body.append(_mark(m, band, placed, y + placed.lane * lane_h))
        height = max(len(lanes.spans), 1) * lane_h
        out.append(f'<text class="dt-band" x="4" y="{y + 9}">{x(band.label)}</text>')
        out.extend(body)
        y += height + band_gap
    height = y + axis_h
    return _figure(ident, title, desc, width, height, axis.draw(y) + out, "dt-labelled")


def _mark(m: Mark, band: Band, placed: _Placed, ly: float) -> str:
    """One mark: a link holding its shape and its label, its date and full label as its name."""
    x1, x2 = placed.x1, placed.x2
    when = ("c. " if m.circa else "") + m.date.display() + (f" – {m.end.display()}" if m.end else "")
    cls = f"dt-mark dt-{band.css}" + (" dt-circa" if m.circa else "")
    if m.date.precision == "day" and m.end is None:
        shape = f'<circle cx="{x1:.1f}" cy="{ly + 6:.1f}" r="4"/>'
    else:
        shape = f'<rect x="{x1:.1f}" y="{ly + 2:.1f}" width="{x2 - x1:.1f}" height="8" rx="2"/>'
    label = "" if placed.label is None else (
        f'<text class="dt-label" x="{placed.label_x:.1f}" y="{ly + 10:.1f}" '
        f'text-anchor="{placed.anchor}" aria-hidden="true">{x(placed.label)}</text>')
    return (f'<a class="{cls}" href="{x(m.href)}" aria-label="{x(when)}: {x(m.label)}">'
            f"<title>{x(when)}: {x(m.label)}</title>{shape}{label}</a>")


@dataclass(frozen=True)
class Counts:
    """One band of a per-year picture: how many entries each year has."""

    label: str
    css: str
    per_year: dict[int, int]
    noun: tuple[str, str]  # singular, plural: "event", "events"


def histogram(bands: list[Counts], year_href: dict[int, str], ident: str, title: str, desc: str,
              width: int = 1000) -> str:
    """Entries per year as bars, one band per `Counts`; each bar links to its year's page.

    For a timeline too long to draw mark by mark: the picture stays the same size
    whatever the dossier's, and names no entity (an edit of a name leaves it as it is).
    Each bar is labelled with its count above it where the count fits the bar's width
    (bars are side by side, so labels that fit their bars never meet).
    """
    years = [y for b in bands for y, n in b.per_year.items() if n]
    if not years:
        return ""
    axis = Axis.spanning(min(years), max(years), width)
    band_h, band_gap = 56, 16
    out: list[str] = []
    y = 8 + COUNT_FONT
    for band in bands:
        top = max(band.per_year.values(), default=0) or 1
        out.append(f'<text class="dt-band" x="4" y="{y + 9}">{x(band.label)}</text>')
        for year, n in sorted(band.per_year.items()):
            if not n:
                continue
            x1, x2 = axis.at(year) + 1, axis.at(year + 1) - 1
            h = max(band_h * n / top, 2)
            what = f"{year}: {n} {band.noun[0] if n == 1 else band.noun[1]}"
            out.append(f'<a class="dt-mark dt-{band.css}" href="{x(year_href[year])}" '
                       f'aria-label="{x(what)}"><title>{x(what)}</title>'
                       f'<rect x="{x1:.1f}" y="{y + band_h - h:.1f}" width="{max(x2 - x1, 1):.1f}" '
                       f'height="{h:.1f}"/>{_count_label(str(n), x1, x2, y + band_h - h)}</a>')
        y += band_h + band_gap
    return _figure(ident, title, desc, width, y + 28, axis.draw(y) + out)


COUNT_FONT = 10  # px, as tables.css draws `.dt-count`


def _count_label(count: str, x1: float, x2: float, top: float) -> str:
    """A bar's count just above it, when it fits the bar's width; else nothing (the bar's
    name still says it)."""
    if text_width(count, COUNT_FONT) > x2 - x1:
        return ""
    return (f'<text class="dt-count" x="{(x1 + x2) / 2:.1f}" y="{top - 2:.1f}" text-anchor="middle" '
            f'aria-hidden="true">{x(count)}</text>')
