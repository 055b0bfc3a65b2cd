"""A strict YAML reader for content files, built on PyYAML's event stream.

Why not `yaml.safe_load`: it keeps the last of duplicate keys, reads `NO` as
False, `010` as 8 and `1:20` as 80, turns `2019-02-30` into a bare ValueError,
and shares aliased nodes (an alias bomb hangs whatever walks the data). Here the
events are turned into plain values by hand, so:

- anchors, aliases and explicit tags are refused where they appear;
- duplicate keys are an error naming both lines;
- plain scalars resolve by a small YAML 1.2-core-like rule set: `null`/`~`/empty
  → None, `true`/`false` → bool, decimal integers without a leading zero → int,
  decimal floats → float, everything else (dates included) stays a string;
- every value's position lands in a side table (`SourceMap`) keyed by its path
  in the data, never in the data itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import yaml

try:  # the C parser is several times faster; the rules above are ours either way
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 32

Path_ = tuple[str | int, ...]

_INT_RE = re.compile(r"^[-+]?(0|[1-9][0-9]{0,17})$")  # longer digit runs stay text
_BREAK_RE = re.compile("\r\n|[\n\r\x85\u2028\u2029]")  # what PyYAML counts as a line break
_FLOAT_RE = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+\.[0-9]*)([eE][-+]?[0-9]+)?$|^[-+]?[0-9]+[eE][-+]?[0-9]+$")
_NULLS = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}


class YamlProblem(Exception):
    """A located problem that stops reading one file (0-based line/column)."""

    def __init__(self, line: int, column: int, message: str, hint: str | None = None):
        super().__init__(message)
        self.line = line
        self.column = column
        self.message = message
        self.hint = hint


class Span(NamedTuple):
    """Where a value stands: 0-based start line/column, end line, and style."""

    line: int
    column: int
    end_line: int
    style: str = ""
    end_column: int = 0


#: a span as the reader stores it: (line, column, end_line, style, end_column)
RawSpan = tuple[int, int, int, str, int]


@dataclass
class SourceMap:
    """Side table: path in the data → where its value (and its key) stand.

    Spans are kept as plain tuples and become `Span`s only when asked for: a
    10,000-file dossier records over a million of them and reads a handful.
    """

    values: dict[Path_, RawSpan] = field(default_factory=dict)
    keys: dict[Path_, RawSpan] = field(default_factory=dict)

    def value(self, path: Path_) -> Span:
        """The value's span, or the nearest enclosing one."""
        while True:
            if path in self.values:
                return Span._make(self.values[path])
            if not path:
                return Span(0, 0, 0)
            path = path[:-1]

    def key(self, path: Path_) -> Span:
        """The key's span for a mapping entry, else the value's."""
        raw = self.keys.get(path)
        return Span._make(raw) if raw is not None else self.value(path)


#: the first characters of every plain scalar that resolves to something other than text
_NOT_TEXT_START = frozenset("0123456789+-.~nNtTfF")


def resolve_plain(text: str) -> Any:
    if text and text[0] not in _NOT_TEXT_START:
        return text  # most values: words, names, ids
    if text in _NULLS:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT_RE.match(text):
        return int(text)
    if _FLOAT_RE.match(text):
        return float(text)
    return text


def read_yaml(text: str) -> tuple[Any, SourceMap]:
    """Parse one YAML document into plain values and a source map.

    Raises YamlProblem for anything that is not plain, single-document data.
    """
    smap = SourceMap()
    loader = _Loader(text)
    try:  # the parser's own get_event: no generator between it and us, per event
        return _read_stream(loader.get_event, smap), smap
    except yaml.reader.ReaderError as exc:
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        # libyaml counts bytes, pure PyYAML characters: the first occurrence is the culprit
        line, col = _position(text, max(text.find(chr(code)), 0))
        raise YamlProblem(
            line, col, f"unprintable character U+{code:04X} is not allowed in a content file",
            "Remove it, or write it as an escape such as \\u00e9 inside double quotes.",
        ) from None
    except yaml.MarkedYAMLError as exc:
        raise syntax_problem(exc, text) from None
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        raise YamlProblem(0, 0, f"invalid YAML: {exc}") from None
    finally:
        loader.dispose()


