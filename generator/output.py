"""The output edge: refuse dangerous folders, write only changed bytes, swap atomically."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import OutputFolderError
from generator.sources import digest

#: Files and folders in the output folder that belong to the hosting, not to the build.
PRESERVED = ("CNAME", ".nojekyll", ".git", ".well-known")


def check_output_folder(output: Path, source: Path, content: Path) -> None:
    """Refuse ``/``, the home folder, the source folder, a parent of it, or a folder in content/."""
    out = output.resolve()
    src = source.resolve()
    home = Path.home().resolve()
    if out == Path(out.anchor):
        raise OutputFolderError(f"refusing to build into {output}: it is the root of the file system")
    if out == home:
        raise OutputFolderError(f"refusing to build into {output}: it is your home folder")
    if out == src:
        raise OutputFolderError(f"refusing to build into {output}: it is the source folder")
    if src.is_relative_to(out):
        raise OutputFolderError(f"refusing to build into {output}: it contains the source folder {source}")
    if out.is_relative_to(content.resolve()):
        raise OutputFolderError(f"refusing to build into {output}: it is inside the content folder")
    for protected in ("templates", "static", "themes"):
        if out.is_relative_to((src / protected).resolve()):
            raise OutputFolderError(f"refusing to build into {output}: it is inside the site's {protected}/ folder")
    if out.exists() and not out.is_dir():
        raise OutputFolderError(f"refusing to build into {output}: it is a file, not a folder")
    for ancestor in out.parents:
        if ancestor.exists():
            if not ancestor.is_dir():
                raise OutputFolderError(f"refusing to build into {output}: {ancestor} is a file, not a folder")
            break


@dataclass
class WriteReport:
    """What a write did: files written (bytes changed), unchanged, removed."""

    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


def _same_bytes(path: Path, data: bytes, known: dict[str, tuple[str, int, int]], rel: str) -> bool:
    try:
        stat = path.stat()
    except OSError:
        return False
    if stat.st_size != len(data):
        return False
    entry = known.get(rel)
    if entry is not None and entry[1] == stat.st_size and entry[2] == stat.st_mtime_ns:
        return entry[0] == digest(data)
    try:
        return path.read_bytes() == data
    except OSError:
        return False


def existing_files(output: Path) -> set[str]:
    """Every file in the output folder (relative POSIX paths), preserved ones excluded."""
    found: set[str] = set()
    if not output.is_dir():
        return found
    for folder, dirs, files in os.walk(output):
        rel_folder = os.path.relpath(folder, output)
        if rel_folder == ".":
            dirs[:] = [d for d in dirs if d not in PRESERVED]
        for name in files:
            rel = name if rel_folder == "." else f"{rel_folder}/{name}".replace(os.sep, "/")
            if rel_folder == "." and name in PRESERVED:
                continue
            found.add(rel)
    return found


class SiteWriter:
    """Writes a build's files; ``manifest`` remembers ``path -> (hash, size, mtime_ns)``."""

    def __init__(self, output: Path, manifest: dict[str, tuple[str, int, int]] | None = None):
        self.output = output
        self.manifest = dict(manifest or {})

    def write(self, files: dict[str, bytes | None], *, atomic_swap: bool) -> WriteReport:
        """Make the output folder hold exactly ``files``.

        ``None`` means "same bytes as the file already there". With ``atomic_swap`` the new
        site is assembled in a staging folder beside the output (unchanged files hard-linked)
        and swapped in by rename; otherwise each changed file is replaced atomically in place.
        """
        report = WriteReport()
        changed: dict[str, bytes] = {}
        for rel, data in files.items():
            if data is None or _same_bytes(self.output / rel, data, self.manifest, rel):
                report.unchanged += 1
            else:
                changed[rel] = data
        stale = sorted(existing_files(self.output) - set(files))
        if not changed and not stale:
            return report
        report.written = sorted(changed)
        report.removed = stale
        if atomic_swap or not self.output.is_dir():
            self._swap(files, changed)
        else:
            self._in_place(changed, stale)
        for rel, data in changed.items():
            self._remember(rel, data)
        for rel in stale:
            self.manifest.pop(rel, None)
        return report

    def _remember(self, rel: str, data: bytes) -> None:
        try:
            stat = (self.output / rel).stat()
        except OSError:
            return
        self.manifest[rel] = (digest(data), stat.st_size, stat.st_mtime_ns)

    def _in_place(self, changed: dict[str, bytes], stale: Iterable[str]) -> None:
        for rel in sorted(changed):
            _atomic_write(self.output / rel, changed[rel])
        for rel in stale:
            try:
                (self.output / rel).unlink()
            except OSError:
                continue
        _remove_empty_dirs(self.output)

    def _swap(self, files: dict[str, bytes | None], changed: dict[str, bytes]) -> None:
        output = self.output
        parent = output.parent
        parent.mkdir(parents=True, exist_ok=True)
        staging = parent / f".{output.name}.staging-{os.getpid()}"
        old = parent / f".{output.name}.old-{os.getpid()}"
        for leftover in (staging, old):
            if leftover.exists():
                shutil.rmtree(leftover, ignore_errors=True)
        try:
            made: set[str] = set()
            for rel in sorted(files):
                target = staging / rel
                folder = os.path.dirname(rel)
                if folder not in made:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    made.add(folder)
                if rel in changed:
                    target.write_bytes(changed[rel])
                else:
                    try:
                        os.link(output / rel, target)
                    except OSError:
                        shutil.copy2(output / rel, target)
            if output.is_dir():
                for name in PRESERVED:
                    if (output / name).exists() and not (staging / name).exists():
                        os.rename(output / name, staging / name)
                os.rename(output, old)
            staging.mkdir(parents=True, exist_ok=True)
            os.rename(staging, output)
        except BaseException:
            if old.exists() and not output.exists():
                os.rename(old, output)
            if staging.exists():
                for name in PRESERVED:
                    if (staging / name).exists() and output.is_dir() and not (output / name).exists():
                        os.rename(staging / name, output / name)
                shutil.rmtree(staging, ignore_errors=True)
            raise
        shutil.rmtree(old, ignore_errors=True)


def _remove_empty_dirs(root: Path) -> None:
    for folder, dirs, files in os.walk(root, topdown=False):
        if Path(folder) != root and not dirs and not files:
            try:
                os.rmdir(folder)
            except OSError:
                continue
