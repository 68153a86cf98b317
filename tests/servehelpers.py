"""A fake builder and a hub recorder for the live-preview tests."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

from generator.errors import Diagnostic
from generator.serve.livereload import Hub, Message

# -- a fake builder: content/*.md -> <stem>/index.html; "BROKEN" in a file is an error -----------


@dataclass
class Result:
    ok: bool
    diagnostics: list = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    duration: float = 0.0


class FakeBuilder:
    """Stands in for generator.build.Builder: full scan, writes only changed bytes."""

    def __init__(self, source: Path, output: Path, delay: float = 0.0) -> None:
        self.source = source
        self.output = output
        self.delay = delay
        self.config = SimpleNamespace(base_url="http://example.org/")
        self.calls: list[set[Path] | None] = []
        self.fail_with: Exception | None = None

    def watch_paths(self) -> list[Path]:
        s = self.source
        return [s / "content", s / "templates", s / "static", s / "briefing.yaml"]

    def ignored_paths(self) -> list[Path]:
        return [self.source / ".briefing-cache"]

    def _plan(self) -> tuple[dict[str, bytes], list[Diagnostic]]:
        plan: dict[str, bytes] = {}
        errors = []
        for md in sorted((self.source / "content").rglob("*.md")):
            text = md.read_text()
            if "BROKEN" in text:
                line = text[: text.index("BROKEN")].count("\n") + 1
                errors.append(
                    Diagnostic(str(md.relative_to(self.source)), line, "title", "bad <x>")
                )
            stem = md.relative_to(self.source / "content").with_suffix("").as_posix()
            plan[f"{stem}/index.html"] = f"<html><body>{text}</body></html>".encode()
        for css in sorted((self.source / "static").rglob("*.css")):
            plan[f"static/{css.name}"] = css.read_bytes()
        return plan, errors

    def build(self, changed: set[Path] | None = None) -> Result:
        self.calls.append(changed)
        time.sleep(self.delay)
        if self.fail_with:
            raise self.fail_with
        plan, errors = self._plan()
        if errors:
            return Result(False, errors)
        written = []
        for rel, data in plan.items():
            target = self.output / rel
            if not target.is_file() or target.read_bytes() != data:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                written.append(rel)
        removed = []
        if self.output.is_dir():
            for path in sorted(self.output.rglob("*")):
                rel = path.relative_to(self.output).as_posix()
                if path.is_file() and rel not in plan:
                    path.unlink()
                    removed.append(rel)
        return Result(True, [], written, removed)


def make_site(root: Path) -> Path:
    (root / "content" / "articles").mkdir(parents=True)
    (root / "static").mkdir()
    (root / "content" / "articles" / "x.md").write_text("Body text.\n")
    (root / "static" / "style.css").write_text("body{}\n")
    (root / "briefing.yaml").write_text("title: t\n")
    return root


class Collector:
    """A hub subscription that records every message."""

    def __init__(self, hub: Hub) -> None:
        self.sub = hub.subscribe()
        self.sub.get(timeout=1)  # hello

    def events(self, wait: float = 0.0) -> list[Message]:
        found = []
        deadline = time.monotonic() + wait
        while True:
            message = self.sub.get(timeout=max(0.0, deadline - time.monotonic()) or 0.001)
            if message is None:
                if time.monotonic() >= deadline:
                    return found
                continue
            found.append(message)
