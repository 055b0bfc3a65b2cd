"""Stage 2: the content model. Exact messages with their `path:line:column`."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import material
import pytest

from generator.config import DEFAULT_CONFIG_DIR, load_config, theme_languages
from generator.dates import PartialDate, parse_date
from generator.diagnostics import Diagnostics

from .conftest import cli, messages, pipeline

ROOT = Path(__file__).resolve().parent.parent


def test_unknown_field_with_did_you_mean(content):
    root = content({"content/people/a.yml": "name: A\nnationalty: [x]\n"})
    assert messages(pipeline(root)) == [
        "content/people/a.yml:2:1: error: unknown field 'nationalty' in a person profile "
        "Did you mean 'nationality'?"]


def test_wrong_types_missing_required_and_enums(content):
    root = content({
        "content/agencies/a.yml": """
            full_name: [x]
            kind: inteligence-service
            founded: 2019-02-30
        """,
        "content/events/e.yml": "name: E\n",
        "content/sources/s.yml": "name: S\ntitle: T\nreliability: G\nurl: javascript:alert(1)\n",
    })
    assert messages(pipeline(root)) == [
        "content/agencies/a.yml:1:1: error: missing required field 'name' in an agency profile",
        "content/agencies/a.yml:1:12: error: field 'full_name' must be text, not a list Quote the "
        "value: text that starts with `[` or `{` reads as a YAML list or mapping.",
        "content/agencies/a.yml:2:7: error: unknown agency kind 'inteligence-service' "
        "Did you mean 'intelligence-service'?",
        "content/agencies/a.yml:3:10: error: field 'founded': '2019-02-30' is not a date: "
        "February 2019 has 28 days",
        "content/events/e.yml:1:1: error: missing required field 'date' in an event profile",
        "content/sources/s.yml:3:14: error: unknown reliability grade 'G' Use one of: "
        "A, B, C, D, E, F.",
        "content/sources/s.yml:4:6: error: 'javascript:alert(1)' is not an http:// or https:// "
        "address",
    ]


def test_partial_dates_in_every_yaml_form():
    import datetime as dt

    assert parse_date(2019) == PartialDate(2019)
    assert parse_date("2019-04") == PartialDate(2019, 4)
    assert parse_date(dt.date(2019, 4, 25)) == PartialDate(2019, 4, 25)
    assert PartialDate(2019) < PartialDate(2019, 4) < PartialDate(2019, 4, 25) < PartialDate(2019, 5)


def test_reversed_ranges_and_future_birth(content):
    root = content({
        "content/people/p.yml": """
            name: P
            born: 2999
            roles:
              - title: Chief
                since: 2020
                until: 2019-06
                sources: [src]
        """,
        "content/events/e.yml": "name: E\ndate: 2019-04\nend_date: 2019-03-31\n",
        "content/domains/d.yml": "name: D\nsince: 2019-04\nuntil: 2019\n",
    })
    assert messages(pipeline(root)) == [
        "content/events/e.yml:3:11: error: `end_date` 2019-03-31 is before `date` 2019-04 "
        "Swap the dates, or correct the one that is wrong.",
        "content/people/p.yml:2:7: error: date of birth 2999 is in the future",
        "content/people/p.yml:6:12: error: `until` 2019-06 is before `since` 2020 "
        "Swap the dates, or correct the one that is wrong.",
    ]


def test_ids_follow_the_rules(content):
    root = content({
        "content/people/Bad_Name.yml": "name: A\n",
        "content/people/good.yml": "id: other\nname: G\n",
        "content/agencies/good.yml": "name: Also good\n",
        "content/people/" + "x" * 65 + ".yml": "name: Long\n",
    })
    assert messages(pipeline(root)) == [
        "content/people/Bad_Name.yml:1:1: error: file name 'Bad_Name' is not a valid id Ids are "
        "lowercase letters, digits and single hyphens, at most 64 characters, e.g. "
        "people/bad-name.yml.",
        "content/people/good.yml:1:1: error: duplicate id 'good': content/agencies/good.yml "
        "uses it too Ids are unique across all types; rename one of the files.",
        "content/people/good.yml:1:5: error: id 'other' does not match the file name 'good' "
        "Remove the `id:` line or rename the file.",
        "content/people/" + "x" * 65 + ".yml:1:1: error: file name '" + "x" * 65 + "' is not a "
        "valid id Ids are lowercase letters, digits and single hyphens, at most 64 characters, "
        "e.g. people/" + "x" * 64 + ".yml.",
    ]


MATERIAL_LANGUAGES = Path(material.__file__).parent / "templates" / "partials" / "languages"


def test_the_theme_languages_are_read_from_the_installed_material():
    stems = {p.stem for p in MATERIAL_LANGUAGES.glob("*.html")}
    assert theme_languages() == stems
    assert {"en", "pt-BR", "zh-Hant"} <= stems and "en-GB" not in stems


# dossier.yml's `language` picks the theme's interface language: it must be one Material has
@pytest.mark.parametrize("code, expected", [
    ("en", []),
    ("pt-BR", []),
    ("zh-Hant", []),
    ("en-GB", ["content/dossier.yml:2:11: error: language 'en-GB' is not one the site's theme "
               "(Material) is translated into Did you mean 'en'?"]),
    ("pt-br", ["content/dossier.yml:2:11: error: language 'pt-br' is not one the site's theme "
               "(Material) is translated into Did you mean 'pt-BR'?"]),
    ("zh-CN", ["content/dossier.yml:2:11: error: language 'zh-CN' is not one the site's theme "
               "(Material) is translated into Did you mean 'zh'?"]),
    ("ess", ["content/dossier.yml:2:11: error: language 'ess' is not one the site's theme "
             "(Material) is translated into Did you mean 'es'?"]),
    ("xx", ["content/dossier.yml:2:11: error: language 'xx' is not one the site's theme "
            "(Material) is translated into Use one of: " + ", ".join(sorted(theme_languages()))
            + "."]),
])
def test_the_site_language_must_be_one_the_theme_has(content, code, expected):
    root = content({"content/dossier.yml": f"title: T\nlanguage: {code}\n"})
    assert messages(pipeline(root)) == expected


def test_a_site_language_check_accepts_builds(content, capsys, tmp_path):
    """What check accepts, build builds: a language with a script subtag, in a real build."""
    root = content({"content/dossier.yml": "title: T\nlanguage: zh-Hant\n"})
    code, _, err = cli(capsys, "build", "--content", str(root), "--site-dir", str(tmp_path / "site"))
    assert code == 0, err
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-Hant"' in html


def test_a_source_may_be_in_any_language_code(content):
    """A source's `language` says what it is written in, not the site's interface."""
    root = content({"content/sources/a.yml": "title: A\nlanguage: pt-PT\n",
                    "content/sources/b.yml": "title: B\nlanguage: en-GB\n"})
    assert messages(pipeline(root)) == []


def test_the_theme_language_in_mkdocs_base_is_checked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(DEFAULT_CONFIG_DIR, tmp_path / "cfg")
    base = tmp_path / "cfg" / "mkdocs.base.yml"
    base.write_text(base.read_text().replace("  name: material\n", "  name: material\n  language: en-GB\n"))
    line = base.read_text().splitlines().index("  language: en-GB") + 1
    diags = Diagnostics()
    assert load_config(tmp_path / "cfg", diags) is None
    assert [d.format() for d in diags.items] == [
        f"cfg/mkdocs.base.yml:{line}:13: error: language 'en-GB' is not one the site's theme "
        "(Material) is translated into Did you mean 'en'?"]


def _config_with(tmp_path: Path, name: str, change: Callable[[str], str] | bytes) -> Path:
    shutil.copytree(DEFAULT_CONFIG_DIR, tmp_path / "cfg")
    path = tmp_path / "cfg" / name
    if isinstance(change, bytes):
        path.write_bytes(path.read_bytes() + change)
    else:
        path.write_text(change(path.read_text()))
    return tmp_path / "cfg"


# a broken site configuration: a located error, never a traceback (in check or build)
@pytest.mark.parametrize("name, change, expected", [
    ("vocabularies.yml", b"x: caf\xe9\n", "cfg/vocabularies.yml:{end}:7: error: invalid UTF-8 byte "
     "0xe9 Save the file as UTF-8 in your editor."),
    ("mkdocs.base.yml", lambda t: "- a\n- b\n", "cfg/mkdocs.base.yml:1:1: error: mkdocs.base.yml "
     "must be a mapping of MkDocs settings, not a list"),
    ("mkdocs.base.yml", lambda t: t.replace("theme:\n  name: material\n", "theme: [material]\nx:\n"),
     "cfg/mkdocs.base.yml:{theme}:8: error: `theme` in mkdocs.base.yml must be a theme name or a "
     "mapping of theme settings, not a list"),
])
def test_a_broken_site_configuration_is_a_located_error(tmp_path, monkeypatch, capsys, name,
                                                        change, expected):
    monkeypatch.chdir(tmp_path)
    cfg = _config_with(tmp_path, name, change)
    lines = (cfg / name).read_bytes().splitlines()
    expected = expected.format(end=len(lines), theme=next(
        (i for i, line in enumerate(lines, 1) if line.startswith(b"theme:")), 0))
    code, _, err = cli(capsys, "build", "--content", str(ROOT / "tests" / "fixtures" / "contract"),
                       "--config", str(cfg), "--site-dir", str(tmp_path / "site"))
    assert (code, err.splitlines()[0]) == (1, expected)


def test_a_theme_named_by_a_word_is_a_mapping_with_that_name(tmp_path, monkeypatch):
    """MkDocs accepts `theme: material`; so does Dossier (it adds settings to the theme)."""
    monkeypatch.chdir(tmp_path)
    cfg = _config_with(tmp_path, "mkdocs.base.yml",
                       lambda t: t.replace("theme:\n  name: material\n", "theme: material\nx:\n"))
    loaded = load_config(cfg, Diagnostics())
    assert loaded is not None and loaded.mkdocs_base["theme"] == {"name": "material"}


def test_iso_norway_and_quoting(content):
    root = content({
        "content/countries/norway.yml": "name: Norway\niso: NO\n",
        "content/countries/venezuela.yml": "name: Venezuela\niso: ve\n",
    })
    result = pipeline(root)
    assert messages(result) == [
        "content/countries/venezuela.yml:2:6: error: 've' is not an ISO 3166-1 alpha-2 code "
        "Did you mean 'VE'?"]


def test_norway_iso_is_the_string_no(content):
    root = content({"content/countries/norway.yml": "name: Norway\niso: NO\n"})
    result = pipeline(root)
    assert result.linked is not None
    assert result.linked.entities["norway"].fields["iso"] == "NO"


def test_unsourced_statements_warn_and_fail_under_strict(content):
    root = content({"content/people/p.yml": """
        name: P
        claims:
          - text: Something happened.
        relations:
          - type: met-with
            target: src
    """})
    expected = [
        "content/people/p.yml:3:5: warning: claim cites no source Add `sources: [source-id]`.",
        "content/people/p.yml:5:5: warning: relation 'met-with' to 'src' cites no source "
        "Add `sources: [source-id]`.",
    ]
    assert messages(pipeline(root)) == expected
    assert not pipeline(root).failed(strict=False)
    assert pipeline(root).failed(strict=True)


def test_invisible_characters_long_names_and_self_relations(content):
    root = content({
        "content/people/p.yml": "name: \"Jo\\u202Ehn\"\nrelations:\n  - {type: leads, target: p, "
                                "sources: [src]}\n",
        "content/people/q.yml": "name: " + "Q" * 201 + "\n",
    })
    assert messages(pipeline(root)) == [
        "content/people/p.yml:1:7: warning: invisible or direction-changing character U+202E in "
        "'name' Remove it; it can make a name read differently from what it is.",
        "content/people/p.yml:3:27: error: 'p' has a relation to itself A relation links two "
        "different entities.",
        "content/people/q.yml:1:7: warning: 'name' is 201 characters long Keep names under 200 "
        "characters; put the rest in `summary`.",
    ]


def test_unquoted_value_cut_by_comment_is_caught_by_its_type(content):
    # `title: Who #1` reads as "Who"; a value cut to nothing is reported as empty
    root = content({"content/people/p.yml": "name: #1 spy\nsummary: Agent #7 of the unit\n"})
    assert messages(pipeline(root)) == [
        "content/people/p.yml:1:6: error: field 'name' is empty Quote the whole value: in YAML "
        "` #` starts a comment.",
        "content/people/p.yml:2:10: warning: the value of 'summary' stops where ` #` starts a "
        "comment Quote the whole value: in YAML ` #` starts a comment.",
    ]


def test_credibility_marking_and_likelihood_vocabularies(content):
    root = content({"content/people/p.yml": """
        name: P
        marking: TLP:PINK
        claims:
          - text: X
            credibility: 7
            likelihood: probable
            sources: [src]
    """})
    assert messages(pipeline(root)) == [
        "content/people/p.yml:2:10: error: unknown marking 'TLP:PINK' Use one of: TLP:CLEAR, "
        "TLP:GREEN, TLP:AMBER, TLP:RED.",
        "content/people/p.yml:5:18: error: unknown credibility grade '7' Use one of: 1, 2, 3, 4, "
        "5, 6.",
        "content/people/p.yml:6:17: error: unknown likelihood 'probable' Use one of: "
        "almost-no-chance, very-unlikely, unlikely, roughly-even, likely, very-likely, "
        "almost-certain.",
    ]


def _broken_content(content):  # type: ignore[no-untyped-def]
    """Errors of every stage, over more files than one chunk of the parallel path."""
    files = {f"content/people/p{i}.yml": f"name: P{i}\nrelations:\n  - type: member-of\n"
                                         f"    target: a{i % 3}\n" for i in range(9)}
    files.update({f"content/agencies/a{i}.yml": f"name: A{i}\nfounded: 199{i}\n" for i in range(3)})
    files.update({
        "content/people/bad-yaml.yml": "name: [unclosed\n",
        "content/people/dup.yml": "name: Dup\n",
        "content/agencies/dup.yml": "name: Dup again\n",  # duplicate id across folders
        "content/people/typo.yml": "name: T\nnationalty: [x]\nrelations:\n  - type: member-of\n"
                                   "    target: a9\n",
        "content/events/e.yml": "name: E\ndate: 2019-02-30\n",
        "content/stray.yml": "name: S\n",
    })
    return content(files)


def test_loading_and_validating_in_two_processes_changes_nothing(content, monkeypatch):
    """The command line shares load and validate with a forked helper (`jobs` > 1):
    the same entities, in the same order, and the same diagnostics as one process."""
    import generator.pipeline as pipeline_module
    from generator.parallel import can_fork

    if not can_fork():  # pragma: no cover - Linux and macOS fork
        return
    monkeypatch.setattr(pipeline_module, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(pipeline_module, "PARALLEL_CHUNK_FILES", 2)
    calls = []
    real = pipeline_module.map_shared
    monkeypatch.setattr(pipeline_module, "map_shared",
                        lambda *a, **k: calls.append(1) or real(*a, **k))
    broken = _broken_content(content)
    for root in (broken, ROOT / "content", ROOT / "tests" / "fixtures" / "hostile"):
        one = pipeline(root)
        two = pipeline(root, jobs=2)
        assert messages(two) == messages(one)
        assert one.linked is not None and two.linked is not None
        assert list(two.linked.entities) == list(one.linked.entities)
        assert two.linked.entities == one.linked.entities
        assert two.linked.dossier == one.linked.dossier
        if root == broken:  # errors of load, validate, assemble and link all came through
            found = " ".join(messages(two))
            for what in ("belong in a type folder", "invalid YAML", "unknown field",
                         "is not a date", "duplicate id 'dup'", "unknown id 'a9'"):
                assert what in found
    assert len(calls) == 3  # the shared path was taken each time
