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

import xml.etree.ElementTree as etree
from collections.abc import Iterable, Iterator

import markdown


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
    (the document and every nested chunk)."""
    parser = md.parser
    if getattr(parser, "_front_list", False):
        return

    def parse_chunk(parent: etree.Element, text: str) -> None:
        parser.parseBlocks(parent, FrontList(text.split("\n\n")))  # type: ignore[arg-type]

    parser.parseChunk = parse_chunk  # type: ignore[method-assign]
    parser._front_list = True  # type: ignore[attr-defined]
