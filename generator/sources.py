"""Find the site's files on disk, read and hash them (the input edge of a build)."""

from __future__ import annotations

import errno
import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.errors import Diagnostic, error, warning
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
#: Files operating systems leave in folders (Windows thumbnails and folder settings, the
#: classic Mac OS folder icon); macOS's ``.DS_Store`` and ``._x`` AppleDouble files are dot-files.
OS_LITTER = frozenset({"Thumbs.db", "thumbs.db", "ehthumbs.db", "ehthumbs_vista.db", "desktop.ini",
                       "Desktop.ini", "Icon\r"})
#: Deepest folder a scan enters below its root; deeper ones are reported, not read (their
#: paths near the system's limits, and nobody files a document 65 folders down).
MAX_FOLDER_DEPTH = 64


def is_ignored_name(name: str) -> bool:
    """True for dot-files, editor temp/backup files and OS litter, which are neither built nor watched.

    Covers vim (``.x.swp``, ``x~``, the ``4913`` write test), emacs (``#x#``, ``.#x``),
    ``sed -i``, Kate, JetBrains, Chrome's ``.crswap``, Office's ``~$x`` lock files, and
    ``Thumbs.db``, ``desktop.ini``, ``Icon\\r``, ``.DS_Store`` and ``._x`` (see :data:`OS_LITTER`).
    """
    return (
        not name
        or name.startswith((".", "~$"))
        or name in OS_LITTER
        or name.endswith(_EDITOR_JUNK_SUFFIXES)
        or (name.startswith("#") and name.endswith("#"))
        or name == "4913"
        or _SED_TEMP.fullmatch(name) is not None
    )


#: Folders other tools keep dated posts in: their files are articles (with a note saying so).
POST_FOLDERS = frozenset({"posts", "post", "blog", "news"})


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
    if top in POST_FOLDERS:
        return ContentKind(DocType.ARTICLE, f"is under {parts[0]}/, where Hugo, Jekyll and blogs keep posts: built as "
                                            "an article (/articles/...); move the folder to articles/ (or notes/) "
                                            "to say so")
    return ContentKind(DocType.PAGE, f"is not under articles/, notes/, pages/, actors/, locations/ or sources/ (folder {parts[0]!r}); built as a plain page")


