"""Where the render's workers write pages (`Spool`), moved into the Markdown tree by
`build.write_tree`: a large dossier's pages go to disk as they are made, not through a
pipe back to one process."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import outputs


@dataclass(frozen=True)
class Spool:
    """A folder render workers write pages into (the render's sink), moved into the tree
    by `write_tree`. Made by the caller beside where the tree goes, so a move is a rename.

    Each worker process writes into a folder of its own: two processes creating files in
    one folder at once wait on the kernel's lock of that folder (measured here: 5,000
    files from each of two processes took 1.9 s of system time in one folder, 0.1 s in
    two).
    """

    folder: Path
    #: folders made so far (in this process): each is made once, not asked for per page
    made: set[str] = field(default_factory=set, compare=False, repr=False)

    def __call__(self, rel: str, text: str) -> None:
        own = os.path.join(self.folder, f"w{os.getpid()}")  # this worker's folder
        parent = os.path.dirname(os.path.join(own, rel))
        if parent not in self.made:
            os.makedirs(parent, exist_ok=True)
            self.made.add(parent)
        # os.open: no file object per page
        fd = os.open(os.path.join(own, rel), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        try:
            data = memoryview(text.encode("utf-8"))
            while data:
                data = data[os.write(fd, data):]
        finally:
            os.close(fd)

    def move_into(self, docs: Path, pages: list[str]) -> list[Path]:
        """Move `pages` into `docs`: a top-level folder (`people/`) or page not yet there
        in one rename; into a folder already there (written before, or by another
        worker), page by page.

        This process's own folder goes last, so its copy of a page wins: a helper killed
        while writing a page leaves it cut short, and this process made it again
        (`parallel.map_chunks` redoes what a helper did not deliver).
        """
        if not pages:
            return []
        docs.mkdir(parents=True, exist_ok=True)
        own = f"w{os.getpid()}"
        workers = sorted(self.folder.iterdir(), key=lambda worker: (worker.name == own, worker.name))
        for worker in workers:
            for entry in sorted(worker.iterdir()):
                target = docs / entry.name
                if not target.exists():
                    os.rename(entry, target)
        for worker in workers:
            for rel in pages:
                source = worker / rel
                if source.exists():  # its folder was there already: one by one
                    path = docs / rel
                    path.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(source, path)
        return [docs / rel for rel in pages]


@contextlib.contextmanager
def spool_for(tree_dir: Path | None) -> Iterator[Spool]:
    """The spool the render's workers write pages into (its `sink`) for the tree that
    `write_tree` then writes into `tree_dir`, or `build_site` into a temporary folder
    (`tree_dir` None). It lies beside that tree, so that moving a page in is a rename.

    Removed on exit, however it comes (an error, or SIGTERM or SIGINT, which the command
    line turns into an exception); what killed runs left there is removed first
    (`outputs.remove_stale`). OSError when the folder cannot be made.
    """
    temporary = Path(tempfile.gettempdir())
    near = temporary if tree_dir is None else tree_dir.resolve().parent
    near.mkdir(parents=True, exist_ok=True)
    outputs.remove_stale([temporary, near])
    with outputs.temporary_folder(".dossier-spool-", near) as folder:
        yield Spool(folder / "pages")
