"""Stage 1, load: read the content folder into plain data with source locations.

Nothing here knows the content model beyond the folder layout: it finds the
files, decodes them, reads them with the strict YAML reader and reports every
file-level problem (encoding, binary data, size, YAML syntax) as a located
diagnostic. The result is a `LoadedContent` for the validate stage.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .dates import type_name
from .diagnostics import Diagnostics, Loc, did_you_mean
from .types import TYPES_TABLE
from .yamlstrict import MAX_BYTES, SourceMap, YamlProblem, read_yaml

#: folder name → entity type (the contract's layout), from the table of types
TYPE_FOLDERS: dict[str, str] = {spec.folder: spec.name for spec in TYPES_TABLE}
#: folder names people write by mistake (a type's name, a typo) → the right one
FOLDER_SYNONYMS = {wrong: spec.folder for spec in TYPES_TABLE
                   for wrong in (spec.name, *spec.folder_typos)}
DOSSIER_FILE = "dossier"
YAML_SUFFIXES = (".yml", ".yaml")


@dataclass
class LoadedFile:
    """One content file read into plain data, with its source map."""

    path: str  # as shown in diagnostics
    type: str  # 'person', 'agency', ... or 'dossier'
    stem: str
    data: Any
    smap: SourceMap
    lines: list[str] = field(repr=False, default_factory=list)

    def loc(self, path: tuple[str | int, ...] = (), key: bool = False) -> Loc:
        raw = None if key else self.smap.values.get(path)  # the common case, without a Span
        if raw is not None:
            return Loc(self.path, raw[0] + 1, raw[1] + 1)
        span = self.smap.key(path) if key else self.smap.value(path)
        return Loc(self.path, span.line + 1, span.column + 1)


@dataclass
class LoadedContent:
    root: str
    files: list[LoadedFile]
    dossier: LoadedFile | None
    dossier_found: bool = False  # True even when dossier.yml could not be read (reported)


def display_path(path: Path) -> str:
    """Paths relative to the working directory when inside it, as compilers print them."""
    absolute = Path(os.path.abspath(path))  # not resolve(): a link is shown as itself
    try:
        return absolute.relative_to(Path(os.path.abspath(Path.cwd()))).as_posix()
    except ValueError:
        return absolute.as_posix()


#: shown path → ((mtime_ns, size), what it read): lets the live preview skip unchanged files
LoadCache = dict[str, tuple[tuple[int, int], "LoadedFile"]]


@dataclass
class Listing:
    """What the content folder holds to be read, in a stable order: the walk's verdict
    on every file (misplaced, linked out, not YAML: reported) before any is opened."""

    root: str  # as shown in diagnostics
    dossier: tuple[Path, str] | None  # dossier.yml: (path, shown path)
    files: list[tuple[Path, str, str]] = field(default_factory=list)  # (path, shown, type)


def load_content(content_dir: Path, diags: Diagnostics, cache: LoadCache | None = None) -> LoadedContent:
    """Read every entity file under `content_dir` (see the module docstring).

    With a `cache` (kept by the caller between runs), a file whose modification
    time and size are unchanged is not read again.
    """
    return load_listed(list_content(content_dir, diags), diags, cache)


def load_listed(listing: Listing, diags: Diagnostics, cache: LoadCache | None = None) -> LoadedContent:
    """Read the files of a `Listing`: the dossier file and every entity file."""
    dossier = None
    if listing.dossier is not None:
        dossier = read_file(*listing.dossier, "dossier", diags, cache)
    files = []
    for path, shown, type_ in listing.files:
        loaded = read_file(path, shown, type_, diags, cache)
        if loaded is not None:
            files.append(loaded)
    return LoadedContent(listing.root, files, dossier, listing.dossier is not None)


def list_content(content_dir: Path, diags: Diagnostics) -> Listing:
    """Walk `content_dir`: the files to read, and a located problem for every other file."""
    root = content_dir
    shown_root = display_path(root)
    listing = Listing(shown_root, None)
    problem = _root_problem(root)
    if problem:
        diags.error(Loc(shown_root), problem,
                    "Pass the folder that holds dossier.yml with --content DIR.")
        return listing
    real_root = root.resolve()
    prefix = "" if shown_root == "." else shown_root.rstrip("/") + "/"
    found, unread = _walk(root)
    for rel, message, hint in unread:
        diags.error(Loc(prefix + "/".join(rel) if rel else shown_root), message, hint)
    for path, rel, is_link in found:
        shown = prefix + "/".join(rel)  # display_path(path), without pathlib per file
        if is_link:
            link_problem = _link_problem(path)
            if link_problem:
                diags.error(Loc(shown), *link_problem)
                continue
        if is_link and not _inside(path.resolve(), real_root):
            diags.error(Loc(shown), "symbolic link points outside the content folder; not read",
                        "Copy the file into the content folder instead of linking to it.")
            continue
        if os.path.splitext(rel[-1])[1] not in YAML_SUFFIXES:
            diags.warning(Loc(shown), "not a .yml or .yaml file; ignored")
            continue
        if len(rel) == 1:
            if path.stem == DOSSIER_FILE and listing.dossier is not None:
                diags.error(Loc(shown), "a second dossier file; only the first one is read",
                            "Keep one of dossier.yml and dossier.yaml.")
            elif path.stem == DOSSIER_FILE:
                listing.dossier = (path, shown)
            else:
                diags.error(Loc(shown), "entity files belong in a type folder",
                            f"Move it into one of: {', '.join(TYPE_FOLDERS)}.")
            continue
        folder = rel[0]
        if folder not in TYPE_FOLDERS:
            synonym = FOLDER_SYNONYMS.get(folder.lower())
            diags.error(
                Loc(shown), f"unknown folder '{folder}'",
                (f"Did you mean '{synonym}'?" if synonym else did_you_mean(folder, TYPE_FOLDERS))
                or f"Entity folders are: {', '.join(TYPE_FOLDERS)}.",
            )
            continue
        if len(rel) > 2:
            diags.error(Loc(shown), f"sub-folders of '{folder}' are not read",
                        f"Move the file directly into {folder}/; the file name is the id.")
            continue
        listing.files.append((path, shown, TYPE_FOLDERS[folder]))
    return listing


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _root_problem(root: Path) -> str | None:
    """What keeps `root` from being walked as the content folder, if anything."""
    try:
        mode = os.stat(root).st_mode
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            return "content folder not found"
        return f"cannot read the content folder: {exc.strerror or exc}"
    return None if stat.S_ISDIR(mode) else "the content folder is a file, not a folder"


def _link_problem(path: Path) -> tuple[str, str | None] | None:
    """Why a symbolic link cannot be read (message, hint), if it cannot."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR, errno.ELOOP):
            return ("broken symbolic link; not read",
                    "Remove the link, or point it at a file inside the content folder.")
        return f"cannot read file: {exc.strerror or exc}", None
    return None


