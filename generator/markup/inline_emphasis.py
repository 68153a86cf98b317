"""Python-Markdown's emphasis over a text in one pass, as its one-match steps leave the text.

Markdown's delimiter processor (``*em*``, ``**strong**``, ``_em_``) pairs the delimiters of a
stretch of text in one go, keeps the regions it found with their positions in the text as it
was then, and hands them out one by one on the following matches, moving each by how far the
text has shifted since: the distance from the position it expected the next delimiter at
(``cache_pos``) to where the match is.

:mod:`generator.markup.inline` gives it the text as it was before the pattern's first
replacement instead of the text rewritten after each. Then its positions do not shift, so
:func:`handle` works the shift out as Markdown would have seen it: it records, when the
regions are found, how far the rewritten text was then from the text it was given, and gives
back a region where Markdown would have (including where its ``pos == cache_pos`` test picks
the other of its two formulas). Where the rewritten text differs right at the match (the
delimiter expressions look one character back), the delimiters' expressions are tried as
right after a placeholder. Anything this cannot place in the text as it was (a region handed
to another text, or one that reaches back before the match) asks for the rewritten text,
where Markdown's own step is taken.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from markdown import inlinepatterns

#: What :func:`handle` returns when Markdown's step needs the rewritten text.
REBASE = object()


def boundary_copies(pattern: object, neutral_copy: object) -> dict[str, re.Pattern[str]] | None:
    """Each delimiter's expression as it behaves right after a placeholder, by token; ``None``
    when the pattern is not Markdown's delimiter processor or an expression cannot be copied."""
    if type(pattern) is not inlinepatterns.DelimiterProcessor:
        return None
    copies: dict[str, re.Pattern[str]] = {}
    for token, delimiter in pattern.delimiters.items():
        boundary = getattr(delimiter, "boundary", None)
        if not isinstance(boundary, re.Pattern):
            return None
        copy = neutral_copy(boundary.pattern, boundary.flags)  # type: ignore[operator]
        if copy is None:
            return None
        copies[token] = copy
    return copies


class _AfterPlaceholder:
    """A delimiter expression that, at one position of one text, matches as its copy for
    right after a placeholder does."""

    __slots__ = ("real", "copy", "text", "at")

    def __init__(self, real: re.Pattern[str], copy: re.Pattern[str], text: str, at: int):
        self.real, self.copy, self.text, self.at = real, copy, text, at

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        if pos == self.at and string is self.text:
            return self.copy.match(string, pos, endpos)
        return self.real.match(string, pos, endpos)

    def __getattr__(self, name: str) -> object:
        return getattr(self.real, name)


@contextmanager
def _after_placeholder(pattern: inlinepatterns.DelimiterProcessor, copies: dict[str, re.Pattern[str]],
                       text: str, at: int) -> Iterator[None]:
    saved = [(delimiter, delimiter.boundary) for delimiter in pattern.delimiters.values()]
    try:
        for token, delimiter in pattern.delimiters.items():
            delimiter.boundary = _AfterPlaceholder(delimiter.boundary, copies[token], text, at)  # type: ignore[assignment]
        yield
    finally:
        for delimiter, boundary in saved:
            delimiter.boundary = boundary


def handle(frames: dict[int, tuple[int, object]], pattern: inlinepatterns.DelimiterProcessor,
           copies: dict[str, re.Pattern[str]], match: re.Match[str], state: object) -> object:
    """Markdown's ``handleMatch`` for a match in ``state.text`` (the text as it was; rewritten
    it is ``state.pieces`` and the rest), in the positions of that text, or :data:`REBASE`.

    ``frames`` keeps, per processor, how far the rewritten text was from the given text when
    its regions were found, and their first region (to know them again).
    """
    text: str = state.text  # type: ignore[attr-defined]
    shift = state.written - state.copied  # type: ignore[attr-defined]
    if pattern.regions:
        return _cached(frames, pattern, match.start(0), state, shift)
    if match.start(0) == state.boundary:  # type: ignore[attr-defined]
        with _after_placeholder(pattern, copies, text, match.start(0)):
            found = pattern.handleMatch(match, text)
    else:
        found = pattern.handleMatch(match, text)
    if pattern.regions:
        frames[id(pattern)] = (shift, pattern.regions[0])
    return found


def _cached(frames: dict[int, tuple[int, object]], pattern: inlinepatterns.DelimiterProcessor, pos: int,
            state: object, shift: int) -> object:
    """Markdown's ``get_cached_result`` as it would run on the rewritten text."""
    rewritten = bool(state.pieces)  # type: ignore[attr-defined]
    frame = frames.get(id(pattern))
    if frame is None or frame[1] is not pattern.regions[0]:  # regions found on a text as it stood
        return REBASE if rewritten else pattern.get_cached_result(pos, state.text)  # type: ignore[attr-defined]
    regions = pattern.regions
    index = pattern.cache_index
    first = regions[index][0]
    # Markdown: ``pos - cache_pos`` unless they are equal, in its positions, which are this
    # text's shifted by ``shift`` now and by ``frame[0]`` when the regions were found.
    if pos - pattern.cache_pos != frame[0] - shift:
        offset = pos - pattern.cache_pos
    else:
        offset = pos - first
    if rewritten and _lowest(regions, index) + offset < state.copied:  # type: ignore[attr-defined]
        return REBASE  # the element would take text from before the match
    last = regions[index][3]
    el, count = pattern._build_element(state.text, index, offset)  # type: ignore[attr-defined]
    pattern.increment_next_position(first, count)
    return el, first + offset, last + offset


def _lowest(regions: list[tuple], index: int) -> int:
    """The lowest position Markdown's ``_build_element`` reads for the regions from ``index``
    (those that start inside the first; a region may end before it starts)."""
    stop = regions[index][3]
    lowest = min(regions[index][:4])
    for i in range(index + 1, len(regions)):
        if regions[i][0] >= stop:
            break
        lowest = min(lowest, *regions[i][:4])
    return lowest
