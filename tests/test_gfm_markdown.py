"""What Hugo's and GitHub's Markdown do that Python-Markdown does not: ``~~strike-through~~``
(and Obsidian's ``==highlight==``),
``- [ ]`` / ``- [x]`` task lists and bare web addresses as links (``generator/markup/gfm.py``),
the same from both renderers, left alone in code and links, in time linear in the text."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Html, build_ok, make_site, page
from lineartime import assert_linear

from generator.markup.gfm import gfm_html
from generator.markup.markdown import _Renderer, render_body

#: (Markdown, the body's HTML).
CASES = [
    ("It was ~~denied~~ confirmed.", "<p>It was <del>denied</del> confirmed.</p>"),
    ("~~**bold** and [l](https://x.org)~~", '<p><del><strong>bold</strong> and <a href="https://x.org">l</a></del></p>'),
    ("Not ~~ spaced ~~, not `~~code~~`, not ~~~three~~~.",
     "<p>Not ~~ spaced ~~, not <code>~~code~~</code>, not ~~~three~~~.</p>"),
    ("The ==key finding== holds; ==**bold** [l](https://x.org)==.",
     '<p>The <mark>key finding</mark> holds; <mark><strong>bold</strong> <a href="https://x.org">l</a></mark>.</p>'),
    ("If a == b, == alone, ==spaced ==, `==code==` and ===three=== stay.",
     "<p>If a == b, == alone, ==spaced ==, <code>==code==</code> and ===three=== stay.</p>"),
    ("Mail <analyst@example.org> or <mailto:desk@example.org>.",
     '<p>Mail <a href="mailto:analyst@example.org">analyst@example.org</a> or '
     '<a href="mailto:desk@example.org">desk@example.org</a>.</p>'),
    ("[site](www.example.org/report) and [file](www.txt) and ![i](www.x.org/a.png)",
     '<p><a href="https://www.example.org/report">site</a> and <a href="www.txt">file</a> and '
     '<img alt="i" src="www.x.org/a.png"></p>'),
    ("- [ ] check the imagery\n- [x] grade the source\n- [X] file it\n- [] not a box\n- [y] nor this",
     '<ul>\n<li><input type="checkbox" class="task" disabled aria-label="not done"> check the imagery</li>\n'
     '<li><input type="checkbox" class="task" disabled checked aria-label="done"> grade the source</li>\n'
     '<li><input type="checkbox" class="task" disabled checked aria-label="done"> file it</li>\n'
     "<li>[] not a box</li>\n<li>[y] nor this</li>\n</ul>"),
    ("- [ ] loose\n\n- [x] items\n",
     '<ul>\n<li>\n<p><input type="checkbox" class="task" disabled aria-label="not done"> loose</p>\n</li>\n'
     '<li>\n<p><input type="checkbox" class="task" disabled checked aria-label="done"> items</p>\n</li>\n</ul>'),
    ("Text [ ] in a paragraph stays.", "<p>Text [ ] in a paragraph stays.</p>"),
    ("See https://example.org/report_(2024)?a=1&b=2.",
     '<p>See <a href="https://example.org/report_(2024)?a=1&amp;b=2">https://example.org/report_(2024)?a=1&amp;b=2</a>.</p>'),
    ("(at www.nato.int, or http://x.org/y).",
     '<p>(at <a href="http://www.nato.int">www.nato.int</a>, or <a href="http://x.org/y">http://x.org/y</a>).</p>'),
    ("[named](https://a.org/) <https://b.org> `https://c.org` me@www.d.org xhttps://e.org",
     '<p><a href="https://a.org/">named</a> <a href="https://b.org">https://b.org</a> <code>https://c.org</code> '
     "me@www.d.org xhttps://e.org</p>"),
    ("[q](https://x.org/?q=50%) ![p](pic%.png) [e](a%20b%2F)",
     '<p><a href="https://x.org/?q=50%25">q</a> <img alt="p" src="pic%25.png"> <a href="a%20b%2F">e</a></p>'),
    ("> [!NOTE]\n> Useful *information*.\n\nAfter.",
     '<div class="alert alert-note" role="note">\n<p class="alert-title">Note</p>\n<p>Useful <em>information</em>.</p>\n'
     "</div>\n<p>After.</p>"),
    ("> [!WARNING]\n>\n> One.\n>\n> > nested\n>\n> Two.",
     '<div class="alert alert-warning" role="note">\n<p class="alert-title">Warning</p>\n<p>One.</p>\n'
     "<blockquote>\n<p>nested</p>\n</blockquote>\n<p>Two.</p>\n</div>"),
    ("> Plain quote, [!NOTE] later.", "<blockquote>\n<p>Plain quote, [!NOTE] later.</p>\n</blockquote>"),
    ("> From AP.\n\n> From Reuters.", "<blockquote>\n<p>From AP.</p>\n</blockquote>\n<blockquote>\n<p>From Reuters.</p>\n"
     "</blockquote>"),
    ("> One quote,\n>\n> two paragraphs.", "<blockquote>\n<p>One quote,</p>\n<p>two paragraphs.</p>\n</blockquote>"),
    ("```\nhttps://fenced.org ~~kept~~\n- [ ] kept\n```\n",
     '<div class="highlight"><pre><span></span><code>https://fenced.org ~~kept~~\n- [ ] kept\n</code></pre></div>'),
]


@pytest.mark.parametrize(("body", "expected"), CASES)
def test_strike_through_task_lists_and_bare_addresses_render_as_on_github(body: str, expected: str) -> None:
    rendered, notes = render_body(body)
    assert rendered.html == expected
    assert notes == []


@pytest.mark.parametrize(("body", "expected"), CASES)
def test_plain_python_markdown_gives_the_same_html(body: str, expected: str) -> None:
    assert _Renderer(tuned=False).render(body, 1)[0].html == expected


def test_an_mkdocs_admonition_is_a_warning_at_its_line_and_code_keeps_one() -> None:
    _, notes = render_body('Intro.\n\n!!! note "Heads up"\n    This.\n\n```\n!!! note\n```\n\nWow!!! fine.\n', 5)
    assert [(line, message.split(" is ")[0]) for line, message in notes] == [(7, "'!!! note \"Heads up\"'")]


def test_a_definition_list_and_an_abbreviation_are_warnings_at_their_lines_and_code_or_lists_are_not() -> None:
    body = ("Glossary\n\nSAM\n: surface-to-air missile\n: a second sense\n\n*[NATO]: North Atlantic Treaty\n\n"
            "```\nTerm\n: in code\n```\n\n- item\n: not a definition\n\nTime: 10:00\n")
    _, notes = render_body(body, 5)
    assert [(line, message.split(" is ")[0].split(" defines ")[0]) for line, message in notes] == [
        (8, "'SAM' then ': surface-to-air missile'"), (11, "'*[NATO]: North Atlantic Treaty'")]


def test_a_built_page_shows_them_as_elements(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "briefing.yaml": "title: T\nbase_url: https://example.org/\n",
        "content/articles/a.md": "---\ntitle: A\ndate: 2024-01-02\n---\n"
                                 "The claim was ~~confirmed~~ denied; see https://example.org/wire.\n\n"
                                 "- [x] imagery checked\n- [ ] second source\n",
    })
    body = page(build_ok(site), "articles/a/")
    assert [d.text for d in body.all("del")] == ["confirmed"]
    assert "https://example.org/wire" in body.hrefs()
    boxes = body.all("input", type="checkbox")
    assert [(b.get("checked") is not None, b.get("disabled") is not None, b.get("aria-label")) for b in boxes] == [
        (True, True, "done"), (False, True, "not done")]


@pytest.mark.parametrize("unit", ["~~a ", "~~a~~ ", "==a ", "==a== ", "https://x.org/", "www.a ", "<a href='x'>", "<code>",
                                  "- [ ] x\n", "> a\n\n", "> [!NOTE]\n> a\n\n"])
def test_many_of_them_take_time_linear_in_their_number(unit: str) -> None:
    if "<" in unit:  # HTML as written: the link finder alone
        assert_linear(lambda n: "<p>https://x.org " + unit * n + "</p>", gfm_html, 4_000)
    else:
        assert_linear(lambda n: unit * n, render_body, 4_000)


def test_a_hashtag_opening_a_line_is_text_as_on_github_and_marks_without_a_space_are_a_warning() -> None:
    body = ("Intro.\n\n#Russia #Syria trending.\n\n> #quoted\n\n##Findings\n\n# A heading\n\n"
            "```\n#code\n```\n")
    rendered, notes = render_body(body, 5)
    html = rendered.html
    assert "<p>#Russia #Syria trending.</p>" in html and "<p>#quoted</p>" in html and "<p>##Findings</p>" in html
    assert '<h1 id="a-heading">A heading</h1>' in html and "<code>#code\n</code>" in html
    assert [(line, message.split(" is not")[0]) for line, message in notes] == [(11, "'##Findings'")]


def test_hashtag_lines_take_time_linear_in_their_number() -> None:
    from generator.markup.gfm import hashtags_as_text

    assert_linear(lambda n: "#tag text\n##Head\n> #q\n" * n, lambda text: hashtags_as_text(text, 1), 20_000)


def test_a_line_ending_in_a_backslash_breaks_there_and_an_escaped_one_or_code_does_not() -> None:
    rendered, _ = render_body("One\\\nTwo.\nKept \\\\\nthree.\nLast\\\n\n```\ncode\\\nmore\n```\n", 1)
    assert rendered.html.startswith("<p>One<br>\nTwo.\nKept \\\nthree.\nLast\\</p>")
    assert "<code>code\\\nmore\n</code>" in rendered.html


def test_a_space_in_a_link_or_image_address_is_written_percent_20() -> None:
    rendered, _ = render_body("[doc](<my file.pdf>) ![map](<Hama area.png>)\n", 1)
    html = Html(rendered.html)
    assert (html.one("a").get("href"), html.one("img").get("src")) == ("my%20file.pdf", "Hama%20area.png")


def test_backslash_breaks_are_read_in_linear_time() -> None:
    from generator.markup.gfm import backslash_breaks

    assert_linear(lambda n: "a\\\nb \\\\\n" * n, backslash_breaks, 20_000)


def test_a_mail_address_in_angle_brackets_is_a_working_mailto_link_on_the_built_page(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"content/articles/a.md": "---\ntitle: A\ndate: 2024-12-05\n---\n"
                                                         "Write to <analyst@example.org>.\n"})
    out = build_ok(site)
    assert [a.get("href") for a in page(out, "articles/a/").all("a") if a.get("href", "").startswith("mailto:")] \
        == ["mailto:analyst@example.org"]