#: how many folders deep the walk goes. Profiles sit one folder down (people/a.yml) and
#: files a few folders further down are reported one by one; a folder deeper than this is
#: reported once and not entered, so a tree thousands of folders deep (found: 1,100 levels
#: overflowed the recursive walk) costs a bounded walk.
MAX_FOLDER_DEPTH = 8
_FOLDER_HINTS = {
    errno.EACCES: "Give yourself read access to it (chmod u+rx).",
    errno.EPERM: "Give yourself read access to it (chmod u+rx).",
    errno.ENAMETOOLONG: "Shorten the folder names, or move the folder out of the content folder.",
}
#: a file found by the walk: (path, its parts relative to root, is a symlink)
Found = tuple[Path, tuple[str, ...], bool]
#: a folder the walk could not enter: (its parts relative to root, message, hint)
Unread = tuple[tuple[str, ...], str, str | None]
#: a folder's entry: (path, its parts relative to root, 'folder', 'link' or 'file')
Entry = tuple[str, tuple[str, ...], str]


def _walk(root: Path) -> tuple[list[Found], list[Unread]]:
    """Every file below root in a stable order (depth first over sorted names: already in
    the order of their parts), and every folder that could not be listed or is too deep.
    Symlinked folders are listed (to be reported), never entered."""
    found: list[Found] = []
    unread: list[Unread] = []
    stack = [iter(_entries(str(root), (), unread))]
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        path, parts, kind = entry
        if kind != "folder":  # files, symlinks (to files or folders), pipes: judged by the caller
            found.append((Path(path), parts, kind == "link"))
        elif len(parts) > MAX_FOLDER_DEPTH:
            unread.append((parts, f"folder nested {len(parts)} levels deep; not read",
                           "Profiles sit directly in a type folder, e.g. people/<id>.yml."))
        else:
            stack.append(iter(_entries(path, parts, unread)))
    return found, unread


