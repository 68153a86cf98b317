"""Target specs: ``/path``, ``dir:PATH``, ``git:[REMOTE:]BRANCH``, ``s3://bucket/prefix``, or a name
from the ``publish:`` section of ``briefing.yaml``."""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from generator.errors import UsageError
from generator.model.marking import DEFAULT_MARKING, expected, normalise_marking
from generator.publish.media import CachePolicy

KINDS = ("dir", "git", "s3")
DEFAULT_BRANCH = "gh-pages"

#: Keys a named target may set, and the target kinds each applies to.
_KEYS: dict[str, tuple[str, ...]] = {
    "target": KINDS,
    "delete": KINDS,
    "max_deletes": KINDS,
    "base_url": KINDS,
    "max_marking": KINDS,
    "remote": ("git",),
    "branch": ("git",),
    "message": ("git",),
    "endpoint_url": ("s3",),
    "cache_control": ("s3",),
}


@dataclass(frozen=True)
class TargetSpec:
    """Where to publish, parsed; ``text`` is the target as the user wrote it (or its name)."""

    kind: str
    text: str
    path: Path | None = None
    remote: str | None = None
    branch: str | None = None
    bucket: str | None = None
    prefix: str = ""
    endpoint_url: str | None = None
    cache: CachePolicy = field(default_factory=CachePolicy)
    name: str | None = None
    delete: bool | None = None
    max_deletes: int | None = None
    message: str | None = None
    base_url: str | None = None
    #: The most restricted TLP 2.0 marking the target may receive (only its entry in
    #: ``briefing.yaml`` can raise it; ``--audience`` can only lower it).
    max_marking: str = DEFAULT_MARKING


def parse_target(text: str) -> TargetSpec:
    """Parse an explicit target (not a name); relative folders are relative to the current folder."""
    text = text.strip()
    if not text:
        raise UsageError("publish: the target is empty")
    if text.startswith("s3://"):
        return _parse_s3(text)
    if text.startswith("git:") or text == "git":
        return _parse_git(text)
    if text.startswith("dir:"):
        rest = text[4:]
        if not rest:
            raise UsageError("dir: needs a folder, e.g. dir:/srv/www/briefs")
        return TargetSpec("dir", text, path=Path(os.path.expanduser(rest)))
    if "://" in text:
        raise UsageError(f"{text}: unsupported target; use a folder, git:BRANCH or s3://bucket/prefix")
    return TargetSpec("dir", text, path=Path(os.path.expanduser(text)))


def looks_explicit(text: str) -> bool:
    """True when ``text`` is a target spec rather than a name from ``briefing.yaml``."""
    if text.startswith(("s3://", "git:", "dir:", "/", ".", "~")) or "://" in text:
        return True
    return "/" in text or os.sep in text or (os.altsep or "/") in text


def resolve_target(text: str, named: Mapping[str, Any] | None) -> TargetSpec:
    """A target from the command line: a name in ``publish:`` first, else an explicit spec.

    A bare word that is not a configured name is refused rather than taken as a folder, so a
    typo of ``production`` never creates a folder called ``prodution``.
    """
    named = named or {}
    if not isinstance(named, Mapping):
        raise UsageError("briefing.yaml: publish: expected a mapping of target names to settings")
    if text in named:
        return parse_named(text, named[text])
    if looks_explicit(text):
        return parse_target(text)
    names = sorted(str(name) for name in named)
    guess = difflib.get_close_matches(text, names, 1, 0.6)
    if guess:
        hint = f"; did you mean '{guess[0]}'?"
    elif names:
        hint = f"; briefing.yaml names: {', '.join(names)}"
    else:
        hint = "; briefing.yaml has no publish: targets"
    raise UsageError(f"{text}: unknown publish target{hint} "
                     f"(for a folder of that name write ./{text} or dir:{text})")


