"""Results of pure functions kept across processes, by a digest of their exact inputs.

A ``briefing build`` in a new process makes every page's view again to compare its digest with
the one the last build saved (``docs/decisions/dependency-tracking.md``). Some parts of those
views are costly and recur unchanged from build to build: the land outline of a map's extent,
the sentences around a document's links. Each is made by a pure function of values handed to
it; this memo keeps its result under a digest of exactly those values (and of this package's
code), in the parse cache's database. Nothing here says what a view depends on: a key is the
digest of the function's own arguments, so equal keys mean equal inputs, and an entry can only
be missing, never wrong.

Entries are loaded per kind before the render workers fork (they inherit them); a build that
resumes from a base (``generator/resume.py``), which makes few views, reads instead each entry
it asks for from the cache when first asked (and every entry before it forks workers, or before
a save that drops unused ones). Workers send
back what they used and made (:func:`take_log`), and the builder saves the new entries and,
after a build that made every view, drops every entry no view used (a deleted document's,
an older code's), so the memo holds what the site needs now and no more.

A build without a cache (``--no-cache``) saves nothing, so nothing is recorded for a save:
no keys used, no result pickled. Only the results of the kinds in :data:`HELD`, which recur
within a build, are still held, and those a render worker made are sent back (unpickled until
the worker's reply is) so that workers forked later inherit them.
"""

from __future__ import annotations

import functools
import hashlib
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from generator import __version__
from generator.canonical import canonical_pickle
from generator.sources import tree_files

T = TypeVar("T")

#: The kinds of results kept (one ``kind`` per memoized function).
KINDS = ("land", "contexts", "search", "json", "feed")
#: The kinds whose results recur within a build, held in memory once made or read.
HELD = frozenset({"land", "feed"})
#: Bytes of new results the builder holds before it writes them to the cache: a first build's
#: workers send back every document's search row and backlink sentences, tens of MB at
#: 10,000 documents, which were held until the build ended.
WRITE_OUT = 8 << 20


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> bytes:
    """A digest of every Python file of this package and of its version: a memoized function
    changed in any way never reuses results made by another version of the code."""
    digest = hashlib.blake2b(__version__.encode(), digest_size=16)
    package = Path(__file__).resolve().parent
    files = [entry.path for entry in tree_files(str(package)) if entry.name.endswith(".py")]
    for path in sorted(files):
        try:
            with open(path, "rb") as handle:
                digest.update(path[len(str(package)):].encode("utf-8", "surrogateescape") + b"\0" + handle.read())
        except OSError:
            continue
    return digest.digest()


def key_of(kind: str, inputs: Any) -> str:
    """The key of a result: a digest of the code, the kind and a pickle of the inputs (plain
    data: text, bytes, numbers, tuples; pickled alike in every process, however its objects are
    shared: ``generator/canonical.py``)."""
    data = canonical_pickle(inputs)
    return hashlib.blake2b(code_fingerprint() + kind.encode() + b"\0" + data, digest_size=20).hexdigest()


