"""``briefing build``: build the site into the output folder."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from generator.build import Builder
from generator.cli.reporting import Reporter
from generator.config import CONFIG_NAME
from generator.errors import UsageError
from generator.model.marking import expected, normalise_marking
from generator.workers import JOBS_PER_CORE, max_jobs


def add_site_options(parser: argparse.ArgumentParser) -> None:
    """Options shared by build, check and serve."""
    parser.add_argument("--source", "-s", default=".", metavar="DIR", help="the site folder (default: .)")
    parser.add_argument("--drafts", action="store_true", help="include documents with draft: true")
    parser.add_argument("--base-url", metavar="URL", help="override base_url, e.g. https://example.org/briefs/")
    parser.add_argument("--strict", action="store_true", help="treat warnings (broken links, typos) as errors")
    parser.add_argument("--quiet", "-q", action="store_true", help="print nothing but errors")
    add_audience_option(parser)


def add_audience_option(parser: argparse.ArgumentParser, text: str | None = None) -> None:
    """The ``--audience TLP:...`` option."""
    parser.add_argument("--audience", type=marking_arg, metavar="TLP:...",
                        help=text or "build for this audience: documents marked above it are left out of "
                        "every page, list, feed and data file (default: audience in briefing.yaml, else everything)")


def marking_arg(text: str) -> str:
    """A TLP 2.0 marking given on the command line (any case, ``TLP:`` optional)."""
    norm, _ = normalise_marking(text)
    if norm is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a TLP 2.0 marking; expected one of {expected()}")
    return norm


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``build`` command."""
    parser = sub.add_parser("build", help="build the site", description="Build the site into the output folder "
                            "(default: site/). Only files whose bytes changed are rewritten.")
    add_site_options(parser)
    parser.add_argument("--output", "-o", metavar="DIR", help="output folder (default: output in briefing.yaml, else site/)")
    parser.add_argument("--jobs", "-j", type=job_count, metavar="N",
                        help=f"parallel workers, 1 to {max_jobs()} (default: number of cores)")
    parser.add_argument("--no-cache", action="store_true", help="ignore and do not write the parse cache")
    parser.add_argument("--force", action="store_true",
                        help="build into a non-empty folder that briefing did not write, replacing its contents")
    parser.add_argument("--verify", action="store_true",
                        help="after building, rebuild from scratch in memory and report any page that differs")
    parser.set_defaults(func=run)


def job_count(text: str) -> int:
    """The ``--jobs`` value: a whole number from 1 to :func:`max_jobs` (else a usage error)."""
    highest = max_jobs()
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number; expected 1 to {highest}") from None
    if not 1 <= number <= highest:
        raise argparse.ArgumentTypeError(f"{number} is out of range; expected 1 to {highest} "
                                         f"({JOBS_PER_CORE} per core on this machine)")
    return number


def source_dir(args: argparse.Namespace) -> Path:
    """The ``--source`` folder, checked."""
    source = Path(args.source)
    if not source.is_dir():
        raise UsageError(f"briefing: the source folder {args.source!r} does not exist")
    return source


def relative_base_url_warning(source: Path, base_url: str) -> str:
    """What ``build`` says of a relative ``base_url`` (which ``publish`` refuses): on the line of
    ``briefing.yaml`` that sets it, or, when none does, as the default it is."""
    where = ""
    try:
        text = (source / CONFIG_NAME).read_text(encoding="utf-8-sig", errors="replace")
        match = re.search(r"^base_url\s*:", text, re.M)
        if match:
            where = f"{CONFIG_NAME}:{text.count(chr(10), 0, match.start()) + 1}: "
    except OSError:
        pass
    said = f"base_url: {base_url!r} is a path" if where else f"base_url is not set, so it is {base_url!r}, a path"
    return (f"{where}notice: {said}, not an absolute address, so feed.xml and sitemap.xml hold no usable "
            f"links; fine for a look, but 'briefing publish' refuses it: set base_url: "
            f"https://your.host/path/ in {CONFIG_NAME} (or build with --base-url)")


def run(args: argparse.Namespace) -> int:
    """Build once and print the diagnostics and a summary."""
    reporter = Reporter(quiet=args.quiet)
    builder = Builder(source_dir(args), args.output, drafts=args.drafts, base_url=args.base_url,
                      strict=args.strict, quiet=args.quiet, jobs=args.jobs, use_cache=not args.no_cache,
                      progress=reporter.progress, one_shot=True, force=args.force, audience=args.audience)
    try:
        result = builder.build()
    finally:
        builder.close()
    reporter.diagnostics(result.diagnostics)
    if not result.ok:
        errors = len(result.errors)
        print(f"build failed: {errors} error{'s' if errors != 1 else ''}; the previous site in "
              f"{result.output} is untouched", file=sys.stderr)
        return 1
    if not builder.config.absolute_base:
        reporter.info(relative_base_url_warning(builder.source, builder.config.base_url))
    reporter.info(result.summary() + f" -> {result.output}")
    if args.verify:
        from generator.verify import verify_output

        differences = verify_output(builder.source, result.output, drafts=args.drafts, base_url=args.base_url,
                                    audience=args.audience)
        for line in differences:
            print(line, file=sys.stderr)
        if differences:
            return 1
        reporter.info("verify: the output matches a clean build byte for byte")
    return 0
