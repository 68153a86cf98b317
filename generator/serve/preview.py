"""A running preview: builder, watcher, rebuild loop and HTTP server started and stopped as one."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit

from generator.errors import BriefingError
from generator.inputs import input_snapshot
from generator.serve.http import DevHTTPServer, Served
from generator.serve.livereload import Hub
from generator.serve.loop import RebuildLoop, SiteBuilder
from generator.serve.urlmap import resolve
from generator.serve.watcher import ChangeQueue, Watcher

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
#: How long a thread may hold the interpreter while another waits for it, while a preview runs
#: (Python's default is 5 ms). A rebuild runs beside the HTTP server in this process: the page it
#: writes ahead of the rest (``render/early.py``) is requested by the browser while the rebuild
#: goes on, and each step of serving that request waited up to 5 ms for the rebuild to let go.
#: Measured with ``bench/serve_latency.py`` at 10,000 documents: 163-190 ms from a save to the
#: browser's paint with the default, 134-135 ms with this; the rebuilds took as long.
SWITCH_INTERVAL = 0.001


def base_path(builder: SiteBuilder) -> str:
    """The path part of the site's base URL (``/`` or a sub-path like ``/briefs/``)."""
    config = getattr(builder, "config", None)
    path = urlsplit(str(getattr(config, "base_url", "") or "/")).path or "/"
    return path if path.endswith("/") else path + "/"


def ignored_paths(builder: SiteBuilder) -> list[Path]:
    """Folders never watched: the builder's output and cache folders."""
    extra = getattr(builder, "ignored_paths", None)
    return [builder.output, *(extra() if extra else [])]


class BrowserPages:
    """The pages the preview's browsers show, as a builder renders them ahead of a rebuild
    (``render/early.py``): their files, and telling those browsers when they were written."""

    def __init__(self, served: Served) -> None:
        self.served = served
        self._urls: dict[str, set[str]] = {}  # file -> the URL paths showing it

    def wanted(self) -> set[str]:
        """The files (relative to the output folder) of the pages browsers show."""
        served = self.served
        self._urls = {}
        try:
            root = served.output.resolve(strict=True)
        except (OSError, RuntimeError):
            return set()
        for page in served.hub.open_pages():
            found = resolve(page, served.output, served.prefix).file
            if found is not None and found.suffix == ".html":
                self._urls.setdefault(found.relative_to(root).as_posix(), set()).add(page)
        return set(self._urls)

    def written(self, rels: list[str]) -> None:
        """These files were written ahead of the rebuild: the browsers showing them update."""
        pages = {page for rel in rels for page in self._urls.get(rel, ())}
        if pages:
            self.served.hub.pages_updated(pages)


class Preview:
    """Everything ``briefing serve`` runs. ``start()`` builds once and serves; ``stop()`` ends it.

    Usable as a context manager; tests drive it in-process on port 0.
    """

    def __init__(
        self,
        builder: SiteBuilder,
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        poll: bool = False,
        quiet: float = 0.04,
        poll_interval: float = 0.25,
        extra_hosts: Iterable[str] = (),
        out: TextIO | None = None,
    ) -> None:
        self.builder = builder
        self.hub = Hub()
        self.queue = ChangeQueue(quiet=quiet)
        self.watcher = Watcher(
            self.queue, ignored=ignored_paths(builder), poll=poll, poll_interval=poll_interval
        )
        self.served = Served(builder.output, base_path(builder), self.hub)
        self.loop = RebuildLoop(
            builder,
            self.hub,
            self.queue,
            watcher=self.watcher,
            idle=self.served.idle,
            out=out,
            on_success=lambda: self.served.set_prefix(base_path(builder)),  # base_url may change
        )
        self.server = DevHTTPServer(host, port, self.served, extra_hosts)
        if hasattr(builder, "early"):  # the pages browsers show are written first on a rebuild
            builder.early = BrowserPages(self.served)
        self._threads: list[threading.Thread] = []
        self._stopped = False
        self._switch_interval: float | None = None  # the interpreter's own, while the preview runs

    @property
    def url(self) -> str:
        """The address of the site's home page."""
        host = str(self.server.server_address[0])
        if host in ("0.0.0.0", "::"):
            host = "127.0.0.1" if host == "0.0.0.0" else "::1"
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{self.server.port}{self.served.prefix}"

    def start(self) -> bool:
        """Build once, then watch and serve; True when the first build succeeded.

        The first build runs before the preview starts any thread, so, like ``briefing
        build``, it may fork workers (see :mod:`generator.workers`); rebuilds run beside the
        watcher and server threads, so in this process. A change made while the first build
        ran, before the watcher started, shows in the inputs' stats: one more build follows.
        """
        before = self._inputs()
        ok = self.loop.build(None)
        try:
            self.watcher.watch(self.builder.watch_paths())
            self.watcher.start()
        except OSError as exc:  # e.g. the system's limit of inotify watches is reached
            self.stop()
            hint = "" if self.watcher.poll else "; try --poll"
            raise BriefingError(f"cannot watch the site's files: {exc}{hint}") from exc
        if before is None or self._inputs() != before:
            self.queue.put([], structural=True)
        if self._switch_interval is None:
            self._switch_interval = sys.getswitchinterval()
            sys.setswitchinterval(min(SWITCH_INTERVAL, self._switch_interval))
        for name, target in (
            ("serve-http", self.server.serve_forever),
            ("serve-loop", self.loop.run),
        ):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)
        return ok

    def _inputs(self) -> str | None:
        """A digest of the stats of every file the builder reads (``None`` if unknown)."""
        try:
            roots = self.builder.watch_paths()
            site = Path(getattr(self.builder, "source", roots[0] if roots else "."))
            return input_snapshot("", roots, site, ignored_paths(self.builder))
        except Exception:  # noqa: BLE001 - a broken config: the loop's next build reports it
            return None

    def _spawn(self, name: str, target: Callable[[], None]) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def stop(self) -> None:
        """Stop watching, rebuilding and serving; disconnect every browser."""
        if self._stopped:
            return
        self._stopped = True
        self.watcher.stop()
        self.queue.close()
        self.hub.close()
        if self._threads:
            self.server.shutdown()
        self.server.server_close()
        for thread in self._threads:
            thread.join(timeout=10)
        if self._switch_interval is not None:
            sys.setswitchinterval(self._switch_interval)
        close = getattr(self.builder, "close", None)
        if close is not None:
            close()  # releases the builder's cache

    def __enter__(self) -> Preview:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
