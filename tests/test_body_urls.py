"""The quick test for URLs relative to a body's Markdown file: exactly the scan it was (every
``src``/``href``/``poster`` value looked at in turn) on bodies with a few or very many such
values."""

from __future__ import annotations

import random
import re

from lineartime import assert_linear

from generator.markup.localfiles import may_be_relative

_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")


def _scan(fragment: str) -> bool:
    """The scan as it was: each value of each attribute looked at in turn."""
    for attr in ('src="', 'href="', 'poster="'):
        at = fragment.find(attr)
        while at >= 0:
            value = at + len(attr)
            if fragment[value:value + 1] not in ("/", "#", "?", '"') and not _SCHEME.match(fragment, value):
                return True
            at = fragment.find(attr, value)
    return False


VALUES = ["#fn:1", "/root/x", "?q=1", "", "https://e.org/", "mailto:a@b", "map.png", "../up", "//cdn/x", "a+b:c",
          "1a:b", "x-y.z"]


def test_many_fragment_links_then_one_relative_url_is_found() -> None:
    links = '<sup><a class="footnote-ref" href="#fn:1">1</a></sup> ' * 500
    assert may_be_relative(links + '<img alt="m" src="map.png">')
    assert may_be_relative(links + '<a href="notes/">n</a>')
    assert not may_be_relative(links + '<a href="/rooted/">r</a><a href="https://e.org/">e</a>')


def test_the_quick_test_is_the_scan_on_random_bodies() -> None:
    rng = random.Random(3)
    for _ in range(3000):
        count = rng.choice([1, 5, 63, 64, 65, 200])
        common = rng.choice(VALUES[:5])
        values = [common if rng.random() < 0.97 else rng.choice(VALUES) for _ in range(count)]
        attrs = [rng.choice(["href", "href", "src", "poster"]) for _ in values]
        fragment = "".join(f'<x {attr}="{value}">t</x>' for attr, value in zip(attrs, values, strict=True))
        assert may_be_relative(fragment) == _scan(fragment), fragment
        cut = fragment[:rng.randint(0, len(fragment))]  # a value may end the text
        assert may_be_relative(cut) == _scan(cut), cut


def test_only_tags_are_rebased_and_a_file_name_with_a_space_is_percent_encoded(tmp_path) -> None:
    from conftest import build_ok, make_site, page, text_of

    site = make_site(tmp_path, {
        "content/articles/a.md": (
            "---\ntitle: A\ndate: 2024-12-05\n---\n"
            'In the CMS, set src="logo.png" and href="page.html" on the banner.\n\n'
            "![a chart](<my chart.png>) and ![the same](my%20chart.png)\n\n"
            '<video src="clip.mp4" poster="still.png"></video>\n'),
        "content/articles/my chart.png": b"\x89PNG\r\n\x1a\n",
    })
    out = build_ok(site)
    html = page(out, "articles/a/")
    prose = next(p for p in html.all("p") if "CMS" in text_of(p))
    assert text_of(prose) == 'In the CMS, set src="logo.png" and href="page.html" on the banner.'
    assert [img.get("src") for img in html.all("img") if img.get("alt") in ("a chart", "the same")] == [
        "/articles/my%20chart.png", "/articles/my%20chart.png"]
    assert (out / "articles" / "my chart.png").is_file()
    video = html.one("video")
    assert (video.get("src"), video.get("poster")) == ("/articles/clip.mp4", "/articles/still.png")


def test_an_image_frame_or_script_from_another_site_is_a_warning_at_its_line_and_a_link_is_not() -> None:
    from generator.parsing import parse_file

    body = ("A [link](https://example.org/report) to read.\n\n![map](https://example.org/map.png)\n\n"
            "![p](//cdn.example.org/y.png) and ![here](map.png)\n\n"
            '<iframe src="https://video.example.org/embed/1"></iframe>\n\n'
            "`<img src=\"https://example.org/code.png\">` in code is text.\n")
    text = "---\ntitle: T\ndate: 2024-12-05\n---\n" + body
    _, _, diags = parse_file("content/articles/t.md", text.encode(), "article", "t", "UTC")
    tail = ("a reader's browser fetches it from there, which an offline or air-gapped reader cannot; save the "
            "file next to the document and give its name")
    assert [str(d) for d in diags] == [
        f"content/articles/t.md:7: warning: body: an image from another site (https://example.org/map.png): {tail}",
        f"content/articles/t.md:9: warning: body: an image from another site (//cdn.example.org/y.png): {tail}",
        f"content/articles/t.md:11: warning: body: a frame from another site (https://video.example.org/embed/1): "
        f"{tail}"]


