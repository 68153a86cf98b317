"""Site configuration (``briefing.yaml``): typed, validated, every key with a default."""

from __future__ import annotations

import difflib
import hashlib
import json
import posixpath
import re
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import UTC, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from generator.errors import Diagnostic, error
from generator.model.marking import DEFAULT_MARKING, expected, normalise_marking
from generator.model.text import strip_controls
from generator.tradecraft.scales import DEFAULT_SCALE, Scale, read_scale_settings, scale_for
from generator.yamltree import YamlSyntaxError, is_null, line_of, parse_mapping, plain, text

CONFIG_NAME = "briefing.yaml"


@dataclass(frozen=True)
class SiteConfig:
    """Every setting of a site. Paths are relative to the site folder."""

    title: str = "Briefing"
    description: str = ""
    author: str = ""
    base_url: str = "/"
    language: str = "en"
    theme: str = "default"
    timezone: str = "UTC"
    output: str = "site"
    content_dir: str = "content"
    cache_dir: str = ".briefing-cache"
    home_limit: int = 10
    feed_limit: int = 50
    related_limit: int = 5
    #: Documents per page of the archives (/articles/, /notes/) and of term pages.
    paginate: int = 20
    fingerprint_assets: bool = False
    show_build_time: bool = False
    search: bool = True
    strict: bool = False
    #: The TLP 2.0 marking of documents that have none.
    marking: str = DEFAULT_MARKING
    #: Who a build is for: documents marked above it are left out of everything ("": nothing is).
    audience: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    publish: dict[str, Any] = field(default_factory=dict)
    #: The likelihood scale the estimative-language checks use: icd203, phia, none, or one of
    #: ``likelihood_scales`` (the site's own, as plain data; see generator.tradecraft.scales).
    likelihood_scale: str = DEFAULT_SCALE
    likelihood_scales: dict[str, Any] = field(default_factory=dict)
    #: Other names of sources: ``{canonical name: [alias, ...]}`` (see generator.graph.sourcereg).
    source_aliases: dict[str, Any] = field(default_factory=dict)

    @property
    def tz(self) -> tzinfo:
        """The site's timezone object."""
        if self.timezone.upper() == "UTC":
            return UTC
        return ZoneInfo(self.timezone)

    @property
    def scale(self) -> Scale | None:
        """The likelihood scale in use (``None`` when ``likelihood_scale: none``)."""
        return scale_for(self.likelihood_scale, self.likelihood_scales)

    @property
    def base_path(self) -> str:
        """The path part of ``base_url``, always starting and ending with ``/``."""
        url = self.base_url
        if "://" in url:
            url = "/" + url.split("://", 1)[1].partition("/")[2]
        if not url.startswith("/"):
            url = "/" + url
        return url if url.endswith("/") else url + "/"

    @property
    def audience_limit(self) -> str | None:
        """The highest marking this build shows, or ``None`` when it shows everything."""
        return self.audience or None

    def marking_of(self, marking: str | None) -> str:
        """A document's marking: its own, else the site's default."""
        return marking or self.marking

    @property
    def absolute_base(self) -> str:
        """``base_url`` when it is absolute (feeds need one), else ``""``."""
        return self.base_url if "://" in self.base_url else ""

    def fingerprint(self) -> str:
        """A stable hash of every setting (part of each output's inputs and the cache key)."""
        data = json.dumps(asdict(self), sort_keys=True, default=str)
        return hashlib.sha256(data.encode()).hexdigest()[:16]

    def with_overrides(self, **changes: Any) -> SiteConfig:
        """A copy with some settings replaced (command-line options)."""
        clean = {k: v for k, v in changes.items() if v is not None}
        if "base_url" in clean:
            clean["base_url"] = normalise_base_url(clean["base_url"])
        return replace(self, **clean)


_TYPES: dict[str, type] = {f.name: f.type for f in fields(SiteConfig)}  # type: ignore[misc]


#: A ``base_url`` written as a host name and path without its scheme (``example.org/briefs/``),
#: which would otherwise be taken as the path ``/example.org/briefs/``.
_HOST_FIRST = re.compile(r"(?:localhost|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,})(?::[0-9]+)?(?:/|$)", re.I)


def normalise_base_url(url: str) -> str:
    """Ensure a trailing slash; keep absolute URLs absolute and paths rooted."""
    url = url.strip()
    if not url:
        return "/"
    if "://" not in url and not url.startswith("/"):
        url = "/" + url
    return url if url.endswith("/") else url + "/"


