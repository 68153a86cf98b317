"""A TLP marking written somewhere other than ``marking:`` (``TLP: RED``, ``classification:``,
``handling:``, a ``TLP:AMBER`` tag, a ``**TLP:RED**`` banner line opening the text) is read as
the marking, with a warning: the document is never published to an audience it was not for."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import build, make_site

from generator.model.document import DocType
from generator.model.frontmatter import parse_document


def _parsed(front: str, body: str = "Text.") -> tuple[str | None, list[str]]:
    doc, diags = parse_document("content/articles/a.md", f"---\ntitle: T\ndate: 2024-12-06\n{front}\n---\n{body}\n",
                                DocType.ARTICLE, "a")
    assert doc is not None
    return doc.marking, [str(d) for d in diags]


@pytest.mark.parametrize(("front", "body", "marking", "line"), [
    ("TLP: RED", "Text.", "TLP:RED", 4),
    ("tlp: amber", "Text.", "TLP:AMBER", 4),
    ("classification: TLP:RED", "Text.", "TLP:RED", 4),
    ("marking\u00a0: TLP:AMBER+STRICT", "Text.", "TLP:AMBER+STRICT", 4),
    ("handling: TLP:RED", "Text.", "TLP:RED", 4),
    ("tlp_level: red", "Text.", "TLP:RED", 4),
    ("sensitivity: TLP:GREEN", "Text.", "TLP:GREEN", 4),
    ("tags: [air defence, TLP:AMBER]", "Text.", "TLP:AMBER", 4),
    ("", "**TLP:AMBER**\n\nThe report.", "TLP:AMBER", 6),
    ("marking: TLP:GREEN", "The report.\n\n*TLP: RED*", "TLP:RED", 8),
])
def test_a_marking_written_elsewhere_is_the_documents_marking_with_a_warning_at_its_line(
        front: str, body: str, marking: str, line: int) -> None:
    got, diags = _parsed(front, body)
    assert got == marking
    assert len(diags) == 1 and diags[0].startswith(f"content/articles/a.md:{line}: warning: ")
    assert f"reads as the marking {marking}" in diags[0] and f"write marking: {marking}" in diags[0]


@pytest.mark.parametrize(("front", "body", "marking"), [
    ("marking: TLP:RED\ntlp: green", "Text.", "TLP:RED"),  # never lowered
    ("marking: TLP:GREEN", "Text about why TLP:RED exists.", "TLP:GREEN"),  # prose, not a banner
    ("summary: TLP:AMBER", "Text.", None),  # a known key's text is what it says
    ("", "Text.\n\n    TLP:RED\n\nMore.", None),  # not the first or last line
])
def test_a_marking_is_never_lowered_and_prose_about_markings_is_not_one(front: str, body: str, marking: str | None) -> None:
    assert _parsed(front, body) == (marking, [])


def test_an_audience_build_leaves_out_a_document_marked_under_another_key(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "content/articles/a.md": "---\ntitle: Alpha\ndate: 2024-12-05\nTLP: RED\n---\nKestrel met the handler.\n",
        "content/articles/b.md": "---\ntitle: Bravo\ndate: 2024-12-05\n---\n**TLP:AMBER**\n\nThe convoy.\n",
        "content/articles/c.md": "---\ntitle: Charlie\ndate: 2024-12-05\n---\nOpen text.\n",
    })
    run = build(site, "--audience", "TLP:CLEAR")
    assert run.code == 0, run.text
    out = site / "site"
    assert (out / "articles/c/index.html").is_file()
    assert not (out / "articles/a").exists() and not (out / "articles/b").exists()
    everything = "".join(p.read_text(encoding="utf-8", errors="replace") for p in out.rglob("*") if p.is_file())
    assert "Kestrel" not in everything and "convoy" not in everything
