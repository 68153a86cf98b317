"""The front matter skeletons ``briefing new`` writes, and warnings for their placeholders
left in a document that is no longer a draft.

Each front matter line the writer has to fill in carries a ``# placeholder`` comment; a line
still holding it (the value and the comment as written) is reported. Changing the value, or
deleting the comment to keep the value, silences it. The skeletons' body sentences and empty
bullets are reported the same way. Only published documents are checked: a draft may hold
placeholders.
"""

from __future__ import annotations

import re

from generator.errors import Diagnostic, warning

#: The comment that marks a placeholder line in a skeleton's front matter.
MARK = "# placeholder"

ARTICLE = """---
title: {title}
date: {today}
summary: ""
location: []
actors: []
tags: []
confidence: moderate  # placeholder: how sure you are: low, moderate or high
sources:
  - name: "Name of the source"  # placeholder: who reported it
    url: https://example.org/where-you-read-it  # placeholder: where you read it
    accessed: {today}
    reliability: F  # placeholder: the source's reliability, A (reliable) to F (cannot be judged)
    credibility: 6  # placeholder: the report's credibility, 1 (confirmed) to 6 (cannot be judged)
marking: "TLP:CLEAR"
draft: true
---

What happened, according to the source, in your own words.
"""

NOTE = """---
title: {title}
date: {today}
summary: ""
about: []
location: []
actors: []
tags: []
confidence: low  # placeholder: how sure you are of the key judgments: low, moderate or high
key_judgments:
  - text: "A judgment, in one sentence."  # placeholder: what you judge, stated once
    likelihood: likely  # placeholder: a term of the likelihood scale (see the Method page)
sources: []  # list the sources you drew on: - name, url, accessed, reliability A-F, credibility 1-6
marking: "TLP:CLEAR"
draft: true
---

## Assessment

The evidence for the judgements, and what would change your mind.

## Indicators to watch

- A sign that would show the judgements right or wrong.
"""

#: ``briefing new KIND`` -> the text it writes (``{title}`` and ``{today}`` filled in).
SKELETONS = {"article": ARTICLE, "note": NOTE}

#: The skeletons' body sentences, and the source of the skeleton before its lines were marked.
BODY_LINES = frozenset({
    "What happened, according to the source, in your own words.",
    "- A judgement, and how likely you think it is.",
    "The evidence for the judgements, and what would change your mind.",
    "- A sign that would show the judgements right or wrong.",
})
OLD_LINES = frozenset({'name: "Name of the source"', "url: https://example.org/where-you-read-it",
                       '- name: "Name of the source"'})

#: Anything worth a closer look; most documents do not match, and are not split into lines.
_SUSPECT = re.compile("|".join([re.escape(MARK), r"^[ \t]*[-*+][ \t]*$",
                                *(re.escape(line) for line in sorted(BODY_LINES | OLD_LINES))]), re.M)
#: :data:`_SUSPECT` in parts that search faster (a regex of many alternatives tries each at
#: every character): the fixed texts, then an empty bullet after a line break or at the start.
_SUSPECT_TEXTS = tuple(sorted({MARK} | BODY_LINES | OLD_LINES))
_EMPTY_BULLET = re.compile(r"\n[ \t]*[-*+][ \t]*(?:\n|\Z)")
_EMPTY_BULLET_FIRST = re.compile(r"[ \t]*[-*+][ \t]*(?:\n|\Z)")
_FENCE = re.compile(r"^[ \t]{0,3}(```|~~~)")

_LEFT = "still the placeholder written by 'briefing new'"


def suspect(text: str) -> bool:
    """Whether ``text`` holds anything :data:`_SUSPECT` matches (a fixed text or an empty bullet
    line), found as fast as plain substring searches allow."""
    return (any(fixed in text for fixed in _SUSPECT_TEXTS) or _EMPTY_BULLET.search(text) is not None
            or _EMPTY_BULLET_FIRST.match(text) is not None)


def placeholder_warnings(path: str, text: str, body_line: int) -> list[Diagnostic]:
    """A warning for each skeleton placeholder left in ``text`` (a published document whose
    body starts on line ``body_line``): marked front matter lines, skeleton sentences, empty
    bullets."""
    if not suspect(text):
        return []
    found: list[Diagnostic] = []
    section = ""
    in_code = False
    previous = ""
    for number, line in enumerate(text.split("\n"), 1):
        stripped = line.strip()
        if number < body_line - 1:  # front matter (the fences excluded)
            if line[:1] not in ("", " ", "\t", "#", "-"):
                section = line.split(":", 1)[0].strip()
            marked = MARK in line
            if marked or stripped in OLD_LINES:
                key = stripped.lstrip("- ").split(":", 1)[0]
                hint = line.split(MARK, 1)[1].lstrip(": ").strip() if marked else ""
                keep = f", or delete the '{MARK}' comment to keep it" if marked else ""
                found.append(warning(path, number, section or "front matter",
                                     f"{'' if key == section else key + ': '}{_LEFT}"
                                     f"{f' ({hint})' if hint else ''}; write your own value{keep}"))
            continue
        if number < body_line:
            continue
        if _FENCE.match(line):
            in_code = not in_code
        elif not in_code:
            if stripped in BODY_LINES:
                found.append(warning(path, number, "body", f"{_LEFT}: {stripped!r}; write your own"))
            elif stripped in ("-", "*", "+") and (not previous.strip() or previous.lstrip()[:1] in "#-*+"):
                found.append(warning(path, number, "body", "an empty bullet; write the point or delete the line"))
        previous = line
    return found
