"""Publishing a built site to a folder, a git branch or an S3 bucket (``briefing publish``)."""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.errors import BriefingError, UsageError
from generator.guard import MARKER, site_audience
from generator.model.marking import normalise_marking, rank
from generator.publish.base import DEFAULT_MAX_DELETES, PublishOptions, Target
from generator.publish.files import scan_site
from generator.publish.plan import Plan, find_conflicts, make_plan
from generator.publish.progress import Progress, human_bytes
from generator.publish.targets import TargetSpec, parse_target, resolve_target
from generator.wording import plural

__all__ = [
    "DEFAULT_MAX_DELETES",
    "TARGETS",
    "Plan",
    "Progress",
    "PublishOptions",
    "PublishReport",
    "Target",
    "TargetSpec",
    "open_target",
    "parse_target",
    "publish_site",
    "resolve_target",
]

#: Target kinds and the module implementing each; a module exposes
#: ``open_target(spec: TargetSpec, options: PublishOptions) -> Target`` and is imported only
#: when used (so boto3 is needed only for S3).
TARGETS: dict[str, str] = {
    "dir": "generator.publish.folder",
    "git": "generator.publish.git",
    "s3": "generator.publish.s3",
}


@dataclass(frozen=True)
class PublishReport:
    """What a publish did (or, for a dry run, would do)."""

    target: str
    plan: Plan
    dry_run: bool
    seconds: float
    #: " for TLP:CLEAR (3 documents above it left out)", or "" when the audience is not known.
    audience_note: str = ""

    @property
    def bytes_sent(self) -> int:
        """Bytes of the files sent (would be sent, in a dry run)."""
        return self.plan.bytes_to_send

    def summary(self) -> str:
        """One line: files uploaded, unchanged, deleted, bytes sent, time."""
        plan = self.plan
        sent = len(plan.uploads) + len(plan.replaces)
        if self.dry_run:
            text = (f"dry run for {self.target}{self.audience_note}: would upload {sent} "
                    f"({len(plan.uploads)} new, {len(plan.replaces)} changed), "
                    f"{len(plan.unchanged)} unchanged, would delete {len(plan.deletes)}, "
                    f"{human_bytes(self.bytes_sent)} to send; nothing was changed")
        else:
            text = (f"published to {self.target}{self.audience_note}: {sent} uploaded "
                    f"({len(plan.uploads)} new, {len(plan.replaces)} changed), "
                    f"{len(plan.unchanged)} unchanged, {len(plan.deletes)} deleted, "
                    f"{human_bytes(self.bytes_sent)} sent in {self.seconds:.1f}s")
        if plan.stale:
            text += f"; {plural(len(plan.stale), 'stale file')} kept (--delete removes them)"
        return text


def open_target(spec: TargetSpec, options: PublishOptions) -> Target:
    """The target object for ``spec``, from the registry."""
    module_name = TARGETS.get(spec.kind)
    if module_name is None:
        raise UsageError(f"{spec.text}: unknown kind of target {spec.kind!r}")
    module = importlib.import_module(module_name)
    return module.open_target(spec, options)


