"""Find the site's files on disk, read and hash them (the input edge of a build)."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from generator.errors import Diagnostic, warning
from generator.model.document import FOLDER_TYPES, DocType

#: File name endings that editors and downloaders use for swap, backup and temporary files.
_EDITOR_JUNK_SUFFIXES = (
    "~", ".swp", ".swo", ".swx", ".swpx", ".kate-swp", ".crswap", "___jb_tmp___", "___jb_old___",
    ".tmp", ".bak", ".orig", ".crdownload", ".part",
)
#: ``sed -i`` writes ``sedXXXXXX`` beside the file, then renames it over.
_SED_TEMP = re.compile(r"sed[A-Za-z0-9]{6}")
MARKDOWN_SUFFIXES = (".md", ".markdown")
#: Folders a scan never enters (besides ignored names).
SKIPPED_FOLDERS = ("__pycache__", "node_modules")


def is_ignored_name(name: str) -> bool:
    """True for dot-files and editor temp/backup files, which are neither built nor watched.

    Covers vim (``.x.swp``, ``x~``, the ``4913`` write test), emacs (``#x#``, ``.#x``),
    ``sed -i``, Kate, JetBrains, Chrome's ``.crswap`` and Office's ``~$x`` lock files.
    """
    return (
        not name
        or name.startswith((".", "~$"))
        or name.endswith(_EDITOR_JUNK_SUFFIXES)
        or (name.startswith("#") and name.endswith("#"))
        or name == "4913"
        or _SED_TEMP.fullmatch(name) is not None
    )


@dataclass(frozen=True)
class ContentKind:
    """How a Markdown file under ``content/`` is treated."""

    type: DocType
    note: str = ""


def content_type_of(rel_in_content: str) -> ContentKind:
    """The document type a Markdown file's place under ``content/`` gives it."""
    parts = rel_in_content.split("/")
    if len(parts) == 1:
        return ContentKind(DocType.PAGE)
    top = parts[0].lower()
    if top in FOLDER_TYPES:
        return ContentKind(FOLDER_TYPES[top])
    return ContentKind(DocType.PAGE, f"is not under articles/, notes/, pages/, actors/ or locations/ (folder {parts[0]!r}); built as a plain page")


def digest(data: bytes) -> str:
    """A short, stable hash of some bytes."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def walk(root: Path, site: Path, diags: list[Diagnostic], _seen: set[str] | None = None) -> list[Path]:
    """Every regular, non-ignored file under ``root`` in a stable order.

    Symbolic links that point outside ``site`` are neither read nor followed, and a linked
    folder is walked once (a link back into a walked folder is a loop): a warning names them.
    """
    if not root.is_dir():
        return []
    site_real = site.resolve()
    seen = _seen if _seen is not None else set()
    real_root = os.path.realpath(root)
    if real_root in seen:
        return []
    seen.add(real_root)
    found: list[Path] = []
    stack = [str(root)]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        subfolders = []
        for entry in entries:
            name = entry.name
            if is_ignored_name(name):
                continue
            if entry.is_symlink():
                full = Path(entry.path)
                if not _inside(full, site_real):
                    diags.append(warning(_rel(full, site), 0, "file", "symbolic link points outside the site folder; skipped"))
                elif full.is_dir():
                    if os.path.realpath(full) in seen or real_root.startswith(os.path.realpath(full) + os.sep):
                        diags.append(warning(_rel(full, site), 0, "file", "symbolic link loops back into a folder already read; skipped"))
                    else:
                        found.extend(walk(full, site, diags, seen))
                elif full.is_file():
                    found.append(full)
                continue
            if entry.is_dir(follow_symlinks=False):
                if name not in SKIPPED_FOLDERS:
                    subfolders.append(entry.path)
            elif entry.is_file(follow_symlinks=False):
                found.append(Path(entry.path))
        stack.extend(reversed(subfolders))
    found.sort()
    return found


def _inside(path: Path, site_real: Path) -> bool:
    try:
        path.resolve().relative_to(site_real)
        return True
    except (ValueError, OSError):
        return False


def _rel(path: Path, site: Path) -> str:
    try:
        return path.relative_to(site).as_posix()
    except ValueError:
        return str(path)
