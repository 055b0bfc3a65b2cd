"""Reproducible and atomic builds: real `dossier build` runs, files compared byte for byte."""

from __future__ import annotations

import gzip
import os
import shutil
import signal
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.config import DEFAULT_CONFIG_DIR

from .conftest import FIXTURES, ROOT

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
CONTENT_DATE = "2024-01-05"  # ann-smith's `updated`: the latest date in the contract fixture


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file()}


def dossier(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True)


@pytest.fixture(scope="module")
def config_with_site_url(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default site configuration plus a `site_url`, so the sitemap lists every page
    with its `lastmod` date: the place MkDocs stamps the build date."""
    config = tmp_path_factory.mktemp("config") / "site_config"
    shutil.copytree(DEFAULT_CONFIG_DIR, config)
    with (config / "mkdocs.base.yml").open("a") as f:
        f.write("site_url: https://example.org/dossier/\n")
    return config


def _env_without_epoch() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env["PYTHONPATH"] = str(ROOT)
    return env


def test_two_builds_in_different_folders_are_byte_identical(tmp_path, config_with_site_url):
    env = _env_without_epoch()
    sites = []
    for name in ("first", "second"):
        work = tmp_path / name
        work.mkdir()
        content = shutil.copytree(FIXTURES / "contract", work / "content")
        run = dossier("build", "--content", str(content), "--config", str(config_with_site_url),
                      "--site-dir", str(work / "out" / name), cwd=work, env=env)
        assert run.returncode == 0, run.stderr
        sites.append(tree(work / "out" / name))
    first, second = sites
    assert sorted(first) == sorted(second)
    differing = [name for name in first if first[name] != second[name]]
    assert differing == []
    # the sitemap really carries dates (so the comparison above covers them)
    assert f"<lastmod>{CONTENT_DATE}</lastmod>" in first["sitemap.xml"].decode()


def test_build_date_comes_from_the_content_not_the_clock(tmp_path, config_with_site_url):
    site = tmp_path / "site"
    run = dossier("build", "--content", str(FIXTURES / "contract"), "--config",
                  str(config_with_site_url), "--site-dir", str(site), cwd=tmp_path,
                  env=_env_without_epoch())
    assert run.returncode == 0, run.stderr
    raw = (site / "sitemap.xml.gz").read_bytes()
    (mtime,) = struct.unpack("<I", raw[4:8])  # the gzip header's timestamp
    assert time.strftime("%Y-%m-%d", time.gmtime(mtime)) == CONTENT_DATE
    lastmods = {t.get_text() for t in BeautifulSoup(gzip.decompress(raw), "xml").select("lastmod")}
    assert lastmods == {CONTENT_DATE}


def test_a_users_source_date_epoch_wins(tmp_path, config_with_site_url):
    env = {**_env_without_epoch(), "SOURCE_DATE_EPOCH": "946684800"}  # 2000-01-01
    site = tmp_path / "site"
    run = dossier("build", "--content", str(FIXTURES / "contract"), "--config",
                  str(config_with_site_url), "--site-dir", str(site), cwd=tmp_path, env=env)
    assert run.returncode == 0, run.stderr
    assert "<lastmod>2000-01-01</lastmod>" in (site / "sitemap.xml").read_text()


# --- atomic builds ------------------------------------------------------------------------


def _kill_build_midway(tmp_path: Path, site: Path) -> None:
    """Start a build into `site` and SIGKILL it once its staging folder has appeared."""
    scratch = tmp_path / "tmp"  # what a killed process cannot clean up stays in the test's folder
    scratch.mkdir(exist_ok=True)
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "build", "--content", str(FIXTURES / "contract"),
         "--site-dir", str(site)], cwd=tmp_path, env={**_env_without_epoch(), "TMPDIR": str(scratch)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not list(site.parent.glob(f".{site.name}.building-*/*")):
            assert proc.poll() is None, "the build ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.005)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL


def test_killed_build_leaves_the_previous_site_whole_and_the_next_build_works(tmp_path):
    site = tmp_path / "out" / "site"
    first = dossier("build", "--content", str(FIXTURES / "mini"), "--site-dir", str(site),
                    cwd=tmp_path, env=_env_without_epoch())
    assert first.returncode == 0, first.stderr
    before = tree(site)
    _kill_build_midway(tmp_path, site)
    assert tree(site) == before  # byte for byte
    home = BeautifulSoup(before["index.html"], "lxml")
    assert home.select_one("article h1").get_text(strip=True) == "Mini dossier"
    stale = [p.name for p in site.parent.iterdir() if p.name != "site"]
    assert stale and all(n.startswith(".site.building-") for n in stale)  # what the kill left
    again = dossier("build", "--content", str(FIXTURES / "contract"), "--site-dir", str(site),
                    cwd=tmp_path, env=_env_without_epoch())
    assert again.returncode == 0, again.stderr
    assert [p.name for p in site.parent.iterdir()] == ["site"]  # stale staging cleaned up
    assert (site / "agencies" / "north-bureau.html").is_file()


def test_quiet_flag_cannot_hide_a_strict_failure(tmp_path):
    """`mkdocs build --strict -q` on the plugin path still fails on a content warning."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "mini", project / "content")
    (project / "content" / "people" / "x.yml").write_text("name: X\nclaims:\n  - text: Unsourced.\n")
    cfg = ROOT / "site_config"
    (project / "mkdocs.yml").write_text(
        f"INHERIT: {cfg}/mkdocs.base.yml\nsite_name: x\ndocs_dir: {cfg}/docs\n"
        f"theme:\n  name: material\n  custom_dir: {cfg}/overrides\n"
        f"plugins:\n  - dossier:\n      config_dir: {cfg}\n  - search\n")
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d",
                          str(tmp_path / "site")], cwd=project, capture_output=True, text=True)
    assert run.returncode != 0, run.stderr
    assert "warning: claim cites no source" in run.stderr
    assert not (tmp_path / "site").exists()


def test_failed_strict_mkdocs_build_keeps_the_previous_site(tmp_path):
    """On the plugin path too: MkDocs would empty the site first and fail at the end."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "mini", project / "content")
    cfg = ROOT / "site_config"
    base = (f"INHERIT: {cfg}/mkdocs.base.yml\nsite_name: x\ndocs_dir: {cfg}/docs\n"
            f"theme:\n  name: material\n  custom_dir: {cfg}/overrides\n"
            f"plugins:\n  - search\n  - dossier:\n      config_dir: {cfg}\n")
    (project / "mkdocs.yml").write_text(base)
    site = tmp_path / "site"

    def mkdocs_build() -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d",
                               str(site)], cwd=project, capture_output=True, text=True)

    first = mkdocs_build()
    assert first.returncode == 0, first.stderr
    before = tree(site)
    assert "people/jane-doe.html" in before
    (project / "own").mkdir()
    (project / "own" / "home.md.j2").write_text("# Home\n\n[broken](nowhere.md)\n")
    (project / "mkdocs.yml").write_text(base + "      templates: own\n")
    second = mkdocs_build()
    assert second.returncode != 0 and "nowhere.md" in second.stderr
    assert tree(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "site"]  # no debris
