"""The built site as a list of files to publish: relative path, size, content hash."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.errors import UsageError, printable_path

_CHUNK = 1 << 20


@dataclass(frozen=True)
class LocalFile:
    """One file of the built site, named by its ``/``-separated path relative to the site root.

    Its bytes come from ``source`` on disk, or from ``data`` for a file a target adds itself
    (git's ``.nojekyll``).
    """

    path: str
    size: int
    sha256: str
    source: Path | None = None
    data: bytes | None = None

    def read(self) -> bytes:
        """The file's bytes."""
        if self.data is not None:
            return self.data
        assert self.source is not None
        return self.source.read_bytes()

    def chunks(self) -> Iterator[bytes]:
        """The file's bytes a chunk at a time (a big file is never held whole)."""
        if self.data is not None:
            yield self.data
            return
        assert self.source is not None
        with self.source.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                yield chunk


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file's bytes, as hex, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def inline_file(path: str, data: bytes) -> LocalFile:
    """A file that exists only in memory (added by a target, not by the build)."""
    return LocalFile(path, len(data), hashlib.sha256(data).hexdigest(), None, data)


def scan_site(root: Path) -> dict[str, LocalFile]:
    """Every file under ``root`` keyed by relative path, in sorted order.

    Symbolic links that point outside ``root`` are refused (a built site never needs them);
    links inside it are published as the file they point to.
    """
    if not root.is_dir():
        raise UsageError(f"{root}: the built site is not a folder")
    real_root = root.resolve()
    files: dict[str, LocalFile] = {}
    for folder, dirs, names in os.walk(root, followlinks=False):
        dirs.sort()
        here = Path(folder)
        for name in list(dirs):
            link = here / name
            if link.is_symlink() and not _inside(link.resolve(), real_root):
                raise UsageError(f"{link}: symbolic link points outside the site; refusing to publish it")
        for name in sorted(names):
            full = here / name
            if not _utf8(name):
                raise UsageError(f"{printable_path(str(full))}: file name is not valid UTF-8; rename it "
                                 "(web servers, git hosts and S3 need UTF-8 names); refusing to publish it")
            if full.is_symlink():
                target = full.resolve()
                if not _inside(target, real_root):
                    raise UsageError(f"{full}: symbolic link points outside the site; refusing to publish it")
                if not target.is_file():
                    continue
            elif not full.is_file():
                continue  # sockets, fifos: nothing to publish
            rel = full.relative_to(root).as_posix()
            files[rel] = LocalFile(rel, full.stat().st_size, sha256_file(full), full)
    return dict(sorted(files.items()))


def _utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
        return True
    except UnicodeEncodeError:  # a byte that is not UTF-8, kept by Python as a lone surrogate
        return False


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents
