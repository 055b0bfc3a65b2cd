"""What comes back from a chunk of pages made in another process (`mkdocs_parallel`):
the facts MkDocs checks across pages, the search entries, and the messages MkDocs
logged, held back so that they are logged once, in page order, where `--strict`
counts them."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Record:
    """A message MkDocs logged while a chunk was made, to log again in this process."""

    logger: str
    level: int
    message: str


@dataclass(frozen=True)
class PageFacts:
    """What MkDocs checks across pages after the last is written (`validate_anchor_links`)."""

    present_anchor_ids: frozenset[str] | None
    links_to_anchors: dict[str, dict[str, str]] | None  # target's src_uri → anchor → link


@dataclass(frozen=True)
class Chunk:
    pages: list[PageFacts]
    entries: dict[str, list[Any]]  # a gathering plugin's name → the chunk's entries
    records: list[Record]


class _Hold(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.records: list[Record] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(Record(record.name, record.levelno, record.getMessage()))


@contextlib.contextmanager
def held_log(owner: int) -> Iterator[list[Record]]:
    """MkDocs' messages held back (not shown, not counted) while a chunk is made: a
    helper's would be lost, and this process's must come in page order with them.

    When making the chunk fails, process `owner` (the one that goes on) logs what was
    held at once, so MkDocs' "Error building page …" comes with the error; a helper
    logs nothing, as its chunk is made again by `owner` (`parallel.map_chunks`).
    """
    logger = logging.getLogger("mkdocs")
    hold = _Hold()
    handlers, propagate = logger.handlers[:], logger.propagate
    logger.handlers[:] = [hold]
    logger.propagate = False
    try:
        yield hold.records
    except BaseException:
        logger.handlers[:], logger.propagate = handlers, propagate
        if os.getpid() == owner:
            log_again(hold.records)
        raise
    finally:
        logger.handlers[:] = handlers
        logger.propagate = propagate


def log_again(records: Sequence[Record]) -> None:
    for record in records:
        logging.getLogger(record.logger).log(record.level, "%s", record.message)




def page_facts(page: Any) -> PageFacts:
    links = page.links_to_anchors
    return PageFacts(
        None if page.present_anchor_ids is None else frozenset(page.present_anchor_ids),
        None if links is None else {file.src_uri: dict(anchors) for file, anchors in links.items()})


def apply_facts(page: Any, facts: PageFacts, files: Any) -> None:
    """A page as MkDocs leaves it for `validate_anchor_links`, whichever process made it."""
    page.present_anchor_ids = None if facts.present_anchor_ids is None else set(facts.present_anchor_ids)
    page.links_to_anchors = None if facts.links_to_anchors is None else {
        files.src_uris[uri]: anchors for uri, anchors in facts.links_to_anchors.items()}


def release(page: Any) -> None:
    """A written page's text dropped: no other page shows it (it is not in the
    navigation), and holding every page's HTML at once is what made MkDocs' peak memory
    (1.3 GB at 10,000 entities)."""
    page.content = None
    page.toc = []
    page.markdown = None
