"""Shared helpers: make a site in a temporary folder, run the CLI in-process, query HTML."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from xml.etree import ElementTree

import html5lib
import pytest

from generator.cli import main

REPO = Path(__file__).resolve().parent.parent


def bench_module(name: str) -> ModuleType:
    """A module of the project's bench/ folder, loaded by its path."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", REPO / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _ignore_the_test_runners_thread() -> None:
    """Under pytest-xdist (the default run: two test processes), a test process talks to the
    controller from a thread of execnet's own, started before any test. It never touches what a
    forked build worker uses, so the fork rule (:func:`generator.workers.may_fork`: fork only
    while no other thread runs) leaves that one thread out here; every thread a test or the
    code under test starts still counts."""
    import generator.workers as workers

    try:
        runner = set(os.listdir("/proc/self/task")) - {str(os.getpid())}
    except OSError:
        return
    counted = workers.thread_count

    def thread_count() -> int:
        try:
            return len(set(os.listdir("/proc/self/task")) - runner)
        except OSError:
            return counted()

    workers.thread_count = thread_count


if os.environ.get("PYTEST_XDIST_WORKER"):
    _ignore_the_test_runners_thread()


@pytest.fixture
def sole_thread() -> None:
    """For a test that needs this process to fork: waits for threads an earlier test left
    ending (a server, a watcher's reader) to end, and fails naming them if they do not."""
    import threading
    import time

    from generator.workers import thread_count

    deadline = time.monotonic() + 20
    while thread_count() > 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    others = [
        f"{t.name} ({type(t).__module__}.{type(t).__qualname__}, target {getattr(t, '_target', None)!r})"
        for t in threading.enumerate()
        if t is not threading.current_thread()
    ]
    assert thread_count() == 1, f"other threads still run, so nothing may fork: {others}"


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """``-n auto``: one test process per core, at most four (the tests fork build workers of
    their own, and timing checks need a core to themselves now and then)."""
    return max(1, min(4, os.cpu_count() or 1))

#: A small but complete site: every kind of document, terms, cross-links, a graded source.
ARTICLE = """\
---
title: Russia moves air defence to Hmeimim
date: 2024-12-06
location:
  - name: Hmeimim Air Base
    lat: 35.401
    lon: 35.948
  - Tartus
actors: [Russia, Syrian rebels]
tags: [air defence, logistics]
confidence: high
source:
  name: Example Wire
  url: https://example.com/wire/1
  reliability: B
  credibility: 2
---
Satellite images show **S-400** launchers leaving Masyaf.

## What was seen

Trucks on the M1 highway.
"""

NOTE = """\
---
title: Coastal bases are Russia's priority
date: 2024-12-08T09:30:00Z
about: [russia-moves-air-defence-to-hmeimim]
actors: Russia
tags: assessment
confidence: moderate
---
We assess with moderate confidence that Russia is consolidating at the coast;
see [[russia-moves-air-defence-to-hmeimim#what-was-seen|the sighting]] and [[Russia]].
"""

ACTOR = """\
---
title: Russia
aliases: [Russian Federation, RU]
summary: The Russian state and its armed forces.
---
Russia keeps two bases in Syria.
"""

PAGE = """\
---
title: About this briefing
---
An example briefing.
"""

BASIC_SITE: dict[str, str] = {
    "briefing.yaml": "title: Test Brief\nbase_url: https://example.org/\n",
    "content/articles/2024-12-06-russia-moves-air-defence-to-hmeimim.md": ARTICLE,
    "content/notes/coastal-bases.md": NOTE,
    "content/actors/russia.md": ACTOR,
    "content/pages/about.md": PAGE,
}


def make_site(tmp_path: Path, files: dict[str, str | bytes], name: str = "src") -> Path:
    """Write ``{relpath: text or bytes}`` under ``tmp_path/name`` and return that site folder."""
    site = tmp_path / name
    site.mkdir(parents=True, exist_ok=True)
    for rel, data in files.items():
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8", newline="\n")
    return site


@dataclass
class Run:
    """The outcome of one CLI call: exit code and what it printed."""

    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        """stdout and stderr together."""
        return self.out + self.err


def run_cli(*argv: str | os.PathLike) -> Run:
    """Run ``briefing ARGV`` in-process (``generator.cli.main``), capturing output and exit code.

    An exception escaping ``main`` is a traceback the user would see, so it is not caught:
    the test fails with it.
    """
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in argv])
        except SystemExit as exc:  # argparse: --help, usage errors
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return Run(int(code), out.getvalue(), err.getvalue())