def _entries(folder: str, rel: tuple[str, ...], unread: list[Unread]) -> list[Entry]:
    """A folder's entries sorted by name; none, and the reason noted in `unread`, when the
    system refuses to list it."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
        return [(entry.path, (*rel, entry.name), _kind(entry)) for entry in entries]
    except OSError as exc:
        unread.append((rel, f"cannot read folder: {exc.strerror or exc}",
                       _FOLDER_HINTS.get(exc.errno or 0)))
        return []


def _kind(entry: os.DirEntry[str]) -> str:
    """'folder' (a real one), 'link' or 'file', from what the listing already knows."""
    try:
        if entry.is_dir(follow_symlinks=False):
            return "folder"
        return "link" if entry.is_symlink() else "file"
    except OSError:  # cannot tell: a file, whose reading reports the problem
        return "file"


def read_file(path: Path, shown: str, type_: str, diags: Diagnostics,
              cache: LoadCache | None = None) -> LoadedFile | None:
    """Read one file into a `LoadedFile`; None (and a located problem) when it cannot be."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a folder, pipe or device: never opened
            diags.error(Loc(shown), "not a regular file; not read",
                        "Content files are plain text files.")
            return None
        stamp = (info.st_mtime_ns, info.st_size)
        if cache is not None and shown in cache and cache[shown][0] == stamp:
            return cache[shown][1]
        if info.st_size > MAX_BYTES:
            diags.error(Loc(shown), f"file is {info.st_size:,} bytes; the limit is {MAX_BYTES:,}",
                        "Split the profile or move long text to a source.")
            return None
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            diags.error(Loc(shown), f"file is over {MAX_BYTES:,} bytes", "Split the profile.")
            return None
    except OSError as exc:
        diags.error(Loc(shown), f"cannot read file: {exc.strerror or exc}")
        return None
    text = decode_text(raw, shown, diags)
    if text is None:
        return None
    lines = text.splitlines()
    try:
        data, smap = read_yaml(text)
    except YamlProblem as problem:
        diags.error(Loc(shown, problem.line + 1, problem.column + 1), problem.message, problem.hint)
        return None
    if not isinstance(data, dict):
        what = "empty" if data is None else f"a {type_name(data)}"
        first = "title" if type_ == "dossier" else "name"
        diags.error(Loc(shown, 1, 1), f"the file's top level must be a mapping of fields, not {what}",
                    f"Start with `{first}: ...` on the first line.")
        return None
    loaded = LoadedFile(shown, type_, path.stem, data, smap, lines)
    if cache is not None:
        cache[shown] = (stamp, loaded)
    return loaded


def decode_text(raw: bytes, shown: str, diags: Diagnostics) -> str | None:
    """The file's text, or None and a located problem when it is not UTF-8 text."""
    utf16 = _utf16(raw)
    if utf16:
        diags.error(Loc(shown, 1, 1), f"file is UTF-16 ({utf16}); content files must be UTF-8",
                    "Save the file as UTF-8 in your editor.")
        return None
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, col = _position(raw, nul)
        diags.error(Loc(shown, line, col), "binary data (a NUL byte) in a content file",
                    "Content files are UTF-8 text.")
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _position(raw, exc.start)
        diags.error(Loc(shown, line, col), f"invalid UTF-8 byte 0x{raw[exc.start]:02x}",
                    "Save the file as UTF-8 in your editor.")
        return None


def _utf16(raw: bytes) -> str | None:
    """'little-endian' or 'big-endian' when the bytes are UTF-16 text, with or without a BOM."""
    if raw.startswith(b"\xff\xfe"):
        return "little-endian"
    if raw.startswith(b"\xfe\xff"):
        return "big-endian"
    head = raw[:64]
    if len(head) >= 4 and len(head) % 2 == 0:  # ASCII text in UTF-16: every other byte is NUL
        if not any(head[1::2]) and all(head[0::2]):
            return "little-endian"
        if not any(head[0::2]) and all(head[1::2]):
            return "big-endian"
    return None


def _position(raw: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of a byte offset."""
    line = raw.count(b"\n", 0, offset) + 1
    start = raw.rfind(b"\n", 0, offset) + 1
    column = len(raw[start:offset].decode("utf-8", errors="replace")) + 1
    return line, column
