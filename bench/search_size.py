#!/usr/bin/env python3
"""Search index size and query time at 10,000 documents, measured in headless Chromium.

Generates the corpus with the project's own generator (``bench/make_corpus.py``), builds it
with ``briefing build``, reports the raw and gzipped size of ``search-index.json``, then serves
the site on localhost and, in headless Chromium, loads ``/search/`` and times queries through
the page itself (the form's submit runs the search and draws the results; a layout is forced
so the time includes it). Each query is timed cold (the first time, which decodes its words'
postings) and warm. Queries include an alias (``khmeimim``) and joined forms (``ezzor`` for
Deir ez-Zor, ``alsham`` for Hayat Tahrir al-Sham)::

    python bench/search_size.py                 # 10,000 documents under bench/work/
    python bench/search_size.py --docs 1000 --json

Goals (issue 19): under 1 MB gzipped and under 50 ms a query at 10,000 documents. Timings on a
shared machine are noisy; run it a few times.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from corpora import default_script, ensure  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
QUERIES = ["khmeimim", "ezzor", "alsham", "russia", "air defence", "logistics routes", "hts",
           "kiev", "odessa strikes", "reinforces", "ru", "s"]
WARM_RUNS = 5
GOAL_GZIP = 1_000_000
GOAL_MS = 50.0

_TIME_QUERY = """async (query) => {
  const form = document.querySelector("form.search-form");
  const input = document.getElementById("search-input");
  const list = document.getElementById("search-results");
  const t0 = performance.now();
  input.value = query;
  form.dispatchEvent(new Event("submit", { cancelable: true }));
  void list.offsetHeight;
  const t1 = performance.now();
  return { ms: t1 - t0, results: list.children.length,
           status: document.getElementById("search-status").textContent };
}"""

_TIME_LOAD = """async (url) => {
  const t0 = performance.now();
  const data = await (await fetch(url)).json();
  const t1 = performance.now();
  return { ms: t1 - t0, rows: data.d.length };
}"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def build(corpus: Path, out: Path) -> float:
    """``briefing build`` of the corpus (no cache); returns its wall time in seconds."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "generator", "build", "--source", str(corpus), "--output", str(out),
                    "--no-cache", "--quiet"], check=True, cwd=REPO)
    return time.perf_counter() - start


def measure_browser(site: Path) -> dict:
    """Query times in headless Chromium, with the site served on localhost."""
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    outside: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                 args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(origin + "/")
                       else (outside.append(route.request.url), route.abort()))
            page.goto(origin + "/search/")
            load = page.evaluate(_TIME_LOAD, origin + "/search-index.json")
            page.locator("#search-input").focus()  # the page loads its index on focus
            page.wait_for_function("document.querySelectorAll('#search-tag option').length > 1")
            cold, warm, counts = {}, {}, {}
            for query in QUERIES:
                first = page.evaluate(_TIME_QUERY, query)
                page.evaluate(_TIME_QUERY, "")
                cold[query], counts[query] = first["ms"], first["status"]
                runs = []
                for _ in range(WARM_RUNS):
                    page.evaluate(_TIME_QUERY, "")
                    runs.append(page.evaluate(_TIME_QUERY, query)["ms"])
                warm[query] = statistics.median(runs)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    every = list(cold.values()) + list(warm.values())
    return {"load_ms": load["ms"], "rows": load["rows"], "cold_ms": cold, "warm_ms": warm, "status": counts,
            "median_ms": statistics.median(every), "worst_ms": max(every),
            "median_cold_ms": statistics.median(cold.values()), "worst_cold_ms": max(cold.values()),
            "outside_requests": outside}


def main(argv: list[str] | None = None) -> int:
    """Generate, build, size and time; print a report (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000, help="documents in the corpus (default 10000)")
    parser.add_argument("--work", type=Path, default=HERE / "work", help="folder for the corpus and the build")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    corpus = ensure(default_script(REPO), args.work / "corpora", "briefing", args.docs, log=not args.json)
    out = args.work / f"search-site-{args.docs}"
    seconds = build(corpus, out)
    raw = (out / "search-index.json").read_bytes()
    report = {"docs": args.docs, "build_s": round(seconds, 2), "raw_bytes": len(raw),
              "gzip_bytes": len(gzip.compress(raw, compresslevel=6, mtime=0)),
              "gzip9_bytes": len(gzip.compress(raw, compresslevel=9, mtime=0))}
    report.update(measure_browser(out))
    report["ok"] = (report["gzip_bytes"] < GOAL_GZIP and report["worst_ms"] < GOAL_MS
                    and not report["outside_requests"])
    if args.json:
        print(json.dumps(report, indent=2, sort_keys=True))
    else:
        print(f"search index at {args.docs:,} documents ({report['rows']:,} rows): "
              f"{report['raw_bytes']:,} bytes raw, {report['gzip_bytes']:,} gzipped (-6), "
              f"{report['gzip9_bytes']:,} (-9); goal under {GOAL_GZIP:,}")
        print(f"index fetch and parse in Chromium: {report['load_ms']:.1f} ms (once, on focus)")
        for query in QUERIES:
            print(f"  {query!r:20} cold {report['cold_ms'][query]:6.1f} ms  warm {report['warm_ms'][query]:6.1f} ms"
                  f"  {report['status'][query]}")
        print(f"query time: median {report['median_ms']:.1f} ms, worst {report['worst_ms']:.1f} ms "
              f"(cold median {report['median_cold_ms']:.1f}, cold worst {report['worst_cold_ms']:.1f}); "
              f"goal under {GOAL_MS:.0f} ms")
        print("requests outside the site:", report["outside_requests"] or "none")
        print("OK" if report["ok"] else "GOAL MISSED")
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
