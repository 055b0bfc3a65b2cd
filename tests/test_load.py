"""Stage 1, load: reading files. Exact messages and `path:line:column` are asserted.

Every test calls `generator.load` itself (`load_content`, or `read_yaml` for the
reader); only the test of how a file name is printed runs the command line, since
printing is the command line's.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from generator import load as load_module
from generator.diagnostics import Diagnostics
from generator.load import display_path, load_content
from generator.yamlstrict import read_yaml

from .conftest import ContentFactory, cli, write


def load(root: Path) -> tuple[list[str], list[str]]:
    """What load_content reports about `root` (sorted, as printed) and the files it read."""
    diags = Diagnostics()
    loaded = load_content(root, diags)
    return [d.format() for d in diags.sorted()], [f.path for f in loaded.files]


def test_reads_entity_files_with_type_from_folder(content: ContentFactory) -> None:
    root = content({"content/people/a.yml": "name: A\n", "content/agencies/b.yaml": "name: B\n"})
    diags = Diagnostics()
    loaded = load_content(root, diags)
    assert not diags.items
    assert {(f.stem, f.type) for f in loaded.files} == {("a", "person"), ("b", "agency"), ("src", "source")}
    assert loaded.dossier is not None and loaded.dossier.data == {"title": "Test dossier"}


def test_yaml_11_surprises_stay_strings() -> None:
    data, _ = read_yaml("iso: NO\non: yes\nn: 010\nt: 1:20\nd: 2019-02-30\nv: 12\nf: 1.5\nb: true\n")
    assert data == {"iso": "NO", "on": "yes", "n": "010", "t": "1:20", "d": "2019-02-30",
                    "v": 12, "f": 1.5, "b": True}


def test_source_map_keeps_locations_outside_the_data() -> None:
    data, smap = read_yaml("name: A\nroles:\n  - title: X\n    since: 2019\n")
    assert data == {"name": "A", "roles": [{"title": "X", "since": 2019}]}
    span = smap.value(("roles", 0, "since"))
    assert (span.line, span.column) == (3, 11)
    assert smap.key(("roles", 0, "since")).column == 4


BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True))

# case → (a file in people/, its bytes (text is written as UTF-8), the one diagnostic, or
# None when it loads): each file is judged on its own, and a file with a problem is not read
FILE_PROBLEMS: dict[str, tuple[str, str | bytes, str | None]] = {
    "duplicate-key": (
        "a.yml", "name: A\nsummary: x\nname: B\n",
        "content/people/a.yml:3:1: error: duplicate key 'name' (first at line 1) "
        "Keep one of the two; YAML would silently drop the first."),
    "alias-bomb": (  # refused at once, never expanded
        "bomb.yml", "name: B\n" + BOMB,
        "content/people/bomb.yml:2:4: error: YAML anchor '&a' is not allowed "
        "Remove the anchor; anchors and aliases are refused."),
    "binary": (
        "bin.yml", b"name: A\nx: \x00\x01",
        "content/people/bin.yml:2:4: error: binary data (a NUL byte) in a content file "
        "Content files are UTF-8 text."),
    "empty": (
        "empty.yml", "",
        "content/people/empty.yml:1:1: error: empty file Write the profile as a mapping, "
        "e.g. `name: ...`."),
    "latin-1": (
        "latin1.yml", "name: Ab\nsummary: caf\xe9\n".encode("latin-1"),
        "content/people/latin1.yml:2:13: error: invalid UTF-8 byte 0xe9 "
        "Save the file as UTF-8 in your editor."),
    "top-level-list": (
        "list.yml", "- name: A\n",
        "content/people/list.yml:1:1: error: the file's top level must be a mapping of "
        "fields, not a list Start with `name: ...` on the first line."),
    "multi-document": (
        "multi.yml", "name: A\n---\nname: B\n",
        "content/people/multi.yml:2:1: error: a second YAML document in the file Keep one "
        "entity per file; remove the `---` line and what follows, or move it to a file of "
        "its own."),
    "tab-indentation": (
        "tab.yml", "name: A\nroles:\n\t- title: x\n",
        "content/people/tab.yml:3:1: error: tab character in indentation "
        "Indent YAML with spaces only."),
    "utf-16": (
        "u16.yml", "name: A\n".encode("utf-16"),
        "content/people/u16.yml:1:1: error: file is UTF-16 (little-endian); content files "
        "must be UTF-8 Save the file as UTF-8 in your editor."),
    "utf-8-with-bom": ("bom.yml", b"\xef\xbb\xbfname: Bom\n", None),
    "custom-tag": (
        "tag.yml", "name: !!python/object:os.system x\n",
        "content/people/tag.yml:1:7: error: YAML tag "
        "'tag:yaml.org,2002:python/object:os.system' is not allowed Remove the tag; "
        "content is plain strings, numbers, lists and mappings."),
    "deep-nesting": (
        "deep.yml", "name: A\nx: " + "[" * 40 + "]" * 40 + "\n",
        "content/people/deep.yml:2:36: error: nesting deeper than 32 levels"),
}


def _write_people(root: Path, files: dict[str, str | bytes]) -> None:
    """Files written byte for byte (no dedent): the bytes are the case."""
    (root / "people").mkdir(exist_ok=True)
    for name, raw in files.items():
        (root / "people" / name).write_bytes(raw.encode() if isinstance(raw, str) else raw)


@pytest.mark.parametrize(("name", "raw", "expected"), list(FILE_PROBLEMS.values()),
                         ids=list(FILE_PROBLEMS))
def test_a_file_that_cannot_be_read_as_a_mapping_is_a_located_error(
        content: ContentFactory, name: str, raw: str | bytes, expected: str | None) -> None:
    root = content({})
    _write_people(root, {name: raw})
    msgs, files = load(root)
    assert msgs == ([] if expected is None else [expected])
    assert (f"content/people/{name}" in files) == (expected is None)


def test_every_file_problem_is_reported_in_one_run(content: ContentFactory) -> None:
    """All the files above in one folder: each problem once, every sound file read."""
    cases = FILE_PROBLEMS.values()
    root = content({})
    _write_people(root, {name: raw for name, raw, _ in cases})
    msgs, files = load(root)
    assert sorted(msgs) == sorted(expected for _, _, expected in cases if expected is not None)
    assert sorted(files) == ["content/people/bom.yml", "content/sources/src.yml"]


LIST_HINT = "Close it with ']', or quote the whole value if the '[' is part of the text."
MAP_HINT = "Close it with '}', or quote the whole value if the '{' is part of the text."
BLOCK_HINT = ("Check this line's indentation against the lines above, and quote a value that "
              "holds ': ', ' #' or text after a closing quote.")


# case → (file text, the one diagnostic): an unclosed bracket or quote is reported where it
# opened (the place to fix), naming where the parser gave up; a block mistake where it broke
@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("name: A\nsummary: x\n\n\ntags: [a, b\n\nupdated: 2020\n",
                 "5:7: error: invalid YAML: the list opened here with '[' is not closed (the "
                 "parser gave up at line 7, column 8) " + LIST_HINT, id="unclosed-list"),
    pytest.param("name: A\nsummary: [unclosed\n",
                 "2:10: error: invalid YAML: the list opened here with '[' is not closed (the "
                 "parser gave up at line 3, column 1) " + LIST_HINT, id="unclosed-list-at-end"),
    pytest.param("name: A\nroles: [{title: x}, [a]\nnote: y\n",
                 "2:8: error: invalid YAML: the list opened here with '[' is not closed (the "
                 "parser gave up at line 3, column 1) " + LIST_HINT, id="unclosed-outer-list"),
    pytest.param("name: A\nroles:\n  - {title: x, since: 2019\n  - {title: y}\n",
                 "3:5: error: invalid YAML: the mapping opened here with '{' is not closed (the "
                 "parser gave up at line 4, column 5) " + MAP_HINT, id="unclosed-mapping"),
    pytest.param('name: A\nsummary: "Quoted\n  text\nupdated: 2020\n',
                 "2:10: error: invalid YAML: the quoted text opened here with '\"' is not closed "
                 "(the parser gave up at line 5, column 1) End it with a matching '\"'; inside "
                 "it, write \\\" for a double quote.", id="unclosed-double-quote"),
    pytest.param("name: 'O'Brien\nsummary: x\n",
                 "1:10: error: invalid YAML: did not find expected key, in the mapping that begins "
                 "at line 1 " + BLOCK_HINT, id="single-quote-closed-early"),
    pytest.param("name: A\nsummary: 'it''s\n",
                 "2:10: error: invalid YAML: the quoted text opened here with \"'\" is not closed "
                 "(the parser gave up at line 3, column 1) End it with a matching \"'\"; inside "
                 "it, write '' for a single quote.", id="unclosed-single-quote"),
    pytest.param("name: A\n- x\n",
                 "2:1: error: invalid YAML: did not find expected key, in the mapping that begins "
                 "at line 1 " + BLOCK_HINT, id="list-item-in-mapping"),
    pytest.param("name: A\nroles:\n  - title: x\n    since: 2019\n   until: 2020\n",
                 "5:4: error: invalid YAML: did not find expected '-' indicator, in the list that "
                 "begins at line 3 " + BLOCK_HINT, id="list-item-dedented"),
    pytest.param("name: A\nsummary x\nupdated: 2020\n",
                 "2:1: error: invalid YAML: the key that starts here is not followed by ':' (the "
                 "parser gave up at line 3, column 1) Write each field as `field: value`; a line "
                 "that continues the text above must be indented.", id="key-without-colon"),
    pytest.param("name: A\nsummary: x\n  bad: y\n",
                 "3:6: error: invalid YAML: mapping values are not allowed in this context "
                 "Quote a value that holds ': ', or indent this field like the others.",
                 id="mapping-indented-under-a-value"),
    pytest.param("name: A\nsummary: @handle\n",
                 "2:10: error: invalid YAML: found character that cannot start any token "
                 "Quote the value: '@' cannot start unquoted text in YAML.", id="reserved-character"),
])
def test_yaml_syntax_error_is_reported_where_the_construct_began(content: ContentFactory, text: str,
                                                                 expected: str) -> None:
    root = content({"content/people/a.yml": text})
    msgs, files = load(root)
    assert msgs == ["content/people/a.yml:" + expected]
    assert "content/people/a.yml" not in files


def test_unknown_folder_stray_files_and_oversized(content: ContentFactory) -> None:
    root = content({
        "content/persons/a.yml": "name: A\n",
        "content/people/notes.txt": "hello",
        "content/b.yml": "name: B\n",
    })
    (root / "people" / "huge.yml").write_text("name: H\nsummary: " + "x" * (1024 * 1024) + "\n")
    msgs, _ = load(root)
    assert msgs == [
        "content/b.yml: error: entity files belong in a type folder Move it into one of: people, "
        "agencies, domains, events, installations, countries, sources.",
        "content/people/huge.yml: error: file is 1,048,594 bytes; the limit is 1,048,576 "
        "Split the profile or move long text to a source.",
        "content/people/notes.txt: warning: not a .yml or .yaml file; ignored",
        "content/persons/a.yml: error: unknown folder 'persons' Did you mean 'people'?",
    ]


def test_symlink_outside_content_is_refused_never_read(content: ContentFactory, tmp_path: Path) -> None:
    secret = write(tmp_path, {"secret.yml": "name: Secret\n"}) / "secret.yml"
    root = content({})
    (root / "people").mkdir()
    (root / "people" / "leak.yml").symlink_to(secret)
    msgs, files = load(root)
    assert msgs == [
        "content/people/leak.yml: error: symbolic link points outside the content folder; "
        "not read Copy the file into the content folder instead of linking to it."]
    assert "content/people/leak.yml" not in files


def test_missing_content_folder(content: ContentFactory, tmp_path: Path) -> None:
    msgs, _ = load(tmp_path / "nope")
    assert msgs == ["nope: error: content folder not found Pass the folder that holds "
                    "dossier.yml with --content DIR."]


def test_control_characters_in_a_file_name_are_printed_escaped(content: ContentFactory,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    """A file name (or a key in a file) can hold a newline or ESC: printed raw, it would
    forge a diagnostic line or colour the terminal."""
    root = content({})
    (root / "people").mkdir()
    (root / "people" / "evil\nforged.yml:1:1: error: all is well.yml").write_text("name: A\n")
    (root / "people" / "\x1b[31mred\x9b.yml").write_text("name: B\n")
    (root / "people" / os.fsdecode(b"caf\xe9.yml")).write_text("name: C\n")  # Latin-1 bytes
    (root / "people" / "k.yml").write_text('name: K\n"\\e[2Jx\\u2028y": 1\n')  # content text too
    code, _, err = cli(capsys, "check", "--content", str(root))
    assert code == 1
    assert "\x1b" not in err and "\x9b" not in err
    lines = err.splitlines()
    assert all(line.startswith(("content/people/", "dossier: failed")) for line in lines)
    assert lines[3].startswith("content/people/k.yml:2:1: error: unknown field '\\x1b[2Jx\\u2028y'")
    assert lines[:3] == [
        "content/people/\\x1b[31mred\\x9b.yml:1:1: error: file name '\\x1b[31mred\\x9b' is not a "
        "valid id Ids are lowercase letters, digits and single hyphens, at most 64 characters, "
        "e.g. people/31mred.yml.",
        "content/people/caf\\xe9.yml:1:1: error: file name 'caf\\xe9' is not a valid id Ids are "
        "lowercase letters, digits and single hyphens, at most 64 characters, e.g. people/caf.yml.",
        "content/people/evil\\nforged.yml:1:1: error: all is well.yml:1:1: error: file name "
        "'evil\\nforged.yml:1:1: error: all is well' is not a valid id Ids are lowercase letters, "
        "digits and single hyphens, at most 64 characters, e.g. "
        "people/evil-forged-yml-1-1-error-all-is-well.yml.",
    ]


def _nest(base: Path, names: list[str], file: str | None = None) -> Path:
    """Folders `names` nested in `base` (and a profile `file` in the last), made one below
    the other through a descriptor: a path past PATH_MAX cannot be made in one call."""
    fd = os.open(base, os.O_RDONLY)
    try:
        for name in names:
            os.mkdir(name, dir_fd=fd)
            inner = os.open(name, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        if file is not None:
            with open(os.open(file, os.O_WRONLY | os.O_CREAT, dir_fd=fd), "w") as handle:
                handle.write("name: X\n")
    finally:
        os.close(fd)
    return base.joinpath(*names)


def _unnest(top: Path) -> None:
    """Remove a tree of nested folders bottom-up through descriptors, without recursion:
    shutil.rmtree (and so pytest's clean-up of old temporary folders) recurses once per
    level and fails on a tree 1,100 folders deep."""
    fds, names = [os.open(top, os.O_RDONLY)], []
    while fds:
        sub = None
        for entry in os.scandir(fds[-1]):
            if entry.is_dir(follow_symlinks=False):
                sub = entry.name
                break
            os.unlink(entry.name, dir_fd=fds[-1])
        if sub is not None:
            names.append(sub)
            fds.append(os.open(sub, os.O_RDONLY, dir_fd=fds[-1]))
            continue
        os.close(fds.pop())
        if names:
            os.rmdir(names.pop(), dir_fd=fds[-1])
    os.rmdir(top)


#: a file beside the folder that cannot be read: that it is read says the walk went on
BAD_FILE = "people/Bad.yml"


def test_a_tree_thousands_of_folders_deep_is_one_located_error(content: ContentFactory) -> None:
    root = content({"content/people/Bad.yml": "name: B\n"})
    _nest(root / "people", ["d"] * 1100, "x.yml")  # past Python's recursion limit of 1,000
    try:
        msgs, files = load(root)
        assert msgs == [
            "content/people/d/d/d/d/d/d/d/d: error: folder nested 9 levels deep; not read "
            "Profiles sit directly in a type folder, e.g. people/<id>.yml.",
        ]
        assert sorted(files) == ["content/" + BAD_FILE, "content/sources/src.yml"]  # the rest is read
    finally:
        _unnest(root / "people" / "d")


def test_a_folder_past_path_max_is_a_located_error(content: ContentFactory, tmp_path: Path) -> None:
    long = "l" * 255
    base = _nest(tmp_path, [long] * 14)  # 14 x 256 characters: near PATH_MAX (4,096)
    write(base, {"content/dossier.yml": "title: T\n", "content/people/Bad.yml": "name: B\n"})
    root = base / "content"
    past = _nest(root / "people", [long] * 3, "x.yml")
    assert len(os.fsencode(past.parent)) > 4096 > len(os.fsencode(past.parent.parent))
    shown = display_path(past.parent)
    msgs, files = load(root)
    assert msgs == [
        f"{shown}: error: cannot read folder: File name too long "
        "Shorten the folder names, or move the folder out of the content folder.",
    ]
    assert files == [display_path(root) + "/" + BAD_FILE]  # the rest is read
    # a content folder named by a path past PATH_MAX: one located error, no traceback
    assert load(past) == ([
        f"{display_path(past)}: error: cannot read the content folder: File name too long "
        "Pass the folder that holds dossier.yml with --content DIR."], [])


def _refused(monkeypatch: pytest.MonkeyPatch, call: str, name: str) -> None:
    """The os call `call` raises PermissionError for a path whose last part is `name`.

    We run as root, which reads any folder whatever its mode, so a refusal is made by
    the system call itself rather than by chmod (which would prove nothing here)."""
    real = getattr(os, call)

    def refusing(path: Any, *args: Any, **kw: Any) -> Any:
        if isinstance(path, str | Path) and Path(path).name == name:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, *args, **kw)

    monkeypatch.setattr(load_module.os, call, refusing)


def test_an_unreadable_folder_is_a_located_error(content: ContentFactory,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    root = content({"content/people/Bad.yml": "name: B\n", "content/agencies/a.yml": "name: A\n"})
    _refused(monkeypatch, "scandir", "agencies")
    msgs, files = load(root)
    assert msgs == [
        "content/agencies: error: cannot read folder: Permission denied "
        "Give yourself read access to it (chmod u+rx).",
    ]
    assert sorted(files) == ["content/" + BAD_FILE, "content/sources/src.yml"]  # the rest is read


def test_a_link_the_system_refuses_to_follow_is_a_located_error(
        content: ContentFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    root = content({"content/people/Bad.yml": "name: B\n", "content/people/a.yml": "name: A\n"})
    (root / "people" / "b.yml").symlink_to("a.yml")
    _refused(monkeypatch, "stat", "b.yml")
    msgs, files = load(root)
    assert msgs == ["content/people/b.yml: error: cannot read file: Permission denied"]
    assert sorted(files) == ["content/" + BAD_FILE, "content/people/a.yml",
                             "content/sources/src.yml"]  # the rest is read


def test_a_content_folder_that_is_a_file(content: ContentFactory, tmp_path: Path) -> None:
    content({})
    (tmp_path / "notes.yml").write_text("title: T\n")
    msgs, _ = load(tmp_path / "notes.yml")
    assert msgs == ["notes.yml: error: the content folder is a file, not a folder "
                    "Pass the folder that holds dossier.yml with --content DIR."]
