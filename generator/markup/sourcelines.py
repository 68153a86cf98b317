"""The line each of a body's values is written on, found in its Markdown in order: what the
passes that read the rendered HTML (addresses from other sites, links within the page, links
with no name) use to put their warnings at the author's line."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

#: At most this many values are looked for before the last one found (an image whose address
#: is defined at the end of the body comes before it in the HTML); each such look reads the
#: body up to there, so a bound keeps the whole linear in the body.
LOOK_BACK = 64


def lines_written(values: Iterable[str], source: str, body_line: int) -> Iterator[int]:
    """For each value, in the order the HTML has them, the line in the file where it is
    written: the next place after the last one found, else an earlier place, else the last
    one's line (``body_line`` is the body's first line)."""
    at = lines = looked_back = 0  # where the last value was found, and the newlines before it
    for value in values:
        where = source.find(value, at)
        if where >= 0:
            lines += source.count("\n", at, where)
            at = where
        elif looked_back < LOOK_BACK and (earlier := source.find(value, 0, at)) >= 0:
            looked_back += 1
            yield body_line + source.count("\n", 0, earlier)
            continue
        yield body_line + lines
