#!/usr/bin/env python3
"""What parallel parsing and rendering buy, and what the fork rule costs a running preview.

    python bench/parallel.py --docs 2000 --runs 3

1. Cold builds: ``briefing build --no-cache --quiet`` in a fresh process with a fresh output
   folder, ``--jobs 1`` against ``--jobs 2``; wall seconds and CPU seconds (the process and its
   workers, from ``getrusage``).
2. A template edit in a running builder set up as ``briefing serve`` sets it up (in-place
   writes): every article page is rendered again, once with no other thread running (forked
   workers, as in the first build of ``serve``) and once beside another thread (in this
   process, as every rebuild of ``serve`` is: see ``generator/workers.py``).
3. The stats snapshot ``serve`` takes of its inputs before and after its first build.

The corpus comes from ``bench/make_corpus.py`` into ``bench/work/parallel/`` (git ignores
``bench/work/``). Prints a Markdown table; medians over ``--runs``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
TEMPLATE = ('{% extends "default/article.html" %}{% block content %}<p class="bench-mark">MARK</p>'
            "{{ super() }}{% endblock %}")


def corpus(docs: int, work: Path) -> Path:
    """The corpus of ``docs`` documents (made once), with a site template to edit."""
    site = work / f"corpus-{docs}"
    if not (site / "content").is_dir():
        subprocess.run([sys.executable, str(BENCH / "make_corpus.py"), "--docs", str(docs), "--out", str(site),
                        "--force"], check=True, stdout=subprocess.DEVNULL)
    (site / "templates").mkdir(exist_ok=True)
    (site / "templates" / "article.html").write_text(TEMPLATE.replace("MARK", "0"))
    return site


def cold(site: Path, out: Path, jobs: int) -> tuple[float, float]:
    """Wall and CPU seconds of one cold build in a fresh process."""
    shutil.rmtree(out, ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "generator", "build", "--source", str(site), "--output", str(out),
                    "--quiet", "--no-cache", "--jobs", str(jobs)], check=True, env=env)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _cpu() -> float:
    """CPU seconds of this process and the workers it has reaped."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def rebuilds(site: Path, out: Path, runs: int) -> dict[str, list[float]]:
    """In this (fresh) process: seconds of a template-edit rebuild, forked and beside a thread."""
    sys.path.insert(0, str(REPO))
    from generator.build import Builder
    from generator.inputs import input_snapshot

    forks = [0]
    real_fork = os.fork

    def counting_fork() -> int:
        pid = real_fork()
        forks[0] += bool(pid)
        return pid

    os.fork = counting_fork
    shutil.rmtree(out, ignore_errors=True)
    builder = Builder(site, out, quiet=True, atomic_swap=False)
    found: dict[str, list[float]] = {key: [] for key in (
        "forked", "beside a thread", "snapshot", "forks: forked", "forks: beside a thread",
        "cpu: forked", "cpu: beside a thread")}
    template = site / "templates" / "article.html"
    try:
        assert builder.build().ok
        for _ in range(runs):
            started = time.perf_counter()
            input_snapshot("", builder.watch_paths(), builder.source, builder.ignored_paths())
            found["snapshot"].append(time.perf_counter() - started)
        mark = 0
        for _ in range(runs):
            for kind in ("forked", "beside a thread"):
                mark += 1
                template.write_text(TEMPLATE.replace("MARK", str(mark)))
                stop = threading.Event()
                beside = threading.Thread(target=stop.wait) if kind != "forked" else None
                if beside is not None:
                    beside.start()
                try:
                    started, forked, cpu = time.perf_counter(), forks[0], _cpu()
                    result = builder.build({template})
                    found[kind].append(time.perf_counter() - started)
                    found[f"cpu: {kind}"].append(_cpu() - cpu)
                    found[f"forks: {kind}"].append(forks[0] - forked)
                finally:
                    stop.set()
                    if beside is not None:
                        beside.join()
                assert result.ok and result.rendered > 0
                time.sleep(0.2)  # the other thread's end, seen by the next build
    finally:
        builder.close()
        template.write_text(TEMPLATE.replace("MARK", "0"))
    return found


def main(argv: list[str] | None = None) -> int:
    """Measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=BENCH / "work" / "parallel")
    parser.add_argument("--inner", nargs=2, metavar=("SITE", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.inner:
        print(json.dumps(rebuilds(Path(args.inner[0]), Path(args.inner[1]), args.runs)))
        return 0
    args.work.mkdir(parents=True, exist_ok=True)
    site = corpus(args.docs, args.work)
    rows = []
    for jobs in (1, 2):
        samples = [cold(site, args.work / "out", jobs) for _ in range(args.runs)]
        rows.append((f"cold build, --jobs {jobs}", statistics.median(s[0] for s in samples),
                     statistics.median(s[1] for s in samples)))
    inner = subprocess.run([sys.executable, __file__, "--runs", str(args.runs), "--inner", str(site),
                            str(args.work / "out")], check=True, capture_output=True, text=True)
    found = json.loads(inner.stdout.splitlines()[-1])
    for kind in ("forked", "beside a thread"):
        rows.append((f"template edit in a running builder, {kind} ({max(found['forks: ' + kind])} forks)",
                     statistics.median(found[kind]), statistics.median(found["cpu: " + kind])))
    rows.append(("input snapshot (serve start, once before and once after its first build)",
                 statistics.median(found["snapshot"]), None))
    load = os.getloadavg()[0]
    print(f"{args.docs} documents, {os.cpu_count()} cores, load {load:.1f}, medians of {args.runs}\n")
    print("| what | wall (s) | CPU (s) |\n| --- | --- | --- |")
    for what, wall, cpu in rows:
        print(f"| {what} | {wall:.3f} | {'' if cpu is None else f'{cpu:.2f}'} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
