"""The site's input files seen by their stats alone (never read): a snapshot that tells whether
a build would change anything, and the linked folders a live preview must watch too.

Folders reached through symbolic links inside the site folder are walked (each real folder
once); links out of the site are named, never followed, as the build never reads them.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

#: What :func:`_entries` reports of each path.
FILE, FOLDER, LINKED_FOLDER, OUTSIDE, UNREADABLE = "file", "folder", "linked folder", "outside", "unreadable"


def _inside(path: str, site_real: str) -> bool:
    return (os.path.realpath(path) + os.sep).startswith(site_real)


def _entries(roots: list[Path], site: Path, skip: list[Path]) -> Iterator[tuple[str, str, os.DirEntry[str] | None]]:
    """``(kind, path, entry)`` for every root and everything below the folder ones, in a
    stable order; ``skip`` names folders (the output, the cache) that hold no inputs."""
    site_real = os.path.realpath(site) + os.sep
    skipped = {os.path.realpath(p) for p in skip}
    seen: set[str] = set()
    for root in roots:
        text = str(root)
        if os.path.islink(text) and not _inside(text, site_real):
            yield OUTSIDE, text, None
            continue
        if not os.path.isdir(text):
            if os.path.exists(text):
                yield FILE, text, None
            continue
        # Each folder's real path comes from its parent's (resolved only behind a link): a
        # realpath per folder would cost as many lookups as the folder is deep.
        stack = [(text, os.path.realpath(text))]
        while stack:
            folder, real = stack.pop()
            if real in seen or real in skipped:
                continue
            seen.add(real)
            try:
                entries = sorted(os.scandir(folder), key=lambda e: e.name)
            except OSError:
                continue
            for entry in entries:
                try:
                    link = entry.is_symlink()
                    if link and not _inside(entry.path, site_real):
                        yield OUTSIDE, entry.path, entry
                        continue
                    if entry.is_dir():
                        below = os.path.realpath(entry.path) if link else os.path.join(real, entry.name)
                        stack.append((entry.path, below))
                        yield (LINKED_FOLDER if link else FOLDER), entry.path, entry
                        continue
                except OSError:
                    yield UNREADABLE, entry.path, entry
                    continue
                yield FILE, entry.path, entry


def input_snapshot(header: str, roots: list[Path], site: Path, skip: list[Path],
                   stats: dict[str, tuple[int, int, int, int]] | None = None) -> str:
    """A digest of ``header`` and every input file's path, size, mtime, ctime and inode: equal
    snapshots mean a build would read the same bytes.

    Files behind links are stat-ed where they really are; the change time, which no one can
    set back, catches an edit whose mtime was restored. ``stats``, if given, receives each
    file's ``(mtime_ns, size, inode, ctime_ns)`` by its path as found (a later scan of the same
    files may take them rather than stat each again).
    """
    lines = [header]
    for kind, path, entry in _entries(roots, site, skip):
        if kind != FILE:
            lines.append(f"{path}\0{kind}")
            continue
        try:
            st = entry.stat() if entry is not None else os.stat(path)
        except OSError:
            lines.append(f"{path}\0{UNREADABLE}")
            continue
        lines.append(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_ino}")
        if stats is not None:
            stats[path] = (st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns)
    lines.append("")
    return hashlib.blake2b("\n".join(lines).encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


def linked_folders(roots: list[Path], site: Path, skip: list[Path]) -> list[Path]:
    """The real folders that links under ``roots`` lead to (inside the site): what a watcher of
    the roots does not see, as it does not follow links."""
    return [Path(os.path.realpath(path)) for kind, path, _ in _entries(roots, site, skip) if kind == LINKED_FOLDER]
