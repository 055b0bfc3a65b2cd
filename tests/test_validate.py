"""Stage 2, validate: the content model. Exact messages with their `path:line:column`.

Each case is a small content folder written in tmp_path and read by the load stage
(`conftest.loaded`, which must find nothing wrong); the unit under test is then
called directly: `validate` for a whole folder, `validate_file` for one entity file,
`validate_dossier` for dossier.yml, `assemble` for what spans files. Only the tests
of the site configuration and of the shared two-process path run the command line
or the pipeline.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import material
import pytest

from generator.config import DEFAULT_CONFIG_DIR, SiteConfig, load_config, theme_languages
from generator.dates import PartialDate, parse_date
from generator.diagnostics import Diagnostics
from generator.load import LoadedFile
from generator.model import DEFAULT_MARKING, Entity
from generator.pipeline import Options, check
from generator.validate import assemble, validate_dossier, validate_file

from .conftest import (
    FIXTURES,
    ROOT,
    ContentFactory,
    cli,
    loaded,
    messages,
    validated,
)

UNSOURCED = {"content/people/p.yml": """
    name: P
    claims:
      - text: Something happened.
    relations:
      - type: met-with
        target: src
"""}


# --- validate: a content folder → typed content and every problem, located ---------------

# case → (files besides dossier.yml and sources/src.yml, what validate reports, sorted)
@pytest.mark.parametrize(("files", "expected"), [
    pytest.param(
        {"content/people/a.yml": "name: A\nnationalty: [x]\n"},
        ["content/people/a.yml:2:1: error: unknown field 'nationalty' in a person profile "
         "Did you mean 'nationality'?"],
        id="unknown-field-with-did-you-mean"),
    pytest.param(
        {"content/agencies/a.yml": """
            full_name: [x]
            kind: inteligence-service
            founded: 2019-02-30
         """,
         "content/events/e.yml": "name: E\n",
         "content/sources/s.yml": "name: S\ntitle: T\nreliability: G\nurl: javascript:alert(1)\n"},
        ["content/agencies/a.yml:1:1: error: missing required field 'name' in an agency profile",
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
         "address"],
        id="wrong-types-missing-required-and-enums"),
    pytest.param(
        {"content/people/p.yml": """
            name: P
            born: 2999
            roles:
              - title: Chief
                since: 2020
                until: 2019-06
                sources: [src]
            claims:
              - {text: Said so., date: 2021, end_date: 2020-12, sources: [src]}
         """,
         "content/events/e.yml": "name: E\ndate: 2019-04\nend_date: 2019-03-31\n",
         "content/domains/d.yml": "name: D\nsince: 2019-04\nuntil: 2019\n"},
        ["content/events/e.yml:3:11: error: `end_date` 2019-03-31 is before `date` 2019-04 "
         "Swap the dates, or correct the one that is wrong.",
         "content/people/p.yml:2:7: error: date of birth 2999 is in the future",
         "content/people/p.yml:6:12: error: `until` 2019-06 is before `since` 2020 "
         "Swap the dates, or correct the one that is wrong.",
         "content/people/p.yml:9:44: error: `end_date` 2020-12 is before `date` 2021 "
         "Swap the dates, or correct the one that is wrong."],
        id="reversed-ranges-and-future-birth"),
    pytest.param(
        {"content/people/Bad_Name.yml": "name: A\n",
         "content/people/good.yml": "id: other\nname: G\n",
         "content/agencies/good.yml": "name: Also good\n",
         "content/people/" + "x" * 65 + ".yml": "name: Long\n"},
        ["content/people/Bad_Name.yml:1:1: error: file name 'Bad_Name' is not a valid id Ids are "
         "lowercase letters, digits and single hyphens, at most 64 characters, e.g. "
         "people/bad-name.yml.",
         "content/people/good.yml:1:1: error: duplicate id 'good': content/agencies/good.yml "
         "uses it too Ids are unique across all types; rename one of the files.",
         "content/people/good.yml:1:5: error: id 'other' does not match the file name 'good' "
         "Remove the `id:` line or rename the file.",
         "content/people/" + "x" * 65 + ".yml:1:1: error: file name '" + "x" * 65 + "' is not a "
         "valid id Ids are lowercase letters, digits and single hyphens, at most 64 characters, "
         "e.g. people/" + "x" * 64 + ".yml."],
        id="ids-follow-the-rules"),
    pytest.param(
        {"content/countries/norway.yml": "name: Norway\niso: NO\n",
         "content/countries/venezuela.yml": "name: Venezuela\niso: ve\n"},
        ["content/countries/venezuela.yml:2:6: error: 've' is not an ISO 3166-1 alpha-2 code "
         "Did you mean 'VE'?"],
        id="iso-norway-and-quoting"),
    pytest.param(
        UNSOURCED,
        ["content/people/p.yml:3:5: warning: claim cites no source Add `sources: [source-id]`.",
         "content/people/p.yml:5:5: warning: relation 'met-with' to 'src' cites no source "
         "Add `sources: [source-id]`."],
        id="unsourced-statements-warn"),
    pytest.param(
        {"content/people/p.yml": "name: P\nroles:\n  - title: Chief\n"},
        ["content/people/p.yml:3:5: warning: role 'Chief' cites no source "
         "Add `sources: [source-id]`."],
        id="unsourced-role-warns"),
    pytest.param(
        {"content/people/p.yml": "name: \"Jo\\u202Ehn\"\nrelations:\n  - {type: leads, target: p, "
                                 "sources: [src]}\n",
         "content/people/q.yml": "name: " + "Q" * 201 + "\n"},
        ["content/people/p.yml:1:7: warning: invisible or direction-changing character U+202E in "
         "'name' Remove it; it can make a name read differently from what it is.",
         "content/people/p.yml:3:27: error: 'p' has a relation to itself A relation links two "
         "different entities.",
         "content/people/q.yml:1:7: warning: 'name' is 201 characters long Keep names under 200 "
         "characters; put the rest in `summary`."],
        id="invisible-characters-long-names-and-self-relations"),
    pytest.param(  # `title: Who #1` reads as "Who"; a value cut to nothing is reported as empty
        {"content/people/p.yml": "name: #1 spy\nsummary: Agent #7 of the unit\n"},
        ["content/people/p.yml:1:6: error: field 'name' is empty Quote the whole value: in YAML "
         "` #` starts a comment.",
         "content/people/p.yml:2:10: warning: the value of 'summary' stops where ` #` starts a "
         "comment Quote the whole value: in YAML ` #` starts a comment."],
        id="unquoted-value-cut-by-comment"),
    pytest.param(
        {"content/people/p.yml": """
            name: P
            marking: TLP:PINK
            claims:
              - text: X
                credibility: 7
                likelihood: probable
                sources: [src]
         """},
        ["content/people/p.yml:2:10: error: unknown marking 'TLP:PINK' Use one of: TLP:CLEAR, "
         "TLP:GREEN, TLP:AMBER, TLP:RED.",
         "content/people/p.yml:5:18: error: unknown credibility grade '7' Use one of: 1, 2, 3, 4, "
         "5, 6.",
         "content/people/p.yml:6:17: error: unknown likelihood 'probable' Did you mean "
         "'likely'?"],
        id="credibility-marking-and-likelihood-vocabularies"),
    pytest.param(  # a source's `language` says what it is written in, not the site's interface
        {"content/sources/a.yml": "title: A\nlanguage: pt-PT\n",
         "content/sources/b.yml": "title: B\nlanguage: en-GB\n"},
        [],
        id="a-source-may-be-in-any-language-code"),
])
def test_validate_reports_every_problem_where_it_was_written(
        content: ContentFactory, site_config: SiteConfig, files: dict[str, str],
        expected: list[str]) -> None:
    _, diags = validated(content(files), site_config)
    assert messages(diags) == expected


def test_unsourced_statements_warn_and_fail_under_strict(content: ContentFactory,
                                                          site_config: SiteConfig) -> None:
    _, diags = validated(content(UNSOURCED), site_config)
    assert len(diags.warnings) == 2 and not diags.errors
    assert not diags.failed(strict=False)
    assert diags.failed(strict=True)


# case → (YAML of a country profile, the field, the value validate hands on)
@pytest.mark.parametrize(("text", "field", "expected"), [
    pytest.param("name: Norway\niso: NO\n", "iso", "NO", id="norway-iso-is-the-string-no"),
    pytest.param("name: Norway\niso: 'NO'\n", "iso", "NO", id="quoted-iso"),
])
def test_values_are_handed_on_as_written(content: ContentFactory, site_config: SiteConfig,
                                         text: str, field: str, expected: Any) -> None:
    found, diags = validated(content({"content/countries/norway.yml": text}), site_config)
    assert messages(diags) == []
    assert found.entities["norway"].fields[field] == expected


def _statement_markings(e: Entity) -> set[str]:
    """The markings of an entity's relations, claims and roles."""
    return {r.marking for r in e.relations} | {c.marking for c in e.claims} | {
        r.marking for r in e.roles}


