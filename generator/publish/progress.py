"""Progress while publishing: a bar on a terminal, plain lines otherwise, nothing when quiet."""

from __future__ import annotations

import sys
import time
from typing import TextIO

_BAR_WIDTH = 24


def human_bytes(size: float) -> str:
    """``1536`` -> ``1.5 kB`` (decimal units, like most hosts report)."""
    for unit in ("B", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{size:.1f} GB"  # pragma: no cover - the loop always returns


class Progress:
    """Reports files as they are sent and deleted.

    Progress goes to ``stream`` (stderr): a redrawn bar when it is a terminal, one line per
    file otherwise, so CI logs say exactly which files reached the target. Results (a dry
    run's list, the summary) go to ``out`` (stdout). ``quiet`` silences both.
    """

    def __init__(self, *, quiet: bool = False, stream: TextIO | None = None,
                 out: TextIO | None = None, tty: bool | None = None) -> None:
        self.quiet = quiet
        self.stream = stream if stream is not None else sys.stderr
        self.out = out if out is not None else sys.stdout
        self.tty = self.stream.isatty() if tty is None else tty
        self.total_files = 0
        self.total_bytes = 0
        self.done_files = 0
        self.done_bytes = 0
        self._drawn = 0.0
        self._bar_visible = False

    def note(self, message: str) -> None:
        """A line of progress information (stderr)."""
        if self.quiet:
            return
        self._clear_bar()
        print(message, file=self.stream, flush=True)

    def result(self, message: str) -> None:
        """A line of the command's result (stdout)."""
        if not self.quiet:
            self._clear_bar()
            print(message, file=self.out, flush=True)

    def begin(self, files: int, size: int) -> None:
        """Start counting ``files`` operations carrying ``size`` bytes."""
        self.total_files, self.total_bytes = files, size
        self.done_files = self.done_bytes = 0

    def advance(self, action: str, path: str, size: int = 0) -> None:
        """One file has been ``action`` (``uploaded``, ``replaced``, ``deleted``) on the target."""
        self.done_files += 1
        self.done_bytes += size
        if self.quiet:
            return
        if not self.tty:
            detail = f" ({human_bytes(size)})" if action != "deleted" else ""
            print(f"{action} {path}{detail}", file=self.stream, flush=True)
            return
        now = time.monotonic()
        if now - self._drawn >= 0.1 or self.done_files == self.total_files:
            self._drawn = now
            self._draw()

    def end(self) -> None:
        """Finish the bar (if one is shown)."""
        self._clear_bar()

    def _draw(self) -> None:
        share = self.done_files / self.total_files if self.total_files else 1.0
        filled = int(share * _BAR_WIDTH)
        bar = "#" * filled + "-" * (_BAR_WIDTH - filled)
        line = (f"\rpublishing [{bar}] {self.done_files}/{self.total_files} files, "
                f"{human_bytes(self.done_bytes)}/{human_bytes(self.total_bytes)}")
        self.stream.write(line)
        self.stream.flush()
        self._bar_visible = True

    def _clear_bar(self) -> None:
        if self._bar_visible:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self._bar_visible = False
