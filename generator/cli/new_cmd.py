"""``briefing new article|note "Title"``: a new document with its front matter skeleton."""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import secrets
import unicodedata
from datetime import date
from pathlib import Path

from generator.config import CONFIG_NAME, parse_config
from generator.errors import UsageError
from generator.model.skeleton import SKELETONS
from generator.model.slugs import slugify

_SPACES = re.compile(r"\s+")


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``new`` command."""
    parser = sub.add_parser("new", help="create a new article or note",
                            description="Create content/articles/<slug>.md or content/notes/<slug>.md with "
                            "today's date and the front matter skeleton. Run it anywhere in the site "
                            "(the site is the nearest folder, upwards, with briefing.yaml or content/). "
                            "Refuses to overwrite.")
    parser.add_argument("kind", choices=sorted(SKELETONS), help="article or note")
    parser.add_argument("title", help="the document's title (quoted)")
    parser.add_argument("--source", "-s", default=".", metavar="DIR",
                        help="where to look for the site (default: the current folder and those above it)")
    parser.set_defaults(func=run)


def clean_title(raw: str) -> str:
    """The title as given, with runs of whitespace (tabs, newlines) made one space and other
    control characters dropped; a usage error for bytes that are not UTF-8 or an empty title."""
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes in argv arrive as lone surrogates
        decoded = raw.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        shown = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in decoded)
        raise UsageError(f"briefing new: the title \"{shown}\" is not UTF-8 text; "
                         "type it again in a UTF-8 terminal") from None
    spaced = _SPACES.sub(" ", raw)
    title = "".join(ch for ch in spaced if unicodedata.category(ch) != "Cc").strip()
    if not title:
        raise UsageError("briefing new: the title is empty; expected text such as \"Convoy seen near Hama\"")
    return title


def find_site(start: Path) -> Path:
    """The nearest folder from ``start`` upwards holding ``briefing.yaml`` or a ``content/``
    folder; a usage error when there is none."""
    if not start.is_dir():
        raise UsageError(f"briefing new: the site folder {str(start)!r} does not exist")
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file() or (folder / "content").is_dir():
            return folder if folder != here else start
    raise UsageError(f"briefing new: no site found in {here} or any folder above it (no {CONFIG_NAME} or "
                     "content/ folder); run it inside your site, pass --source DIR, or start a site "
                     "with 'briefing init'")


def _content_dir(site: Path) -> str:
    """The site's ``content_dir`` setting (``content`` when unset or unreadable)."""
    try:
        text = (site / CONFIG_NAME).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return "content"
    config, _ = parse_config(text)
    return config.content_dir or "content"


def _yaml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_new(path: Path, text: str) -> None:
    """Create ``path`` holding ``text`` whole or not at all (a failed write leaves nothing,
    never an empty file); an existing file is never replaced."""
    temp = path.parent / f".briefing-new-{secrets.token_hex(6)}.tmp"
    handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies, as for any new file
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        try:
            os.link(temp, path)  # fails if the file appeared meanwhile: nothing is overwritten
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links
            if path.exists():
                raise FileExistsError(path) from None
            os.replace(temp, path)
    except FileExistsError:
        raise UsageError(f"briefing new: {path} already exists; not overwriting it") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)


def run(args: argparse.Namespace) -> int:
    """Write the new file and print its path."""
    title = clean_title(args.title)
    site = find_site(Path(args.source))
    folder = site / _content_dir(site) / ("articles" if args.kind == "article" else "notes")
    path = folder / f"{slugify(title)}.md"
    if path.exists():
        raise UsageError(f"briefing new: {path} already exists; not overwriting it")
    folder.mkdir(parents=True, exist_ok=True)
    text = SKELETONS[args.kind].format(title=_yaml_string(title), today=date.today().isoformat())
    write_new(path, text)
    print(f"created {path} (draft: true; build with --drafts to see it, remove the line to publish)")
    return 0
