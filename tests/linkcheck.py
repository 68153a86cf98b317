"""A small link checker for a built site folder.

Walks every ``.html`` file, parses it with :mod:`html.parser`, and checks every internal
``href``/``src`` (rooted at the site's base path, or relative to the page): the target file
exists (clean URLs: ``dir/`` -> ``dir/index.html``), stays inside the folder, and a
``#fragment`` names an ``id`` (or ``<a name>``) in the target page.

Usage: ``python tests/linkcheck.py SITE_DIR [--base-path /briefs/] [--site-url https://example.org/briefs/]``
"""

from __future__ import annotations

import argparse
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from multiprocessing import get_context
from pathlib import Path
from urllib.parse import unquote, urlsplit

#: Attributes that hold a URL, per element.
URL_ATTRS = {
    "a": ("href",), "area": ("href",), "link": ("href",), "script": ("src",), "img": ("src",),
    "iframe": ("src",), "source": ("src",), "video": ("src", "poster"), "audio": ("src",),
    "track": ("src",), "embed": ("src",), "form": ("action",), "use": ("href",),
}
EXTERNAL_SCHEMES = ("http", "https", "mailto", "tel", "data", "javascript", "ftp", "urn")


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[tuple[int, str, str]] = []  # (line, tag, url)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])  # type: ignore[arg-type]
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"])  # type: ignore[arg-type]
        for attr in URL_ATTRS.get(tag, ()):
            value = values.get(attr)
            if value is not None:
                self.refs.append((self.getpos()[0], tag, value))

    handle_startendtag = handle_starttag


def _parse_files(paths: list[Path]) -> list[tuple[set[str], list[tuple[int, str, str]]]]:
    out = []
    for path in paths:
        parser = _PageParser()
        parser.feed(path.read_text(encoding="utf-8"))
        parser.close()
        out.append((parser.ids, parser.refs))
    return out


