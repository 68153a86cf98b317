"""Terminal manners: progress on a terminal, plain lines otherwise, ``--quiet`` for errors only."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from generator.errors import Diagnostic


class Reporter:
    """Prints diagnostics, progress and the summary of a command."""

    def __init__(self, quiet: bool = False, stream: TextIO | None = None):
        self.quiet = quiet
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._last = 0.0
        self._shown = False

    def progress(self, stage: str, done: int, total: int) -> None:
        """Show how far a long stage is (terminal only; at most ten updates a second)."""
        if self.quiet or not self.tty:
            return
        now = time.monotonic()
        if done < total and now - self._last < 0.1:
            return
        self._last = now
        width = 30
        filled = int(width * done / max(total, 1))
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(f"\r{stage:>8} [{bar}] {done}/{total}")
        self.stream.flush()
        self._shown = True
        if done >= total:
            self.stream.write("\r" + " " * (width + 30) + "\r")
            self._shown = False

    def diagnostics(self, items: list[Diagnostic]) -> None:
        """Print errors always, warnings unless quiet."""
        for item in items:
            if item.is_error or not self.quiet:
                print(str(item), file=self.stream)

    def info(self, line: str) -> None:
        """A plain line, unless quiet."""
        if not self.quiet:
            print(line, file=self.stream)
