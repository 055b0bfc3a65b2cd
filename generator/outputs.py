"""Where Dossier writes: it replaces or cleans only what it made itself.

Commands that write a folder (`build --site-dir`, `render --out`) replace or clean
it, so before they touch it the folder must be new, empty, or marked as Dossier's own
earlier output by the small file `MARKER` that every such output carries. Some
folders are refused whatever a marker says: the inputs (content, templates,
configuration) and anything holding them or inside them, the home folder, a file
system's root or mount point, the working folder and its parents, and a
version-control checkout (a gh-pages branch: replacing it would lose `.git`).
Symbolic links are resolved first, so `site -> ~` is judged as the home folder.
`-o FILE` is written whole (a temporary file beside it, then renamed over it) and
never over a folder, nor inside the inputs.

Temporary folders (`temporary_folder`) carry a lock file their process holds for its
life, so what a killed process left is recognised as stale by the next run
(`remove_stale`) and nothing else is ever removed.

Problems come back as located `Diagnostic`s (`path: error: message hint`); the
writers raise `OutputRefused` carrying one.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import shutil
import stat
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from .config import DEFAULT_TEMPLATES_DIR
from .diagnostics import Diagnostic, Loc

#: the file that marks a folder as Dossier's own output
MARKER = ".dossier-output"
#: the lock file of a temporary folder (see `temporary_folder`)
LOCK = ".dossier-lock"
#: temporary folders Dossier makes: trees of a build (in TMPDIR) and render spools
TEMPORARY_PREFIXES = ("dossier-render-", ".dossier-spool-")
VERSION_CONTROL = (".git", ".hg", ".svn")
#: what each kind of output folder is called in messages: the folder, and what it holds
ROLES = {"site": "the site", "tree": "the Markdown tree"}
HOLDS = {"site": "a built site", "tree": "a Markdown tree"}
#: a folder with these entries and no marker looks like an older Dossier's output
LEGACY_LOOKS = {"site": ("index.html", "sitemap.xml", "search"),
                "tree": ("mkdocs.yml", "docs", "overrides")}
SHOWN_ENTRIES = 3  # how many of a refused folder's entries a message names

PROTECTED_HINT = "Choose a new or empty folder of its own, such as site/ beside the content."
FOREIGN_HINT = ("Choose a new or empty folder, or empty this one yourself if nothing in it "
                "is needed.")
LEGACY_HINT = ("It looks like the output of an older Dossier, which did not mark its "
               "folders: remove it yourself once; from now on Dossier marks what it writes "
               "and replaces it.")
CHECKOUT_HINT = ("Build into another folder and copy the files into the checkout, or "
                 "publish with `mkdocs gh-deploy`.")
UNWRITABLE_HINT = "Choose a folder you can write to, or fix its permissions."
BELOW_FILE_HINT = "Choose another path, whose parent folders are folders."


class OutputRefused(Exception):
    """An output Dossier must not write; `diagnostic` says where and why."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.format())
        self.diagnostic = diagnostic


def inputs(content: Path, config: Path, templates: Path | None) -> dict[str, Path]:
    """The folders a command reads, named as messages name them: never an output."""
    keep = {"the content folder": content, "the configuration folder": config,
            "the built-in templates folder": DEFAULT_TEMPLATES_DIR}
    if templates is not None:
        keep["the templates folder"] = templates
    return keep


# --- output folders ---------------------------------------------------------------------


def check_folder(path: Path, kind: str, keep: Mapping[str, Path] | None = None) -> Diagnostic | None:
    """Why `path` must not be written as output folder `kind` ("site", "tree"), or None.

    None for a folder that does not exist yet (and can be made), an empty folder, or
    one marked as Dossier's `kind` output; `keep` names the folders the command reads.
    """
    role = ROLES.get(kind, f"the {kind}")
    target = _resolved(path)
    if target is None:
        return _refusal(path, role, "its path cannot be followed (a loop of links)",
                        PROTECTED_HINT)
    linked = f" ({path} leads to {target})" if os.path.islink(path) else ""
    try:
        for check in (_protected, _unmakeable):
            found = check(target, keep or {})
            if found is not None:
                return _refusal(path, role, found[0] + linked, found[1])
        found = _foreign(target, kind)
    except OSError as exc:  # e.g. a name longer than the file system allows
        found = f"the system refuses the path: {exc.strerror}", BELOW_FILE_HINT
    return None if found is None else _refusal(path, role, found[0], found[1])


def require_folder(path: Path, kind: str, keep: Mapping[str, Path] | None = None) -> None:
    """`check_folder`, raising `OutputRefused` when the folder must not be written."""
    problem = check_folder(path, kind, keep)
    if problem is not None:
        raise OutputRefused(problem)


