"""The tree steps of Python-Markdown's inline pass, in time linear in the text.

After the inline patterns have turned a text into placeholders, Python-Markdown puts the
stashed elements back in the tree and walks on. Three of its steps grow with the square of
an element's size: text between placeholders is added to an element's text or tail one
piece at a time (``tail += text``: a paragraph of thousands of raw HTML tags or escapes
copies its text once per tag), the walk takes elements from the front of a list, and
elements are put in one at a time at a position found by searching the parent's children.
:class:`LinearTreeSteps` takes the same steps, in the same order, with the pieces joined
once, a queue, positions counted as it goes and elements put in as one slice: the same tree.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections import deque

from markdown import treeprocessors, util

Result = list[tuple[etree.Element, list[str]]]


#: Elements whose text :class:`~generator.markup.inline_fast.InlineFast` may render.
_FAST_TAGS = frozenset({"p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6"})
#: Headings are named by the table of contents step from their HTML, with footnote references
#: taken out of the elements and escapes undone after serialising: a heading with either is
#: left to Markdown's pass.
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


class LinearTreeSteps(treeprocessors.InlineProcessor):
    """Python-Markdown's ``run`` and placeholder steps of the inline pass, in linear time.

    With ``fast_inline`` set (an :class:`~generator.markup.inline_fast.InlineFast`), the text
    of a paragraph, list item or table cell that it renders is replaced by its HTML, stashed
    as raw HTML (which Markdown's raw-HTML step puts back in the page unchanged).
    """

    fast_inline = None

    def run(self, tree: etree.Element, ancestors: list[str] | None = None) -> etree.Element:
        """Apply the inline patterns to every text of ``tree``, as Markdown's ``run`` does."""
        self.stashed_nodes: dict[str, etree.Element | str] = {}
        tree_parents = [] if ancestors is None else ancestors[:]
        self.parent_map = {c: p for p in tree.iter() for c in p}
        stack: deque[tuple[etree.Element, list[str]]] = deque([(tree, tree_parents)])
        self._InlineProcessor__build_ancestors(tree, tree_parents)  # type: ignore[attr-defined]
        handle_inline = self._InlineProcessor__handleInline  # type: ignore[attr-defined]
        while stack:
            current, parents = stack.popleft()
            self.ancestors = parents
            if current is not tree:
                self.ancestors.append(current.tag.lower())
            insert_queue = []
            position = 0  # Markdown's ``for child in current``, which sees children put in after it
            while position < len(current):
                child = current[position]
                if child.text and not isinstance(child.text, util.AtomicString) and not self._fast(child):
                    self.ancestors.append(child.tag.lower())
                    text = child.text
                    child.text = None
                    found = self._InlineProcessor__processPlaceholders(handle_inline(text), child)
                    for item in found:
                        self.parent_map[item[0]] = child
                    stack.extend(found)
                    insert_queue.append((child, found))
                    self.ancestors.pop()
                if child.tail:
                    tail = handle_inline(child.tail)
                    dummy = etree.Element("d")
                    child.tail = None
                    found = self._InlineProcessor__processPlaceholders(tail, dummy, False)
                    if dummy.tail:
                        child.tail = dummy.tail
                    for item in found:
                        self.parent_map[item[0]] = current
                    _put(current, _index(current, child, position) + 1, found)
                if len(child):
                    self.parent_map[child] = current
                    stack.append((child, self.ancestors[:]))
                position += 1
            for element, found in insert_queue:
                _put(element, 0, found)
        return tree

    def _fast(self, element: etree.Element) -> bool:
        """Render the element's text directly, if :attr:`fast_inline` can (see the class notes)."""
        fast = self.fast_inline
        if fast is None or element.tag not in _FAST_TAGS or "a" in self.ancestors:
            return False
        text = element.text
        if element.tag in _HEADINGS and ("\\" in text or "[^" in text):
            return False
        html = fast.render(text)
        if html is None:
            return False
        element.text = self.md.htmlStash.store(html)
        if fast.stashes:  # keep Markdown's numbering of its own placeholders ("%04d" of a count)
            stashed = self.stashed_nodes
            start = len(stashed)
            stashed.update(dict.fromkeys(map("{:04d}".format, range(start, start + fast.stashes)), ""))
        return True

    def _InlineProcessor__processPlaceholders(  # noqa: N802 - Markdown's (private) name
        self, data: str | None, parent: etree.Element, isText: bool = True,  # noqa: N803
    ) -> Result:
        """The elements of a text of placeholders, its plain text given to ``parent``'s text
        (or tail) or to the tail of the element before it, as Markdown's step does."""
        result: Result = []
        pending: list[str] = []

        def flush() -> None:
            # Markdown's ``linkText`` for each pending piece, in one go.
            if not pending:
                return
            text = pending[0] if len(pending) == 1 else "".join(pending)
            pending.clear()
            if result:
                target, name = result[-1][0], "tail"
            else:
                target, name = parent, ("text" if isText else "tail")
            old = getattr(target, name)
            setattr(target, name, old + text if old else text)

        prefix = util.INLINE_PLACEHOLDER_PREFIX
        find_placeholder = self._InlineProcessor__findPlaceholder  # type: ignore[attr-defined]
        start = 0
        while data:
            index = data.find(prefix, start)
            if index == -1:
                text = data[start:]
                if isinstance(data, util.AtomicString):
                    text = util.AtomicString(text)
                if text:
                    pending.append(text)
                data = ""
                continue
            ident, end = find_placeholder(data, index)
            if ident not in self.stashed_nodes:  # not a placeholder after all: text
                stop = index + len(prefix)
                if data[start:stop]:
                    pending.append(data[start:stop])
                start = stop
                continue
            node = self.stashed_nodes.get(ident)
            if index > 0 and data[start:index]:
                pending.append(data[start:index])
            if isinstance(node, str):
                if node:
                    pending.append(node)
                start = end
                continue
            flush()
            self._children_texts(node)
            start = end
            result.append((node, self.ancestors[:]))
        flush()
        return result

    def _children_texts(self, node: etree.Element) -> None:
        """Markdown's placeholders in a stashed element's texts and tails, as its step takes
        them: the element's own tail and text, then each child's tail and text."""
        inserted = 0  # elements put into ``node`` so far, all before the next child
        for number, child in enumerate([node, *node]):
            if child.tail and child.tail.strip():
                after = 0 if number == 0 else _index(node, child, number - 1 + inserted) + 1
                inserted += self._element_text(node, child, False, after)
            if child.text and child.text.strip():
                count = self._element_text(child, child, True, 0)
                if number == 0:
                    inserted += count

    def _element_text(self, node: etree.Element, subnode: etree.Element, is_text: bool, position: int) -> int:
        """Markdown's ``__processElementText``, with the position worked out by the caller;
        returns the number of elements put into ``node``."""
        if is_text:
            text = subnode.text
            subnode.text = None
        else:
            text = subnode.tail
            subnode.tail = None
        found = self._InlineProcessor__processPlaceholders(text, subnode, is_text)
        _put(node, position, found)
        return len(found)


def _index(parent: etree.Element, child: etree.Element, guess: int) -> int:
    """Where ``child`` is among ``parent``'s children (Markdown searches; it is at ``guess``)."""
    if 0 <= guess < len(parent) and parent[guess] is child:
        return guess
    return list(parent).index(child)


def _put(parent: etree.Element, position: int, found: Result) -> None:
    """Put the found elements into ``parent`` at ``position``, in order (Markdown puts them
    in one by one, last first, at that position)."""
    if found:
        parent[position:position] = [item[0] for item in found]
