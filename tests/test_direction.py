"""A site in a language written right to left (``language: ar``) is laid out right to left:
``dir="rtl"`` on its pages, and a style sheet that says start and end, never left and right;
a frame pasted into a body never widens the page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import build_ok, make_site, page


@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("he-IL", "rtl"), ("fa", "rtl"), ("en", "ltr"),
                                                     ("fr-CA", "ltr")])
def test_pages_carry_the_direction_of_the_sites_language(tmp_path: Path, language: str, direction: str) -> None:
    site = make_site(tmp_path, {
        "briefing.yaml": f"title: T\nlanguage: {language}\n",
        "content/articles/a.md": "---\ntitle: Alpha\ndate: 2024-12-05\n---\nText.\n",
    })
    out = build_ok(site)
    for url in ("", "articles/a/", "tags/"):
        root = page(out, url).root
        assert (root.get("lang"), root.get("dir")) == (language, direction), url


def test_the_style_sheet_says_start_and_end_and_caps_frames() -> None:
    css = (Path(__file__).resolve().parent.parent / "themes/default/static/style.css").read_text(encoding="utf-8")
    physical = re.findall(r"\b(?:margin|padding|border)-(?:left|right)\b|text-align:\s*(?:left|right)", css)
    assert physical == []
    assert re.search(r"\.prose iframe,\s*\.prose embed,\s*\.prose object\s*\{\s*max-width:\s*100%", css)
