"""Links within a page (``[the findings](#key-findings)``) that lead somewhere on it.

Authors write a heading's anchor as they see the heading (``#Key-Findings``, ``#Key%20Findings``)
or as another tool made it (``#key_findings``); the page's id is the heading's slug
(``key-findings``). A fragment that names no id on the page but whose slug is one of its ids
leads there; one that names nothing on the page is a warning at its line (a reader's click
would go nowhere). The theme's own ids (``#main``...) are on every page, and ``#top`` is the top
of any page (as browsers read it). One pass over the
body's links, linear in the body.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from generator.markup.headingids import THEME_IDS
from generator.model.slugs import slugify

_LOCAL_LINK = re.compile(r'(<a\b[^<>]*?\shref="#)([^"]+)(")')
_ANY_ID = re.compile(r'<[a-zA-Z][a-zA-Z0-9]*\b[^<>]*?\sid="([^"]*)"')
_HEADING_ID = re.compile(r'<h[1-6]\b[^<>]*?\sid="([^"]*)"')
#: At most this many fragments are looked for before the last one found (see outside.py).
_LOOK_BACK = 64


def page_anchors(out: str, source: str, body_line: int) -> tuple[str, list[tuple[int, str]]]:
    """``out`` (a body's HTML) with each fragment link that names no id but whose slug is one
    led to that id, and a warning (line in the file, message) for each that leads nowhere."""
    if 'href="#' not in out:
        return out, []
    ids = set(_ANY_ID.findall(out)) | THEME_IDS
    by_slug: dict[str, str] = {}
    for known in sorted(ids):
        by_slug.setdefault(slugify(known), known)
    missing: list[str] = []

    def lead(found: re.Match[str]) -> str:
        fragment = found.group(2)
        if fragment in ids or fragment.startswith(("fn:", "fnref:")) or fragment.lower() == "top":
            return found.group(0)
        written = unquote(fragment.replace("&amp;", "&"))
        target = written if written in ids else by_slug.get(slugify(written))
        if target is None:
            missing.append(fragment)
            return found.group(0)
        return f"{found.group(1)}{target}{found.group(3)}"

    out = _LOCAL_LINK.sub(lead, out)
    return out, _lines(missing, source, body_line, _HEADING_ID.findall(out))


def _lines(missing: list[str], source: str, body_line: int, ids: list[str]) -> list[tuple[int, str]]:
    """A warning for each fragment in ``missing`` (in the order written), at its line."""
    notes: list[tuple[int, str]] = []
    told: set[str] = set()
    at = lines = looked_back = 0
    shown = ", ".join(f"#{i}" for i in ids[:8]) + (" ..." if len(ids) > 8 else "")
    for fragment in missing:
        if fragment in told:
            continue
        told.add(fragment)
        written = f"#{fragment.replace('&amp;', '&')}"
        where = source.find(written, at)
        line = body_line + lines
        if where >= 0:
            lines += source.count("\n", at, where)
            at = where
            line = body_line + lines
        elif looked_back < _LOOK_BACK and (earlier := source.find(written, 0, at)) >= 0:
            looked_back += 1
            line = body_line + source.count("\n", 0, earlier)
        has = f"; its headings are {shown}" if ids else "; it has no heading to lead to"
        notes.append((line, f"the link to {written} leads nowhere: this page has no heading or element with "
                            f"that id{has}"))
    return notes
