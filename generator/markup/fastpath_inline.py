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


def inline_pass(nodes: list[Node], slots: list[str], headings: set[int], inline: InlineFast,
                heading: Callable[[int], str]) -> list[str] | None:
    """Each slot's inline HTML, rendered in Python-Markdown's order (``heading`` renders a
    heading's slot); ``None`` when a text is declined."""
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
            elif node in headings:
                texts[node] = heading(node)
            else:
                text = slots[node]
                run = index
                while run < end and isinstance(level[run], int) and level[run] not in headings \
                        and slots[level[run]] == text:
                    run += 1
                outs = render_copies(inline, text, run - index + 1) if run > index else [render(text)]
                if outs is None or outs[0] is None:
                    return None
                texts[node] = outs[0]
                for copy, out in zip(level[index:run], outs[1:], strict=True):
                    texts[copy] = out
                index = run
    return texts


def render_copies(inline: InlineFast, text: str, count: int) -> list[str] | None:
    """``count`` calls of ``inline.render(text)`` in a row (a paragraph's text): their HTML,
    or ``None`` when the text is declined."""
    first = inline.render(text)
    if first is None:
        return None
    found = inline._memo.get(text)  # noqa: SLF001 - the renderer's record of the text, just made or used
    if found is None or found[2]:  # not kept (a long text), or with cross-links: one by one
        return _one_by_one(inline, text, count, first)
    made, idents = found[0], found[1]
    if not idents:
        return [first] * count
    bulk = getattr(inline.footnotes, "next_ref_ids", None)
    if bulk is None or idents.count(idents[0]) != len(idents):
        return _one_by_one(inline, text, count, first)
    after, clean = inline._after[idents[0]]  # noqa: SLF001 - kept when the text was first rendered
    template = ('<sup id="%s' + after.replace("%", "%%")).join(part.replace("%", "%%") for part in made)
    ids = bulk(idents[0], len(idents) * (count - 1))
    if not clean:
        ids = [_escape_attrib_html(ref) for ref in ids]
    if len(idents) == 1:
        return [first, *(template % ref for ref in ids)]
    size = len(idents)
    return [first, *(template % tuple(ids[at:at + size]) for at in range(0, len(ids), size))]


def _one_by_one(inline: InlineFast, text: str, count: int, first: str) -> list[str] | None:
    outs = [first]
    for _ in range(count - 1):
        out = inline.render(text)
        if out is None:
            return None
        outs.append(out)
    return outs
