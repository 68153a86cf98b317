"""Python-Markdown's inline pass in time linear in the text, whatever the text.

Python-Markdown applies an inline pattern to a run of text one match at a time: it finds the
next match, replaces it by a placeholder and builds the whole text again, then looks for the
next match after the placeholder. A paragraph of n links is built n times over, so 40,000
links (300 KB) take seconds. :class:`LinearInlineProcessor` finds a pattern's matches in the
text as it was before the first of them was replaced and joins the text once, after the
last: the same placeholders, in the same order, for the same matches, byte for byte.

That is exact because a replacement leaves the text after it as it was, and the next search
starts right after it. A pattern is run this way only when nothing it does can see the text
before that point (see :func:`plan_for`):

* its processor reads the text from the match on (Python-Markdown's own processors, and
  those that say so with ``reads_forward``);
* its regular expression looks behind the point where it is tried only at the start of a
  match, and only one character back: there the rewritten text holds a placeholder's last
  character, and a copy of the expression with those look-behinds decided for that
  character (:func:`neutral_copy`) is tried instead. Anything else that looks back (word
  boundaries, ``^`` in multi-line mode, longer or later look-behinds) leaves the pattern to
  Markdown's own step.

Markdown's emphasis (its delimiter processor) keeps positions from one match to the next;
:mod:`generator.markup.inline_emphasis` runs it this way too, shifting them as Markdown would
have. A processor that steps back into text already rewritten (none of Markdown's do) gets
the rewritten text, and Markdown's own step is taken there. Other patterns keep Markdown's
step. The tree steps after the patterns are in :mod:`generator.markup.inline_tree`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Iterator
from re import _compiler as sre_compile  # Python 3.11 and later (requires-python)
from re import _constants as sre_constants
from re import _parser as sre_parse
from typing import NamedTuple

import markdown
from markdown import inlinepatterns, util
from markdown.extensions.footnotes import FootnoteInlineProcessor

from generator.markup import inline_emphasis as emphasis
from generator.markup.inline_tree import LinearTreeSteps
from generator.markup.speedups import SUPPORTED, PrunedInlineProcessor

#: The character before the text that follows a placeholder.
PLACEHOLDER_END = util.INLINE_PLACEHOLDER[-1]

#: Processors whose ``handleMatch`` reads the text only from the match on and returns
#: positions at or after the match's start.
_READS_FORWARD: frozenset[type] = frozenset({
    inlinepatterns.BacktickInlineProcessor, inlinepatterns.EscapeInlineProcessor,
    inlinepatterns.SimpleTextInlineProcessor, inlinepatterns.SubstituteTagInlineProcessor,
    inlinepatterns.HtmlInlineProcessor, inlinepatterns.LinkInlineProcessor,
    inlinepatterns.ImageInlineProcessor, inlinepatterns.ReferenceInlineProcessor,
    inlinepatterns.ShortReferenceInlineProcessor, inlinepatterns.ImageReferenceInlineProcessor,
    inlinepatterns.ShortImageReferenceInlineProcessor, inlinepatterns.AutolinkInlineProcessor,
    inlinepatterns.AutomailInlineProcessor, FootnoteInlineProcessor,
})


class Plan(NamedTuple):
    """How to find a pattern's matches in the text as it was: its expression, and the copy
    to try right after a placeholder (``None`` when the expression never looks back)."""

    regex: object
    neutral: re.Pattern[str] | None
    #: For Markdown's emphasis: each delimiter's expression right after a placeholder.
    emphasis: dict[str, re.Pattern[str]] | None = None


def reads_forward(cls: type) -> bool:
    """Whether a processor class reads the text only from each match on.

    A class says so itself with ``reads_forward = True``; a class made by
    :mod:`generator.markup.linear` names the class it makes linear in ``wraps``.
    """
    if cls in _READS_FORWARD or cls.__dict__.get("reads_forward", False):
        return True
    wrapped = cls.__dict__.get("wraps")
    return isinstance(wrapped, type) and reads_forward(wrapped)


def plan_for(pattern: object) -> Plan | None:
    """How to run ``pattern`` over a text in one pass, or ``None`` to leave it to Markdown."""
    if not isinstance(pattern, inlinepatterns.InlineProcessor):
        return None
    regex = pattern.getCompiledRegExp()
    if type(pattern) is inlinepatterns.DelimiterProcessor:
        try:
            copies = emphasis.boundary_copies(pattern, neutral_copy)
            usable = copies is not None and not _looks_back(sre_parse.parse(regex.pattern, regex.flags), regex.flags)
        except Exception:  # an expression this module cannot read: Markdown's own step
            return None
        return Plan(regex, None, copies) if usable else None
    if not reads_forward(type(pattern)):
        return None
    source, flags = getattr(regex, "pattern", None), getattr(regex, "flags", None)
    if not isinstance(source, str) or not isinstance(flags, int):
        return None
    try:
        tree = sre_parse.parse(source, flags)
        if not _looks_back(tree, flags):
            return Plan(regex, None)
        if not isinstance(regex, re.Pattern) or tree.getwidth()[0] == 0:
            return None
        neutral = neutral_copy(source, flags)
    except Exception:  # an expression this module cannot read: Markdown's own step
        return None
    return None if neutral is None else Plan(regex, neutral)


def _items(tree: object) -> Iterator[tuple[object, object]]:
    """Every node of a parsed expression, nested ones included."""
    for op, av in tree:  # type: ignore[attr-defined]
        yield op, av
        yield from _nested(av)


def _nested(value: object) -> Iterator[tuple[object, object]]:
    if isinstance(value, sre_parse.SubPattern):
        yield from _items(value)
    elif isinstance(value, (tuple, list)):
        for part in value:
            yield from _nested(part)


def _looks_back(tree: object, flags: int) -> bool:
    """Whether an expression can see characters before the position it is tried at."""
    c = sre_constants
    harmless_at = {c.AT_BEGINNING_STRING, c.AT_END, c.AT_END_STRING, c.AT_END_LINE}
    if not flags & re.MULTILINE:
        harmless_at.add(c.AT_BEGINNING)  # only at the start of the whole text, never after a placeholder
    for op, av in _items(tree):
        if op in (c.ASSERT, c.ASSERT_NOT) and av[0] < 0:  # type: ignore[index]
            return True
        if op is c.AT and av not in harmless_at:
            return True
    return False


def neutral_copy(source: str, flags: int) -> re.Pattern[str] | None:
    """The expression as it behaves right after a placeholder, or ``None`` if it cannot be
    made: each look-behind at the start of a match (one character wide) is decided for the
    placeholder's last character, and removed (when it holds) or made to fail."""
    tree = sre_parse.parse(source, flags)
    if not _decide_leading(tree, flags) or _looks_back(tree, flags):
        return None
    compiled = sre_compile.compile(tree, flags)
    return compiled if compiled.groups == re.compile(source, flags).groups else None


