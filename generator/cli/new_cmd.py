"""``briefing new article|note "Title"``: a new document with its front matter skeleton."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from generator.errors import UsageError
from generator.model.slugs import slugify

SKELETONS = {
    "article": """---
title: {title}
date: {today}
summary: ""
location: []
actors: []
tags: []
confidence: moderate
source:
  name: "Name of the source"
  url: https://example.org/where-you-read-it
  reliability: F
  credibility: 6
marking: "TLP:CLEAR"
draft: true
---

What happened, according to the source, in your own words.
""",
    "note": """---
title: {title}
date: {today}
summary: ""
about: []
location: []
actors: []
tags: []
confidence: low
marking: "TLP:CLEAR"
draft: true
---

## Key judgements

-

## Assessment

## Indicators to watch

-
""",
}


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``new`` command."""
    parser = sub.add_parser("new", help="create a new article or note",
                            description="Create content/articles/<slug>.md or content/notes/<slug>.md with "
                            "today's date and the front matter skeleton. Refuses to overwrite.")
    parser.add_argument("kind", choices=sorted(SKELETONS), help="article or note")
    parser.add_argument("title", help="the document's title (quoted)")
    parser.add_argument("--source", "-s", default=".", metavar="DIR", help="the site folder (default: .)")
    parser.set_defaults(func=run)


def _yaml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def run(args: argparse.Namespace) -> int:
    """Write the new file and print its path."""
    title = args.title.strip()
    if not title:
        raise UsageError("briefing new: the title is empty")
    site = Path(args.source)
    if not site.is_dir():
        raise UsageError(f"briefing new: the site folder {args.source!r} does not exist")
    folder = site / "content" / ("articles" if args.kind == "article" else "notes")
    path = folder / f"{slugify(title)}.md"
    if path.exists():
        raise UsageError(f"briefing new: {path} already exists; not overwriting it")
    folder.mkdir(parents=True, exist_ok=True)
    text = SKELETONS[args.kind].format(title=_yaml_string(title), today=date.today().isoformat())
    with open(path, "x", encoding="utf-8") as handle:
        handle.write(text)
    print(f"created {path} (draft: true; build with --drafts to see it, remove the line to publish)")
    return 0
