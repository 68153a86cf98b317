"""Time one document's own work (``parse_file``: front matter, Markdown, links) on paragraphs of
many inline matches, at n and 2n units, to see that doubling a body about doubles its time.

    PYTHONPATH=. python bench/markdown_shapes.py             # n = 40,000 units
    PYTHONPATH=. python bench/markdown_shapes.py 20000 links  # one size, the shapes named "links..."

Times are processor seconds (the best of two runs, the collector paused), so other work on
the machine moves them little. "<i>" in front sends a body past the fast path to
Python-Markdown.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from markdown_dense import best_cpu

from generator.parsing import parse_file

SHAPES: dict[str, Callable[[int], str]] = {
    "links and open brackets": lambda n: "[a](b) [" * n,
    "links": lambda n: "[a](b) " * n,
    "links and open link texts": lambda n: "[a](b) [c" * n,
    "links, cross-links and open brackets": lambda n: "[a](b) [[c]] [" * n,
    "images and open brackets": lambda n: "![img](x) [" * n,
    "links after raw html": lambda n: "<i>" + "[a](b) " * n,
    "links and open link texts after raw html": lambda n: "<i>" + "[a](b) [c" * n,
    "emphasis after raw html": lambda n: "<i>" + "*a* " * n,
    "code spans after raw html": lambda n: "<i>" + "`a` " * n,
    "raw html tags": lambda n: "<b> " * n,
    "escapes": lambda n: "\\* " * n,
    "autolinks": lambda n: "<http://a.b> " * n,
    "line breaks": lambda n: "a  \n" * n,
    "footnote references": lambda n: "[^1] " * n + "\n\n[^1]: x",
    "distinct footnotes": lambda n: "".join(f"[^{i}] " for i in range(n // 4)) + "\n\n"
                                    + "".join(f"[^{i}]: Note {i}.\n" for i in range(n // 4)),
}


def seconds(body: str) -> float:
    """Processor seconds of ``parse_file`` on a page with this body, the best of two runs."""
    data = ("---\ntitle: Probe\n---\n" + body).encode("utf-8")
    return best_cpu(lambda: parse_file("content/pages/probe.md", data, "page", "probe", "UTC"))


def main(argv: list[str]) -> None:
    """Print each shape's time at n and 2n units, with their ratio and the body's size."""
    n = int(argv[0]) if argv else 40_000
    wanted = argv[1:]
    print(f"| shape | KB at n | n = {n} | 2n | ratio |\n| --- | ---: | ---: | ---: | ---: |")
    for name, make in SHAPES.items():
        if wanted and not any(name.startswith(w) for w in wanted):
            continue
        body = make(n)
        single, double = seconds(body), seconds(make(2 * n))
        print(f"| {name} | {len(body.encode()) // 1000} | {single:.3f} s | {double:.3f} s | {double / single:.2f} |",
              flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
