"""Tradecraft checks (issue 15, item 4): warnings on hedging and sourcing, each with a code
and an opt-out in site_config/tradecraft.yml."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.config import DEFAULT_CONFIG_DIR
from generator.diagnostics import Diagnostic
from generator.pipeline import Options, check
from generator.tradecraft import RULES

from .conftest import FIXTURES, ROOT, ContentFactory, cli, pipeline

SOURCES = {
    "content/sources/a-grade.yml": "title: A\nreliability: A\n",
    "content/sources/b-grade.yml": "title: B\nreliability: B\n",
    "content/sources/c-grade.yml": "title: C\nreliability: C\n",
    "content/sources/d-grade.yml": "title: D\nreliability: D\n",
    "content/sources/f-grade.yml": "title: F\nreliability: F\n",
    "content/sources/ungraded.yml": "title: U\n",
    "content/sources/report.yml": "title: R\nkind: analysis\nreliability: B\n",
    "content/agencies/x.yml": "name: X\n",
}


def _claim(status: str, confidence: str, sources: str) -> str:
    return (f"name: P\nclaims:\n  - text: T\n    status: {status}\n    confidence: {confidence}\n"
            f"    sources: {sources}\n")


def _tradecraft(found: list[Diagnostic]) -> list[tuple[str, str, int]]:
    return [(d.code, d.message, d.line) for d in found if d.code in RULES]


def _check(root: Path, config: Path = DEFAULT_CONFIG_DIR) -> list[Diagnostic]:
    return check(Options(root, config)).diags.sorted()


#: a person profile → the tradecraft warnings it gets: (code, message, line)
TABLE = [
    (_claim("confirmed", "low", "[a-grade, b-grade]"),
     [("confirmed-low-confidence", "claim is 'confirmed' at low confidence", 3)]),
    (_claim("reported", "low", "[d-grade]"), []),
    (_claim("confirmed", "moderate", "[d-grade, f-grade]"),
     [("weak-sources", "claim is confirmed but rests only on sources graded D–F ('d-grade' D, "
       "'f-grade' F)", 3)]),
    (_claim("reported", "high", "[c-grade]"),
     [("weak-sources", "claim is at high confidence but rests on a single source graded C "
       "('c-grade')", 3)]),
    (_claim("confirmed", "high", "[b-grade]"), []),  # one source, graded B: enough
    (_claim("confirmed", "high", "[c-grade, d-grade]"), []),  # two sources, one not weak
    (_claim("confirmed", "high", "[d-grade, ungraded]"), []),  # an ungraded source is not judged
    (_claim("alleged", "moderate", "[d-grade]"), []),
    (_claim("confirmed", "low", "[d-grade]"),
     [("confirmed-low-confidence", "claim is 'confirmed' at low confidence", 3),
      ("weak-sources", "claim is confirmed but rests only on sources graded D–F ('d-grade' D)", 3)]),
    (_claim("reported", "moderate", "[report]"),
     [("no-locator", "claim cites the long source 'report' (analysis) without a locator", 6)]),
    (_claim("reported", "moderate", "[{source: report, locator: p. 4}]"), []),
    ("name: P\nrelations:\n  - type: member-of\n    target: x\n    status: confirmed\n"
     "    confidence: low\n    sources: [b-grade, {source: report}]\n",
     [("confirmed-low-confidence", "relation 'member-of' to 'x' is 'confirmed' at low confidence", 3),
      ("no-locator", "relation 'member-of' to 'x' cites the long source 'report' (analysis) "
       "without a locator", 7)]),
]


@pytest.mark.parametrize(("profile", "expected"), TABLE, ids=[str(i) for i in range(len(TABLE))])
def test_each_rule_flags_what_it_says_and_nothing_else(content: ContentFactory, profile, expected):
    root = content({**SOURCES, "content/people/p.yml": profile})
    assert _tradecraft(_check(root)) == expected


def test_warnings_fail_strict_with_their_code(capsys, content: ContentFactory):
    root = content({**SOURCES, "content/people/p.yml": _claim("confirmed", "low", "[a-grade, b-grade]")})
    assert cli(capsys, "check", "--content", str(root))[0] == 0
    code, out, _ = cli(capsys, "check", "--strict", "--content", str(root), "--format", "github")
    assert code == 1 and out.startswith("::warning file=content/people/p.yml,line=3,col=5::claim is "
                                        "'confirmed' at low confidence")


def test_key_judgments_are_held_to_the_rules(content: ContentFactory):
    root = content({**SOURCES, "content/dossier.yml": "title: T\nkey_judgments:\n  - text: K\n"
                    "    status: confirmed\n    confidence: low\n    sources: [a-grade, b-grade]\n"})
    assert _tradecraft(_check(root)) == [
        ("confirmed-low-confidence", "key judgment is 'confirmed' at low confidence", 3)]


STALE = {**SOURCES, "content/people/old.yml": "name: Old\nupdated: 2024-06\n",
         "content/people/new.yml": "name: New\nupdated: 2025-05-01\n",
         "content/people/undated.yml": "name: Undated\n"}


@pytest.mark.parametrize(("dossier", "expected"), [
    ("title: T\nupdated: 2025-07-01\n",
     [("stale-profile", "profile last updated 2024-06, 366 days before the dossier's `updated` "
       "2025-07-01 (more than 365)", 1)]),
    ("title: T\npublished: 2025-06-30\n", []),  # 365 days after the end of June 2024
    ("title: T\npublished: 2026-05-02\nupdated: 2025-05-01\n", []),  # `updated` wins over published
    ("title: T\n", []),  # no date of its own: nothing to compare with, and never the clock
])
def test_a_stale_profile_is_judged_by_the_dossiers_own_date(content: ContentFactory, dossier, expected):
    root = content({**STALE, "content/dossier.yml": dossier})
    assert [t for t in _tradecraft(_check(root)) if t[0] == "stale-profile"] == expected


def _config_with(tmp_path: Path, tradecraft: str) -> Path:
    config = tmp_path / "config"
    shutil.copytree(DEFAULT_CONFIG_DIR, config, ignore=shutil.ignore_patterns("docs", "overrides"))
    (config / "tradecraft.yml").write_text(tradecraft, encoding="utf-8")
    return config


@pytest.mark.parametrize("rule", list(RULES))
def test_each_rule_can_be_turned_off(content: ContentFactory, tmp_path, rule):
    root = content({**SOURCES, **STALE, "content/dossier.yml": "title: T\nupdated: 2026-01-01\n",
                    "content/people/p.yml": _claim("confirmed", "low", "[d-grade, report]"),
                    "content/people/q.yml": _claim("reported", "high", "[c-grade]")})
    codes = {t[0] for t in _tradecraft(_check(root))}
    assert codes == set(RULES)
    off = _config_with(tmp_path, f"rules:\n  {rule}: false\n")
    assert {t[0] for t in _tradecraft(_check(root, off))} == set(RULES) - {rule}


def test_thresholds_are_settings(content: ContentFactory, tmp_path):
    root = content({**SOURCES, **STALE, "content/dossier.yml": "title: T\nupdated: 2025-07-01\n",
                    "content/people/p.yml": _claim("reported", "high", "[c-grade, b-grade, report]"),
                    "content/sources/letter.yml": "title: L\nkind: letter\n",
                    "content/people/q.yml": _claim("reported", "moderate", "[letter]")})
    assert [t[0] for t in _tradecraft(_check(root))] == ["stale-profile", "no-locator"]
    config = _config_with(tmp_path, "weak_grades: [B, C, D, E, F]\nlong_source_kinds: [letter]\n"
                                    "stale_after_days: 400\n")
    assert [t[1] for t in _tradecraft(_check(root, config))] == [
        "claim is at high confidence but rests only on sources graded B–F ('b-grade' B, "
        "'c-grade' C, 'report' B)",
        "claim cites the long source 'letter' (letter) without a locator"]


@pytest.mark.parametrize(("text", "message"), [
    ("rule:\n  weak-sources: false\n", "unknown tradecraft setting 'rule' Did you mean 'rules'?"),
    ("rules:\n  weak-source: false\n", "unknown tradecraft rule 'weak-source' Did you mean "
                                       "'weak-sources'?"),
    ("rules:\n  weak-sources: no way\n", "tradecraft rule 'weak-sources' must be true or false"),
    ("stale_after_days: a year\n", "tradecraft setting 'stale_after_days' must be a whole number "
                                   "of days above 0"),
    ("weak_grades: [D, G]\n", "tradecraft setting 'weak_grades' names G Grades are A to F."),
    ("lone_source_grade: 2\n", "tradecraft setting 'lone_source_grade' must be a grade A to F"),
])
def test_a_wrong_setting_is_a_located_error(capsys, content: ContentFactory, tmp_path, text, message):
    root = content({})
    config = _config_with(tmp_path, text)
    code, _, err = cli(capsys, "check", "--content", str(root), "--config", str(config))
    first = err.splitlines()[0]
    assert code == 1 and first.startswith("config/tradecraft.yml:") and first.endswith(message)
    assert "config-tradecraft" in cli(capsys, "check", "--content", str(root), "--config", str(config),
                                      "--format", "json")[1]


def test_the_default_dossier_passes_strict_with_every_rule_on():
    settings = (ROOT / "site_config" / "tradecraft.yml").read_text(encoding="utf-8")
    assert "false" not in settings.split("rules:")[1].split("\n\n")[0]  # no rule turned off
    found = check(Options(ROOT / "content", ROOT / "site_config")).diags.items
    assert found == []


def test_the_writing_content_page_shows_every_rule():
    page = pipeline(FIXTURES / "mini").site.pages["writing-content.md"]
    section = page.split("## Tradecraft checks")[1].split("\n## ")[0]
    assert [line.split("`")[1] for line in section.splitlines() if line.startswith("- `")] == list(RULES)
    assert "site_config/tradecraft.yml" in section
