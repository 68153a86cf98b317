"""Python-Markdown's link patterns in time linear in the text, whatever the text.

Python-Markdown finds a link's ``[text]`` and ``(destination)`` by walking forward from each
``[`` counting brackets, to the end of the paragraph when they never balance. A paragraph of
``[[[[...`` or ``[a](`` repeated thousands of times is then walked once per bracket: 10 KB of
them takes tens of seconds. :func:`install` replaces the link processors with ones that look
each bracket's partner up in a table made in one pass over the text, which give the same
result, byte for byte, as the walk.

The table is made once per text a pattern runs over: the inline pass
(:mod:`generator.markup.inline`) hands a pattern the same text for all its matches in a
paragraph, so a paragraph of many links is scanned once, not once per link.

A destination with a quote in it (a link title) is still walked the way Python-Markdown
walks it, but within a budget proportional to the document's size; past the budget such a
link stays text, which only a document of thousands of unclosed titles reaches.
"""

from __future__ import annotations

import re
from bisect import bisect_left

import markdown
from markdown import inlinepatterns

from generator.markup import linear_footnotes

_MARKS = re.compile(r"[\[\]()'\"]")
#: Characters of destinations with titles a document may walk, per character of its source.
BUDGET_PER_CHAR = 8
BUDGET_FLOOR = 200_000


class _Partners:
    """Where each ``[`` and ``(`` of a text closes, and where its quotes are.

    Positions are kept relative to the end of the text (``position - len(text)``, never
    positive).
    """

    __slots__ = ("text", "length", "square", "round", "quotes")

    def __init__(self, text: str):
        self.text = text
        self.length = n = len(text)
        square: dict[int, int] = {}
        round_: dict[int, int] = {}
        quotes: list[int] = []
        open_square: list[int] = []
        open_round: list[int] = []
        for m in _MARKS.finditer(text):
            c = m.group()
            rel = m.start() - n
            if c == "[":
                open_square.append(rel)
            elif c == "]":
                if open_square:
                    square[open_square.pop()] = rel
            elif c == "(":
                open_round.append(rel)
            elif c == ")":
                if open_round:
                    round_[open_round.pop()] = rel
            else:
                quotes.append(rel)
        self.square = square
        self.round = round_
        self.quotes = quotes

    def quote_between(self, start: int, stop: int) -> bool:
        """Whether a quote lies at a relative position in ``[start, stop)``."""
        i = bisect_left(self.quotes, start)
        return i < len(self.quotes) and self.quotes[i] < stop


class _LinearLinks:
    """Mix-in for :class:`~markdown.inlinepatterns.LinkInlineProcessor` and its subclasses."""

    _partners: _Partners | None = None
    _budget: int = BUDGET_FLOOR

    def reset_budget(self, source_length: int) -> None:
        """Start a new document: the walking budget for destinations with titles."""
        self._budget = BUDGET_FLOOR + BUDGET_PER_CHAR * source_length
        self._partners = None

    def _table(self, data: str) -> _Partners:
        table = self._partners
        if table is None or data is not table.text:
            table = self._partners = _Partners(data)
        return table

    def getText(self, data: str, index: int) -> tuple[str, int, bool]:  # noqa: N802
        if index == 0 or data[index - 1] != "[":
            return super().getText(data, index)  # type: ignore[misc]
        table = self._table(data)
        rel = index - 1 - table.length
        close = table.square.get(rel)
        if close is None:  # never closed: the walk would reach the end of the text (its text
            return "", len(data), False  # is not used then: the processors give up on the match)
        stop = close + table.length
        return data[index:stop], stop + 1, True

    def getLink(self, data: str, index: int) -> tuple[str, str | None, int, bool]:  # noqa: N802
        m = self.RE_LINK.match(data, pos=index)  # type: ignore[attr-defined]
        if not m or m.group(1) or data[index:index + 1] != "(":
            return super().getLink(data, index)  # type: ignore[misc]
        table = self._table(data)
        n = table.length
        rel = index - n
        close = table.round.get(rel)
        start = m.end()
        if not table.quote_between(start - n, 0 if close is None else close):
            if close is None:
                return "", None, len(data), False
            href = self.unescape(data[start:close + n]).strip()  # type: ignore[attr-defined]
            return href, None, close + n + 1, True
        # A quote: walk as Python-Markdown does, within the document's budget. After a quote
        # the walk stops only at a closed title (then it returns the title); otherwise it
        # has gone to the end of the text.
        if self._budget <= 0:
            return "", None, len(data), False
        href, title, end, handled = super().getLink(data, index)  # type: ignore[misc]
        self._budget -= (end if handled and title is not None else len(data)) - start
        return href, title, end, handled


_NAMES = ("reference", "link", "image_link", "image_reference", "short_reference", "short_image_ref")
_CLASSES: dict[type, type] = {}


def _linear_class(cls: type) -> type:
    if cls not in _CLASSES:
        _CLASSES[cls] = type("Linear" + cls.__name__, (_LinearLinks, cls), {"wraps": cls})
    return _CLASSES[cls]


def install(md: markdown.Markdown) -> list[_LinearLinks]:
    """Make the link and footnote patterns of ``md`` linear; returns the link patterns (call
    ``reset_budget`` on each per document)."""
    linear_footnotes.install(md)
    done: list[_LinearLinks] = []
    for name in _NAMES:
        if name not in md.inlinePatterns:
            continue
        proc = md.inlinePatterns[name]
        if isinstance(proc, inlinepatterns.LinkInlineProcessor) and not isinstance(proc, _LinearLinks):
            proc.__class__ = _linear_class(type(proc))
        if isinstance(proc, _LinearLinks):
            done.append(proc)
    return done
