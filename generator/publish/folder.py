"""The folder target: mirror the site into a local folder, swapping it in atomically.

The new tree is assembled in a hidden sibling folder (unchanged files are hard links, so
only changed files are copied) and exchanged with the target in one ``renameat2``
(``RENAME_EXCHANGE``) call on Linux or ``renamex_np`` on macOS: a reader sees the old site
or the new one, never a mix. Where that is impossible (another file system, a mount point,
Windows) each file is written to a temporary name and renamed over the old one, assets
before the pages that use them and the home page last, stale files deleted after.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import stat
import sys
from pathlib import Path

from generator.errors import BriefingError, UsageError
from generator.guard import MARKER, check_output_folder, foreign_files, pid_alive, site_folders
from generator.publish.base import PublishOptions, Target
from generator.publish.files import LocalFile, sha256_file
from generator.publish.plan import Plan, publish_phases
from generator.publish.progress import Progress
from generator.publish.targets import TargetSpec

_TMP_MARK = ".briefing-tmp-"
_STAGE_MARK = ".briefing-stage-"


def open_target(spec: TargetSpec, options: PublishOptions) -> FolderTarget:
    """The folder target for ``dir:PATH`` or a plain path."""
    assert spec.path is not None
    return FolderTarget(spec.path, options)


class FolderTarget(Target):
    """A local folder (for a web server's document root, a mounted share, a sync folder)."""

    def __init__(self, root: Path, options: PublishOptions) -> None:
        self.root = _refuse_dangerous(root, options.source)
        self.label = str(self.root)
        if options.delete and not options.force:
            _refuse_foreign(self.root)
        #: Whether the target is briefing's to mark: new, empty, marked already, or taken over
        #: with --delete --force. A folder shared with other files stays unmarked, so a later
        #: --delete there still needs --force.
        self.owned = (options.delete and options.force) or not foreign_files(self.root)
        self.force = options.force

    def prepare(self, files: dict[str, LocalFile]) -> dict[str, LocalFile]:
        """The site's files; without the build marker for a folder that is not briefing's."""
        return files if self.owned else {path: file for path, file in files.items() if path != MARKER}

    def check_plan(self, plan: Plan) -> None:
        """Refuse to overwrite files of a folder briefing did not write (its own files, such as
        a hand-written ``index.html``, would be lost), unless ``--force``."""
        if self.owned or self.force or not plan.replaces:
            return
        shown = ", ".join(plan.replaces[:3]) + (", ..." if len(plan.replaces) > 3 else "")
        raise UsageError(
            f"{self.root}: refusing to publish into a folder briefing did not write (no {MARKER}): "
            f"{len(plan.replaces)} of its files would be overwritten ({shown}); publish into an "
            "empty or new folder, or add --force to replace them")

    def fingerprint(self, file: LocalFile) -> str:
        """The SHA-256 of the file's bytes."""
        return file.sha256

    def remote_state(self, files: dict[str, LocalFile]) -> dict[str, str | None]:
        """Hash the target's files; a different size is a difference without reading the file."""
        state: dict[str, str | None] = {}
        if not self.root.exists():
            return state
        if not self.root.is_dir():
            raise UsageError(f"{self.root}: exists and is not a folder")
        for path, full in _walk(self.root):
            info = full.lstat()
            local = files.get(path)
            if not stat.S_ISREG(info.st_mode):
                state[path] = None  # a link or special file: replace it with the real file
            elif local is None or local.size != info.st_size:
                state[path] = f"size:{info.st_size}"
            else:
                state[path] = sha256_file(full)
        return state

    def apply(self, plan: Plan, files: dict[str, LocalFile], progress: Progress) -> None:
        """Swap in a staged copy of the new tree, or update file by file where that fails."""
        _remove_leftovers(self.root)
        try:
            swapped = self._publish_swapped(plan, files, progress)
        except OSError as exc:
            raise BriefingError(f"{self.root}: {exc}; the folder was not changed") from exc
        if not swapped:
            self._publish_in_place(plan, files, progress)

    def _publish_swapped(self, plan: Plan, files: dict[str, LocalFile], progress: Progress) -> bool:
        parent = self.root.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
            stage = parent / f".{self.root.name}{_STAGE_MARK}{os.getpid()}"
            stage.mkdir()
        except OSError:
            return False  # no write access beside the target: update in place
        if self.root.exists() and not _can_exchange(stage):
            stage.rmdir()
            return False
        try:
            existed = self.root.exists()
            if existed:
                _copy_mode(self.root, stage)
                for path in plan.unchanged + plan.stale + plan.protected:
                    _link_or_copy(self.root / path, stage / path, self.root, stage)
            for path in plan.sends:
                _write(files[path], stage / path, self.root / path, self.root, stage)
            if existed:
                try:
                    _exchange(stage, self.root)
                except OSError:
                    return False
            else:
                os.rename(stage, self.root)
            _report(plan, progress)
            return True
        finally:
            shutil.rmtree(stage, ignore_errors=True)

    def _publish_in_place(self, plan: Plan, files: dict[str, LocalFile], progress: Progress) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        doomed = set(plan.deletes)
        new = set(plan.uploads)
        try:
            for phase in publish_phases(plan.sends):
                for path in phase:
                    dest = self.root / path
                    _clear_way(self.root, path, doomed)
                    _write(files[path], dest, dest, self.root, self.root)
                    progress.advance("uploaded" if path in new else "replaced", path, files[path].size)
            for path in plan.deletes:
                full = self.root / path
                if full.is_symlink() or full.is_file():
                    full.unlink()
                _prune_empty(full.parent, self.root)
                progress.advance("deleted", path)
        except OSError as exc:
            raise BriefingError(
                f"{self.root}: {exc.strerror or exc} ({exc.filename or ''}) after "
                f"{progress.done_files} of {progress.total_files} changes; every file reported "
                "above is in place: run the same command again to complete the publish") from exc


def _refuse_dangerous(root: Path, source: Path) -> Path:
    """The absolute target folder, refusing ``/``, the home folder, the source or a parent of
    it, and a folder that holds, or lies inside, what the site is made from (see
    :func:`generator.guard.check_output_folder`)."""
    root = Path(os.path.abspath(root.expanduser()))
    real = root.resolve()
    source_real = source.resolve()
    home = Path.home().resolve()
    if real == Path(real.anchor) or real == home:
        raise UsageError(f"{root}: refusing to publish over {'the home folder' if real == home else '/'}")
    if real == source_real or real in source_real.parents:
        raise UsageError(f"{root}: refusing to publish over the site's source folder (or a parent of it)")
    check_output_folder(root, source_real, site_folders(source_real), action="publish into")
    return real


def _refuse_foreign(root: Path) -> None:
    """Refuse ``--delete`` on a non-empty folder that holds no briefing build (no marker)."""
    strangers = foreign_files(root)
    if strangers:
        shown = ", ".join(strangers[:3]) + (", ..." if len(strangers) > 3 else "")
        raise UsageError(
            f"{root}: refusing to publish with --delete into a folder briefing did not write (it holds "
            f"{shown} and no {MARKER}); --delete would remove every file that is not part of the site: "
            "publish without --delete, into an empty or new folder, or add --force")


def _walk(root: Path) -> list[tuple[str, Path]]:
    """``(relative path, full path)`` of every non-folder entry, skipping our temporary files."""
    found = []
    for folder, dirs, names in os.walk(root, followlinks=False):
        here = Path(folder)
        for name in list(dirs):
            if (here / name).is_symlink():
                names.append(name)  # a link to a folder is a file-like entry, not walked
        dirs[:] = sorted(d for d in dirs if not (here / d).is_symlink())
        for name in sorted(names):
            if _TMP_MARK in name:
                continue
            full = here / name
            found.append((full.relative_to(root).as_posix(), full))
    return found


def _remove_leftovers(root: Path) -> None:
    """Delete what a killed publish left: temporary files inside, a staging folder beside."""
    if root.parent.is_dir():
        for entry in root.parent.glob(f".{root.name}{_STAGE_MARK}*"):
            pid = entry.name.rsplit("-", 1)[-1]
            if pid.isdigit() and int(pid) != os.getpid() and not pid_alive(int(pid)):
                shutil.rmtree(entry, ignore_errors=True)
    if root.is_dir():
        for folder, _dirs, names in os.walk(root):
            for name in names:
                if _TMP_MARK in name:
                    pid = name.rsplit("-", 1)[-1]
                    if pid.isdigit() and not pid_alive(int(pid)):
                        Path(folder, name).unlink(missing_ok=True)


def _write(file: LocalFile, dest: Path, old: Path, root: Path, top: Path) -> None:
    """Write ``file`` to ``dest`` through a temporary name, keeping the mode of ``old``."""
    _make_parents(dest.parent, root, top)
    tmp = dest.parent / f".{dest.name[:100]}{_TMP_MARK}{os.getpid()}"
    if file.source is not None:
        _copy_bytes(file.source, tmp)
    else:
        tmp.write_bytes(file.read())
    try:
        mode = old.stat().st_mode if old.is_file() and not old.is_symlink() else None
        if mode is not None:
            os.chmod(tmp, stat.S_IMODE(mode))
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _copy_bytes(source: Path, dest: Path) -> None:
    """Copy one file's bytes (a separate function so tests can interrupt a publish here)."""
    shutil.copyfile(source, dest)


def _link_or_copy(old: Path, new: Path, root: Path, top: Path) -> None:
    """Put ``old`` (a file of the live tree) at ``new`` in the staging tree without copying bytes."""
    _make_parents(new.parent, root, top)
    if old.is_symlink():
        os.symlink(os.readlink(old), new)
        return
    try:
        os.link(old, new)
    except OSError:
        shutil.copy2(old, new)


def _make_parents(folder: Path, root: Path, top: Path) -> None:
    """Create ``folder`` (under ``top``) with the modes its counterpart under ``root`` has."""
    if folder.is_dir():
        return
    missing = []
    while not folder.is_dir():
        missing.append(folder)
        folder = folder.parent
    for created in reversed(missing):
        created.mkdir()
        twin = root / created.relative_to(top)
        if twin.is_dir() and top != root:
            _copy_mode(twin, created)


def _copy_mode(source: Path, dest: Path) -> None:
    info = source.stat()
    os.chmod(dest, stat.S_IMODE(info.st_mode))
    if hasattr(os, "chown"):
        try:
            os.chown(dest, info.st_uid, info.st_gid)
        except OSError:
            pass  # not ours to give away; the mode is what matters


def _clear_way(root: Path, path: str, doomed: set[str]) -> None:
    """Remove a stale file or folder (being deleted anyway) that stands where ``path`` goes."""
    parts = path.split("/")
    for depth in range(1, len(parts)):
        above = "/".join(parts[:depth])
        if above in doomed and (root / above).is_file():
            (root / above).unlink()
    dest = root / path
    if dest.is_dir() and not dest.is_symlink():
        shutil.rmtree(dest)


def _prune_empty(folder: Path, root: Path) -> None:
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def _report(plan: Plan, progress: Progress) -> None:
    new = set(plan.uploads)
    for path in plan.sends:
        progress.advance("uploaded" if path in new else "replaced", path, plan.sizes.get(path, 0))
    for path in plan.deletes:
        progress.advance("deleted", path)


def _can_exchange(stage: Path) -> bool:
    """Whether this file system can swap two folders (tried on two empty ones in ``stage``)."""
    first, second = stage / "probe-a", stage / "probe-b"
    try:
        first.mkdir()
        second.mkdir()
        _exchange(first, second)
        return True
    except OSError:
        return False
    finally:
        for probe in (first, second):
            if probe.is_dir():
                probe.rmdir()


def _exchange(first: Path, second: Path) -> None:
    """Swap two folders atomically; raises OSError where the system cannot."""
    libc = ctypes.CDLL(None, use_errno=True)
    if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
        call = libc.renameat2
        call.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        at_fdcwd, rename_exchange = -100, 2
        result = call(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange)
    elif sys.platform == "darwin" and hasattr(libc, "renamex_np"):
        call = libc.renamex_np
        call.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint]
        result = call(os.fsencode(first), os.fsencode(second), 2)  # RENAME_SWAP
    else:
        raise OSError(errno.ENOSYS, "atomic folder exchange is not available here")
    if result != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(second))
