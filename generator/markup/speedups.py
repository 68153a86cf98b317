"""Skip Python-Markdown work that cannot change a given document's HTML.

Python-Markdown tries every inline pattern on every run of text, its table-of-contents
extension builds and serialises a table of contents on every document, and its code
highlighting makes a new Pygments formatter (style sheet and all) for every code block. For
a document whose text cannot match a pattern (no ``[`` means no link), or that has no
``[TOC]`` marker, that work produces nothing, and one formatter serves every code block with
the same options. :func:`tune` installs drop-in processors that skip the work, and
:func:`reused_html_formatter` reuses formatters; the HTML is the same, byte for byte, as
without them.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable

import markdown
from markdown import treeprocessors, util
from markdown.extensions import codehilite
from markdown.extensions.toc import TocExtension, TocTreeprocessor
from pygments.formatters.html import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name

from generator.markup.inline_fast import html_is_inline

#: For each inline pattern (by its registered name), what a run of text must contain for its
#: regular expression to match there: a substring, or alternatives (any one of them), each a
#: string or a tuple of strings that must all occur. Patterns not listed are always tried.
INLINE_TRIGGERS: dict[str, str | tuple[str | tuple[str, ...], ...]] = {
    "backtick": "`",
    "escape": "\\",
    "footnote": "[^",
    "briefing-wikilink": "[[",
    "briefing-strike": "~~",
    "briefing-mark": "==",
    "reference": "[",
    "link": "[",
    "image_link": "![",
    "image_reference": "![",
    "short_reference": "[",
    "short_image_ref": "![",
    "autolink": (("<", "://"),),
    "automail": (("<", "@"),),
    "linebreak": "  \n",
    "html": "<",
    "entity": (("&", ";"),),
    "em_strong": ("*", "_"),
    "em_strong2": "_",
    "not_strong": ("*", "_"),
    "strong_em": ("*", "_"),
}

Test = Callable[[str], bool]


def _test(trigger: str | tuple[str | tuple[str, ...], ...]) -> str | Test:
    """A trigger as a substring (the common case, tested inline) or a function of the text."""
    if isinstance(trigger, str):
        return trigger
    if all(isinstance(alt, str) for alt in trigger):
        return re.compile("|".join(re.escape(alt) for alt in trigger)).search  # type: ignore[return-value]
    if len(trigger) == 1 and len(trigger[0]) == 2:
        first, second = trigger[0]
        return lambda text: first in text and second in text
    alternatives = [(alt,) if isinstance(alt, str) else alt for alt in trigger]
    return lambda text: any(all(n in text for n in alt) for alt in alternatives)


_BASE = treeprocessors.InlineProcessor
#: The private steps of Python-Markdown's inline pass that :class:`PrunedInlineProcessor`
#: relies on; without them (another Markdown version) the standard pass is used.
SUPPORTED = hasattr(_BASE, "_InlineProcessor__handleInline") and hasattr(_BASE, "_InlineProcessor__applyPattern")


class PrunedInlineProcessor(treeprocessors.InlineProcessor):
    """The standard inline pass, without trying a pattern on text that lacks its trigger.

    Python-Markdown tries each pattern in turn on a run of text; a pattern that does not match
    leaves the text as it was and the next one starts from the beginning. Skipping a pattern
    whose trigger is absent from the text does exactly that, without the search. A pattern's
    own output is a substring of what it matched or a placeholder holding no trigger, so the
    test stays exact as the text is rewritten.
    """

    def __init__(self, md: markdown.Markdown):
        super().__init__(md)
        self._registry = md.inlinePatterns
        self._tests: list[str | Test | None] = []

    def run(self, tree: etree.Element, ancestors: list[str] | None = None) -> etree.Element:
        """Apply the inline patterns to ``tree`` (a plain list of them, for speed)."""
        by_id = {id(self._registry[name]): _test(trigger) for name, trigger in INLINE_TRIGGERS.items()
                 if name in self._registry}
        self.inlinePatterns = list(self._registry)
        self._tests = [by_id.get(id(p)) for p in self.inlinePatterns]
        try:
            return super().run(tree, ancestors)
        finally:
            self.inlinePatterns = self._registry

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803
        """Markdown's loop over the patterns, skipping those that cannot match ``data``."""
        if isinstance(data, util.AtomicString):
            return data
        apply = self.apply_pattern
        patterns, tests = self.inlinePatterns, self._tests
        start = 0
        count = len(patterns)
        while patternIndex < count:
            # A pattern's trigger is looked for once, before it is first tried on the text: after
            # a match it is tried again anyway (looking again each time reread the text once per
            # match, which made a paragraph of many matches quadratic).
            test = tests[patternIndex] if start == 0 else None
            if test is not None and not (test in data if isinstance(test, str) else test(data)):
                patternIndex += 1
                continue
            data, matched, start = apply(patterns[patternIndex], data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data

    def apply_pattern(self, pattern: object, data: str, index: int, start: int) -> tuple[str, bool, int]:
        """Markdown's step of the inline pass: the text with the pattern's next match from
        ``start`` replaced, whether there was one, and where to look for the next."""
        return self._InlineProcessor__applyPattern(pattern, data, index, start)  # type: ignore[attr-defined]


class _LazyTocTreeprocessor(TocTreeprocessor):
    """Heading ids as the toc extension gives them; the table itself only when a document
    asks for it with the marker (nothing else here uses it)."""

    wanted = True

    def build_toc_div(self, toc_list: list) -> etree.Element:
        """The table of contents, or an empty element when no marker can be replaced."""
        if self.wanted:
            return super().build_toc_div(toc_list)
        return etree.Element("div")

    def replace_marker(self, root: etree.Element, elem: etree.Element) -> None:
        """Put the table where the marker is (only when the document may have one)."""
        if self.wanted:
            super().replace_marker(root, elem)


class LazyTocExtension(TocExtension):
    """The toc extension, with the table built only for documents that may show it."""

    TreeProcessorClass = _LazyTocTreeprocessor


class _Gated(treeprocessors.Treeprocessor):
    """Runs another tree processor only while ``active``."""

    def __init__(self, inner: treeprocessors.Treeprocessor):
        super().__init__(inner.md)
        self.inner = inner
        self.active = True

    def run(self, root: etree.Element) -> etree.Element | None:
        """Run the wrapped processor unless switched off for this document."""
        return self.inner.run(root) if self.active else None


class _GatedPreprocessor:
    """Runs another preprocessor only while ``active`` (else the lines are left as they are)."""

    def __init__(self, inner: object):
        self.inner = inner
        self.active = True

    def run(self, lines: list[str]) -> list[str]:
        """The wrapped preprocessor's lines, unless switched off for this document."""
        return self.inner.run(lines) if self.active else lines  # type: ignore[attr-defined]


class Tuning:
    """The switches :func:`tune` installed on one Markdown instance; call :meth:`prepare`
    with each document's source before converting it."""

    def __init__(self, md: markdown.Markdown):
        self.toc = md.treeprocessors["toc"] if "toc" in md.treeprocessors else None
        self.attr_list: _Gated | None = None
        if "attr_list" in md.treeprocessors:
            self.attr_list = _Gated(md.treeprocessors["attr_list"])
            _replace(md.treeprocessors, "attr_list", self.attr_list)
        self.md = md
        self.html_block: _GatedPreprocessor | None = None
        if "html_block" in md.preprocessors:
            self.html_block = _GatedPreprocessor(md.preprocessors["html_block"])
            _replace(md.preprocessors, "html_block", self.html_block)
        if "inline" in md.treeprocessors and SUPPORTED:
            _replace(md.treeprocessors, "inline", PrunedInlineProcessor(md))

    def prepare(self, source: str) -> None:
        """Switch off, for this document, the work its source shows cannot matter."""
        if isinstance(self.toc, _LazyTocTreeprocessor):
            self.toc.wanted = not self.toc.marker or "TOC" in source or self.toc.marker in source
        if self.attr_list is not None:
            # Attribute lists are written in braces; without one there is nothing to assign.
            self.attr_list.active = "{" in source
        if self.html_block is not None:
            # Markdown's raw-HTML step parses the whole document as HTML (a quarter of the time
            # of a paragraph of tags); where it would leave the text as it is, it is skipped.
            self.html_block.active = not html_is_inline(self.md, source)


def reused_html_formatter(lang_str: str = "", **options: object) -> HtmlFormatter:
    """Pygments' HTML formatter for code blocks, made once per set of options and reused.

    Given to codehilite as its ``pygments_formatter``. Python-Markdown makes a new formatter for
    every code block, and making one works out the whole colour scheme's style sheet, which
    is most of the cost of highlighting a short block. Formatting leaves a formatter as it
    was, so one instance serves every block with the same options; ``lang_str`` (the code
    element's class, which the HTML formatter does not use) is ignored, as it is when
    codehilite names the formatter by its alias.
    """
    key = _options_key(options)
    found = _FORMATTERS.get(key)
    if found is None:
        found = _FORMATTERS[key] = HtmlFormatter(**options)
    return found


_FORMATTERS: dict[tuple, HtmlFormatter] = {}


def _options_key(options: dict[str, object]) -> tuple:
    return tuple(sorted((name, tuple(value) if isinstance(value, list) else value)
                        for name, value in options.items()))


def reused_lexer(name: str, **options: object) -> Lexer:
    """Pygments' lexer for a language name, made once per name and options and reused.

    Installed by :func:`tune` in place of the ``get_lexer_by_name`` that codehilite calls for
    every code block: finding a lexer by name goes through every lexer Pygments has and then
    makes one, a quarter of a millisecond a block. Lexing leaves a lexer as it was (its
    options are read, never written), so one instance serves every block in that language;
    an unknown name raises ``ValueError`` (``ClassNotFound``) as before, every time.
    """
    key = (name, _options_key(options))
    found = _LEXERS.get(key)
    if found is None:
        found = _LEXERS[key] = get_lexer_by_name(name, **options)
    return found


_LEXERS: dict[tuple, Lexer] = {}


def _replace(registry: markdown.util.Registry, name: str, item: object) -> None:
    """Put ``item`` in place of the one registered as ``name``, at the same priority."""
    priority = next(entry.priority for entry in registry._priority if entry.name == name)
    registry.register(item, name, priority)


def tune(md: markdown.Markdown) -> Tuning:
    """Install the skipping processors on ``md`` (configured with :class:`LazyTocExtension`
    in place of ``toc``), and reuse Pygments lexers in codehilite (:func:`reused_lexer`)."""
    if hasattr(codehilite, "get_lexer_by_name"):
        codehilite.get_lexer_by_name = reused_lexer
    return Tuning(md)
