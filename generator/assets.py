"""Static files: the theme's, then the site's over them, then content files; optional fingerprints."""

from __future__ import annotations

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


def collect_assets(site: Path, theme_dirs: list[Path], content: Path, fingerprint: bool,
                   diags: list[Diagnostic]) -> tuple[list[Asset], dict[str, str]]:
    """All static files by output path, and the map ``static/x.css -> static/x.<hash>.css``."""
    chosen: dict[str, Asset] = {}
    for theme in reversed(theme_dirs):  # the default theme first; later ones override
        _add_tree(chosen, theme / "static", "static/", site, diags)
    _add_tree(chosen, site / "static", "static/", site, diags)
    names: dict[str, str] = {}
    assets: list[Asset] = []
    for out, asset in sorted(chosen.items()):
        final = out
        if fingerprint and out.endswith(FINGERPRINTED) and not _HASHED.search(out):
            stem, dot, ext = out.rpartition(".")
            final = f"{stem}.{digest(asset.data)[:10]}{dot}{ext}"
        names[out] = final
        assets.append(Asset(final, asset.source, asset.rel_source, asset.data))
    for path in walk(content, site, diags):
        if path.suffix.lower() in MARKDOWN_SUFFIXES:
            continue
        rel = path.relative_to(content).as_posix()
        assets.append(Asset(rel, path, _rel(path, site), path.read_bytes()))
    return assets, names


def _add_tree(chosen: dict[str, Asset], root: Path, prefix: str, site: Path, diags: list[Diagnostic]) -> None:
    for path in walk(root, root, diags):
        rel = prefix + path.relative_to(root).as_posix()
        chosen[rel] = Asset(rel, path, _rel(path, site), path.read_bytes())


def _rel(path: Path, site: Path) -> str:
    try:
        return path.relative_to(site).as_posix()
    except ValueError:
        return str(path)
