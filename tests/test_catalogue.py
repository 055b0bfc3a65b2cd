"""The catalogue of bad input: every case a small content folder and the exact diagnostics.

Each case runs the whole pipeline (load → validate → link → render) the way
`dossier check` does, from a working directory where paths print as
`content/...`. A case passes only when the diagnostics are exactly the ones
listed, in order, with their `path:line:column` — and nothing raises.
Files are text (dedented), bytes (written as is), `Link(target)` for a
symbolic link, or `FIFO` for a named pipe. Every content folder also holds
`dossier.yml` and `sources/src.yml` unless the case replaces them; a folder
`outside/` next to `content/` holds files that links may point at and that
must never be read.
"""

from __future__ import annotations

import os
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import MINIMAL_DOSSIER, SOURCE, messages, pipeline


@dataclass(frozen=True)
class Link:
    target: str


FIFO = object()
CANARY = "OUTSIDE-CANARY-7f3a"
ALLOWED = ("id, name, aliases, summary, tags, relations, claims, sources, updated, marking, note, "
           "born, died, nationality, roles")
P = "content/people/"


def _bomb() -> str:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    lines += [f"{c}: &{c} [{', '.join(['*' + p] * 9)}]" for p, c in zip("abcdefgh", "bcdefghi",
                                                                           strict=True)]
    return "name: Bomb\n" + "\n".join(lines) + "\n"


