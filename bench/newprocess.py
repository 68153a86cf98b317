"""Time `briefing build` in a NEW process at 10,000 documents: no change, one body edit, one tag edit.

Each figure is the wall time of a whole `python -m generator build -q` process (start-up,
imports, cache load, build, exit), with the parse cache warm from an untimed cold build of a
fresh working copy of the project's own corpus (`bench/make_corpus.py --seed 42`). Each run
times a no-change build, then a body edit (a numbered sentence appended) and its build, then a
tag edit (tag ``bench-edit-<n>`` added to the front matter) and its build; the document goes
back to its original text (untimed build) before the next run. Every edit is checked in the
output (the sentence on the page, the new tag's page present, the previous one gone): a fast
stale page counts as a failure, not a figure.

    python bench/newprocess.py                   # 10,000 documents, 5 runs
    python bench/newprocess.py --docs 1000 --runs 3 --keep

Figures on a shared machine are noisy: the median and the worst of the runs are printed, with
the load average at the start and the end, and the CPU time (user + system) of each build
process and its children beside its wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from corpora import default_script, ensure, pick_document, working_copy
from edits import body_edit, body_marker, tag_edit, tag_name

REPO = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    """Lay out the corpus, build it once, then print the three new-process timings."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "work")
    parser.add_argument("--jobs", type=int, default=None, help="passed as briefing build --jobs N")
    parser.add_argument("--keep", action="store_true",
                        help="reuse the working copy (and its cache) of an earlier run instead of a fresh one")
    args = parser.parse_args(argv)

    pristine = ensure(default_script(REPO), args.out / "corpora", "briefing", args.docs)
    site = args.out / "sites" / f"newprocess-{args.docs}"
    if not (args.keep and (site / ".briefing-cache").exists()):
        working_copy(pristine, site)
    doc = pick_document(site)
    original = doc.read_text(encoding="utf-8")
    page = site / "site" / "articles" / doc.stem / "index.html"
    cmd = [sys.executable, "-m", "generator", "build", "-q"]
    if args.jobs:
        cmd += ["--jobs", str(args.jobs)]
    env = {**os.environ, "PYTHONPATH": str(REPO)}

    cpu: dict[str, list[float]] = {"nochange": [], "body": [], "tag": []}

    def children_cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    def build(what: str, kind: str | None = None) -> float:
        start, start_cpu = time.perf_counter(), children_cpu()
        done = subprocess.run(cmd, cwd=site, env=env, capture_output=True, text=True)
        took = time.perf_counter() - start
        if kind is not None:
            cpu[kind].append(children_cpu() - start_cpu)
        if done.returncode != 0:
            raise SystemExit(f"{what}: build failed ({done.returncode}): {done.stderr[-2000:]}")
        return took

    load_before = os.getloadavg()
    report: dict[str, object] = {"docs": args.docs, "doc": doc.name, "cold_s": round(build("cold build"), 2)}
    times: dict[str, list[float]] = {"nochange": [], "body": [], "tag": []}
    problems: list[str] = []
    try:
        for n in range(1, args.runs + 1):
            times["nochange"].append(build("no-change build", "nochange"))
            doc.write_text(body_edit(original, n), encoding="utf-8")
            times["body"].append(build(f"body edit {n}", "body"))
            if body_marker(n) not in page.read_text(encoding="utf-8"):
                problems.append(f"body edit {n}: the page does not show it")
            doc.write_text(tag_edit(original, n, "briefing"), encoding="utf-8")
            times["tag"].append(build(f"tag edit {n}", "tag"))
            if not (site / "site" / "tags" / tag_name(n) / "index.html").is_file():
                problems.append(f"tag edit {n}: no page for the new tag")
            if (site / "site" / "tags" / tag_name(n - 1) / "index.html").exists():
                problems.append(f"tag edit {n}: the previous edit's tag page is still there")
            doc.write_text(original, encoding="utf-8")
            build("restore")
    finally:
        doc.write_text(original, encoding="utf-8")
    for name, values in times.items():
        report[f"{name}_median_s"] = round(statistics.median(values), 3)
        report[f"{name}_worst_s"] = round(max(values), 3)
        report[f"{name}_s"] = [round(v, 3) for v in values]
        report[f"{name}_cpu_median_s"] = round(statistics.median(cpu[name]), 3)
        report[f"{name}_cpu_worst_s"] = round(max(cpu[name]), 3)
    report["load_before"] = [round(v, 2) for v in load_before]
    report["load_after"] = [round(v, 2) for v in os.getloadavg()]
    report["problems"] = problems
    print(json.dumps(report))
    print(f"\n{args.docs} documents, {args.runs} runs, new process each (median / worst):")
    for name, label in (("nochange", "no change"), ("body", "body edit"), ("tag", "tag edit")):
        print(f"  {label:10} {report[f'{name}_median_s']:7.3f} s / {report[f'{name}_worst_s']:7.3f} s"
              f"   CPU (user+sys, with children) {report[f'{name}_cpu_median_s']:7.3f} s / "
              f"{report[f'{name}_cpu_worst_s']:7.3f} s")
    print(f"  load average before {report['load_before']}, after {report['load_after']} (2 shared cores: noisy)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
