"""`dossier serve`: regenerates on content edits (re-rendering only the neighbourhood
of an edit, with the same result as a full render), and keeps serving the last good
site when an edit breaks the content."""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.config import DEFAULT_CONFIG_DIR
from generator.pipeline import Options
from generator.serve import Preview, refresh
from generator.serve_banner import SERVE_ERRORS

from .conftest import FIXTURES


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return str(r.read().decode("utf-8"))
    except OSError:
        return None


def wait_for(predicate, timeout: float = 60.0) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def served(tmp_path: Path):  # type: ignore[no-untyped-def]
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "mini", content)
    yield from _serving(content, tmp_path)


def _serving(content: Path, tmp_path: Path, port: int | None = None,  # type: ignore[no-untyped-def]
             extra: tuple[str, ...] | list[str] = ()):
    """`dossier serve` on a free port (or `port`) for `content`, with `extra` options:
    (content, the address it says it serves on, log path)."""
    port = free_port() if port is None else port
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "serve", "--content", str(content),
         "--dev-addr", f"127.0.0.1:{port}", *extra],
        cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        assert wait_for(lambda: served_address(tmp_path / "serve.log") is not None), \
            (tmp_path / "serve.log").read_text()
        yield content, served_address(tmp_path / "serve.log"), tmp_path / "serve.log"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def served_address(log: Path) -> str | None:
    """The address `dossier serve` printed (`Serving on http://HOST:PORT`), once."""
    found = re.findall(r"^Serving on (http://\S+)$", log.read_text(), re.M)
    assert len(found) <= 1, found
    return found[0] if found else None


def test_serve_prints_the_address_it_serves_on(tmp_path: Path):
    """Issue 15 item 6: the address is printed, the real one: the port --dev-addr names,
    or the one the system gave for port 0."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "mini", content)
    for _, base, log in _serving(content, tmp_path, port=0):
        assert re.fullmatch(r"http://127\.0\.0\.1:[1-9][0-9]*", base), log.read_text()
        assert "Jane Doe" in (fetch(f"{base}/people/jane-doe.html") or "")


def errors_shown(base: str) -> dict[str, object]:
    """What the preview's banner script would show (its data, as the page loads it)."""
    script = fetch(f"{base}/{SERVE_ERRORS}") or ""
    assert script.startswith("window.DOSSIER_SERVE_ERRORS="), script[:200]
    return dict(json.loads(script[script.index("=") + 1: script.index(";\n")]))


def test_edit_regenerates_and_broken_edit_keeps_last_good_site(served):
    content, base, log = served
    assert base.startswith("http://127.0.0.1:") and not base.endswith(":0")
    url = f"{base}/people/jane-doe.html"
    assert wait_for(lambda: (fetch(url) or "").count("Jane Doe") > 0), log.read_text()
    # every page loads the preview's errors script; with good content it lists nothing
    scripts = [s["src"] for s in BeautifulSoup(fetch(url) or "", "lxml").select("script[src]")]
    assert f"../{SERVE_ERRORS}" in scripts, scripts
    assert errors_shown(base)["lines"] == []
    profile = content / "people" / "jane-doe.yml"
    profile.write_text(profile.read_text().replace("name: Jane Doe", "name: Janet Doe"))
    assert wait_for(lambda: "Janet Doe" in (fetch(url) or "")), log.read_text()
    # the inverse side is refreshed too: John Roe's page shows the new name
    assert wait_for(lambda: "Janet Doe" in (fetch(f"{base}/people/john-roe.html") or ""))
    # search: every profile is in the index once, with the new name only (Dossier's index,
    # search/entries.js, made in the refresh's second burst, after the profiles; Material's
    # own is left empty)
    assert wait_for(lambda: "Janet Doe" in (fetch(f"{base}/search/entries.js") or "")), log.read_text()
    script = fetch(f"{base}/search/entries.js") or ""
    entries = json.loads(script[script.index("=") + 1: script.rindex(";")])["rows"]
    pages = [e[0] for e in entries]
    assert len(pages) == len(set(pages)), sorted(pages)
    text = json.dumps(entries, ensure_ascii=False)
    assert "Janet Doe" in text and "Jane Doe" not in text
    assert json.loads(fetch(f"{base}/search/search_index.json") or "{}")["docs"] == []
    profile.write_text(profile.read_text().replace("target: john-roe", "target: john-roee"))
    assert wait_for(lambda: "unknown id 'john-roee'" in log.read_text()), log.read_text()
    assert "still serving the last good site" in log.read_text()
    # the browser is told: the banner's script lists the located error, as the terminal does
    assert wait_for(lambda: errors_shown(base)["lines"] != []), log.read_text()
    lines = errors_shown(base)["lines"]
    assert isinstance(lines, list) and len(lines) == 1
    assert re.match(r"content/people/jane-doe\.yml:\d+:\d+: error: unknown id 'john-roee'", lines[0]), lines
    assert "Janet Doe" in (fetch(url) or "")  # the last good page, still served
    profile.write_text(profile.read_text().replace("target: john-roee", "target: john-roe"))
    assert wait_for(lambda: errors_shown(base)["lines"] == []), log.read_text()


