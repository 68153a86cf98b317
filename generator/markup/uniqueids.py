"""Every id in a body once on its page: what raw HTML (``<div id="main">``) and attribute lists
(``## Summary {#doc-title}``) name is made unique, against the theme's own ids and the ids
before it, as the headings' ids already are (``headingids.py``). The HTML checker rejects a
page with an id twice, and a link to it would lead to the first only.

A heading keeps the id the table of contents gave it; any other element whose id a heading,
the theme or an earlier element has takes ``<id>-section`` for a theme's id, else ``<id>_1``,
``<id>_2``... (the first free). One pass, linear in the body.
"""

from __future__ import annotations

import re

from generator.markup.headingids import THEME_IDS

#: A start tag with an id (text in code is escaped, so no ``<`` there starts one).
_WITH_ID = re.compile(r'(<([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*?\sid=")([^"]*)(")')
_HEADING_ID = re.compile(r'<h[1-6]\b[^<>]*?\sid="([^"]*)"')
_ANY_ID = re.compile(r'<[a-zA-Z][a-zA-Z0-9]*\b[^<>]*?\sid="([^"]*)"')
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def unique_ids(out: str) -> str:
    """``out`` (a body's HTML) with each id on it once and none of the theme's (see above)."""
    if ' id="' not in out:
        return out
    every = _ANY_ID.findall(out)  # one pass in C: mostly each id is there once and none is the theme's
    if len(set(every)) == len(every) and THEME_IDS.isdisjoint(every):
        return out
    headings = set(_HEADING_ID.findall(out))
    taken: set[str] = set(THEME_IDS)
    kept_heading: set[str] = set()  # heading ids met so far, each kept by its first heading
    next_suffix: dict[str, int] = {}

    def swap(found: re.Match[str]) -> str:
        tag, value = found.group(2).lower(), found.group(3)
        if tag in _HEADINGS and value not in THEME_IDS and value not in kept_heading:
            kept_heading.add(value)
            taken.add(value)
            return found.group(0)
        if value not in taken and value not in headings:
            taken.add(value)
            return found.group(0)
        base = f"{value}-section" if value in THEME_IDS else value
        new, number = base, next_suffix.get(base, 0)
        while new in taken or new in headings:
            number += 1
            new = f"{base}_{number}"
        next_suffix[base] = number
        taken.add(new)
        return f"{found.group(1)}{new}{found.group(4)}"

    return _WITH_ID.sub(swap, out)
