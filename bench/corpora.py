"""Generate benchmark corpora with bench/make_corpus.py and lay out working copies of them."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from measure import remove_tree

#: The marker file make_corpus.py writes into every corpus folder.
MARKER = ".bench-corpus"
SEED = 42


def default_script(repo: Path) -> Path:
    """The project's own corpus generator, ``<repo>/bench/make_corpus.py``."""
    return repo / "bench" / "make_corpus.py"


def ensure(script: Path, root: Path, flavor: str, size: int, *, log: bool = True) -> Path:
    """Return the pristine corpus ``<root>/<flavor>-<size>``, generating it when needed.

    A folder whose marker already records the same size, seed and flavor is reused; any
    other corpus folder is regenerated with ``--force``.
    """
    target = root / f"{flavor}-{size}"
    if _matches(target, flavor, size):
        return target
    root.mkdir(parents=True, exist_ok=True)
    cmd = [
        sys.executable,
        str(script),
        "--docs",
        str(size),
        "--out",
        str(target),
        "--flavor",
        flavor,
        "--seed",
        str(SEED),
    ]
    if target.exists():
        cmd.append("--force")
    if log:
        print(f"  generating {flavor} corpus of {size} documents -> {target}", flush=True)
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return target


def working_copy(pristine: Path, dest: Path) -> Path:
    """Replace ``dest`` with a fresh copy of ``pristine`` (edits never touch the corpus)."""
    if dest.exists():
        remove_tree(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(pristine, dest, symlinks=True)
    return dest


def pick_document(site: Path) -> Path:
    """The document the edit measurements change: the middle article by file name."""
    articles = sorted((site / "content" / "articles").glob("*.md"))
    if not articles:
        raise FileNotFoundError(f"no articles under {site / 'content' / 'articles'}")
    return articles[len(articles) // 2]


def _matches(folder: Path, flavor: str, size: int) -> bool:
    marker = folder / MARKER
    if not marker.is_file():
        return False
    try:
        data = json.loads(marker.read_text())
    except (OSError, ValueError):
        return False
    return (
        isinstance(data, dict)
        and data.get("docs") == size
        and data.get("flavor") == flavor
        and data.get("seed") == SEED
    )
