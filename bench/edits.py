"""Text edits the benchmark applies to one document: a body sentence and a tag."""

from __future__ import annotations

import re

#: The sentence appended by a body edit starts with this, followed by the edit's number.
BODY_MARK = "Benchmark edit"
#: A tag edit adds the tag ``bench-edit-<n>``; each edit replaces the previous one.
TAG_PREFIX = "bench-edit-"

_FLOW_LIST = re.compile(r"^(tags:\s*\[)(.*)(\]\s*)$")


def body_edit(original: str, n: int) -> str:
    """``original`` with one sentence appended to the body (numbered, so every edit differs)."""
    return original.rstrip("\n") + f"\n\n{BODY_MARK} {n}: one more sentence for the timing.\n"


def body_marker(n: int) -> str:
    """The text a rendered page shows after body edit ``n``."""
    return f"{BODY_MARK} {n}"


def tag_name(n: int) -> str:
    """The tag that tag edit ``n`` adds."""
    return f"{TAG_PREFIX}{n}"


def tag_edit(original: str, n: int, flavor: str) -> str:
    """``original`` with tag ``bench-edit-<n>`` added to its tags.

    Starting each edit from the original text means edit ``n`` both removes the tag that
    edit ``n - 1`` added and adds a new one. ``flavor`` is ``pelican`` for Pelican's
    ``Tags: a, b`` metadata lines, anything else for YAML front matter.
    """
    if flavor == "pelican":
        return _pelican_tag(original, tag_name(n))
    return _yaml_tag(original, tag_name(n))


def _yaml_tag(text: str, tag: str) -> str:
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise ValueError("document has no front matter")
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        raise ValueError("front matter is not closed")
    for i in range(1, end):
        line = lines[i]
        if not line.startswith("tags:"):
            continue
        flow = _FLOW_LIST.match(line)
        if flow:
            items = flow.group(2).strip()
            joined = f"{items}, {tag}" if items else tag
            lines[i] = f"{flow.group(1)}{joined}{flow.group(3)}"
        elif line[len("tags:") :].strip():
            lines[i] = f"tags: [{line[len('tags:') :].strip()}, {tag}]"
        else:
            following = lines[i + 1] if i + 1 < end else ""
            indent = following[: len(following) - len(following.lstrip())] or "  "
            lines.insert(i + 1, f"{indent}- {tag}")
        return "\n".join(lines)
    lines.insert(end, f"tags: [{tag}]")
    return "\n".join(lines)


def _pelican_tag(text: str, tag: str) -> str:
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if not line.strip():
            break
        if line.lower().startswith("tags:"):
            lines[i] = f"{line.rstrip()}, {tag}" if line[5:].strip() else f"Tags: {tag}"
            return "\n".join(lines)
    lines.insert(1, f"Tags: {tag}")
    return "\n".join(lines)
