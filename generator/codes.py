"""A stable code for every kind of message, for tools that read `--format json|github`.

The code is worked out from the message's wording, in one table here, rather than
passed by each of the ~90 places that report a problem: the wording is already
what the Error messages page documents row by row, and one table keeps the code
of a kind of message the same wherever it is reported (validate, link, load, the
output folders, the templates). tests/test_diagnostic_formats.py checks that every
message the hostile fixtures give has a code of its own (not `other`), and that
every code is listed on the Error messages page (site_config/docs/errors.md).
"""

from __future__ import annotations

import functools
import re

#: code → the start of the messages it stands for (a regular expression, anchored at the
#: message's start); the first that matches wins, so narrower patterns come first
CODES: dict[str, str] = {
    # reading files
    "content-folder": r"content folder not found|the content folder is a file|"
                      r"cannot read the content folder",
    "folder-unreadable": r"cannot read folder",
    "folder-too-deep": r"folder nested \d+ levels deep",
    "not-yaml": r"not a \.yml or \.yaml file",
    "outside-type-folder": r"entity files belong in a type folder",
    "unknown-folder": r"unknown folder '",
    "sub-folder": r"sub-folders of '",
    "link-outside": r"symbolic link points outside",
    "broken-link": r"broken symbolic link",
    "not-regular-file": r"not a regular file",
    "file-too-big": r"file is [\d,]+ bytes; the limit|file is over [\d,]+ bytes",
    "file-unreadable": r"cannot read file",
    "not-utf8": r"file is UTF-16|invalid UTF-8 byte|binary data \(a NUL byte\)",
    "unprintable-character": r"unprintable character",
    "yaml-tab": r"tab character in indentation",
    "yaml-duplicate-key": r"duplicate key '",
    "yaml-alias": r"YAML (alias|anchor) ",
    "yaml-tag": r"YAML tag ",
    "yaml-key": r"a mapping key must be a plain word",
    "yaml-too-deep": r"nesting deeper than",
    "yaml-second-document": r"a second YAML document",
    "yaml-syntax": r"invalid YAML:",
    "empty-file": r"empty file",
    "not-a-mapping": r"the file's top level must be a mapping|.* must be a mapping of fields",
    # fields and values
    "unknown-field": r"unknown field '",
    "missing-field": r"missing required field '",
    "empty-field": r"field '[^']*' is empty",
    "cut-by-comment": r"the value of '[^']*' stops where",
    "wrong-kind": r"field '[^']*' must be",
    "bad-date": r"field '[^']*': ",
    "dates-reversed": r"`[a-z_]+` .* is before `",
    "born-in-future": r"date of birth .* is in the future",
    "unknown-word": r"unknown (relation type|status|confidence|likelihood|[a-z]+ kind|marking|"
                    r"reliability grade|credibility grade) '",
    "bad-url": r"'.*' is not an http:// or https:// address",
    "bad-iso": r"'.*' is not an ISO 3166-1",
    "bad-language": r"'.*' is not a language code|language '.*' is not one the site's theme",
    "bad-id": r"'.*' is not (a valid id|an id)|file name '.*' is not a valid id",
    "reserved-id": r"the id '.*' is reserved",
    "invisible-character": r"invisible or direction-changing character",
    "control-character": r"control character U\+",
    "markdown-bound": r"too much Markdown in '",
    "long-name": r"'[^']*' is \d+ characters long",
    "no-source": r".* cites no source",
    "placeholder": r"placeholder text left in ",
    # ids and references
    "id-mismatch": r"id '.*' does not match the file name",
    "duplicate-id": r"duplicate id '",
    "unknown-id": r"unknown id '",
    "wrong-type": r"'.*' is an? [a-z]+, not an? ",
    "malformed-reference": r"malformed reference '",
    "unknown-claim-key": r"unknown id or claim key '",
    "self-relation": r"'.*' has a relation to itself",
    "parent-cycle": r"parent cycle: ",
    "relation-twice": r"relation '.*' between '.*' and '.*' is written twice",
    "duplicate-claim-key": r"duplicate claim key '",
    "claim-key-is-id": r"claim key '.*' is also an entity id",
    "name-gives-no-id": r"the name '.*' gives no id",
    "file-exists": r"the file exists already",
    "name-not-utf8": r"the name '.*' holds bytes that are not UTF-8",
    "cannot-write-file": r"cannot write the file",
    # tradecraft (generator/tradecraft.py)
    "confirmed-low-confidence": r".* is 'confirmed' at low confidence",
    "weak-sources": r".* rests only on sources graded|.* rests on a single source graded",
    "no-locator": r".* cites the long source '",
    "stale-profile": r"profile last updated ",
    # the dossier, the configuration and the build
    "no-dossier-file": r"no dossier\.yml",
    "second-dossier-file": r"a second dossier file",
    "unknown-edition": r"unknown edition '",
    "config-unreadable": r"cannot read site configuration",
    "config-vocabulary": r"vocabularies\.yml needs|relation type '.*' (needs|is required)|"
                         r"edition '.*' names unknown marking",
    "config-mkdocs": r"mkdocs\.base\.yml must be|`theme` in mkdocs\.base\.yml",
    "config-tradecraft": r"(unknown )?tradecraft (setting|rule) |tradecraft\.yml must be",
    "templates-option": r"--templates names ",
    "dev-addr": r"cannot listen on '",
    # output folders
    "output-refused": r"not used for ",
    "cannot-write": r"cannot write: ",
    "pdf-engine": r"cannot print the PDF: |Chromium did not print the book",
    # templates
    "template-time-limit": r"still running after |DOSSIER_TEMPLATE_TIME_LIMIT must be",
    "template": r".*\(rendering [^)]*\)$",
}

#: the code of a message no pattern above describes (a test keeps the fixtures free of it)
OTHER = "other"


@functools.cache
def _compiled() -> list[tuple[str, re.Pattern[str]]]:
    return [(code, re.compile(pattern, re.DOTALL)) for code, pattern in CODES.items()]


@functools.lru_cache(maxsize=4096)
def code_of(message: str) -> str:
    """The code of the kind of message `message` is (`OTHER` when none describes it)."""
    for code, pattern in _compiled():
        if pattern.match(message):
            return code
    return OTHER
