"""Hugo's built-in shortcodes as authors moving from Hugo leave them: ``ref``/``relref`` are
cross-links (with their backlinks), ``figure`` a figure, ``highlight`` code, a callout a titled
note, an embed of another site a link with a warning, ``{{</* x */>}}`` text; code keeps them
as written, and the reading takes time linear in the text."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Html, build, make_site, page, text_of
from lineartime import assert_linear

from generator.markup.hugoshortcodes import hugo_read, ref_target
from generator.markup.markdown import render_body

BODY = """See [the other]({{< ref "b.md" >}}) and [rel]({{% relref "/articles/b.md#why" %}}), or {{< ref "b" >}}.

{{< figure src="map.png" caption="The \\"map\\" of <Hama>" >}}

{{% warning %}}
Not **confirmed**.

Second paragraph.
{{% /warning %}}

{{< highlight go "linenos=table" >}}
package main
{{< /highlight >}}

{{< youtube abc123 >}}

Write {{</* figure src="x.png" */>}} to show a figure.

```
{{< ref "kept.md" >}}
```
"""


def test_each_shortcode_is_read_as_hugo_shows_it_and_code_keeps_it() -> None:
    rendered, notes = render_body(BODY, 5)
    html = Html(rendered.html)
    assert [(link.target, link.anchor, link.label, link.line) for link in rendered.links] == [
        ("b", "", "the other", 5), ("articles/b", "why", "rel", 5), ("b", "", "", 5)]
    figure = html.one("figure")
    assert (figure.find("img").get("src"), figure.find("img").get("alt")) == ("map.png", 'The "map" of <Hama>')
    assert text_of(figure.find("figcaption")) == 'The "map" of <Hama>'
    note = html.one("div", cls="alert-warning")
    assert [text_of(p) for p in note.iter("p")] == ["Warning", "Not confirmed.", "Second paragraph."]
    codes = [text_of(c) for c in html.all("code")]
    assert codes == ["package main", '{{< ref "kept.md" >}}']
    assert [a.get("href") for a in html.all("a")] == ["https://www.youtube.com/watch?v=abc123"]
    assert 'Write {{< figure src="x.png" >}} to show a figure.' in html.text
    assert notes == [(19, "Hugo's youtube shortcode embeds content from another site, which a page here never "
                          "loads; it is shown as a link to it")]


@pytest.mark.parametrize(("path", "target"), [
    ("b.md", "b"), ("/articles/b.md#why", "articles/b#why"), ("/posts/b/index.md", "b"),
    ("notes/view", "notes/view"), ("b", "b"), ("/articles/bundle/_index.md", "articles/bundle")])
def test_a_refs_path_is_the_cross_link_target_a_slug_or_section_and_slug(path: str, target: str) -> None:
    assert ref_target(path) == target


def test_a_built_site_links_the_ref_with_a_backlink_and_shows_the_figure(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "content/articles/a.md": ("---\ntitle: Alpha\ndate: 2024-12-06\n---\n"
                                  "See [Bravo's take]({{< ref \"b.md\" >}}).\n\n"
                                  "{{< figure src=\"map.png\" caption=\"The map\" >}}\n"),
        "content/articles/map.png": b"\x89PNG\r\n\x1a\n",
        "content/articles/b.md": "---\ntitle: Bravo\ndate: 2024-12-05\n---\nB.\n",
    })
    run = build(site)
    assert run.code == 0 and ": warning:" not in run.err, run.text
    alpha = page(site / "site", "articles/a/")
    assert [a.get("href") for a in alpha.all("a") if text_of(a) == "Bravo's take"] == ["/articles/b/"]
    assert alpha.one("figure").find("img").get("src") == "/articles/map.png"
    assert "/articles/a/" in page(site / "site", "articles/b/").hrefs()  # the backlink


def test_unclosed_blocks_and_lone_closings_are_left_to_the_shortcode_warnings() -> None:
    source = "{{% note %}}\nnever closed\n\n{{< /highlight >}}\n"
    assert hugo_read(source, 1) == (source, [])


@pytest.mark.parametrize("unit", ["{{< a" + " " * 50, '{{< figure a="', "{{</* ", "{{</* x */>}} ",
                                  '[x]({{< ref "b.md" >}}) ', "{{% note %}}\n", "{{<\t"])
def test_shortcodes_are_read_in_time_linear_in_the_text(unit: str) -> None:
    assert_linear(lambda n: unit * n + "\n{{% /note %}}\n", lambda text: hugo_read(text, 1), 5_000)
