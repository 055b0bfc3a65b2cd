"""MkDocs' build shared among processes (generator/mkdocs_parallel.py) gives the site a
one-process build gives, byte for byte; it notices when MkDocs is not the MkDocs it
follows, and when a plugin keeps state it cannot gather."""

from __future__ import annotations

import io
import logging
import os
import shutil
from pathlib import Path

import mkdocs.commands.serve
import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from generator import mkdocs_parallel
from generator.cli import main
from generator.progress import Progress

ROOT = Path(__file__).resolve().parent.parent


def files_of(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture
def small_chunks(monkeypatch):
    """Many chunks even for a small site, so every process makes several."""
    monkeypatch.setattr(mkdocs_parallel, "CHUNK", 3)
    monkeypatch.setattr(mkdocs_parallel, "MIN_PAGES", 0)


def test_it_follows_the_mkdocs_installed():
    changed = mkdocs_parallel.changed_sources()
    assert changed == [], (
        "MkDocs or Material changed the functions generator/mkdocs_parallel.py follows: "
        f"{changed}. Read them again, bring `_Build` in line, then update MKDOCS_SOURCES "
        "(mkdocs_parallel.source_digest(name) gives each new digest).")


@pytest.mark.parametrize("changed", [False, True])
def test_a_changed_function_means_mkdocs_own_build_with_the_same_progress(
        monkeypatch, tmp_path, small_chunks, changed):
    project = write_project(tmp_path / "p", pages=4)
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    if changed:
        monkeypatch.setitem(mkdocs_parallel.MKDOCS_SOURCES, "mkdocs.commands.build.build", "0" * 64)
        reason = mkdocs_parallel.serial_reason(config)
        assert reason is not None and "mkdocs.commands.build.build" in reason
    shown = io.StringIO()
    assert mkdocs_parallel.build(config, jobs=2, progress=Progress(shown, "lines")) == (
        1 if changed else 2)
    assert (tmp_path / "site" / "page-3.html").is_file()
    lines = shown.getvalue().splitlines()
    assert lines[0] == "dossier: mkdocs pages 4 pages…"
    assert lines[-1].startswith("dossier: mkdocs pages done in ")


def build_with(jobs: int, tree: Path, site: Path, **settings: object) -> None:
    config = load_config(str(tree / "mkdocs.yml"), site_dir=str(site), **settings)
    if jobs == 1:
        mkdocs_build(config)
    else:
        assert mkdocs_parallel.serial_reason(config) is None
        assert mkdocs_parallel.build(config, jobs=jobs) == jobs


def test_the_default_dossier_is_the_same_site_in_two_processes(tmp_path, small_chunks):
    tree = tmp_path / "tree"
    assert main(["render", "--content", str(ROOT / "content"), "--out", str(tree),
                 "--progress", "off"]) == 0
    build_with(1, tree, tmp_path / "one", strict=True)
    build_with(2, tree, tmp_path / "two", strict=True)
    one, two = files_of(tmp_path / "one"), files_of(tmp_path / "two")
    assert len(one) > 200 and sorted(one) == sorted(two)
    assert [name for name in one if one[name] != two[name]] == []


def write_project(folder: Path, *, pages: int, theme: str = "material", extra: str = "",
                  body: dict[int, str] | None = None) -> Path:
    """A small MkDocs project: a nav of three pages, the rest outside it, each page with
    sections (so the search index has several entries per page)."""
    docs = folder / "docs"
    docs.mkdir(parents=True)
    for n in range(pages):
        text = (f"# Page {n}\n\nIntro {n}.\n\n## Part A of {n}\n\nAlpha {n}.\n\n"
                f"## Part B of {n}\n\nBeta {n}, see [the first](page-0.md#part-a-of-0).\n")
        (docs / f"page-{n}.md").write_text(text + (body or {}).get(n, ""), encoding="utf-8")
    (folder / "mkdocs.yml").write_text(
        f"site_name: Test\nuse_directory_urls: false\ntheme:\n  name: {theme}\n"
        "nav:\n  - page-0.md\n  - Second: page-1.md\n  - page-2.md\n"
        "plugins:\n  - search\n" + extra, encoding="utf-8")
    return folder


@pytest.mark.parametrize("theme", ["material", "mkdocs"])
def test_search_entries_come_back_in_page_order(tmp_path, small_chunks, theme):
    project = write_project(tmp_path / "p", pages=40, theme=theme)
    build_with(1, project, tmp_path / "one")
    build_with(2, project, tmp_path / "two")
    one, two = files_of(tmp_path / "one"), files_of(tmp_path / "two")
    index = one["search/search_index.json"]
    assert b"Part B of 39" in index and index.index(b"Part A of 7") < index.index(b"Part A of 8")
    assert sorted(one) == sorted(two)
    assert [name for name in one if one[name] != two[name]] == []


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname}: {record.getMessage()}")


