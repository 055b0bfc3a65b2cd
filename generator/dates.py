"""Partial ISO 8601 calendar dates: `2019`, `2019-04`, `2019-04-25`.

A partial date stands for an interval (the whole year, the whole month), so it
sorts before any more precise date inside it: `2019` < `2019-04` < `2019-04-25`.
Ranges are checked interval against interval: `since: 2019-04, until: 2019` is
fine, `since: 2020, until: 2019-06` is reversed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import NamedTuple

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]


class DateError(ValueError):
    """A date that cannot be a calendar date; the message says why."""


class PartialDate(NamedTuple):
    """A year, month or day. A tuple, so comparing and sorting run at C speed: timelines
    sort tens of thousands of them."""

    year: int
    month: int = 0  # 0: unknown
    day: int = 0  # 0: unknown

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def start(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def end(self) -> dt.date:
        if self.day:
            return self.start()
        if self.month:
            return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return dt.date(self.year, 12, 31)

    def iso(self) -> str:
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def display(self) -> str:
        """Reader-facing text: `25 April 2019`, `April 2019`, `2019`."""
        if self.day:
            return f"{self.day} {MONTHS[self.month - 1]} {self.year}"
        if self.month:
            return f"{MONTHS[self.month - 1]} {self.year}"
        return str(self.year)

    def __str__(self) -> str:
        return self.iso()


def parse_date(value: object) -> PartialDate:
    """Accept what YAML may hand over for a date: int, str or date."""
    if isinstance(value, bool):
        raise DateError(f"expected a date such as 2019, 2019-04 or 2019-04-25, not {value!r}")
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return PartialDate(value.year, value.month, value.day)
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        raise DateError(
            f"expected a date such as 2019, 2019-04 or 2019-04-25, not a {type_name(value)}"
        )
    m = _DATE_RE.match(value.strip())
    if not m:
        raise DateError(f"'{shown(value)}' is not a date; write 2019, 2019-04 or 2019-04-25")
    year = int(m.group(1))
    month = int(m.group(2)) if m.group(2) else 0
    day = int(m.group(3)) if m.group(3) else 0
    if year < 1:
        raise DateError(f"'{value}' has no year 0000")
    if m.group(2) and not 1 <= month <= 12:
        raise DateError(f"'{value}' is not a date: there is no month {month}")
    if m.group(3):
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            raise DateError(
                f"'{value}' is not a date: {MONTHS[month - 1]} {year} has {last} days"
            )
    return PartialDate(year, month, day)


def is_reversed(start: PartialDate, end: PartialDate) -> bool:
    """True when `end` ends before `start` begins (a reversed range)."""
    return end.end() < start.start()


def shown(value: object, limit: int = 60) -> str:
    """A value quoted in a message, cut short so one bad value cannot flood the report."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def type_name(value: object) -> str:
    """How the YAML value reads to an editor: 'list', 'mapping', 'number'..."""
    if value is None:
        return "empty value"
    if isinstance(value, bool):
        return "true/false value"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    return type(value).__name__