def publish_site(
    site: Path,
    target: TargetSpec | str | Target,
    options: PublishOptions | None = None,
    *,
    progress: Progress | None = None,
    confirm: Callable[[Plan], bool] | None = None,
    left_out: int | None = None,
) -> PublishReport:
    """Publish the built site in ``site`` to ``target``; return what was done.

    Only files whose bytes (or headers) differ are sent; files on the target that are not in
    the site are deleted only with ``options.delete``, and more than ``options.max_deletes``
    deletions need ``options.yes`` or a ``confirm(plan)`` that returns True. A dry run lists
    the plan on ``progress`` and changes nothing. A :class:`Target` passed in (already
    opened, e.g. to fail fast before a build) is closed when the publish ends.

    With ``options.max_marking``, a site whose build marker records no audience, or one above
    that marking, is refused before anything is compared or sent. ``left_out`` (how many
    documents its build left out for that audience) only goes into the summary.
    """
    options = options or PublishOptions()
    progress = progress or Progress()
    started = time.monotonic()
    note = ""
    if options.max_marking is not None:
        try:
            audience = _check_audience(site, options.max_marking, target)
        except BaseException:
            if isinstance(target, Target):
                target.close()
            raise
        shown = "" if left_out is None else f" ({plural(left_out, 'document')} above it left out)"
        note = f" for {audience}{shown}"
    if isinstance(target, Target):
        handle = target
    else:
        handle = open_target(parse_target(target) if isinstance(target, str) else target, options)
    try:
        files = scan_site(site)
        if not files:
            raise BriefingError(f"{site}: the built site is empty; nothing to publish")
        files = handle.prepare(files)
        local = {path: handle.fingerprint(file) for path, file in files.items()}
        remote = handle.remote_state(files)
        plan = make_plan(local, remote, {p: f.size for p, f in files.items()},
                         delete=options.delete, protected=handle.protected())
        if handle.hierarchical:
            _refuse_conflicts(plan, handle.label)
        handle.check_plan(plan)
        too_many = len(plan.deletes) > options.max_deletes
        if options.dry_run:
            _print_plan(plan, progress)
            if too_many and not options.yes:
                progress.result(f"note: {plural(len(plan.deletes), 'deletion')} exceed --max-deletes "
                                f"{options.max_deletes}; the real run needs --yes")
            return _finish(handle.label, plan, True, started, progress, note)
        if too_many and not options.yes and not (confirm and confirm(plan)):
            raise UsageError(
                f"{handle.label}: refusing to delete {plural(len(plan.deletes), 'file')} (more than "
                f"--max-deletes {options.max_deletes}); check with --dry-run, then confirm with "
                "--yes or raise --max-deletes")
        if plan.changes_nothing:
            progress.note(f"{handle.label} is up to date")
        else:
            progress.begin(len(plan.sends) + len(plan.deletes), plan.bytes_to_send)
            try:
                handle.apply(plan, files, progress)
            finally:
                progress.end()
    finally:
        handle.close()
    return _finish(handle.label, plan, False, started, progress, note)


def _check_audience(site: Path, limit: str, target: object) -> str:
    """The audience ``site`` was built for, when it is ``limit`` or lower (else a refusal)."""
    recorded = site_audience(site)
    audience = normalise_marking(recorded)[0] if recorded else None
    where = getattr(target, "label", None) or getattr(target, "text", None) or str(target)
    if audience is None:
        raise UsageError(f"{site}: refusing to publish a site whose {MARKER} records no audience (it was not "
                         f"built by this version of briefing, or was changed); build it again with "
                         f"briefing build --audience {limit}")
    if rank(audience) > rank(limit):
        raise UsageError(f"{site}: refusing to publish a site built for {audience} (its {MARKER} says so) to "
                         f"{where}, which may receive up to {limit}; build it with --audience {limit}")
    return audience


def _finish(label: str, plan: Plan, dry_run: bool, started: float, progress: Progress, note: str = "") -> PublishReport:
    report = PublishReport(label, plan, dry_run, time.monotonic() - started, note)
    progress.result(report.summary())
    return report


def _print_plan(plan: Plan, progress: Progress) -> None:
    for path in plan.uploads:
        progress.result(f"upload  {path} ({human_bytes(plan.sizes[path])})")
    for path in plan.replaces:
        progress.result(f"replace {path} ({human_bytes(plan.sizes[path])})")
    for path in plan.deletes:
        progress.result(f"delete  {path}")


def _refuse_conflicts(plan: Plan, label: str) -> None:
    conflicts = find_conflicts(plan.sizes, plan.stale + plan.protected)
    if conflicts:
        mine, theirs = conflicts[0]
        raise UsageError(
            f"{label}: the site has {mine} but the target has {theirs} (a file and a folder of "
            f"one name; {len(conflicts)} such conflicts); publish with --delete to replace them")
