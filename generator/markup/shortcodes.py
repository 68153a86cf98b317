"""Shortcodes: ``{{< name >}}`` alone in a paragraph of a body, replaced by generated HTML.

The smallest mechanism that serves: the body is rendered as Markdown first, so a shortcode in
code (spans or blocks) stays text, and only a paragraph that holds nothing but the shortcode is
replaced. What a shortcode shows depends only on settings that are part of each parse's key
(the likelihood scale), so a kept parse is never stale. An unknown name is a warning.

Shortcodes: ``likelihood-scale`` (a table of the likelihood scale in use).
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Callable

from generator.markup.rendered import RenderedBody
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


#: A shortcode in the HTML as written (Hugo's ``{{< name ... >}}`` and ``{{% name ... %}}``),
#: and code, where one is meant as text.
_WRITTEN = re.compile(r"\{\{(?:&lt;|%)\s*(/?)\s*([A-Za-z0-9_.-]+)")
_CODE = re.compile(r"<code[^>]*>.*?</code>", re.S)
#: A shortcode's opening in the Markdown source, with its name.
_OPENING = re.compile(r"\{\{[<%]\s*([A-Za-z0-9_.-]+)")


def _left_as_written(html_text: str, source: str, body_line: int) -> list[tuple[int, str]]:
    """A warning (line, message) for each shortcode left in the HTML as written, out of code:
    an unknown name, or one not alone in its paragraph (a closing tag is not counted again)."""
    notes: list[tuple[int, str]] = []
    at = lines = 0  # where the last shortcode was found, and the newlines before it
    for match in _WRITTEN.finditer(_CODE.sub("", html_text)):
        if match.group(1):
            continue
        name = match.group(2)
        found = _OPENING.search(source, at)
        while found is not None and found.group(1) != name:
            found = _OPENING.search(source, found.end())
        if found is not None:
            lines += source.count("\n", at, found.start())
            at = found.start() + 1
        line = body_line + lines
        if name in SHORTCODES:
            said = f"shortcode '{name}' takes no arguments and stands alone in its paragraph"
        else:
            near = difflib.get_close_matches(name.replace("_", "-").lower(), sorted(SHORTCODES), 1, 0.7)
            said = f"unknown shortcode '{name}'" + (f"; did you mean '{near[0]}'?" if near else
                                                    f"; expected one of: {', '.join(sorted(SHORTCODES))}")
        notes.append((line, said + " (shown as written)"))
    return notes


def expand_shortcodes(body: RenderedBody, source: str, body_line: int,
                      scale: Scale | None) -> tuple[RenderedBody, list[tuple[int, str]]]:
    """``body`` with its shortcodes replaced, and warnings (line in the file, message) about
    unknown ones. ``source`` is the Markdown body (to find a shortcode's line)."""
    if "{{" not in source:  # a ``{`` of the HTML is one of the source's (entities stay entities)
        return body, []
    text = body.html
    if "{{&lt;" not in text and "{{%" not in text:
        return body, []
    notes: list[tuple[int, str]] = []

    def swap(match: re.Match[str]) -> str:
        make = SHORTCODES.get(match.group(1))
        return make(scale) if make is not None else match.group(0)

    out = _PARAGRAPH.sub(swap, text)
    notes += _left_as_written(out, source, body_line)
    if out == text:
        return body, notes
    return RenderedBody(html=out, links=body.links, heading_ids=body.heading_ids,
                        first_paragraph=body.first_paragraph, words=body.words, files=body.files), notes
