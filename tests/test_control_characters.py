"""Control characters pasted into content never make a feed, sitemap, data file or page invalid."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree

import feedparser
import pytest
from conftest import BASIC_SITE, build, make_site, page

from generator.model.frontmatter import normalise_text
from generator.model.text import may_hold_controls, strip_controls

#: What XML 1.0 and HTML refuse (the test's own list): C0 but tab/LF/CR, DEL, C1.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

PASTED = (
    "---\n"
    "title: Vertical\x0btab and \x1b[31mescape\x7f\n"
    'summary: "Escaped \\v vertical tab, \\e escape, \\0 nul, \\x85 next line, \\x9c and \\uffff"\n'
    "date: 2024-12-07\n"
    "tags: [\"bell\\a tag\", plain\x01tag]\n"
    "actors: [Russia]\n"
    "source:\n"
    '  name: "Wire\\x1b service"\n'
    "  url: https://example.com/wire/2\n"
    "  reliability: B\n"
    "  credibility: 2\n"
    "---\n"
    "A body with a vertical\x0btab, a form\x0cfeed, a nul\x00, an escape\x1b[0m, a DEL\x7f, "
    "a C1 \u0085\u009c and a noncharacter \ufdd0.\n\n"
    "- an item\x08 with a backspace\n"
)


@pytest.fixture
def built(tmp_path: Path) -> Path:
    site = make_site(tmp_path, {**BASIC_SITE, "briefing.yaml": "title: Test\x0bBrief\nbase_url: https://example.org/\n"
                                "description: \"A\\x1b brief\"\n",
                                "content/articles/pasted.md": PASTED.encode("utf-8")})
    result = build(site)
    assert result.code == 0, result.text
    return site / "site"


def test_the_feed_stays_valid_xml_with_pasted_control_characters(built: Path) -> None:
    data = (built / "feed.xml").read_bytes()
    root = ElementTree.fromstring(data)
    titles = [e.text for e in root.iter("{http://www.w3.org/2005/Atom}title")]
    assert "Test Brief" in titles and "Vertical tab and [31mescape" in titles
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    entry = next(e for e in parsed.entries if e.title.startswith("Vertical"))
    assert {t.term for t in entry.tags} >= {"bell tag", "plaintag"}
    assert "vertical tab" in entry.content[0].value and "form feed" in entry.content[0].value


def test_the_sitemap_stays_valid_xml(built: Path) -> None:
    root = ElementTree.fromstring((built / "sitemap.xml").read_bytes())
    assert any(loc.text.endswith("/articles/pasted/") for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc"))


def test_json_outputs_load_and_hold_no_control_character(built: Path) -> None:
    for name in ("search-index.json", "timeline.json"):
        text = (built / name).read_text(encoding="utf-8")
        json.loads(text)
        assert not FORBIDDEN.search(json.dumps(json.loads(text), ensure_ascii=False)), name
    timeline = json.loads((built / "timeline.json").read_text(encoding="utf-8"))
    assert timeline["title"]["text"]["headline"] == "Test Brief"


def test_no_output_holds_a_control_character(built: Path) -> None:
    checked = 0
    for path in built.rglob("*"):
        if path.suffix in (".html", ".xml", ".json", ".txt"):
            text = path.read_text(encoding="utf-8")
            assert not FORBIDDEN.search(text), f"{path.relative_to(built)}: {FORBIDDEN.search(text)!r}"
            assert "\ufdd0" not in text and "\uffff" not in text, path
            checked += 1
    assert checked > 10
    article = page(built, "/articles/pasted/")
    assert article.h1 == "Vertical tab and [31mescape"
    assert "Escaped   vertical tab,  escape,  nul,  next line,  and" in (built / "articles/pasted/index.html").read_text()


@pytest.mark.parametrize(("text", "expected"), [
    ("plain text\nwith lines\r\n\ttabbed", "plain text\nwith lines\r\n\ttabbed"),
    ("vertical\x0btab and form\x0cfeed", "vertical tab and form feed"),
    ("nul\x00 bell\x07 esc\x1b del\x7f c1\x85\x9c", "nul bell esc del c1"),
    ("nonchar\ufdd0\ufffe\uffff kept: \ufffd é “quotes”", "nonchar kept: \ufffd é “quotes”"),
])
def test_strip_controls_keeps_text_and_drops_controls(text: str, expected: str) -> None:
    assert strip_controls(text) == expected
    assert normalise_text(text.encode("utf-8", "surrogatepass")) == expected.replace("\r\n", "\n")


def test_the_quick_byte_test_never_misses_a_control_character() -> None:
    for code in [*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029, *range(0xFDD0, 0xFDF0), 0xFFFE, 0xFFFF]:
        char = chr(code)
        if char in "\t\n\r":
            continue
        assert may_hold_controls(f"text {char} text".encode()), hex(code)
    assert not may_hold_controls("plain “text” with é and — dashes\n".encode())


def test_escaped_control_characters_and_a_pasted_body_keep_the_feed_valid(tmp_path: Path) -> None:
    article = ('---\ntitle: "Pasted\\vtitle"\ndate: 2024-12-07\ntags: ["esc\\e tag"]\n---\n'
               "Body with a vertical\x0btab and an escape\x1b.\n")
    site = make_site(tmp_path, {**BASIC_SITE, "content/articles/pasted.md": article})
    result = build(site)
    assert result.code == 0, result.text
    data = (site / "site/feed.xml").read_bytes()
    ElementTree.fromstring(data)
    assert not feedparser.parse(data).bozo
    assert not FORBIDDEN.search(data.decode("utf-8"))


def test_a_long_ascii_text_loses_its_control_characters_as_a_short_one_does() -> None:
    clean = "<p>plain words</p>\n\t\r" * 1000
    assert strip_controls(clean) is clean
    for control in ["\x00", "\x01", "\x0b", "\x0c", "\x1f", "\x7f"]:
        dirty = clean + control + clean
        assert strip_controls(dirty) == clean + (" " if control in "\x0b\x0c" else "") + clean


def test_a_unicode_line_separator_pasted_into_front_matter_or_a_body_is_a_space() -> None:
    from generator.parsing import parse_file

    text = "---\ntitle: T\ndate: 2024-12-05\nsummary: first\u2028second\n---\nOne\u2029two.\n"
    doc, body, diags = parse_file("content/articles/t.md", text.encode(), "article", "t", "UTC")
    assert diags == [] and doc is not None and body is not None
    assert doc.summary == "first second"
    assert body.html == "<p>One two.</p>"
    assert may_hold_controls("a\u2028b".encode()) and strip_controls("a\u2028b\u2029c") == "a b c"
