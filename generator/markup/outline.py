"""Body headings that follow one another without skipping a level, as HTML's outline wants.

A page shows the document's title as its ``<h1>``, then the body. Authors often start a body
at ``###`` (it looks the right size in their editor) or go from ``##`` to ``####``; the HTML
checker rejects a heading that skips a level ("h3 follows h1"), and a screen reader's list of
headings shows a gap. So each body heading is at most one level below the one before it (the
first at most ``<h2>``, under the title): ``### A`` then ``##### B`` become ``<h2>`` and
``<h3>``. A heading written higher than the one before stays as written, and a body whose
headings skip nothing is not changed. One pass, linear in the body.
"""

from __future__ import annotations

import re

#: A heading's start or end tag, and a start tag's level.
_HEADING_TAG = re.compile(r"<(/?)h([1-6])\b")
_HEADING_LEVEL = re.compile(r"<h([1-6])\b")


def _skips(out: str) -> bool:
    """Whether some heading is more than one level below the one before (most bodies: no)."""
    previous = 1
    for level in map(int, _HEADING_LEVEL.findall(out)):
        if level > previous + 1:
            return True
        previous = level
    return False


def outline_without_gaps(out: str) -> str:
    """``out`` (a body's HTML) with its headings' levels closed up (see the module's notes)."""
    if "<h" not in out or not _skips(out):
        return out
    previous = 1  # the page's title
    opened: list[int] = []  # the levels given to the headings open at this point
    changed = False

    def level(match: re.Match[str]) -> str:
        nonlocal previous, changed
        written = int(match.group(2))
        if match.group(1):  # an end tag: that of the heading it closes
            given = opened.pop() if opened else written
        else:
            given = min(written, previous + 1)
            previous = given
            opened.append(given)
        if given == written:
            return match.group(0)
        changed = True
        return f"<{match.group(1)}h{given}"
    fixed = _HEADING_TAG.sub(level, out)
    return fixed if changed else out
