"""Time one-document rebuilds in a running process, the way `briefing serve` rebuilds.

Run by run.py in a subprocess with the repository on PYTHONPATH; prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from pathlib import Path

from edits import body_edit, body_marker, tag_edit, tag_name


def main(argv: list[str] | None = None) -> int:
    """Build once, then time ``build(changed={doc})`` after body and tag edits."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source", type=Path, required=True)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--doc", type=Path, required=True, help="the document to edit")
    parser.add_argument("--reps", type=int, default=10)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument(
        "--profile", type=Path, default=None, help="profile one body edit into this file and stop"
    )
    args = parser.parse_args(argv)

    from generator.build import Builder  # imported here: run.py sets PYTHONPATH

    source = args.source.resolve()
    output = args.output.resolve()
    doc = args.doc.resolve()
    original = doc.read_text(encoding="utf-8")
    page = output / "articles" / doc.stem / "index.html"
    report: dict[str, object] = {"doc": str(doc)}
    problems: list[str] = []

    # The engine as `briefing serve` runs it: in-place writes, state saved when it stops.
    kwargs: dict[str, object] = {"quiet": True, "atomic_swap": False}
    if args.jobs is not None:
        kwargs["jobs"] = args.jobs
    builder = Builder(source, output, **kwargs)
    start = time.perf_counter()
    first = builder.build()
    report["first_build_s"] = round(time.perf_counter() - start, 4)
    _check(first, "first build", problems)

    if args.profile is not None:
        return _profile_edit(builder, doc, original, args.profile)

    start = time.perf_counter()
    again = builder.build()
    report["rescan_s"] = round(time.perf_counter() - start, 4)
    _check(again, "rescan", problems)

    body_ms: list[float] = []
    tag_ms: list[float] = []
    body_cpu: list[float] = []
    tag_cpu: list[float] = []
    body_ok = tag_ok = True
    try:
        for n in range(1, args.reps + 1):
            doc.write_text(body_edit(original, n), encoding="utf-8")
            start, cpu = time.perf_counter(), time.process_time()
            result = builder.build(changed={doc})
            body_ms.append((time.perf_counter() - start) * 1000)
            body_cpu.append((time.process_time() - cpu) * 1000)
            _check(result, f"body edit {n}", problems)
            if body_marker(n) not in _read(page):
                body_ok = False
        doc.write_text(original, encoding="utf-8")
        builder.build(changed={doc})
        for n in range(1, args.reps + 1):
            doc.write_text(tag_edit(original, n, "briefing"), encoding="utf-8")
            start, cpu = time.perf_counter(), time.process_time()
            result = builder.build(changed={doc})
            tag_ms.append((time.perf_counter() - start) * 1000)
            tag_cpu.append((time.process_time() - cpu) * 1000)
            _check(result, f"tag edit {n}", problems)
            if not (output / "tags" / tag_name(n) / "index.html").is_file():
                tag_ok = False
            if n > 1 and (output / "tags" / tag_name(n - 1) / "index.html").exists():
                tag_ok = False
    finally:
        doc.write_text(original, encoding="utf-8")

    report.update(
        body_ms=[round(v, 2) for v in body_ms],
        tag_ms=[round(v, 2) for v in tag_ms],
        body_median_ms=round(statistics.median(body_ms), 2),
        body_max_ms=round(max(body_ms), 2),
        tag_median_ms=round(statistics.median(tag_ms), 2),
        tag_max_ms=round(max(tag_ms), 2),
        body_cpu_median_ms=round(statistics.median(body_cpu), 2),
        tag_cpu_median_ms=round(statistics.median(tag_cpu), 2),
        body_verified=body_ok,
        tag_verified=tag_ok,
        rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        problems=problems[:20],
    )
    print(json.dumps(report))
    return 0


def _profile_edit(builder: object, doc: Path, original: str, target: Path) -> int:
    """Run one body edit's rebuild under cProfile; write the stats sorted by cumulative time."""
    import cProfile
    import io
    import pstats

    doc.write_text(body_edit(original, 1), encoding="utf-8")
    profiler = cProfile.Profile()
    try:
        profiler.enable()
        builder.build(changed={doc})  # type: ignore[attr-defined]
        profiler.disable()
    finally:
        doc.write_text(original, encoding="utf-8")
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(60)
    target.write_text(text.getvalue(), encoding="utf-8")
    return 0


def _check(result: object, what: str, problems: list[str]) -> None:
    """Record a build that did not succeed, with its first diagnostics."""
    if getattr(result, "ok", True):
        return
    diagnostics = [str(d) for d in getattr(result, "diagnostics", [])][:5]
    problems.append(f"{what}: not ok: {'; '.join(diagnostics)}")


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return ""


if __name__ == "__main__":
    sys.exit(main())