@pytest.fixture
def mkdocs_messages():
    handler = Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    yield handler.messages
    logger.removeHandler(handler)


@pytest.mark.parametrize("jobs", [1, 2])
def test_warnings_made_in_any_process_are_logged_once_in_page_order_and_fail_strict(
        tmp_path, small_chunks, mkdocs_messages, jobs):
    project = write_project(
        tmp_path / "p", pages=30, extra="validation:\n  anchors: warn\n",
        body={17: "\n[gone](missing.md)\n", 23: "\n[no such part](page-4.md#part-z)\n",
              11: "\n[gone too](also-missing.md)\n"})
    with pytest.raises(Abort, match="Aborted with 3 warnings in strict mode"):
        build_with(jobs, project, tmp_path / "site", strict=True)
    warnings = [m for m in mkdocs_messages if m.startswith("WARNING")]
    assert warnings == [
        "WARNING: Doc file 'page-11.md' contains a link 'also-missing.md', but the target is "
        "not found among documentation files.",
        "WARNING: Doc file 'page-17.md' contains a link 'missing.md', but the target is not "
        "found among documentation files.",
        "WARNING: Doc file 'page-23.md' contains a link 'page-4.md#part-z', but the doc "
        "'page-4.md' does not contain an anchor '#part-z'."]


HOOK = '''
def on_page_markdown(markdown, page, config, files):
    return markdown
'''


@pytest.mark.parametrize(("extra", "reason"), [
    ("hooks:\n  - counting_hook.py\n", "plugins with page events of their own: counting_hook.py"),
    ("hooks:\n  - page_local_hook.py\n", None),  # its page events keep nothing across pages
    ("", None),
    ("  - offline\n  - meta\n", None),
])
def test_plugins_with_page_events_of_their_own_are_built_by_mkdocs(tmp_path, extra, reason):
    project = write_project(tmp_path / "p", pages=3, extra=extra)
    (project / "counting_hook.py").write_text(HOOK, encoding="utf-8")
    (project / "page_local_hook.py").write_text(
        HOOK + f"\n{mkdocs_parallel.PAGE_LOCAL} = True\n", encoding="utf-8")
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    assert mkdocs_parallel.serial_reason(config) == reason


@pytest.mark.parametrize(("jobs", "pages", "processes"), [
    (1, 30, 1),
    (2, 30, 2),
    (4, 30, 4),
    (2, mkdocs_parallel.MIN_PAGES - 1, 1),  # too few to be worth a fork
    (2, mkdocs_parallel.MIN_PAGES, 2),  # chunks shrink so that each process has work
])
def test_how_many_processes_make_the_pages(tmp_path, jobs, pages, processes):
    project = write_project(tmp_path / "p", pages=pages)
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    assert mkdocs_parallel.build(config, jobs=jobs) == processes
    assert len(list((tmp_path / "site").glob("page-*.html"))) == pages


@pytest.mark.parametrize("value", ["0", "-1", "two"])
def test_jobs_must_be_a_positive_number(capsys, value):
    with pytest.raises(SystemExit) as stop:
        main(["build", "--jobs", value])
    assert stop.value.code == 2
    assert "is not a number of processes (1 or more)" in capsys.readouterr().err


