"""The output edge: write only changed bytes, atomically (which folders may be written: guard.py)."""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from generator.guard import PRESERVED
from generator.sources import digest

#: A build that changes fewer than one file in this many replaces those files in place (with
#: the old ones kept aside until all are in); a bigger change stages a whole new folder and
#: swaps it in, which costs a link per file of the site.
SWAP_RATIO = 20
#: How much of a file is read at a time when comparing it.
CHUNK = 1 << 20


@dataclass
class WriteReport:
    """What a write did: files written (bytes changed), unchanged, removed."""

    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Put:
    """The outcome of staging one file: its path, whether its bytes changed, and their hash."""

    rel: str
    changed: bool
    digest: str
    size: int
    #: The digest of the output's signature, when the process that rendered it worked it out.
    signature: str | None = None


def existing_files(output: Path) -> set[str]:
    """Every file in the output folder (relative POSIX paths), preserved ones excluded; a link
    to a folder counts as neither a file nor a folder to enter (as ``os.walk`` has it)."""
    found: set[str] = set()
    if not output.is_dir():
        return found
    stack = [("", str(output))]
    while stack:
        prefix, folder = stack.pop()
        try:
            entries = os.scandir(folder)
        except OSError:
            continue
        with entries:
            for entry in entries:
                name = entry.name
                if not prefix and name in PRESERVED:
                    continue
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    is_dir = False
                if not is_dir:
                    found.add(prefix + name)
                elif not entry.is_symlink():
                    stack.append((f"{prefix}{name}/", entry.path))
    return found