def test_an_address_defined_at_the_end_of_the_body_does_not_move_the_lines_of_those_after_its_use() -> None:
    from generator.parsing import parse_file

    body = ("See ![map][m] first.\n\n"
            '<iframe src="https://video.example.org/embed/1"></iframe>\n\n'
            "![late](https://example.org/late.png)\n\n"
            "[m]: https://example.org/map.png\n")
    text = "---\ntitle: T\ndate: 2024-12-05\n---\n" + body
    _, _, diags = parse_file("content/articles/t.md", text.encode(), "article", "t", "UTC")
    assert sorted((d.line, d.message.split(" from")[0]) for d in diags) == [
        (7, "a frame"), (9, "an image"), (11, "an image")]


def test_many_addresses_defined_at_the_end_are_placed_in_time_linear_in_their_number() -> None:
    from generator.markup.outside import fetched_from_outside

    def made(n: int) -> tuple[str, str]:
        source = "".join(f"![m{i}][r{i}]\n" for i in range(n)) + "".join(
            f"[r{i}]: https://e.org/{i}.png\n" for i in reversed(range(n)))
        page = "".join(f'<img alt="m{i}" src="https://e.org/{i}.png">\n' for i in range(n))
        return page, source

    assert_linear(made, lambda given: fetched_from_outside(given[0], given[1], 1), 5_000)


def test_styles_and_drawings_from_another_site_and_paths_on_the_authors_computer_are_warnings_at_their_lines() -> None:
    from generator.parsing import parse_file

    body = ('<div style="background:url(https://evil.example/t.gif)">x</div>\n\n'
            '<style>@import url("https://fonts.example/x.css");</style>\n\n'
            '<svg width="10" height="10"><image href="https://t.example/i.png"/></svg>\n\n'
            "![a](C:\\Users\\me\\x.png) and [doc](file:///S:/share/report.docx)\n\n"
            '[a link](https://example.org/page) and <div style="color: red">local style</div>\n')
    text = "---\ntitle: T\ndate: 2024-12-05\n---\n" + body
    _, _, diags = parse_file("content/articles/t.md", text.encode(), "article", "t", "UTC")
    assert [(d.line, d.message.split(":")[0]) for d in diags] == [
        (5, "a style's image, font or sheet from another site (https"),
        (7, "a style's image, font or sheet from another site (https"),
        (9, "an image from another site (https"),
        (11, "a path on the author's computer (C"),
        (11, "a path on the author's computer (file")]


def test_a_relative_path_written_with_backslashes_is_a_path_with_slashes(tmp_path) -> None:
    from conftest import build, make_site, page

    site = make_site(tmp_path, {
        "content/articles/a.md": "---\ntitle: A\ndate: 2024-12-05\n---\n![chart](img\\chart.png)\n",
        "content/articles/img/chart.png": b"\x89PNG\r\n\x1a\n",
    })
    run = build(site)
    assert run.code == 0 and "warning:" not in run.err, run.text
    assert page(site / "site", "articles/a/").one("img", alt="chart").get("src") == "/articles/img/chart.png"


def test_many_images_from_other_sites_and_unknown_shortcodes_are_reported_in_time_linear_in_their_number() -> None:

    from generator.markup.outside import fetched_from_outside
    from generator.markup.shortcodes import _left_as_written

    def made(n: int) -> tuple[str, str, int]:
        source = "".join(f"![m](https://e.org/{i}.png) {{{{< sc{i % 50} >}}}}\n" for i in range(n))
        page = "".join(f'<img alt="m" src="https://e.org/{i}.png"> {{{{&lt; sc{i % 50} &gt;}}}}\n' for i in range(n))
        return page, source, n

    def reported(given: tuple[str, str, int]) -> None:
        page, source, n = given
        assert len(fetched_from_outside(page, source, 1)) == n
        assert len(_left_as_written(page, source, 1)) == n
    assert_linear(made, reported, 5_000)