# case id → (files, expected diagnostics)
CASES: dict[str, tuple[dict[str, object], list[str]]] = {
    # --- reading files: YAML syntax and structure ----------------------------------------
    "yaml-syntax": (
        {P + "a.yml": "name: A\nsummary: [unclosed\n"},
        [P + "a.yml:2:10: error: invalid YAML: the list opened here with '[' is not closed (the "
         "parser gave up at line 3, column 1) Close it with ']', or quote the whole value if the "
         "'[' is part of the text."]),
    "tab-indentation": (
        {P + "a.yml": "name: A\nroles:\n\t- title: x\n"},
        [P + "a.yml:3:1: error: tab character in indentation Indent YAML with spaces only."]),
    "duplicate-key": (
        {P + "a.yml": "name: A\nsummary: x\nname: B\n"},
        [P + "a.yml:3:1: error: duplicate key 'name' (first at line 1) Keep one of the two; YAML "
         "would silently drop the first."]),
    "alias": (
        {P + "a.yml": "name: A\nsummary: *x\n"},
        [P + "a.yml:2:10: error: YAML alias '*x' is not allowed Write the value out in full; "
         "anchors and aliases are refused."]),
    "alias-bomb": (
        {P + "bomb.yml": _bomb()},
        [P + "bomb.yml:2:4: error: YAML anchor '&a' is not allowed Remove the anchor; anchors "
         "and aliases are refused."]),
    "deep-nesting": (
        {P + "a.yml": "name: A\nx: " + "[" * 40 + "]" * 40 + "\n"},
        [P + "a.yml:2:36: error: nesting deeper than 32 levels"]),
    "several-documents": (
        {P + "a.yml": "name: A\n---\nname: B\n"},
        [P + "a.yml:2:1: error: a second YAML document in the file Keep one entity per file; "
         "remove the `---` line and what follows, or move it to a file of its own."]),
    "custom-tag-python": (
        {P + "a.yml": "name: !!python/object:os.system x\n"},
        [P + "a.yml:1:7: error: YAML tag 'tag:yaml.org,2002:python/object:os.system' is not "
         "allowed Remove the tag; content is plain strings, numbers, lists and mappings."]),
    "custom-tag-local": (
        {P + "a.yml": "name: A\nsummary: !secret x\n"},
        [P + "a.yml:2:10: error: YAML tag '!secret' is not allowed Remove the tag; content is "
         "plain strings, numbers, lists and mappings."]),
    "complex-key": (
        {P + "a.yml": "name: A\n? [a, b]\n: c\n"},
        [P + "a.yml:2:3: error: a mapping key must be a plain word"]),
    "empty-file": (
        {P + "a.yml": ""},
        [P + "a.yml:1:1: error: empty file Write the profile as a mapping, e.g. `name: ...`."]),
    "comments-only": (
        {P + "a.yml": "# name: A\n"},
        [P + "a.yml:1:1: error: empty file Write the profile as a mapping, e.g. `name: ...`."]),
    "top-level-list": (
        {P + "a.yml": "- name: A\n"},
        [P + "a.yml:1:1: error: the file's top level must be a mapping of fields, not a list "
         "Start with `name: ...` on the first line."]),
    "top-level-text": (
        {P + "a.yml": "just some words\n"},
        [P + "a.yml:1:1: error: the file's top level must be a mapping of fields, not a string "
         "Start with `name: ...` on the first line."]),
    # --- encodings and bytes -------------------------------------------------------------
    "binary-nul": (  # line and column (in characters) from the byte offset
        {P + "a.yml": "name: Äbc\nsummary: ññ\x00\x01".encode()},
        [P + "a.yml:2:12: error: binary data (a NUL byte) in a content file Content files are "
         "UTF-8 text."]),
    "not-utf8": (
        {P + "a.yml": "name: Ab\nsummary: caf\xe9\n".encode("latin-1")},
        [P + "a.yml:2:13: error: invalid UTF-8 byte 0xe9 Save the file as UTF-8 in your editor."]),
    "unprintable-character": (
        {P + "a.yml": "name: A\nsummary: ééé\x07\n"},
        [P + "a.yml:2:13: error: unprintable character U+0007 is not allowed in a content file "
         "Remove it, or write it as an escape such as \\u00e9 inside double quotes."]),
    "utf16-le-bom": (
        {P + "a.yml": "name: A\n".encode("utf-16-le").join([b"\xff\xfe", b""])},
        [P + "a.yml:1:1: error: file is UTF-16 (little-endian); content files must be UTF-8 "
         "Save the file as UTF-8 in your editor."]),
    "utf16-be-bom": (
        {P + "a.yml": b"\xfe\xff" + "name: A\n".encode("utf-16-be")},
        [P + "a.yml:1:1: error: file is UTF-16 (big-endian); content files must be UTF-8 "
         "Save the file as UTF-8 in your editor."]),
    "utf16-le-no-bom": (
        {P + "a.yml": "name: A\n".encode("utf-16-le")},
        [P + "a.yml:1:1: error: file is UTF-16 (little-endian); content files must be UTF-8 "
         "Save the file as UTF-8 in your editor."]),
    "utf8-bom-is-fine": (
        {P + "a.yml": b"\xef\xbb\xbfname: Bom\n"},
        []),
    "oversized": (
        {P + "huge.yml": "name: H\nsummary: " + "x" * (1024 * 1024) + "\n"},
        [P + "huge.yml: error: file is 1,048,594 bytes; the limit is 1,048,576 Split the profile "
         "or move long text to a source."]),
    "huge-integer": (  # Python refuses int("9" * 5000); the reader keeps it as text
        {P + "a.yml": "name: A\nborn: " + "9" * 5000 + "\n"},
        [P + "a.yml:2:7: error: field 'born': '" + "9" * 59 + "…' is not a date; write 2019, "
         "2019-04 or 2019-04-25"]),
    # --- the content folder --------------------------------------------------------------
    "unknown-type-folder": (
        {"content/persons/a.yml": "name: A\n"},
        ["content/persons/a.yml: error: unknown folder 'persons' Did you mean 'people'?"]),
    "unknown-type-folder-no-match": (
        {"content/misc/a.yml": "name: A\n"},
        ["content/misc/a.yml: error: unknown folder 'misc' Entity folders are: people, agencies, "
         "domains, events, installations, countries, sources."]),
    "entity-at-top-level": (
        {"content/a.yml": "name: A\n"},
        ["content/a.yml: error: entity files belong in a type folder Move it into one of: people, "
         "agencies, domains, events, installations, countries, sources."]),
    "sub-folder": (
        {P + "team/a.yml": "name: A\n"},
        [P + "team/a.yml: error: sub-folders of 'people' are not read Move the file directly "
         "into people/; the file name is the id."]),
    "not-yaml-file": (
        {P + "notes.txt": "hello"},
        [P + "notes.txt: warning: not a .yml or .yaml file; ignored"]),
    "symlink-file-outside": (
        {P + "leak.yml": Link("../../outside/secret.yml")},
        [P + "leak.yml: error: symbolic link points outside the content folder; not read Copy "
         "the file into the content folder instead of linking to it."]),
    "symlink-folder-outside": (
        {"content/agencies": Link("../outside/folder")},
        ["content/agencies: error: symbolic link points outside the content folder; not read "
         "Copy the file into the content folder instead of linking to it."]),
    "symlink-broken": (
        {P + "gone.yml": Link("nowhere.yml")},
        [P + "gone.yml: error: broken symbolic link; not read Remove the link, or point it at a "
         "file inside the content folder."]),
    "named-pipe": (  # reading a pipe would block forever
        {P + "pipe.yml": FIFO},
        [P + "pipe.yml: error: not a regular file; not read Content files are plain text files."]),
    # --- fields --------------------------------------------------------------------------
    "unknown-field-typo": (
        {P + "a.yml": "name: A\nnationalty: [x]\n"},
        [P + "a.yml:2:1: error: unknown field 'nationalty' in a person profile Did you mean "
         "'nationality'?"]),
    "unknown-field": (
        {P + "a.yml": "name: A\nkind: spy\n"},
        [P + f"a.yml:2:1: error: unknown field 'kind' in a person profile Allowed fields: {ALLOWED}."]),
    "wrong-type-list": (
        {"content/agencies/a.yml": "name: A\nfull_name: [x]\n"},
        ["content/agencies/a.yml:2:12: error: field 'full_name' must be text, not a list Quote "
         "the value: text that starts with `[` or `{` reads as a YAML list or mapping."]),
    "wrong-type-bool": (
        {P + "a.yml": "name: true\n"},
        [P + "a.yml:1:7: error: field 'name' must be text, not a true/false value Quote the "
         "value: YAML reads yes/no/true/false as booleans."]),
    "wrong-type-relations": (
        {P + "a.yml": "name: A\nrelations: [src]\n"},
        [P + "a.yml:2:13: error: a relation must be a mapping of fields, not a string"]),
    "missing-name": (
        {P + "a.yml": "aliases: [A]\n"},
        [P + "a.yml:1:1: error: missing required field 'name' in a person profile"]),
    "missing-event-date": (
        {"content/events/e.yml": "name: E\n"},
        ["content/events/e.yml:1:1: error: missing required field 'date' in an event profile"]),
    "missing-relation-target": (
        {P + "a.yml": "name: A\nrelations:\n  - {type: leads, sources: [src]}\n"},
        [P + "a.yml:3:5: error: missing required field 'target' in a relation"]),
    "bad-enumeration": (
        {"content/agencies/a.yml": "name: A\nkind: inteligence-service\n"},
        ["content/agencies/a.yml:2:7: error: unknown agency kind 'inteligence-service' Did you "
         "mean 'intelligence-service'?"]),
    "bad-relation-type": (
        {P + "a.yml": "name: A\nrelations:\n  - {type: leadz, target: src, sources: [src]}\n"},
        [P + "a.yml:3:12: error: unknown relation type 'leadz' Did you mean 'leads'?"]),
    "bad-marking": (
        {P + "a.yml": "name: A\nmarking: TLP:PINK\n"},
        [P + "a.yml:2:10: error: unknown marking 'TLP:PINK' Use one of: TLP:CLEAR, TLP:GREEN, "
         "TLP:AMBER, TLP:RED."]),
    "bad-url": (
        {"content/sources/s.yml": "title: T\nurl: javascript:alert(1)\n"},
        ["content/sources/s.yml:2:6: error: 'javascript:alert(1)' is not an http:// or https:// "
         "address"]),
    "iso-lowercase": (
        {"content/countries/ve.yml": "name: Venezuela\niso: ve\n"},
        ["content/countries/ve.yml:2:6: error: 've' is not an ISO 3166-1 alpha-2 code Did you "
         "mean 'VE'?"]),
    # --- dates ---------------------------------------------------------------------------
    "impossible-date": (
        {P + "a.yml": "name: A\nborn: 2019-02-30\n"},
        [P + "a.yml:2:7: error: field 'born': '2019-02-30' is not a date: February 2019 has 28 "
         "days"]),
    "impossible-month": (
        {P + "a.yml": "name: A\nborn: 2019-13\n"},
        [P + "a.yml:2:7: error: field 'born': '2019-13' is not a date: there is no month 13"]),
    "not-a-date": (
        {P + "a.yml": "name: A\nborn: spring 1990\n"},
        [P + "a.yml:2:7: error: field 'born': 'spring 1990' is not a date; write 2019, 2019-04 "
         "or 2019-04-25"]),
    "reversed-range": (
        {"content/events/e.yml": "name: E\ndate: 2019-04\nend_date: 2019-03-31\n"},
        ["content/events/e.yml:3:11: error: `end_date` 2019-03-31 is before `date` 2019-04 Swap "
         "the dates, or correct the one that is wrong."]),
    "reversed-relation-range": (
        {P + "a.yml": "name: A\nrelations:\n  - {type: leads, target: src, since: 2020, "
                      "until: 2019-06, sources: [src]}\n"},
        [P + "a.yml:3:52: error: `until` 2019-06 is before `since` 2020 Swap the dates, or "
         "correct the one that is wrong."]),
    "future-birth": (
        {P + "a.yml": "name: A\nborn: 2999-01\n"},
        [P + "a.yml:2:7: error: date of birth 2999-01 is in the future"]),
    # --- ids -----------------------------------------------------------------------------
    "bad-id": (
        {P + "Bad_Name.yml": "name: A\n"},
        [P + "Bad_Name.yml:1:1: error: file name 'Bad_Name' is not a valid id Ids are lowercase "
         "letters, digits and single hyphens, at most 64 characters, e.g. people/bad-name.yml."]),
    "id-too-long": (
        {P + "x" * 65 + ".yml": "name: Long\n"},
        [P + "x" * 65 + ".yml:1:1: error: file name '" + "x" * 65 + "' is not a valid id Ids are "
         "lowercase letters, digits and single hyphens, at most 64 characters, e.g. people/"
         + "x" * 64 + ".yml."]),
    "id-mismatch": (
        {P + "a.yml": "id: other\nname: A\n"},
        [P + "a.yml:1:5: error: id 'other' does not match the file name 'a' Remove the `id:` "
         "line or rename the file."]),
    "id-escaping-output": (
        {P + "a.yml": "id: ../../etc/passwd\nname: A\nrelations:\n  - {type: leads, "
                      "target: ../../index, sources: [src]}\n"},
        [P + "a.yml:1:5: error: '../../etc/passwd' is not a valid id Use lowercase letters, "
         "digits and single hyphens, at most 64 characters.",
         P + "a.yml:4:27: error: '../../index' is not an id Ids are lowercase with hyphens, e.g. "
         "'index'."]),
    "reserved-id-index": (  # people/index.md is the list of people
        {P + "index.yml": "name: Index\n"},
        [P + "index.yml:1:1: error: the id 'index' is reserved: each type folder's list of "
         "entries is its index page Rename the file, e.g. people/index-1.yml."]),
    "reserved-id-dossier": (
        {"content/agencies/dossier.yml": "name: D\n"},
        ["content/agencies/dossier.yml:1:1: error: the id 'dossier' is reserved: it stands for "
         "dossier.yml in links and citations Rename the file, e.g. agencies/dossier-1.yml."]),
    "duplicate-id-across-types": (
        {P + "good.yml": "name: G\n", "content/agencies/good.yml": "name: Also good\n"},
        [P + "good.yml:1:1: error: duplicate id 'good': content/agencies/good.yml uses it too "
         "Ids are unique across all types; rename one of the files."]),
    "output-path-collision": (  # people/x.yml and people/x.yaml would both be people/x.html
        {P + "x.yml": "name: X\n", P + "x.yaml": "name: X too\n"},
        [P + "x.yml:1:1: error: duplicate id 'x': content/people/x.yaml uses it too Ids are "
         "unique across all types; rename one of the files."]),
    # --- references ----------------------------------------------------------------------
    "dangling-reference": (
        {"content/agencies/fsb.yml": "name: FSB\n",
         P + "x.yml": "name: X\nrelations:\n  - {type: member-of, target: fsbb, sources: [src]}\n"},
        [P + "x.yml:3:31: error: unknown id 'fsbb'. Did you mean 'fsb'?"]),
    "dangling-inline-reference": (
        {P + "x.yml": "name: X\nsummary: Works with [[nobody-here|someone]].\n"},
        [P + "x.yml:2:21: error: unknown id 'nobody-here'. Create the entity's file, or fix the "
         "id."]),
    "malformed-inline-reference": (
        {P + "x.yml": "name: X\nsummary: See [[Fsb]].\n"},
        [P + "x.yml:2:14: error: malformed reference '[[Fsb]]' Write [[id]] or [[id|text]] with "
         "a lowercase id."]),
    "non-source-cited-as-source": (
        {P + "p.yml": "name: P\nclaims:\n  - {text: X, sources: [q]}\n", P + "q.yml": "name: Q\n"},
        [P + "p.yml:3:25: error: 'q' is a person, not a source"]),
    "wrong-reference-type": (
        {P + "p.yml": "name: P\nnationality: [src]\n"},
        [P + "p.yml:2:15: error: 'src' is a source, not a country"]),
    "self-relation": (
        {P + "p.yml": "name: P\nrelations:\n  - {type: leads, target: p, sources: [src]}\n"},
        [P + "p.yml:3:27: error: 'p' has a relation to itself A relation links two different "
         "entities."]),
    "parent-cycle": (
        {"content/agencies/a.yml": "name: A\nparent: b\n", "content/agencies/b.yml": "name: B\nparent: a\n"},
        ["content/agencies/b.yml:2:9: error: parent cycle: a → b → a An agency cannot be its own "
         "ancestor; fix one `parent`."]),
    "relation-written-twice": (
        {P + "a.yml": "name: A\nrelations:\n  - {type: met-with, target: b, sources: [src]}\n",
         P + "b.yml": "name: B\nrelations:\n  - {type: met-with, target: a, sources: [src]}\n"},
        [P + "b.yml:3:5: warning: relation 'met-with' between 'b' and 'a' is written twice (also "
         "at content/people/a.yml:3:5) Write a relation once, on either side; both pages show it."]),
    "duplicate-claim-key": (
        {P + "a.yml": "name: A\nclaims:\n  - {text: X, key: k1, sources: [src]}\n"
                      "  - {text: Y, key: k1, sources: [src]}\n"},
        [P + "a.yml:4:5: error: duplicate claim key 'k1' (first at content/people/a.yml:3:5)"]),
    "unknown-contradicts": (
        {P + "a.yml": "name: A\nclaims:\n  - {text: X, contradicts: [nope], sources: [src]}\n"},
        [P + "a.yml:3:29: error: unknown id or claim key 'nope'."]),
    "unsourced-claim": (
        {P + "a.yml": "name: A\nclaims:\n  - text: Something happened.\n"},
        [P + "a.yml:3:5: warning: claim cites no source Add `sources: [source-id]`."]),
    # --- text that reads differently from what it is -------------------------------------
    "bidi-in-name": (
        {P + "p.yml": 'name: "Jo\\u202Ehn"\n'},
        [P + "p.yml:1:7: warning: invisible or direction-changing character U+202E in 'name' "
         "Remove it; it can make a name read differently from what it is."]),
    "zero-width-in-alias": (
        {P + "p.yml": "name: P\naliases: [\"Pe\\u200Bter\"]\n"},
        [P + "p.yml:2:11: warning: invisible or direction-changing character U+200B in 'aliases' "
         "Remove it; it can make a name read differently from what it is."]),
    "very-long-name": (
        {P + "q.yml": "name: " + "Q" * 201 + "\n"},
        [P + "q.yml:1:7: warning: 'name' is 201 characters long Keep names under 200 characters; "
         "put the rest in `summary`."]),
    "value-cut-by-comment": (
        {P + "p.yml": "name: #1 spy\nsummary: Agent #7 of the unit\n"},
        [P + "p.yml:1:6: error: field 'name' is empty Quote the whole value: in YAML ` #` starts a "
         "comment.",
         P + "p.yml:2:10: warning: the value of 'summary' stops where ` #` starts a comment Quote "
         "the whole value: in YAML ` #` starts a comment."]),
    # --- the dossier file ----------------------------------------------------------------
    "no-dossier-file": (
        {"content/dossier.yml": None},
        ["content/dossier.yml: warning: no dossier.yml; using the title 'Dossier' Create "
         "dossier.yml with at least `title:`."]),
    "dossier-not-a-mapping": (  # reported once, not also as a missing dossier.yml
        {"content/dossier.yml": "- title: T\n"},
        ["content/dossier.yml:1:1: error: the file's top level must be a mapping of fields, not a "
         "list Start with `title: ...` on the first line."]),
    "two-dossier-files": (
        {"content/dossier.yaml": "title: Other\n"},
        ["content/dossier.yml: error: a second dossier file; only the first one is read Keep one "
         "of dossier.yml and dossier.yaml."]),
    "dossier-unknown-question-ref": (
        {"content/dossier.yml": "title: T\nquestions:\n  - {text: Who?, related: [ghost]}\n"},
        ["content/dossier.yml:3:28: error: unknown id 'ghost'. Create the entity's file, or fix "
         "the id."]),
}


