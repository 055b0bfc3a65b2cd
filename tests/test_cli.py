"""The `dossier` command line as the contract fixes it: exit codes, output formats."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from .conftest import FIXTURES, cli


def test_check_clean_is_exit_0(capsys):
    code, _, err = cli(capsys, "check", "--content", str(FIXTURES / "mini"))
    assert code == 0 and err.strip() == "dossier: ok: 0 errors, 0 warnings"


def test_check_reports_all_errors_then_exit_1(capsys, content):
    root = content({
        "content/people/a.yml": "name: A\nborn: 2019-13\n",
        "content/people/b.yml": "name: B\nkind: x\n",
    })
    code, out, err = cli(capsys, "check", "--content", str(root))
    assert code == 1 and out == ""
    assert err.splitlines() == [
        "content/people/a.yml:2:7: error: field 'born': '2019-13' is not a date: there is no "
        "month 13",
        "content/people/b.yml:2:1: error: unknown field 'kind' in a person profile Allowed "
        "fields: id, name, aliases, summary, tags, relations, claims, sources, updated, marking, "
        "note, born, died, nationality, roles.",
        "dossier: failed: 2 errors, 0 warnings",
    ]


def test_strict_turns_warnings_into_exit_1(capsys, content):
    root = content({"content/people/a.yml": "name: A\nclaims:\n  - text: Unsourced.\n"})
    assert cli(capsys, "check", "--content", str(root))[0] == 0
    code, _, err = cli(capsys, "check", "--strict", "--content", str(root))
    assert code == 1 and "warning: claim cites no source" in err


def test_build_with_errors_writes_nothing(capsys, content, tmp_path):
    root = content({"content/people/a.yml": "name: [A\n"})
    code, _, _ = cli(capsys, "build", "--content", str(root), "--site-dir", str(tmp_path / "s"))
    assert code == 1 and not (tmp_path / "s").exists()


def test_export_json_has_the_contract_shape(capsys):
    code, out, _ = cli(capsys, "export", "--content", str(FIXTURES / "mini"), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"dossier", "entities", "relations"}
    jane = next(e for e in data["entities"] if e["id"] == "jane-doe")
    assert jane["type"] == "person" and jane["aliases"] == ["Джейн Доу", "J. Doe"]
    assert jane["nationality"] == ["ruritania"] and jane["born"] == "1970-03"
    assert jane["roles"][0]["organization"] == "alpha-service"
    assert {"source": "john-roe", "type": "member-of", "target": "beta-bureau",
            "status": "confirmed", "confidence": "high",
            "sources": [{"source": "report-2020"}], "marking": "TLP:CLEAR"} in data["relations"]


def test_export_to_file_and_public_edition(capsys, tmp_path):
    out = tmp_path / "x.json"
    assert cli(capsys, "export", "--content", str(FIXTURES / "contract"), "--edition", "public",
               "-o", str(out))[0] == 0
    text = out.read_text()
    assert "south-agency" not in text and "South Agency" not in text


def test_new_scaffolds_a_profile_that_checks(capsys, content):
    root = content({})
    code, out, _ = cli(capsys, "new", "person", "Miguel Rodríguez Torres", "--content", str(root))
    assert code == 0 and out.strip().endswith("people/miguel-rodriguez-torres.yml")
    assert cli(capsys, "check", "--content", str(root))[0] == 0
    assert cli(capsys, "new", "person", "Miguel Rodríguez Torres", "--content", str(root))[0] == 1
    assert cli(capsys, "new", "robot", "R2", "--content", str(root))[0] == 2


def test_build_refuses_a_site_dir_that_would_replace_content_or_a_file(capsys, content, tmp_path):
    root = content({})
    (tmp_path / "notes.txt").write_text("keep me")
    for site, why in [(root, "it is the content folder"),
                      (tmp_path, "it holds the content folder"),
                      (root / "site", "it is inside the content folder"),
                      (tmp_path / "notes.txt", "it is a file, not a folder")]:
        code, _, err = cli(capsys, "build", "--content", str(root), "--site-dir", str(site))
        assert code == 1 and f"{site}: error: not used for the site: {why}" in err, err
    assert (root / "dossier.yml").is_file() and (tmp_path / "notes.txt").read_text() == "keep me"
    assert not (root / "site").exists()


def _everything(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() if p.is_file() else None
            for p in sorted(root.rglob("*"))}


@pytest.mark.parametrize("command", [["build", "--site-dir"], ["render", "--out"]])
def test_a_folder_dossier_did_not_make_is_left_whole(capsys, content, tmp_path, command):
    """The repro of issue 11 item 1 (and 2 for render): a gh-pages checkout with a note."""
    root = content({})
    (tmp_path / "D" / ".git").mkdir(parents=True)
    (tmp_path / "D" / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    (tmp_path / "D" / "notes.txt").write_text("x\n")
    before = _everything(tmp_path)
    code, _, err = cli(capsys, command[0], "--content", str(root), command[1], "D")
    assert code == 1 and "D: error: not used for the " in err
    assert "it is a version-control checkout (.git)" in err and "mkdocs gh-deploy" in err
    assert _everything(tmp_path) == before


def test_make_site_twice_in_a_row(capsys, content):
    """`make site` runs `dossier build --content content --site-dir site` from the project."""
    content({})
    for _ in range(2):
        code, _, err = cli(capsys, "build", "--content", "content", "--site-dir", "site")
        assert code == 0, err
    assert Path("site/.dossier-output").read_text() == '{"made_by": "dossier", "kind": "site"}\n'


@pytest.mark.parametrize("command", [["check"], ["build", "--site-dir", "site"],
                                     ["render", "--out", "tree"], ["export", "--format", "json"]])
def test_a_missing_templates_folder_is_an_error(capsys, content, tmp_path, command):
    root = content({})
    (tmp_path / "a-file").write_text("")
    for templates, what in (("nope", "no folder"), ("a-file", "a file, not a folder")):
        code, out, err = cli(capsys, command[0], "--content", str(root), "--templates", templates,
                             *command[1:])
        assert code == 1 and out == ""
        assert err.splitlines() == [
            f"{templates}: error: --templates names {what} Name the folder that holds your .md.j2 "
            "templates, or leave out --templates.",
            "dossier: failed: 1 error, 0 warnings"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "content"]


def test_build_progress_as_plain_lines(capsys, tmp_path):
    code, _, err = cli(capsys, "build", "--content", str(FIXTURES / "mini"), "--site-dir",
                       str(tmp_path / "site"), "--progress", "lines")
    lines = err.splitlines()
    assert code == 0
    started = [line.split(" ")[1] for line in lines if line.endswith("…")]
    # MkDocs' pages are read and written in one pass (generator/mkdocs_parallel.py)
    assert started == ["load…", "validate", "link", "render", "write", "mkdocs"]
    assert any(re.fullmatch(r"dossier: mkdocs pages \d+% \(\d+/\d+\)", line)
               for line in lines)  # how far along, e.g. "50% (8/16)"
    # the diagnostics' summary and the final line keep their form and place
    assert lines.index("dossier: ok: 0 errors, 0 warnings") < lines.index(
        next(line for line in lines if line.startswith("dossier: write ")))
    assert lines[-1].startswith("dossier: built ") and lines[-2].startswith("dossier: mkdocs pages done")


def test_small_dossier_off_a_terminal_prints_no_progress(capsys, tmp_path):
    code, _, err = cli(capsys, "render", "--content", str(FIXTURES / "mini"), "--out",
                       str(tmp_path / "tree"))
    assert code == 0
    assert err.splitlines()[0] == "dossier: ok: 0 errors, 0 warnings"
    assert len(err.splitlines()) == 2 and err.splitlines()[1].startswith("dossier: wrote ")


def test_progress_bar_on_a_terminal_is_one_line_erased_at_the_end():
    import io

    from generator.progress import Progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    term = Terminal()
    progress = Progress(term)
    progress.stage("render", 4, "pages")
    for _ in range(4):
        progress.step()
    progress.finish()
    out = term.getvalue()
    assert "\n" not in out and "100% 4/4 pages" in out and "[" + "█" * 24 + "]" in out
    assert out.endswith("\r\x1b[K")  # the line is cleared: diagnostics print as usual


def _files(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_render_workers_write_pages_into_the_tree_as_one_process_would(tmp_path, capsys, monkeypatch):
    """Forked workers write their pages to a spool that is moved into --out: into a fresh
    folder and over a tree rendered before, the files are those of a render in one process."""
    from generator import render

    one = tmp_path / "one"
    assert cli(capsys, "render", "--content", str(FIXTURES / "mini"), "--out", str(one))[0] == 0
    monkeypatch.setattr(render, "PARALLEL_MIN", 1)
    monkeypatch.setattr(render, "PARALLEL_CHUNK", 1)  # both workers write into every folder
    monkeypatch.setattr("os.cpu_count", lambda: 2)  # workers even on a one-core machine
    many = tmp_path / "many"
    for _ in range(2):  # fresh, then over the previous tree
        assert cli(capsys, "render", "--content", str(FIXTURES / "mini"), "--out", str(many))[0] == 0
        assert _files(many) == _files(one)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".dossier-spool-")]


def test_serve_refuses_a_preview_folder_it_did_not_write(capsys, content, tmp_path):
    """`dossier serve` writes its tree into .dossier/serve: an unmarked one (an older
    Dossier's, or anything else) is refused before the server starts."""
    root = content({})
    (tmp_path / ".dossier" / "serve").mkdir(parents=True)
    (tmp_path / ".dossier" / "serve" / "notes.txt").write_text("mine\n")
    code, _, err = cli(capsys, "serve", "--content", str(root), "--dev-addr", "127.0.0.1:1")
    assert code == 1
    assert ".dossier/serve: error: not used for the Markdown tree: it holds files Dossier did " \
           "not make (notes.txt)" in err
    assert (tmp_path / ".dossier" / "serve" / "notes.txt").read_text() == "mine\n"
