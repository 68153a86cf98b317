"""Time one document's own work on 1 MB bodies dense with one inline construct (or all).

    PYTHONPATH=. python bench/markdown_dense.py               # every shape at 1 MB
    PYTHONPATH=. python bench/markdown_dense.py 0.25 emphasis  # 250 KB, shapes named "emphasis..."
    PYTHONPATH=. python bench/markdown_dense.py 1 @blocks      # every shape as many short blocks

Each shape is a unit repeated to the size: in one paragraph, as many paragraphs (a blank line
every 8 units), as list items, as headings, as many short blocks (a blank line after each
unit), and as heading lines (a ``#`` heading of one unit on each line, no blank line). Prints processor seconds of ``parse_file``
(front matter, checks, Markdown, links) and of ``render_body`` alone (the Markdown), the best
of two runs with the collector paused, and which renderer took the body.
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable

from generator.markup.markdown import _local, render_body
from generator.parsing import parse_file

#: One unit of each dense shape; ``{i}`` is the unit's number.
UNITS: dict[str, str] = {
    "emphasis": "*a* ",
    "strong": "**a** ",
    "underscore emphasis": "_a_ ",
    "code spans": "`a` ",
    "links": "[a](b) ",
    "links with titles": '[a](b "t") ',
    "images": "![a](b) ",
    "cross-links": "[[slug]] ",
    "footnote references": "[^1] ",
    "autolinks": "<http://x.y> ",
    "raw inline html": "<span>a</span> ",
    "entities": "&amp; ",
    "escapes": "\\* ",
    "hard line breaks": "a  \n",
    "mixed": "*a* **b** _c_ `d` [e](f) ![g](h) [[i]] [^1] <http://j.k> <span>l</span> &amp; \\* m  \n",
    "horizontal rules": "---\n\n",
}
FOOTNOTE = "\n\n[^1]: A note.\n"


def _repeat(unit: str, size: int) -> list[str]:
    return [unit] * max(1, size // len(unit))


#: How the units are laid out: a function of (unit, size in characters) to a body.
LAYOUTS: dict[str, Callable[[str, int], str]] = {
    "paragraph": lambda unit, size: "".join(_repeat(unit, size)),
    "paragraphs": lambda unit, size: "".join(
        u + ("\n\n" if i % 8 == 7 else "") for i, u in enumerate(_repeat(unit, size))),
    "list items": lambda unit, size: "".join(
        ("- " if i % 8 == 0 else "") + u.rstrip(" \n") + ("\n" if i % 8 == 7 else " ")
        for i, u in enumerate(_repeat(unit, size))),
    "headings": lambda unit, size: "".join(
        ("## h " if i % 8 == 0 else "") + u.rstrip(" \n") + ("\n\n" if i % 8 == 7 else " ")
        for i, u in enumerate(_repeat(unit, size))),
    "blocks": lambda unit, size: "".join(u.rstrip(" \n") + "\n\n" for u in _repeat(unit, size)),
    "heading lines": lambda unit, size: "".join("# " + u.rstrip(" \n") + "\n" for u in _repeat(unit, size)),
}


def body_of(shape: str, layout: str, size: int) -> str:
    """A body of about ``size`` characters of the shape in the layout."""
    body = LAYOUTS[layout](UNITS[shape], size)
    return body + FOOTNOTE if "[^1]" in UNITS[shape] else body


def best_cpu(run: Callable[[], object]) -> float:
    """Processor seconds of ``run()``, the best of two runs with the collector paused."""
    best = float("inf")
    for _ in range(2):
        gc.collect()
        gc.disable()
        try:
            start = time.process_time()
            run()
            best = min(best, time.process_time() - start)
        finally:
            gc.enable()
    return best


def measure(body: str) -> tuple[float, float, str]:
    """Processor seconds of ``parse_file`` and of ``render_body`` on the body, and the path."""
    data = ("---\ntitle: Probe\n---\n" + body).encode("utf-8")
    whole = best_cpu(lambda: parse_file("content/pages/probe.md", data, "page", "probe", "UTC"))
    markdown = best_cpu(lambda: render_body(body))
    renderer = _local.renderer
    path = "fast" if renderer.fast is not None and renderer.fast.render(body) is not None else "markdown"
    renderer.md.reset()
    return whole, markdown, path


def main(argv: list[str]) -> None:
    """Print a table of each shape and layout's seconds at the size (in MB, 1 by default); ``@name``
    arguments pick layouts."""
    megabytes = float(argv[0]) if argv else 1.0
    wanted = [a for a in argv[1:] if not a.startswith("@")]
    layouts = [a[1:] for a in argv[1:] if a.startswith("@")] or list(LAYOUTS)
    size = int(megabytes * 1_000_000)
    print("| shape | layout | KB | parse_file s | render_body s | path |\n| --- | --- | ---: | ---: | ---: | --- |")
    for shape in UNITS:
        if wanted and not any(shape.startswith(w) for w in wanted):
            continue
        for layout in layouts:
            body = body_of(shape, layout, size)
            whole, markdown, path = measure(body)
            print(f"| {shape} | {layout} | {len(body.encode()) // 1000} | {whole:.3f} | {markdown:.3f} | {path} |",
                  flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
