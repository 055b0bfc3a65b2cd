"""Stage 1, load: read the content folder into plain data with source locations.

Nothing here knows the content model beyond the folder layout: it finds the
files, decodes them, reads them with the strict YAML reader and reports every
file-level problem (encoding, binary data, size, YAML syntax) as a located
diagnostic. The result is a `LoadedContent` for the validate stage.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostics, Loc, did_you_mean
from .yamlstrict import MAX_BYTES, SourceMap, YamlProblem, read_yaml

#: folder name → entity type (the contract's layout)
TYPE_FOLDERS: dict[str, str] = {
    "people": "person",
    "agencies": "agency",
    "domains": "domain",
    "events": "event",
    "installations": "installation",
    "countries": "country",
    "sources": "source",
}
FOLDER_OF_TYPE = {t: f for f, t in TYPE_FOLDERS.items()}
#: folder names people write by mistake → the right one
FOLDER_SYNONYMS = {**FOLDER_OF_TYPE, "persons": "people", "organizations": "agencies",
                   "organisations": "agencies", "bases": "installations"}
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
        span = self.smap.key(path) if key else self.smap.value(path)
        return Loc(self.path, span.line + 1, span.column + 1)


@dataclass
class LoadedContent:
    root: str
    files: list[LoadedFile]
    dossier: LoadedFile | None


def display_path(path: Path) -> str:
    """Paths relative to the working directory when inside it, as compilers print them."""
    absolute = Path(os.path.abspath(path))  # not resolve(): a link is shown as itself
    try:
        return absolute.relative_to(Path(os.path.abspath(Path.cwd()))).as_posix()
    except ValueError:
        return absolute.as_posix()


#: shown path → ((mtime_ns, size), what it read): lets the live preview skip unchanged files
LoadCache = dict[str, tuple[tuple[int, int], "LoadedFile"]]


def load_content(content_dir: Path, diags: Diagnostics, cache: LoadCache | None = None) -> LoadedContent:
    """Read every entity file under `content_dir` (see the module docstring).

    With a `cache` (kept by the caller between runs), a file whose modification
    time and size are unchanged is not read again.
    """
    root = content_dir
    shown_root = display_path(root)
    if not root.is_dir():
        diags.error(Loc(shown_root), "content folder not found",
                    "Pass the folder that holds dossier.yml with --content DIR.")
        return LoadedContent(shown_root, [], None)
    real_root = root.resolve()
    files: list[LoadedFile] = []
    dossier: LoadedFile | None = None
    for path in _walk(root):
        shown = display_path(path)
        rel = path.relative_to(root)
        if path.is_symlink() and not _inside(path.resolve(), real_root):
            diags.error(Loc(shown), "symbolic link points outside the content folder; not read",
                        "Copy the file into the content folder instead of linking to it.")
            continue
        if path.suffix not in YAML_SUFFIXES:
            diags.warning(Loc(shown), "not a .yml or .yaml file; ignored")
            continue
        if len(rel.parts) == 1:
            if path.stem == DOSSIER_FILE:
                dossier = _read_file(path, shown, "dossier", diags, cache)
            else:
                diags.error(Loc(shown), "entity files belong in a type folder",
                            f"Move it into one of: {', '.join(TYPE_FOLDERS)}.")
            continue
        folder = rel.parts[0]
        if folder not in TYPE_FOLDERS:
            synonym = FOLDER_SYNONYMS.get(folder.lower())
            diags.error(
                Loc(shown), f"unknown folder '{folder}'",
                (f"Did you mean '{synonym}'?" if synonym else did_you_mean(folder, TYPE_FOLDERS))
                or f"Entity folders are: {', '.join(TYPE_FOLDERS)}.",
            )
            continue
        loaded = _read_file(path, shown, TYPE_FOLDERS[folder], diags, cache)
        if loaded is not None:
            files.append(loaded)
    return LoadedContent(shown_root, files, dossier)


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _walk(root: Path) -> list[Path]:
    """Every file below root, in a stable order; symlinked folders are not entered."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        base = Path(dirpath)
        for d in list(dirnames):
            if (base / d).is_symlink():
                found.append(base / d)  # reported as a link, never entered
                dirnames.remove(d)
        found.extend(base / f for f in sorted(filenames))
    return sorted(found)


def _read_file(path: Path, shown: str, type_: str, diags: Diagnostics,
               cache: LoadCache | None = None) -> LoadedFile | None:
    try:
        if path.is_dir():
            raise IsADirectoryError
        st = path.stat()
        size = st.st_size
        stamp = (st.st_mtime_ns, size)
        if cache is not None and shown in cache and cache[shown][0] == stamp:
            return cache[shown][1]
        if size > MAX_BYTES:
            diags.error(Loc(shown), f"file is {size:,} bytes; the limit is {MAX_BYTES:,}",
                        "Split the profile or move long text to a source.")
            return None
        raw = path.read_bytes()
    except OSError as exc:
        diags.error(Loc(shown), f"cannot read file: {exc.strerror or exc}")
        return None
    text = _decode(raw, shown, diags)
    if text is None:
        return None
    lines = text.splitlines()
    try:
        data, smap = read_yaml(text)
    except YamlProblem as problem:
        if _char_at(lines, problem.line, problem.column) == "\t":
            problem = YamlProblem(problem.line, problem.column, "tab character in indentation",
                                  "Indent YAML with spaces only.")
        diags.error(Loc(shown, problem.line + 1, problem.column + 1), problem.message, problem.hint)
        return None
    if not isinstance(data, dict):
        what = "empty" if data is None else f"a {type(data).__name__}"
        diags.error(Loc(shown, 1, 1), f"the file's top level must be a mapping of fields, not {what}",
                    "Start with `name: ...` on the first line.")
        return None
    loaded = LoadedFile(shown, type_, path.stem, data, smap, lines)
    if cache is not None:
        cache[shown] = (stamp, loaded)
    return loaded


def _decode(raw: bytes, shown: str, diags: Diagnostics) -> str | None:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        diags.error(Loc(shown, 1, 1), "file is UTF-16; content files must be UTF-8",
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


def _position(raw: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of a byte offset."""
    line = raw.count(b"\n", 0, offset) + 1
    start = raw.rfind(b"\n", 0, offset) + 1
    column = len(raw[start:offset].decode("utf-8", errors="replace")) + 1
    return line, column


def _char_at(lines: list[str], line: int, column: int) -> str:
    if 0 <= line < len(lines) and 0 <= column < len(lines[line]):
        return lines[line][column]
    return ""
