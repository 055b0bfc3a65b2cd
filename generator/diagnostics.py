"""Errors and warnings as values with a location, printed like a compiler's.

Every stage appends to one `Diagnostics` collector instead of raising, so a single
run reports every problem in the content, not only the first.
"""

from __future__ import annotations

import difflib
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]

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

    def format(self) -> str:
        """The one printed line; the one place where paths and content text are escaped."""
        text = f"{self.loc}: {self.severity}: {self.message}"
        return visible(f"{text} {self.hint}" if self.hint else text)


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


def report(diags: Diagnostics, strict: bool = False) -> None:
    """Print every diagnostic, then the summary line, to stderr (the command line, the
    live preview and the MkDocs plugin all report so)."""
    for d in diags.sorted():
        print(d.format(), file=sys.stderr)
    verdict = "failed" if diags.failed(strict) else "ok"
    suffix = " (--strict: warnings count as errors)" if strict and diags.warnings else ""
    print(f"dossier: {verdict}: {diags.summary()}{suffix}", file=sys.stderr)


def did_you_mean(word: str, candidates: Iterable[str], n: int = 3) -> str | None:
    """A hint naming the closest known words, or None when nothing is close."""
    close = difflib.get_close_matches(word, list(candidates), n=n, cutoff=0.7)
    if not close:
        return None
    if len(close) == 1:
        return f"Did you mean '{close[0]}'?"
    quoted = ", ".join(f"'{c}'" for c in close[:-1])
    return f"Did you mean {quoted} or '{close[-1]}'?"
