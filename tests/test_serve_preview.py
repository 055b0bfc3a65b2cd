"""`dossier serve` after an edit: what it serves is what a fresh build of the same content
shows, whichever burst a page came in (the profiles first, then the rest), a template
edit still re-renders every page, and the parts of MkDocs the preview's hooks rely on
are the ones they were written for."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator import mkdocs_parallel
from generator.mkdocs_parallel import source_digest
from generator.mkdocs_preview import MKDOCS_SOURCES

from .conftest import FIXTURES
from .test_serve import _serving, fetch, wait_for


@pytest.mark.parametrize("name", sorted(MKDOCS_SOURCES))
def test_the_parts_of_mkdocs_the_preview_relies_on_are_unchanged(name: str) -> None:
    assert source_digest(name) == MKDOCS_SOURCES[name], (
        f"MkDocs' {name} is not the one generator/mkdocs_preview.py was written for: read it "
        "again (what the hooks need of it is noted beside its digest in MKDOCS_SOURCES), check "
        "that edits still rebuild only when the stamp is touched and that pages still reload, "
        "then update the digest")


def showing(url: str, text: str) -> Callable[[], bool]:
    """Whether `url` is served, with `text` on it."""
    def shows() -> bool:
        page = fetch(url)
        return page is not None and text in page
    return shows


def article(html: str | None) -> str:
    """A page's article: all of it but Material's frame, which differs by design (the
    preview's errors script, MkDocs' live-reload script and the server's site address)."""
    found = BeautifulSoup(html or "", "lxml").select_one("article")
    assert found is not None, (html or "")[:300]
    return str(found)


#: pages an edit of Jane's name changes: her profile, a profile showing her through a
#: relation, her type's index and the home page (the first and the second burst)
PAGES = ("people/jane-doe.html", "people/john-roe.html", "people/index.html", "index.html",
         "timeline.html")


def test_served_pages_after_an_edit_are_those_of_a_fresh_build(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "mini", content)
    for _, base, log in _serving(content, tmp_path):
        assert wait_for(showing(f"{base}/people/index.html", "Jane Doe")), log.read_text()
        jane = content / "people" / "jane-doe.yml"
        jane.write_text(jane.read_text(encoding="utf-8").replace("name: Jane Doe", "name: Janet Doe"),
                        encoding="utf-8")
        for page in PAGES:
            assert wait_for(showing(f"{base}/{page}", "Janet Doe")), (page, log.read_text())
        served = {page: article(fetch(f"{base}/{page}")) for page in PAGES}
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "generator.cli", "build", "--content", str(content),
                    "--site-dir", str(site)], cwd=tmp_path, check=True, capture_output=True)
    for page in PAGES:
        assert served[page] == article((site / page).read_text(encoding="utf-8")), page


def test_a_template_edit_renders_every_page_again_as_a_build_would(tmp_path: Path) -> None:
    content, templates = tmp_path / "content", tmp_path / "templates"
    shutil.copytree(FIXTURES / "mini", content)
    templates.mkdir()
    entity = templates / "entity.md.j2"
    shutil.copy(Path(__file__).parents[1] / "templates" / "entity.md.j2", entity)
    profiles = [f"{path.parent.name}/{path.stem}.html" for path in sorted(content.glob("*/*.yml"))]
    # enough pages for MkDocs' rebuild to be shared between two processes
    assert len(profiles) >= mkdocs_parallel.MIN_PAGES
    for _, base, log in _serving(content, tmp_path, extra=["--templates", str(templates), "--jobs", "2"]):
        assert wait_for(showing(f"{base}/{profiles[0]}", "")), log.read_text()
        entity.write_text(entity.read_text(encoding="utf-8") + "\nTemplate-edited-marker\n",
                          encoding="utf-8")
        for page in profiles:
            assert wait_for(showing(f"{base}/{page}", "Template-edited-marker")), (page, log.read_text())
        served = {page: article(fetch(f"{base}/{page}")) for page in profiles}
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "generator.cli", "build", "--content", str(content),
                    "--templates", str(templates), "--site-dir", str(site)],
                   cwd=tmp_path, check=True, capture_output=True)
    assert [page for page in profiles
            if served[page] != article((site / page).read_text(encoding="utf-8"))] == []


