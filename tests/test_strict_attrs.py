"""Text in braces is an attribute list only when written as one (``{#id .class key=value}``, as
Hugo and kramdown read it); ``{redacted}``, ``{sic}`` or ``{1, 2, 3}`` stay text on the page."""

from __future__ import annotations

import pytest

from generator.markup.markdown import _Renderer, render_body

CASES = [
    ("The commander, named as\n{redacted}", "<p>The commander, named as\n{redacted}</p>"),
    ("Quote:\n{name withheld by request}", "<p>Quote:\n{name withheld by request}</p>"),
    ("## Set {1, 2, 3}", '<h2 id="set-1-2-3">Set {1, 2, 3}</h2>'),
    ("- item\n  {sic}", "<ul>\n<li>item\n  {sic}</li>\n</ul>"),
    ("*em*{sic} after", "<p><em>em</em>{sic} after</p>"),
    ("Quote {source: withheld}", "<p>Quote {source: withheld}</p>"),
    ("A lead.\n{: .lead }", '<p class="lead">A lead.</p>'),
    ("## Real {#real .x}", '<h2 class="x" id="real">Real</h2>'),
    ('Data.\n{data-kind="note" .box}', '<p class="box" data-kind="note">Data.</p>'),
    ("![i](x.png){ width=50% } and *e*{.c}", '<p><img alt="i" src="x.png" width="50%"> and <em class="c">e</em></p>'),
]


@pytest.mark.parametrize(("body", "html"), CASES)
def test_braces_are_attributes_only_when_every_part_is_an_id_a_class_or_a_key_value(body: str, html: str) -> None:
    assert render_body(body)[0].html == html
    assert _Renderer(tuned=False).render(body, 1)[0].html == html
