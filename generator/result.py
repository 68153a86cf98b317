"""What a build did: its outcome, diagnostics, files and timings, and the summary line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import Diagnostic
from generator.wording import plural


@dataclass
class BuildResult:
    """What a build did: whether it succeeded, its diagnostics, files written and timings."""

    ok: bool
    output: Path
    diagnostics: list[Diagnostic] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    rendered: int = 0
    documents: int = 0
    #: Documents with ``draft: true`` the build left out (none with ``--drafts``).
    drafts_left_out: int = 0
    #: The build's audience (``None``: everyone inside, nothing left out) and how many
    #: documents were marked above it.
    audience: str | None = None
    left_out: int = 0
    parsed: int = 0
    duration: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    #: "full" when the site graph was built from every document; "updated" when a
    #: one-document update of the last build's graph was enough.
    graph: str = "full"
    #: Whether the build carried on from the state the last complete build saved for a new
    #: process (``generator/resume.py``) instead of loading every parse.
    resumed: bool = False

    @property
    def errors(self) -> list[Diagnostic]:
        """The diagnostics that failed the build."""
        return [d for d in self.diagnostics if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        """The warnings: problems that did not fail the build (notices are not counted)."""
        return [d for d in self.diagnostics if not d.is_error and not d.is_notice]

    @property
    def notices(self) -> list[Diagnostic]:
        """What the build did on purpose and says so (a link to a document left out)."""
        return [d for d in self.diagnostics if d.is_notice]

    def audience_note(self) -> str:
        """``" for TLP:GREEN (3 documents above it left out)"``, or nothing for a build for everyone inside."""
        if self.audience is None:
            return ""
        return f" for {self.audience} ({plural(self.left_out, 'document')} above it left out)"

    def summary(self) -> str:
        """The one-line summary the CLI prints."""
        state = "built" if self.ok else "failed"
        drafts = f", {plural(self.drafts_left_out, 'draft')} left out (use --drafts)" if self.drafts_left_out else ""
        return (f"{state}: {plural(self.documents, 'document')}{self.audience_note()}{drafts}, "
                f"{plural(len(self.written), 'file')} written, "
                f"{self.unchanged} unchanged, {len(self.removed)} removed, "
                f"{plural(len(self.warnings), 'warning')}, {plural(len(self.errors), 'error')} "
                f"in {self.duration:.2f} s")
