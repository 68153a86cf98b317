"""Links to other Markdown files, taken as cross-links: ``[the report](report.md)``,
``[it](../notes/view.md#why)`` and Pelican's ``[it]({filename}/articles/report.md)``.

An author who links one Markdown file from another (as GitHub, Obsidian and Pelican show it)
means the page made from that file, not the ``.md`` file, which is never published. Each such
link in a body's HTML becomes a cross-link placeholder, as ``[[...]]`` does, with a
:class:`~generator.model.document.LinkRef` of kind ``file`` whose target is the path as written
(without its ``#anchor``): the link graph finds the document at that path, relative to the file
that links it (``generator/graph/links.py``), so the page shows the document's URL and title as
they are now, and a path that names no document is a warning at its line.
"""

from __future__ import annotations

import html
import re
from urllib.parse import unquote

from generator.markup.htmltext import text_runs
from generator.model.document import LinkRef

#: Pelican's marker for a path from the content folder (``{filename}/articles/x.md``) or, without
#: the slash, from the linking file.
PELICAN_MARKER = "{filename}"

#: An ``<a>`` whose ``href`` is a relative path (no scheme, not rooted, not only a fragment or
#: a query; Pelican's marker may start it) to a ``.md`` or ``.markdown`` file, perhaps with a
#: fragment. Its text runs to its ``</a>``, and never past another ``<a`` (an unclosed one
#: written as raw HTML is left as it is, each looked at once).
_FILE_LINK = re.compile(
    r'<a href="((?:\{filename\}|(?![a-zA-Z][a-zA-Z0-9+.-]*:|/|#|\?))[^"#?]*?\.(?i:md|markdown))'
    r'(#[^"]*)?"(?: title="[^"]*")?>((?:[^<]|<(?!/?a[\s>]))*)</a>')
#: A quick look for what ``_FILE_LINK`` needs, in C, before it is tried at every ``<a``.
_MAY_HOLD = re.compile(r'\.(?i:md|markdown)[#"]')
#: A cross-link's placeholder in a link's text (``[[[x]]](y.md)``): no part of a label.
_PLACEHOLDER = re.compile("\ue000\\d+\ue001")


def file_links(out: str, body: str, body_line: int, first: int) -> tuple[str, list[LinkRef]]:
    """``out`` (a body's HTML) with each link to a Markdown file replaced by the placeholder of
    a cross-link numbered from ``first``, and those links, each with the line where its path is
    first written in ``body`` after the one before (``body_line`` is the body's first line)."""
    if not _MAY_HOLD.search(out):
        return out, []
    refs: list[LinkRef] = []
    at = line = 0

    def placeholder(match: re.Match[str]) -> str:
        nonlocal at, line
        written = html.unescape(match.group(1))
        found = body.find(written, at)
        if found >= 0:
            line += body.count("\n", at, found)
            at = found
        label = " ".join(html.unescape(_PLACEHOLDER.sub(" ", text_runs(match.group(3)))).split())
        anchor = html.unescape(match.group(2) or "")[1:]
        refs.append(LinkRef(unquote(written), anchor, label, body_line + line, "file"))
        return f"\ue000{first + len(refs) - 1}\ue001"
    return _FILE_LINK.sub(placeholder, out), refs
