"""Which folders a build or a publish may write into and clean, and what a killed build left.

A build deletes every file of its output folder that it did not make, so the output folder
must not hold anything the site is made from (content, templates, static files, themes, the
config file, the cache), and must be a folder this tool wrote: one that carries the build
marker (:data:`MARKER`), an empty or missing one, or one the site's own cache says its last
build wrote (a site built by a version from before the marker).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from generator import __version__
from generator.config import CONFIG_NAME, SiteConfig, parse_config
from generator.errors import OutputFolderError

#: Files and folders in the output folder that belong to the hosting, not to the build.
PRESERVED = ("CNAME", ".nojekyll", ".git", ".well-known")
#: The file every build leaves at the root of its output: only a folder holding it is cleaned.
MARKER = ".briefing-build.json"
#: Hidden folders a build makes beside its output, named ``.<output>.<kind>-<pid>``.
SCRATCH_KINDS = ("staging", "old", "undo")


def build_marker(**extra: object) -> bytes:
    """The bytes of the build marker: a JSON object naming the generator and its version.

    ``extra`` adds fields (such as the build's audience); the text is deterministic (sorted
    keys, no time stamps), so an unchanged site rewrites no byte of it.
    """
    data = {"generator": "briefing", "version": __version__, **extra}
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=True) + "\n").encode("ascii")


def is_marked(folder: Path) -> bool:
    """Whether ``folder`` carries a build marker written by briefing."""
    marker = folder / MARKER
    try:
        if marker.is_symlink() or not marker.is_file() or marker.stat().st_size > 65536:
            return False
        data = json.loads(marker.read_bytes())
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("generator") == "briefing"


def site_audience(folder: Path) -> str | None:
    """The audience a built site records in its marker (``None``: no marker, or none recorded)."""
    marker = folder / MARKER
    try:
        if marker.is_symlink() or not marker.is_file() or marker.stat().st_size > 65536:
            return None
        data = json.loads(marker.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("generator") != "briefing" or not isinstance(data.get("audience"), str):
        return None
    return data["audience"]


def foreign_files(folder: Path) -> list[str]:
    """The names at the top of ``folder`` that neither the hosting nor briefing put there,
    when the folder carries no marker (else none: the folder is a briefing site)."""
    if not folder.is_dir() or is_marked(folder):
        return []
    return sorted(entry.name for entry in os.scandir(folder) if entry.name not in PRESERVED)


def _names(names: list[str]) -> str:
    shown = ", ".join(repr(n) if not n.isprintable() else n for n in names[:3])
    return shown + (", ..." if len(names) > 3 else "")


def site_folders(source: Path, config: SiteConfig | None = None) -> list[tuple[str, Path]]:
    """``(description, path)`` of everything a build of ``source`` reads or keeps: the
    content folder, templates/, static/, themes/ (and each theme folder a link leads to),
    the config file, the cache folder and .git/. ``config`` is read from the site when not given."""
    if config is None:
        config = read_config(source)
    folders = [
        ("content folder", source / config.content_dir),
        ("templates/ folder", source / "templates"),
        ("static/ folder", source / "static"),
        ("themes/ folder", source / "themes"),
        (f"config file {CONFIG_NAME}", source / CONFIG_NAME),
        ("cache folder", source / config.cache_dir),
        (".git/ folder", source / ".git"),
    ]
    themes = source / "themes"
    if themes.is_dir():
        for entry in sorted(os.scandir(themes), key=lambda e: e.name):
            if entry.is_symlink():
                folders.append((f"theme folder themes/{entry.name}", Path(entry.path)))
    return folders


def read_config(source: Path) -> SiteConfig:
    """The site's settings as far as they can be read (errors are the build's to report)."""
    try:
        text = (source / CONFIG_NAME).read_bytes().decode("utf-8-sig", errors="replace")
    except OSError:
        return SiteConfig()
    return parse_config(text.replace("\r\n", "\n"), CONFIG_NAME)[0]


def check_output_folder(output: Path, source: Path, folders: list[tuple[str, Path]] | None = None,
                        *, action: str = "build into") -> None:
    """Refuse ``/``, the home folder, the source folder or a parent of it, a file, and a folder
    that contains, or lies inside, any of the site's ``folders`` (see :func:`site_folders`);
    compared as real paths, so a link into or out of the output counts."""
    out = output.resolve()
    src = source.resolve()
    home = Path.home().resolve()
    where = f"refusing to {action} {output}"
    if out == Path(out.anchor):
        raise OutputFolderError(f"{where}: it is the root of the file system")
    if out == home:
        raise OutputFolderError(f"{where}: it is your home folder")
    if out == src:
        raise OutputFolderError(f"{where}: it is the source folder")
    if src.is_relative_to(out):
        raise OutputFolderError(f"{where}: it contains the source folder {source}")
    for what, path in folders if folders is not None else site_folders(source):
        real = path.resolve()
        shown = _shown(path, source)
        if real.is_relative_to(out):
            raise OutputFolderError(
                f"{where}: it contains the site's {what} {shown}"
                f"{' (through a symbolic link, to ' + str(real) + ')' if real != path.absolute() else ''}, "
                f"which cleaning the output would delete; choose an output folder outside the site's "
                f"inputs (such as site/)")
        if out.is_relative_to(real) and what != f"config file {CONFIG_NAME}":
            raise OutputFolderError(f"{where}: it is inside the site's {what} {shown}; choose an output "
                                    f"folder outside it (such as site/)")
    if out.exists() and not out.is_dir():
        raise OutputFolderError(f"{where}: it is a file, not a folder")
    for ancestor in out.parents:
        if ancestor.exists():
            if not ancestor.is_dir():
                raise OutputFolderError(f"{where}: {ancestor} is a file, not a folder")
            break


def check_cleanable(output: Path, *, force: bool = False, built_here: Callable[[], bool] = lambda: False) -> None:
    """Refuse a non-empty output folder that briefing did not write (no marker), unless
    ``force`` or ``built_here()`` (asked only then: the site's cache records its last build
    went into exactly this folder, a site built before the marker existed)."""
    if force:
        return
    strangers = foreign_files(output)
    if strangers and not built_here():
        raise OutputFolderError(
            f"refusing to build into {output}: it holds files ({_names(strangers)}) and is not a briefing "
            f"site (it has no {MARKER}); a build removes every file it did not make, so empty the folder, "
            f"choose a new one, or build with --force to replace its contents")


def _shown(path: Path, source: Path) -> str:
    try:
        return path.relative_to(source).as_posix() + ("" if path.is_file() else "/")
    except ValueError:
        return str(path)


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists (ours counts; a process we may not signal too)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def remove_dead_leftovers(output: Path) -> list[str]:
    """Clear what killed builds left beside ``output`` (``.<name>.staging-PID``, ``.old-PID``,
    ``.undo-PID`` of processes that are gone); returns the names removed.

    A build killed in the middle of swapping folders is undone first: a missing output is put
    back from its ``old`` copy, and hosting files (``CNAME``, ``.git``...) moved into the
    staging folder go back into the output. Folders of live processes are never touched.
    """
    parent = output.parent
    prefix = f".{output.name}."
    by_pid: dict[int, dict[str, Path]] = {}
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return []
    for entry in entries:
        if not entry.name.startswith(prefix) or not entry.is_dir(follow_symlinks=False):
            continue
        kind, dash, pid = entry.name[len(prefix):].rpartition("-")
        if dash and kind in SCRATCH_KINDS and pid.isdigit() and not pid_alive(int(pid)):
            by_pid.setdefault(int(pid), {})[kind] = Path(entry.path)
    removed: list[str] = []
    for pid in sorted(by_pid):
        left = by_pid[pid]
        old, staging = left.get("old"), left.get("staging")
        if old is not None and not os.path.lexists(output):
            os.rename(old, output)
            left.pop("old")
        if staging is not None and output.is_dir():
            for name in PRESERVED:
                if os.path.lexists(staging / name) and not os.path.lexists(output / name):
                    os.rename(staging / name, output / name)
        for path in left.values():
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path.name)
    return removed
