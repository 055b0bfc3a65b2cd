"""Errors and warnings as values with a location, printed like a compiler's.

Every stage appends to one `Diagnostics` collector instead of raising, so a single
run reports every problem in the content, not only the first.
"""

from __future__ import annotations

import difflib
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from .codes import code_of

Severity = Literal["error", "warning"]
#: how diagnostics are printed: `path:line:column: error: message hint` lines, GitHub
#: workflow annotations, or one JSON array for tools
Format = Literal["text", "github", "json"]
FORMATS: tuple[Format, ...] = ("text", "github", "json")

_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
#: characters never printed raw in a diagnostic, with the escape shown instead: C0 and C1
#: controls and DEL (ESC, CSI colour or move a terminal; a newline forges a whole
#: `path:line:column: error:` line), the Unicode line and paragraph separators, and the
#: bidirectional controls that make a line read in an order it is not written in; a file
#: name's bytes that are not UTF-8 (which Python holds as lone surrogates) show as those bytes
_VISIBLE = str.maketrans({
    **{chr(code): _NAMED_ESCAPES.get(chr(code), f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
       for code in (*range(0x20), *range(0x7F, 0xA0), 0x061C, 0x200E, 0x200F, 0x2028, 0x2029,
                    *range(0x202A, 0x202F), *range(0x2066, 0x206A))},
    **{chr(0xDC00 + byte): f"\\x{byte:02x}" for byte in range(0x80, 0x100)},
})


def visible(text: str) -> str:
    """`text` with every character that could act on a terminal or break a line shown as an
    escape (`\\n`, `\\x1b`, `\\u202e`): file names and content reach diagnostics as data."""
    return text.translate(_VISIBLE)


@dataclass(frozen=True, order=True)
class Loc:
    """A place in a content file: 1-based line and column, as editors count."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.column}"
        return self.path


@dataclass(frozen=True)
class Diagnostic:
    severity: Severity
    loc: Loc
    message: str
    hint: str | None = None

    @property
    def path(self) -> str:
        return self.loc.path

    @property
    def line(self) -> int:
        return self.loc.line

    @property
    def column(self) -> int:
        return self.loc.column

    @property
    def code(self) -> str:
        """The stable code of this kind of message (`codes.CODES`)."""
        return code_of(self.message)

    def format(self) -> str:
        """The one printed line; the one place where paths and content text are escaped."""
        text = f"{self.loc}: {self.severity}: {self.message}"
        return visible(f"{text} {self.hint}" if self.hint else text)

    def github(self) -> str:
        """A GitHub Actions workflow command (`::error file=P,line=L,col=C::message`), which
        the pull request shows on the line; escaped as the runner reads it back: `%`, CR and
        LF in the message, and `:` and `,` too in the properties. The contract's form exactly
        (no `title=`: the code is in `--format json`)."""
        where = [f"file={_github_property(visible(self.path))}"]
        if self.line:
            where += [f"line={self.line}", f"col={self.column}"]
        text = f"{self.message} {self.hint}" if self.hint else self.message
        return f"::{self.severity} {','.join(where)}::{_github_data(visible(text))}"

    def as_json(self) -> dict[str, str | int | None]:
        """The fields a tool reads (`--format json`): text escaped as in the text format."""
        return {"path": visible(self.path), "line": self.line, "column": self.column,
                "severity": self.severity, "code": self.code, "message": visible(self.message),
                "hint": visible(self.hint) if self.hint else None}


def _github_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


@dataclass
class Diagnostics:
    """Collects problems across the whole content; sorted by place when printed."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, loc: Loc, message: str, hint: str | None = None) -> None:
        self.items.append(Diagnostic("error", loc, message, hint))

    def warning(self, loc: Loc, message: str, hint: str | None = None) -> None:
        self.items.append(Diagnostic("warning", loc, message, hint))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "warning"]

    def has_errors(self) -> bool:
        return any(d.severity == "error" for d in self.items)

    def failed(self, strict: bool) -> bool:
        """Whether the run must stop: any error, or any warning under --strict."""
        return self.has_errors() or (strict and bool(self.items))

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.items, key=lambda d: (d.loc, d.severity, d.message))

    def summary(self) -> str:
        e, w = len(self.errors), len(self.warnings)
        return f"{e} error{'s' if e != 1 else ''}, {w} warning{'s' if w != 1 else ''}"


def report(diags: Diagnostics, strict: bool = False, fmt: Format = "text") -> None:
    """Print every diagnostic, then the summary line, to stderr (the command line, the
    live preview and the MkDocs plugin all report so). With `fmt` github or json the
    diagnostics go to stdout instead, where the runner or the tool reads them, and only
    the summary line to stderr."""
    if fmt == "json":
        print(json.dumps([d.as_json() for d in diags.sorted()], indent=1, ensure_ascii=False))
    for d in diags.sorted() if fmt != "json" else ():
        print(d.github() if fmt == "github" else d.format(),
              file=sys.stdout if fmt == "github" else sys.stderr)
    verdict = "failed" if diags.failed(strict) else "ok"
    suffix = " (--strict: warnings count as errors)" if strict and diags.warnings else ""
    print(f"dossier: {verdict}: {diags.summary()}{suffix}", file=sys.stderr)


def did_you_mean(word: str, candidates: Iterable[str], n: int = 3) -> str | None:
    """A hint naming the closest known words, or None when nothing is close.

    Close in spelling first (`confimed` → confirmed); failing that, words that share a
    part between hyphens with `word` (`svr-agency` → svr, svr-special-forces): an id is
    often mistyped by adding or dropping a part, which spelling alone scores too far
    (`svr` is 0.46 like `svr-agency`, under the 0.7 cutoff)."""
    known = list(candidates)
    close = difflib.get_close_matches(word, known, n=n, cutoff=0.7) or _sharing_a_part(word, known, n)
    if not close:
        return None
    if len(close) == 1:
        return f"Did you mean '{close[0]}'?"
    quoted = ", ".join(f"'{c}'" for c in close[:-1])
    return f"Did you mean {quoted} or '{close[-1]}'?"


def _sharing_a_part(word: str, known: list[str], n: int) -> list[str]:
    """Up to `n` of `known` that share a part of three letters or more with `word` (parts
    split at hyphens), those sharing the most parts first, then the shortest, then A-Z."""
    parts = {p for p in word.split("-") if len(p) >= 3}
    if not parts:
        return []
    scored = [(-len(parts & set(k.split("-"))), len(k), k) for k in known]
    return [k for score, _, k in sorted(s for s in scored if s[0] < 0)[:n]]
