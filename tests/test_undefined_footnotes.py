"""A footnote reference no line defines is shown as written, with a warning naming it at its
first line; code, an escaped reference and a defined one are left alone."""

from __future__ import annotations

from pathlib import Path

from conftest import BASIC_SITE, build, make_site, page, text_of

from generator.markup.markdown import render_body
from generator.markup.notecheck import MAX_WARNINGS

NOTE = """\
---
title: Footnoted
date: 2024-12-09
---
Intro.

Text [^src] and \\[^esc] and `[^a-z]` and [^ok].

Again [^src], then [^other].

```
pattern = "[^0-9]"
```

[^ok]: A defined note.
"""


def test_an_undefined_footnote_reference_is_a_warning_at_its_first_line(tmp_path: Path) -> None:
    files = dict(BASIC_SITE)
    files["content/notes/footnoted.md"] = NOTE
    site = make_site(tmp_path, files)
    run = build(site, "--strict")
    assert run.code == 1  # a warning, which --strict makes an error
    run = build(site)
    assert run.code == 0, run.text
    lines = [line for line in run.err.splitlines() if "footnote reference" in line]
    assert lines == [
        "content/notes/footnoted.md:7: warning: body: footnote reference [^src] has no definition, so it "
        "shows as written (2 references); define it on a line of its own: [^src]: the note",
        "content/notes/footnoted.md:9: warning: body: footnote reference [^other] has no definition, so it "
        "shows as written; define it on a line of its own: [^other]: the note",
    ]
    body = page(site / "site", "notes/footnoted/").one("div", "doc-body")
    assert "Text [^src] and [^esc] and [^a-z] and 1." in text_of(body)
    assert [a.get("href") for a in body.iter("a") if a.get("class") == "footnote-ref"] == ["#fn:ok"]


def test_many_undefined_footnotes_make_a_bounded_number_of_warnings() -> None:
    body = "".join(f"Paragraph [^n{i}].\n\n" for i in range(3 * MAX_WARNINGS))
    _, notes = render_body(body, 4)
    assert len(notes) == MAX_WARNINGS + 1
    assert notes[0] == (4, "footnote reference [^n0] has no definition, so it shows as written; "
                           "define it on a line of its own: [^n0]: the note")
    assert notes[-1][1] == f"and {2 * MAX_WARNINGS} more footnote references with no definition"


def test_a_reference_after_an_escaped_backslash_is_a_reference() -> None:
    # "\\[^x]" is a backslash, then a reference; "\\\[^y]" a backslash, then "[^y]" as written
    _, notes = render_body("A \\\\[^x] and \\\\\\[^y].\n", 1)
    assert [message.split(" has ")[0] for _, message in notes] == ["footnote reference [^x]"]


def test_a_footnote_defined_twice_is_a_warning_at_the_second_naming_the_first() -> None:
    from generator.markup.markdown import render_body

    body = ("Text[^a] more[^b].\n\n[^a]: Note A.\n[^b]: B\n\n```\n[^a]: in code\n```\n\n"
            "    [^a]: indented code\n\n[^a]: Note A again.\n")
    rendered, notes = render_body(body, 5)
    assert "Note A again." in rendered.html and "Note A." not in rendered.html.replace("Note A again.", "")
    assert notes == [(16, "footnote [^a] is defined again (first on line 7): only this last definition is shown; "
                          "give each note its own name")]


def test_footnotes_defined_twice_are_found_in_time_linear_in_their_number() -> None:
    from lineartime import assert_linear

    from generator.markup.notecheck import footnotes_defined_twice

    assert_linear(lambda n: "".join(f"[^n{i % 50}]: note\n" for i in range(n)),
                  lambda text: footnotes_defined_twice(text, 1), 20_000)
