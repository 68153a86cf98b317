"""Footnotes for the fast path (:mod:`generator.markup.fastpath`): definitions read as the
footnotes extension's block step reads them, and its footnotes' ``div`` as its tree steps and
serialiser write it.

The fast path takes a footnote definition only in a top-level block of definition lines and
nothing else (``[^id]: text``, one line each, an id of letters, digits, ``_``, ``.`` or
``-``), whose text is one plain paragraph: then the extension's block step takes the whole
block (no step before it claims a block of such lines), records each definition in order (a
repeated id keeps its place and takes the last text), and leaves no element behind, so the
block before it stays the last element (a list or quote after it continues it, as the fast
path's block rules already decline). References are rendered by the direct inline renderer.

The ``div`` lists every footnote defined, in definition order (the extension's default,
``USE_DEFINITION_ORDER``: no reordering step); each item is its text's paragraph with a
no-break space and a back-link to the first reference, and one more back-link for each
further reference (its count is the extension's own record of the ids it gave), up to
``MAX_BACKLINKS`` in all, as the linear duplicates step writes them. The text is
rendered alone: Markdown appends a placeholder to it before its inline pass, which no inline
form the direct renderer takes can reach into.
"""

from __future__ import annotations

import re

import markdown
from markdown.extensions.footnotes import (
    FootnoteBlockProcessor,
    FootnoteExtension,
    FootnotePostprocessor,
    FootnotePostTreeprocessor,
    FootnoteTreeprocessor,
)
from markdown.serializers import _escape_attrib_html

from generator.markup.linear_footnotes import MAX_BACKLINKS

#: A definition line the fast path takes: an id it can write in attributes as it is.
DEFINITION = re.compile(r"\[\^([\w.-]+)\]:[ ]*(.*)")


def footnotes_of(md: markdown.Markdown) -> FootnoteExtension | None:
    """The footnotes extension of ``md`` when the fast path can render its footnotes (its
    own steps, definition order, the linear mix-ins installed), else ``None``."""
    pattern = md.inlinePatterns["footnote"] if "footnote" in md.inlinePatterns else None
    extension = getattr(pattern, "footnotes", None)
    if not isinstance(extension, FootnoteExtension) or not hasattr(extension, "number_of"):
        return None
    steps = (
        (md.parser.blockprocessors, "footnote", FootnoteBlockProcessor),
        (md.treeprocessors, "footnote", FootnoteTreeprocessor),
        (md.treeprocessors, "footnote-duplicate", FootnotePostTreeprocessor),
        (md.postprocessors, "footnote", FootnotePostprocessor),
    )
    for registry, name, kind in steps:
        if name not in registry or not isinstance(registry[name], kind):
            return None
    if "footnote-reorder" in md.treeprocessors or not extension.getConfig("USE_DEFINITION_ORDER"):
        return None
    if type(extension).makeFootnotesDiv is not FootnoteExtension.makeFootnotesDiv:
        return None
    return extension


def notes_html(extension: FootnoteExtension, texts: list[str]) -> str:
    """The footnotes' ``div``: one item per footnote defined (in definition order), ``texts``
    their paragraphs' inline HTML, after the references were rendered (their ids recorded)."""
    separator = extension.get_separator()
    title = extension.getConfig("BACKLINK_TITLE")
    arrow = extension.getConfig("BACKLINK_TEXT")
    found = extension.found_refs
    out = ['<div class="footnote">\n<hr>\n<ol>\n']
    for index, (ident, text) in enumerate(zip(extension.footnotes, texts, strict=True), start=1):
        item = extension.makeFootnoteId(ident)
        href = "#" + extension.makeFootnoteRefId(ident)
        after = f' title="{_escape_attrib_html(title.format(index))}">{arrow}</a>'
        links = [f'<a class="footnote-backref" href="{_escape_attrib_html(href)}"{after}']
        kind, rest = item.split(separator, 1)
        count = min(found.get(f"{kind}ref{separator}{rest}", 0), MAX_BACKLINKS)
        if count > 1:  # the extension's copies: ``#fnref2:id``, ``#fnref3:id``, ...
            ref, tail = href.split(separator, 1)
            before = f'<a class="footnote-backref" href="{_escape_attrib_html(ref)}'
            behind = f'{_escape_attrib_html(separator + tail)}"{after}'
            links.append(before + (behind + before).join(map(str, range(2, count + 1))) + behind)
        out.append(f'<li id="{_escape_attrib_html(item)}">\n<p>{text}&#160;{"".join(links)}</p>\n</li>\n')
    out.append("</ol>\n</div>")
    return "".join(out)
