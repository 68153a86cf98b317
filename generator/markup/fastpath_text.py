"""Small pieces of the fast path (see :mod:`generator.markup.fastpath`): its way of declining,
its reading of a source into blocks (fenced code among them),
and attribute values escaped as Python-Markdown's serialiser escapes them. Texts themselves
(paragraphs, list items, cells and headings) are rendered by
:mod:`generator.markup.inline_fast`."""

from __future__ import annotations

import re

import markdown

_FENCE = re.compile(r"(`{3,}|~{3,})([A-Za-z0-9_+#-][A-Za-z0-9_+#.-]*)?")
_ENTITY = re.compile(r"&(?:#[0-9]+|#x[0-9a-f]+|[0-9a-z]+);", re.I)


class _Bail(Exception):
    """The document uses something the fast path does not render exactly."""


def _attr(value: str) -> str:
    """An attribute value as Python-Markdown's HTML serialiser escapes it."""
    if _ENTITY.search(value):
        raise _Bail
    return value.replace("&", "&amp;").replace('"', "&quot;")


#: The blank lines (of spaces or nothing) between two blocks.
_BLANK_RUN = re.compile(r"\n(?: *\n)+")


class Code(str):
    """A fenced code block's HTML, among a source's blocks."""


def plain_blocks(source: str) -> list[str]:
    """The blank-line separated blocks of a source without fences, each its lines joined (the
    fast path's reading of lines, one at a time, gives the same for such a source)."""
    first = source.partition("\n")[0]
    if first and not first.strip(" "):
        raise _Bail  # Markdown keeps a first line of spaces
    return [piece for piece in _BLANK_RUN.split("\n\n" + source + "\n\n") if piece]


def fenced_blocks(md: markdown.Markdown, source: str) -> list[str]:
    """A source's blocks, each its lines joined, fenced code (as its HTML, a :class:`Code`)
    among them."""
    # Markdown first turns lines of spaces into empty lines (all but the first).
    lines = [line if i == 0 or line.strip(" ") else "" for i, line in enumerate(source.split("\n"))]
    block: list[str] = []
    blocks: list[str] = []
    i, count = 0, len(lines)
    while i < count:
        line = lines[i]
        if not line.strip(" "):
            if line and i == 0:
                raise _Bail  # Markdown keeps a first line of spaces
            if block:
                blocks.append("\n".join(block))
                block = []
            i += 1
            continue
        if line.startswith(("```", "~~~")):
            if block:
                raise _Bail  # a fence inside a paragraph stays inside it
            end, code = _fence(md, lines, i)
            if end + 1 < count and lines[end + 1].strip(" "):
                raise _Bail  # text right after the fence joins the placeholder's paragraph
            blocks.append(Code(code))
            i = end + 1
            continue
        block.append(line)
        i += 1
    if block:
        blocks.append("\n".join(block))
    return blocks


def _fence(md: markdown.Markdown, lines: list[str], start: int) -> tuple[int, str]:
    """The closing line of the fence opened at ``start`` and its highlighted HTML."""
    opening = _FENCE.fullmatch(lines[start])
    if opening is None:
        raise _Bail
    fence = opening.group(1)
    for end in range(start + 1, len(lines)):
        if lines[end].rstrip(" ") == fence:
            if lines[end] != fence:
                raise _Bail
            stash = md.htmlStash
            stash.reset()
            md.preprocessors["fenced_code_block"].run(lines[start:end + 1])
            if stash.html_counter != 1:
                raise _Bail
            return end, str(stash.rawHtmlBlocks[0])
    raise _Bail  # never closed: Markdown renders it as text
