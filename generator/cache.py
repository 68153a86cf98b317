"""The persistent parse cache: validated documents and rendered bodies keyed by content hash.

A missing, stale, corrupt or foreign cache is never wrong, only slower: every entry's key
includes the version, the settings that affect parsing and the file's own hash, and any
problem reading the cache is treated as a miss.

The cache holds what the site needs now and no more: the loader drops the entry of a file
that changed or went, and after each full scan every entry no live file uses (an older
version's, a deleted file's); a saved state value replaces the one an older version or parser
saved under the same name. SQLite reuses the pages freed, so the file stays the size of the
largest site it has held.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib
import pickle
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generator import __version__

SCHEMA = 7  # 7: bodies keep their joined forms for search; 6: cross-links may wrap over a line break; 5: tables wrapped in a scrollable region; 3: ids of headings holding a cross-link; 4: escapes inside [[...]] (x\|label)


#: The libraries whose output a parse result holds (HTML, highlighting, front matter values).
PARSE_LIBRARIES = ("markdown", "pygments", "yaml")


@functools.lru_cache(maxsize=1)
def _parser_fingerprint() -> str:
    """A hash of the code that turns a file into a document, so an upgraded or edited parser
    never reuses results made by another one (even without a version bump), and of the
    versions of the libraries it uses (an upgraded Python-Markdown may render differently)."""
    package = Path(__file__).resolve().parent
    digest = hashlib.blake2b(digest_size=8)
    for name in PARSE_LIBRARIES:
        module = importlib.import_module(name)
        digest.update(f"{name}={getattr(module, '__version__', '?')}\n".encode())
    for path in sorted([*package.glob("model/*.py"), *package.glob("markup/*.py"),
                        *package.glob("tradecraft/*.py"), package / "yamltree.py", package / "parsing.py"]):
        try:
            digest.update(path.read_bytes())
        except OSError:
            continue
    return digest.hexdigest()


class ParseCache:
    """A key-value store of pickled parse results in ``<cache_dir>/parse.sqlite``."""

    def __init__(self, folder: Path | None, *, together: bool = False):
        """``together``: the saved states and memo entries (a build's last writes) are
        committed together, at :meth:`commit` or :meth:`close`, rather than each with a sync of
        the file (a build in its own process); parses are committed as they are written, so the
        database is not held locked for the build."""
        self.folder = folder
        self.together = together
        self._db: sqlite3.Connection | None = None
        self._pending: list[tuple[str, bytes]] = []
        if folder is None:
            return
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(folder / "parse.sqlite"), check_same_thread=False)
            # A write-ahead log, synced at checkpoints only: a save's commit costs no disk flush,
            # and a crash loses at most the last commits, never the file's consistency.
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value BLOB)")
            self._db.execute("CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value BLOB)")
            self._db.execute("CREATE TABLE IF NOT EXISTS memo (key TEXT PRIMARY KEY, kind TEXT, value BLOB)")
        except (OSError, sqlite3.Error):
            self._db = None

    @staticmethod
    def key(*parts: str) -> str:
        """The key of an entry: version, schema, the parser's own code, and the given parts."""
        return "\x1f".join((__version__, str(SCHEMA), _parser_fingerprint(), *parts))

    def get_many(self, keys: list[str]) -> dict[str, Any]:
        """The entries found for ``keys`` (unreadable ones are simply missing)."""
        if self._db is None or not keys:
            return {}
        found: dict[str, Any] = {}
        try:
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for key, blob in self._db.execute(f"SELECT key, value FROM entries WHERE key IN ({marks})", chunk):
                    try:
                        found[key] = pickle.loads(blob)
                    except Exception:  # noqa: BLE001 - a corrupt entry is a miss
                        continue
        except sqlite3.Error:
            return {}
        return found

    def put(self, key: str, value: Any) -> None:
        """Queue an entry; :meth:`flush` writes queued entries in one transaction."""
        if self._db is not None:
            self._pending.append((key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)))

    def put_pickled(self, key: str, blob: bytes) -> None:
        """Queue an entry already pickled (``pickle.dumps`` of the value, highest protocol)."""
        if self._db is not None:
            self._pending.append((key, blob))

    def flush(self) -> None:
        """Write queued entries."""
        if self._db is None or not self._pending:
            self._pending.clear()
            return
        try:
            with self._writing():
                self._db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?)", self._pending)
        except sqlite3.Error:
            pass
        self._pending.clear()

    def get_state(self, name: str) -> Any:
        """A saved value of the previous build (such as output signatures), or ``None``."""
        if self._db is None:
            return None
        try:
            row = self._db.execute("SELECT value FROM state WHERE key = ?", (self.key(name),)).fetchone()
            return pickle.loads(row[0]) if row else None
        except Exception:  # noqa: BLE001 - unreadable state is no state
            return None

    def state_of_any_version(self, name: str) -> list[Any]:
        """Every saved value of ``name``, whichever version or parser saved it (for facts that
        outlive an upgrade, such as which output folder the site was last built into)."""
        if self._db is None:
            return []
        try:
            rows = self._db.execute("SELECT key, value FROM state WHERE key LIKE ?", ("%\x1f" + name,)).fetchall()
            return [pickle.loads(value) for key, value in rows if str(key).rsplit("\x1f", 1)[-1] == name]
        except Exception:  # noqa: BLE001 - unreadable state is no state
            return []

    def set_state(self, name: str, value: Any) -> None:
        """Save a value for the next build, in place of the ones other versions (or parsers)
        saved under ``name``: only this version reads those. The output folders that other
        versions built into stay known (:meth:`state_of_any_version`), each once."""
        if self._db is None:
            return
        key = self.key(name)
        try:
            older = [(k,) for (k,) in self._db.execute("SELECT key FROM state")
                     if k != key and str(k).rsplit("\x1f", 1)[-1] == name]
            if name == "output":
                older = [k for k in older if _same(self._db.execute(
                    "SELECT value FROM state WHERE key = ?", k).fetchone()[0], value)]
            with self._writing(held=True):
                self._db.execute("INSERT OR REPLACE INTO state VALUES (?, ?)",
                                 (key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)))
                self._db.executemany("DELETE FROM state WHERE key = ?", older)
        except sqlite3.Error:
            pass

    def drop(self, keys: list[str]) -> None:
        """Delete the entries ``keys`` (those of files that changed or went)."""
        if self._db is None or not keys:
            return
        try:
            with self._writing():
                self._db.executemany("DELETE FROM entries WHERE key = ?", [(k,) for k in keys])
        except sqlite3.Error:
            pass

    def prune(self, live_keys: set[str]) -> int:
        """Delete every entry whose key is not in ``live_keys``; returns how many went."""
        if self._db is None:
            return 0
        try:
            stale = [(k,) for (k,) in self._db.execute("SELECT key FROM entries") if k not in live_keys]
            if stale:
                with self._writing():
                    self._db.executemany("DELETE FROM entries WHERE key = ?", stale)
        except sqlite3.Error:
            return 0
        return len(stale)

    def has_entries(self) -> bool:
        """Whether any parse is saved (a new cache has none: nothing to look up)."""
        if self._db is None:
            return False
        try:
            return self._db.execute("SELECT 1 FROM entries LIMIT 1").fetchone() is not None
        except sqlite3.Error:
            return True  # unsure: look every file up, as before

    def entry_keys(self) -> list[str]:
        """Every entry's key (for tests and diagnostics)."""
        if self._db is None:
            return []
        try:
            return [k for (k,) in self._db.execute("SELECT key FROM entries ORDER BY key")]
        except sqlite3.Error:
            return []

    def memo_entries(self, kind: str) -> dict[str, bytes]:
        """The saved results of one kind of memoized function (``generator/memo.py``), pickled."""
        if self._db is None:
            return {}
        try:
            return dict(self._db.execute("SELECT key, value FROM memo WHERE kind = ?", (kind,)))
        except sqlite3.Error:
            return {}

    def memo_value(self, kind: str, key: str) -> bytes | None:
        """One saved result of ``kind`` (pickled), or ``None``."""
        if self._db is None:
            return None
        try:
            row = self._db.execute("SELECT value FROM memo WHERE key = ? AND kind = ?", (key, kind)).fetchone()
        except sqlite3.Error:
            return None
        return row[0] if row is not None else None

    def memo_update(self, new: list[tuple[str, str, bytes]], stale: list[str],
                    kinds: tuple[str, ...] | None = None) -> None:
        """Save memoized results (kind, key, pickled result) and delete the ``stale`` keys; given
        the ``kinds`` this version keeps, delete the results of any other kind too."""
        if self._db is None or not (new or stale or kinds):
            return
        try:
            with self._writing(held=True):
                self._db.executemany("INSERT OR REPLACE INTO memo VALUES (?, ?, ?)",
                                     [(key, kind, blob) for kind, key, blob in new])
                self._db.executemany("DELETE FROM memo WHERE key = ?", [(k,) for k in stale])
                if kinds:
                    self._db.execute(f"DELETE FROM memo WHERE kind NOT IN ({','.join('?' * len(kinds))})", kinds)
        except sqlite3.Error:
            pass

    def memo_keys(self) -> list[str]:
        """Every memoized result's key (for tests)."""
        if self._db is None:
            return []
        try:
            return [k for (k,) in self._db.execute("SELECT key FROM memo ORDER BY key")]
        except sqlite3.Error:
            return []

    @contextlib.contextmanager
    def _writing(self, held: bool = False) -> Iterator[None]:
        """One write, committed at once (rolled back if it fails) unless it is ``held`` and
        writes go ``together``."""
        assert self._db is not None
        if held and self.together:
            yield
            return
        with self._db:
            yield

    def commit(self) -> None:
        """Commit the writes made since the last commit (see ``together``)."""
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.commit()

    def close(self) -> None:
        """Commit and close the database."""
        if self._db is not None:
            self.commit()
            self._db.close()
            self._db = None


def _same(blob: bytes, value: Any) -> bool:
    """Whether a saved state value is ``value`` (an unreadable one is not)."""
    try:
        return bool(pickle.loads(blob) == value)
    except Exception:  # noqa: BLE001 - an unreadable value is kept, as a foreign one would be
        return False
