"""No Python module of the engine, the tests or the benchmarks is over 500 lines: a longer one
is split where its parts divide (the project's standard)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FOLDERS = ("generator", "tests", "bench")
LIMIT = 500


def modules() -> list[Path]:
    """Every ``.py`` file under the checked folders (not walking ``bench/work/``, where the
    benchmarks keep their corpora, nor caches)."""
    found = []
    for folder in FOLDERS:
        for root, dirs, files in os.walk(REPO / folder):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not (folder == "bench" and d == "work"
                                                                              and Path(root) == REPO / "bench"))
            found.extend(Path(root) / name for name in sorted(files) if name.endswith(".py"))
    return found


def too_long(paths: list[Path], limit: int = LIMIT) -> list[str]:
    """``path: N lines`` for each file over ``limit`` lines."""
    out = []
    for path in paths:
        with path.open("rb") as handle:
            count = sum(1 for _ in handle)
        if count > limit:
            out.append(f"{path.relative_to(REPO).as_posix() if path.is_relative_to(REPO) else path}: {count} lines")
    return out


def test_every_checked_folder_has_modules() -> None:
    found = {path.relative_to(REPO).parts[0] for path in modules()}
    assert found == set(FOLDERS)
    assert Path(__file__).resolve() in modules()


def test_no_module_is_over_500_lines() -> None:
    over = too_long(modules())
    assert not over, f"split these modules (at most {LIMIT} lines each): " + "; ".join(over)


@pytest.mark.parametrize("lines, over", [(LIMIT, False), (LIMIT + 1, True)])
def test_the_check_names_a_file_over_the_limit(tmp_path: Path, lines: int, over: bool) -> None:
    path = tmp_path / "long.py"
    path.write_text("x = 1\n" * lines)
    found = too_long([path])
    assert found == ([f"{path}: {lines} lines"] if over else [])
