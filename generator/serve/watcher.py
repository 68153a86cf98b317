"""Watch the site's sources with watchdog and hand debounced batches of changed paths on."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserver

from generator.sources import is_ignored_name

#: Event types that can change what a build reads (opened / closed-without-write cannot).
_RELEVANT = frozenset({"created", "deleted", "modified", "moved", "closed", "attrib"})

#: The build's own rule, so a file the build skips never triggers a rebuild (and vice versa).
is_editor_noise = is_ignored_name


def _is_within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _identity(folder: Path) -> tuple[int, int] | None:
    try:
        st = folder.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


@dataclass(frozen=True)
class ChangeBatch:
    """What changed during one quiet window: file paths, and whether folders came or went."""

    paths: frozenset[Path]
    structural: bool = False


class ChangeQueue:
    """Collects changed paths from watcher threads and releases them as debounced batches.

    A batch is released once no new change has arrived for ``quiet`` seconds (or ``max_delay``
    after its first change, so a steady stream still rebuilds). When the latest change is a
    finished one (a file closed after writing, or renamed into place) the window is
    only ``settled_quiet``: the save is complete, so waiting longer only adds latency.
    Changes that arrive while a batch is being built accumulate into the next one, so at
    most one rebuild waits behind the running one.
    """

    def __init__(
        self, quiet: float = 0.04, max_delay: float = 0.5, settled_quiet: float = 0.015
    ) -> None:
        self.quiet = quiet
        self.settled_quiet = min(settled_quiet, quiet)
        self.max_delay = max_delay
        self._window = quiet
        self._cond = threading.Condition()
        self._paths: set[Path] = set()
        self._structural = False
        self._first = 0.0
        self._last = 0.0
        self._closed = False

    def put(
        self, paths: Iterable[Path], *, structural: bool = False, settled: bool = False
    ) -> None:
        """Record changed paths.

        ``structural`` when a folder was created, removed or moved; ``settled`` when the
        change is complete (closed after writing, renamed into place).
        """
        paths = list(paths)
        if not paths and not structural:
            return
        with self._cond:
            now = time.monotonic()
            if not self._paths and not self._structural:
                self._first = now
            self._last = now
            self._window = self.settled_quiet if settled else self.quiet
            self._paths.update(paths)
            self._structural = self._structural or structural
            self._cond.notify_all()

    def pending(self) -> bool:
        """True when changes are waiting to be taken."""
        with self._cond:
            return bool(self._paths) or self._structural

    def get(self, timeout: float | None = None) -> ChangeBatch | None:
        """Wait for the next debounced batch; None when closed or after ``timeout`` seconds."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while True:
                if self._closed:
                    return None
                now = time.monotonic()
                if self._paths or self._structural:
                    ready_at = min(self._last + self._window, self._first + self.max_delay)
                    if now >= ready_at:
                        batch = ChangeBatch(frozenset(self._paths), self._structural)
                        self._paths = set()
                        self._structural = False
                        return batch
                    wait = ready_at - now
                else:
                    wait = None
                if deadline is not None:
                    if now >= deadline and wait is None:
                        return None
                    wait = max(0.0, deadline - now) if wait is None else wait
                self._cond.wait(wait)

    def close(self) -> None:
        """Wake every waiter; ``get`` returns None from now on."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()


class _Handler(FileSystemEventHandler):
    """Turns watchdog events into paths for a ChangeQueue, dropping noise and ignored folders."""

    def __init__(self, watcher: Watcher) -> None:
        self._watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in _RELEVANT:
            return
        if event.is_directory and event.event_type in ("modified", "closed", "attrib"):
            return  # a folder's listing changed: its entries' own events say how
        raw = [event.src_path, event.dest_path] if event.dest_path else [event.src_path]
        paths = [p for p in (Path(os.fsdecode(r)) for r in raw) if self._watcher.wants(p)]
        if paths:
            # complete: closed after writing, or renamed into place (an atomic save's last
            # step); a rename away (vim's backup step) is followed by a write: wait for it
            finished = event.event_type == "closed" or (
                event.event_type == "moved"
                and self._watcher.wants(Path(os.fsdecode(event.dest_path)))
            )
            self._watcher.queue.put(
                paths, structural=event.is_directory, settled=finished and not event.is_directory
            )


#: Frames a walk of the deepest folder a path can name may need: with PATH_MAX at 4,096
#: bytes, a tree is at most 2,048 folders deep (one letter and a slash a level).
_DEEPEST_WALK = 10_000


def allow_deep_trees() -> None:
    """Let watchdog's folder walks (``os.walk`` and its snapshots recurse once per level) go as
    deep as a path can: at Python's default limit of 1,000 a folder 1,100 levels deep under
    content/ stopped ``serve`` with a RecursionError (the build reports such a folder)."""
    if sys.getrecursionlimit() < _DEEPEST_WALK:
        sys.setrecursionlimit(_DEEPEST_WALK)


class Watcher:
    """Watches the paths a builder reads (folders recursively, single files by their folder).

    ``watch(paths)`` may be called again after each build: new paths are scheduled, paths no
    longer wanted are dropped. Paths inside an ``ignored`` folder (the output and the cache)
    and editor noise never reach the queue.
    """

    def __init__(
        self,
        queue: ChangeQueue,
        *,
        ignored: Iterable[Path] = (),
        poll: bool = False,
        poll_interval: float = 0.25,
    ) -> None:
        self.queue = queue
        self.poll = poll
        self._ignored = [Path(p).absolute() for p in ignored]
        self._targets: list[Path] = []
        self._observer: BaseObserver = (
            PollingObserver(timeout=poll_interval) if poll else Observer()
        )
        self._handler = _Handler(self)
        self._watches: dict[tuple[Path, bool], ObservedWatch] = {}
        self._identity: dict[tuple[Path, bool], tuple[int, int] | None] = {}
        self._lock = threading.Lock()
        self._started = False
        self._stopped = False

    def wants(self, path: Path) -> bool:
        """True when a change to ``path`` should trigger a rebuild."""
        path = path.absolute()
        if any(_is_within(path, folder) for folder in self._ignored):
            return False
        for target in self._targets:
            if _is_within(path, target):
                rel = path.relative_to(target).parts
                name = path.name
                return not is_editor_noise(name) and not any(p.startswith(".") for p in rel)
        return False

    def watch(self, paths: Iterable[Path]) -> bool:
        """Make the watched set exactly ``paths`` (folders, files, or paths not there yet).

        Returns True when a folder was newly scheduled (its files may have changed unseen).
        """
        targets = sorted({Path(p).absolute() for p in paths})
        wanted: set[tuple[Path, bool]] = set()
        for target in targets:
            if target.is_dir():
                wanted.add((target, True))
            else:
                parent = target.parent
                while not parent.is_dir() and parent != parent.parent:
                    parent = parent.parent
                wanted.add((parent, False))
        # a recursive watch covers everything below it
        recursive = [folder for folder, rec in wanted if rec]
        wanted = {
            (folder, rec)
            for folder, rec in wanted
            if not any(r != folder and _is_within(folder, r) for r in recursive)
            and not (not rec and folder in recursive)
        }
        with self._lock:
            if self._stopped:  # a rebuild finishing after stop(): schedule nothing new
                return False
            self._targets = targets
            # drop what is no longer wanted, and folders deleted or replaced since scheduled
            alive = {e.watch for e in self._observer.emitters if e.is_alive()}
            stale = {
                key
                for key, handle in self._watches.items()
                if key not in wanted
                or _identity(key[0]) != self._identity[key]
                or (self._started and handle not in alive)
            }
            for key in stale:
                self._identity.pop(key, None)
                try:
                    self._observer.unschedule(self._watches.pop(key))
                except (KeyError, OSError):  # its folder is gone and so is its emitter
                    pass
            added = sorted(wanted - set(self._watches))
            for folder, rec in added:
                try:
                    handle = self._observer.schedule(self._handler, str(folder), recursive=rec)
                except OSError:
                    # The folder went away while it was being watched, or the observer is
                    # stopping: nothing to watch there now; the next rebuild tries again.
                    continue
                self._identity[(folder, rec)] = _identity(folder)
                self._watches[(folder, rec)] = handle
            return bool(added)

    def watched_folders(self) -> list[tuple[Path, bool]]:
        """The folders scheduled now, each with whether it is watched recursively."""
        with self._lock:
            return sorted(self._watches)

    def start(self) -> None:
        """Start delivering events."""
        allow_deep_trees()
        self._observer.start()
        self._started = True

    def stop(self) -> None:
        """Stop watching and wait for the observer's threads to end.

        Stopped even when it never started: watchdog 7 starts its inotify reader threads as
        soon as a folder is scheduled, and only stopping the observer ends them (threads left
        behind would keep every later build in this process from forking workers). A
        ``watch()`` called after this (a rebuild that was running when the preview stopped)
        schedules nothing, so it starts no reader thread that nothing would stop.
        """
        with self._lock:  # a watch() running now finishes first; later ones do nothing
            self._stopped = True
            emitters = list(self._observer.emitters)
        self._observer.stop()
        if self._started:
            self._observer.join(timeout=5)
            self._started = False
        for emitter in emitters:  # the reader threads end a moment after the observer's
            if emitter.is_alive():
                emitter.join(timeout=5)
