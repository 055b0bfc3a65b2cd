"""Long lists split by initial letter: a type's index, the tags and the bibliography
become, past LETTER_PAGES_MIN rows, an overview (the letters, each with its count) and a
page per letter, as the timeline becomes a page per year.

Why: one page of 10,000 rows is what the reader's browser and MkDocs both choke on; the
figures that set LETTER_PAGES_MIN are in benchmarks/RESULTS.md ("Long lists by letter").
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import TypeVar

from .base import Link, PageContext

_T = TypeVar("_T")

#: rows past which a list becomes a page per letter. Why 300: at 10,000 generated entities
#: the one People page was 4,200 rows in 1.15 MB of HTML (about 270 bytes a row) and the
#: Tags page 1.77 MB, so 300 rows is about 80 KB, a page a phone opens, sorts and filters at
#: once; and the Tags page already turned its headings into tables there (TAGS_AS_HEADINGS_MAX)
LETTER_PAGES_MIN = 300
#: the group of initials that are not letters of a cased script (digits, marks, Han, Arabic)
OTHER = "#"

Letters = tuple[tuple[str, tuple[_T, ...]], ...]


def initial(text: str) -> str:
    """The letter `text` is listed under: its first letter without accents, in capitals
    (É → E, ß → S, ё → Е), for any script with capitals (Latin, Greek, Cyrillic, ...);
    OTHER for a digit, a sign or a letter of a script without capitals (Han, Arabic), which
    would otherwise make a page per character."""
    first = unicodedata.normalize("NFKD", text.strip()[:1])[:1].upper()[:1]
    if first.isalpha() and first != first.lower():
        return first
    return OTHER


def initial_order(letter: str) -> tuple[int, int]:
    """Latin A–Z first, then the other scripts' letters by code point (Cyrillic after
    Greek), OTHER last."""
    if letter == OTHER:
        return 2, 0
    return (0 if "A" <= letter <= "Z" else 1), ord(letter)


def letter_slug(letter: str) -> str:
    """A letter page's file name, ASCII and stable: `a`, `other`, `u041f` (П)."""
    if letter == OTHER:
        return "other"
    return letter.lower() if letter.isascii() else f"u{ord(letter):04x}"


def letter_title(title: str, letter: str) -> str:
    """A letter page's title: "People: A"; never ending in "#", which Markdown would read
    as the end of its heading."""
    return f"{title}: " + ("other initials" if letter == OTHER else letter)


def letter_path(folder: str, letter: str) -> str:
    return f"{folder}/{letter_slug(letter)}.md"


def is_long(rows: int) -> bool:
    """Whether a list of `rows` rows becomes a page per letter."""
    return rows > LETTER_PAGES_MIN


def by_initial(items: Sequence[_T], name: Callable[[_T], str], rows: int | None = None) -> Letters[_T]:
    """`items` (in their order) under their initials, the initials in `initial_order`;
    () when the list has at most LETTER_PAGES_MIN `rows` (by default, one per item): it
    stays one page."""
    if not is_long(len(items) if rows is None else rows):
        return ()
    groups: dict[str, list[_T]] = defaultdict(list)
    for item in items:
        groups[initial(name(item))].append(item)
    return tuple((letter, tuple(groups[letter])) for letter in sorted(groups, key=initial_order))


def letter_links(page: PageContext, folder: str, letters: Letters[_T]) -> tuple[tuple[Link, int], ...]:
    """Each letter linked from `page` to its page, with how many rows it holds."""
    return tuple((Link(letter, page.href(letter_path(folder, letter))), len(rows))
                 for letter, rows in letters)