def test_statements_without_a_marking_have_their_profiles(site_config: SiteConfig) -> None:
    """A relation, claim or role with no marking of its own has its profile's marking,
    whatever the dossier-wide default."""
    found, diags = validated(FIXTURES / "editions-amber", site_config)
    assert messages(diags) == []
    markings = {i: _statement_markings(e) for i, e in found.entities.items()
                if e.relations or e.claims or e.roles}
    assert markings == {"canary-person": {"TLP:AMBER"}, "public-person": {"TLP:GREEN"}}


# --- validate_file: one entity file on its own -------------------------------------------


def _loaded_file(root: Path, shown: str) -> LoadedFile:
    [found] = [f for f in loaded(root).files if f.path == shown]
    return found


BAD_ID_HINT = ("Ids are lowercase letters, digits and single hyphens, at most 64 characters, "
               "e.g. people/")


# case → (file, text, what validate_file reports about its id, whether it makes an entity)
@pytest.mark.parametrize(("name", "text", "expected", "made"), [
    pytest.param("good.yml", "name: G\n", [], True, id="a-valid-id"),
    pytest.param("Bad_Name.yml", "name: A\n",
                 ["content/people/Bad_Name.yml:1:1: error: file name 'Bad_Name' is not a valid id "
                  + BAD_ID_HINT + "bad-name.yml."], False, id="capitals-and-underscore"),
    pytest.param("x" * 65 + ".yml", "name: Long\n",
                 ["content/people/" + "x" * 65 + ".yml:1:1: error: file name '" + "x" * 65
                  + "' is not a valid id " + BAD_ID_HINT + "x" * 64 + ".yml."], False,
                 id="longer-than-64"),
    pytest.param("good.yml", "id: other\nname: G\n",
                 ["content/people/good.yml:1:5: error: id 'other' does not match the file name "
                  "'good' Remove the `id:` line or rename the file."], True,
                 id="id-key-not-the-file-name"),
    pytest.param("index.yml", "name: I\n",
                 ["content/people/index.yml:1:1: error: the id 'index' is reserved: each type "
                  "folder's list of entries is its index page Rename the file, e.g. "
                  "people/index-1.yml."], False, id="reserved-id"),
])
def test_an_id_is_the_file_name_and_follows_the_rules(
        content: ContentFactory, site_config: SiteConfig, name: str, text: str,
        expected: list[str], made: bool) -> None:
    root = content({f"content/people/{name}": text})
    diags = Diagnostics()
    entity = validate_file(_loaded_file(root, f"content/people/{name}"), site_config,
                           DEFAULT_MARKING, diags)
    assert messages(diags) == expected
    assert (entity is not None) == made


