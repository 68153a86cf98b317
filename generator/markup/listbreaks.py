"""A list written right under a line of text, without a blank line between (``Key points:``
then ``- first``), is a list, as GitHub, CommonMark and Obsidian show it.

Python-Markdown starts a list only after a blank line, so it would glue the items into the
paragraph as text (``Key points: - first - second``). The text handed to the renderers gets
a blank line before such an item; the lines the rest of the build reads (link and footnote
lines, warnings) are those of the file as written, since only what the renderers see changes.

As in CommonMark, a bullet (``-``, ``*``, ``+`` and a space) or an ordered item numbered
``1.`` starts a list under a paragraph; another number does not (``2024. was a year``). The
line above must be plain paragraph text: not indented (a list item's own text), not a list
item, quote, heading, table row, HTML or a fence, and neither line may be inside fenced code.
A thematic break (``- - -``) is not an item.
"""

from __future__ import annotations

import re
from bisect import bisect_right

#: An item that may start a list right under a line of text, at the start of a line.
_ITEM_UNDER_TEXT = re.compile(r"\n(?=[ ]{0,3}(?:[-*+]|1\.)[ \t]+\S)")
#: A line of paragraph text: not indented, and not what starts another kind of block (``**Bold**``
#: is text; ``* x`` an item).
_PLAIN = re.compile(r"(?![-*+][ \t]|[>#|<]|[0-9]{1,9}[.)][ \t]|`{3}|~{3}|=+[ \t]*$)\S")
_BREAK = re.compile(r"[ ]{0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})", re.M)
_BLANK = re.compile(r"\n[ \t]*(?=\n)")


def lists_under_text(text: str) -> str:
    """``text`` with a blank line before each list item written right under a line of text:
    the first such item of a paragraph whose first line is text (the items after it are the
    list's, and a line of text between two of them is the item's own, as in CommonMark)."""
    if "\n" not in text or _ITEM_UNDER_TEXT.search(text) is None:
        return text
    fenced = _fenced_spans(text) if "```" in text or "~~~" in text else []
    fence_starts = [a for a, _ in fenced]
    blanks = [m.start() for m in _BLANK.finditer(text)]
    pieces: list[str] = []
    last = listed = -1  # where the last blank line went in
    for match in _ITEM_UNDER_TEXT.finditer(text):
        at = match.start()
        before = bisect_right(blanks, at - 1) - 1
        paragraph = blanks[before] + 1 if before >= 0 else 0  # where this line's paragraph starts
        if listed >= paragraph:
            continue  # a list begun in this paragraph goes on
        first = text[paragraph:text.find("\n", paragraph) if text.find("\n", paragraph) >= 0 else len(text)]
        above = text[text.rfind("\n", 0, at) + 1:at]
        end = text.find("\n", at + 1)
        line = text[at + 1:end if end >= 0 else len(text)]
        inside = bisect_right(fence_starts, at) - 1
        if (not _PLAIN.match(above) or not _PLAIN.match(first.lstrip("\n")) or _BREAK.match(line)
                or (inside >= 0 and at <= fenced[inside][1])):
            continue
        pieces += [text[max(last, 0):at], "\n"]
        last = listed = at
    if last < 0:
        return text
    pieces.append(text[last:])
    return "".join(pieces)


def _fenced_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of fenced code blocks, in order, a fence closed by a fence of its own
    kind of marks at least as long (an unclosed one runs to the end)."""
    spans: list[tuple[int, int]] = []
    opening: tuple[int, str] | None = None
    for match in _FENCE.finditer(text):
        marks = match.group(1)
        if opening is None:
            opening = (match.start(), marks)
        elif marks[0] == opening[1][0] and len(marks) >= len(opening[1]):
            spans.append((opening[0], match.end()))
            opening = None
    if opening is not None:
        spans.append((opening[0], len(text)))
    return spans
