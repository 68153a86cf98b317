"""Markdown between block tags written on lines of their own, as GitHub and Hugo render it:

    <details>
    <summary>Sources</summary>

    - [Reuters](https://...) and [[the-wire]]

    </details>

CommonMark ends an HTML block at a blank line, so the list above is Markdown there: the usual
way to fold a section away. Python-Markdown takes everything from ``<details>`` to its
``</details>`` as raw HTML, so the list, its links and cross-links were shown as written, and
the cross-links made no backlinks. So when such a container's opening lines and its closing
line each stand between blank lines, each is handed to the renderers as a numbered marker
paragraph and put back, as written, in the HTML; what lies between is rendered as Markdown.
Lines keep their numbers; anything else is left to Python-Markdown as before.
"""

from __future__ import annotations

import re

from generator.markup.fencing import FENCE, Fences

#: Containers whose content GitHub renders as Markdown when blank lines part it from the tags.
CONTAINERS = ("details", "div", "section", "aside", "article", "figure", "center", "blockquote")
#: A line opening one (perhaps with its ``<summary>``): the container's name.
_OPEN = re.compile(r"<(" + "|".join(CONTAINERS) + r")(?:\s[^<>]*)?>\s*(?:<summary\b[^<>]*>.*</summary>\s*)?",
                   re.I)
_SUMMARY = re.compile(r"<summary\b[^<>]*>.*</summary>\s*", re.I)
#: A marker paragraph's first line, and the line that continues one (private-use characters
#: neither renderer reads as markup).
_MARK, _MORE = "\ue010{}\ue011", "\ue012"
_MARKED = re.compile("<p>\ue010([0-9]+)\ue011(?:\n\ue012)*</p>")
_OWN = re.compile("[\ue010-\ue012]")


def mark_container_lines(source: str) -> tuple[str, list[str]]:
    """``source`` with the opening and closing lines of each such container (see the module's
    notes) made marker paragraphs, and the lines each marker stands for."""
    if "<" not in source or not _OPEN.search(source) or _OWN.search(source):
        return source, []
    lines = source.split("\n")
    open_blocks: dict[int, int] = {}  # a block of opening lines -> how many of its opened are unclosed
    closing_blocks: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []  # (name, the opening block's first line)
    for first, last in _blocks(lines):
        names = _opened(lines[first:last + 1])
        if names:
            open_blocks[first] = len(names)
            stack.extend((name, first) for name in names)
            continue
        closed = [re.fullmatch(r"</([a-zA-Z]+)>\s*", line) for line in lines[first:last + 1]]
        if not all(closed):
            continue
        matched = True
        for found in closed:
            if stack and stack[-1][0] == found.group(1).lower():
                open_blocks[stack.pop()[1]] -= 1
            else:
                matched = False
                break
        if matched:
            closing_blocks.append((first, last))
    groups = sorted([(first, _last_of(lines, first)) for first, unclosed in open_blocks.items() if not unclosed]
                    + closing_blocks)
    if not groups:
        return source, []
    written: list[str] = []
    for start, end in groups:
        written.append("\n".join(lines[start:end + 1]))
        lines[start] = _MARK.format(len(written) - 1)
        for more in range(start + 1, end + 1):
            lines[more] = _MORE
    return "\n".join(lines), written


def _blocks(lines: list[str]):
    """(first, last) line numbers of each run of lines between blank lines, outside code fences."""
    fences = Fences()
    first: int | None = None
    for number, line in enumerate([*lines, ""]):
        if fences.is_fence(line):
            first = None  # a block that holds a fence is code, not tags
            continue
        if fences.in_code:
            continue
        if line.strip():
            if first is None:
                first = number
        elif first is not None:
            if not FENCE.match(lines[first]):
                yield first, number - 1
            first = None


def _opened(block: list[str]) -> list[str]:
    """The containers a block opens when every line of it opens one (a ``<details>`` line may
    be followed by its ``<summary>`` line); else none."""
    names: list[str] = []
    for line in block:
        found = _OPEN.fullmatch(line)
        if found is not None:
            names.append(found.group(1).lower())
        elif not (names and names[-1] == "details" and _SUMMARY.fullmatch(line)):
            return []
    return names


def _last_of(lines: list[str], first: int) -> int:
    """The last line of the block that starts at ``first``."""
    last = first
    while last + 1 < len(lines) and lines[last + 1].strip():
        last += 1
    return last


def put_back(out: str, written: list[str]) -> str:
    """``out`` with each marker paragraph replaced by the lines it stands for."""
    if not written:
        return out
    return _MARKED.sub(lambda m: written[int(m.group(1))], out)


#: A line Markdown would read as its own (a list item, a heading) or with links or strong text.
_MARKDOWN_LINE = re.compile(r"\s*(?:[-*+] |#{1,6} |\d+\. )|.*(?:\[\[|\]\(|\*\*)")


def unparted_markdown(source: str, body_line: int) -> list[tuple[int, str]]:
    """A warning (line in the file, message) for Markdown written right under a container's
    opening lines, with no blank line between: GitHub, Hugo and this site show it as written
    (its cross-links link nothing)."""
    if "<" not in source or not _OPEN.search(source):
        return []
    lines = source.split("\n")
    notes: list[tuple[int, str]] = []
    for first, last in _blocks(lines):
        opening = _OPEN.fullmatch(lines[first])
        if opening is None:
            continue
        for number in range(first + 1, last + 1):
            line = lines[number]
            if _OPEN.fullmatch(line) or _SUMMARY.fullmatch(line) or re.fullmatch(r"\s*</[a-zA-Z]+>\s*", line):
                continue
            if not line.lstrip().startswith("<") and _MARKDOWN_LINE.match(line):  # (an HTML line: HTML)
                name = opening.group(1).lower()
                notes.append((body_line + number, f"Markdown inside <{name}> is shown as written unless blank "
                                                  f"lines part it from the tags (after the opening lines, before "
                                                  f"</{name}>), as on GitHub and in Hugo"))
            break
    return notes
