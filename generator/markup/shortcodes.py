"""Shortcodes: ``{{< name >}}`` alone in a paragraph of a body, replaced by generated HTML.

The smallest mechanism that serves: the body is rendered as Markdown first, so a shortcode in
code (spans or blocks) stays text, and only a paragraph that holds nothing but the shortcode is
replaced. What a shortcode shows depends only on settings that are part of each parse's key
(the likelihood scale), so a kept parse is never stale. An unknown name is a warning.

Shortcodes: ``likelihood-scale`` (a table of the likelihood scale in use).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from generator.markup.markdown import RenderedBody
from generator.tradecraft.scales import Scale

#: A paragraph holding only a shortcode, as the Markdown renderer writes it.
_PARAGRAPH = re.compile(r"<p>\{\{&lt;\s*([A-Za-z0-9_-]+)\s*&gt;\}\}</p>")


def likelihood_table(scale: Scale | None) -> str:
    """The likelihood scale in use as an HTML table: each term with its range."""
    if scale is None:
        return '<p class="likelihood-scale-none">This site names no likelihood scale.</p>'
    rows = "".join(f"<tr><td>{html.escape(t.name[:1].upper() + t.name[1:])}</td>"
                   f"<td>{html.escape(t.range_text.replace('-', '–'))}</td></tr>\n" for t in scale.terms)
    title = html.escape(scale.title[:1].upper() + scale.title[1:])
    return ('<div class="table-wrap" role="region" tabindex="0" aria-label="Likelihood scale">\n'
            f'<table class="likelihood-scale">\n<caption>Likelihood terms: {title}</caption>\n'
            '<thead><tr><th scope="col">Term</th><th scope="col">Probability</th></tr></thead>\n'
            f"<tbody>\n{rows}</tbody>\n</table>\n</div>")


SHORTCODES: dict[str, Callable[[Scale | None], str]] = {"likelihood-scale": likelihood_table}


def expand_shortcodes(body: RenderedBody, source: str, body_line: int,
                      scale: Scale | None) -> tuple[RenderedBody, list[tuple[int, str]]]:
    """``body`` with its shortcodes replaced, and warnings (line in the file, message) about
    unknown ones. ``source`` is the Markdown body (to find a shortcode's line)."""
    if "{" not in source:  # a ``{`` of the HTML is one of the source's (entities stay entities)
        return body, []
    text = body.html
    if "{{&lt;" not in text:
        return body, []
    notes: list[tuple[int, str]] = []

    def swap(match: re.Match[str]) -> str:
        name = match.group(1)
        make = SHORTCODES.get(name)
        if make is not None:
            return make(scale)
        at = re.search(r"\{\{<\s*" + re.escape(name) + r"\s*>\}\}", source)
        line = body_line + (source.count("\n", 0, at.start()) if at else 0)
        notes.append((line, f"unknown shortcode '{name}'; expected one of: {', '.join(sorted(SHORTCODES))}"))
        return match.group(0)

    out = _PARAGRAPH.sub(swap, text)
    if out == text:
        return body, notes
    return RenderedBody(html=out, links=body.links, heading_ids=body.heading_ids,
                        first_paragraph=body.first_paragraph, words=body.words), notes
