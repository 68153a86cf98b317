"""Workers are forked only while the process runs no other thread: a build from the command
line parses and renders in forked workers; a build beside another thread (a running preview's
server and watcher) forks nothing and writes the same bytes; ``serve`` forks for its first
build, before its threads start, and never for a rebuild.

What a process that runs one thread does is checked in a fresh process: once a watcher has
run in this one (an earlier test's), watchdog's inotify threads live on in it for good.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import make_site, snapshot
from servehelpers import FakeBuilder
from servehelpers import make_site as make_fake_site

from generator.build import Builder
from generator.render.execute import PARALLEL_PAGES
from generator.render.forking import ForkedSlices
from generator.workers import may_fork, thread_count

DOCS = PARALLEL_PAGES + 60


class Forks:
    """Every ``os.fork`` this process makes, by the file that called it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.callers: list[str] = []
        real = os.fork

        def fork() -> int:
            caller = Path(sys._getframe(1).f_code.co_filename).name
            pid = real()
            if pid:
                self.callers.append(caller)
            return pid

        monkeypatch.setattr(os, "fork", fork)


@contextmanager
def another_thread() -> Iterator[threading.Thread]:
    """A thread that runs until the block ends (as a preview's server thread does)."""
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, name="beside", daemon=True)
    thread.start()
    try:
        yield thread
    finally:
        stop.set()
        thread.join()


#: Run in a fresh process: counts the forks a build (``build SITE OUT``), or a preview's first
#: build and then a rebuild after a template edit (``serve SITE OUT``), makes, by caller.
PROBE = r"""
import json, os, sys
from pathlib import Path
callers = []
real_fork = os.fork
def fork():
    caller = Path(sys._getframe(1).f_code.co_filename).name
    pid = real_fork()
    if pid:
        callers.append(caller)
    return pid
os.fork = fork
from generator.build import Builder
from generator.workers import may_fork, thread_count
kind, site, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
report = {"threads": thread_count(), "may_fork": may_fork()}
if kind == "build":
    builder = Builder(site, out, jobs=2, use_cache=False)
    report["ok"] = builder.build().ok
    builder.close()
    report["forks"] = callers
else:
    from generator.serve.preview import Preview
    preview = Preview(Builder(site, out, jobs=2, atomic_swap=False), port=0, out=open(os.devnull, "w"))
    try:
        report["ok"] = preview.start()
        report["first"], report["threads_after"] = list(callers), thread_count()
        sub = preview.hub.subscribe()
        sub.get(timeout=5)
        callers.clear()
        template = site / "templates" / "article.html"
        template.write_text(template.read_text().replace("first", "second"))
        message = sub.get(timeout=120)
        report["event"] = message.event if message else None
        report["rebuild"] = list(callers)
    finally:
        preview.stop()
print(json.dumps(report))
"""


