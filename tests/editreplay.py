"""Replay a list of named edits on a site and check, after each, that the output equals a
clean build: in a running ``Builder`` told of each edit (as ``serve`` is), or through the CLI
in a new process with the cache (as a second ``briefing build`` is)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import run_cli

from generator.build import Builder
from generator.verify import verify_output

#: An edit: its name, and a function that changes the site and returns the path it changed.
Edit = tuple[str, Callable[[Path], Path]]
#: Called after each edit has been built and checked: ``(what, out)``.
After = Callable[[str, Path], None]


def replay_in_builder(site: Path, out: Path, edits: list[Edit], audience: str | None,
                      after: After | None = None) -> list[str]:
    """Build once, then each edit in a running builder told of the changed file; after each,
    the output must equal a clean build. Returns the graph mode each build took."""
    builder = Builder(site, out, quiet=True, atomic_swap=False, jobs=1, audience=audience or "")
    graphs: list[str] = []
    try:
        assert builder.build().ok
        for what, edit in edits:
            result = builder.build({edit(site)})
            assert result.ok, (what, [str(d) for d in result.diagnostics])
            graphs.append(result.graph)
            assert verify_output(site, out, audience=audience or "") == [], what
            if after is not None:
                after(what, out)
    finally:
        builder.close()
    return graphs


def replay_with_cli(site: Path, out: Path, edits: list[Edit], audience: str = "TLP:GREEN",
                    after: After | None = None) -> None:
    """``briefing build`` once, then again after each edit in a new run with the cache; after
    each, the output must equal a clean build."""
    args = ("build", "--source", site, "-o", out, "--audience", audience)
    assert run_cli(*args).code == 0
    for what, edit in edits:
        edit(site)
        run = run_cli(*args)
        assert run.code == 0, (what, run.text)
        assert verify_output(site, out, audience=audience) == [], what
        if after is not None:
            after(what, out)
