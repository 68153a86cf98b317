"""HTTP headers for published files: Content-Type with charset, and Cache-Control by kind."""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from generator.errors import UsageError

#: Types for the files a static site carries, independent of the machine's mime.types.
_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".map": "application/json",
    ".webmanifest": "application/manifest+json",
    ".xml": "application/xml",
    ".atom": "application/atom+xml",
    ".rss": "application/rss+xml",
    ".xsl": "application/xslt+xml",
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".csv": "text/csv",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/vnd.microsoft.icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".pdf": "application/pdf",
    ".wasm": "application/wasm",
    ".geojson": "application/geo+json",
}

#: Types that are documents which change with every edit (short cache): pages and data.
_DOCUMENT_TYPES = {
    "text/html",
    "application/json",
    "application/manifest+json",
    "application/geo+json",
    "application/xml",
    "application/atom+xml",
    "application/rss+xml",
}

#: Types whose bytes are text and get ``; charset=utf-8`` (``text/*`` get it anyway).
_TEXT_TYPES = (_DOCUMENT_TYPES - {"text/html"}) | {"application/xslt+xml", "image/svg+xml"}

#: ``static/style.3f2a9c1b.css``: a name carrying a content hash of 8 or more hex digits.
_FINGERPRINT = re.compile(r"\.[0-9a-fA-F]{8,}\.")


def content_type(path: str) -> str:
    """The Content-Type for a published path, with ``charset=utf-8`` for text formats."""
    name = path.rsplit("/", 1)[-1].lower()
    suffix = name[name.rfind("."):] if "." in name else ""
    kind = _TYPES.get(suffix) or mimetypes.guess_type(name, strict=False)[0]
    if not kind:
        return "application/octet-stream"
    if kind.startswith("text/") or kind in _TEXT_TYPES:
        return f"{kind}; charset=utf-8"
    return kind


def is_fingerprinted(path: str) -> bool:
    """True for an asset under ``static/`` whose name carries a content hash."""
    if not path.startswith("static/"):
        return False
    return bool(_FINGERPRINT.search(path.rsplit("/", 1)[-1]))


@dataclass(frozen=True)
class CachePolicy:
    """Cache-Control values: ``html`` for pages and data (HTML, XML, JSON), ``assets`` for
    fingerprinted files under ``static/``, ``default`` for everything else."""

    html: str = "public, max-age=300"
    assets: str = "public, max-age=31536000, immutable"
    default: str = "public, max-age=3600"

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any] | None, where: str = "cache_control") -> CachePolicy:
        """Read ``{html, assets, default}`` from configuration; unknown keys are an error."""
        if raw is None:
            return cls()
        if not isinstance(raw, Mapping):
            raise UsageError(f"{where}: expected a mapping with keys html, assets, default")
        known = [f.name for f in fields(cls)]
        values: dict[str, str] = {}
        for key, value in raw.items():
            if key not in known:
                raise UsageError(f"{where}.{key}: unknown key; expected one of {', '.join(known)}")
            if not isinstance(value, str) or not value.strip() or "\n" in value:
                raise UsageError(f"{where}.{key}: expected a Cache-Control value such as 'public, max-age=300'")
            values[key] = value.strip()
        return cls(**values)

    def for_path(self, path: str) -> str:
        """The Cache-Control value for one published path."""
        if is_fingerprinted(path):
            return self.assets
        if content_type(path).split(";", 1)[0] in _DOCUMENT_TYPES:
            return self.html
        return self.default