def parse_config(source_text: str, path: str = CONFIG_NAME) -> tuple[SiteConfig, list[Diagnostic]]:
    """Parse the text of ``briefing.yaml``; unknown keys and wrong types are reported with lines."""
    diags: list[Diagnostic] = []
    try:
        raw = parse_mapping(strip_controls(source_text))
    except YamlSyntaxError as exc:
        return SiteConfig(), [error(path, exc.line, "config", str(exc))]
    values: dict[str, Any] = {}
    known = [f.name for f in fields(SiteConfig)]
    values["likelihood_scale"], values["likelihood_scales"], scale_diags = read_scale_settings(
        raw.values, raw.lines, path)
    diags += scale_diags
    for key, value in raw.values.items():
        line = raw.lines.get(key, 1)
        if key in ("likelihood_scale", "likelihood_scales"):
            continue
        if key not in _TYPES:
            guess = difflib.get_close_matches(key, known, 1, 0.7)
            hint = f"; did you mean '{guess[0]}'?" if guess else f"; known keys: {', '.join(known)}"
            diags.append(error(path, line, key, f"unknown setting{hint}"))
            continue
        if is_null(value):
            continue
        kind = _TYPES[key]
        converted = _convert(kind, value)
        if converted is None:
            diags.append(error(path, line_of(value, line), key,
                               f"expected {_describe(kind)}, found {_found(value)}"))
            continue
        values[key] = converted
    config = SiteConfig(**values)
    if "base_url" in values:
        written = config.base_url.strip()
        if _HOST_FIRST.match(written):
            diags.append(error(path, raw.lines.get("base_url", 1), "base_url",
                               f"{written!r} starts with a host name but has no scheme; expected "
                               f"https://{written} (or a path that starts with '/')"))
        config = replace(config, base_url=normalise_base_url(config.base_url))
    if config.timezone.upper() != "UTC":
        try:
            ZoneInfo(config.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            diags.append(error(path, raw.lines.get("timezone", 1), "timezone",
                               f"{config.timezone!r} is not a time zone; expected a name such as UTC or Europe/London"))
            config = replace(config, timezone="UTC")
    content_dir = posixpath.normpath(config.content_dir.replace("\\", "/"))
    if posixpath.isabs(content_dir) or content_dir == "." or content_dir.split("/")[0] == "..":
        diags.append(error(path, raw.lines.get("content_dir", 1), "content_dir",
                           f"{config.content_dir!r} is not inside the site folder; expected a folder inside it, "
                           f"such as content (briefing reads nothing from outside the site folder)"))
    if posixpath.normpath(config.cache_dir.replace("\\", "/")) == ".":
        diags.append(error(path, raw.lines.get("cache_dir", 1), "cache_dir",
                           "expected a folder of its own, such as .briefing-cache, not the site folder"))
    for key in ("marking", "audience"):
        if key in values:
            norm, _ = normalise_marking(values[key])
            if norm is None:
                diags.append(error(path, raw.lines.get(key, 1), key,
                                   f"{values[key]!r} is not a TLP 2.0 marking; expected one of {expected()}"))
                norm = DEFAULT_MARKING if key == "marking" else ""
            config = replace(config, **{key: norm})
    diags += _check_aliases(raw.values.get("source_aliases"), raw.lines.get("source_aliases", 1), path)
    for key in ("home_limit", "feed_limit", "related_limit"):
        if getattr(config, key) < 0:
            diags.append(error(path, raw.lines.get(key, 1), key, "expected a number of 0 or more"))
    if config.paginate < 1:
        diags.append(error(path, raw.lines.get("paginate", 1), "paginate",
                           f"{config.paginate} documents per page; expected a whole number of 1 or more"))
        config = replace(config, paginate=20)
    return config, diags


def _check_aliases(value: Any, line: int, path: str) -> list[Diagnostic]:
    """``source_aliases:`` is ``{canonical name: [alias, ...]}`` (a single alias may stand alone)."""
    if not isinstance(value, dict):
        return []
    diags = []
    for name, aliases in value.items():
        items = aliases if isinstance(aliases, list) else [aliases]
        if any(isinstance(item, list | dict) for item in items):
            diags.append(error(path, line_of(aliases, line), f"source_aliases.{name}",
                               "expected a list of other names of the source, such as [Reuters News, reuters.com]"))
    return diags


def _convert(kind: Any, value: Any) -> Any:
    if kind in ("str", str):
        return text(value).strip() if not isinstance(value, list | dict) else None
    if kind in ("bool", bool):
        word = text(value).strip().lower() if not isinstance(value, list | dict) else ""
        return {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}.get(word)
    if kind in ("int", int):
        try:
            return int(text(value)) if not isinstance(value, list | dict) else None
        except ValueError:
            return None
    if isinstance(value, dict):
        return plain(value)
    return None


def _found(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    shown = text(value)
    return repr(shown if len(shown) <= 60 else shown[:57] + "...")


def _describe(kind: Any) -> str:
    return {"str": "text", "bool": "true or false", "int": "a whole number"}.get(str(kind), "a mapping")
