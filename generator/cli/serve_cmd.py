"""``briefing serve``: build into a temporary folder, serve it, rebuild and reload on change."""

from __future__ import annotations

import argparse
import shutil
import signal
import sys
import tempfile
import threading
import webbrowser
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from generator.cli.build_cmd import add_audience_option
from generator.errors import UsageError

if TYPE_CHECKING:
    from generator.serve.preview import Preview


def register(subparsers: Any) -> None:
    """Add the ``serve`` command."""
    parser = subparsers.add_parser(
        "serve",
        help="build, serve on 127.0.0.1, rebuild and reload the browser on every change",
        description="Build the site into a temporary folder, serve it with live reload, and "
        "rebuild after every change to content, templates, static files, theme or config.",
    )
    parser.add_argument(
        "--source", default=".", type=Path, metavar="DIR", help="site folder (default: .)"
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1; any other address is reachable "
        "from other machines, and a warning says so)",
    )
    parser.add_argument("--port", default=8000, type=int, help="port (default: 8000; 0 = any)")
    parser.add_argument("--drafts", action="store_true", help="include drafts")
    add_audience_option(parser, "preview as this audience sees it (default: every document, whatever its marking)")
    parser.add_argument("--open", action="store_true", help="open the site in a browser")
    parser.add_argument(
        "--poll", action="store_true", help="poll for changes (where file events do not work)"
    )
    parser.set_defaults(func=run)


def _make_builder(source: Path, output: Path, drafts: bool, audience: str | None = None) -> Any:
    from generator.build import Builder  # the build stack is heavy: import it when serving

    # in-place writes (each file replaced atomically) keep rebuilds fast and the folder servable;
    # a preview shows every document unless told an audience (not the one in briefing.yaml)
    return Builder(source, output, drafts=drafts, quiet=True, atomic_swap=False, audience=audience or "")


def run(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C (or SIGTERM); returns the exit code."""
    from generator.serve.preview import (  # the server stack loads only when serving
        LOOPBACK,
        Preview,
    )

    source = Path(args.source)
    if not source.is_dir():
        raise UsageError(f"--source: {source} is not a folder")
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port: {args.port} is not a port number")
    if args.host not in LOOPBACK:
        print(
            f"warning: serving on {args.host}: other machines can reach this preview",
            file=sys.stderr,
        )
    workdir = Path(tempfile.mkdtemp(prefix="briefing-serve-"))
    try:
        builder = _make_builder(source, workdir / "site", args.drafts, args.audience)
        try:
            preview = Preview(builder, host=args.host, port=args.port, poll=args.poll)
        except OSError as exc:
            raise UsageError(f"cannot listen on {args.host}:{args.port}: {exc.strerror}") from exc
        return _serve(preview, open_browser=args.open)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _serve(preview: Preview, *, open_browser: bool) -> int:
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = signal.signal(signal.SIGTERM, on_signal)
    try:
        preview.start()
        print(f"serving {preview.url}  (Ctrl-C to stop)", file=sys.stderr, flush=True)
        if open_browser:
            webbrowser.open(preview.url)
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        interrupt = signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C: finish anyway
        try:
            preview.stop()
        finally:
            signal.signal(signal.SIGINT, interrupt)
            signal.signal(signal.SIGTERM, previous)
    print("stopped", file=sys.stderr)
    return 0