def _decide_leading(tree: object, flags: int) -> bool:
    c = sre_constants
    items = tree.data  # type: ignore[attr-defined]
    while items and items[0][0] in (c.ASSERT, c.ASSERT_NOT) and items[0][1][0] < 0:
        op, (_, body) = items[0]
        width = body.getwidth()
        if width == (0, 0):  # only "at the start of the text": never right after a placeholder
            if any(node != (c.AT, c.AT_BEGINNING) and node != (c.AT, c.AT_BEGINNING_STRING) for node in body):
                return False
            found = False
        elif width == (1, 1) and not any(node_op is c.AT for node_op, _ in _items(body)) and not _looks_back(body, flags):
            found = sre_compile.compile(body, flags).fullmatch(PLACEHOLDER_END) is not None
        else:
            return False
        if found != (op is c.ASSERT):  # this way can never match here: a look-ahead for nothing fails at once
            items[:] = [(c.ASSERT_NOT, (1, sre_parse.SubPattern(tree.state)))]  # type: ignore[attr-defined]
            return True
        del items[0]
    if items and items[0][0] is c.BRANCH:
        return all(_decide_leading(branch, flags) for branch in items[0][1][1])
    if items and items[0][0] is c.SUBPATTERN:
        return _decide_leading(items[0][1][-1], flags)
    return True