def _probe(kind: str, site: Path, out: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    run = subprocess.run([sys.executable, "-c", PROBE, kind, str(site), str(out)], env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.splitlines()[-1])


def _site(tmp_path: Path, name: str = "src", extra: dict[str, str] | None = None) -> Path:
    files = {"briefing.yaml": "title: T\nbase_url: https://example.org/\n", **(extra or {})}
    for i in range(DOCS):
        files[f"content/articles/a{i:04d}.md"] = (
            f"---\ntitle: Article {i}\ndate: 2024-01-{i % 28 + 1:02d}\ntags: [t{i % 7}]\n"
            f"actors: [Actor {i % 5}]\n---\n\nBody {i} links [[a{(i + 1) % DOCS:04d}]].\n")
    return make_site(tmp_path, files, name)


def _build(site: Path, out: Path, jobs: int) -> None:
    builder = Builder(site, out, jobs=jobs, use_cache=False)
    try:
        assert builder.build().ok
    finally:
        builder.close()


def test_may_fork_only_while_no_other_thread_runs(tmp_path: Path) -> None:
    report = _probe("build", make_site(tmp_path, {"content/pages/a.md": "---\ntitle: A\n---\nx\n"}), tmp_path / "out")
    assert report["threads"] == 1 and report["may_fork"]
    with another_thread():
        assert thread_count() >= 2 and not may_fork()


def test_forked_slices_fork_nothing_beside_another_thread_and_hand_every_slice_back(monkeypatch) -> None:
    forks = Forks(monkeypatch)
    with another_thread():
        workers = ForkedSlices(lambda piece: piece, [[1, 2], [3], [4, 5]], jobs=2)
        assert workers.poll(0) == [] and not workers.busy
    assert workers.failed == [[1, 2], [3], [4, 5]]  # in order, for the builder to do
    assert forks.callers == []


def test_a_build_run_alone_parses_and_renders_in_forked_workers(tmp_path: Path) -> None:
    # What keeps ``briefing build`` parallel: its process runs one thread.
    report = _probe("build", _site(tmp_path), tmp_path / "out")
    assert report["ok"]
    assert "popen_fork.py" in report["forks"]  # the parse pool (multiprocessing)
    assert report["forks"].count("forking.py") >= 2  # render slices


def test_a_build_beside_another_thread_forks_nothing_and_writes_the_bytes_of_a_serial_build(
        tmp_path: Path, monkeypatch) -> None:
    site = _site(tmp_path)
    _build(site, tmp_path / "serial", jobs=1)
    forks = Forks(monkeypatch)
    with warnings.catch_warnings(record=True) as caught, another_thread():
        warnings.simplefilter("always")
        _build(site, tmp_path / "beside", jobs=2)
    assert forks.callers == []
    assert not [w for w in caught if "fork" in str(w.message)]  # Python 3.12+ warns on such forks
    serial, beside = snapshot(tmp_path / "serial"), snapshot(tmp_path / "beside")
    assert serial.keys() == beside.keys() and len(beside) > DOCS
    assert all(serial[rel][0] == beside[rel][0] for rel in beside)


def test_serve_forks_for_its_first_build_only(tmp_path: Path) -> None:
    template = ('{% extends "default/article.html" %}{% block content %}<p id="mark">first</p>'
                "{{ super() }}{% endblock %}")
    site = _site(tmp_path, extra={"templates/article.html": template})
    report = _probe("serve", site, tmp_path / "out")
    assert report["ok"] and report["threads"] == 1
    assert "forking.py" in report["first"]  # the first build, before any thread started
    assert report["threads_after"] > 1
    assert report["event"] == "reload" and report["rebuild"] == []  # every article again, here
    assert '<p id="mark">second</p>' in (tmp_path / "out/articles/a0007/index.html").read_text()


class EditsDuringItsFirstBuild(FakeBuilder):
    """A builder during whose first build someone saves a file (the watcher not yet running)."""

    def build(self, changed: set[Path] | None = None):
        result = super().build(changed)
        if len(self.calls) == 1:
            (self.source / "content/articles/x.md").write_text("Saved during the first build.\n")
        return result


def _wait_idle(preview, quiet: float = 0.5) -> None:
    time.sleep(quiet)
    deadline = time.monotonic() + 10
    while (preview.queue.pending() or not preview.served.idle.is_set()) and time.monotonic() < deadline:
        time.sleep(0.05)


def test_a_save_during_the_first_serve_build_is_built_next(tmp_path: Path) -> None:
    from generator.serve.preview import Preview

    site = make_fake_site(tmp_path / "src")
    builder = EditsDuringItsFirstBuild(site, tmp_path / "out")
    preview = Preview(builder, port=0, out=open(os.devnull, "w"))
    try:
        assert preview.start()
        _wait_idle(preview)
        assert builder.calls == [None, None]  # the first build, then a full look
        assert "Saved during" in (tmp_path / "out/articles/x/index.html").read_text()
    finally:
        preview.stop()


def test_without_a_save_during_the_first_serve_build_nothing_is_built_again(tmp_path: Path) -> None:
    from generator.serve.preview import Preview

    builder = FakeBuilder(make_fake_site(tmp_path / "src"), tmp_path / "out")
    preview = Preview(builder, port=0, out=open(os.devnull, "w"))
    try:
        assert preview.start()
        _wait_idle(preview)
        assert builder.calls == [None]
    finally:
        preview.stop()
