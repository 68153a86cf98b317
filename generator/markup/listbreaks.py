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

A list nested by two or three spaces (``- a`` then ``  - b``) is re-indented by four a level, as
Python-Markdown needs (:func:`lists_nested_by_two`); one nested by four is left as written.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from generator.markup.fencing import lines_outside_code

#: An item that may start a list right under a line of text, at the start of a line.
_ITEM_UNDER_TEXT = re.compile(r"\n(?=[ ]{0,3}(?:[-*+]|1\.)[ \t]+\S)")
#: A line of paragraph text: not indented, and not what starts another kind of block (``**Bold**``
#: is text; ``* x`` an item).
_PLAIN = re.compile(r"(?![-*+][ \t]|[>#|<]|[0-9]{1,9}[.)][ \t]|`{3}|~{3}|=+[ \t]*$)\S")
_BREAK = re.compile(r"[ ]{0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})", re.M)
_HEADING_LINE = re.compile(r"[ ]{0,3}#{1,6}(?:[ \t]|$)")
_BLANK = re.compile(r"\n[ \t]*(?=\n)")


def lists_under_text(text: str) -> str:
    """``text`` with a blank line before each list item written right under a line of text:
    the first such item of a paragraph whose first line is text (the items after it are the
    list's, and a line of text between two of them is the item's own, as in CommonMark)."""
    if "\n" not in text or _ITEM_UNDER_TEXT.search(text) is None:
        return text
    fenced = _fenced_spans(text) if "```" in text or "~~~" in text else []
    fence_starts = [a for a, _ in fenced]
    blanks = [m.end() for m in _BLANK.finditer(text)]  # the line break that ends each blank line
    pieces: list[str] = []
    last = listed = -1  # where the last blank line went in
    opening: dict[int, str] = {}  # a paragraph's start -> its first line of text
    for match in _ITEM_UNDER_TEXT.finditer(text):
        at = match.start()
        before = bisect_right(blanks, at - 1) - 1
        paragraph = blanks[before] + 1 if before >= 0 else 0  # where this line's paragraph starts
        if listed >= paragraph:
            continue  # a list begun in this paragraph goes on
        if paragraph not in opening:  # its first line that is not a heading (## Findings, then text)
            start = paragraph
            line_end = text.find("\n", start)
            while line_end >= 0 and line_end < at and _HEADING_LINE.match(text, start, line_end):
                start, line_end = line_end + 1, text.find("\n", line_end + 1)
            opening[paragraph] = text[start:line_end if line_end >= 0 else len(text)]
        first = opening[paragraph]
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


#: A list item line: its indentation (spaces only), its marker and the spaces after it.
_ITEM_LINE = re.compile(r"( *)([-*+]|[0-9]{1,9}[.)])( +|$)")


def lists_nested_by_two(text: str) -> str:
    """``text`` with each list that nests its items by fewer than four spaces (``- a`` then
    ``  - b``, as GitHub and CommonMark take it) indented by four a level, as Python-Markdown
    needs; a list nested by four is left as written. A line belongs to the deepest item whose
    text starts at or before its indentation (its content column); its place below that item's
    text is kept. A list with a tab in its indentation, or in fenced code, is left as written."""
    if "\n " not in text or (_NESTED_BY_TWO.search(text) is None and _NARROW_PARAGRAPH.search(text) is None):
        return text
    lines = text.split("\n")
    out: list[str] = []
    block: list[str] = []
    fence = ""
    for line in lines:
        stripped = line.lstrip(" ")
        if not block and not fence and stripped.startswith(("```", "~~~")) and len(line) - len(stripped) < 4:
            fence = stripped[:3]
        elif fence:
            if stripped.startswith(fence) and len(line) - len(stripped) < 4:
                fence = ""
        elif block and (line.strip() == "" or line.startswith(" ") or _ITEM_LINE.match(line) or block[-1].strip()):
            block.append(line)
            continue
        elif _ITEM_LINE.match(line) and len(line) - len(stripped) < 4:
            block = [line]
            continue
        if block:
            out += _reindented(block)
            block = []
        out.append(line)
    if block:
        out += _reindented(block)
    return "\n".join(out)