def _make(tmp: Path, files: dict[str, object]) -> Path:
    outside = tmp / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "secret.yml").write_text(f"name: {CANARY}\n")
    (outside / "folder" / "x.yml").write_text(f"name: {CANARY}\n")
    base: dict[str, object] = {"content/dossier.yml": MINIMAL_DOSSIER, "content/sources/src.yml": SOURCE}
    for rel, value in {**base, **files}.items():
        path = tmp / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if value is None:
            continue
        if isinstance(value, Link):
            path.symlink_to(value.target)
        elif value is FIFO:
            os.mkfifo(path)
        elif isinstance(value, bytes):
            path.write_bytes(value)
        else:
            path.write_text(textwrap.dedent(str(value)), encoding="utf-8")
    return tmp / "content"


def test_the_catalogue_has_at_least_35_cases():
    assert len(CASES) >= 35


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_gets_its_exact_located_diagnostics(case, tmp_path, monkeypatch):
    files, expected = CASES[case]
    monkeypatch.chdir(tmp_path)
    root = _make(tmp_path, files)
    result = pipeline(root)  # never raises: load → validate → link → render
    got = messages(result)
    assert got == expected
    assert all(CANARY not in m for m in got)  # files outside the content folder are never read
    errors = any(": error: " in m for m in expected)
    assert (result.site is None) == errors  # nothing is rendered from broken content
