"""Dossier replaces only what it made (`generator.outputs`): real commands run against
folders laid out in tmp_path, every file compared byte for byte before and after.

Layout of each case: the inputs in `inputs/` (content, a copy of the site
configuration, a templates folder), the working folder `work/sub/` (the cwd), a home
folder `h/home/` (HOME points there) and TMPDIR `tmp/`. Nothing outside tmp_path is
ever written to or named as an output, except "/" handed to the pure check.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from generator import outputs
from generator.config import DEFAULT_CONFIG_DIR

from .conftest import FIXTURES, MINIMAL_DOSSIER, ROOT, SOURCE, cli, write

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

DIR = object()  # in a case's files: make this folder


class Link(str):
    """In a case's files: a symbolic link with this target."""


def snapshot(root: Path) -> dict[str, object]:
    """Every file's bytes, every link's target, every folder, under `root`."""
    seen: dict[str, object] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():
            seen[rel] = ("link", os.readlink(path))
        elif path.is_dir():
            seen[rel] = "folder"
        else:
            seen[rel] = path.read_bytes()
    return seen


def lay_out(root: Path, files: dict[str, object]) -> None:
    for rel, what in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if what is DIR:
            path.mkdir(exist_ok=True)
        elif isinstance(what, Link):
            path.symlink_to(str(what))
        else:
            assert isinstance(what, str)
            path.write_text(what)


