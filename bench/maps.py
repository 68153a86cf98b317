#!/usr/bin/env python3
"""What the offline maps cost at the bench corpus size: time to make every map view and the
GeoJSON from a built site graph, and the bytes the maps add to the output.

    python bench/maps.py                 # 1,000 documents
    python bench/maps.py --docs 10000

The corpus is the project's own (``make_corpus.py``, in a temporary folder). The times are
CPU-bound Python on a shared machine: read them as an order of magnitude.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import make_corpus  # noqa: E402  (the project's own corpus generator, beside this script)

from generator.build import Builder  # noqa: E402
from generator.geo.svgmap import _land_path  # noqa: E402
from generator.graph.urls import TERM_PAGE_TYPES  # noqa: E402
from generator.render.maps import document_map, locations_geojson, overview_map, term_map  # noqa: E402
from generator.render.views import Urls  # noqa: E402


def best(runs: int, work: Callable[[], object]) -> tuple[float, float]:
    """The first and the best wall time of ``runs`` calls, in seconds (later calls find the
    land of extents already drawn in the per-process cache, as a running builder does)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return times[0], min(times)


def map_bytes(out: Path) -> tuple[int, int, int]:
    """(pages with a map, bytes of their map figures, bytes of all HTML)."""
    pages = figures = total = 0
    for path in out.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        total += len(text.encode("utf-8"))
        start = text.find('<figure class="map"')
        if start >= 0:
            pages += 1
            figures += len(text[start:text.index("</figure>", start)].encode("utf-8"))
    return pages, figures, total


def main(argv: list[str] | None = None) -> int:
    """Make a corpus, build it once, then time the map views and measure the output."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=1000, help="documents in the corpus (default 1000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure; the best is kept")
    parser.add_argument("--seed", type=int, default=42, help="corpus seed (default 42)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="briefing-maps-bench-") as scratch:
        corpus, out = Path(scratch) / "src", Path(scratch) / "out"
        make_corpus.write_corpus(corpus, args.docs, args.seed, "briefing")
        builder = Builder(corpus, out, quiet=True, use_cache=False, jobs=1)
        result = builder.build()
        assert result.ok, [str(d) for d in result.errors]
        graph = builder._last.graph  # noqa: SLF001 - the graph the build made
        builder.close()
        urls = Urls("/", "", {})
        docs = [d for d in graph.docs if d.type not in TERM_PAGE_TYPES]
        terms = list(graph.taxonomies.terms["locations"].values())
        def cold() -> object:
            _land_path.cache_clear()
            return [document_map(graph, d, urls) for d in docs]

        rows = [
            (f"document maps, land cache emptied first ({len(docs)} pages)", best(args.runs, cold)),
            (f"document maps ({len(docs)} pages)", best(args.runs, lambda: [document_map(graph, d, urls) for d in docs])),
            (f"locator maps ({len(terms)} location pages)", best(args.runs, lambda: [term_map(t, urls) for t in terms])),
            ("overview map (/locations/)", best(args.runs, lambda: overview_map(graph, urls))),
            ("locations.geojson", best(args.runs, lambda: locations_geojson(graph, urls))),
        ]
        pages, figures, total = map_bytes(out)
        geojson = (out / "locations.geojson").stat().st_size
        built = result.duration
    print(f"Maps at {args.docs} documents (best of {args.runs}; Python {sys.version.split()[0]}; shared machine, noisy)")
    print()
    print("| what | first run | best |")
    print("| --- | ---: | ---: |")
    for what, (first, fastest) in rows:
        print(f"| {what} | {first * 1000:.1f} ms | {fastest * 1000:.1f} ms |")
    print(f"| whole build (one run, for scale) | {built * 1000:.0f} ms | |")
    print()
    print(f"{pages} pages carry a map; the maps are {figures / 1024:.0f} KiB of {total / 1024:.0f} KiB of HTML "
          f"({100 * figures / max(total, 1):.1f}%); locations.geojson is {geojson / 1024:.1f} KiB.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
