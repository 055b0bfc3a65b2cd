"""Change history from git (issue 15 item 7): each profile's commits and a Recent changes
page, read in one `git log` pass; commit dates, first lines only, text as data; nothing
without git; never in an edition that withholds something."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator import history
from generator.cli import main
from generator.config import DEFAULT_CONFIG_DIR
from generator.history import PROFILE_CHANGES_MAX, RECENT_CHANGES_MAX, parse_log, read_log
from generator.pipeline import Options
from generator.serve import Preview, refresh
from generator.serve_banner import BANNER_ERRORS_MAX

from .conftest import FIXTURES

#: a message that would be markup, a link and a second line if pasted into a page
HOSTILE = ('<script>alert(1)</script> **bold** [x](javascript:alert(1)) <img src=x onerror=alert(2)>'
           '\n\nSECRET-SECOND-LINE names canary-secret')


def git(repo: Path, *args: str, date: str = "2021-03-04T05:06:07+00:00") -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.org",
           "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True,
                          text=True).stdout


def commit(repo: Path, message: str, date: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message, date=date)


def edit(path: Path, line: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + f"# {line}\n", encoding="utf-8")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini dossier in a repository (under a `content/` folder, as in a real one):
    an import, a hostile message on Jane, twelve more edits of Jane (more than a profile
    lists), and John's file renamed (.yml → .yaml, same id)."""
    root = tmp_path_factory.mktemp("repo")
    content = root / "content"
    shutil.copytree(FIXTURES / "mini", content)
    git(root, "init", "-q")
    commit(root, "Import the mini dossier", "2020-01-02T03:04:05+00:00")
    jane = content / "people" / "jane-doe.yml"
    edit(jane, "hostile")
    commit(root, HOSTILE, "2020-02-03T00:00:00+00:00")
    for n in range(PROFILE_CHANGES_MAX + 2):
        edit(jane, f"edit {n}")
        commit(root, f"Jane edit {n}", f"2020-03-{n + 1:02d}T00:00:00+00:00")
    git(root, "mv", "content/people/john-roe.yml", "content/people/john-roe.yaml")
    commit(root, "Rename John's file", "2020-04-01T00:00:00+00:00")
    return content


@pytest.fixture(scope="module")
def built(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("built") / "site"
    assert main(["build", "--content", str(repo), "--site-dir", str(site)]) == 0
    return site


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def history_items(page: BeautifulSoup) -> list[str]:
    heading = page.find("h2", id="history")
    if heading is None:
        return []
    return [li.get_text(" ", strip=True) for li in heading.find_next("ul").find_all("li", recursive=False)]


def test_a_profile_lists_its_commits_newest_first_capped(built: Path) -> None:
    items = history_items(soup(built / "people" / "jane-doe.html"))
    last = PROFILE_CHANGES_MAX + 1
    assert items[0] == f"{last + 1} March 2020 — Jane edit {last}"
    assert len(items) == PROFILE_CHANGES_MAX + 1
    assert items[-1] == "and 4 earlier"  # 14 commits: 2 edits, the hostile one and the import


def test_a_renamed_file_keeps_its_history(built: Path) -> None:
    assert history_items(soup(built / "people" / "john-roe.html")) == [
        "1 April 2020 — Rename John's file", "2 January 2020 — Import the mini dossier"]


def test_a_commit_message_is_text_and_only_its_first_line_is_shown(built: Path) -> None:
    """The hostile message's first line is shown as the text it is (no element, link or
    emphasis made of it), on the Recent changes page; its second line nowhere."""
    page = soup(built / "changes.html")
    first = HOSTILE.split("\n")[0]
    assert first in page.get_text()
    article = page.select_one("article")
    assert article is not None
    made = "script:not([type='application/json']), img, strong:-soup-contains('bold'), a[href^='javascript']"
    assert not article.select(made)
    for path in built.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".js", ".json", ".xml"}:
            assert "SECRET-SECOND-LINE" not in path.read_text(encoding="utf-8", errors="replace"), path


def test_the_recent_changes_page_is_in_the_nav_and_lists_commits_with_their_profiles(built: Path) -> None:
    home = soup(built / "index.html")
    assert any(a.get_text(strip=True) == "Recent changes" for a in home.select("nav a"))
    items = soup(built / "changes.html").select("article li")
    assert items[0].get_text(" ", strip=True).startswith("1 April 2020 Rename John's file")
    assert [a["href"] for a in items[0].select("a")] == ["people/john-roe.html"]
    imported = items[-1]
    assert "Import the mini dossier" in imported.get_text()
    assert len(imported.select("a")) == 10 and "more" not in imported.get_text()  # every profile


@pytest.mark.parametrize("where", ["not a repository", "git missing"])
def test_without_git_there_is_no_history_and_no_message(where: str, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "mini", content)
    if where == "git missing":
        git(tmp_path, "init", "-q")
        commit(tmp_path, "Import", "2020-01-02T03:04:05+00:00")
        monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # never the project's own repository
    assert read_log(content) == []
    out = tmp_path / "tree"
    assert main(["render", "--content", str(content), "--out", str(out)]) == 0
    assert not (out / "docs" / "changes.md").exists()
    assert "## History" not in (out / "docs" / "people" / "jane-doe.md").read_text(encoding="utf-8")
    err = capsys.readouterr().err
    assert all(line.startswith("dossier: ") for line in err.splitlines()), err  # nothing from git


