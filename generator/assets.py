"""Static files: the theme's, then the site's over them, then content files; optional fingerprints."""

from __future__ import annotations

import dataclasses
import os
import re
from dataclasses import dataclass
from pathlib import Path

from generator.errors import Diagnostic
from generator.sources import MARKDOWN_SUFFIXES, digest, walk

FINGERPRINTED = (".css", ".js")
_HASHED = re.compile(r"\.[0-9a-f]{8,}\.[a-z0-9]+$")


@dataclass(frozen=True)
class Asset:
    """A file copied into the site: where it goes and where it came from."""

    out: str
    source: Path
    rel_source: str
    data: bytes


def collect_assets(site: Path, theme_dirs: list[Path], content: Path, content_files: list[Path],
                   fingerprint: bool, diags: list[Diagnostic],
                   memo: dict[str, tuple[int, int, bytes]] | None = None) -> tuple[list[Asset], dict[str, str]]:
    """All static files by output path, and the map ``static/x.css -> static/x.<hash>.css``.

    ``content_files`` are the files found under ``content/`` (Markdown is skipped here); ``memo``
    keeps file bytes between builds of a running process, re-read only when size or mtime change.
    """
    memo = memo if memo is not None else {}
    chosen: dict[str, Asset] = {}
    for theme in reversed(theme_dirs):  # the default theme first; later ones override
        _add_tree(chosen, theme / "static", "static/", site, diags, memo)
    _add_tree(chosen, site / "static", "static/", site, diags, memo)
    names: dict[str, str] = {}
    assets: list[Asset] = []
    for out, asset in sorted(chosen.items()):
        final = out
        if fingerprint and out.endswith(FINGERPRINTED) and not _HASHED.search(out):
            stem, dot, ext = out.rpartition(".")
            final = f"{stem}.{digest(asset.data)[:10]}{dot}{ext}"
        names[out] = final
        assets.append(Asset(final, asset.source, asset.rel_source, asset.data))
    for path in content_files:
        if path.suffix.lower() in MARKDOWN_SUFFIXES:
            continue
        rel = path.relative_to(content).as_posix()
        assets.append(Asset(rel, path, _rel(path, site), _read(path, memo)))
    return assets, names


def _read(path: Path, memo: dict[str, tuple[int, int, bytes]]) -> bytes:
    key = str(path)
    st = os.stat(key)
    found = memo.get(key)
    if found is not None and found[0] == st.st_mtime_ns and found[1] == st.st_size:
        return found[2]
    data = path.read_bytes()
    memo[key] = (st.st_mtime_ns, st.st_size, data)
    return data


def _add_tree(chosen: dict[str, Asset], root: Path, prefix: str, site: Path, diags: list[Diagnostic],
              memo: dict[str, tuple[int, int, bytes]]) -> None:
    start = len(diags)
    for path in walk(root, root, diags):
        rel = prefix + path.relative_to(root).as_posix()
        chosen[rel] = Asset(rel, path, _rel(path, site), _read(path, memo))
    # The walk names files from the folder it walked; name them from the site, like every message.
    diags[start:] = [dataclasses.replace(d, path=_rel(root / d.path, site)) for d in diags[start:]]


def _rel(path: Path, site: Path) -> str:
    try:
        return path.relative_to(site).as_posix()
    except ValueError:
        return str(path)
