"""The persistent parse cache: validated documents and rendered bodies keyed by content hash.

A missing, stale, corrupt or foreign cache is never wrong, only slower: every entry's key
includes the version, the settings that affect parsing and the file's own hash, and any
problem reading the cache is treated as a miss.
"""

from __future__ import annotations

import functools
import hashlib
import pickle
import sqlite3
from pathlib import Path
from typing import Any

from generator import __version__

SCHEMA = 6  # 6: cross-links may wrap over a line break; 5: tables wrapped in a scrollable region; 3: ids of headings holding a cross-link; 4: escapes inside [[...]] (x\|label)


@functools.lru_cache(maxsize=1)
def _parser_fingerprint() -> str:
    """A hash of the code that turns a file into a document, so an upgraded or edited parser
    never reuses results made by another one (even without a version bump)."""
    package = Path(__file__).resolve().parent
    digest = hashlib.blake2b(digest_size=8)
    for path in sorted([*package.glob("model/*.py"), *package.glob("markup/*.py"),
                        *package.glob("tradecraft/*.py"), package / "yamltree.py", package / "parsing.py"]):
        try:
            digest.update(path.read_bytes())
        except OSError:
            continue
    return digest.hexdigest()


class ParseCache:
    """A key-value store of pickled parse results in ``<cache_dir>/parse.sqlite``."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self._db: sqlite3.Connection | None = None
        self._pending: list[tuple[str, bytes]] = []
        if folder is None:
            return
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(folder / "parse.sqlite"), check_same_thread=False)
            self._db.execute("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value BLOB)")
            self._db.execute("CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value BLOB)")
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
            with self._db:
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
        """Save a value for the next build."""
        if self._db is None:
            return
        try:
            with self._db:
                self._db.execute("INSERT OR REPLACE INTO state VALUES (?, ?)",
                                 (self.key(name), pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)))
        except sqlite3.Error:
            pass

    def prune(self, live_keys: set[str]) -> None:
        """Drop entries no longer used, when there are many more of them than live ones."""
        if self._db is None:
            return
        try:
            total = self._db.execute("SELECT COUNT(*) FROM entries").fetchone()[0]
            if total > 2 * len(live_keys) + 1000:
                stale = [k for (k,) in self._db.execute("SELECT key FROM entries") if k not in live_keys]
                with self._db:
                    self._db.executemany("DELETE FROM entries WHERE key = ?", [(k,) for k in stale])
        except sqlite3.Error:
            pass

    def close(self) -> None:
        """Close the database."""
        if self._db is not None:
            self._db.close()
            self._db = None
