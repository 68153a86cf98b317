"""An installed wheel (not the repository) carries the default theme: init, then build, anywhere."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import REPO

#: Left out of the copy the wheel is built from: build products and other people's scratch.
TOP_LEVEL_SKIP = {".git", "site", ".briefing-cache", "build", "dist", ".benchmarks", ".venv", "venv", "bench"}
ANYWHERE_SKIP = {"__pycache__", ".pytest_cache", ".ruff_cache", "node_modules"}


def _skip(folder: str, names: list[str]) -> set[str]:
    skipped = {n for n in names if n in ANYWHERE_SKIP or n.endswith(".egg-info")}
    if Path(folder) == REPO:
        skipped |= TOP_LEVEL_SKIP & set(names)
    return skipped


def _run(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=600, env=env)
    assert proc.returncode == 0, f"{argv} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from a copy of the working tree (so the repository gets no build/ folder)."""
    work = tmp_path_factory.mktemp("wheel")
    src = work / "src"
    shutil.copytree(REPO, src, ignore=_skip)
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-cache-dir", "-w", str(work / "dist"), "."], cwd=src)
    (built,) = (work / "dist").glob("briefing-*.whl")
    return built


#: The wheel's run-time dependencies, as imported (markupsafe comes with jinja2).
DEPENDENCIES = ("markdown", "jinja2", "markupsafe", "yaml", "watchdog", "pygments")


def _dependency_folders() -> list[str]:
    """The folders this interpreter imports the wheel's dependencies from.

    A ``--system-site-packages`` virtualenv made from ``sys.executable`` inside another
    virtualenv sees only the base interpreter's packages, so it would not find them; a fresh
    virtualenv is given exactly these folders instead (after its own site-packages, so the
    installed wheel, not a copy of the repository, provides ``generator``).
    """
    folders: list[str] = []
    for name in DEPENDENCIES:
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.origin, f"{name} is not installed"
        folder = str(Path(spec.origin).resolve().parent.parent)
        if folder not in folders:
            folders.append(folder)
    return folders


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel installed, its dependencies from this interpreter's."""
    env_dir = tmp_path_factory.mktemp("venv") / "env"
    _run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], cwd=env_dir.parent)
    python = env_dir / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
          "--no-cache-dir", str(wheel)], cwd=env_dir.parent)
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                     cwd=env_dir.parent).stdout.strip())
    (site / "briefing-test-dependencies.pth").write_text("\n".join(_dependency_folders()) + "\n")
    return env_dir


def _clean_env(venv: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "SOURCE_DATE_EPOCH")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(venv)
    return env


def test_wheel_carries_the_default_theme(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in ("generator/themes/default/templates/base.html", "generator/themes/default/templates/article.html",
                     "generator/themes/default/static/style.css", "generator/cli/__init__.py"):
        assert required in names, required
    source_themes = {p.relative_to(REPO / "themes").as_posix() for p in (REPO / "themes").rglob("*") if p.is_file()
                     and "__pycache__" not in p.parts}
    assert {f"generator/themes/{rel}" for rel in source_themes} <= names


def test_installed_wheel_runs_init_then_build_outside_the_repository(venv, tmp_path):
    env = _clean_env(venv)
    briefing = str(venv / "bin" / "briefing")
    where = _run([str(venv / "bin" / "python"), "-c", "import generator; print(generator.__file__)"],
                 cwd=tmp_path, env=env).stdout.strip()
    assert Path(where).is_relative_to(venv), f"imported {where}, not the installed wheel"

    _run([briefing, "init", "demo"], cwd=tmp_path, env=env)
    demo = tmp_path / "demo"
    assert (demo / "briefing.yaml").is_file()
    _run([briefing, "build"], cwd=demo, env=env)

    out = demo / "site"
    assert (out / "index.html").is_file()
    theme_css = (Path(where).parent / "themes" / "default" / "static" / "style.css").read_bytes()
    copied = list((out / "static").glob("style*.css"))
    assert len(copied) == 1
    assert copied[0].read_bytes() == theme_css
    assert copied[0].name in (out / "index.html").read_text(encoding="utf-8")


def test_installed_wheel_help_lists_the_commands(venv, tmp_path):
    proc = _run([str(venv / "bin" / "briefing"), "--help"], cwd=tmp_path, env=_clean_env(venv))
    for command in ("build", "check", "serve", "init", "new", "publish"):
        assert command in proc.stdout
