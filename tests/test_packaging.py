"""Dossier as a package: a wheel holds everything a build reads, and its install works alone.

`make site` uses an editable install, which reads the clone; these tests build a real wheel
offline with the venv's own pip and setuptools, install it into a folder of its own and
start a dossier with it from an empty folder, so a module, template or site_config file
that a wheel leaves out fails here rather than on a user's machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .conftest import ROOT

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def tracked(*pathspecs: str) -> list[str]:
    """The files git tracks under the clone's root (as a fresh clone would have them)."""
    out = subprocess.run(["git", "ls-files", "-z", "--", *pathspecs], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    return [name for name in out.split("\0") if name]


def fresh_clone_copy(dest: Path) -> Path:
    """The tracked files of the working tree, copied to `dest`.

    The wheel is built from a copy, not in the clone: setuptools builds in the source
    folder (`build/`, `*.egg-info`), where a file left from an earlier build would be
    packed as if it were still there, and where other builds may run at the same time.
    """
    for name in tracked():
        source = ROOT / name
        if source.is_file():  # a tracked file deleted in the working tree is not copied
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return dest


def pip(*args: str, cwd: Path) -> None:
    """The venv's own pip, with no package index: nothing may come from the network."""
    subprocess.run([sys.executable, "-m", "pip", *args, "--no-deps", "--no-index",
                    "--disable-pip-version-check", "--quiet"], cwd=cwd, check=True)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("packaging")
    source = fresh_clone_copy(base / "src")
    pip("wheel", "--no-build-isolation", "-w", str(base / "dist"), ".", cwd=source)
    (built,) = (base / "dist").glob("dossier-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path) -> Path:
    """The wheel installed on its own into a folder (`pip install --target`)."""
    lib = wheel.parent.parent / "lib"
    pip("install", "--target", str(lib), str(wheel), cwd=wheel.parent)
    return lib


def name_in_wheel(clone_path: str) -> str:
    """Where the wheel keeps a clone's file: site_config/ and templates/ move into generator/."""
    return clone_path if clone_path.startswith("generator/") else f"generator/{clone_path}"


@pytest.mark.parametrize("pathspec", ["generator/*.py", "generator/pages/*.py", "templates", "site_config"])
def test_the_wheel_holds_every_tracked_file_a_build_reads(wheel: Path, pathspec: str) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {name_in_wheel(name) for name in tracked(pathspec)}
    assert expected, pathspec
    assert expected - names == set()


def test_the_wheel_installs_nothing_beside_its_package(wheel: Path) -> None:
    """site_config/ and templates/ go inside `generator/`, never to site-packages' top level."""
    tops = {name.split("/", 1)[0] for name in zipfile.ZipFile(wheel).namelist()}
    assert {top for top in tops if not top.endswith(".dist-info")} == {"generator"}


def run_installed(lib: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The installed `dossier` entry point, importing only from `lib` (cwd outside the clone,
    so neither the clone nor its editable install can be found first)."""
    env = {**os.environ, "PYTHONPATH": str(lib)}
    return subprocess.run([sys.executable, str(lib / "bin" / "dossier"), *args], cwd=cwd, env=env,
                          capture_output=True, text=True)


def test_the_installed_package_starts_checks_and_builds_a_new_dossier(
        installed: Path, tmp_path: Path) -> None:
    where = subprocess.run(
        [sys.executable, "-c", "import generator.config as c; "
         "print(c.__file__, c.DEFAULT_CONFIG_DIR, c.DEFAULT_TEMPLATES_DIR, sep='\\n')"],
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(installed)},
        capture_output=True, text=True, check=True).stdout.split()
    assert [Path(p).is_relative_to(installed) for p in where] == [True, True, True], where

    new = run_installed(installed, tmp_path, "new", "person", "Jane Roe")
    assert new.returncode == 0, new.stderr
    (tmp_path / "content" / "dossier.yml").write_text("title: Packaged dossier\n", encoding="utf-8")
    check = run_installed(installed, tmp_path, "check", "--content", "content")
    assert check.returncode == 0, check.stderr
    build = run_installed(installed, tmp_path, "build", "--content", "content", "--site-dir", "site")
    assert build.returncode == 0, build.stderr

    page = BeautifulSoup((tmp_path / "site" / "people" / "jane-roe.html").read_text(encoding="utf-8"),
                         "lxml")
    heading = page.select_one("article h1")
    assert heading is not None and heading.get_text(strip=True) == "Jane Roe"
    assert page.title is not None and page.title.get_text() == "Jane Roe - Packaged dossier"
    stylesheets = [link["href"] for link in page.select("link[rel=stylesheet]")]
    assert "../assets/stylesheets/dossier.css" in stylesheets
    assert (tmp_path / "site" / "assets" / "javascripts" / "cytoscape" / "cytoscape.min.js").is_file()
