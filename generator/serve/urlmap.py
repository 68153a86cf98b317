"""Map a request target to a file inside the output folder, refusing anything that escapes it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote_to_bytes

#: Longest request target accepted (longer ones get 414).
MAX_TARGET = 4096

_HEX = set("0123456789abcdefABCDEF")


@dataclass(frozen=True)
class Resolution:
    """What to answer: a status, and the file to send or the place to redirect to."""

    status: int
    file: Path | None = None
    location: str | None = None
    reason: str = ""


def _refuse(status: int, reason: str) -> Resolution:
    return Resolution(status, reason=reason)


def split_target(target: str) -> tuple[str, str]:
    """Split a request target into its path and query (the fragment, if sent, is dropped)."""
    target = target.split("#", 1)[0]
    path, _, query = target.partition("?")
    return path, query


def decode_segments(path: str) -> list[str] | Resolution:
    """The path's segments, decoded once; a refusal for anything that could escape the root.

    Refused: targets not starting with ``/``, backslashes, NUL and control characters,
    ``.`` and ``..`` segments in any encoding, encoded slashes, double encoding (a ``%``
    followed by hex digits after decoding) and bytes that are not UTF-8.
    """
    if not path.startswith("/"):
        return _refuse(400, "request target must be a path")
    if "\\" in path:
        return _refuse(400, "backslash in path")
    try:
        decoded = unquote_to_bytes(path).decode("utf-8")
    except UnicodeDecodeError:
        return _refuse(400, "path is not UTF-8")
    if "\\" in decoded or any(ord(c) < 32 or ord(c) == 127 for c in decoded):
        return _refuse(400, "control character or backslash in path")
    if decoded.count("/") != path.count("/"):
        return _refuse(400, "encoded slash in path")
    for i, char in enumerate(decoded):
        if char == "%" and decoded[i + 1 : i + 3] and set(decoded[i + 1 : i + 3]) <= _HEX:
            return _refuse(400, "double-encoded path")
    segments = [s for s in decoded.split("/") if s]
    if any(s in (".", "..") for s in segments):
        return _refuse(403, "path leaves the site")
    return segments


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _location(segments: list[str], query: str) -> str:
    # Built from non-empty segments only, so it can never start with "//" (another host).
    where = "/" + "".join(quote(s, safe="") + "/" for s in segments)
    return where + ("?" + query if query else "")


def resolve(target: str, root: Path, prefix: str = "/") -> Resolution:
    """Decide how to answer ``target`` from the output folder ``root`` served at ``prefix``.

    ``/a/b/`` serves ``a/b/index.html``; ``/a/b`` naming a folder redirects to ``/a/b/``;
    a path whose real location (after symlinks) is outside ``root`` is refused with 403;
    a missing file is 404 (the caller then sends the site's ``404.html``).
    """
    if len(target) > MAX_TARGET:
        return _refuse(414, "request target too long")
    path, query = split_target(target)
    segments = decode_segments(path)
    if isinstance(segments, Resolution):
        return segments
    base = [s for s in prefix.split("/") if s]
    if segments[: len(base)] != base:
        if not segments or base[: len(segments)] == segments:
            return Resolution(302, location=_location(base, ""))
        return _refuse(404, "outside the site's base path")
    rel = segments[len(base) :]
    try:
        real_root = root.resolve(strict=True)
        real = root.joinpath(*rel).resolve()
    except (OSError, RuntimeError):  # no output yet, or a symlink loop
        return _refuse(404, "not found")
    if not _inside(real, real_root):
        return _refuse(403, "path leaves the site")
    if real.is_dir():
        if not path.endswith("/"):
            return Resolution(301, location=_location(segments, query))
        index = (real / "index.html").resolve()
        if not _inside(index, real_root):
            return _refuse(403, "path leaves the site")
        if index.is_file():
            return Resolution(200, file=index)
        return _refuse(404, "not found")
    if real.is_file():
        if path.endswith("/"):
            return _refuse(404, "not found")
        return Resolution(200, file=real)
    return _refuse(404, "not found")