@pytest.mark.parametrize("edition, shown", [("full", True), ("public", False)])
def test_an_edition_that_withholds_something_shows_no_history(edition: str, shown: bool,
                                                               tmp_path: Path) -> None:
    """A commit message may name what the public edition withholds: no history there."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "editions", content)
    git(tmp_path, "init", "-q")
    commit(tmp_path, "CANARY-COMMIT-MESSAGE", "2020-01-02T03:04:05+00:00")
    out = tmp_path / "tree"
    assert main(["render", "--content", str(content), "--out", str(out), "--edition", edition]) == 0
    texts = "".join(p.read_text(encoding="utf-8") for p in sorted((out / "docs").rglob("*")) if p.is_file()
                    and p.suffix in {".md", ".js", ".json"})
    assert ("CANARY-COMMIT-MESSAGE" in texts) is shown
    assert (out / "docs" / "changes.md").exists() is shown


#: git log -z --name-status output (LOG_FORMAT) as tokens, and the commits read from it
H1, H2 = "a" * 40, "b" * 40


@pytest.mark.parametrize("log, expected", [
    pytest.param(f"\x1e{H1}\x1f2020-01-02\x1fone\n\0\nM\0people/a.yml\0", [("one", ("people/a.yml",))],
                 id="one commit"),
    pytest.param(f"\x1e{H1}\x1f2020-01-02\x1fnew\n\0\nR100\0people/a.yml\0people/b.yml\0"
                 f"\x1e{H2}\x1f2019-01-02\x1fold\n\0\nA\0people/a.yml\0",
                 [("new", ("people/b.yml",)), ("old", ("people/b.yml",))], id="rename followed"),
    pytest.param(f"\x1e{H1}\x1f2020-01-02\x1fx \x1e{H2}\x1f2019-01-02\x1fy\nM\tfake.yml\n\0"
                 "\nM\0people/a.yml\0",
                 [(f"x \x1e{H2}\x1f2019-01-02\x1fy", ("people/a.yml",))], id="a header inside a message"),
    pytest.param(f"\x1e{H1}\x1f2020-01-02\x1ffirst\nsecond\n\0\nM\0\x1eM\0", [("first", ("\x1eM",))],
                 id="a path that looks like anything"),
    pytest.param("", [], id="no commits"),
])
def test_parse_log(log: str, expected: list[tuple[str, tuple[str, ...]]]) -> None:
    assert [(c.change.subject, c.paths) for c in parse_log(log)] == expected


def test_the_preview_shows_a_new_commit_and_reads_the_log_only_after_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """`dossier serve` re-renders after a commit (every page may change) and, between
    commits, does not read the whole log again on each edit."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "mini", content)
    git(tmp_path, "init", "-q")
    commit(tmp_path, "Import", "2020-01-02T03:04:05+00:00")
    reads: list[Path] = []
    monkeypatch.setattr(history, "read_log", lambda folder: reads.append(folder) or read_log(folder))
    opts = Options(content_dir=content, config_dir=DEFAULT_CONFIG_DIR)
    live, state = tmp_path / "live", Preview()
    jane = content / "people" / "jane-doe.yml"
    assert refresh(opts, live, state)
    edit(jane, "not committed yet")
    assert refresh(opts, live, state)
    assert len(reads) == 1
    commit(tmp_path, "Edit Jane", "2020-02-03T00:00:00+00:00")
    assert refresh(opts, live, state)
    assert len(reads) == 2
    assert history_items(BeautifulSoup(_html(live / "docs" / "people" / "jane-doe.md"), "lxml")) == [
        "3 February 2020 — Edit Jane", "2 January 2020 — Import"]
    assert "Edit Jane" in (live / "docs" / "changes.md").read_text(encoding="utf-8")
    capsys.readouterr()


def _html(page: Path) -> str:
    """A Markdown page of the tree as HTML (its History section is a list)."""
    import markdown

    text = page.read_text(encoding="utf-8")
    return markdown.markdown(text, extensions=["attr_list", "toc"])


def test_the_writing_content_page_states_the_limits(built: Path) -> None:
    text = " ".join(soup(built / "writing-content.html").get_text(" ").split())
    assert f"(the latest {PROFILE_CHANGES_MAX}, then how many earlier)" in text
    assert f"lists the latest {RECENT_CHANGES_MAX} commits" in text
    assert f"(the first {BANNER_ERRORS_MAX})" in text


def test_the_same_repository_renders_the_same_tree(repo: Path, tmp_path: Path) -> None:
    """Dates come from the commits, never the clock: two renders, the same bytes."""
    trees = []
    for n in (1, 2):
        out = tmp_path / f"tree{n}"
        assert main(["render", "--content", str(repo), "--out", str(out)]) == 0
        trees.append({p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
                      if p.is_file()})
    assert trees[0] == trees[1]
    assert b"1 April 2020" in trees[0]["docs/changes.md"]
