"""`dossier new`: what it writes, `check` accepts; what `check` would refuse, it refuses.

Every case runs the real command line in a content folder in tmp_path (from tmp_path,
so paths print as `content/...`), then `dossier check` on the result.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from generator.scaffold import CLAIM_EXAMPLE, PLACEHOLDERS_LEFT, RELATION_EXAMPLE, ROLE_EXAMPLE
from generator.schema import TYPES
from generator.validate_values import id_problem, slugify
from generator.yamlstrict import read_yaml

from .conftest import cli

HOSTILE = 'O\'Brien: "the #1" [draft] {x} & *co \\ 100% - yes'
AFTERWARDS = "Pass another name (the id is made from it); change `name:` in the file afterwards."


def _filled_in(text: str) -> str:
    """The scaffold with its placeholders replaced, as a writer would."""
    return re.sub(r"  # TODO.*", "", text).replace("TODO", "Done")


@pytest.mark.parametrize("type_", TYPES)
def test_every_type_scaffolds_a_profile_that_checks_and_fails_strict_until_filled_in(
        content, capsys, type_):
    root = content({})
    code, out, err = cli(capsys, "new", type_, HOSTILE, "--content", str(root))
    assert (code, err) == (0, PLACEHOLDERS_LEFT + "\n")
    written = Path(out.strip())
    assert written.parent.name == {"person": "people", "agency": "agencies",
                                   "country": "countries"}.get(type_, type_ + "s")
    assert written.name == "o-brien-the-1-draft-x-co-100-yes.yml"
    text = written.read_text(encoding="utf-8")
    data, _ = read_yaml(text)
    assert data[("title" if type_ == "source" else "name")] == HOSTILE  # read back exactly
    code, _, err = cli(capsys, "check", "--content", str(root))
    assert code == 0 and "warning: placeholder text left in summary" in err
    placeholders = [line.split(": warning: ")[1] for line in err.splitlines()[:-1]]
    assert placeholders == ["placeholder text left in summary Replace it with your own text.",
                            *(["placeholder text left in date Write the real value and remove the "
                               "`# TODO` comment."] if type_ == "event" else [])]
    assert cli(capsys, "check", "--strict", "--content", str(root))[0] == 1
    written.write_text(_filled_in(text), encoding="utf-8")
    code, _, err = cli(capsys, "check", "--strict", "--content", str(root))
    assert (code, err) == (0, "dossier: ok: 0 errors, 0 warnings\n")


@pytest.mark.parametrize("type_", TYPES)
def test_the_commented_examples_check_once_uncommented(content, capsys, type_):
    """Each example (a relation, a claim, for a person a role) is a real part: uncommented
    as the scaffold says, with its ids made real, `check --strict` accepts it."""
    root = content({"content/agencies/agency-id.yml": "name: Agency\n",
                    "content/people/other-id.yml": "name: Other\n",
                    "content/sources/source-id.yml": "title: Source\nreliability: B\n"})
    _, out, _ = cli(capsys, "new", type_, "Example Name", "--content", str(root))
    written = Path(out.strip())
    text = _filled_in(written.read_text(encoding="utf-8"))
    for part, example in (("relations", RELATION_EXAMPLE), ("claims", CLAIM_EXAMPLE),
                          ("roles", ROLE_EXAMPLE)):
        if f"{part}: []" in text:
            body = "\n".join(line[1:] for line in example.splitlines() if line.startswith("#  "))
            text = text.replace(f"{part}: []", f"{part}:\n{body}")
    written.write_text(text, encoding="utf-8")
    code, _, err = cli(capsys, "check", "--strict", "--content", str(root))
    assert (code, err) == (0, "dossier: ok: 0 errors, 0 warnings\n")
    data, _ = read_yaml(text)
    assert len(data["relations"]) == len(data["claims"]) == 1
    assert len(data.get("roles", [0])) == 1


@pytest.mark.parametrize("name", ["Line\nbreak", "Tab\there", "Ünïcödé Ñame", "Ωμέγα Omega",
                                  "\u2028Sep", "Quote\"Back\\slash", "null", "NO", "1:20",
                                  "\ufeffBom", "Astral \U0001f600", "Long " * 60])
def test_names_yaml_would_misread_are_written_so_they_read_back(content, capsys, name):
    root = content({})
    code, out, _ = cli(capsys, "new", "person", name, "--content", str(root))
    assert code == 0
    data, _ = read_yaml(Path(out.strip()).read_text(encoding="utf-8"))
    assert data["name"] == name
    assert cli(capsys, "check", "--content", str(root))[0] == 0


def test_a_name_check_would_warn_about_is_written_with_the_same_warning(content, capsys):
    root = content({})
    code, out, err = cli(capsys, "new", "person", "Red\x1b[31m", "--content", str(root))
    warning = "content/people/red-31m.yml:1:7: warning: control character U+001B in 'name' Remove it.\n"
    assert (code, out, err) == (0, "content/people/red-31m.yml\n", warning + PLACEHOLDERS_LEFT + "\n")
    code, _, err = cli(capsys, "check", "--content", str(root))
    assert code == 0 and err.startswith(warning)


# type, name, files already there → the one diagnostic; nothing is written
REFUSALS = {
    "reserved-index": ("person", "Index", {}, "content/people/index.yml: error: the id 'index' is "
                       "reserved: each type folder's list of entries is its index page " + AFTERWARDS),
    "reserved-dossier": ("agency", "Dossier", {}, "content/agencies/dossier.yml: error: the id "
                         "'dossier' is reserved: it stands for dossier.yml in links and citations "
                         + AFTERWARDS),
    "id-of-another-type": ("agency", "Src", {}, "content/agencies/src.yml: error: duplicate id "
                           "'src': content/sources/src.yml uses it too Ids are unique across all "
                           "types. " + AFTERWARDS),
    "id-of-a-yaml-file": ("person", "Ana", {"content/people/ana.yaml": "name: Ana\n"},
                          "content/people/ana.yml: error: duplicate id 'ana': "
                          "content/people/ana.yaml uses it too Ids are unique across all types. "
                          + AFTERWARDS),
    "file-exists": ("source", "Src", {}, "content/sources/src.yml: error: the file exists "
                    "already; not overwritten " + AFTERWARDS),
    "no-latin-letters": ("person", "Владимир", {}, "content/people: error: the name 'Владимир' "
                         "gives no id: it has no Latin letters or digits Pass the name in Latin "
                         "letters (or add some); change `name:` in the file afterwards."),
    "only-punctuation": ("event", "!!! ???", {}, "content/events: error: the name '!!! ???' gives "
                         "no id: it has no Latin letters or digits Pass the name in Latin letters "
                         "(or add some); change `name:` in the file afterwards."),
    "type-folder-is-a-file": ("domain", "Sigint", {"content/domains": "not a folder"},
                              "content/domains/sigint.yml: error: cannot write the file: "
                              "File exists A file stands where a folder of that path must be; "
                              "move it away."),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_new_refuses_what_check_would_refuse_and_writes_nothing(content, capsys, case):
    type_, name, files, expected = REFUSALS[case]
    root = content(files)
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    code, out, err = cli(capsys, "new", type_, name, "--content", str(root))
    assert (code, out, err) == (1, "", expected + "\n")
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


def test_a_link_where_the_file_would_go_is_left_alone_even_when_broken(content, capsys, tmp_path):
    root = content({})
    (root / "people").mkdir()
    target = tmp_path / "elsewhere.yml"
    (root / "people" / "ana.yml").symlink_to(target)  # broken: nothing there yet
    code, out, err = cli(capsys, "new", "person", "Ana", "--content", str(root))
    assert (code, out, err) == (1, "", "content/people/ana.yml: error: the file exists already; "
                                       "not overwritten " + AFTERWARDS + "\n")
    assert os.readlink(root / "people" / "ana.yml") == str(target) and not target.exists()


def test_a_name_with_bytes_that_are_not_utf8_is_refused(content, capsys):
    root = content({})
    name = os.fsdecode(b"Jos\xe9")  # a Latin-1 command line: Python holds the byte as is
    code, out, err = cli(capsys, "new", "person", name, "--content", str(root))
    assert (code, out) == (1, "")
    assert err == ("content/people/jos.yml: error: the name 'Jos\\xe9' holds bytes that are not "
                   "UTF-8 text Pass the name as UTF-8 (your terminal's encoding may not be "
                   "UTF-8).\n")
    assert not (root / "people").exists()


def test_unknown_type_is_a_command_line_error_with_a_did_you_mean(content, capsys):
    root = content({})
    code, _, err = cli(capsys, "new", "persn", "A", "--content", str(root))
    assert (code, err) == (2, "dossier: unknown type 'persn'; use one of: person, agency, domain, "
                              "event, installation, country, source. Did you mean 'person'?\n")


@pytest.mark.parametrize("name", ["ﬁnance", "Ⅻ Corps", "ＦＳＢ", "Straße", "x²", "--a--b--",
                                  "a" * 63 + "-b", "Ǆemal", "e\u0301te\u0301", "Δ-1"])
def test_every_id_new_makes_is_one_check_accepts_or_none(name):
    slug = slugify(name)
    assert slug == "" or id_problem(slug) is None
