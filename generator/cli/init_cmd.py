"""``briefing init [DIR]``: a new site with sample content that builds."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from generator.errors import UsageError

SCAFFOLD = Path(__file__).resolve().parent.parent / "scaffold" / "site"


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``init`` command."""
    parser = sub.add_parser("init", help="create a new site with sample content",
                            description="Create a new briefing site: briefing.yaml, content/ with a sample "
                            "article, note, actor, location and page. Refuses a non-empty folder.")
    parser.add_argument("directory", nargs="?", default=".", metavar="DIR", help="where to create it (default: .)")
    parser.set_defaults(func=run)


#: What a site's ``.gitignore`` needs: the built site and the parse cache.
IGNORED = ("site/", ".briefing-cache/")


def _add_ignores(path: Path) -> None:
    """Write ``.gitignore``, or add to one already there the lines of :data:`IGNORED` it lacks
    (the user's own lines are kept as they are)."""
    if path.is_symlink():
        return  # it belongs somewhere else
    try:
        old = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        old = ""
    except (OSError, UnicodeDecodeError):
        return  # not ours to rewrite
    present = {line.strip() for line in old.splitlines()}
    missing = [line for line in IGNORED if line not in present and "/" + line not in present]
    if not missing:
        return
    joiner = "\n" if old and not old.endswith("\n") else ""
    with open(path, "a", encoding="utf-8", newline="\n") as handle:
        handle.write(joiner + "".join(line + "\n" for line in missing))


def run(args: argparse.Namespace) -> int:
    """Copy the scaffold into DIR (which must be missing or empty)."""
    target = Path(args.directory)
    if target.exists() and not target.is_dir():
        raise UsageError(f"briefing init: {target} is a file")
    if target.is_dir() and any(p for p in target.iterdir() if not p.name.startswith(".")):
        raise UsageError(f"briefing init: {target} is not empty; choose a new folder")
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(SCAFFOLD.rglob("*")):
        rel = path.relative_to(SCAFFOLD)
        if path.is_dir():
            (target / rel).mkdir(parents=True, exist_ok=True)
        else:
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target / rel)
    _add_ignores(target / ".gitignore")
    where = "" if str(args.directory) == "." else f"cd {args.directory} && "
    print(f"created a new briefing in {target}\nnext: {where}briefing build   (or: briefing serve)")
    return 0
