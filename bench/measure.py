"""Run one command and measure its wall time and peak memory."""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

#: GNU time; ``-v`` reports "Maximum resident set size (kbytes)".
GNU_TIME = "/usr/bin/time"

_MAXRSS = re.compile(r"Maximum resident set size \(kbytes\):\s*(\d+)")
_CPU = re.compile(r"(?:User|System) time \(seconds\):\s*([\d.]+)")
_SAMPLE_INTERVAL = 0.05
#: The sampler sleeps at least this many times as long as its last sample took. Reading
#: ``smaps_rollup`` walks a process's page tables: about 17 ms for a 300 MB process here, so
#: sampling a worker pool every 50 ms kept half a core busy, which a tool using both cores
#: (briefing's pool, Hugo's threads) lost and a single-process one (Pelican) did not.
_SAMPLE_COST_RATIO = 20


class CommandError(Exception):
    """Raised when a measured command exits non-zero or times out."""

    def __init__(self, cmd: Sequence[str], returncode: int, output: str) -> None:
        super().__init__(f"{' '.join(map(str, cmd))} exited with {returncode}")
        self.cmd = list(cmd)
        self.returncode = returncode
        self.output = output


@dataclass
class Sample:
    """One measured process run: wall and CPU (user + system) seconds, peak memory in MB."""

    wall: float
    cpu: float
    rss_mb: float
    rss_single_mb: float
    rss_tree_mb: float
    load: float = 0.0


@dataclass
class Series:
    """Several samples of one measurement, with their medians."""

    samples: list[Sample] = field(default_factory=list)

    @property
    def wall(self) -> float | None:
        """Median wall time in seconds, or None when nothing was measured."""
        return statistics.median(s.wall for s in self.samples) if self.samples else None

    @property
    def cpu(self) -> float | None:
        """Median CPU time (user + system, all processes) in seconds."""
        return statistics.median(s.cpu for s in self.samples) if self.samples else None

    @property
    def rss_mb(self) -> float | None:
        """Median peak memory in MB, or None when nothing was measured."""
        return statistics.median(s.rss_mb for s in self.samples) if self.samples else None

    def as_json(self) -> dict[str, object]:
        """The series as plain data for results.json."""
        return {
            "wall_s": [round(s.wall, 4) for s in self.samples],
            "cpu_s": [round(s.cpu, 3) for s in self.samples],
            "load": [s.load for s in self.samples],
            "rss_mb": [round(s.rss_mb, 1) for s in self.samples],
            "rss_single_mb": [round(s.rss_single_mb, 1) for s in self.samples],
            "rss_tree_mb": [round(s.rss_tree_mb, 1) for s in self.samples],
            "median_wall_s": None if self.wall is None else round(self.wall, 4),
            "median_cpu_s": None if self.cpu is None else round(self.cpu, 3),
            "median_rss_mb": None if self.rss_mb is None else round(self.rss_mb, 1),
        }


def method() -> str:
    """Say how peak memory is measured on this machine."""
    if _has_gnu_time():
        return "GNU time -v (max RSS of the largest process) and a PSS sum of the process tree"
    return "os.wait4 rusage (max RSS of the largest process) and a PSS sum of the process tree"