#: the mini fixture's jane-doe writes `met-with john-roe` citing report-2020; John writes
#: the same relation too, citing a source of his own
JOHNS_SIDE = """  - type: met-with
    target: jane-doe
    since: 2020-02-11
    sources: [johns-source]
"""


def _both_sides(content: Path) -> Path:
    shutil.copytree(FIXTURES / "mini", content)
    (content / "sources" / "johns-source.yml").write_text("title: John's source\n", encoding="utf-8")
    john = content / "people" / "john-roe.yml"
    john.write_text(john.read_text(encoding="utf-8") + JOHNS_SIDE, encoding="utf-8")
    return content


def _drop_johns_side(content: Path) -> None:
    """John no longer writes the relation (and is renamed, so that a page showing him
    can be told rebuilt)."""
    john = content / "people" / "john-roe.yml"
    text = john.read_text(encoding="utf-8")
    assert JOHNS_SIDE in text
    john.write_text(text.replace(JOHNS_SIDE, "").replace("name: John Roe", "name: Johnny Roe"),
                    encoding="utf-8")


def cited_sources(html: str | None) -> list[str]:
    """The sources a page's References list, by their page."""
    refs = BeautifulSoup(html or "", "lxml").select("div.footnote li a[href*='sources/']")
    return [Path(a["href"]).stem for a in refs]


@pytest.fixture
def served_both_sides(tmp_path: Path):  # type: ignore[no-untyped-def]
    yield from _serving(_both_sides(tmp_path / "content"), tmp_path)


def test_a_relation_dropped_on_one_side_loses_its_source_on_the_other(served_both_sides):
    """Issue 11 item 11: the preview's caches hand the link stage the same relation
    objects; merging John's citation into Jane's relation in place kept it there after
    John dropped his side, until the server restarted."""
    content, base, log = served_both_sides
    jane = f"{base}/people/jane-doe.html"
    assert wait_for(lambda: cited_sources(fetch(jane)) == ["report-2020", "johns-source"]), \
        log.read_text()
    _drop_johns_side(content)
    assert wait_for(lambda: "Johnny Roe" in (fetch(jane) or "")), log.read_text()
    assert cited_sources(fetch(jane)) == ["report-2020"]


def test_a_relation_dropped_on_one_side_matches_a_full_render(tmp_path, capsys):
    """The same edit through the preview's refresh, in process: the tree equals a render
    from scratch."""
    opts = Options(content_dir=_both_sides(tmp_path / "content"), config_dir=DEFAULT_CONFIG_DIR)
    live, state = tmp_path / "live", Preview()
    assert refresh(opts, live, state)
    assert "johns-source" in _tree(live)["docs/people/jane-doe.md"]
    _drop_johns_side(opts.content_dir)
    assert refresh(opts, live, state)
    assert "johns-source" not in _tree(live)["docs/people/jane-doe.md"]
    assert _tree(live) == _tree(_full(opts, tmp_path / "full"))
    capsys.readouterr()


def _tree(path: Path) -> dict[str, str]:
    return {p.relative_to(path).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(path.rglob("*.md"))}


def test_profile_edit_rerenders_its_neighbourhood_only_and_matches_a_full_render(tmp_path, capsys):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "mini", content)
    opts = Options(content_dir=content, config_dir=DEFAULT_CONFIG_DIR)
    live, state = tmp_path / "live", Preview()
    assert refresh(opts, live, state)
    total = len(state.site.pages) if state.site else 0
    person = content / "people" / "jane-doe.yml"
    person.write_text(person.read_text(encoding="utf-8").replace("name: Jane Doe", "name: Jane Roe"),
                      encoding="utf-8")
    (content / "people" / "new-person.yml").write_text("name: New Person\n", encoding="utf-8")
    assert refresh(opts, live, state)
    assert state.stats["rendered"] < total  # not every page was rendered again
    full = tmp_path / "full"
    assert refresh(opts, full, Preview())  # from scratch
    assert _tree(live) == _tree(full)
    assert "Jane Roe" in _tree(live)["docs/people/index.md"]
    # a page that shows Jane from the other side of a relation was refreshed too
    assert any("Jane Roe" in text for path, text in _tree(live).items()
               if path.startswith("docs/") and "jane-doe" not in path and "index" not in path)
    capsys.readouterr()


def test_a_year_that_loses_its_last_entry_loses_its_page(tmp_path, monkeypatch, capsys):
    """With a page per year, an edit that empties a year removes that page from the tree."""
    from generator.pages import timeline

    monkeypatch.setattr(timeline, "TIMELINE_PAGE_MAX", 1)
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "mini", content)
    opts = Options(content_dir=content, config_dir=DEFAULT_CONFIG_DIR)
    live, state = tmp_path / "live", Preview()
    assert refresh(opts, live, state)
    years = {p for p in _tree(live) if p.startswith("docs/timeline/")}
    assert "docs/timeline/2018.md" in years, years
    for path in content.rglob("*.yml"):  # move every 2018 date to 2019
        path.write_text(path.read_text(encoding="utf-8").replace("2018", "2019"), encoding="utf-8")
    assert refresh(opts, live, state)
    assert "docs/timeline/2018.md" not in _tree(live)
    assert _tree(live) == _tree(_full(opts, tmp_path / "full"))
    capsys.readouterr()


