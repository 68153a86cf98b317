"""Files a body links or shows by a path from its Markdown file (``![chart](chart.png)``,
``[data](../data/x.csv)``) or from the site's root (``[it](/articles/x/)``), and the build's
check that the site has each of them.

The paths are found once, when the body is rendered, in its HTML (so in tags only, as the page
rewrites them: ``generator/render/bodyurls.py``), with the line where each is written, and kept
with the body. Whether a file is there is asked on every build, of the files and pages that
build writes: a file added later clears the warning at once, with no cached answer to go stale.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING
from urllib.parse import unquote

from generator.errors import Diagnostic, warning

if TYPE_CHECKING:
    from generator.markup.rendered import RenderedBody


#: ``src``/``href``/``poster`` attributes whose value is relative to the Markdown file
#: (no scheme, not rooted, not only a fragment or query).
RELATIVE_ATTR = re.compile(r'(\s(?:src|href|poster)=")(?![a-zA-Z][a-zA-Z0-9+.-]*:|/|#|\?|")([^"]*)"')


#: Per attribute: a value that is not rooted, a fragment, a query, empty or with a scheme.
_RELATIVE_STARTS = tuple(re.compile(attr + r'="(?![/#?"]|[a-zA-Z][a-zA-Z0-9+.-]*:)') for attr in ("src", "href", "poster"))


def may_be_relative(fragment: str) -> bool:
    """Whether ``RELATIVE_ATTR`` can match: some ``src``/``href``/``poster`` value that is
    not rooted, a fragment, a query, empty or with a scheme. A quick scan (pages mostly
    link rooted or absolute URLs) that only ever errs towards True: one search per
    attribute, which passes over the other values in C (a page of footnotes has 400,000)."""
    return any(start.search(fragment) is not None for start in _RELATIVE_STARTS)


#: A start tag with a relative ``src``/``href``/``poster`` value (see ``RELATIVE_ATTR``). Only a
#: tag's attributes are read: ``src="x.png"`` written in a paragraph is text (the renderers
#: escape a ``<`` that starts no tag, and every ``>`` in text or in a value they wrote).
TAG_WITH_RELATIVE = re.compile(r'<[a-zA-Z][^<>]*?\s(?:src|href|poster)="(?![a-zA-Z][a-zA-Z0-9+.-]*:|/|#|\?|")[^<>]*>')


#: Pelican's markers before a path to a content file: ``{static}/images/x.png`` (from the
#: content folder when a slash follows, else from the Markdown file), and their older spelling.
PELICAN_MARKERS = ("{static}", "{attach}", "{filename}", "|static|", "|attach|", "|filename|")


def in_content(folder: str, path: str) -> str | None:
    """The path inside the content folder that ``path``, written in a Markdown file in
    ``folder`` (``articles``), names: ``""`` for the folder itself, ``None`` outside it. A
    backslash is a folder separator, as on Windows (``img\\x.png`` is ``img/x.png``)."""
    path = path.replace("\\", "/")
    if path[:1] in "{|":
        for marker in PELICAN_MARKERS:
            if path.startswith(marker):
                path = path[len(marker):]
                if path.startswith("/"):
                    folder, path = "", path.lstrip("/")
                break
    joined = posixpath.normpath(posixpath.join(folder, path))
    if joined == ".." or joined.startswith("../"):
        return None
    return "" if joined == "." else joined


def local_files(out: str, body: str, body_line: int) -> tuple[tuple[str, int], ...]:
    """Each path relative to the Markdown file in a tag of ``out`` (a body's HTML), once, as written
    (escapes and percent escapes undone, without query or fragment), with the line where it is
    first written in ``body`` after the one before (``body_line`` is the body's first line)."""
    rooted = _rooted_paths(out, body, body_line) if ' href="/' in out or ' src="/' in out else []
    if not may_be_relative(out):
        return tuple(rooted)
    found: list[tuple[str, int]] = []
    seen: set[str] = set()  # each path once, at its first line
    at = line = 0
    for tag in dict.fromkeys(TAG_WITH_RELATIVE.findall(out)):  # each tag as written once (in C)
        for attr in RELATIVE_ATTR.finditer(tag):
            value = attr.group(2)
            if value in seen:
                continue
            seen.add(value)
            cut = min((i for i in (value.find("?"), value.find("#")) if i >= 0), default=len(value))
            written = html.unescape(value[:cut])
            if not written:
                continue
            where = body.find(written, at)
            if where >= 0:
                line += body.count("\n", at, where)
                at = where
            found.append((unquote(written), body_line + line))
    return tuple(found + rooted)


#: A link or image from the site's root (``/articles/x/``, not ``//host/``), in a tag.
_ROOTED = re.compile(r'<(?:a|img|source|video|audio|track)\b[^<>]*?\s(?:href|src|poster)="(/(?!/)[^"]*)"')


def _rooted_paths(out: str, body: str, body_line: int) -> list[tuple[str, int]]:
    """Each path from the site's root in a tag of ``out`` (as :func:`local_files` gives the
    relative ones: once, at the line where it is first written after the one before)."""
    found: list[tuple[str, int]] = []
    at = line = 0
    for value in dict.fromkeys(_ROOTED.findall(out)):
        cut = min((i for i in (value.find("?"), value.find("#")) if i >= 0), default=len(value))
        written = html.unescape(value[:cut])
        where = body.find(written, at)
        if where >= 0:
            line += body.count("\n", at, where)
            at = where
        found.append((unquote(written), body_line + line))
    return found


def missing_files(bodies: Mapping[str, RenderedBody], content_dir: str, written: Collection[str],
                  base_path: str = "/") -> list[Diagnostic]:
    """A warning for each path a body names that is neither a file nor a page of the site
    (``written``: every path the build writes, ``articles/chart.png``, ``pages/about/index.html``).
    ``bodies`` are by the Markdown file's path in the site folder, under ``content_dir``; a
    rooted path is from the site's root, or under ``base_path`` when written with it (as the
    page leaves it: ``render/bodyurls.py``)."""
    under = base_path.strip("/") + "/" if base_path.strip("/") else ""
    by_case: dict[str, str] | None = None  # written paths by their case-folded form, made once when needed

    def case_hint(target: str, shown: str) -> str:
        """A hint naming the path the site has when only its capitals differ (``shown``: how
        to write a found path, ``{}`` standing for it)."""
        nonlocal by_case
        if by_case is None:
            by_case = {}
            for known in sorted(written):
                by_case.setdefault(known.casefold(), known)
        found = by_case.get(target.casefold())
        if found is None and (found := by_case.get(posixpath.join(target, "index.html").casefold())):
            found = found.removesuffix("index.html")
        if found is None:
            return ""
        return f"; the site has {shown.format(found)}, written with other capitals (a web host tells them apart)"
    prefix = content_dir.strip("/").removeprefix("./")
    notes: list[Diagnostic] = []
    for source, body in bodies.items():
        if not body.files:
            continue
        folder = posixpath.dirname(source)
        folder = "" if folder == prefix else folder[len(prefix) + 1:] if folder.startswith(prefix + "/") else folder
        for path, line in body.files:
            if path.startswith("/"):  # from the site's root: a page or file the build writes
                target = path.strip("/")
                if under and (target + "/").startswith(under):
                    target = target[len(under):].strip("/")
                if not target or target in written or posixpath.join(target, "index.html") in written:
                    continue
                notes.append(warning(source, line, "link", f"{path} is no page or file of this site"
                                                           f"{case_hint(target, '/{}')}"))
                continue
            target = in_content(folder, path)
            if target is None:
                continue  # outside the content folder: the page leaves it as written
            if target in written or posixpath.join(target, "index.html") in written:
                continue
            notes.append(warning(source, line, "link", f"{path} names {posixpath.join(prefix, target)}, "
                                                       f"which is no file or page of this site{case_hint(target, posixpath.join(prefix, '{}'))}"))
    return notes