#: the constructs that a closing character ends: PyYAML's context → (what it is, its closer);
#: a quoted scalar's closer is the quote that opened it
_OPENERS = {
    "while parsing a flow sequence": ("list", "]"),
    "while parsing a flow mapping": ("mapping", "}"),
    "while scanning a quoted scalar": ("quoted text", ""),
}
#: the block constructs a line can fail to continue: PyYAML's context → what it is
_BLOCKS = {"while parsing a block mapping": "mapping", "while parsing a block collection": "list"}
_BLOCK_HINT = ("Check this line's indentation against the lines above, and quote a value that "
               "holds ': ', ' #' or text after a closing quote.")


def syntax_problem(exc: yaml.MarkedYAMLError, text: str) -> YamlProblem:
    """A YAML syntax error as the person who must fix it needs it.

    The parser stops where it gives up, which for an unclosed `[`, `{` or quote is
    lines later (often at the end of the file): those are reported where they
    opened, with the place the parser gave up in the message. A line that breaks a
    block mapping or list is reported where it stands, naming where the block began.
    """
    problem = exc.problem or exc.context or "invalid YAML"
    context = exc.context or ""
    pm, cm = exc.problem_mark, exc.context_mark
    if pm is None:  # pragma: no cover - the parser marks every problem it raises
        pm = cm
    line, col = (pm.line, pm.column) if pm is not None else (0, 0)
    at = _char_at(text, line, col)
    if at == "\t":
        return YamlProblem(line, col, "tab character in indentation", "Indent YAML with spaces only.")
    gave_up = f"(the parser gave up at line {line + 1}, column {col + 1})"
    if cm is not None and context in _OPENERS and _unclosed(context, problem):
        what, closer = _OPENERS[context]
        opener = _char_at(text, cm.line, cm.column)
        closer = closer or opener
        shown_opener = f"'{opener}'" if opener != "'" else '"\'"'
        if what == "quoted text":
            escape = "\\\" for a double quote" if opener == '"' else "'' for a single quote"
            hint = f"End it with a matching {shown_opener}; inside it, write {escape}."
        else:
            hint = (f"Close it with '{closer}', or quote the whole value if the {shown_opener} "
                    "is part of the text.")
        return YamlProblem(cm.line, cm.column, f"invalid YAML: the {what} opened here with "
                           f"{shown_opener} is not closed {gave_up}", hint)
    if cm is not None and context == "while scanning a simple key":
        return YamlProblem(cm.line, cm.column, "invalid YAML: the key that starts here is not "
                           f"followed by ':' {gave_up}", "Write each field as `field: value`; a "
                           "line that continues the text above must be indented.")
    if cm is not None and context in _BLOCKS:
        return YamlProblem(line, col, f"invalid YAML: {problem}, in the {_BLOCKS[context]} that "
                           f"begins at line {cm.line + 1}", _BLOCK_HINT)
    return YamlProblem(line, col, f"invalid YAML: {problem}", _plain_hint(problem, at))


def _unclosed(context: str, problem: str) -> bool:
    """Whether the parser gave up because the construct was not closed (rather than
    because of something inside it, such as an unknown escape)."""
    if context == "while scanning a quoted scalar":
        return "end of stream" in problem or "document" in problem
    return "expected ',' or" in problem


def _plain_hint(problem: str, at: str) -> str | None:
    if problem.startswith("mapping values are not allowed"):
        return "Quote a value that holds ': ', or indent this field like the others."
    if "cannot start any token" in problem and at:
        return f"Quote the value: '{at}' cannot start unquoted text in YAML."
    return None


def _char_at(text: str, line: int, column: int) -> str:
    """The character at a 0-based line and column, counting lines as PyYAML does."""
    lines = _BREAK_RE.split(text)
    if 0 <= line < len(lines) and 0 <= column < len(lines[line]):
        return lines[line][column]
    return ""


def _position(text: str, offset: int) -> tuple[int, int]:
    """0-based line and column of a character offset, counting lines as PyYAML does."""
    line, start = 0, 0
    for m in _BREAK_RE.finditer(text, 0, offset):
        line, start = line + 1, m.end()
    return line, offset - start


