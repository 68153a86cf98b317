"""The correctness oracle: does an (incremental) output equal a clean build of the same sources?"""

from __future__ import annotations

import tempfile
from pathlib import Path

from generator.build import Builder
from generator.output import existing_files


def compare_folders(expected: Path, actual: Path) -> list[str]:
    """Differences between two site folders, one line each (empty when byte-identical)."""
    want, have = existing_files(expected), existing_files(actual)
    lines = [f"missing: {p}" for p in sorted(want - have)]
    lines += [f"unexpected: {p}" for p in sorted(have - want)]
    for rel in sorted(want & have):
        if (expected / rel).read_bytes() != (actual / rel).read_bytes():
            lines.append(f"differs: {rel}")
    return lines


def verify_output(source: Path, output: Path, *, drafts: bool = False, base_url: str | None = None,
                  fingerprint: bool | None = None, audience: str | None = None) -> list[str]:
    """Build ``source`` from scratch (no cache) in a temporary folder and compare with ``output``."""
    with tempfile.TemporaryDirectory(prefix="briefing-verify-") as scratch:
        clean = Path(scratch) / "site"
        builder = Builder(source, clean, drafts=drafts, base_url=base_url, use_cache=False, jobs=1,
                          fingerprint=fingerprint, audience=audience)
        result = builder.build()
        builder.close()
        if not result.ok:
            return [f"clean build failed: {d}" for d in result.errors]
        return compare_folders(clean, output)
