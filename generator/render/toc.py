"""A document's table of contents, read from the ids its rendered body's headings carry."""

from __future__ import annotations

import html
import re
from typing import Any

#: A level-2 or level-3 heading with an ``id`` (Python-Markdown's toc extension gives every
#: heading one, made unique within the page).
_HEADING = re.compile(r'<h([23])\b[^>]*?\bid="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
_TAG = re.compile(r"<[^>]+>")
#: Fewer headings than this and a page is short enough to need no table of contents.
MIN_HEADINGS = 3


def table_of_contents(body: str, minimum: int = MIN_HEADINGS) -> list[dict[str, Any]]:
    """``[{"id", "title", "level"}]`` for the h2/h3 headings of ``body`` (rendered HTML), or
    ``[]`` when it has fewer than ``minimum`` of them. Titles are plain text (markup removed,
    entities kept escaped as the template autoescapes them again once unescaped here)."""
    entries = []
    for level, ident, inner in _HEADING.findall(body):
        title = " ".join(html.unescape(_TAG.sub("", inner)).split())
        if title:
            entries.append({"id": html.unescape(ident), "title": title, "level": int(level)})
    return entries if len(entries) >= minimum else []