@dataclass
class Report:
    """What a run found: pages and links checked, and every problem."""

    pages: int = 0
    links: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class LinkChecker:
    """Checks the internal links of a site folder served at ``base_path``."""

    def __init__(self, root: Path | str, base_path: str = "/", site_url: str = ""):
        self.root = Path(root).resolve()
        self.base_path = "/" + base_path.strip("/") + "/" if base_path.strip("/") else "/"
        self.site_url = site_url.rstrip("/") + "/" if site_url else ""
        self._pages: dict[Path, _PageParser] = {}
        self._file_set: set[str] | None = None
        self._targets: dict[tuple[str, str], tuple[Path | None, str | None]] = {}

    def _parse(self, path: Path) -> _PageParser:
        parsed = self._pages.get(path)
        if parsed is None:
            parsed = _PageParser()
            parsed.feed(path.read_text(encoding="utf-8"))
            parsed.close()
            self._pages[path] = parsed
        return parsed

    def _page_url(self, path: Path) -> str:
        """The URL path a file is served at (``a/index.html`` -> ``/base/a/``)."""
        rel = path.relative_to(self.root).as_posix()
        if rel == "index.html":
            rel = ""
        elif rel.endswith("/index.html"):
            rel = rel[: -len("index.html")]
        return self.base_path + rel

    def _files(self) -> set[str]:
        if self._file_set is None:
            found: set[str] = set()
            for folder, dirs, files in os.walk(self.root):
                rel = Path(folder).relative_to(self.root).as_posix()
                prefix = "" if rel == "." else rel + "/"
                found.update(prefix + name for name in files)
                found.update(prefix + name + "/" for name in dirs)
            self._file_set = found
        return self._file_set

    def target_of(self, page: Path, url: str) -> tuple[Path | None, str, str | None]:
        """``(file, fragment, problem)`` for an internal URL; ``(None, "", None)`` for an external one."""
        if self.site_url and url.startswith(self.site_url):
            url = self.base_path + url[len(self.site_url):]
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            if parts.scheme and parts.scheme not in EXTERNAL_SCHEMES:
                return None, "", f"unknown scheme {parts.scheme!r}"
            return None, "", None
        fragment = unquote(parts.fragment)
        if not parts.path:
            return page, fragment, None
        if parts.path.startswith("/"):
            if not (parts.path + "/").startswith(self.base_path):
                return None, "", f"rooted outside the base path {self.base_path}"
            full = parts.path if parts.path + "/" != self.base_path else self.base_path
        else:
            base = self._page_url(page)
            full = base[: base.rfind("/") + 1] + parts.path
        key = (full, fragment)
        if key not in self._targets:
            self._targets[key] = self._locate(full)
        target, problem = self._targets[key]
        return target, fragment, problem

    def _locate(self, full: str) -> tuple[Path | None, str | None]:
        rel = unquote(full[len(self.base_path):])
        segments: list[str] = []
        for segment in rel.split("/"):
            if segment in ("", "."):
                continue
            if segment == "..":
                if not segments:
                    return None, "climbs out of the site folder"
                segments.pop()
                continue
            segments.append(segment)
        name = "/".join(segments)
        files = self._files()
        if rel.endswith("/") or rel.endswith("/.") or not segments:
            name = name + "/index.html" if name else "index.html"
        elif name + "/" in files:
            if name + "/index.html" in files:
                return None, f"points at the folder {full!r} without a trailing slash"
            return None, f"{full!r} is a folder without index.html"
        if name not in files:
            return None, f"no file {name}"
        target = self.root / name
        if target.is_symlink():
            try:
                target.resolve().relative_to(self.root)
            except ValueError:
                return None, "is a symbolic link out of the site folder"
        return target, None

    def _parse_all(self, pages: list[Path]) -> None:
        """Parse many pages at once, on every core when there are many."""
        workers = min(os.cpu_count() or 1, 8)
        if len(pages) < 200 or workers < 2:
            return
        size = max(16, len(pages) // (workers * 4))
        chunks = [pages[i:i + size] for i in range(0, len(pages), size)]
        with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
            for chunk, results in zip(chunks, pool.map(_parse_files, chunks), strict=True):
                for path, (ids, refs) in zip(chunk, results, strict=True):
                    parsed = _PageParser()
                    parsed.ids, parsed.refs = ids, refs
                    self._pages[path] = parsed

    def check(self) -> Report:
        """Check every page; problems read ``page:line: <tag> url: reason``."""
        report = Report()
        pages = sorted(self.root.rglob("*.html"))
        if sys.platform.startswith("linux"):
            self._parse_all([p for p in pages if p not in self._pages])
        for page in pages:
            report.pages += 1
            rel = page.relative_to(self.root).as_posix()
            for line, tag, url in self._parse(page).refs:
                if tag == "form" and not url:
                    continue
                report.links += 1
                target, fragment, problem = self.target_of(page, url.strip())
                if problem:
                    report.problems.append(f"{rel}:{line}: <{tag}> {url}: {problem}")
                    continue
                if target is None or not fragment:
                    continue
                if target.suffix != ".html":
                    report.problems.append(f"{rel}:{line}: <{tag}> {url}: a fragment on a non-HTML file")
                elif fragment not in self._parse(target).ids:
                    report.problems.append(f"{rel}:{line}: <{tag}> {url}: no id {fragment!r} in "
                                           f"{target.relative_to(self.root).as_posix()}")
        return report


def check_site(root: Path | str, base_path: str = "/", site_url: str = "") -> Report:
    """Check a built site folder; see :class:`LinkChecker`."""
    return LinkChecker(root, base_path, site_url).check()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check the internal links and anchors of a built site.")
    parser.add_argument("site", help="the output folder")
    parser.add_argument("--base-path", default="/", help="the URL path the site is served from (default: /)")
    parser.add_argument("--site-url", default="", help="absolute URLs under this prefix are checked too")
    args = parser.parse_args(argv)
    report = check_site(args.site, args.base_path, args.site_url)
    for problem in report.problems:
        print(problem)
    print(f"{report.pages} pages, {report.links} links, {len(report.problems)} problems", file=sys.stderr)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
