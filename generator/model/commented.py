"""A value YAML took for a comment: ``tags: #osint #russia`` is a key with nothing after it
(``#`` after a space opens a comment), so the tags were lost without a word. Hashtags for a
list of names (``tags``, ``actors``) are read as those names, with a warning; for any other key
the warning says to quote the value."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from generator.yamltree import Scalar, is_null

#: Keys whose value is a list of names: hashtags written there are the names.
NAME_LISTS = ("tags", "actors", "keywords", "categories")
_HASHTAG = re.compile(r"#([^\s#,]+)")


def commented_values(values: dict[str, Any], lines: dict[str, int], yaml_text: str | None, yaml_line: int,
                     warn: Callable[[str, str, int | None], None]) -> None:
    """Read (or name, in a warning) each value written after a key as a YAML comment."""
    if not yaml_text or "#" not in yaml_text:
        return
    written = yaml_text.split("\n")
    for key, value in list(values.items()):
        if not is_null(value) or key not in lines:
            continue
        index = lines[key] - yaml_line
        line = written[index] if 0 <= index < len(written) else ""
        _, colon, after = line.partition(":")
        after = after.strip()
        if not colon or not after.startswith("#") or after[1:2].isspace() or len(after) == 1:
            continue  # (``key: # a note`` is a comment as meant)
        names = _HASHTAG.findall(after)
        if key.lower() in NAME_LISTS and names:
            values[key] = [Scalar(name, True, lines[key]) for name in names]
            warn(key, f"{after!r} is a YAML comment after the colon; read as {', '.join(names)} (write "
                      f"{key}: [{', '.join(names)}] to say so)", lines[key])
        else:
            warn(key, f"{after!r} is a YAML comment after the colon, so {key} is empty; put the value in "
                      f"quotes: {key}: \"{after}\"", lines[key])
