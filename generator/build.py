"""Stage 5, build: write the Markdown tree, then let MkDocs + Material build the site.

The Markdown tree is plain files (`mkdocs.yml`, `docs/`, `overrides/`), buildable
by `mkdocs build -f DIR/mkdocs.yml` or a successor. Only files whose text changed
are rewritten, so a live preview rebuilds little. The site is built into a fresh
folder beside the target and swapped in only on success: a failed or interrupted
build leaves the previous site whole. Both the tree's folder and the site's are
replaced only when new, empty or marked as Dossier's own (`outputs`), and are marked
so. This is the one module that talks to MkDocs (with `mkdocs_parallel`, which follows
MkDocs' build internals to share the pages among processes).
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import fcntl
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

from . import mkdocs_parallel, outputs
from .dates import PartialDate
from .progress import Progress
from .render import RenderedSite
from .spool import Spool

STATIC_DIRS = {"docs": "docs", "overrides": "overrides"}
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's banner is not a build problem


class BuildError(Exception):
    """MkDocs refused the rendered tree; the message says what it reported."""


def write_tree(site: RenderedSite, out_dir: Path, config_dir: Path,
               progress: Progress | None = None, known: dict[str, str] | None = None,
               spool: Spool | None = None) -> int:
    """Write the Markdown tree into `out_dir`; returns how many files changed.

    `out_dir` must be new, empty or a tree Dossier wrote (`outputs.OutputRefused`
    otherwise, nothing touched): files in it that the tree does not hold are removed.
    It is marked before the first page, so a tree a kill cut short is still known as
    Dossier's. `known`: the pages as this process last wrote them there (the live
    preview); a page whose text is the same is not read back to be compared. `spool`:
    where the render workers wrote `site.spooled` (see `Spool`); they are moved in.
    """
    progress = progress or Progress.off()
    outputs.require_folder(out_dir, "tree")
    out_dir.mkdir(parents=True, exist_ok=True)
    if outputs.marked_kind(out_dir) != "tree":
        outputs.mark(out_dir, "tree")
    wanted: dict[Path, bytes] = {out_dir / outputs.MARKER: outputs.marker_bytes("tree")}
    for src_name, dest_name in STATIC_DIRS.items():
        src = config_dir / src_name
        if src.is_dir():
            for path in sorted(src.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    wanted[out_dir / dest_name / path.relative_to(src)] = path.read_bytes()
    same: set[Path] = set()
    for rel, text in site.pages.items():
        path = out_dir / "docs" / rel
        if known is not None and known.get(rel) is text:
            same.add(path)  # on disk already: not encoded (every page, each edit: 0.06 s at 1,000)
            wanted[path] = b""
        else:
            wanted[path] = text.encode("utf-8")
    moved = spool.move_into(out_dir / "docs", site.spooled) if spool is not None else []
    wanted.update(dict.fromkeys(moved, b""))
    same.update(moved)
    wanted[out_dir / "mkdocs.yml"] = site.mkdocs_yml().encode("utf-8")
    (out_dir / "overrides").mkdir(parents=True, exist_ok=True)
    progress.stage("write", len(wanted), "files")
    # Compare first, then write every changed file in one burst: a watcher (MkDocs'
    # live preview) then sees one change and rebuilds once, not once per stray write.
    stale = []
    for path, data in wanted.items():
        progress.step()
        if path not in same and not (path.is_file() and path.read_bytes() == data):
            stale.append(path)
    # every new text is written beside the tree first, then all are renamed in at once: a
    # watcher of docs/ sees one short burst of complete files (one rebuild, never a half file)
    scratch = out_dir / ".incoming"
    scratch.mkdir(exist_ok=True)
    try:
        ready = []
        for n, path in enumerate(stale):
            tmp = scratch / f"{n}.tmp"
            tmp.write_bytes(wanted[path])
            ready.append((tmp, path))
        for tmp, path in ready:
            path.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, path)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    changed = len(stale)
    for path in sorted(out_dir.rglob("*"), reverse=True):
        if path.is_file() and path not in wanted:
            path.unlink()
            changed += 1
        elif path.is_dir() and not any(path.iterdir()) and path.name != "overrides":
            path.rmdir()
    progress.finish()
    return changed


@contextlib.contextmanager
def _capture_mkdocs_log() -> Iterator[list[str]]:
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.WARNING:
                messages.append(f"{record.levelname.lower()}: {record.getMessage()}")

    handler = Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        yield messages
    finally:
        logger.removeHandler(handler)


def source_date_epoch(date: PartialDate | None) -> str:
    """`SOURCE_DATE_EPOCH` for a build: the user's if set, else the content's own date.

    MkDocs stamps the sitemap's `lastmod` and the `sitemap.xml.gz` header with the
    build date; taken from the content (midnight UTC of its latest `updated` or
    `published` date, else 1970-01-01), two builds of the same content give the
    same bytes on any day.
    """
    user = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if user.isdigit():
        return user
    if date is None:
        return "0"
    day = dt.datetime.combine(date.end(), dt.time(), tzinfo=dt.UTC)
    return str(int(day.timestamp()))


@contextlib.contextmanager
def _environment(name: str, value: str) -> Iterator[None]:
    before = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if before is None:
            del os.environ[name]
        else:
            os.environ[name] = before


@contextlib.contextmanager
def site_lock(parent: Path) -> Iterator[None]:
    """One build at a time per folder: an advisory lock on the parent folder itself
    (nothing is left behind), so cleaning up stale staging folders is safe."""
    fd = os.open(parent, os.O_RDONLY)
    try:
        with contextlib.suppress(OSError):  # a file system without locks: build unlocked
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _clean_stale(site_dir: Path) -> None:
    """Remove what a killed build left beside the site; first put back a site that a
    kill between the two renames of a non-atomic swap left aside. Only folders carrying
    the lock file of a process now gone are Dossier's (`outputs.remove_stale`): a live
    build's (under `site_lock`, the plugin's too) or one merely named like
    them is left alone."""
    parent = site_dir.parent
    if not site_dir.exists():
        for old in sorted(parent.glob(f".{site_dir.name}.old-*")):
            if outputs.is_stale(old) and (old / "site").is_dir():
                os.replace(old / "site", site_dir)
                break
    outputs.remove_stale([parent], (f".{site_dir.name}.building-", f".{site_dir.name}.old-"))


def mkdocs_build(tree_dir: Path, site_dir: Path, date: PartialDate | None = None,
                 progress: Progress | None = None, keep: Mapping[str, Path] | None = None,
                 jobs: int = 1) -> None:
    """Build `tree_dir/mkdocs.yml` into `site_dir`, strictly, swapping on success.

    `site_dir` must be new, empty or a site Dossier built (`outputs.check_folder`;
    `keep`: the folders the build reads), else `outputs.OutputRefused`, nothing touched.
    `jobs` > 1: the pages are shared among that many processes (`mkdocs_parallel`; only
    from a process with no other threads), with the same result.
    """
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    outputs.require_folder(site_dir, "site", keep)
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    with site_lock(site_dir.parent):
        staged = StagedSite(site_dir, keep)  # checked again, under the lock
        try:
            with _capture_mkdocs_log() as messages, \
                    _environment("SOURCE_DATE_EPOCH", source_date_epoch(date)):
                try:
                    cfg = load_config(str(tree_dir / "mkdocs.yml"), site_dir=str(staged.staging),
                                      strict=True)
                    mkdocs_parallel.build(cfg, jobs=jobs, progress=progress)
                except MkDocsException as exc:
                    raise BuildError("\n".join([*messages, str(exc)])) from None
                if messages:  # belt and braces: no warning passes quietly
                    raise BuildError("\n".join(messages))
            staged.publish()
        finally:
            staged.discard()


class StagedSite:
    """A fresh folder beside `site_dir` to build into: `publish` marks it as Dossier's
    site and swaps it in whole, `discard` drops it. Used by `dossier build` and by the
    plugin under `mkdocs build`. Raises `outputs.OutputRefused` when `site_dir` is not
    Dossier's to replace (see `outputs.check_folder`; `keep`: the folders the build reads).
    """

    def __init__(self, site_dir: Path, keep: Mapping[str, Path] | None = None):
        outputs.require_folder(site_dir, "site", keep)
        self.target = site_dir.resolve()
        self.target.parent.mkdir(parents=True, exist_ok=True)
        _clean_stale(self.target)
        self.staging = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.building-",
                                             dir=self.target.parent))
        # MkDocs leaves a dot file when it cleans the folder it builds into
        self.lock = outputs.hold_lock(self.staging)
        umask = os.umask(0o022)
        os.umask(umask)
        self.staging.chmod(0o777 & ~umask)  # mkdtemp's 0700 would make the site private

    def publish(self) -> None:
        outputs.mark(self.staging, "site")
        # not published: a kill right here leaves an unlocked folder, kept, never removed
        (self.staging / outputs.LOCK).unlink()
        _swap(self.staging, self.target)

    def discard(self) -> None:
        if self.staging.exists():
            shutil.rmtree(self.staging, ignore_errors=True)
        if self.lock >= 0:
            os.close(self.lock)
            self.lock = -1


_RENAME_EXCHANGE = 2  # linux/fs.h


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)


def _swap(new: Path, target: Path) -> None:
    """Put `new` in place of `target`, so readers never see half a site, or none."""
    if not target.exists():
        os.replace(new, target)
        return
    if _exchange(new, target):  # `new` now holds the previous site
        shutil.rmtree(new, ignore_errors=True)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    lock = outputs.hold_lock(old)
    try:
        os.replace(target, old / "site")  # a kill right here is repaired by _clean_stale
        os.replace(new, target)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        os.close(lock)


def build_site(site: RenderedSite, config_dir: Path, site_dir: Path,
               tree_dir: Path | None = None, progress: Progress | None = None,
               spool: Spool | None = None, keep: Mapping[str, Path] | None = None,
               jobs: int = 1) -> None:
    """Write the tree (to `tree_dir`, or a temporary folder) and build it into `site_dir`
    (refused with `outputs.OutputRefused` unless Dossier's to replace; `keep`: the
    folders the build reads; `jobs`: see `mkdocs_build`).

    Once written, the pages are dropped from `site` (its `pages` is emptied): MkDocs reads
    the tree from disk, and a large dossier's rendered text held through MkDocs' own build
    would stack the two peaks of memory.
    """
    outputs.require_folder(site_dir, "site", keep)
    with contextlib.ExitStack() as stack:
        if tree_dir is None:
            scratch = stack.enter_context(
                outputs.temporary_folder("dossier-render-", Path(tempfile.gettempdir())))
            tree_dir = scratch / "tree"
        write_tree(site, tree_dir, config_dir, progress, spool=spool)
        site.pages.clear()
        mkdocs_build(tree_dir, site_dir, site.content_date, progress, keep, jobs)
