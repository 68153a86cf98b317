#!/usr/bin/env python3
"""CPU time per body of the three ways a body can be rendered: the fast path
(``generator/markup/fastpath.py``), tuned Python-Markdown without it, and stock Python-Markdown.

    python bench/markdown_paths.py --docs 2000            # a generated corpus (bench/work/markdown-paths/)
    python bench/markdown_paths.py --site .               # a site's own content

Prints how many bodies the fast path takes and the best of ``--runs`` passes over all bodies.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

from generator.markup.markdown import _Renderer  # noqa: E402 - after the path is set


def bodies_of(site: Path) -> list[str]:
    """The body of every Markdown file under ``site/content`` (front matter cut off)."""
    out = []
    for path in sorted((site / "content").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        out.append(text.split("\n---\n", 1)[1] if text.startswith("---\n") else text)
    return out


def best(renderer: _Renderer, bodies: list[str], runs: int) -> float:
    """The least CPU seconds of ``runs`` passes rendering every body."""
    times = []
    for _ in range(runs):
        started = time.process_time()
        for body in bodies:
            renderer.render(body, 1)
        times.append(time.process_time() - started)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--site", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    site = args.site
    if site is None:
        site = BENCH / "work" / "markdown-paths" / f"corpus-{args.docs}"
        if not (site / "content").is_dir():
            subprocess.run([sys.executable, str(BENCH / "make_corpus.py"), "--docs", str(args.docs), "--out",
                            str(site), "--force"], check=True, stdout=subprocess.DEVNULL)
    bodies = bodies_of(site)
    fast = _Renderer()
    assert fast.fast is not None
    taken = sum(fast.fast.render(body) is not None for body in bodies)
    fast.md.reset()
    tuned = _Renderer()
    tuned.fast = None
    rows = [("fast path", best(fast, bodies, args.runs)), ("tuned Python-Markdown", best(tuned, bodies, args.runs)),
            ("stock Python-Markdown", best(_Renderer(tuned=False), bodies, args.runs))]
    print(f"{len(bodies)} bodies from {site}; the fast path takes {taken}\n")
    print("| renderer | CPU s, all bodies | ms per body |\n| --- | --- | --- |")
    for name, seconds in rows:
        print(f"| {name} | {seconds:.2f} | {1000 * seconds / len(bodies):.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
