"""``briefing publish TARGET``: build the current sources afresh, then publish the result."""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
from pathlib import Path
from typing import Any

from generator.cli.build_cmd import add_audience_option
from generator.config import CONFIG_NAME, SiteConfig, parse_config
from generator.errors import BuildError, UsageError
from generator.model.marking import DEFAULT_MARKING, lower, rank
from generator.publish import (
    DEFAULT_MAX_DELETES,
    Plan,
    Progress,
    PublishOptions,
    TargetSpec,
    open_target,
    publish_site,
    resolve_target,
)
from generator.publish.targets import endpoint_url
from generator.wording import plural

_DESCRIPTION = """\
Build the site from the current sources into a fresh temporary folder (never with drafts,
never an old build), then publish it. TARGET is a folder (/srv/www/briefs or dir:PATH), a git
branch (git:gh-pages, or git:REMOTE:BRANCH to push), an S3 bucket (s3://bucket/prefix), or
the name of a target under publish: in briefing.yaml. Only changed files are sent; files on
the target that are not in the site are deleted only with --delete.

The build is for the target's audience: documents marked above its max_marking (TLP:CLEAR
unless its entry in briefing.yaml says otherwise) are left out of everything published.
--audience may lower that limit, never raise it. base_url must be an absolute address."""


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``publish`` command."""
    parser = sub.add_parser("publish", help="build, then publish to a folder, a git branch or S3",
                            description=_DESCRIPTION)
    parser.add_argument("target", metavar="TARGET",
                        help="folder, dir:PATH, git:[REMOTE:]BRANCH, s3://bucket/prefix, or a name from briefing.yaml")
    parser.add_argument("--source", "-s", default=".", metavar="DIR", help="the site folder (default: .)")
    parser.add_argument("--dry-run", "-n", action="store_true",
                        help="print what would be uploaded, replaced and deleted; change nothing")
    parser.add_argument("--delete", action="store_true", help="delete files on the target that are not in the site")
    parser.add_argument("--max-deletes", type=int, metavar="N",
                        help=f"refuse to delete more than N files unless --yes (default: {DEFAULT_MAX_DELETES})")
    parser.add_argument("--yes", "-y", action="store_true", help="confirm deleting more than --max-deletes files")
    parser.add_argument("--base-url", metavar="URL", help="override base_url for this build")
    add_audience_option(parser, "publish for a lower audience than the target's max_marking "
                        "(default: the target's, TLP:CLEAR unless briefing.yaml raises it)")
    parser.add_argument("--endpoint-url", metavar="URL",
                        help="S3: the endpoint of another S3-compatible provider")
    parser.add_argument("--remote", metavar="REMOTE", help="git: push the branch to this remote (name or URL)")
    parser.add_argument("--message", "-m", metavar="TEXT", help="git: the commit message")
    parser.add_argument("--force", action="store_true",
                        help="git: start the branch's history afresh with this commit and force-push; "
                        "folder: allow --delete in a folder that briefing did not write")
    parser.add_argument("--quiet", "-q", action="store_true", help="print nothing but errors")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Resolve the target, build into a temporary folder, publish; print a summary."""
    source = Path(args.source)
    if not source.is_dir():
        raise UsageError(f"briefing: the source folder {args.source!r} does not exist")
    if args.max_deletes is not None and args.max_deletes < 0:
        raise UsageError("--max-deletes: expected a number of 0 or more")
    config = _site_config(source)
    spec = _with_flags(resolve_target(args.target, dict(config.publish or {})), args)
    audience = _audience(spec, args.audience, config)
    options = PublishOptions(
        dry_run=args.dry_run,
        delete=bool(args.delete or spec.delete),
        max_deletes=_first(args.max_deletes, spec.max_deletes, DEFAULT_MAX_DELETES),
        yes=args.yes,
        force=args.force,
        message=args.message or spec.message,
        source=source.resolve(),
        max_marking=audience,
    )
    progress = Progress(quiet=args.quiet)
    target = open_target(spec, options)  # fail fast (bad branch, no boto3) before building
    try:
        _check_base_url(spec, config)
    except BaseException:
        target.close()
        raise
    with tempfile.TemporaryDirectory(prefix="briefing-publish-") as scratch:
        try:
            result = build(source, Path(scratch) / "site", base_url=spec.base_url, quiet=args.quiet, audience=audience)
        except BaseException:
            target.close()
            raise
        for diagnostic in result.diagnostics:
            progress.note(str(diagnostic))
        progress.note(result.summary())
        publish_site(result.output, target, options, progress=progress, confirm=_prompt(args),
                     left_out=result.left_out)
    return 0


