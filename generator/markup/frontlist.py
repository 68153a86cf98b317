"""Python-Markdown's list of blocks, with its front taken and given back in constant time.

Python-Markdown's block parser splits a text at blank lines into a list of blocks, and each
block processor takes the first with ``blocks.pop(0)`` and may give back what it did not use
with ``blocks.insert(0, rest)``. On a Python list both move every block after the first: a
document of 200,000 short blocks (a megabyte of rules, or of one-line paragraphs) moved some
20 billion pointers, 22 s a megabyte. :class:`FrontList` keeps the blocks in reverse order,
so the front is the end of a Python list; :func:`install` hands one to the block parser in
place of each list it splits a text into. The processors see the same blocks in the same
order, so the tree they build is the same.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Iterable, Iterator

import markdown
from markdown import blockprocessors
from markdown.extensions.tables import TableProcessor


class FrontList:
    """A list of blocks (the operations Markdown's block processors use, and the rest of the
    list's reading ones) whose first item is taken and put back in constant time."""

    __slots__ = ("_reversed",)

    def __init__(self, items: Iterable[str] = ()):
        self._reversed = list(items)
        self._reversed.reverse()

    def __len__(self) -> int:
        return len(self._reversed)

    def __bool__(self) -> bool:
        return bool(self._reversed)

    def _at(self, index: int) -> int:
        """The position in the reversed list of the item at ``index``."""
        size = len(self._reversed)
        if index < 0:
            index += size
        if not 0 <= index < size:
            raise IndexError("FrontList index out of range")
        return size - 1 - index

    def __getitem__(self, index: int) -> str:
        if index == 0:  # the block processors' test of every block (empty: IndexError, as a list)
            return self._reversed[-1]
        if not isinstance(index, int):
            return list(self)[index]  # a slice: a plain list, as a list's slice is
        return self._reversed[self._at(index)]

    def __setitem__(self, index: int, value: str) -> None:
        self._reversed[self._at(index)] = value

    def __iter__(self) -> Iterator[str]:
        return reversed(self._reversed)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrontList):
            return self._reversed == other._reversed
        if isinstance(other, list):
            return list(self) == other
        return NotImplemented

    def __repr__(self) -> str:
        return f"FrontList({list(self)!r})"

    def pop(self, index: int = -1) -> str:
        """Take the item at ``index`` (the last by default, as a list does)."""
        if index == 0:
            if not self._reversed:
                raise IndexError("pop from empty FrontList")
            return self._reversed.pop()
        return self._reversed.pop(self._at(index))

    def insert(self, index: int, value: str) -> None:
        """Put ``value`` before the item at ``index`` (at the front for 0)."""
        size = len(self._reversed)
        if index < 0:
            index = max(0, index + size)
        self._reversed.insert(size - min(index, size), value)

    def append(self, value: str) -> None:
        self._reversed.insert(0, value)

    def extend(self, values: Iterable[str]) -> None:
        self._reversed[0:0] = reversed(list(values))


def install(md: markdown.Markdown) -> None:
    """Hand ``md``'s block parser a :class:`FrontList` for each text it splits into blocks
    (the document and every nested chunk), with long runs of one-line blocks split up
    (:class:`_Runs`)."""
    parser = md.parser
    if getattr(parser, "_front_list", False):
        return
    runs = _Runs.of(md)

    def parse_chunk(parent: etree.Element, text: str) -> None:
        blocks = text.split("\n\n")
        if runs is not None:
            blocks = runs.split(blocks)
        parser.parseBlocks(parent, FrontList(blocks))  # type: ignore[arg-type]

    parser.parseChunk = parse_chunk  # type: ignore[method-assign]
    parser._front_list = True  # type: ignore[attr-defined]


class _Runs:
    """A block of many lines that are each a ``#`` heading, a rule, or with the line after
    it a setext heading, split into one block per heading or rule.

    Markdown takes such a block one heading or rule at a time and gives the rest back as a
    new block, which every processor then reads again from its start (the table processor
    splits it into lines, the heading processor searches it): 10,000 heading lines in a row
    took 2.4 s, twice as many four times that. Split, each is taken alone, in the same order,
    by the same processor: the processors before them (empty, indented, code, table) take
    none of these lines (none starts with a space or holds a ``|``), the heading processor
    takes a block's first ``#`` line whole, the setext one a text line and its underline,
    the rule one a rule line (one not followed by an underline, which makes a setext
    heading), and what comes before a ``#`` line Markdown parses as a block of its own.
    """

    MIN_LINES = 4

    def __init__(self, heading: re.Pattern[str], setext: re.Pattern[str], rule: re.Pattern[str]):
        self.heading, self.setext, self.rule = heading, setext, rule

    @classmethod
    def of(cls, md: markdown.Markdown) -> _Runs | None:
        """The splitter for ``md``'s processors, or ``None`` when they are not Markdown's
        own in Markdown's own order."""
        registry = md.parser.blockprocessors
        names = [entry.name for entry in sorted(registry._priority, key=lambda e: -e.priority)]
        if names[:7] != ["empty", "indent", "code", "table", "hashheader", "setextheader", "hr"]:
            return None
        kinds = (blockprocessors.EmptyBlockProcessor, blockprocessors.ListIndentProcessor,
                 blockprocessors.CodeBlockProcessor, TableProcessor, blockprocessors.HashHeaderProcessor,
                 blockprocessors.SetextHeaderProcessor, blockprocessors.HRProcessor)
        if any(type(registry[name]) is not kind for name, kind in zip(names, kinds, strict=False)):
            return None
        return cls(registry["hashheader"].RE, registry["setextheader"].RE, registry["hr"].SEARCH_RE)

    def split(self, blocks: list[str]) -> list[str]:
        """The blocks, each run of headings and rules split into one block each."""
        out: list[str] = []
        for block in blocks:
            units = self._units(block) if block.count("\n") >= self.MIN_LINES - 1 else None
            if units is None:
                out.append(block)
            else:
                out.extend(units)
        return out

    def _units(self, block: str) -> list[str] | None:
        if "|" in block:
            return None
        lines = block.split("\n")
        units: list[str] = []
        count = len(lines)
        i = 0
        while i < count:
            line = lines[i]
            if not line or line[0] == " ":
                return None
            if line[0] == "#":
                found = self.heading.match(line)
                if found is None or found.end() != len(line):
                    return None
                units.append(line)
                i += 1
            elif i + 1 < count and self.setext.match(pair := f"{line}\n{lines[i + 1]}"):
                units.append(pair)
                i += 2
            elif self.rule.match(line):
                units.append(line)
                i += 1
            else:
                return None
        return units
