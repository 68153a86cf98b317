"""Where front matter ends and the body begins: ``---`` fences at the top (after blank lines,
if any), Pelican's own ``Title:`` lines, and TOML named for what it is."""

from __future__ import annotations

import random
import re
from datetime import UTC

from generator.model.document import DocType
from generator.model.frontmatter import parse_document, split
from generator.yamltree import YamlSyntaxError

PATH = "content/articles/x.md"


def _split_by_lines(content: str) -> tuple | str:
    """The definition: the first line (after blank ones, when a closed front matter follows
    them) is a '---' fence, the front matter runs to the next '---' or '...' line, the body is
    everything after it."""
    lines = content.split("\n")
    blank = next((i for i, line in enumerate(lines) if line), len(lines))
    if 0 < blank < len(lines) and re.match(r"^---[ \t]*$", lines[blank]):
        for i in range(blank + 1, len(lines)):
            if re.match(r"^(---|\.\.\.)[ \t]*$", lines[i]):
                return ("\n".join(lines[blank + 1:i]), 2 + blank, "\n".join(lines[i + 1:]), i + 2)
    if not re.match(r"^---[ \t]*$", lines[0]):
        return (None, 1, content, 1)
    for i in range(1, len(lines)):
        if re.match(r"^(---|\.\.\.)[ \t]*$", lines[i]):
            return ("\n".join(lines[1:i]), 2, "\n".join(lines[i + 1:]), i + 2)
    return "never closed"


def test_front_matter_splits_at_the_fence_lines_whatever_the_text() -> None:
    rnd = random.Random(3)
    pieces = ["---", "--- ", "...", "\n", "a: 1", "x", "", "----", " ---", "\t", "body", "\n\n"]
    for _ in range(20000):
        content = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 9)))
        try:
            parts = split(content)
            found: tuple | str = (parts.yaml_text, parts.yaml_line, parts.body, parts.body_line)
        except YamlSyntaxError:
            found = "never closed"
        assert found == _split_by_lines(content), repr(content)


def test_blank_lines_before_the_fence_and_pelicans_metadata_are_read():
    # (TOML front matter is read: tests/test_front_matter_hugo.py)
    doc, blank = parse_document(PATH, "\n\n---\ntitle: A\ndate: 2024-12-05\n---\nBody.\n", DocType.ARTICLE, "x", UTC)
    assert blank == [] and (doc.title, doc.body_line, doc.line_of("title")) == ("A", 7, 4)  # blank lines passed over
    pelican = "Title: Russia: a new phase\nDate: 2024-12-06\nTags: a, b\nSummary: One\n    two.\n\nBody.\n"
    doc, diags = parse_document(PATH, pelican, DocType.ARTICLE, "x", UTC)
    assert diags == [] and (doc.title, doc.tags, doc.summary, doc.body_line) == ("Russia: a new phase", ("a", "b"),
                                                                                "One two.", 7)
    none = parse_document(PATH, "Only text.\n", DocType.ARTICLE, "x", UTC)[1]
    assert [d.message.split(";")[0] for d in none] == ["missing"]
