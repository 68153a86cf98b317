"""Who a build is for: documents marked above its audience are left out before the site graph
is built, so no page, list, feed or data file ever sees them.

:func:`split` divides the loaded documents into those the build shows and those it leaves
out (with why, for the notices about links to them); :class:`PrivateFiles` finds the static
files only left-out documents reference, which the build does not copy either.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from generator.config import SiteConfig
from generator.markup.rendered import RenderedBody
from generator.model.document import Document
from generator.model.marking import visible_to
from generator.sources import tree_files


@dataclass
class Split:
    """The documents a build shows and those it leaves out for its audience."""

    docs: list[Document]
    bodies: dict[str, RenderedBody]
    #: Left out: (document, why), in the order loaded.
    hidden: list[tuple[Document, str]] = field(default_factory=list)
    hidden_bodies: dict[str, RenderedBody] = field(default_factory=dict)

    def shows(self, doc: Document) -> bool:
        """Whether ``doc`` (one of the loaded documents) is shown."""
        return not self.hidden or doc.path not in {found.path for found, _ in self.hidden}


def split(docs: list[Document], bodies: dict[str, RenderedBody], config: SiteConfig) -> Split:
    """Leave out every document whose marking (its own, else ``marking:`` of the site) is above
    the build's audience. Without an audience the lists are returned as they are."""
    audience = config.audience_limit
    if audience is None:
        return Split(docs, bodies)
    shown: list[Document] = []
    shown_bodies: dict[str, RenderedBody] = {}
    hidden: list[tuple[Document, str]] = []
    hidden_bodies: dict[str, RenderedBody] = {}
    for doc in docs:
        marking = config.marking_of(doc.marking)
        if visible_to(marking, audience):
            shown.append(doc)
            if doc.path in bodies:
                shown_bodies[doc.path] = bodies[doc.path]
        else:
            hidden.append((doc, f"marked {marking}, above the audience {audience}"))
            if doc.path in bodies:
                hidden_bodies[doc.path] = bodies[doc.path]
    return Split(shown, shown_bodies, hidden, hidden_bodies)


#: Attributes of rendered bodies that name a file (quoted either way, or not at all: raw HTML
#: is kept as written), and ``url(...)`` in inline styles.
_URL_ATTR = re.compile(r"""\s(src|href|poster|srcset|data)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))"""
                       r"""|url\(\s*(?:"([^"]*)"|'([^']*)'|([^)"'\s]*))""", re.I)
_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")


class PrivateFiles:
    """Finds the copied files (content files, the site's ``static/``) that left-out documents
    reference and no shown document does: a build for the audience does not copy them.

    What each document references is worked out once per rendered body (bodies never change
    once made) and kept between builds in a running builder.
    """

    def __init__(self) -> None:
        self._refs: dict[str, tuple[Any, Any, frozenset[str]]] = {}

    def files(self, shown: Split, config: SiteConfig, assets: Iterable[Any], content: Path,
              static: list[Path], templates: list[Path]) -> set[str]:
        """Output paths of the copied files (from ``content`` and ``static`` folders, never a
        theme's) that only left-out documents reference; a ``static/`` file that a template
        under ``templates`` names is kept."""
        if not shown.hidden:
            return set()
        own = [a.out for a in assets
               if a.source.is_relative_to(content) or any(a.source.is_relative_to(f) for f in static)]
        private = self.of(shown, config, config.base_path, own)
        self.forget_others([*(d.path for d in shown.docs), *(d.path for d, _ in shown.hidden)])
        statics = {p for p in private if p.startswith("static/")}
        if statics:
            files = [Path(entry.path) for folder in templates for entry in tree_files(str(folder))]
            private -= named_in_templates(statics, files)
        return private

    def of(self, split_docs: Split, config: SiteConfig, base_path: str, outputs: Iterable[str]) -> set[str]:
        """Output paths (among ``outputs``) that only left-out documents reference."""
        if not split_docs.hidden:
            return set()
        wanted = set(outputs)
        candidates: set[str] = set()
        for doc, _ in split_docs.hidden:
            candidates |= self._references(doc, split_docs.hidden_bodies.get(doc.path), config, base_path) & wanted
        if not candidates:
            return set()
        for doc in split_docs.docs:
            candidates -= self._references(doc, split_docs.bodies.get(doc.path), config, base_path)
            if not candidates:
                break
        return candidates

    def _references(self, doc: Document, body: RenderedBody | None, config: SiteConfig, base_path: str) -> frozenset[str]:
        key = (config.content_dir, base_path)
        kept = self._refs.get(doc.path)
        if kept is not None and kept[0] is doc and kept[1] == (body, key):
            return kept[2]
        found = references(doc, body, config.content_dir, base_path)
        self._refs[doc.path] = (doc, (body, key), found)
        return found

    def forget_others(self, paths: Iterable[str]) -> None:
        """Drop what is kept of documents no longer loaded."""
        keep = set(paths)
        for path in [p for p in self._refs if p not in keep]:
            del self._refs[path]