#: A paragraph under an item, indented less than four (``1. a``, a blank line, ``   more``): the same.
_NARROW_PARAGRAPH = re.compile(r"^(?:[-*+]|[0-9]{1,9}[.)]) [^\n]*\n[ \t]*\n {2,3}\S", re.M)
#: An item indented by one to three spaces, perhaps under another: the quick test before lines are read.
_NESTED_BY_TWO = re.compile(r"^ {1,3}(?:[-*+]|[0-9]{1,9}[.)]) ", re.M)


def _reindented(block: list[str]) -> list[str]:
    """A list's lines, indented four spaces a level when it nests an item by fewer (else as they are)."""
    if any("\t" in line[:len(line) - len(line.lstrip())] for line in block):
        return block
    levels: list[tuple[int, int, int]] = []  # open items: (marker's column, text's column, marker's column out)
    placed: list[tuple[int, int] | None] = []  # per line: (columns to cut, indentation out)
    narrow = False
    after_blank = in_paragraph = False  # a paragraph under an item, begun after a blank line
    parted: set[int] = set()  # items right under such a paragraph: a blank line goes before them
    for number, line in enumerate(block):
        indent = len(line) - len(line.lstrip(" "))
        if not line.strip():
            placed.append(None)
            after_blank = True
            continue
        while levels and indent < levels[-1][1]:
            levels.pop()
        item = _ITEM_LINE.match(line)
        if item is not None and (levels or indent < 4):
            if in_paragraph:
                parted.add(number)
            in_paragraph = False
            if levels:
                narrow = narrow or indent - levels[-1][0] < 4
                out = levels[-1][2] + 4
            else:
                out = indent
            levels.append((indent, indent + len(item.group(2)) + max(1, len(item.group(3))), out))
            placed.append((indent, out))
        elif levels:  # the open item's own text (or code), kept as far below its text as written
            # a paragraph of the item under its text (``1. a``, a blank line, ``   more``): narrow too
            narrow = narrow or (after_blank and indent < levels[-1][0] + 4)
            in_paragraph = in_paragraph or after_blank
            placed.append((indent, levels[-1][2] + 4 + indent - levels[-1][1]))
        else:
            placed.append(None)
        after_blank = False
    if not narrow:
        return block
    out: list[str] = []
    for number, (line, where) in enumerate(zip(block, placed, strict=True)):
        if number in parted:  # Python-Markdown would read the item as the paragraph's text
            out.append("")
        out.append(line if where is None else " " * where[1] + line[where[0]:])
    return out


#: A list item as a word processor writes it (``•``, ``◦``, ``▪``, ``·`` and a space) or as
#: CommonMark numbers it (``1)``), which Python-Markdown would show as text run together.
_PASTED_ITEM = re.compile(r"( *)(?:([•◦▪▫‣⁃·●○■□])|([0-9]{1,9})\))[ \t]+(?=\S)")


def pasted_lists(text: str) -> str:
    """``text`` with lines opening with a bullet character (``• first``) written as Markdown
    items (``- first``, indented as written) and ``1)`` items as ``1.``, as GitHub and Hugo show
    the latter; fenced code is left as written."""
    if not any(mark in text for mark in "•◦▪▫‣⁃·●○■□)"):
        return text
    lines = text.split("\n")
    listed = True  # whether an item may start here: at the start, after a blank line or an item
    after = -1  # the line read last (one skipped between: code, after which no list goes on)
    for number, line in lines_outside_code(lines):
        if number != after + 1:
            listed = False
        after = number
        found = _PASTED_ITEM.match(line)
        # ``2)`` inside a paragraph is its text, as in CommonMark (only ``1)`` may interrupt one)
        if found is not None and (found.group(2) or listed or found.group(3) == "1"):
            marker = "- " if found.group(2) else f"{found.group(3)}. "
            lines[number] = found.group(1) + marker + line[found.end():]
            listed = True
        else:
            listed = not line.strip() or _ITEM_LINE.match(line) is not None
    return "\n".join(lines)