class WriteSession:
    """One build's writes: changed files go to a staging folder beside the output as they are
    rendered (so memory stays flat), and only :meth:`commit` touches the output folder.

    ``put`` may run in forked worker processes; their :class:`Put` records are merged back with
    :meth:`record`.
    """

    def __init__(self, writer: SiteWriter, atomic_swap: bool, track: bool = True):
        self.writer = writer
        #: Whether the writer's manifest follows this build's files (hash, size, mtime) for the
        #: next build; a build that is the last one its writer makes needs none of that.
        self.track = track
        self.output = writer.output
        self.atomic_swap = atomic_swap or not self.output.is_dir()
        parent = self.output.parent
        parent.mkdir(parents=True, exist_ok=True)
        self.staging = parent / f".{self.output.name}.staging-{os.getpid()}"
        if self.staging.exists():
            shutil.rmtree(self.staging, ignore_errors=True)
        self.staging.mkdir()
        self.puts: dict[str, Put] = {}
        self.kept: set[str] = set()
        self._made: set[str] = set()

    def put(self, rel: str, data: bytes) -> Put:
        """Stage a file's new bytes; unchanged bytes are noted and not written."""
        known = self.writer.manifest.get(rel)
        file_digest = digest(data) if self.track or known is not None else ""
        same = False
        if known is not None and known[0] == file_digest:
            same = stat_matches(self.output / rel, known)
        elif known is None:
            same = _same_bytes(self.output / rel, data)
        if not same:
            with open(self._staged(rel), "wb") as handle:
                handle.write(data)
        put = Put(rel, not same, file_digest, len(data))
        self.puts[rel] = put
        return put

    def _staged(self, rel: str) -> Path:
        """Where ``rel`` is staged, its folder made (once per build)."""
        target = self.staging / rel
        folder = os.path.dirname(rel)
        if folder not in self._made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(folder)
        return target

    def put_file(self, rel: str, source: Path, size: int, file_digest: str = "") -> Put:
        """Stage a copy of a file (an asset), streamed, never read whole: unchanged when the
        output already holds it (by the manifest's digest and stat, or compared in chunks when
        ``file_digest`` is ``""`` or the file is not in the manifest)."""
        known = self.writer.manifest.get(rel)
        if known is not None and file_digest:
            same = known[0] == file_digest and stat_matches(self.output / rel, known)
        else:
            same = _same_file(self.output / rel, source, size)
        if not same:
            shutil.copyfile(source, self._staged(rel))
        put = Put(rel, not same, file_digest, size)
        self.puts[rel] = put
        return put

    def record(self, put: Put) -> None:
        """Merge a record made by a worker process."""
        self.puts[put.rel] = put

    def keep(self, rel: str) -> None:
        """Note a file that was not rendered again because its inputs did not change."""
        self.kept.add(rel)

    def keep_all(self, rels: list[str]) -> None:
        """Note files that were not rendered again (see :meth:`keep`)."""
        self.kept.update(rels)

    def abort(self) -> None:
        """Drop everything staged; the output folder is untouched."""
        shutil.rmtree(self.staging, ignore_errors=True)

    def commit(self) -> WriteReport:
        """Make the output hold exactly the kept and put files; swap or replace atomically."""
        writer = self.writer
        wanted = self.kept | set(self.puts)
        changed = sorted(rel for rel, put in self.puts.items() if put.changed)
        known = writer.known_files()
        stale = sorted(known - wanted)
        report = WriteReport(written=changed, unchanged=len(wanted) - len(changed), removed=stale)
        try:
            if changed or stale:
                self._move(wanted, changed, stale)
        finally:
            shutil.rmtree(self.staging, ignore_errors=True)
        if self.track:
            manifest = writer.manifest
            for rel, put in self.puts.items():
                # Files found with the right bytes already are remembered too, the first time.
                if put.changed or rel not in manifest:
                    writer.remember(rel, put)
        for rel in stale:
            writer.manifest.pop(rel, None)
        writer.files = wanted
        return report

    def _move(self, wanted: set[str], changed: list[str], stale: list[str]) -> None:
        """Put the staged files in and take the stale ones out: a whole new folder swapped in
        for a big change, else file by file (undoable when the build must be atomic)."""
        if self.atomic_swap and (len(changed) + len(stale)) * SWAP_RATIO > len(wanted):
            self._swap(wanted, set(changed))
        elif self.atomic_swap:
            self._replace_with_undo(changed, stale)
        else:
            self._in_place(changed, stale)

    def _in_place(self, changed: list[str], stale: list[str], done: list[str] | None = None) -> None:
        """Move the staged files over the old ones and delete stale ones (``done`` lists each
        path as it is changed)."""
        output = self.output
        done = [] if done is None else done
        for rel in changed:
            (output / rel).parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.staging / rel, output / rel)
            done.append(rel)
        touched: set[Path] = set()
        for rel in stale:
            try:
                (output / rel).unlink()
                done.append(rel)
                touched.add((output / rel).parent)
            except OSError:
                continue
        for folder in sorted(touched, key=lambda p: len(p.parts), reverse=True):
            while folder != output and folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
                folder = folder.parent

    def _replace_with_undo(self, changed: list[str], stale: list[str]) -> None:
        """Replace a few files in place, each by an atomic rename, keeping the old ones aside
        (hard links) until every replacement is done; a failure puts the old files back."""
        output = self.output
        undo = output.parent / f".{output.name}.undo-{os.getpid()}"
        shutil.rmtree(undo, ignore_errors=True)
        saved: set[str] = set()
        done: list[str] = []
        try:
            for rel in [*changed, *stale]:
                if os.path.lexists(output / rel):
                    (undo / rel).parent.mkdir(parents=True, exist_ok=True)
                    os.link(output / rel, undo / rel)
                    saved.add(rel)
            self._in_place(changed, stale, done)
        except BaseException:
            for rel in reversed(done):
                try:
                    if rel in saved:
                        (output / rel).parent.mkdir(parents=True, exist_ok=True)
                        os.replace(undo / rel, output / rel)
                    else:
                        (output / rel).unlink()
                except OSError:
                    continue
            raise
        finally:
            shutil.rmtree(undo, ignore_errors=True)

    def _swap(self, wanted: set[str], changed: set[str]) -> None:
        output, staging = self.output, self.staging
        old = output.parent / f".{output.name}.old-{os.getpid()}"
        if old.exists():
            shutil.rmtree(old, ignore_errors=True)
        for rel in sorted(wanted - changed):
            target = staging / rel
            folder = os.path.dirname(rel)
            if folder not in self._made:
                target.parent.mkdir(parents=True, exist_ok=True)
                self._made.add(folder)
            try:
                os.link(output / rel, target)
            except OSError:
                shutil.copy2(output / rel, target)
        moved: list[str] = []
        try:
            if output.is_dir():
                for name in PRESERVED:
                    if (output / name).exists() and not (staging / name).exists():
                        os.rename(output / name, staging / name)
                        moved.append(name)
                os.rename(output, old)
            os.rename(staging, output)
        except BaseException:
            if old.exists() and not output.exists():
                os.rename(old, output)
            for name in moved:
                if (staging / name).exists() and not (output / name).exists():
                    os.rename(staging / name, output / name)
            raise
        shutil.rmtree(old, ignore_errors=True)


