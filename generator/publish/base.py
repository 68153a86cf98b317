"""What every publish target implements, and the options a publish runs with."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path

from generator.publish.files import LocalFile
from generator.publish.plan import Plan
from generator.publish.progress import Progress

DEFAULT_MAX_DELETES = 256


@dataclass(frozen=True)
class PublishOptions:
    """How to publish: the command-line switches, merged with a named target's settings.

    ``source`` is the site's folder: the git target looks for "the current repository" there,
    and the folder target refuses to publish over it.
    """

    dry_run: bool = False
    delete: bool = False
    max_deletes: int = DEFAULT_MAX_DELETES
    yes: bool = False
    force: bool = False
    message: str | None = None
    source: Path = field(default_factory=Path.cwd)
    #: When set, the built site must record (in its build marker) an audience no higher than
    #: this marking, or nothing is published: a folder built for another audience never ships.
    max_marking: str | None = None


class Target(ABC):
    """A place a built site is published to.

    The publisher calls :meth:`prepare`, then :meth:`remote_state`, builds a
    :class:`~generator.publish.plan.Plan` from the fingerprints, and (unless it is a dry run)
    calls :meth:`apply`; :meth:`close` is always called at the end.
    """

    #: A printable description of the target, without credentials.
    label: str = ""
    #: True when a path cannot be both a file and a folder (folders, git trees).
    hierarchical: bool = True

    def prepare(self, files: dict[str, LocalFile]) -> dict[str, LocalFile]:
        """The files to publish: the built site, plus anything the target adds."""
        return files

    @abstractmethod
    def fingerprint(self, file: LocalFile) -> str:
        """A text that changes whenever the published form of ``file`` changes."""

    @abstractmethod
    def remote_state(self, files: dict[str, LocalFile]) -> dict[str, str | None]:
        """Fingerprint of every file now on the target (``None``: unknown, send it again)."""

    def protected(self) -> frozenset[str]:
        """Target paths never deleted even with ``--delete`` (known after remote_state)."""
        return frozenset()

    def check_plan(self, plan: Plan) -> None:
        """Refuse a plan this target must not carry out (raise :class:`UsageError`); a dry
        run is refused the same way, so it shows what the real run would do."""
        return None

    @abstractmethod
    def apply(self, plan: Plan, files: dict[str, LocalFile], progress: Progress) -> None:
        """Carry out ``plan``: send new and changed files, then delete stale ones.

        Each file is reported to ``progress`` only once it is safely on the target, so a
        failure midway leaves every reported file updated; a rerun completes the rest.
        """

    def close(self) -> None:
        """Release what the target holds (temporary folders, connections)."""
        return None
