"""A document's table of contents, read from the ids its rendered body's headings carry."""

from __future__ import annotations

import html
import re
from typing import Any

#: A level-2 or level-3 heading with an ``id`` (Python-Markdown's toc extension gives every
#: heading one, made unique within the page).
_HEADING = re.compile(r'<h([23])\b[^>]*?\bid="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
#: The start of such a heading, for counting those past the last entry.
_HEADING_START = re.compile(r'<h[23]\b[^>]*?\bid="')
_TAG = re.compile(r"<[^>]+>")
#: Fewer headings than this and a page is short enough to need no table of contents.
MIN_HEADINGS = 3
#: Entries a table of contents lists at most. A page of tens of thousands of headings (1 MB of
#: them) made as many links before its text, which no reader goes through (a keyboard or screen
#: reader user goes through all of them to reach the text), at a second of its build.
MAX_ENTRIES = 500


def contents(body: str, minimum: int = MIN_HEADINGS) -> tuple[list[dict[str, Any]], int]:
    """``([{"id", "title", "level"}], more)``: the first :data:`MAX_ENTRIES` h2/h3 headings of
    ``body`` (rendered HTML) and the number of those after them (0 when all are listed); no
    entry when it has fewer than ``minimum`` of them. Titles are plain text (markup removed,
    entities kept escaped as the template autoescapes them again once unescaped here)."""
    entries = []
    for match in _HEADING.finditer(body):
        level, ident, inner = match.groups()
        title = " ".join(html.unescape(_TAG.sub("", inner)).split())
        if title:
            if len(entries) == MAX_ENTRIES:
                more = 1 + sum(1 for _ in _HEADING_START.finditer(body, match.end()))
                return entries, more
            entries.append({"id": html.unescape(ident), "title": title, "level": int(level)})
    return (entries, 0) if len(entries) >= minimum else ([], 0)