def stat_matches(path: Path | str, known: tuple[str, int, int] | None) -> bool:
    """Whether ``path`` still has the size and mtime of a manifest entry (hash, size, mtime_ns)."""
    if known is None:
        return False
    try:
        stat = os.stat(path)
    except OSError:
        return False
    return stat.st_size == known[1] and stat.st_mtime_ns == known[2]


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def _same_file(path: Path, source: Path, size: int) -> bool:
    """Whether ``path`` holds the same bytes as ``source`` (of ``size`` bytes), compared a chunk at a time."""
    try:
        if path.stat().st_size != size:
            return False
        with open(path, "rb") as mine, open(source, "rb") as theirs:
            while True:
                a, b = mine.read(CHUNK), theirs.read(CHUNK)
                if a != b:
                    return False
                if not a:
                    return True
    except OSError:
        return False


def listing_digest(lines: list[str]) -> str:
    """The digest of an output folder's listing, one ``path\0size\0mtime_ns`` line per file
    (in any order; see :meth:`SiteWriter.listing`)."""
    digest = hashlib.blake2b(digest_size=16)
    for line in sorted(lines):
        digest.update(line.encode("utf-8", "surrogateescape") + b"\n")
    return digest.hexdigest()


class SiteWriter:
    """Owns an output folder across builds; ``manifest`` remembers ``path -> (hash, size, mtime_ns)``."""

    def __init__(self, output: Path, manifest: dict[str, tuple[str, int, int]] | None = None):
        self.output = output
        self.manifest = dict(manifest or {})
        self.files: set[str] | None = None

    def begin(self, *, atomic_swap: bool, track: bool = True) -> WriteSession:
        """Start a build's writes (``track``: keep the manifest up to date for a next build)."""
        return WriteSession(self, atomic_swap, track)

    def known_files(self) -> set[str]:
        """The files the output folder holds: remembered after the first build, else listed once."""
        if self.files is None or not self.output.is_dir():
            self.files = existing_files(self.output)
        return self.files

    def listing(self) -> str | None:
        """The listing of the output folder after a commit, as a walk would find it (the files
        the commit left, hosting files aside, with their sizes and mtimes), from the manifest:
        each of those files was written, or found up to date by its size and mtime, by that
        commit. ``None`` when one has no entry (then the folder is walked)."""
        if self.files is None:
            return None
        top = str(self.output) + os.sep
        lines: list[str] = []
        for rel in self.files:
            known = self.manifest.get(rel)
            if known is None:
                return None
            if rel not in PRESERVED:
                lines.append(f"{top}{rel.replace('/', os.sep)}\0{known[1]}\0{known[2]}")
        return listing_digest(lines)

    def remember(self, rel: str, put: Put) -> None:
        """Record a written file's hash, size and mtime, so the next build can trust it unread."""
        try:
            stat = (self.output / rel).stat()
        except OSError:
            return
        self.manifest[rel] = (put.digest, stat.st_size, stat.st_mtime_ns)

    def write(self, files: dict[str, bytes | None], *, atomic_swap: bool) -> WriteReport:
        """Make the output hold exactly ``files`` (``None``: keep the file already there)."""
        session = self.begin(atomic_swap=atomic_swap)
        try:
            for rel, data in sorted(files.items()):
                if data is None:
                    session.keep(rel)
                else:
                    session.put(rel, data)
            return session.commit()
        except BaseException:
            session.abort()
            raise
