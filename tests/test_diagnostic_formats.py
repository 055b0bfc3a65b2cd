"""`--format text|github|json` and the stable code of each kind of message (issue 15, item 2),
and did-you-mean for vocabulary words and ids (item 3)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from generator.codes import CODES, OTHER, code_of
from generator.diagnostics import Diagnostic, Diagnostics, Loc, did_you_mean, report

from .conftest import FIXTURES, ROOT, cli

ERRORS_PAGE = ROOT / "site_config" / "docs" / "errors.md"

#: a profile with one problem → the code its message must have
MISTAKES = [
    ("people/a.yml", "name: A\nborn: 2019-13\n", "bad-date"),
    ("people/a.yml", "name: A\nkind: x\n", "unknown-field"),
    ("people/a.yml", "aliases: [A]\n", "missing-field"),
    ("people/a.yml", "name: A\nsummary: See [[nobody]].\n", "unknown-id"),
    ("people/a.yml", "name: A\nsummary: See [[No Body]].\n", "malformed-reference"),
    ("people/a.yml", "name: A\nclaims:\n  - text: T\n    status: confimed\n    sources: [s]\n",
     "unknown-word"),
    ("people/a.yml", "name: A\nclaims:\n  - text: T\n", "no-source"),
    ("people/a.yml", "name: A\nnationality: [s]\n", "wrong-type"),
    ("people/a.yml", "name: A\nborn: [1]\n", "bad-date"),
    ("people/a.yml", "name: [A\n", "yaml-syntax"),
    ("people/a.yml", "name: A\nname: B\n", "yaml-duplicate-key"),
    ("people/a.yml", "name: true\n", "wrong-kind"),
    ("people/a.yml", "name: A\nrelations:\n  - {type: leads, target: a, sources: [s]}\n",
     "self-relation"),
    ("people/A B.yml", "name: A\n", "bad-id"),
    ("agencies/x.yml", "name: X\nkind: spy-shop\n", "unknown-word"),
    ("agencies/x.yml", "name: X\nurl: x\n", "unknown-field"),
    ("sources/t.yml", "title: T\nurl: javascript:x\n", "bad-url"),
    ("events/e.yml", "name: E\ndate: 2020\nend_date: 2019\n", "dates-reversed"),
]


def _codes_on_the_errors_page() -> set[str]:
    return set(re.findall(r"^\| `([a-z0-9-]+)` \|", ERRORS_PAGE.read_text(encoding="utf-8"), re.M))


@pytest.mark.parametrize(("path", "text", "code"), MISTAKES, ids=[m[2] + ":" + m[1] for m in MISTAKES])
def test_each_kind_of_mistake_has_its_code_in_json(capsys, content, path, text, code):
    root = content({"content/dossier.yml": "title: T\n", f"content/{path}": text,
                    "content/sources/s.yml": "title: S\n"})
    status, out, err = cli(capsys, "check", "--content", str(root), "--format", "json", "--strict")
    problems = json.loads(out)
    assert status == 1 and err.startswith("dossier: failed")
    assert code in [p["code"] for p in problems]
    for p in problems:
        assert set(p) == {"path", "line", "column", "severity", "code", "message", "hint"}
        assert p["path"].startswith("content/")


def test_every_code_is_on_the_errors_page():
    assert set(CODES) - _codes_on_the_errors_page() == set()


def test_every_code_on_the_errors_page_is_one_the_generator_gives():
    assert _codes_on_the_errors_page() - set(CODES) == set()


def test_the_hostile_fixtures_give_no_message_without_a_code(capsys):
    for fixture in ("hostile", "contract", "editions"):
        _, out, _ = cli(capsys, "check", "--content", str(FIXTURES / fixture), "--format", "json")
        assert [p["message"] for p in json.loads(out) if p["code"] == OTHER] == []


@pytest.mark.parametrize(("diagnostic", "line"), [
    (Diagnostic("error", Loc("content/people/a.yml", 2, 7), "bad", "Fix it."),
     "::error file=content/people/a.yml,line=2,col=7::bad Fix it."),
    (Diagnostic("warning", Loc("content/dossier.yml"), "no line"),
     "::warning file=content/dossier.yml::no line"),
    (Diagnostic("error", Loc("c/a,b:c.yml", 1, 1), "100% sure"),
     "::error file=c/a%2Cb%3Ac.yml,line=1,col=1::100%25 sure"),
    (Diagnostic("error", Loc("c/a.yml", 1, 1), "two\nlines\r"),  # shown escaped, as in text
     "::error file=c/a.yml,line=1,col=1::two\\nlines\\r"),
    (Diagnostic("error", Loc("c/a.yml", 1, 1), "forged\n::error file=x::y"),
     "::error file=c/a.yml,line=1,col=1::forged\\n::error file=x::y"),
])
def test_github_annotations_are_escaped_as_the_runner_reads_them(diagnostic, line):
    assert diagnostic.github() == line
    assert "\n" not in diagnostic.github() and "\r" not in diagnostic.github()


def test_github_format_goes_to_stdout_and_summary_to_stderr(capsys, content):
    root = content({"content/dossier.yml": "title: T\n", "content/people/a.yml": "name: A\nborn: 2019-13\n"})
    status, out, err = cli(capsys, "check", "--content", str(root), "--format", "github")
    assert status == 1
    assert out.splitlines() == ["::error file=content/people/a.yml,line=2,col=7::field 'born': "
                                "'2019-13' is not a date: there is no month 13"]
    assert err.strip() == "dossier: failed: 1 error, 0 warnings"


def test_text_format_is_unchanged_by_the_option(capsys, content):
    root = content({"content/dossier.yml": "title: T\n", "content/people/a.yml": "name: A\nborn: 2019-13\n"})
    plain = cli(capsys, "check", "--content", str(root))
    text = cli(capsys, "check", "--content", str(root), "--format", "text")
    assert plain == text and plain[1] == ""


def test_json_of_a_clean_check_is_an_empty_list(capsys):
    status, out, _ = cli(capsys, "check", "--content", str(FIXTURES / "mini"), "--format", "json")
    assert status == 0 and json.loads(out) == []


def test_build_takes_the_format_too(capsys, content, tmp_path: Path):
    root = content({"content/dossier.yml": "title: T\n", "content/people/a.yml": "name: A\nborn: 2019-13\n"})
    status, out, _ = cli(capsys, "build", "--content", str(root), "--site-dir", str(tmp_path / "s"),
                         "--format", "json")
    assert status == 1 and [p["code"] for p in json.loads(out)] == ["bad-date"]
    assert not (tmp_path / "s").exists()


def test_json_escapes_control_characters_like_the_text_format(capsys):
    diags = Diagnostics([Diagnostic("error", Loc("c/a\x1b[31m.yml", 1, 1), "x\u202ey")])
    report(diags, fmt="json")
    problem = json.loads(capsys.readouterr().out)[0]
    assert problem["path"] == "c/a\\x1b[31m.yml" and problem["message"] == "x\\u202ey"


def test_a_message_no_pattern_describes_is_other():
    assert code_of("something new") == OTHER


# --- did-you-mean (item 3) ------------------------------------------------------------------

@pytest.mark.parametrize(("text", "hint"), [
    ("relations:\n  - {type: works-for, target: s, sources: [s]}\n", "Did you mean 'member-of'?"),
    ("relations:\n  - {type: cooperate-with, target: s, sources: [s]}\n",
     "Did you mean 'cooperates-with'?"),
    ("claims:\n  - {text: T, status: confimed, sources: [s]}\n", "Did you mean 'confirmed'?"),
    ("claims:\n  - {text: T, confidence: medium, sources: [s]}\n", "Did you mean 'moderate'?"),
    ("claims:\n  - {text: T, confidence: High, sources: [s]}\n", "Did you mean 'high'?"),
    ("claims:\n  - {text: T, likelihood: probable, sources: [s]}\n", "Did you mean 'likely'?"),
    ("summary: Met [[svr-agency]].\n", "Did you mean 'svr' or 'svr-special-forces'?"),
    ("summary: Met [[svr-special-force]].\n", "Did you mean 'svr-special-forces'?"),
])
def test_did_you_mean_for_words_relation_types_and_inline_ids(capsys, content, text, hint):
    root = content({"content/dossier.yml": "title: T\n", "content/people/a.yml": f"name: A\n{text}",
                    "content/sources/s.yml": "title: S\n", "content/agencies/svr.yml": "name: SVR\n",
                    "content/agencies/svr-special-forces.yml": "name: SVR SF\n"})
    _, out, _ = cli(capsys, "check", "--content", str(root), "--format", "json")
    assert hint in [p["hint"] for p in json.loads(out)]


@pytest.mark.parametrize(("word", "known", "hint"), [
    ("confimed", ["confirmed", "reported"], "Did you mean 'confirmed'?"),
    ("zzz-qqq", ["svr", "fsb"], None),
    ("ab-cd", ["ab", "cd"], None),  # parts under three letters say nothing
    ("army-of-russia-x", ["russia", "russian-army", "army-x-y", "fsb"],
     "Did you mean 'russia', 'army-x-y' or 'russian-army'?"),
    ("svr-agency", ["svr", "fsb", "svr-special-forces"], "Did you mean 'svr' or 'svr-special-forces'?"),
])
def test_did_you_mean_falls_back_on_shared_parts(word, known, hint):
    assert did_you_mean(word, known) == hint


def test_the_pre_commit_hook_runs_a_strict_check(capsys, content):
    """.pre-commit-hooks.yaml: pre-commit runs `entry` plus the `args` a content repository
    gives (`--content DIR`) once per commit, on the whole dossier."""
    hook, = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "dossier-check" and hook["pass_filenames"] is False
    command = hook["entry"].split()
    assert command[:2] == ["dossier", "check"] and "--strict" in command
    assert cli(capsys, *command[1:], "--content", str(FIXTURES / "mini"))[0] == 0
    root = content({"content/people/a.yml": "name: A\nclaims:\n  - text: Unsourced.\n"})
    assert cli(capsys, *command[1:], "--content", str(root))[0] == 1  # a warning fails the commit


@pytest.mark.parametrize(("message", "code"), [
    ("cannot print the PDF: Chromium is not installed", "pdf-engine"),
    ("Chromium did not print the book (exit status 1)\n  oops", "pdf-engine"),
    ("not used for the site: it holds files Dossier did not make (a.txt)", "output-refused"),
    ("cannot write: No space left on device", "cannot-write"),
    ("'entty' is undefined (rendering people/jane-doe.md)", "template"),
    ("still running after 10 s (rendering people/jane-doe.md)", "template-time-limit"),
    ("unknown tradecraft rule 'weak-source'", "config-tradecraft"),
    ("relation type 'x' needs a `label`", "config-vocabulary"),
    ("'fsb' is an agency, not a source", "wrong-type"),
    ("unknown id or claim key 'k'.", "unknown-claim-key"),
    ("profile last updated 2020, 400 days before the dossier's `updated` 2021 (more than 365)",
     "stale-profile"),
])
def test_messages_no_content_table_gives_have_their_codes(message, code):
    """Messages of the output folders, templates, configuration and the PDF: by wording."""
    assert code_of(message) == code
