"""The one rebuild loop: take a batch of changes, build, then tell the browsers what happened."""

from __future__ import annotations

import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, TextIO

from generator.errors import BriefingError
from generator.serve.livereload import Hub
from generator.serve.watcher import ChangeBatch, ChangeQueue, Watcher


class SiteBuilder(Protocol):
    """What the loop needs from ``generator.build.Builder``."""

    output: Path

    def build(self, changed: set[Path] | None = None) -> Any:
        """Build; ``changed`` None means find out what changed."""

    def watch_paths(self) -> list[Path]:
        """The files and folders a build reads."""


def _is_error(diagnostic: object) -> bool:
    return bool(getattr(diagnostic, "is_error", True))


class RebuildLoop:
    """Runs builds one at a time and announces each outcome on the hub.

    A good build that changed only stylesheets refreshes styles; one that changed anything
    else reloads every page; one that changed nothing reloads only to clear an error. A
    failed build prints its diagnostics and shows them over every page, while the last good
    output stays served (the builder leaves it in place).
    """

    def __init__(
        self,
        builder: SiteBuilder,
        hub: Hub,
        queue: ChangeQueue,
        *,
        watcher: Watcher | None = None,
        idle: threading.Event | None = None,
        out: TextIO | None = None,
        on_success: Callable[[], None] | None = None,
    ) -> None:
        self.builder = builder
        self.on_success = on_success
        self.hub = hub
        self.queue = queue
        self.watcher = watcher
        self.idle = idle if idle is not None else threading.Event()
        self.idle.set()
        self.out = out
        self.builds = 0
        self.last_build_ms = 0.0
        self.failing = False
        self._warned: set[str] = set()

    def run(self) -> None:
        """Rebuild for each batch of changes until the queue is closed."""
        while True:
            batch = self.queue.get()
            if batch is None:
                return
            self.rebuild(batch)

    def rebuild(self, batch: ChangeBatch) -> bool:
        """Build for one batch (a full look when folders changed); True when it succeeded."""
        changed = None if batch.structural else set(batch.paths)
        return self.build(changed, names=sorted(p.name for p in batch.paths))

    def build(self, changed: set[Path] | None, names: list[str] | None = None) -> bool:
        """Build once and announce the outcome; True when the build succeeded."""
        start = time.perf_counter()
        result, errors = self._run(changed)
        self.builds += 1
        self.last_build_ms = (time.perf_counter() - start) * 1000
        if errors:
            self._announce_failure(errors)
        else:
            if self.on_success is not None:
                self.on_success()  # before any browser is told to reload
            self._announce_good(result, self.last_build_ms, names)
        self._rewatch()
        return not errors

    def _run(self, changed: set[Path] | None) -> tuple[Any, list[str]]:
        """Call the builder: its result, and its error messages ([] when it succeeded)."""
        self.idle.clear()
        try:
            result = self.builder.build(changed)
        except BriefingError as exc:
            found = getattr(exc, "diagnostics", None)
            return None, [str(d) for d in found] if found else [str(exc) or type(exc).__name__]
        except Exception as exc:  # a bug must not stop the server: show it and keep serving
            self._say(traceback.format_exc().rstrip())
            return None, [f"internal error: {type(exc).__name__}: {exc}"]
        finally:
            self.idle.set()
        diagnostics = list(getattr(result, "diagnostics", []))
        self._warn([str(d) for d in diagnostics if not _is_error(d)])
        errors = [str(d) for d in diagnostics if _is_error(d)]
        if not errors and not getattr(result, "ok", True):
            errors = ["build failed"]
        return result, errors

    def _announce_good(self, result: Any, elapsed: float, names: list[str] | None) -> None:
        written = list(getattr(result, "written", []))
        removed = list(getattr(result, "removed", []))
        was_failing, self.failing = self.failing, False
        what = f" after {', '.join(names[:3])}{' …' if len(names) > 3 else ''}" if names else ""
        self._say(
            f"built in {elapsed:.0f} ms{what}: {len(written)} written, {len(removed)} removed"
        )
        if was_failing:
            self.hub.reload()
        elif not written and not removed:
            return
        elif not removed and all(p.endswith(".css") for p in written):
            self.hub.css(written)
        else:
            self.hub.reload()

    def _announce_failure(self, errors: list[str]) -> None:
        self.failing = True
        for line in errors:
            self._say(line)
        count = len(errors)
        self._say(
            f"build failed ({count} error{'s' if count != 1 else ''}); "
            "still serving the last good site"
        )
        self.hub.error(errors)

    def _warn(self, warnings: list[str]) -> None:
        fresh = [w for w in warnings if w not in self._warned]
        self._warned = set(warnings)
        for line in fresh:
            self._say(line)

    def _rewatch(self) -> None:
        if self.watcher is None:
            return
        try:
            paths = self.builder.watch_paths()
        except Exception:  # a broken config: keep watching what we watch
            return
        if self.watcher.watch(paths) and self.builds > 1:
            self.queue.put([], structural=True)  # a new folder: look at what it may hold

    def _say(self, line: str) -> None:
        print(line, file=self.out or sys.stderr, flush=True)
