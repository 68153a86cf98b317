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
from generator.markup.sourcelines import lines_written
from generator.model.slugs import slugify

_LOCAL_LINK = re.compile(r'(<a\b[^<>]*?\shref="#)([^"]+)(")')
_ANY_ID = re.compile(r'<[a-zA-Z][a-zA-Z0-9]*\b[^<>]*?\sid="([^"]*)"')
_OWN_LINK = re.compile(r'href="#(?!fn:|fnref:)')
_HEADING_ID = re.compile(r'<h[1-6]\b[^<>]*?\sid="([^"]*)"')


def page_anchors(out: str, source: str, body_line: int) -> tuple[str, list[tuple[int, str]]]:
    """``out`` (a body's HTML) with each fragment link that names no id but whose slug is one
    led to that id, and a warning (line in the file, message) for each that leads nowhere."""
    if 'href="#' not in out or _OWN_LINK.search(out) is None:  # footnotes' links only: nothing to look at
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
    """A warning for each fragment in ``missing`` (in the order written, each once), at its line."""
    shown = ", ".join(f"#{i}" for i in ids[:8]) + (" ..." if len(ids) > 8 else "")
    has = f"; its headings are {shown}" if ids else "; it has no heading to lead to"
    written = [f"#{fragment.replace('&amp;', '&')}" for fragment in dict.fromkeys(missing)]
    return [(line, f"the link to {link} leads nowhere: this page has no heading or element with that id{has}")
            for line, link in zip(lines_written(written, source, body_line), written, strict=True)]
