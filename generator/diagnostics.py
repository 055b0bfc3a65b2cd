"""Errors and warnings as values with a location, printed like a compiler's.

Every stage appends to one `Diagnostics` collector instead of raising, so a single
run reports every problem in the content, not only the first.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


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
        text = f"{self.loc}: {self.severity}: {self.message}"
        return f"{text} {self.hint}" if self.hint else text


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


def did_you_mean(word: str, candidates: Iterable[str], n: int = 3) -> str | None:
    """A hint naming the closest known words, or None when nothing is close."""
    close = difflib.get_close_matches(word, list(candidates), n=n, cutoff=0.7)
    if not close:
        return None
    if len(close) == 1:
        return f"Did you mean '{close[0]}'?"
    quoted = ", ".join(f"'{c}'" for c in close[:-1])
    return f"Did you mean {quoted} or '{close[-1]}'?"
