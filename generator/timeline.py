"""A visual timeline drawn at build time as SVG.

Marks are placed on a year axis by the interval their date stands for: a day is a
dot, a month or a year (a partial date) a bar across that month or year, so
`2019` spans the whole year and sorts before `2019-04` and `2019-04-25` (see
`dates.PartialDate`). Approximate dates (`circa`) are drawn hollow. Marks that
would overlap go to the next lane. Every mark links to its page and carries its
date and label as text; every string is escaped. Like the network pictures, the
SVG is a named `role="figure"` so that its links stay reachable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .dates import PartialDate
from .graph import x

MAX_LANES = 14


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


def _figure(ident: str, title: str, desc: str, width: int, height: int, body: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="dossier-timeline" role="figure" '
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
    lane_h, band_gap, axis_h = 12, 14, 28
    out: list[str] = []
    y = 8
    for band in bands:
        lanes: list[float] = []
        body: list[str] = []
        for m in sorted(band.marks, key=lambda m: (m.date, m.label)):
            x1 = at(_fraction(m.date.start()))
            x2 = max(at(_fraction((m.end or m.date).end()) + 1 / 366), x1 + 4)
            lane = next((k for k, end in enumerate(lanes) if end + 3 < x1), None)
            if lane is None:
                lane = len(lanes) if len(lanes) < MAX_LANES else MAX_LANES - 1
                if lane == len(lanes):
                    lanes.append(x2)
            lanes[lane] = max(lanes[lane], x2)
            ly = y + lane * lane_h
            when = ("c. " if m.circa else "") + m.date.display() + (
                f" – {m.end.display()}" if m.end else "")
            cls = f"dt-mark dt-{band.css}" + (" dt-circa" if m.circa else "")
            if m.date.precision == "day" and m.end is None:
                shape = f'<circle cx="{x1:.1f}" cy="{ly + 5:.1f}" r="4"/>'
            else:
                shape = (f'<rect x="{x1:.1f}" y="{ly + 1:.1f}" width="{x2 - x1:.1f}" height="8" '
                         f'rx="2"/>')
            body.append(f'<a class="{cls}" href="{x(m.href)}" aria-label="{x(when)}: {x(m.label)}">'
                        f"<title>{x(when)}: {x(m.label)}</title>{shape}</a>")
        height = max(len(lanes), 1) * lane_h
        out.append(f'<text class="dt-band" x="4" y="{y + 9}">{x(band.label)}</text>')
        out.extend(body)
        y += height + band_gap
    height = y + axis_h
    return _figure(ident, title, desc, width, height, axis.draw(y) + out)


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
    """
    years = [y for b in bands for y, n in b.per_year.items() if n]
    if not years:
        return ""
    axis = Axis.spanning(min(years), max(years), width)
    band_h, band_gap = 56, 14
    out: list[str] = []
    y = 8
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
                       f'height="{h:.1f}"/></a>')
        y += band_h + band_gap
    return _figure(ident, title, desc, width, y + 28, axis.draw(y) + out)