FAILING_TEMPLATE = """{% extends "base.html" %}
{% block content %}{% if page.file.src_uri == "page-7.md" %}{{ no_such_thing.attribute }}{% endif %}
{{ super() }}{% endblock %}
"""


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_page_that_fails_fails_the_build_with_mkdocs_own_message(tmp_path, small_chunks,
                                                                   mkdocs_messages, jobs):
    import jinja2

    project = write_project(tmp_path / "p", pages=30,
                            extra="theme:\n  name: material\n  custom_dir: overrides\n")
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(text.replace("theme:\n  name: material\n", "", 1),
                                        encoding="utf-8")
    (project / "overrides").mkdir()
    (project / "overrides" / "main.html").write_text(FAILING_TEMPLATE, encoding="utf-8")
    with pytest.raises(jinja2.exceptions.UndefinedError, match="no_such_thing"):
        build_with(jobs, project, tmp_path / "site")
    errors = [m for m in mkdocs_messages if m.startswith("ERROR")]
    assert errors == ["ERROR: Error building page 'page-7.md': 'no_such_thing' is undefined"]


SERVE_URL = "http://127.0.0.1:8000/"


@pytest.mark.parametrize("in_parallel", [False, True])
def test_a_dirty_build_for_the_preview_is_mkdocs_own_byte_for_byte(tmp_path, small_chunks, in_parallel):
    """The live preview's rebuilds (`dirty`, with a `serve_url`): only the pages whose
    file changed are made again, shared among processes, and the site is the one MkDocs'
    own dirty build leaves, a draft page (built only for the preview) included."""
    project = write_project(tmp_path / "p", pages=30, extra='draft_docs: "page-29.md"\n')
    site = tmp_path / "site"
    mkdocs_build(load_config(str(project / "mkdocs.yml"), site_dir=str(site)), serve_url=SERVE_URL)
    before = {path.name: path.stat().st_mtime_ns for path in site.glob("page-*.html")}
    edited = [1, 5, 17, 29]  # a page of the nav, pages outside it, the draft
    for n in edited:
        source = project / "docs" / f"page-{n}.md"
        source.write_text(f"# Page {n}\n\nEdited {n}.\n", encoding="utf-8")
        later = (site / f"page-{n}.html").stat().st_mtime + 10  # newer than its page, surely
        os.utime(source, (later, later))
    one, two = tmp_path / "one", tmp_path / "two"
    shutil.copytree(site, one)  # copy2: the pages keep their times, which `dirty` compares
    shutil.copytree(site, two)
    mkdocs_build(load_config(str(project / "mkdocs.yml"), site_dir=str(one)),
                 serve_url=SERVE_URL, dirty=True)
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(two))
    if in_parallel:  # as `mkdocs serve` calls it, inside `dossier serve`
        with mkdocs_parallel.rebuilding_in_parallel(2):
            assert mkdocs.commands.serve.build(config, serve_url=SERVE_URL, dirty=True) == 2
        assert mkdocs.commands.serve.build is mkdocs_build  # put back
    else:
        shown = io.StringIO()
        assert mkdocs_parallel.build(config, jobs=2, serve_url=SERVE_URL, dirty=True,
                                     progress=Progress(shown, "lines")) == 2
        assert shown.getvalue().splitlines()[0] == "dossier: mkdocs pages 4 pages…"
    first, second = files_of(one), files_of(two)
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
    for n in edited:
        assert f"Edited {n}.".encode() in second[f"page-{n}.html"]
    assert b"mkdocs-draft-marker" in second["page-29.html"]
    untouched = {path.name: path.stat().st_mtime_ns for path in two.glob("page-*.html")
                 if int(path.stem.split("-")[1]) not in edited}
    assert untouched == {name: t for name, t in before.items()
                         if int(name[5:-5]) not in edited}