# case → (the marking validate_file is given, the file's own marking) → what its items have
@pytest.mark.parametrize(("given", "own", "expected"), [
    pytest.param("TLP:CLEAR", None, "TLP:CLEAR", id="the-dossier-default"),
    pytest.param("TLP:AMBER", None, "TLP:AMBER", id="the-dossier-marking-inherited"),
    pytest.param("TLP:AMBER", "TLP:GREEN", "TLP:GREEN", id="the-profile-marking-first"),
])
def test_a_file_items_inherit_the_marking_given(content: ContentFactory, site_config: SiteConfig,
                                                given: str, own: str | None, expected: str) -> None:
    marking = f"marking: {own}\n" if own else ""
    root = content({"content/people/p.yml": "name: P\n" + marking + "claims:\n  - text: X\n"
                    "    sources: [src]\nrelations:\n  - {type: met-with, target: src, "
                    "sources: [src]}\nroles:\n  - {title: T, sources: [src]}\n"})
    diags = Diagnostics()
    entity = validate_file(_loaded_file(root, "content/people/p.yml"), site_config, given, diags)
    assert messages(diags) == [] and entity is not None
    assert {entity.marking, *_statement_markings(entity)} == {expected}


# --- assemble: what spans files ----------------------------------------------------------


def _entities(root: Path, config: SiteConfig, shown: list[str]) -> list[Entity | None]:
    diags = Diagnostics()
    files = {f.path: f for f in loaded(root).files}
    made = [validate_file(files[s], config, DEFAULT_MARKING, diags) for s in shown]
    assert messages(diags) == []
    return made


DUPLICATE = "error: duplicate id 'good': {kept} uses it too Ids are unique across all types; " \
            "rename one of the files."


