"""A site with canary words in documents of every TLP 2.0 marking, and helpers to read builds back.

Every word a document of marking M carries (title, summary, body, tags, actors, locations,
aliases, event titles and their terms, source names and URLs, the name and bytes of a file only
it links to) starts with ``zz`` and M's token, so one search for ``zzqred`` finds anything a
TLP:RED document could have leaked, in any file's bytes or name.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.model.marking import MARKINGS, rank

#: Each marking's canary token.
TOKENS = {"TLP:CLEAR": "qclr", "TLP:GREEN": "qgrn", "TLP:AMBER": "qamb", "TLP:AMBER+STRICT": "qstr",
          "TLP:RED": "qred"}
CONFIG = "title: Canary brief\nbase_url: https://example.org/\n"


def note(marking: str, day: int) -> str:
    """A note of ``marking`` with its canaries in every field, linking to a file only it uses."""
    t = TOKENS[marking]
    return f"""---
title: Note zz{t}title
date: 2024-12-{day:02d}
summary: The zz{t}summary of this note.
marking: "{marking}"
tags: [zz{t}tag, common tag]
actors: [zz{t}actor, Russia]
location: [zz{t}place, Tartus]
confidence: moderate
source: {{name: zz{t}source, url: "https://example.com/zz{t}url"}}
about: [article-clear]
events:
  - {{date: 2024-11-{day:02d}, title: zz{t}event, actors: [zz{t}eventactor], location: zz{t}eventplace}}
---
The zz{t}body of the note, with a map: ![zz{t}alt](note-{t}-map.png)

More zz{t}words and a [[article-clear|link back]].
"""


def files() -> dict[str, str | bytes]:
    """Every file of the canary site."""
    out: dict[str, str | bytes] = {"briefing.yaml": CONFIG}
    for day, marking in enumerate(MARKINGS, 1):
        t = TOKENS[marking]
        out[f"content/notes/note-{t}.md"] = note(marking, day)
        out[f"content/notes/note-{t}-map.png"] = f"zz{t}file".encode()
    # A TLP:CLEAR article (its marking from the site's default) that links to every note.
    links = ", ".join(f"[[note-{TOKENS[m]}|the {m} note]]" for m in MARKINGS)
    out["content/articles/article-clear.md"] = f"""---
title: The clear article
date: 2024-12-20
summary: What everyone may read.
tags: [common tag]
actors: [Russia]
related: [note-qred, note-qgrn]
---
Plain words for everyone.

See {links}; and once more [[note-qred|the red one]] and [[Note zzqambtitle|by title]].
"""
    # Russia is named by visible documents; only a TLP:RED page describes it.
    out["content/actors/russia.md"] = """---
title: Russia
marking: TLP:RED
aliases: [zzqredalias]
summary: The zzqredactorsummary.
---
The zzqredactorbody.
"""
    # An actor that only TLP:GREEN documents name, with a TLP:GREEN page.
    out["content/actors/zzqgrnactor.md"] = """---
title: zzqgrnactor
marking: TLP:GREEN
aliases: [zzqgrnalias]
---
The zzqgrnactorbody.
"""
    out["content/pages/red-page.md"] = "---\ntitle: zzqredpagetitle\nmarking: TLP:RED\n---\nThe zzqredpagebody.\n"
    # A file of the site's static/ folder that only the TLP:RED note links to.
    out["static/zzqredstatic.txt"] = "zzqredstaticbytes"
    out["content/notes/note-qred.md"] += "\nThe [red brief](/static/zzqredstatic.txt).\n"
    return out


def hidden_for(audience: str | None) -> list[str]:
    """The markings a build for ``audience`` must leave out."""
    if audience is None:
        return []
    return [m for m in MARKINGS if rank(m) > rank(audience)]


def left_out_count(audience: str | None) -> int:
    """How many documents of the canary site are marked above ``audience``."""
    hidden = set(hidden_for(audience))
    count = sum(1 for m in MARKINGS if m in hidden)  # the notes
    count += "TLP:RED" in hidden  # Russia's page
    count += "TLP:GREEN" in hidden  # zzqgrnactor's page
    count += "TLP:RED" in hidden  # the plain page
    return count


def write(root: Path, tree: dict[str, str | bytes]) -> Path:
    """Write ``tree`` under ``root``."""
    for rel, data in tree.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8", newline="\n")
    return root


def visible_only(source: Path, dest: Path, audience: str) -> Path:
    """A copy of the canary site without the documents (and files only they use) ``audience`` may not see."""
    shutil.copytree(source, dest)
    for marking in hidden_for(audience):
        t = TOKENS[marking]
        (dest / f"content/notes/note-{t}.md").unlink()
        (dest / f"content/notes/note-{t}-map.png").unlink()
    if "TLP:RED" in hidden_for(audience):
        (dest / "content/actors/russia.md").unlink()
        (dest / "content/pages/red-page.md").unlink()
        (dest / "static/zzqredstatic.txt").unlink()
    if "TLP:GREEN" in hidden_for(audience):
        (dest / "content/actors/zzqgrnactor.md").unlink()
    return dest


def output_bytes(out: Path) -> dict[str, bytes]:
    """Every file of a built site by its path (names and bytes are both searched)."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def leaks(out: Path, audience: str | None) -> list[str]:
    """``file: token`` for every canary of a marking above ``audience`` found in a file's name or bytes."""
    found = []
    for rel, data in output_bytes(out).items():
        text = (rel + "\n").encode() + data.lower()
        for marking in hidden_for(audience):
            token = f"zz{TOKENS[marking]}".encode()
            if token in text:
                found.append(f"{rel}: {token.decode()}")
    return found