class Memo:
    """The results of one site's memoized functions (see the module's docstring)."""

    def __init__(self) -> None:
        #: kind -> key -> pickled result (unpickled when first used) or the result itself
        self.known: dict[str, dict[str, Any]] = {kind: {} for kind in KINDS}
        #: kind -> keys used since :meth:`begin` (or the last :meth:`take_log`, in a worker)
        self.used: dict[str, set[str]] = {kind: set() for kind in KINDS}
        #: (kind, key, pickled result) made since then
        self.new: list[tuple[str, str, bytes]] = []
        #: what the known entries were loaded from (a cache object), so a running builder loads once
        self.source: object = None
        #: keys of the entries in :attr:`new`
        self._made: set[str] = set()
        #: whether uses and results are recorded for a save (a build with a cache)
        self.recording = True
        #: the cache whose entries are read one by one when first asked for (see :meth:`begin`)
        self._lazy: Any = None

    def get(self, kind: str, function: Callable[..., T], *args: Any) -> T:
        """``function(*args)``, or the result kept for these exact arguments.

        Results of the kinds in :data:`HELD` stay in memory once made or read (they recur
        within a build); the others are given once and let go (their callers keep what they
        need), so a build does not hold every document's row twice."""
        if not self.recording:
            return self._unrecorded(kind, function, args)
        key = key_of(kind, (function.__module__, function.__qualname__, args))
        found = self.known[kind]
        value = found.get(key, _MISSING)
        self.used[kind].add(key)
        if value is _MISSING and self._lazy is not None:
            blob = self._lazy.memo_value(kind, key)
            if blob is not None:
                value = found[key] = blob
        if value is _MISSING:
            value = function(*args)
            if key not in self._made:
                self._made.add(key)
                self.new.append((kind, key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)))
            if kind in HELD:
                found[key] = _Loaded(value)
            return value
        if type(value) is _Loaded:
            return value.value  # type: ignore[no-any-return]
        try:
            loaded = pickle.loads(value)
        except Exception:  # noqa: BLE001 - an unreadable entry is a miss
            del found[key]
            return self.get(kind, function, *args)
        if kind in HELD:
            found[key] = _Loaded(loaded)
        else:  # used: not stale, so it stays saved; let go here
            del found[key]
        return loaded  # type: ignore[no-any-return]

    def _unrecorded(self, kind: str, function: Callable[..., T], args: tuple[Any, ...]) -> T:
        """:meth:`get` in a build that saves nothing: only the :data:`HELD` kinds are kept (in
        memory, and sent back from a render worker); the others are simply worked out."""
        if kind not in HELD:
            return function(*args)
        key = key_of(kind, (function.__module__, function.__qualname__, args))
        found = self.known[kind]
        value = found.get(key, _MISSING)
        if value is _MISSING:
            made = _Loaded(function(*args))
            found[key] = made
            self.new.append((kind, key, made))
            return made.value  # type: ignore[no-any-return]
        if type(value) is _Loaded:
            return value.value  # type: ignore[no-any-return]
        loaded = pickle.loads(value)  # a worker's result taken in (see add_log)
        found[key] = _Loaded(loaded)
        return loaded  # type: ignore[no-any-return]

    def begin(self, cache: Any, *, lazy: bool = False) -> None:
        """Start a build with the entries saved in ``cache`` (a :class:`~generator.cache.ParseCache`,
        or ``None``: nothing saved, nothing kept beyond this process, nothing recorded).

        ``lazy``: a build that makes few views (a resumed one) reads each entry from ``cache``
        when first asked for, not every entry now (:meth:`load_all` reads the rest)."""
        self.recording = cache is not None
        if cache is not self.source or cache is None:  # without a cache, nothing outlives a build
            self.source = cache
            lazy = lazy and cache is not None
            self._lazy = cache if lazy else None
            self.known = {kind: (cache.memo_entries(kind) if cache is not None and not lazy else {})
                          for kind in KINDS}
        self.used = {kind: set() for kind in KINDS}
        self.new = []
        self._made = set()

    def load_all(self) -> None:
        """Read every saved entry not read yet (a build begun ``lazy``): before render workers
        fork, which inherit the entries and must not read the cache's database themselves."""
        cache, self._lazy = self._lazy, None
        if cache is None:
            return
        for kind in KINDS:
            found = cache.memo_entries(kind)
            found.update(self.known[kind])  # what this build read or made already stays
            self.known[kind] = found

    def take_log(self) -> tuple[dict[str, set[str]], list[tuple[str, str, Any]]]:
        """What was used and made since the last call (a render worker sends it back). Without
        recording, the results made are held ones, in :class:`_Loaded`."""
        log = (self.used, self.new)
        self.used = {kind: set() for kind in KINDS}
        self.new = []
        self._made = set()
        return log

    def add_log(self, log: tuple[dict[str, set[str]], list[tuple[str, str, Any]]]) -> None:
        """Take in what a render worker used and made."""
        used, new = log
        if not self.recording:  # results made by the worker, to hold (nothing is saved)
            for kind, key, made in new:
                self.known[kind].setdefault(key, made)
            return
        for kind, keys in used.items():
            self.used.setdefault(kind, set()).update(keys)
        for kind, key, blob in new:
            if key not in self._made:
                self._made.add(key)
                self.new.append((kind, key, blob))
                if kind in HELD:
                    self.known[kind].setdefault(key, blob)
        if sum(len(blob) for _, _, blob in self.new) >= WRITE_OUT:
            self._write_out()

    def _write_out(self) -> None:
        """Save the results made so far to the cache they are kept in, and let them go here
        (a result is a pure function of its key: saved early, it can only be right)."""
        if self.source is not None:
            self.source.memo_update(self.new, [])
            self.new = []

    def save(self, cache: Any, *, complete: bool) -> None:
        """Save the entries made this build; after a ``complete`` build (every view made), drop
        the entries no view used."""
        if cache is None or cache is not self.source:
            return
        stale: list[str] = []
        if complete:
            self.load_all()
            for kind in KINDS:
                found, used = self.known[kind], self.used[kind]
                gone = [key for key in found if key not in used]
                for key in gone:
                    del found[key]
                stale += gone
        cache.memo_update(self.new, stale, KINDS if complete else None)
        self.new = []
        self._made = set()


class _Loaded:
    """A result already unpickled (so a blob and a result are never confused)."""

    __slots__ = ("value",)

    def __init__(self, value: Any):
        self.value = value


_MISSING = object()

#: The memo of this process's builder (one builder builds at a time; a value is a pure
#: function of its key, so builders of other sites sharing it can only miss, never be wrong).
MEMO = Memo()


def memoized(kind: str, function: Callable[..., T], *args: Any) -> T:
    """``function(*args)``, kept across builds and processes under a digest of the arguments
    (plain data), the function's name and this package's code: ``function`` must read nothing
    else (no graph, no settings, no clock)."""
    return MEMO.get(kind, function, *args)