# case → (the files in the order assemble gets them) → the one kept, the one reported
@pytest.mark.parametrize(("order", "kept", "expected"), [
    pytest.param(["content/agencies/good.yml", "content/people/good.yml"], "agency",
                 ["content/people/good.yml:1:1: " + DUPLICATE.format(kept="content/agencies/good.yml")],
                 id="agency-listed-first"),
    pytest.param(["content/people/good.yml", "content/agencies/good.yml"], "person",
                 ["content/agencies/good.yml:1:1: " + DUPLICATE.format(kept="content/people/good.yml")],
                 id="person-listed-first"),
])
def test_of_two_files_with_one_id_the_first_given_is_kept(
        content: ContentFactory, site_config: SiteConfig, order: list[str], kept: str,
        expected: list[str]) -> None:
    root = content({"content/people/good.yml": "name: G\n",
                    "content/agencies/good.yml": "name: Also good\n"})
    dossier = validate_dossier(loaded(root), site_config, Diagnostics())
    diags = Diagnostics()
    assembled = assemble(dossier, [None, *_entities(root, site_config, order)], diags)
    assert messages(diags) == expected
    assert [(e.id, e.type) for e in assembled.entities.values()] == [("good", kept)]


# --- validate_dossier: dossier.yml -------------------------------------------------------

LANGUAGE = "content/dossier.yml:2:11: error: language '{}' is not one the site's theme " \
           "(Material) is translated into "


# dossier.yml's `language` picks the theme's interface language: it must be one Material has
@pytest.mark.parametrize(("code", "expected"), [
    ("en", []),
    ("pt-BR", []),
    ("zh-Hant", []),
    ("en-GB", [LANGUAGE.format("en-GB") + "Did you mean 'en'?"]),
    ("pt-br", [LANGUAGE.format("pt-br") + "Did you mean 'pt-BR'?"]),
    ("zh-CN", [LANGUAGE.format("zh-CN") + "Did you mean 'zh'?"]),
    ("ess", [LANGUAGE.format("ess") + "Did you mean 'es'?"]),
    ("xx", [LANGUAGE.format("xx") + "Use one of: " + ", ".join(sorted(theme_languages())) + "."]),
])
def test_the_site_language_must_be_one_the_theme_has(content: ContentFactory,
                                                      site_config: SiteConfig, code: str,
                                                      expected: list[str]) -> None:
    root = content({"content/dossier.yml": f"title: T\nlanguage: {code}\n"})
    diags = Diagnostics()
    validate_dossier(loaded(root), site_config, diags)
    assert messages(diags) == expected


# --- dates ---------------------------------------------------------------------------------

# a partial date in each form YAML may hand it over: int, str or date
@pytest.mark.parametrize(("raw", "expected"), [
    pytest.param(2019, PartialDate(2019), id="year-as-int"),
    pytest.param("2019-04", PartialDate(2019, 4), id="month-as-str"),
    pytest.param(dt.date(2019, 4, 25), PartialDate(2019, 4, 25), id="day-as-date"),
])
def test_partial_dates_in_every_yaml_form(raw: Any, expected: PartialDate) -> None:
    assert parse_date(raw) == expected


def test_partial_dates_order_from_the_less_precise() -> None:
    assert PartialDate(2019) < PartialDate(2019, 4) < PartialDate(2019, 4, 25) < PartialDate(2019, 5)


# --- the site configuration (read by config.load_config, checked by validate) ----------------

MATERIAL_LANGUAGES = Path(material.__file__).parent / "templates" / "partials" / "languages"


def test_the_theme_languages_are_read_from_the_installed_material() -> None:
    stems = {p.stem for p in MATERIAL_LANGUAGES.glob("*.html")}
    assert theme_languages() == stems
    assert {"en", "pt-BR", "zh-Hant"} <= stems and "en-GB" not in stems


def test_a_site_language_check_accepts_builds(content: ContentFactory,
                                              capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path) -> None:
    """What check accepts, build builds: a language with a script subtag, in a real build
    (end to end on purpose: the claim is about the command line's two commands)."""
    root = content({"content/dossier.yml": "title: T\nlanguage: zh-Hant\n"})
    code, _, err = cli(capsys, "build", "--content", str(root), "--site-dir", str(tmp_path / "site"))
    assert code == 0, err
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-Hant"' in html