def build(source: Path, output: Path, *, base_url: str | None, quiet: bool, audience: str = DEFAULT_MARKING) -> Any:
    """A fresh build of ``source`` into ``output``, without drafts; raises BuildError on failure.

    The parse cache is neither read nor written: what ships is built from the sources as they
    are now, and publishing leaves nothing behind in the source folder (or a git working tree).
    """
    from generator.build import build_site

    return build_site(source, output, drafts=False, base_url=base_url, strict=False, quiet=quiet,
                      use_cache=False, audience=audience)


def _site_config(source: Path) -> SiteConfig:
    """The settings of ``briefing.yaml`` (its errors stop the publish before anything is built)."""
    path = source / CONFIG_NAME
    if not path.is_file():
        return SiteConfig()
    text = path.read_bytes().decode("utf-8-sig", errors="replace").replace("\r\n", "\n")
    config, diagnostics = parse_config(text, CONFIG_NAME)
    errors = [d for d in diagnostics if d.is_error]
    if errors:
        raise BuildError(errors)
    return config


def _audience(spec: TargetSpec, wanted: str | None, config: SiteConfig) -> str:
    """Who the build is for: the target's ``max_marking``, lowered by ``--audience`` and by
    ``audience:`` of ``briefing.yaml``; ``--audience`` above the target's limit is refused."""
    limit = spec.max_marking
    if wanted is not None and rank(wanted) > rank(limit):
        how = (f"to raise it, set max_marking: {wanted} under publish: {spec.name}: in briefing.yaml" if spec.name
               else f"to give it a higher one, name it in briefing.yaml (publish: NAME: {{target: {spec.text}, "
                    f"max_marking: {wanted}}}) and publish to NAME")
        raise UsageError(f"--audience {wanted}: {spec.text} may receive up to {limit}, and the command line can "
                         f"only lower a target's limit; {how}")
    return lower(lower(limit, wanted), config.audience_limit)


def _check_base_url(spec: TargetSpec, config: SiteConfig) -> None:
    """Refuse a relative ``base_url``: the feed and sitemap of a published site need an absolute one."""
    url = spec.base_url or config.base_url
    if "://" in url:
        return
    place = f"base_url: under publish: {spec.name}:" if spec.name else "--base-url URL"
    raise UsageError(f"publish: base_url is {url!r}, not an absolute address: feed.xml and sitemap.xml would be "
                     f"invalid. Set base_url: https://your.host/path/ in briefing.yaml (or {place} for this "
                     f"target), then publish again")


def _with_flags(spec: TargetSpec, args: argparse.Namespace) -> TargetSpec:
    """Command-line options override the named target's settings."""
    changes: dict[str, Any] = {}
    if args.endpoint_url:
        if spec.kind != "s3":
            raise UsageError("--endpoint-url applies only to s3:// targets")
        changes["endpoint_url"] = endpoint_url(args.endpoint_url)
    for flag in ("remote", "message"):
        if getattr(args, flag) and spec.kind != "git":
            raise UsageError(f"--{flag} applies only to git: targets")
    if args.force and spec.kind not in ("git", "dir"):
        raise UsageError("--force applies only to git: and folder targets")
    if args.remote:
        changes["remote"] = args.remote
    if args.base_url:
        changes["base_url"] = args.base_url
    return dataclasses.replace(spec, **changes)


def _first(*values: int | None) -> int:
    return next(value for value in values if value is not None)


def _prompt(args: argparse.Namespace) -> Any:
    """Ask before deleting more than --max-deletes files, when someone is at a terminal."""
    if args.yes or not (sys.stdin.isatty() and sys.stderr.isatty()):
        return None

    def confirm(plan: Plan) -> bool:
        sys.stderr.write(f"delete {plural(len(plan.deletes), 'file')} from the target (more than --max-deletes)? "
                         "[y/N] ")
        sys.stderr.flush()
        return sys.stdin.readline().strip().lower() in ("y", "yes")

    return confirm