def test_rooted_links_in_a_body_go_under_the_base_path_and_cross_links_are_not_doubled(tmp_path) -> None:
    from conftest import build_ok, make_site, page, text_of

    site = make_site(tmp_path, {
        "briefing.yaml": "title: T\nbase_url: https://example.org/briefs/\n",
        "content/articles/a.md": (
            "---\ntitle: A\ndate: 2024-12-05\n---\n"
            "See [about](/pages/about/), [b](/briefs/articles/b/), [[b]], ![m](/static/m.png) "
            "and [other](https://example.com/pages/about/).\n\n"
            'In the CMS, set href="/pages/about/" on the banner.\n'),
        "content/articles/b.md": "---\ntitle: B\ndate: 2024-12-05\n---\nB.\n",
        "content/pages/about.md": "---\ntitle: About\n---\nAbout.\n",
        "static/m.png": b"\x89PNG\r\n\x1a\n",
    })
    html = page(build_ok(site), "articles/a/")
    body = html.one("div", "doc-body")
    assert [a.get("href") for a in body.iter("a")] == [
        "/briefs/pages/about/", "/briefs/articles/b/", "/briefs/articles/b/", "https://example.com/pages/about/"]
    assert html.one("img", alt="m").get("src") == "/briefs/static/m.png"
    assert 'set href="/pages/about/" on' in text_of(body)
    from xml.etree import ElementTree

    from conftest import Html

    atom = "{http://www.w3.org/2005/Atom}"
    entries = ElementTree.parse(site / "site" / "feed.xml").getroot().iter(f"{atom}entry")
    content = next(e for e in entries if e.findtext(f"{atom}title") == "A").findtext(f"{atom}content")
    assert Html(content).hrefs() == [
        "https://example.org/briefs/pages/about/", "/briefs/articles/b/", "https://example.org/briefs/articles/b/",
        "https://example.com/pages/about/"]


def test_a_link_from_the_sites_root_to_no_page_or_file_of_it_is_a_warning_at_its_line(tmp_path) -> None:
    from conftest import build, make_site

    site = make_site(tmp_path, {
        "briefing.yaml": "title: T\nbase_url: https://example.org/briefs/\n",
        "content/articles/a.md": (
            "---\ntitle: A\ndate: 2024-12-05\n---\n"
            "[b](/articles/b/) [b2](/articles/b) [b3](/briefs/articles/b/#x) [home](/) [feed](/feed.xml)\n"
            "![m](/static/m.png) [gone](/articles/gone/) `[code](/nowhere/)`\n\n"
            "[also gone](/briefs/notes/missing/?q=1)\n"),
        "content/articles/b.md": "---\ntitle: B\ndate: 2024-12-05\n---\nB.\n",
        "static/m.png": b"\x89PNG\r\n\x1a\n",
    })
    run = build(site)
    assert run.code == 0, run.text
    assert [line for line in run.err.splitlines() if ": warning:" in line] == [
        "content/articles/a.md:6: warning: link: /articles/gone/ is no page or file of this site",
        "content/articles/a.md:8: warning: link: /briefs/notes/missing/ is no page or file of this site"]


def test_a_path_that_differs_from_a_file_or_page_only_in_capitals_names_it_in_the_warning(tmp_path) -> None:
    from conftest import build, make_site

    site = make_site(tmp_path, {
        "content/articles/a.md": "---\ntitle: A\ndate: 2024-12-05\n---\n![c](chart.PNG) ![d](Chart.png) "
                                 "[b](/Articles/B/) [x](nothere.png)\n",
        "content/articles/b.md": "---\ntitle: B\ndate: 2024-12-05\n---\nB.\n",
        "content/articles/Chart.png": b"\x89PNG\r\n\x1a\n",
    })
    run = build(site)
    warned = [line.split(": warning: link: ")[1] for line in run.err.splitlines() if ": warning: link: " in line]
    tail = ", written with other capitals (a web host tells them apart)"
    assert warned == [
        "/Articles/B/ is no page or file of this site; the site has /articles/b/" + tail,
        "chart.PNG names content/articles/chart.PNG, which is no file or page of this site; the site has "
        "content/articles/Chart.png" + tail,
        "nothere.png names content/articles/nothere.png, which is no file or page of this site"]
