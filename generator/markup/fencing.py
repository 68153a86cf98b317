"""Which lines of a body are code, for the passes that read the source line by line before it
is rendered (Liquid tags, comments, admonitions, container tags): a fence of three or more
backticks or tildes opens a block, and the first fence of the same character, at least as
long and with nothing after it, closes it (as Python-Markdown and CommonMark read them)."""

from __future__ import annotations

import re
from collections.abc import Iterator

#: A fence line: up to three spaces, then three or more backticks or tildes.
FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")


class Fences:
    """Reads lines in order and knows whether the line it was last given is code."""

    def __init__(self) -> None:
        self.open: str | None = None  # the fence of the block of code open, if any

    def is_fence(self, line: str) -> bool:
        """Whether ``line`` opens or closes a block of code (taken note of)."""
        found = FENCE.match(line)
        if found is None:
            return False
        mark = found.group(1)
        if self.open is None:
            self.open = mark
        elif mark[0] == self.open[0] and len(mark) >= len(self.open) and not line.strip(" " + mark[0]):
            self.open = None
        return True

    @property
    def in_code(self) -> bool:
        """Whether the lines now read are inside a block of code."""
        return self.open is not None


def lines_outside_code(lines: list[str]) -> Iterator[tuple[int, str]]:
    """``(number, line)`` of each line that neither opens or closes fenced code nor lies inside
    it: what the passes that read a body line by line before it is rendered look at."""
    fences = Fences()
    for number, line in enumerate(lines):
        if not fences.is_fence(line) and not fences.in_code:
            yield number, line