def _theme_files(config_file: Path, hooked: bool) -> list[str]:
    """The theme's files a build of `config_file` adds to the site, with the preview's
    hooks or by MkDocs alone."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    from generator import mkdocs_preview

    config = load_config(config_file=str(config_file))
    if hooked:
        config = mkdocs_preview.on_config(config)
    files = Files([])
    files.add_files_from_theme(config.theme.get_env(), config)
    return sorted(f.src_uri for f in files)


def test_the_theme_files_a_rebuild_lists_are_those_mkdocs_lists(tmp_path: Path) -> None:
    """Kept from one rebuild to the next, the list still sees a file added to the site's
    own theme folder."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "overrides").mkdir()
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: T\ntheme:\n  name: material\n  custom_dir: overrides\n", encoding="utf-8")
    first = _theme_files(config, hooked=True)
    assert first == _theme_files(config, hooked=False) and "assets/images/favicon.png" in first
    (tmp_path / "overrides" / "added.css").write_text("p {}\n", encoding="utf-8")
    listed = _theme_files(config, hooked=True)
    assert listed == _theme_files(config, hooked=False) == sorted([*first, "added.css"])


def _stamps(tree: Path, pages: tuple[str, ...]) -> dict[str, tuple[int, int]]:
    """Each page's file in `tree` as the system knows it: (inode, modification time)."""
    return {page: (stat.st_ino, stat.st_mtime_ns)
            for page in pages for stat in [(tree / "docs" / page).stat()]}


def test_an_edit_search_does_not_read_leaves_its_files_alone(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    """A relation's confidence is on the profiles, not in the search entries (names,
    aliases, types, summaries, tags): the search files are not written again, so MkDocs
    copies nothing for them."""
    from generator.config import DEFAULT_CONFIG_DIR
    from generator.pipeline import Options
    from generator.serve import Preview, refresh

    content, tree = tmp_path / "content", tmp_path / "tree"
    shutil.copytree(FIXTURES / "mini", content)
    opts, state = Options(content_dir=content, config_dir=DEFAULT_CONFIG_DIR), Preview()
    assert refresh(opts, tree, state)
    search = tuple(path for path in state.site.pages if path.startswith("search/")) if state.site else ()
    assert set(search) >= {"search/entries.js"}, search
    before = _stamps(tree, (*search, "people/jane-doe.md"))
    jane = content / "people" / "jane-doe.yml"
    jane.write_text(jane.read_text(encoding="utf-8").replace("confidence: low", "confidence: high"),
                    encoding="utf-8")
    assert refresh(opts, tree, state)
    after = _stamps(tree, (*search, "people/jane-doe.md"))
    assert after["people/jane-doe.md"] != before["people/jane-doe.md"]  # the profile was written
    assert {page: after[page] for page in search} == {page: before[page] for page in search}
    capsys.readouterr()


def test_a_touch_no_rebuild_follows_is_made_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """MkDocs watches the stamp only once its first build is over: an edit written before
    that still gets its rebuild (the generator touched once, then waited two minutes)."""
    from generator import serve

    rebuilds, touches = serve.Rebuilds(), []

    def touch(path: Path) -> None:
        touches.append(path)
        if len(touches) == 3:  # MkDocs watches now: it hears this one, and builds
            rebuilds.began()
            rebuilds.finished()

    monkeypatch.setattr(serve, "touch", touch)
    monkeypatch.setattr(serve, "RETOUCH_AFTER", 0.01)
    rebuilds.ask(tmp_path / "serve")
    assert touches == [tmp_path / "serve.rebuild"] * 3 and rebuilds.done == 1
