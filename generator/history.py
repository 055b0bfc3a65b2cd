"""Change history from git: when the content folder is in a git repository, the commits
that touched each profile's file (date and first line of the message), and the latest
commits for the Recent changes page.

Read once per build, after the link stage and before render, in one `git log` pass
over the whole content folder (`-z --name-status -M`: renames followed as the walk
goes back in time), never one `git log` per file: at 10,000 profiles that would be
10,000 processes. The result is a frozen value the render reads through the site
context. Dates are commit dates from git, never the clock, so the same repository
gives the same site. Without git, outside a repository, or when git fails, there is
no history and the pages leave it out, silently.

Editions: a commit message is free text and may name what an edition withholds, so
history is read only for an edition that withholds nothing (whose highest marking is
the vocabulary's highest), and only a message's first line is ever shown.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from .config import Vocabularies
from .link import LinkedDossier
from .load import display_path

#: the commits a profile lists; older ones are counted ("and N earlier")
PROFILE_CHANGES_MAX = 10
#: the commits the Recent changes page lists
RECENT_CHANGES_MAX = 50
#: the profiles a commit lists on the Recent changes page; the rest are counted
RECENT_PROFILES_MAX = 10
#: each commit's header: a record separator, the hash, the commit date, the message
LOG_FORMAT = "%x1e%H%x1f%cs%x1f%B"
_HEADER = re.compile(r"\x1e([0-9a-f]{40,64})\x1f(\d{4}-\d\d-\d\d)\x1f(.*)\Z", re.S)
#: a file's status in `--name-status` (R and C name two paths, the others one)
_STATUS = re.compile(r"\n?([ACDMRTUXB])(\d*)\Z")


@dataclass(frozen=True)
class Change:
    """One commit as the site shows it."""

    commit: str
    date: str  # the commit date, YYYY-MM-DD
    subject: str  # the first line of the message only


@dataclass(frozen=True)
class Commit:
    """A commit and the content files it touched (relative to the content folder, as
    they are named now)."""

    change: Change
    paths: tuple[str, ...]


@dataclass(frozen=True)
class History:
    """What the site shows of the content's history: each entity's commits, newest first
    (at most PROFILE_CHANGES_MAX, with how many more), and the latest commits that
    touched a profile the edition keeps, with those profiles' ids."""

    by_entity: Mapping[str, tuple[Change, ...]] = field(default_factory=lambda: MappingProxyType({}))
    earlier: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    recent: tuple[tuple[Change, tuple[str, ...]], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.recent)


NO_HISTORY = History()


@dataclass
class LogCache:
    """The last log read and the commit it was read at: the live preview reads the log
    again only after a commit (`git rev-parse HEAD`, a few milliseconds, where the whole
    log of a 10,000-profile repository cost 0.45 s of CPU on every edit)."""

    head: str | None = None
    commits: list[Commit] = field(default_factory=list)

    def read(self, content_dir: Path) -> list[Commit]:
        head = _git(content_dir, "rev-parse", "HEAD")
        if head is None:
            self.head, self.commits = None, []
        elif head != self.head:
            self.head, self.commits = head, read_log(content_dir)
        return self.commits


def site_history(content_dir: Path, linked: LinkedDossier, edition: str,
                 log: LogCache | None = None) -> History:
    """The history the site shows for this edition (NO_HISTORY when it may not, or
    when there is none); `log` keeps the log between calls (the live preview)."""
    if not history_allowed(linked.vocab, edition):
        return NO_HISTORY
    commits = log.read(content_dir) if log is not None else read_log(content_dir)
    return entity_history(commits, linked, display_path(content_dir))


def history_allowed(vocab: Vocabularies, edition: str) -> bool:
    """Only an edition that withholds nothing shows history (see the module docstring)."""
    top = vocab.editions.get(edition)
    return top is not None and bool(vocab.markings) and \
        vocab.marking_rank(top) == len(vocab.markings) - 1


def read_log(content_dir: Path) -> list[Commit]:
    """Every commit that touched the content folder, newest first; [] without git."""
    out = _git(content_dir, "log", "-z", "--name-status", "-M", "--relative", "--no-color",
               f"--format={LOG_FORMAT}", "--", ".")
    return parse_log(out) if out is not None else []


def _git(folder: Path, *args: str) -> str | None:
    """What a git command prints in `folder`; None without git, outside a repository, in
    one with no commits yet, or on any other failure (the site is then made without)."""
    try:
        done = subprocess.run(["git", *args], cwd=folder, capture_output=True, check=False)
    except OSError:  # no git
        return None
    return done.stdout.decode("utf-8", errors="replace") if done.returncode == 0 else None


def parse_log(text: str) -> list[Commit]:
    """`git log -z --name-status` output (LOG_FORMAT) → commits, files under the names
    they have now: a walk from the newest commit back, a rename sending the older
    name's commits to the newer name.

    Robust to any message: fields are NUL-separated and git never writes a NUL in a
    message or a path; a header is told from a file's status by its shape, and a
    status says how many paths follow, so no message text is read as a path.
    """
    commits: list[Commit] = []
    now: dict[str, str] = {}  # an older name → the name the file has now
    for change, entries in _commits(text.split("\0")):
        paths: list[str] = []
        for status, names in entries:
            current = now.get(names[-1], names[-1])
            if status == "R":
                now[names[0]] = current
            paths.append(current)
        commits.append(Commit(change, tuple(dict.fromkeys(paths))))
    return commits


def _commits(tokens: list[str]) -> Iterator[tuple[Change, list[tuple[str, tuple[str, ...]]]]]:
    """Each commit's header and its (status, paths) entries, from the NUL-split log."""
    change: Change | None = None
    entries: list[tuple[str, tuple[str, ...]]] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        header = _HEADER.match(token)
        status = None if header else _STATUS.match(token)
        if header:
            if change is not None:
                yield change, entries
            message = header.group(3).strip().split("\n", 1)[0].strip()
            change, entries = Change(header.group(1), header.group(2), message), []
            i += 1
        elif status and change is not None:
            count = 2 if status.group(1) in "RC" else 1
            names = tuple(tokens[i + 1: i + 1 + count])
            if len(names) == count:
                entries.append((status.group(1), names))
            i += 1 + count
        else:  # the blank token at the end, or anything unforeseen: skipped
            i += 1
    if change is not None:
        yield change, entries


def entity_history(commits: Iterable[Commit], linked: LinkedDossier, shown_root: str) -> History:
    """The commits of each entity the linked dossier (the edition) holds, by its file."""
    prefix = "" if shown_root == "." else shown_root.rstrip("/") + "/"
    by_path = {e.path[len(prefix):]: i for i, e in linked.entities.items() if e.path.startswith(prefix)}
    by_entity: dict[str, list[Change]] = {}
    recent: list[tuple[Change, tuple[str, ...]]] = []
    for commit in commits:
        ids = tuple(dict.fromkeys(by_path[p] for p in commit.paths if p in by_path))
        for i in ids:
            by_entity.setdefault(i, []).append(commit.change)
        if ids and len(recent) < RECENT_CHANGES_MAX:
            recent.append((commit.change, ids))
    return History(
        MappingProxyType({i: tuple(c[:PROFILE_CHANGES_MAX]) for i, c in by_entity.items()}),
        MappingProxyType({i: len(c) - PROFILE_CHANGES_MAX for i, c in by_entity.items()
                          if len(c) > PROFILE_CHANGES_MAX}),
        tuple(recent))