def digest(data: bytes) -> str:
    """A short, stable hash of some bytes."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def escaping_link(path: Path, site: Path) -> tuple[Path, str] | None:
    """``(link, where it points)`` when ``path`` lies outside the site folder once links are
    followed: the first symbolic link on the way from ``site`` that leads out (or ``path``
    itself and its real place when it is not under ``site`` at all); ``None`` when inside."""
    site_real = os.path.realpath(site)
    real = os.path.realpath(path)
    if real == site_real or real.startswith(site_real.rstrip(os.sep) + os.sep):
        return None
    try:
        parts = path.relative_to(site).parts
    except ValueError:
        return path, real
    current = site
    for part in parts:
        current = current / part
        if current.is_symlink() and not _inside(current, Path(site_real)):
            try:
                return current, os.readlink(current)
            except OSError:
                return current, os.path.realpath(current)
    return path, real


def link_warning(link: Path, target: str, site: Path) -> Diagnostic:
    """The warning for a symbolic link out of the site folder (which link, where it points)."""
    return warning(_rel(link, site), 0, "file",
                   f"symbolic link to {target} points outside the site folder; not read")


def walk(root: Path, site: Path, diags: list[Diagnostic], _seen: set[str] | None = None,
         skip: frozenset[str] = frozenset()) -> list[Path]:
    """Every regular, non-ignored file under ``root`` in a stable order (see :func:`walk_names`)."""
    return [Path(name) for name in walk_names(root, site, diags, _seen, skip)]


def walk_names(root: Path, site: Path, diags: list[Diagnostic], _seen: set[str] | None = None,
               skip: frozenset[str] = frozenset()) -> list[str]:
    """Every regular, non-ignored file under ``root``, as a path string, in the order of their
    paths' parts (that of :class:`~pathlib.Path`), not of their text: ``a/x`` before ``a-b/x``.
    A build looks at each content file's path as text; a ``Path`` made for each of 10,000 files
    costs more than the rest of the walk.

    Symbolic links that point outside ``site`` are neither read nor followed, at every level
    (``root`` itself included), and a linked folder is walked once (a link back into a walked
    folder is a loop): a warning names them. Folders whose real path is in ``skip`` (the cache
    folder) are not entered.
    """
    if not root.is_dir():
        return []
    if _seen is None:
        outside = escaping_link(root, site)
        if outside is not None:
            diags.append(link_warning(*outside, site))
            return []
    site_real = site.resolve()
    seen = _seen if _seen is not None else set()
    real_root = os.path.realpath(root)
    skip_names = {os.path.basename(p) for p in skip}
    if real_root in seen:
        return []
    seen.add(real_root)
    found: list[str] = []
    stack = [(str(root), 0)]
    while stack:
        folder, depth = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            if depth and exc.errno != errno.ENOENT:  # gone since it was listed: nothing to say
                diags.append(error(_rel(Path(folder), site), 0, "file",
                                   f"folder cannot be read ({exc.strerror or exc}); skipped"))
            continue
        subfolders = []
        for entry in entries:
            name = entry.name
            if is_ignored_name(name):
                continue
            if not is_utf8_name(name):
                diags.append(error(_rel(Path(entry.path), site), 0, "file",
                                   "name is not valid UTF-8; rename it (names become URLs)"))
                continue
            if entry.is_symlink():
                full = Path(entry.path)
                if _loops(full):
                    diags.append(error(_rel(full, site), 0, "file",
                                       "symbolic link loops back on itself; remove it or point it at a file"))
                elif not _inside(full, site_real):
                    try:
                        target = os.readlink(full)
                    except OSError:
                        target = "?"
                    diags.append(link_warning(full, target, site))
                elif name in skip_names and os.path.realpath(full) in skip:
                    continue
                elif full.is_dir():
                    if os.path.realpath(full) in seen or real_root.startswith(os.path.realpath(full) + os.sep):
                        diags.append(warning(_rel(full, site), 0, "file", "symbolic link loops back into a folder already read; skipped"))
                    else:
                        found.extend(walk_names(full, site, diags, seen, skip))
                elif full.is_file():
                    found.append(str(full))
                continue
            if entry.is_dir(follow_symlinks=False):
                if name in SKIPPED_FOLDERS or (name in skip_names and os.path.realpath(entry.path) in skip):
                    continue
                if depth >= MAX_FOLDER_DEPTH:
                    diags.append(error(_rel(Path(folder), site), 0, "file",
                                       f"folders nest more than {MAX_FOLDER_DEPTH} levels deep here; "
                                       f"{name!r} and what is below it are not read"))
                    continue
                subfolders.append((entry.path, depth + 1))
            elif entry.is_file(follow_symlinks=False):
                found.append(entry.path)
        stack.extend(reversed(subfolders))
    found.sort(key=_parts)
    return found


def _parts(path: str) -> list[str]:
    return path.split(os.sep)


def tree_files(root: str) -> Iterator[os.DirEntry]:
    """Every entry under ``root`` that is not a folder (links are not followed), in a stable
    order; unlike ``os.walk`` before Python 3.12 it does not recurse, so depth cannot crash it."""
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        subfolders = []
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                subfolders.append(entry.path)
            else:
                yield entry
        stack.extend(reversed(subfolders))


def is_utf8_name(name: str) -> bool:
    """False for a name with bytes that are not UTF-8 (Python keeps them as lone surrogates)."""
    if name.isascii():
        return True
    try:
        name.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def _loops(path: Path) -> bool:
    """True for a symbolic link whose chain of links never reaches a file or folder."""
    try:
        os.stat(path)
        return False
    except OSError as exc:
        return exc.errno == errno.ELOOP


def _inside(path: Path, site_real: Path) -> bool:
    try:
        path.resolve().relative_to(site_real)
        return True
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a link loop (Python < 3.13)
        return False


def _rel(path: Path, site: Path) -> str:
    try:
        return path.relative_to(site).as_posix()
    except ValueError:
        return str(path)
