"""Stage 5, build: write the Markdown tree, then let MkDocs + Material build the site.

The Markdown tree is plain files (`mkdocs.yml`, `docs/`, `overrides/`), buildable
by `mkdocs build -f DIR/mkdocs.yml` or a successor. Only files whose text changed
are rewritten, so a live preview rebuilds little. The site is built into a fresh
folder beside the target and swapped in only on success: a failed or interrupted
build leaves the previous site whole. This is the one module that talks to MkDocs.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .progress import Progress
from .render import RenderedSite

STATIC_DIRS = {"docs": "docs", "overrides": "overrides"}
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's banner is not a build problem


class BuildError(Exception):
    """MkDocs refused the rendered tree; the message says what it reported."""


def write_tree(site: RenderedSite, out_dir: Path, config_dir: Path,
               progress: Progress | None = None, known: dict[str, str] | None = None) -> int:
    """Write the Markdown tree into `out_dir`; returns how many files changed.

    `known`: the pages as this process last wrote them there (the live preview);
    a page whose text is the same is not read back to be compared.
    """
    progress = progress or Progress.off()
    wanted: dict[Path, bytes] = {}
    for src_name, dest_name in STATIC_DIRS.items():
        src = config_dir / src_name
        if src.is_dir():
            for path in sorted(src.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    wanted[out_dir / dest_name / path.relative_to(src)] = path.read_bytes()
    same: set[Path] = set()
    for rel, text in site.pages.items():
        path = out_dir / "docs" / rel
        wanted[path] = text.encode("utf-8")
        if known is not None and known.get(rel) is text:
            same.add(path)
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
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(wanted[path])
        os.replace(tmp, path)
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


def _progress_plugin(progress: Progress) -> Any:
    """A plugin object that reports MkDocs' two passes over the pages to `progress`."""
    from mkdocs.plugins import BasePlugin

    class ProgressPlugin(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
        pages = 0

        def on_files(self, files: Any, config: Any) -> Any:
            self.pages = len(files.documentation_pages())
            progress.stage("mkdocs convert", self.pages, "pages")
            return files

        def on_page_content(self, html: str, **kwargs: Any) -> str:
            progress.step()
            return html

        def on_env(self, env: Any, **kwargs: Any) -> Any:
            progress.stage("mkdocs write", self.pages, "pages")
            return env

        def on_post_page(self, output: str, **kwargs: Any) -> str:
            progress.step()
            return output

        def on_post_build(self, **kwargs: Any) -> None:
            progress.finish()

    return ProgressPlugin()


def mkdocs_build(tree_dir: Path, site_dir: Path, progress: Progress | None = None) -> None:
    """Build `tree_dir/mkdocs.yml` into `site_dir`, strictly, swapping on success."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.building-", dir=site_dir.parent))
    try:
        with _capture_mkdocs_log() as messages:
            try:
                cfg = load_config(str(tree_dir / "mkdocs.yml"), site_dir=str(staging), strict=True)
                if progress is not None:
                    cfg.plugins["dossier-progress"] = _progress_plugin(progress)
                build(cfg)
            except MkDocsException as exc:
                raise BuildError("\n".join([*messages, str(exc)])) from None
            if messages:  # belt and braces: no warning passes quietly
                raise BuildError("\n".join(messages))
        _swap(staging, site_dir)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _swap(new: Path, target: Path) -> None:
    """Put `new` in place of `target` with renames, so readers never see half a site."""
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        os.replace(target, old / "site")
        os.replace(new, target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(new, target)


def build_site(site: RenderedSite, config_dir: Path, site_dir: Path,
               tree_dir: Path | None = None, progress: Progress | None = None) -> None:
    """Write the tree (to `tree_dir`, or a temporary folder) and build it into `site_dir`."""
    if tree_dir is not None:
        write_tree(site, tree_dir, config_dir, progress)
        mkdocs_build(tree_dir, site_dir, progress)
        return
    with tempfile.TemporaryDirectory(prefix="dossier-render-") as tmp:
        write_tree(site, Path(tmp), config_dir, progress)
        mkdocs_build(Path(tmp), site_dir, progress)