@pytest.fixture
def place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The layout of the module docstring; returns tmp_path (the cwd is work/sub)."""
    write(tmp_path / "inputs", {"content/dossier.yml": MINIMAL_DOSSIER,
                                "content/sources/src.yml": SOURCE,
                                "templates/notes.txt": "my templates go here\n"})
    shutil.copytree(DEFAULT_CONFIG_DIR, tmp_path / "inputs" / "site_config")
    lay_out(tmp_path, {"work/sub/": DIR, "h/home/.profile": "mine\n", "tmp/": DIR})
    monkeypatch.chdir(tmp_path / "work" / "sub")
    monkeypatch.setenv("HOME", str(tmp_path / "h" / "home"))
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    return tmp_path


def dossier(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> tuple[int, str]:
    """The command line in this process; `{root}` in an argument is tmp_path."""
    command, *rest = (a.replace("{root}", str(root)) for a in args)
    inputs = ["--content", f"{root}/inputs/content", "--config", f"{root}/inputs/site_config",
              "--templates", f"{root}/inputs/templates"]
    extra = ["--format", "json"] if command == "export" else []
    code, _, err = cli(capsys, command, *inputs, *extra, *rest)
    return code, err


# case → (a command run first, files laid out then, the command, the message or None for success)
CASES: dict[str, tuple[list[str], dict[str, object], list[str], str | None]] = {
    # accepted: new, empty, or Dossier's own earlier output of the same kind
    "new-folder": ([], {}, ["build", "--site-dir", "new/site"], None),
    "empty-folder": ([], {"work/sub/empty/": DIR}, ["build", "--site-dir", "empty"], None),
    "own-previous-site": (["build", "--site-dir", "site"], {}, ["build", "--site-dir", "site"], None),
    "own-previous-tree": (["render", "--out", "tree"], {}, ["render", "--out", "tree"], None),
    # refused: what is in the way is named
    "checkout": ([], {"work/sub/pages/.git/HEAD": "ref: refs/heads/gh-pages\n",
                      "work/sub/pages/index.html": "<p>published</p>\n"},
                 ["build", "--site-dir", "pages"],
                 "pages: error: not used for the site: it is a version-control checkout (.git) "
                 "Build into another folder and copy the files into the checkout, or publish "
                 "with `mkdocs gh-deploy`."),
    "own-site-now-a-checkout": (["build", "--site-dir", "site"], {"work/sub/site/.git/HEAD": "x"},
                                ["build", "--site-dir", "site"],
                                "it is a version-control checkout (.git)"),
    "notes": ([], {"work/sub/D/notes.txt": "mine\n", "work/sub/D/a/": DIR,
                   "work/sub/D/b.txt": "", "work/sub/D/c.txt": ""},
              ["build", "--site-dir", "D"],
              "D: error: not used for the site: it holds files Dossier did not make (a/, b.txt, "
              "c.txt and 1 more) Choose a new or empty folder, or empty this one yourself if "
              "nothing in it is needed."),
    "older-dossier-site": ([], {"work/sub/old/index.html": "", "work/sub/old/sitemap.xml": "",
                                "work/sub/old/search/search_index.json": "{}"},
                           ["build", "--site-dir", "old"], "It looks like the output of an "
                           "older Dossier, which did not mark its folders: remove it yourself once"),
    "site-as-tree": (["build", "--site-dir", "site"], {}, ["render", "--out", "site"],
                     "site: error: not used for the Markdown tree: it holds a built site Dossier "
                     "wrote, not a Markdown tree"),
    "home": ([], {}, ["build", "--site-dir", "{root}/h/home"],
             "not used for the site: it is your home folder Choose a new or empty folder of its "
             "own, such as site/ beside the content."),
    "parent-of-home": ([], {}, ["build", "--site-dir", "{root}/h"], "it holds your home folder"),
    "link-to-home": ([], {"work/sub/site": Link("../../h/home")}, ["build", "--site-dir", "site"],
                     "site: error: not used for the site: it is your home folder (site leads to "),
    "templates": ([], {}, ["build", "--site-dir", "{root}/inputs/templates"],
                  "it is the templates folder"),
    "content": ([], {}, ["build", "--site-dir", "{root}/inputs/content"], "it is the content folder"),
    "config": ([], {}, ["build", "--site-dir", "{root}/inputs/site_config"],
               "it is the configuration folder"),
    "inside-content": ([], {}, ["build", "--site-dir", "{root}/inputs/content/site"],
                       "it is inside the content folder"),
    "holds-the-inputs": ([], {}, ["build", "--site-dir", "{root}/inputs"],
                         "it holds the content folder"),
    "cwd": ([], {}, ["build", "--site-dir", "."], "it is the working folder"),
    "parent-of-cwd": ([], {}, ["build", "--site-dir", ".."], "it holds the working folder"),
    "a-file": ([], {"work/sub/notes.txt": "mine\n"}, ["build", "--site-dir", "notes.txt"],
               "it is a file, not a folder"),
    "below-a-file": ([], {"work/sub/notes.txt": "mine\n"}, ["build", "--site-dir", "notes.txt/x"],
                     "/work/sub/notes.txt is a file, so no folder can be made below it"),
    "render-into-content": ([], {}, ["render", "--out", "{root}/inputs/content"],
                            "not used for the Markdown tree: it is the content folder"),
    "render-into-cwd": ([], {"work/sub/.git/HEAD": "ref\n", "work/sub/README.md": "# Mine\n"},
                        ["render", "--out", "."], "it is the working folder"),
    "render-below-a-file": ([], {"work/sub/README.md": "# Mine\n"},
                            ["render", "--out", "README.md/tree"], "is a file, so no folder"),
    "export-onto-a-folder": ([], {"work/sub/out/": DIR}, ["export", "-o", "out"],
                             "out: error: not used for the output file: it is a folder"),
    "export-onto-content": ([], {}, ["export", "-o", "{root}/inputs/content/sources/src.yml"],
                            "it is inside the content folder"),
    "export-into-config": ([], {}, ["export", "-o", "{root}/inputs/site_config/x.json"],
                           "it is inside the configuration folder"),
    "export-through-a-link-into-content": ([], {"work/sub/out.json": Link("../../inputs/content/x.json")},
                                           ["export", "-o", "out.json"],
                                           "it is inside the content folder"),
    "export-below-a-file": ([], {"work/sub/README.md": "# Mine\n"},
                            ["export", "-o", "README.md/x.json"], "README.md is a file, not a folder"),
    "export-no-folder": ([], {}, ["export", "-o", "nowhere/x.json"],
                         "its folder {root}/work/sub/nowhere does not exist"),
}


@pytest.mark.parametrize("case", CASES)
def test_an_output_is_new_empty_or_dossiers_own(case, place, capsys):
    first, files, command, message = CASES[case]
    if first:
        assert dossier(capsys, place, *first)[0] == 0
    lay_out(place, files)
    before = snapshot(place)
    code, err = dossier(capsys, place, *command)
    if message is None:
        assert code == 0, err
        target = Path(command[-1])
        kind = "site" if command[0] == "build" else "tree"
        assert outputs.marked_kind(target) == kind
        assert (target / outputs.MARKER).read_text() == f'{{"made_by": "dossier", "kind": "{kind}"}}\n'
    else:
        assert code == 1
        assert message.replace("{root}", str(place)) in err, err
        assert "Traceback" not in err and err.endswith("dossier: failed: 1 error, 0 warnings\n")
        assert snapshot(place) == before  # every file still there, byte for byte
    assert not list((place / "tmp").iterdir())  # no temporary folder left


def test_own_tree_is_cleaned_but_nothing_is_written_into_a_folder_not_recognised(place, capsys):
    """write_tree removes files the tree does not hold only in a tree it wrote before."""
    assert dossier(capsys, place, "render", "--out", "tree")[0] == 0
    (place / "work/sub/tree/docs/stray.md").write_text("left over\n")
    assert dossier(capsys, place, "render", "--out", "tree")[0] == 0
    assert not (place / "work/sub/tree/docs/stray.md").exists()


def test_unwritable_folder_is_refused(place, capsys, monkeypatch):
    """We run as root, which the permission bits do not stop, so the check that asks the
    system (`os.access`) is told the folder is read-only, as it would be for a user."""
    (place / "work/sub/locked").mkdir()
    real_access = os.access
    locked = str(place / "work/sub/locked")
    monkeypatch.setattr(os, "access", lambda p, mode: str(p) != locked and real_access(p, mode))
    before = snapshot(place)
    for command in (["build", "--site-dir", "locked"], ["render", "--out", "locked/tree"],
                    ["export", "-o", "locked/x.json"]):
        code, err = dossier(capsys, place, *command)
        assert code == 1 and f"{locked} is not writable Choose a folder you can write to" in err, err
    assert snapshot(place) == before


@pytest.mark.parametrize("command", [["build", "--site-dir"], ["render", "--out"],
                                     ["export", "-o"]])
def test_a_path_the_system_refuses_is_refused_before_any_work(place, capsys, command):
    """A name longer than the file system allows."""
    name = "x" * 300
    code, err = dossier(capsys, place, *command, name)
    assert code == 1 and "Traceback" not in err
    assert f"{name}: error: not used for the " in err
    assert ": the system refuses the path: File name too long Choose another path" in err
    assert not list((place / "tmp").iterdir()) and not list((place / "work/sub").iterdir())


@pytest.mark.parametrize(("command", "made"), [(["build", "--site-dir", "site"], ".site.building-"),
                                               (["render", "--out", "tree"], "tree")])
def test_a_write_the_system_refuses_is_a_located_error(place, capsys, monkeypatch, command, made):
    """A full disk when the output folder is made (the system's answer simulated: the
    folder Dossier makes for the output is refused with ENOSPC)."""
    real_mkdir = os.mkdir

    def full(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if os.path.basename(path).startswith(made):
            raise OSError(28, "No space left on device", str(path))
        return real_mkdir(path, *args, **kwargs)

    monkeypatch.setattr(os, "mkdir", full)
    code, err = dossier(capsys, place, *command)
    assert code == 1 and "Traceback" not in err
    assert f"{command[-1]}: error: cannot write: No space left on device" in err
    assert not list((place / "tmp").iterdir()) and not list((place / "work/sub").iterdir())


def test_root_and_mount_points_are_refused_whatever_they_hold(place, monkeypatch):
    assert "it is the root of a file system" in outputs.check_folder(Path("/"), "site").message
    mount = place / "work/sub/mnt"
    mount.mkdir()
    outputs.mark(mount, "site")  # even with a marker
    real = os.path.ismount
    monkeypatch.setattr(os.path, "ismount", lambda p: str(p) == str(mount) or real(p))
    problem = outputs.check_folder(mount, "site")
    assert problem is not None and "(a mount point)" in problem.message


def test_an_invalid_marker_is_no_marker(place):
    folder = place / "work/sub/site"
    folder.mkdir()
    for text in ("", "{", '{"made_by": "someone", "kind": "site"}', '["dossier"]'):
        (folder / outputs.MARKER).write_text(text)
        assert outputs.marked_kind(folder) is None
        assert "holds files Dossier did not make (.dossier-output)" in \
            outputs.check_folder(folder, "site").message  # type: ignore[union-attr]


def test_failed_export_leaves_the_previous_file_whole(place, capsys, monkeypatch):
    """A full disk (the write's flush refused) while replacing an earlier export."""
    out = place / "work/sub/dossier.json"
    out.write_text("the previous export\n")
    out.chmod(0o640)

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    room = os.fsync
    monkeypatch.setattr(os, "fsync", full)
    code, err = dossier(capsys, place, "export", "-o", "dossier.json")
    assert code == 1 and "dossier.json: error: cannot write: No space left on device" in err
    assert out.read_text() == "the previous export\n"
    assert sorted(p.name for p in out.parent.iterdir()) == ["dossier.json"]  # no temporary file
    monkeypatch.setattr(os, "fsync", room)
    code, err = dossier(capsys, place, "export", "-o", "dossier.json")
    assert code == 0, err
    assert out.read_text().startswith("{") and oct(out.stat().st_mode & 0o777) == "0o640"


# --- temporary folders: SIGTERM, SIGINT and SIGKILL ---------------------------------------

HELD = '''
"""`dossier ARGS` held at a known point (MkDocs' build, or a render worker's first profile)
until a signal comes: it writes the file READY first, the test's point to synchronise on."""
import os, sys, time
from pathlib import Path

ready, where, *args = sys.argv[1:]


def hold(*_args, **_kwargs):
    Path(ready).write_text(str(os.getpid()))
    time.sleep(600)


if where == "mkdocs":
    import mkdocs.commands.build
    mkdocs.commands.build.build = hold
else:
    from generator import render
    render.PARALLEL_MIN = 1
    os.cpu_count = lambda: 2  # two workers even on one core
    import generator.pages.profile
    generator.pages.profile.profile_view = hold
sys.argv = ["dossier", *args]
from generator.cli import entry_point
entry_point()
'''


def start_held(tmp_path: Path, where: str, *args: str) -> subprocess.Popen[str]:
    """Start `dossier ARGS` held at `where`; return once it is there (bounded polling on
    the file it writes, not a guess of how long it takes)."""
    script, ready = tmp_path / "held.py", tmp_path / "ready"
    script.write_text(HELD)
    ready.unlink(missing_ok=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp_path / "tmp")}
    proc = subprocess.Popen([sys.executable, str(script), str(ready), where, *args], cwd=tmp_path,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while not ready.exists():
        assert proc.poll() is None, proc.communicate()[1]
        assert time.monotonic() < deadline, "never reached the point to hold at"
        time.sleep(0.01)
    return proc


def debris(tmp_path: Path) -> list[str]:
    """Dossier's temporary folders in TMPDIR and beside the outputs."""
    found = [*(tmp_path / "tmp").iterdir(), *(tmp_path / "out").iterdir()]
    return sorted(p.name for p in found if p.name.startswith(("dossier-render-", ".dossier-spool-",
                                                               ".site.building-")))


@pytest.fixture
def held_place(tmp_path: Path) -> Path:
    (tmp_path / "tmp").mkdir()
    (tmp_path / "out").mkdir()
    return tmp_path


BUILD = ["build", "--content", str(FIXTURES / "mini"), "--site-dir", "out/site"]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_stopped_build_removes_its_temporary_folders_and_keeps_the_site(held_place, signum):
    first = subprocess.run([sys.executable, "-m", "generator.cli", *BUILD], cwd=held_place,
                           env={**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(held_place / "tmp")},
                           capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    site = snapshot(held_place / "out/site")
    proc = start_held(held_place, "mkdocs", *BUILD)
    assert len(debris(held_place)) == 3  # the spool, the tree, the staging folder
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 128 + signum, err
    assert err.splitlines()[-1] == f"dossier: stopped by {signal.Signals(signum).name}; " \
                                   "temporary files removed"
    assert "Traceback" not in err
    assert debris(held_place) == []
    assert snapshot(held_place / "out/site") == site


def test_sigterm_to_the_whole_group_stops_the_render_workers_quietly(held_place):
    """As a CI cancel does: every process gets SIGTERM; the forked render workers exit at
    once (they run none of the parent's cleanup), the parent cleans up once."""
    proc = start_held(held_place, "worker", "render", "--content", str(FIXTURES / "mini"),
                      "--out", "out/tree")
    os.killpg(proc.pid, signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert err.count("dossier: stopped by SIGTERM") == 1 and "Traceback" not in err
    assert debris(held_place) == []


def test_what_a_killed_run_left_is_removed_by_the_next_and_nothing_else(held_place):
    proc = start_held(held_place, "mkdocs", *BUILD)
    proc.kill()
    proc.communicate(timeout=120)
    left = debris(held_place)
    assert [n.split("-")[0] for n in left] == [".dossier", ".site.building", "dossier"]
    # look-alikes: no lock file; a lock some live process holds; a link to a folder of ours
    tmp = held_place / "tmp"
    lay_out(held_place, {"tmp/dossier-render-mine/keep.txt": "mine\n",
                         "tmp/.dossier-spool-live/.dossier-lock": "",
                         "elsewhere/.dossier-lock": "", "elsewhere/keep.txt": "mine\n",
                         "tmp/dossier-render-link": Link("../elsewhere")})
    with open(tmp / ".dossier-spool-live" / ".dossier-lock") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        before = {name: snapshot(tmp / name) for name in ("dossier-render-mine", ".dossier-spool-live")}
        again = subprocess.run([sys.executable, "-m", "generator.cli", *BUILD], cwd=held_place,
                               env={**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp)},
                               capture_output=True, text=True)
        assert again.returncode == 0, again.stderr
        assert debris(held_place) == [".dossier-spool-live", "dossier-render-link",
                                      "dossier-render-mine"]
        assert {name: snapshot(tmp / name) for name in before} == before
        assert (held_place / "elsewhere" / "keep.txt").read_text() == "mine\n"


def test_stale_folders_are_only_ours_with_a_free_lock(tmp_path):
    with outputs.temporary_folder("dossier-render-", tmp_path) as live:
        assert (live / outputs.LOCK).is_file()
        assert outputs.remove_stale([tmp_path]) == []  # its lock is held: not stale
    assert not live.exists()
    dead = tmp_path / "dossier-render-dead"
    dead.mkdir()
    (dead / outputs.LOCK).write_text("")
    (tmp_path / "dossier-render-nolock").mkdir()
    elsewhere = tmp_path / "elsewhere"  # a dead folder of ours, reached through a link of that name
    elsewhere.mkdir()
    (elsewhere / outputs.LOCK).write_text("")
    (tmp_path / "dossier-render-link").symlink_to(elsewhere)
    assert outputs.remove_stale([tmp_path]) == [dead]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dossier-render-link",
                                                          "dossier-render-nolock", "elsewhere"]
    assert (elsewhere / outputs.LOCK).is_file()


PHRASES = ["holds files Dossier did not make", "It looks like the output of an older Dossier",
           "Dossier wrote, not", "a version-control checkout", "your home folder",
           "the working folder", "the root of a file system (a mount point)",
           "is a file, not a folder", "so no folder can be made below it", "is not writable",
           "the system refuses the path", "its path cannot be followed (a loop of links)",
           "it is a folder", "it is not a regular file (a device, pipe or socket)",
           "does not exist", "cannot write: ", "temporary files removed", "--templates names"]


@pytest.mark.parametrize("phrase", PHRASES)
def test_every_message_has_a_row_on_the_error_messages_page(phrase):
    """Each fixed phrase of these messages: in the code that prints it, and explained."""
    code = "".join((ROOT / "generator" / name).read_text() for name in ("outputs.py", "cli.py"))
    page = (ROOT / "site_config" / "docs" / "errors.md").read_text().replace("*", "")
    assert phrase in code and phrase in page