def mark(folder: Path, kind: str) -> None:
    """Mark `folder` as Dossier's output of `kind` (a fixed text: builds stay reproducible)."""
    (folder / MARKER).write_bytes(marker_bytes(kind))


def marker_bytes(kind: str) -> bytes:
    return (json.dumps({"made_by": "dossier", "kind": kind}) + "\n").encode("utf-8")


def marked_kind(folder: Path) -> str | None:
    """The kind of output the marker in `folder` names, or None without a valid marker."""
    try:
        st = os.lstat(folder / MARKER)
        if not stat.S_ISREG(st.st_mode) or st.st_size > 1024:
            return None
        data = json.loads((folder / MARKER).read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("made_by") != "dossier":
        return None
    kind = data.get("kind")
    return kind if isinstance(kind, str) else None


def _refusal(path: Path, role: str, reason: str, hint: str) -> Diagnostic:
    return Diagnostic("error", Loc(str(path)), f"not used for {role}: {reason}", hint)


def _resolved(path: Path) -> Path | None:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a loop of symbolic links
        return None


def _relation(target: Path, other: Path) -> str | None:
    """"is", "holds" or "is inside" when `target` and `other` overlap, else None."""
    if target == other:
        return "is"
    if target in other.parents:
        return "holds"
    if other in target.parents:
        return "is inside"
    return None


def _protected(target: Path, keep: Mapping[str, Path]) -> tuple[str, str] | None:
    """Folders refused whatever a marker says: inputs, roots, home, the working folder,
    a version-control checkout."""
    for what, folder in keep.items():
        resolved = _resolved(folder)
        relation = None if resolved is None else _relation(target, resolved)
        if relation is not None:
            return f"it {relation} {what}" + ("" if relation == "is" else f" ({folder})"), \
                PROTECTED_HINT
    if target == Path(target.anchor) or os.path.ismount(target):
        return "it is the root of a file system (a mount point)", PROTECTED_HINT
    guarded = [("your home folder", _home()), ("the working folder", Path.cwd().resolve())]
    for what, place in guarded:
        if place is not None and (target == place or target in place.parents):
            return f"it {'is' if target == place else 'holds'} {what}", PROTECTED_HINT
    checkout = [name for name in VERSION_CONTROL if os.path.lexists(target / name)]
    if checkout:
        return f"it is a version-control checkout ({checkout[0]})", CHECKOUT_HINT
    return None


def _home() -> Path | None:
    try:
        return Path.home().resolve()
    except (RuntimeError, KeyError, OSError):  # no HOME and no password entry
        return None


def _unmakeable(target: Path, keep: Mapping[str, Path]) -> tuple[str, str] | None:
    """A path that is a file, lies below a file, or cannot be written."""
    if os.path.lexists(target) and not target.is_dir():
        return "it is a file, not a folder", PROTECTED_HINT
    existing = target.parent
    while not os.path.lexists(existing):
        existing = existing.parent
    if not existing.is_dir():
        return f"{existing} is a file, so no folder can be made below it", BELOW_FILE_HINT
    # written: the folder itself, and the folder beside it (staging, swap, spool)
    for folder in (target, existing) if target.exists() else (existing,):
        if not os.access(folder, os.W_OK | os.X_OK):
            return f"{folder} is not writable", UNWRITABLE_HINT
    return None


def _foreign(target: Path, kind: str) -> tuple[str, str] | None:
    """A folder holding anything but Dossier's own earlier `kind` output."""
    if not target.exists():
        return None
    made = marked_kind(target)
    if made == kind:
        return None
    if made is not None:
        return (f"it holds {HOLDS.get(made, made)} Dossier wrote, not {HOLDS.get(kind, kind)}",
                FOREIGN_HINT)
    try:
        entries = sorted(os.listdir(target))
    except OSError as exc:
        return f"it cannot be read: {exc.strerror}", UNWRITABLE_HINT
    if not entries:
        return None
    legacy = all(name in entries for name in LEGACY_LOOKS.get(kind, ("",)))
    return (f"it holds files Dossier did not make ({_listing(target, entries)})",
            LEGACY_HINT if legacy else FOREIGN_HINT)


def _listing(folder: Path, entries: list[str]) -> str:
    """The first few entries, folders with a slash; names from disk are shown escaped."""
    shown = [(name if name.isprintable() else ascii(name)[1:-1])
             + ("/" if (folder / name).is_dir() else "") for name in entries[:SHOWN_ENTRIES]]
    more = len(entries) - SHOWN_ENTRIES
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


# --- output files -----------------------------------------------------------------------


def check_file(path: Path, keep: Mapping[str, Path] | None = None) -> Diagnostic | None:
    """Why `path` must not be written as an output file (`-o FILE`), or None.

    Refused: a folder, a device or pipe (it would be replaced, not written to), a path
    inside the inputs, a file whose folder is missing or not writable.
    """
    target = _resolved(path)
    if target is None:
        return _refusal(path, "the output file", "its path cannot be followed (a loop of links)",
                        BELOW_FILE_HINT)
    try:
        found = _file_problem(target, keep or {})
    except OSError as exc:
        found = f"the system refuses the path: {exc.strerror}", BELOW_FILE_HINT
    return None if found is None else _refusal(path, "the output file", found[0], found[1])


def _file_problem(target: Path, keep: Mapping[str, Path]) -> tuple[str, str] | None:
    if target.is_dir():
        return "it is a folder", "Name a file, such as dossier.json."
    if os.path.lexists(target) and not target.is_file():
        return ("it is not a regular file (a device, pipe or socket)",
                "Leave out -o to write to standard output.")
    for what, folder in keep.items():
        resolved = _resolved(folder)
        if resolved is not None and resolved in target.parents:
            return f"it is inside {what} ({folder})", "Write it outside the folders Dossier reads."
    parent = target.parent
    if not os.path.lexists(parent):
        return f"its folder {parent} does not exist", "Create the folder first, or choose another."
    if not parent.is_dir():
        return f"{parent} is a file, not a folder", BELOW_FILE_HINT
    if not os.access(parent, os.W_OK | os.X_OK):
        return f"{parent} is not writable", UNWRITABLE_HINT
    return None


def write_file(path: Path, data: bytes) -> None:
    """Write `path` whole or not at all: a temporary file beside it renamed over it, so a
    failed or interrupted write leaves the previous file as it was. A symbolic link is
    written through; an existing file keeps its permissions."""
    target = path.resolve()
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, _mode_for(target))
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _mode_for(target: Path) -> int:
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask


