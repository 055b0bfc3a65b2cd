"""Progress on long work: which stage a build is in, and how far along.

A build of 10,000 entities takes minutes, most of them in MkDocs; without a sign
of life people kill it. On a terminal one carriage-return line on stderr shows the
stage and a bar, and is erased when the stage ends, so the diagnostics and the
summary line look exactly as without it. Elsewhere (CI logs, pipes) plain lines:
one when a stage starts, one per tenth of the way, one when it ends. Those lines
start only once a stage of at least `quiet_below` steps begins, so a small build's
log keeps its usual shape (diagnostics, then the summary line).
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

BAR_WIDTH = 24
REDRAW_SECONDS = 0.1
LINE_STEPS = 10  # plain lines per stage, at most, between its start and end


class Progress:
    """Reports stages to `stream`; `mode` is "bar" (a terminal), "lines" or "off"."""

    def __init__(self, stream: TextIO | None = None, mode: str | None = None,
                 quiet_below: int = 0):
        self.stream = stream if stream is not None else sys.stderr
        if mode is None:
            mode = "bar" if self.stream.isatty() else "lines"
        self.mode = mode
        self.quiet = mode == "lines" and quiet_below > 0
        self.quiet_below = quiet_below
        self.name = ""
        self.unit = ""
        self.total = 0
        self.done = 0
        self.started = 0.0
        self._drawn = 0.0
        self._next_line = 0

    @classmethod
    def off(cls) -> Progress:
        return cls(mode="off")

    def stage(self, name: str, total: int = 0, unit: str = "") -> None:
        """Start stage `name` with `total` steps (0: a stage without steps)."""
        self.finish()
        self.name, self.total, self.done, self.unit = name, total, 0, unit
        self.started = time.perf_counter()
        self._next_line = 1
        if self.quiet and total >= self.quiet_below:
            self.quiet = False
        if self.mode == "lines" and not self.quiet:
            what = f" {total:,} {unit}".rstrip() if total else ""
            self._print(f"dossier: {name}{what}…")
        self._draw(force=True)

    def step(self, n: int = 1) -> None:
        if not self.name:
            return
        self.done += n
        if self.mode == "bar":
            self._draw()
        elif self.mode == "lines" and self.total and not self.quiet:
            while self._next_line < LINE_STEPS and self.done * LINE_STEPS >= self.total * self._next_line:
                self._print(f"dossier: {self.name} {self._next_line * 100 // LINE_STEPS}% "
                            f"({self.done:,}/{self.total:,})")
                self._next_line += 1

    def finish(self) -> None:
        """End the current stage, if any."""
        if not self.name:
            return
        elapsed = time.perf_counter() - self.started
        if self.mode == "bar":
            self.stream.write("\r\x1b[K")
            self.stream.flush()
        elif self.mode == "lines" and not self.quiet:
            self._print(f"dossier: {self.name} done in {elapsed:.1f} s")
        self.name = ""

    def _draw(self, force: bool = False) -> None:
        if self.mode != "bar":
            return
        now = time.perf_counter()
        if not force and now - self._drawn < REDRAW_SECONDS and self.done != self.total:
            return
        self._drawn = now
        if self.total:
            filled = min(BAR_WIDTH, BAR_WIDTH * self.done // self.total)
            bar = "█" * filled + "·" * (BAR_WIDTH - filled)
            text = (f"dossier: {self.name} [{bar}] {100 * self.done // self.total:3d}% "
                    f"{self.done:,}/{self.total:,} {self.unit}")
        else:
            text = f"dossier: {self.name}…"
        self.stream.write("\r\x1b[K" + text.rstrip())
        self.stream.flush()

    def _print(self, line: str) -> None:
        print(line, file=self.stream, flush=True)