def _matches(plan: Plan, text: str, pos: int, boundary: int) -> Iterator[re.Match[str]]:
    """The matches Markdown's ``finditer`` would find from ``pos`` in the rewritten text, as
    matches in the text as it was; a placeholder ends at ``boundary`` in the rewritten text."""
    if plan.neutral is None or pos != boundary:
        return plan.regex.finditer(text, pos)  # type: ignore[attr-defined, no-any-return]
    return _after_boundary(plan, text, pos)


def _after_boundary(plan: Plan, text: str, pos: int) -> Iterator[re.Match[str]]:
    first = plan.neutral.match(text, pos)  # type: ignore[union-attr]
    if first is not None:
        yield first
        pos = first.end()
    else:
        pos += 1
    if pos <= len(text):
        yield from plan.regex.finditer(text, pos)  # type: ignore[attr-defined]


class _Rewrite:
    """A text being rewritten by one pattern: ``text[:copied]`` is now ``pieces`` (``written``
    characters), the rest is as it was; the last placeholder ends at ``boundary``."""

    __slots__ = ("text", "pieces", "written", "copied", "boundary")

    def __init__(self, text: str):
        self.text = text
        self.pieces: list[str] = []
        self.written = self.copied = 0
        self.boundary = -1

    def replace(self, start: int, end: int, placeholder: str) -> None:
        """Replace ``text[start:end]`` (at or after ``copied``) by a placeholder."""
        self.pieces.append(self.text[self.copied:start])
        self.pieces.append(placeholder)
        self.written += start - self.copied + len(placeholder)
        self.copied = self.boundary = end

    def rebase(self) -> int:
        """Make the rewritten text the text; returns how far its positions moved."""
        shift = self.written - self.copied
        if self.pieces:
            self.text = "".join(self.pieces) + self.text[self.copied:]
            self.pieces = []
        self.written = self.copied = 0
        if self.boundary >= 0:
            self.boundary += shift
        return shift

    def put(self, start: int, end: int, placeholder: str) -> int:
        """Markdown's own replacement, in a text not being rewritten: where it searches next."""
        head = self.text[:start]
        self.text = head + placeholder + self.text[end:]
        self.boundary = len(head) + len(placeholder)
        return max(start + len(placeholder), 0)

    def result(self) -> str:
        """The rewritten text."""
        if not self.pieces:
            return self.text
        return "".join(self.pieces) + self.text[self.copied:]


