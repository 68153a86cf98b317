"""A code fence opened with more than a language (```` ```rust,ignore ````, ```` ```python
title="x.py" ````, ```` ```go {hl_lines=[1]} ````) is a fence, as on GitHub and in Hugo: the
text after its block stays text, and the lines stay where they are."""

from __future__ import annotations

import pytest
from lineartime import assert_linear

from generator.markup.fences import fences_opened_as_on_github
from generator.markup.markdown import render_body


@pytest.mark.parametrize(("opening", "given"), [
    ("```rust,ignore", "```rust"), ('```python title="x.py"', "```python"), ("```go {hl_lines=[1]}", "```go"),
    ("``` shell script", "```shell"), ('```python linenums="1"', "```python"), ("```python:x.py", "```python"),
    ("```python=", "```python"), ("~~~text filename.txt", "~~~text"), ("```c++ extra", "```c++"),
    ("```{.python} x", "```{.python}"),  # an attribute list: kept whole
])
def test_an_opening_fence_with_more_than_a_language_is_given_its_language_only(opening: str, given: str) -> None:
    fence = opening[:3]
    text = f"Intro.\n\n{opening}\ncode\n{fence}\n\nAfter.\n"
    assert fences_opened_as_on_github(text) == text.replace(opening, given)


@pytest.mark.parametrize("text", [
    "```python\ncode\n```\n", "```\ncode\n```\n", '```python hl_lines="2"\na\nb\n```\n', "```{.python}\nx\n```\n",
    "``` `code` ```\n", "```rust,ignore\nnever closed\n", "Text ```rust,ignore``` inline.\n",
    "````\n```rust,ignore\n````\n",  # inside a block of four backticks: code
])
def test_fences_python_markdown_takes_and_text_that_opens_none_are_left_as_written(text: str) -> None:
    assert fences_opened_as_on_github(text) == text


def test_the_text_after_such_a_block_is_text_and_the_next_block_is_code() -> None:
    body = "```rust,ignore\nlet x = 1;\n```\n\n## Next\n\nText [[alpha]].\n\n```\nz\n```\n"
    rendered, _ = render_body(body, 5)
    html = rendered.html
    assert '<h2 id="next">Next</h2>' in html and "<p>Text \ue0000\ue001.</p>" in html
    assert html.count('<div class="highlight">') == 2 and "```" not in html
    assert [(link.target, link.line) for link in rendered.links] == [("alpha", 11)]


def test_many_fences_take_time_linear_in_their_number() -> None:
    assert_linear(lambda n: "```rust,ignore\nx\n```\n\n" * n, fences_opened_as_on_github, 5_000)