def test_the_theme_language_in_mkdocs_base_is_checked(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
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


# a broken site configuration: a located error, never a traceback (in check or build; end
# to end on purpose: the claim is about what the command prints and its exit status)
@pytest.mark.parametrize(("name", "change", "expected"), [
    pytest.param("vocabularies.yml", b"x: caf\xe9\n", "cfg/vocabularies.yml:{end}:7: error: invalid "
                 "UTF-8 byte 0xe9 Save the file as UTF-8 in your editor.", id="not-utf8"),
    pytest.param("mkdocs.base.yml", lambda t: "- a\n- b\n", "cfg/mkdocs.base.yml:1:1: error: "
                 "mkdocs.base.yml must be a mapping of MkDocs settings, not a list", id="a-list"),
    pytest.param("mkdocs.base.yml",
                 lambda t: t.replace("theme:\n  name: material\n", "theme: [material]\nx:\n"),
                 "cfg/mkdocs.base.yml:{theme}:8: error: `theme` in mkdocs.base.yml must be a theme "
                 "name or a mapping of theme settings, not a list", id="theme-a-list"),
])
def test_a_broken_site_configuration_is_a_located_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        name: str, change: Callable[[str], str] | bytes, expected: str) -> None:
    monkeypatch.chdir(tmp_path)
    cfg = _config_with(tmp_path, name, change)
    lines = (cfg / name).read_bytes().splitlines()
    expected = expected.format(end=len(lines), theme=next(
        (i for i, line in enumerate(lines, 1) if line.startswith(b"theme:")), 0))
    code, _, err = cli(capsys, "build", "--content", str(FIXTURES / "contract"),
                       "--config", str(cfg), "--site-dir", str(tmp_path / "site"))
    assert (code, err.splitlines()[0]) == (1, expected)


def test_a_theme_named_by_a_word_is_a_mapping_with_that_name(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """MkDocs accepts `theme: material`; so does Dossier (it adds settings to the theme)."""
    monkeypatch.chdir(tmp_path)
    cfg = _config_with(tmp_path, "mkdocs.base.yml",
                       lambda t: t.replace("theme:\n  name: material\n", "theme: material\nx:\n"))
    found = load_config(cfg, Diagnostics())
    assert found is not None and found.mkdocs_base["theme"] == {"name": "material"}


# --- load and validate shared with a forked helper (the pipeline's path for big dossiers) ----


def _broken_content(content: ContentFactory) -> Path:
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


#: in the broken content, an error of each of load, validate, assemble and link
EVERY_STAGE = ("belong in a type folder", "invalid YAML", "unknown field", "is not a date",
               "duplicate id 'dup'", "unknown id 'a9'")


@pytest.mark.parametrize(("make", "every_stage"), [
    pytest.param(_broken_content, EVERY_STAGE, id="broken"),
    pytest.param(lambda content: ROOT / "content", (), id="default-dossier"),
    pytest.param(lambda content: FIXTURES / "hostile", (), id="hostile"),
])
def test_loading_and_validating_in_two_processes_changes_nothing(
        content: ContentFactory, monkeypatch: pytest.MonkeyPatch,
        make: Callable[[ContentFactory], Path], every_stage: tuple[str, ...]) -> None:
    """The command line shares load and validate with a forked helper (`jobs` > 1):
    the same entities, in the same order, and the same diagnostics as one process.
    Through `check` on purpose: choosing the shared path is the pipeline's."""
    import generator.pipeline as pipeline_module
    from generator.parallel import can_fork

    if not can_fork():  # pragma: no cover - Linux and macOS fork
        pytest.skip("this platform cannot fork: the shared path is never taken")
    monkeypatch.setattr(pipeline_module, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(pipeline_module, "PARALLEL_CHUNK_FILES", 2)
    root = make(content)
    one = check(Options(content_dir=root, config_dir=DEFAULT_CONFIG_DIR))
    helpers: list[int] = []  # pids forked, as this process sees them
    real_fork = os.fork

    def counted_fork() -> int:
        pid = real_fork()
        if pid:  # in this process (a helper sees 0 and keeps its own copy of the list)
            helpers.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", counted_fork)
    two = check(Options(content_dir=root, config_dir=DEFAULT_CONFIG_DIR, jobs=2))
    monkeypatch.setattr(os, "fork", real_fork)
    assert len(helpers) == 1  # the shared path was taken: one helper beside this process
    assert messages(two) == messages(one)
    assert one.linked is not None and two.linked is not None
    assert list(two.linked.entities) == list(one.linked.entities)
    assert two.linked.entities == one.linked.entities
    assert two.linked.dossier == one.linked.dossier
    found = " ".join(messages(two))
    assert [what for what in every_stage if what not in found] == []  # all came through
