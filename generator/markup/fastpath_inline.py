"""The fast path's inline pass (see :mod:`generator.markup.fastpath`), with runs of equal
texts rendered in one go.

Python-Markdown's inline pass goes breadth first: an element's children's texts in order,
their own children later. Texts that follow one another in that order and are equal (a
document of many short blocks alike, ``[^1]`` 200,000 times) are rendered by
:func:`render_copies`, as many calls of the direct inline renderer's ``render`` would render
them: it keeps the HTML of each short text of a document, and the same text again renders to
that HTML with its footnote references given ids anew. When the kept HTML refers to one
footnote only and holds no cross-link, the ids of all the copies' references are given in one
go (the next free numbers, ``next_ref_ids`` of :mod:`generator.markup.linear_footnotes`) and
each copy is filled from one template; any other text is rendered copy by copy.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from markdown.serializers import _escape_attrib_html

from generator.markup.inline_fast import InlineFast

#: An element's place in the fast path's tree: a text's slot, or a list of children.
Node = int | list


def take_copies(line: str, count: int, slots: list[str], nodes: list[Node], lane: list[tuple[int, int]],
                parts: list[str]) -> None:
    """``count`` paragraphs of one line taken at once: their slots, their nodes, their places
    in the lane of one-line paragraphs and their (empty until rendered) parts."""
    first, position = len(slots), len(parts)
    slots.extend([line] * count)
    nodes.extend(range(first, first + count))
    lane.extend(zip(range(position, position + count), range(first, first + count), strict=True))
    parts.extend([""] * count)


def inline_pass(nodes: list[Node], slots: list[str], headings: set[int], inline: InlineFast,
                heading: Callable[[int], str], names: dict[int, str],
                copies: dict[int, int]) -> list[str] | None:
    """Each slot's inline HTML, rendered in Python-Markdown's order (``heading`` renders a
    heading's slot and records its name in ``names``); ``None`` when a text is declined.
    ``copies``: slots known to be followed in their list by so many copies of their text."""
    texts = [""] * len(slots)
    queue = deque([nodes])
    render = inline.render
    while queue:
        level = queue.popleft()
        index, end = 0, len(level)
        while index < end:
            node = level[index]
            index += 1
            if not isinstance(node, int):
                queue.append(node)
                continue
            titled = node in headings
            text = slots[node]
            out = heading(node) if titled else render(text)
            if out is None:
                return None
            texts[node] = out
            run = index + copies.get(node, 0)  # the equal texts (of the same kind) that follow it
            while run < end and isinstance(level[run], int) and (level[run] in headings) == titled \
                    and slots[level[run]] == text:
                run += 1 + copies.get(level[run], 0)
            if run == index:
                continue
            same = level[index:run]
            outs = render_copies(inline, text, len(same), titled)
            if outs is None:
                outs = [heading(copy) if titled else render(text) for copy in same]
                if None in outs:
                    return None
            elif titled:
                names.update(dict.fromkeys(same, names[node]))
            if same[-1] - same[0] == len(same) - 1:  # consecutive slots (those of a list are in order)
                texts[same[0]:same[-1] + 1] = outs
            else:
                for copy, out in zip(same, outs, strict=True):
                    texts[copy] = out
            index = run
    return texts


def render_copies(inline: InlineFast, text: str, count: int, heading: bool = False) -> list[str] | None:
    """``count`` more calls of ``inline.render(text)`` (a heading's when ``heading``) right
    after one: their HTML (the text's name stays the one just made), or ``None``, nothing
    rendered, when the text is not kept or holds cross-links or references to several
    footnotes (then it is rendered call by call)."""
    found = inline._memo.get((text, True) if heading else text)  # noqa: SLF001 - the renderer's record of the text
    if found is None or found[2]:
        return None
    made, idents = found[0], found[1]
    if not idents:
        return [made] * count
    bulk = getattr(inline.footnotes, "next_ref_ids", None)
    if bulk is None or idents.count(idents[0]) != len(idents):
        return None
    after, clean = inline._after[idents[0]]  # noqa: SLF001 - kept when the text was first rendered
    template = ('<sup id="%s' + after.replace("%", "%%")).join(part.replace("%", "%%") for part in made)
    ids = bulk(idents[0], len(idents) * count)
    if not clean:
        ids = [_escape_attrib_html(ref) for ref in ids]
    if len(idents) == 1:
        return [template % ref for ref in ids]
    size = len(idents)
    return [template % tuple(ids[at:at + size]) for at in range(0, len(ids), size)]