def _full(opts: Options, out: Path) -> Path:
    assert refresh(opts, out, Preview())
    return out


@pytest.mark.parametrize("dev_addr, reason", [
    ("busy", "Address already in use"),
    ("127.0.0.1:99999", "port must be 0-65535"),
    ("nowhere", "invalid literal for int()"),
    ("not-an-address:8000", "does not appear to be an IPv4 or IPv6 address"),
    ("192.0.2.1:8000", "Cannot assign requested address"),  # TEST-NET-1: never this machine's
])
def test_an_address_that_cannot_be_served_is_a_located_error(dev_addr: str, reason: str, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    """Told before anything is rendered, as a located error with a hint (it was a traceback)."""
    from generator.cli import main

    monkeypatch.chdir(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        if dev_addr == "busy":
            dev_addr = f"127.0.0.1:{taken.getsockname()[1]}"
        assert main(["serve", "--content", str(FIXTURES / "mini"), "--dev-addr", dev_addr]) == 1
    err = capsys.readouterr().err
    assert f"--dev-addr: error: cannot listen on '{dev_addr}': " in err and reason in err, err
    assert "Traceback" not in err and not (tmp_path / ".dossier").exists()


def test_a_broken_edit_then_its_fix_leave_the_tree_a_full_render_would_make(tmp_path, capsys):
    """The banner's script is the only file a failed refresh writes; the next partial
    refresh still keeps every file a full render makes (the exports the preview keeps)."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "mini", content)
    opts = Options(content_dir=content, config_dir=DEFAULT_CONFIG_DIR)
    live, state = tmp_path / "live", Preview()
    assert refresh(opts, live, state)
    before = _files(live)
    jane = content / "people" / "jane-doe.yml"
    good = jane.read_text(encoding="utf-8")
    jane.write_text(good.replace("target: john-roe", "target: john-roee"), encoding="utf-8")
    assert not refresh(opts, live, state)
    after = _files(live)
    assert {p for p in before if before[p] != after.get(p)} == {f"docs/{SERVE_ERRORS}"}
    jane.write_text(good.replace("name: Jane Doe", "name: Jane Roe"), encoding="utf-8")
    assert refresh(opts, live, state)
    assert state.stats["rendered"] < len(state.site.pages if state.site else ())  # a partial refresh
    live_files, full_files = _files(live), _files(_full(opts, tmp_path / "full"))
    assert live_files.keys() == full_files.keys()
    kept = {f"docs/{path}" for path in (state.site.kept_in_preview if state.site else ())}
    assert kept and {p for p in live_files if live_files[p] != full_files[p]} <= kept  # made at start
    capsys.readouterr()


def _files(tree: Path) -> dict[str, bytes]:
    return {p.relative_to(tree).as_posix(): p.read_bytes() for p in sorted(tree.rglob("*")) if p.is_file()}


def test_a_template_failing_after_the_profiles_were_written_is_mended_next_time(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The second burst (indexes, whole-dossier pages) fails after the first (profiles)
    was written: reported in the banner, the profiles kept, and the next refresh renders
    the same pages again, so the tree is a full render's again."""
    from generator import serve
    from generator.diagnostics import Diagnostic, Loc
    from generator.template_errors import TemplateFailures

    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "mini", content)
    opts = Options(content_dir=content, config_dir=DEFAULT_CONFIG_DIR)
    live, state = tmp_path / "live", Preview()
    assert refresh(opts, live, state)
    render_pages = serve.render_pages

    def failing_after_the_profiles(*args, **kwargs):  # type: ignore[no-untyped-def]
        if kwargs.get("whole_dossier", True):
            raise TemplateFailures([Diagnostic("error", Loc("templates/home.md.j2"), "it broke")])
        return render_pages(*args, **kwargs)

    monkeypatch.setattr(serve, "render_pages", failing_after_the_profiles)
    jane = content / "people" / "jane-doe.yml"
    jane.write_text(jane.read_text(encoding="utf-8").replace("name: Jane Doe", "name: Jane Roe"),
                    encoding="utf-8")
    assert not refresh(opts, live, state)
    tree = _tree(live)
    assert "Jane Roe" in tree["docs/people/jane-doe.md"] and "Jane Roe" not in tree["docs/people/index.md"]
    assert "it broke" in (live / "docs" / SERVE_ERRORS).read_text(encoding="utf-8")
    monkeypatch.setattr(serve, "render_pages", render_pages)
    assert refresh(opts, live, state)
    assert _tree(live) == _tree(_full(opts, tmp_path / "full"))
    capsys.readouterr()
