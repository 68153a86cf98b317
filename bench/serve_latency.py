#!/usr/bin/env python3
"""Measure edit-to-browser latency of ``briefing serve`` in headless Chromium.

Copies SOURCE (without its output folder) into a temporary folder, starts the live preview
on it in-process, opens one document's page in Chromium, then edits that document's Markdown
file N times (half plain writes, half atomic renames over the file) and times each edit from
just before the write to the first contentful paint of the reloaded page that shows the new
text (the frame after the client swaps the page in place, or the first contentful paint when it
reloads: ``performance.timeOrigin`` based, the browser's own clock). Prints each
edit with the server's build time, then the median and max. The page a browser shows is
written ahead of the rest of the rebuild (``generator/render/early.py``), so an edit can show
before its build ends ("rest" is then negative).

    python bench/serve_latency.py bench/work/corpus-1k [--edits 20] [--doc content/articles/x.md] [--kind tag]

Generate a corpus with ``python3 bench/make_corpus.py --docs 1000 --out bench/work/corpus-1k``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generator.build import Builder  # noqa: E402
from generator.serve.preview import Preview  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: Armed before each edit: when the live-reload client swaps in a page showing the edit's
#: marker ("briefing:updated"), note the time of the next frame after it (the browser's own
#: clock). A swap showing an earlier edit (a rebuild's closing update can follow the page's
#: own, written ahead of it) is not this edit's.
ARM = """(marker) => {
  window.__benchArmed = true;
  window.__benchShownAt = 0;
  const shown = () => {
    if (!document.body.textContent.includes(marker)) { return; }
    document.removeEventListener("briefing:updated", shown);
    requestAnimationFrame(() => setTimeout(() => {
      window.__benchShownAt = performance.timeOrigin + performance.now();
    }, 0));
  };
  document.addEventListener("briefing:updated", shown);
}"""
#: When the page showed the new text (epoch ms): the frame after an in-place update, else the
#: first contentful paint of the reloaded page (DOMContentLoaded if the browser reports no paint).
SHOWN_AT = """() => new Promise(resolve => {
  if (window.__benchArmed) {
    const wait = () => window.__benchShownAt ? resolve(window.__benchShownAt) : setTimeout(wait, 2);
    wait();
    return;
  }
  const done = () => {
    const paint = performance.getEntriesByName("first-contentful-paint")[0];
    const nav = performance.getEntriesByType("navigation")[0];
    resolve(performance.timeOrigin + (paint ? paint.startTime : nav.domContentLoadedEventEnd));
  };
  if (performance.getEntriesByName("first-contentful-paint").length) { done(); return; }
  new PerformanceObserver(done).observe({type: "paint", buffered: true});
  setTimeout(done, 2000);
})"""


def _pick_document(source: Path, doc: str | None) -> Path:
    if doc:
        return source / doc
    articles = sorted((source / "content" / "articles").glob("*.md"))
    if not articles:
        sys.exit(f"no content/articles/*.md in {source}")
    return articles[len(articles) // 2]


def _edit(path: Path, text: str, atomic: bool) -> None:
    if atomic:
        tmp = path.with_name(f".{path.name}.bench-tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    else:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)


def _settle(preview: Preview) -> None:
    time.sleep(0.2)
    while preview.queue.pending() or not preview.served.idle.is_set():
        time.sleep(0.02)


def measure(source: Path, edits: int, doc: str | None, warmup: int, poll: bool, kind: str = "body") -> list[float]:
    """Run the benchmark; returns the edit-to-browser times in milliseconds. ``kind``: a
    ``body`` edit appends a sentence, a ``tag`` edit adds a tag (``bench/edits.py``)."""
    from edits import tag_edit, tag_name
    from playwright.sync_api import expect, sync_playwright

    work = Path(tempfile.mkdtemp(prefix="briefing-bench-serve-"))
    try:
        site = work / "src"
        shutil.copytree(source, site, ignore=shutil.ignore_patterns("site", "__pycache__"))
        target = _pick_document(site, doc)
        original = target.read_text(encoding="utf-8")
        builder = Builder(site, work / "out", quiet=True, atomic_swap=False)
        started = time.perf_counter()
        preview = Preview(builder, port=0, poll=poll, out=open(os.devnull, "w"))
        preview.start()
        print(f"first build: {(time.perf_counter() - started) * 1000:.0f} ms", flush=True)
        kind = target.parent.name
        url = f"{preview.url}{kind}/{target.stem}/"
        times: list[float] = []
        builds: list[float] = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page()
            page.goto(url)
            while preview.hub.client_count < 1:
                time.sleep(0.02)
            for i in range(warmup + edits):
                atomic = i % 2 == 1
                if kind == "tag":
                    marker = tag_name(i + 1)
                    text = tag_edit(original, i + 1, "briefing")
                else:
                    marker = f"bench-marker-{i}-{time.monotonic_ns()}"
                    text = original.rstrip("\n") + f"\n\nEdited: {marker}\n"
                page.evaluate(ARM, marker)
                before = time.time()
                _edit(target, text, atomic)
                expect(page.locator("body")).to_contain_text(marker, timeout=30000)
                elapsed = page.evaluate(SHOWN_AT) - before * 1000
                _settle(preview)
                time.sleep(0.1)  # the rebuild's closing update reaches the page before the next edit
                build = preview.loop.last_build_ms
                label = "warm-up" if i < warmup else f"edit {i - warmup + 1:2d}"
                how = "atomic rename" if atomic else "plain write  "
                print(
                    f"{label} ({how}): {elapsed:6.0f} ms  (build {build:5.0f} ms, "
                    f"rest {elapsed - build:4.0f} ms)",
                    flush=True,
                )
                if i >= warmup:
                    times.append(elapsed)
                    builds.append(build)
            browser.close()
        preview.stop()
        print(
            f"builds: median {statistics.median(builds):.0f} ms; the rest is the debounce "
            "window, the reload message, the page request and the browser's update and paint"
        )
        return times
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run, print median and max."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="a site folder (content/ and briefing.yaml)")
    parser.add_argument("--edits", type=int, default=20, help="edits to time (default 20)")
    parser.add_argument("--doc", help="the document to edit, relative to SOURCE")
    parser.add_argument("--warmup", type=int, default=1, help="untimed edits first (default 1)")
    parser.add_argument("--poll", action="store_true", help="use the polling watcher")
    parser.add_argument("--kind", choices=("body", "tag"), default="body",
                        help="append a sentence (body) or add a tag (tag) at each edit")
    args = parser.parse_args(argv)
    times = measure(args.source, args.edits, args.doc, args.warmup, args.poll, args.kind)
    print(
        f"edits: {len(times)}  median: {statistics.median(times):.0f} ms  max: {max(times):.0f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