def _read_stream(it: Callable[[], Any], smap: SourceMap) -> Any:
    it()  # StreamStart
    ev = it()
    if isinstance(ev, yaml.StreamEndEvent):
        raise YamlProblem(0, 0, "empty file", "Write the profile as a mapping, e.g. `name: ...`.")
    value = None
    # DocumentStart
    ev = it()
    if isinstance(ev, yaml.DocumentEndEvent):  # pragma: no cover - parser gives a null scalar
        raise YamlProblem(0, 0, "empty file")
    value = _read_node(ev, it, (), smap, 0)
    it()  # DocumentEnd
    ev = it()
    if not isinstance(ev, yaml.StreamEndEvent):
        raise YamlProblem(
            ev.start_mark.line,
            ev.start_mark.column,
            "a second YAML document in the file",
            "Keep one entity per file; remove the `---` line and what follows, "
            "or move it to a file of its own.",
        )
    return value


def _check_node_event(ev: Any) -> None:
    m = ev.start_mark
    if isinstance(ev, yaml.AliasEvent):
        raise YamlProblem(
            m.line, m.column, f"YAML alias '*{ev.anchor}' is not allowed",
            "Write the value out in full; anchors and aliases are refused.",
        )
    if getattr(ev, "anchor", None):
        raise YamlProblem(
            m.line, m.column, f"YAML anchor '&{ev.anchor}' is not allowed",
            "Remove the anchor; anchors and aliases are refused.",
        )
    tag = getattr(ev, "tag", None)
    if tag is not None:
        raise YamlProblem(
            m.line, m.column, f"YAML tag '{tag}' is not allowed",
            "Remove the tag; content is plain strings, numbers, lists and mappings.",
        )


def _end_line(ev: Any) -> int:
    return int(ev.end_mark.line)


_ScalarEvent = yaml.ScalarEvent
_SequenceStart, _SequenceEnd = yaml.SequenceStartEvent, yaml.SequenceEndEvent
_MappingStart, _MappingEnd = yaml.MappingStartEvent, yaml.MappingEndEvent


def _read_node(ev: Any, it: Callable[[], Any], path: Path_, smap: SourceMap, depth: int) -> Any:
    if ev.__class__ is not _ScalarEvent or ev.anchor is not None or ev.tag is not None:
        _check_node_event(ev)  # the common case, a plain untagged scalar, needs no checks
    if depth > MAX_DEPTH:
        m = ev.start_mark
        raise YamlProblem(m.line, m.column, f"nesting deeper than {MAX_DEPTH} levels")
    start: Any = ev.start_mark  # events' marks are always set by the parser
    if ev.__class__ is _ScalarEvent:
        end: Any = ev.end_mark
        smap.values[path] = (start.line, start.column, end.line, ev.style or "", end.column)
        if ev.style:  # quoted or block: always a string
            return ev.value
        return resolve_plain(ev.value)
    if ev.__class__ is _SequenceStart:
        items: list[Any] = []
        while True:
            child: Any = it()
            if child.__class__ is _SequenceEnd:
                smap.values[path] = (start.line, start.column, _end_line(child), "seq", 0)
                return items
            items.append(_read_node(child, it, (*path, len(items)), smap, depth + 1))
    if ev.__class__ is _MappingStart:
        result: dict[str, Any] = {}
        while True:
            kev: Any = it()
            if kev.__class__ is _MappingEnd:
                smap.values[path] = (start.line, start.column, _end_line(kev), "map", 0)
                return result
            if kev.__class__ is not _ScalarEvent or kev.anchor is not None or kev.tag is not None:
                _check_node_event(kev)
            km = kev.start_mark
            if kev.__class__ is not _ScalarEvent:
                raise YamlProblem(km.line, km.column, "a mapping key must be a plain word")
            key = kev.value
            if key in result:
                first = smap.keys[(*path, key)]
                raise YamlProblem(
                    km.line, km.column,
                    f"duplicate key '{key}' (first at line {first[0] + 1})",
                    "Keep one of the two; YAML would silently drop the first.",
                )
            kpath = (*path, key)
            smap.keys[kpath] = (km.line, km.column, km.line, "", 0)
            result[key] = _read_node(it(), it, kpath, smap, depth + 1)
    raise YamlProblem(start.line, start.column, "unexpected YAML event")  # pragma: no cover