def parse_named(name: str, raw: Any) -> TargetSpec:
    """Validate one entry of ``publish:`` and turn it into a spec; unknown keys are refused."""
    where = f"briefing.yaml: publish.{name}"
    if isinstance(raw, str):
        raw = {"target": raw}
    if not isinstance(raw, Mapping):
        raise UsageError(f"{where}: expected a mapping with at least 'target'")
    for key in raw:
        if key not in _KEYS:
            guess = difflib.get_close_matches(str(key), list(_KEYS), 1, 0.6)
            hint = f"; did you mean '{guess[0]}'?" if guess else f"; known keys: {', '.join(_KEYS)}"
            raise UsageError(f"{where}.{key}: unknown key{hint}")
    target = raw.get("target")
    if not isinstance(target, str) or not target.strip():
        raise UsageError(f"{where}.target: required, e.g. s3://bucket/prefix, git:gh-pages or /srv/www/site")
    spec = parse_target(target)
    for key in raw:
        if spec.kind not in _KEYS[key]:
            kinds = " and ".join(f"{k}" for k in _KEYS[key])
            raise UsageError(f"{where}.{key}: applies only to {kinds} targets, not to {target}")
    changes: dict[str, Any] = {"name": name, "text": name}
    for key in ("remote", "branch", "message", "endpoint_url", "base_url"):
        if key in raw:
            changes[key] = _text(raw[key], f"{where}.{key}")
    if "endpoint_url" in changes:
        changes["endpoint_url"] = endpoint_url(changes["endpoint_url"], f"{where}.endpoint_url")
    if "remote" in changes and spec.remote and spec.remote != changes["remote"]:
        raise UsageError(f"{where}.remote: {changes['remote']!r} contradicts the target {target!r}")
    if "branch" in changes:
        if target.startswith("git:") and spec.branch != changes["branch"]:
            raise UsageError(f"{where}.branch: {changes['branch']!r} contradicts the target {target!r}")
    if "delete" in raw:
        changes["delete"] = _bool(raw["delete"], f"{where}.delete")
    if "max_deletes" in raw:
        changes["max_deletes"] = _count(raw["max_deletes"], f"{where}.max_deletes")
    if "max_marking" in raw:
        marking = raw["max_marking"]
        norm = normalise_marking(marking)[0] if isinstance(marking, str) else None
        if norm is None:
            raise UsageError(f"{where}.max_marking: {marking!r} is not a TLP 2.0 marking; expected one of {expected()}")
        changes["max_marking"] = norm
    if "cache_control" in raw:
        changes["cache"] = CachePolicy.from_mapping(raw["cache_control"], f"{where}.cache_control")
    return replace(spec, **changes)


def endpoint_url(text: str, where: str = "--endpoint-url") -> str:
    """``text`` when it is an http(s) URL with a host (an S3 endpoint), else a usage error."""
    url = text.strip()
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname \
            or any(c.isspace() or not c.isprintable() for c in url):
        raise UsageError(f"{where}: {url!r} is not a URL; expected https://host or http://host:port")
    return url


def _parse_s3(text: str) -> TargetSpec:
    rest = text[len("s3://"):]
    bucket, _, prefix = rest.partition("/")
    if not bucket:
        raise UsageError(f"{text}: no bucket; expected s3://bucket or s3://bucket/prefix")
    prefix = prefix.strip("/")
    parts = prefix.split("/") if prefix else []
    if any(part in ("", ".", "..") for part in parts):
        raise UsageError(f"{text}: the prefix may not contain empty, '.' or '..' segments")
    return TargetSpec("s3", text, bucket=bucket, prefix=prefix)


def _parse_git(text: str) -> TargetSpec:
    rest = text[len("git:"):] if text.startswith("git:") else ""
    if not rest:
        return TargetSpec("git", text, branch=DEFAULT_BRANCH)
    remote, sep, branch = rest.rpartition(":")
    if not sep:
        return TargetSpec("git", text, branch=rest)
    if not branch or not remote:
        raise UsageError(f"{text}: expected git:BRANCH or git:REMOTE:BRANCH")
    return TargetSpec("git", text, remote=remote, branch=branch)


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise UsageError(f"{where}: expected text")
    return value.strip()


def _bool(value: Any, where: str) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in ("yes", "on", "true"):
        return True
    if word in ("no", "off", "false"):
        return False
    raise UsageError(f"{where}: expected true or false")


def _count(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise UsageError(f"{where}: expected a whole number of 0 or more")
    try:
        number = int(value)
    except ValueError:
        raise UsageError(f"{where}: expected a whole number of 0 or more") from None
    if number < 0:
        raise UsageError(f"{where}: expected a whole number of 0 or more")
    return number