def run(
    cmd: Sequence[str | Path],
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 3600.0,
) -> Sample:
    """Run ``cmd`` to completion and return its wall time and peak memory.

    Wall time is taken with ``time.perf_counter`` around the process. Peak memory is the
    larger of the kernel's maximum resident set size of the largest single process (GNU
    ``time -v`` when present, else ``os.wait4``) and the largest sampled sum of proportional
    set sizes over the whole process tree, so that worker pools are counted in full.
    """
    args = [str(c) for c in cmd]
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-measure-") as tmp:
        log = Path(tmp) / "output.log"
        rusage_file = Path(tmp) / "time.txt"
        use_time = _has_gnu_time()
        full = [GNU_TIME, "-v", "-o", str(rusage_file), *args] if use_time else args
        with log.open("wb") as out:
            start = time.perf_counter()
            proc = subprocess.Popen(full, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
            sampler = _TreeSampler(proc.pid, include_root=not use_time)
            sampler.start()
            maxrss_kb = 0
            cpu = 0.0
            try:
                if use_time:
                    returncode = proc.wait(timeout=timeout)
                else:
                    returncode, maxrss_kb, cpu = _wait4(proc, timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                returncode = -9
            wall = time.perf_counter() - start
            sampler.stop()
        output = log.read_text(errors="replace")
        if use_time and rusage_file.exists():
            usage = rusage_file.read_text(errors="replace")
            match = _MAXRSS.search(usage)
            maxrss_kb = int(match.group(1)) if match else 0
            cpu = sum(float(m) for m in _CPU.findall(usage))
    if returncode != 0:
        raise CommandError(args, returncode, output)
    single = maxrss_kb / 1024
    tree = sampler.peak_kb / 1024
    return Sample(
        wall=wall,
        cpu=cpu,
        rss_mb=max(single, tree),
        rss_single_mb=single,
        rss_tree_mb=tree,
        load=round(load, 2),
    )


#: When files were last deleted in bulk (see :func:`remove_tree` and :func:`settle`).
_last_removal = 0.0
#: Where :func:`remove_tree` moves folders during a run (see :func:`use_trash`), or None.
_trash: Path | None = None
_trashed = 0
#: Free space below which :func:`remove_tree` deletes folders rather than keep them in the trash.
TRASH_MIN_FREE = 16 * 1024**3
#: Seconds after a bulk delete before files are created at full speed again. Seen here (ext4
#: without a journal, 10,000 folders and files created after 20,000 were deleted and synced):
#: 4.0 s after 32 s, 4.3 s after 45 s, 2.1 s after 70 s, 1.5 s after 130 s (and at rest).
SETTLE_AFTER_DELETE = 130.0


def use_trash(folder: Path) -> None:
    """From now on, move folders that :func:`remove_tree` removes into ``folder`` (on the same
    file system: a rename frees no inodes) until :func:`empty_trash` deletes them all."""
    global _trash
    _trash = folder


def remove_tree(path: Path) -> None:
    """Remove a folder (or file): into the trash when there is one and room for it, else
    deleted, noting when for :func:`settle`."""
    global _last_removal, _trashed
    if path.is_dir() and not path.is_symlink():
        if _trash is not None and shutil.disk_usage(path).free > TRASH_MIN_FREE:
            _trash.mkdir(parents=True, exist_ok=True)
            _trashed += 1
            try:
                os.rename(path, _trash / f"{_trashed:05d}-{path.name}")
                return
            except OSError:  # another file system: delete it after all
                pass
        shutil.rmtree(path)
        _last_removal = time.monotonic()
    elif path.exists() or path.is_symlink():
        path.unlink()


def empty_trash() -> None:
    """Delete what :func:`remove_tree` moved into the trash (and what an interrupted run left)."""
    global _last_removal
    if _trash is not None and _trash.exists():
        shutil.rmtree(_trash)
        _last_removal = time.monotonic()


def settle(limit: float = SETTLE_AFTER_DELETE) -> float:
    """Before a timed cold build: write dirty pages out, and wait until the last bulk delete
    is :data:`SETTLE_AFTER_DELETE` seconds old. Returns the seconds waited.

    Each cold build writes a fresh output folder (about 20,000 folders and files at 10,000
    documents). On ext4 without a journal, as on this kind of machine, every file created
    soon after a mass delete makes the kernel look at the recently deleted inodes of its
    block group first (``recently_deleted`` in ``find_inode_bit``): seen here, creating
    10,000 files took 6 to 14 s instead of 1.4 s. That measures the file system, for every
    tool alike, and varies from run to run; so during a run removed folders go to a trash
    (:func:`use_trash`) that is emptied only at the end, and this waits out a delete made
    before the measurements.
    """
    start = time.monotonic()
    os.sync()
    remaining = _last_removal + SETTLE_AFTER_DELETE - time.monotonic() if _last_removal else 0.0
    if remaining > 0:
        time.sleep(min(remaining, limit))
    return time.monotonic() - start


def _has_gnu_time() -> bool:
    return os.access(GNU_TIME, os.X_OK) and shutil.which(GNU_TIME) is not None


def _wait4(proc: subprocess.Popen[bytes], timeout: float) -> tuple[int, int, float]:
    """Wait for ``proc`` with ``os.wait4``; return exit code, max RSS in KiB, CPU seconds."""
    timer = threading.Timer(timeout, proc.kill)
    timer.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        timer.cancel()
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code
    return code, int(usage.ru_maxrss), usage.ru_utime + usage.ru_stime


class _TreeSampler(threading.Thread):
    """Sample the summed memory of a process tree until stopped."""

    def __init__(self, root: int, *, include_root: bool) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.include_root = include_root
        self.peak_kb = 0
        self._done = threading.Event()

    def run(self) -> None:
        if not Path("/proc/self/smaps_rollup").exists():
            return
        while not self._done.is_set():
            pids = _descendants(self.root)
            if self.include_root:
                pids.append(self.root)
            started = time.perf_counter()
            total = sum(_memory_kb(pid) for pid in pids)
            self.peak_kb = max(self.peak_kb, total)
            self._done.wait(max(_SAMPLE_INTERVAL, _SAMPLE_COST_RATIO * (time.perf_counter() - started)))

    def stop(self) -> None:
        self._done.set()
        self.join()


def _descendants(pid: int) -> list[int]:
    """All live descendants of ``pid`` (via /proc/<pid>/task/<tid>/children)."""
    found: list[int] = []
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            tasks = os.listdir(f"/proc/{current}/task")
        except OSError:
            continue
        for tid in tasks:
            try:
                text = Path(f"/proc/{current}/task/{tid}/children").read_text()
            except OSError:
                continue
            for child in text.split():
                found.append(int(child))
                stack.append(int(child))
    return found


def _memory_kb(pid: int) -> int:
    """Proportional set size of ``pid`` in KiB (resident size when PSS is unreadable)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0