def cannot_write(path: Path, exc: OSError) -> Diagnostic:
    """A located error for a write the system refused (full disk, a name too long...)."""
    reason = exc.strerror or errno.errorcode.get(exc.errno or 0, str(exc))
    where = f" ({exc.filename})" if exc.filename and str(exc.filename) != str(path) else ""
    return Diagnostic("error", Loc(str(path)), f"cannot write: {reason}{where}",
                      "Check the path, the permissions and the free space.")


# --- temporary folders ------------------------------------------------------------------


@contextlib.contextmanager
def temporary_folder(prefix: str, near: Path) -> Iterator[Path]:
    """A new folder `near/prefixXXXX`, removed on exit, holding a lock file this process
    (and the workers it forks) keeps locked for its life: if the process is killed, the
    next run finds the lock free and removes the folder (`remove_stale`, `hold_lock`).
    """
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=near))
    fd = -1
    try:
        fd = hold_lock(folder)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if fd >= 0:
            os.close(fd)


def hold_lock(folder: Path) -> int:
    """Put a lock file in `folder` (new, made by this process) and hold it: the folder is
    then Dossier's, and `remove_stale` removes it once the returned descriptor is closed
    or its process killed, never before.

    The lock file is locked before it takes its name, so a folder carrying it is never
    judged stale while its maker lives.
    """
    fd = os.open(folder / f"{LOCK}.new", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with contextlib.suppress(OSError):  # a file system without locks: never judged stale
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.rename(folder / f"{LOCK}.new", folder / LOCK)
    except BaseException:
        os.close(fd)
        raise
    return fd


def remove_stale(folders: Iterable[Path], prefixes: Iterable[str] = TEMPORARY_PREFIXES) -> list[Path]:
    """Remove the temporary folders a killed run left in `folders`: only folders named
    with one of `prefixes` that carry our lock file and whose lock nobody holds."""
    removed = []
    for near in dict.fromkeys(folders):
        try:
            names = [n for n in os.listdir(near) if n.startswith(tuple(prefixes))]
        except OSError:
            continue
        for name in sorted(names):
            if is_stale(near / name):
                shutil.rmtree(near / name, ignore_errors=True)
                removed.append(near / name)
    return removed


def is_stale(folder: Path) -> bool:
    """Whether `folder` is a temporary folder of ours whose process is gone."""
    try:
        if not stat.S_ISDIR(os.lstat(folder).st_mode):
            return False
        fd = os.open(folder / LOCK, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return False
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:  # held: its process lives (or the file system has no locks)
        return False
    finally:
        os.close(fd)