class LinearInlineProcessor(PrunedInlineProcessor, LinearTreeSteps):
    """The pruned inline pass (:mod:`generator.markup.speedups`), each pattern that allows it
    run over a text in one pass (see the module notes), and the tree steps of
    :mod:`generator.markup.inline_tree`."""

    def __init__(self, md: markdown.Markdown):
        super().__init__(md)
        self._plans: dict[int, tuple[object, object, Plan | None]] = {}
        self._frames: dict[int, tuple[int, object]] = {}  # see inline_emphasis.handle
        self._plan_list: list[tuple[object, Plan | None]] = []

    def _plan(self, pattern: object) -> Plan | None:
        """The pattern's plan, worked out again if its expression was replaced."""
        regex = pattern.getCompiledRegExp() if isinstance(pattern, inlinepatterns.Pattern) else None
        found = self._plans.get(id(pattern))
        if found is None or found[0] is not pattern or found[1] is not regex:
            found = self._plans[id(pattern)] = (pattern, regex, plan_for(pattern))
        return found[2]

    def run(self, tree: etree.Element, ancestors: list[str] | None = None) -> etree.Element:
        """The inline pass over ``tree``, with each pattern's plan worked out once for it."""
        self._plan_list = [(pattern, self._plan(pattern)) for pattern in self._registry]
        return super().run(tree, ancestors)

    def apply_pattern(self, pattern: object, data: str, index: int, start: int) -> tuple[str, bool, int]:
        """Every match of the pattern from ``start`` replaced at once (then ``matched`` is
        false: the pattern is done with this text), or Markdown's one step."""
        planned = self._plan_list
        plan = planned[index][1] if index < len(planned) and planned[index][0] is pattern else self._plan(pattern)
        if plan is None:
            return super().apply_pattern(pattern, data, index, start)
        for exclude in pattern.ANCESTOR_EXCLUDES:  # type: ignore[attr-defined]
            if exclude.lower() in self.ancestors:
                return data, False, 0
        return self._run(pattern, plan, data, index, start), False, 0

    def _run(self, pattern: inlinepatterns.InlineProcessor, plan: Plan, text: str, index: int, pos: int) -> str:
        """The text with the pattern's every match from ``pos`` replaced, as Markdown's steps
        one after another leave it."""
        state = _Rewrite(text)
        handle = pattern.handleMatch
        if plan.emphasis is not None:
            frames, copies = self._frames, plan.emphasis

            def handle(m: re.Match[str], _: str) -> object:
                return emphasis.handle(frames, pattern, copies, m, state)  # type: ignore[arg-type]
        while True:
            text = state.text
            for m in _matches(plan, text, pos, state.boundary):
                found = handle(m, text)
                if found is emphasis.REBASE:
                    pos = m.start(0) + state.rebase()
                    break
                node, start, end = found  # type: ignore[misc]
                if start is not None and end is not None:
                    break
            else:
                return state.result()
            if found is emphasis.REBASE:
                continue
            if node is None:
                if end >= state.copied:  # Markdown searches on from ``end``, the text unchanged
                    pos = end
                    continue
            elif start >= state.copied and (end if end >= 0 else end + len(text)) >= state.copied:
                state.replace(start, end if end >= 0 else end + len(text), self._replace(node, pattern, index))
                pos = state.copied
                continue
            # A processor going back into the rewritten text: rewrite it, and take Markdown's
            # step there (its positions from the end of the text, negative, mean the same).
            shift = state.rebase()
            start, end = (x + shift if x >= 0 else x for x in (start, end))
            if node is None:
                pos = max(end, 0)
                continue
            pos = state.put(start, end, self._replace(node, pattern, index))

    def _replace(self, node: object, pattern: inlinepatterns.InlineProcessor, index: int) -> str:
        """A match's element with its own text run through the later patterns, stashed, as
        Markdown's step does it; returns its placeholder."""
        if not isinstance(node, str) and not isinstance(node.text, util.AtomicString):  # type: ignore[attr-defined]
            handle_inline = self._InlineProcessor__handleInline
            for child in [node, *node]:  # type: ignore[misc]
                if child.text:
                    self.ancestors.append(child.tag.lower())
                    child.text = handle_inline(child.text, index + 1)
                    self.ancestors.pop()
                if child.tail:
                    child.tail = handle_inline(child.tail, index)
        return self._InlineProcessor__stashNode(node, pattern.type())  # type: ignore[attr-defined]


def install(md: markdown.Markdown) -> LinearInlineProcessor | None:
    """Put :class:`LinearInlineProcessor` in place of ``md``'s inline pass (when this version
    of Markdown has the steps it relies on)."""
    if "inline" not in md.treeprocessors or not SUPPORTED or PLACEHOLDER_END != util.ETX:
        return None
    processor = LinearInlineProcessor(md)
    registry = md.treeprocessors
    priority = next(entry.priority for entry in registry._priority if entry.name == "inline")
    registry.register(processor, "inline", priority)
    return processor
