"""Static files: the theme's, then the site's over them, then content files; optional fingerprints."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from generator.errors import Diagnostic
from generator.sources import MARKDOWN_SUFFIXES, walk

FINGERPRINTED = (".css", ".js")
_HASHED = re.compile(r"\.[0-9a-f]{8,}\.[a-z0-9]+$")


#: How much of a file is read at a time when hashing or comparing it.
CHUNK = 1 << 20


class AssetMemo(dict):
    """``source path -> ((size, mtime, ctime, inode), content digest)``, kept between builds so
    an unchanged file is not read again; ``dirty`` once it changed since it was loaded."""

    dirty = False


@dataclass(frozen=True)
class Asset:
    """A file copied into the site: where it goes, where it comes from, its size and content
    digest (``""`` when the build needs none). Its bytes are never held: they are streamed."""

    out: str
    source: Path
    rel_source: str
    size: int
    digest: str


def collect_assets(site: Path, theme_dirs: list[Path], content: Path, content_files: list[str],
                   fingerprint: bool, diags: list[Diagnostic], memo: AssetMemo | None = None, *,
                   hash_all: bool = True) -> tuple[list[Asset], dict[str, str]]:
    """All static files by output path, and the map ``static/x.css -> static/x.<hash>.css``.

    ``content_files`` are the files found under ``content/`` (Markdown is skipped here). Each
    file is hashed in chunks (when ``hash_all``, else only fingerprinted ones), and only when
    its size, mtime, ctime or inode differ from what ``memo`` remembers.
    """
    memo = memo if memo is not None else AssetMemo()
    used: set[str] = set()
    chosen: dict[str, Path] = {}
    for theme in reversed(theme_dirs):  # the default theme first; later ones override
        # A theme of the site must stay inside the site folder; a bundled one, inside itself.
        _add_tree(chosen, theme / "static", "static/", site if theme.is_relative_to(site) else theme, site, diags)
    _add_tree(chosen, site / "static", "static/", site, site, diags)
    names: dict[str, str] = {}
    assets: list[Asset] = []
    for out, path in sorted(chosen.items()):
        final = out
        hashed = fingerprint and out.endswith(FINGERPRINTED) and not _HASHED.search(out)
        size, content_digest = _describe(path, memo, used, hash_all or hashed)
        if hashed:
            stem, dot, ext = out.rpartition(".")
            final = f"{stem}.{content_digest[:10]}{dot}{ext}"
        names[out] = final
        assets.append(Asset(final, path, _rel(path, site), size, content_digest))
    for name in content_files:
        if os.path.splitext(name)[1].lower() in MARKDOWN_SUFFIXES:  # as ``Path.suffix`` (see ``walk_names``)
            continue
        path = Path(name)
        rel = path.relative_to(content).as_posix()
        size, content_digest = _describe(path, memo, used, hash_all)
        assets.append(Asset(rel, path, _rel(path, site), size, content_digest))
    for gone in [key for key in memo if key not in used]:
        del memo[gone]
        memo.dirty = True
    return assets, names


def file_digest(path: Path | str) -> str:
    """The content digest of a file (as :func:`generator.sources.digest` of its bytes), read in chunks."""
    hasher = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            hasher.update(chunk)
    return hasher.hexdigest()


def _describe(path: Path, memo: AssetMemo, used: set[str], hashed: bool) -> tuple[int, str]:
    """A file's size and, when ``hashed``, its content digest (remembered by stat)."""
    key = str(path)
    st = os.stat(key)
    if not hashed:
        return st.st_size, ""
    used.add(key)
    stat_key = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
    found = memo.get(key)
    if found is not None and found[0] == stat_key:
        return st.st_size, found[1]
    value = file_digest(key)
    memo[key] = (stat_key, value)
    memo.dirty = True
    return st.st_size, value


def _add_tree(chosen: dict[str, Path], root: Path, prefix: str, boundary: Path, site: Path,
              diags: list[Diagnostic]) -> None:
    """Add the files under ``root`` (no link may lead outside ``boundary``)."""
    start = len(diags)
    for path in walk(root, boundary, diags):
        chosen[prefix + path.relative_to(root).as_posix()] = path
    # The walk names files from its boundary; name them from the site, like every message.
    diags[start:] = [dataclasses.replace(d, path=_rel(boundary / d.path, site)) for d in diags[start:]]


def _rel(path: Path, site: Path) -> str:
    try:
        return path.relative_to(site).as_posix()
    except ValueError:
        return str(path)