def named_in_templates(paths: set[str], template_files: Iterable[Any]) -> set[str]:
    """Those of ``paths`` (``static/x.png``) whose name after ``static/`` a template's text
    holds: a file the theme shows stays, whoever else references it."""
    if not paths:
        return set()
    found: set[str] = set()
    for path in template_files:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        found.update(p for p in paths if p.removeprefix("static/") in text)
    return found


def references(doc: Document, body: RenderedBody | None, content_dir: str, base_path: str) -> frozenset[str]:
    """The site paths a document's body (``src``, ``href``, ``poster``, ``srcset``, ``data``)
    and its extra front matter values may name: relative ones from the document's folder in
    the content folder (where its files are copied), rooted ones from the base path."""
    folder = _content_folder(doc.path, content_dir)
    values: list[str] = []
    if body is not None:
        for match in _URL_ATTR.finditer(body.html):
            value = html.unescape(next((g for g in match.groups()[1:] if g is not None), ""))
            if (match.group(1) or "").lower() == "srcset":
                values += [part.strip().split(" ")[0] for part in value.split(",")]
            else:
                values.append(value)
    _strings(doc.meta, values)
    found: set[str] = set()
    for value in values:
        path = _site_path(value, folder, base_path)
        if path:
            found.add(path)
            found.add(unquote(path))
    return frozenset(found)


def _strings(value: Any, out: list[str], depth: int = 0) -> None:
    """Every text inside ``value`` (front matter nests at most 50 levels)."""
    if isinstance(value, str):
        out.append(value)
    elif depth < 64 and isinstance(value, dict):
        for item in value.values():
            _strings(item, out, depth + 1)
    elif depth < 64 and isinstance(value, list | tuple):
        for item in value:
            _strings(item, out, depth + 1)


def _site_path(value: str, folder: str, base_path: str) -> str | None:
    """The path inside the site a reference names, or ``None`` (another site, a fragment)."""
    value = value.strip()
    if not value or value.startswith(("#", "?", "//")) or _SCHEME.match(value) or len(value) > 2000:
        return None
    cut = min((i for i in (value.find("?"), value.find("#")) if i >= 0), default=len(value))
    value = value[:cut]
    if value.startswith("/"):
        value = value[len(base_path):] if value.startswith(base_path) else value.lstrip("/")
        joined = posixpath.normpath(value) if value else "."
    else:
        joined = posixpath.normpath(posixpath.join(folder, value))
    if joined in (".", "") or joined.startswith(".."):
        return None
    return joined


def _content_folder(path: str, content_dir: str) -> str:
    """The folder of a content file inside the content folder (``articles``)."""
    folder = posixpath.dirname(path)
    prefix = content_dir.strip("/").removeprefix("./")
    if folder == prefix:
        return ""
    return folder[len(prefix) + 1:] if folder.startswith(prefix + "/") else folder


__all__ = ["PrivateFiles", "Split", "references", "split"]