def build(site: Path, *args: str | os.PathLike) -> Run:
    """``briefing build --source SITE ARGS``."""
    return run_cli("build", "--source", site, *args)


def build_ok(site: Path, *args: str | os.PathLike) -> Path:
    """Build and insist it succeeds; return the output folder."""
    result = build(site, *args)
    assert result.code == 0, result.text
    out = [a for i, a in enumerate(args) if i and args[i - 1] in ("--output", "-o")]
    return Path(out[0]) if out else site / "site"


class Html:
    """A parsed HTML page (html5lib, no namespaces) with a few query helpers."""

    def __init__(self, source: str | bytes, path: Path | None = None):
        self.path = path
        self.root = html5lib.parse(source, treebuilder="etree", namespaceHTMLElements=False)

    @classmethod
    def load(cls, path: Path) -> Html:
        """Parse a file (it must exist)."""
        assert path.is_file(), f"missing page {path}"
        return cls(path.read_bytes(), path)

    def all(self, tag: str = "*", cls: str | None = None, **attrs: str) -> list[ElementTree.Element]:
        """Elements named ``tag`` having the class ``cls`` and the exact attribute values given."""
        found = []
        for el in self.root.iter(None if tag == "*" else tag):
            if not isinstance(el.tag, str):
                continue
            if cls is not None and cls not in (el.get("class") or "").split():
                continue
            if any(el.get(k.rstrip("_").replace("_", "-")) != v for k, v in attrs.items()):
                continue
            found.append(el)
        return found

    def one(self, tag: str = "*", cls: str | None = None, **attrs: str) -> ElementTree.Element:
        """The first matching element (fails the test when there is none)."""
        found = self.all(tag, cls, **attrs)
        assert found, f"no <{tag} class={cls!r} {attrs}> in {self.path}"
        return found[0]

    @property
    def title(self) -> str:
        """The text of ``<title>``."""
        return text_of(self.one("title"))

    @property
    def h1(self) -> str:
        """The text of the first ``<h1>``."""
        return text_of(self.one("h1"))

    @property
    def text(self) -> str:
        """All text of the page, whitespace collapsed."""
        return text_of(self.root)

    def hrefs(self) -> list[str]:
        """Every ``href`` of every ``<a>``."""
        return [a.get("href") for a in self.all("a") if a.get("href") is not None]

    def stylesheets(self) -> list[str]:
        """The ``href`` of every ``<link rel="stylesheet">``."""
        return [link.get("href") for link in self.all("link") if "stylesheet" in (link.get("rel") or "").split()]


def text_of(el: ElementTree.Element) -> str:
    """The text content of an element, whitespace collapsed."""
    return " ".join("".join(el.itertext()).split())


def page(output: Path, url_path: str) -> Html:
    """The page at a clean URL path (``articles/x/`` -> ``articles/x/index.html``)."""
    rel = url_path.strip("/")
    path = output / rel / "index.html" if not rel.endswith((".html", ".xml")) else output / rel
    return Html.load(path)


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``folder``: relative path -> (bytes, mtime_ns)."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            out[path.relative_to(folder).as_posix()] = (path.read_bytes(), path.stat().st_mtime_ns)
    return out


def tree(folder: Path) -> set[str]:
    """Every path (files and folders) under ``folder``, relative."""
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


def copy_example_site(dest: Path) -> Path:
    """Copy the repository's example site (config, content, optional templates/static) to ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "briefing.yaml", dest / "briefing.yaml")
    for name in ("content", "templates", "static"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, dest / name)
    return dest


def pin_theme(site: Path) -> Path:
    """Copy the repository's default theme into the site as its local ``themes/default``.

    Other people edit ``themes/default`` while tests run; a test comparing two builds uses a
    pinned copy so that an edit between its builds is not mistaken for non-determinism.
    """
    shutil.copytree(REPO / "themes" / "default", site / "themes" / "default",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return site


@pytest.fixture
def basic_site(tmp_path: Path) -> Path:
    """A fresh copy of :data:`BASIC_SITE`."""
    return make_site(tmp_path, BASIC_SITE)


@pytest.fixture(scope="session")
def built_example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site of the repository, built once per session (read-only use)."""
    src = copy_example_site(tmp_path_factory.mktemp("example") / "src")
    result = build(src, "--no-cache")
    assert result.code == 0, result.text
    return src / "site"


@contextlib.contextmanager
def chdir(path: Path) -> Iterator[None]:
    """Temporarily change the working folder."""
    old = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)
