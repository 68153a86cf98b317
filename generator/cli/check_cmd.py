"""``briefing check``: validate content, links and templates; write nothing."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from generator.build import Builder
from generator.cli.build_cmd import add_site_options, source_dir
from generator.cli.reporting import Reporter
from generator.wording import plural


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``check`` command."""
    parser = sub.add_parser("check", help="validate content and links without writing the site",
                            description="Validate front matter, cross-links and templates. Writes nothing.")
    add_site_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Build into a throw-away folder, print the diagnostics, and report."""
    reporter = Reporter(quiet=args.quiet)
    with tempfile.TemporaryDirectory(prefix="briefing-check-") as scratch:
        builder = Builder(source_dir(args), Path(scratch) / "site", drafts=args.drafts, base_url=args.base_url,
                          strict=args.strict, quiet=True, use_cache=False, audience=args.audience)
        result = builder.build()
        builder.close()
    reporter.diagnostics(result.diagnostics)
    if not result.ok:
        print(f"check failed: {plural(len(result.errors), 'error')}, {plural(len(result.warnings), 'warning')}",
              file=sys.stderr)
        return 1
    drafts = f", {plural(result.drafts_left_out, 'draft')} left out (use --drafts)" if result.drafts_left_out else ""
    reporter.info(f"check passed: {plural(result.documents, 'document')}{result.audience_note()}{drafts}, "
                  f"{plural(len(result.warnings), 'warning')}")
    return 0
