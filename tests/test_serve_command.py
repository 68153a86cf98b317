"""``briefing serve`` with the real builder: loopback by default, the bytes of a plain build,
a broken first build, a busy port, stopping on Ctrl-C and SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from test_serve_http import get

from generator.serve.client import SCRIPT_PATH

ARTICLE = "---\ntitle: Test article\ndate: 2024-12-06\ntags: [a]\n---\nBody text.\n"


def make_source(root: Path, config: str = "") -> Path:
    (root / "content" / "articles").mkdir(parents=True)
    (root / "content" / "articles" / "x.md").write_text(ARTICLE)
    if config:
        (root / "briefing.yaml").write_text(config)
    return root


def test_loopback_is_the_default(tmp_path: Path) -> None:
    from generator.build import Builder
    from generator.cli import make_parser
    from generator.serve.preview import Preview

    args = make_parser().parse_args(["serve"])
    assert (args.host, args.port, args.poll, args.drafts) == ("127.0.0.1", 8000, False, False)
    builder = Builder(make_source(tmp_path / "src"), tmp_path / "out", atomic_swap=False)
    preview = Preview(builder, port=0, out=open(os.devnull, "w"))
    try:
        assert preview.server.server_address[0] == "127.0.0.1"
    finally:
        preview.stop()


def test_served_bytes_equal_a_plain_build(tmp_path: Path) -> None:
    from generator.build import Builder
    from generator.serve.client import script_tag
    from generator.serve.preview import Preview

    source = make_source(tmp_path / "src", "base_url: https://example.org/briefs/\n")
    plain = Builder(source, tmp_path / "plain").build()
    assert plain.ok
    builder = Builder(source, tmp_path / "out", atomic_swap=False)
    with Preview(builder, port=0, out=open(os.devnull, "w")) as preview:
        assert preview.served.prefix == "/briefs/"
        tag = script_tag(preview.hub.build_id)
        files = [p for p in (tmp_path / "plain").rglob("*") if p.is_file()]
        assert len(files) > 5
        for path in files:
            rel = path.relative_to(tmp_path / "plain").as_posix()
            status, _, body = get(preview.server.port, "/briefs/" + rel)
            assert status == 200, rel
            expected = path.read_bytes()
            assert body.replace(tag, b"") == expected, rel
            assert (tag in body) == rel.endswith(".html"), rel


def test_a_broken_first_build_still_serves_and_reports(tmp_path: Path) -> None:
    from generator.build import Builder
    from generator.serve.preview import Preview

    source = make_source(tmp_path / "src")
    (source / "content" / "articles" / "x.md").write_text(ARTICLE.replace("Test article", "[x"))
    builder = Builder(source, tmp_path / "out", atomic_swap=False)
    preview = Preview(builder, port=0, out=open(os.devnull, "w"))
    try:
        assert not preview.start()
        assert preview.hub.errors and preview.hub.errors[0].startswith("content/articles/x.md:")
        status, _, body = get(preview.server.port, "/")
        assert status == 404 and SCRIPT_PATH.encode() in body
    finally:
        preview.stop()


def test_port_in_use_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.cli import main

    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    source = make_source(tmp_path / "src")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["serve", "--source", str(source), "--port", str(port)]) == 2
    assert list((tmp_path / "tmp").iterdir()) == []


def _default_sigint() -> None:
    # a shell running tests in the background ignores SIGINT, and its children inherit that
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "term"])
def test_the_command_serves_and_stops_cleanly(tmp_path: Path, stop: signal.Signals) -> None:
    source = make_source(tmp_path / "src")
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp), "PYTHONUNBUFFERED": "1"}
    args = [sys.executable, "-m", "generator", "serve", "--source", str(source), "--port", "0"]
    proc = subprocess.Popen(
        args, env=env, stderr=subprocess.PIPE, text=True, preexec_fn=_default_sigint
    )
    try:
        line = ""
        while "serving http://" not in line:
            line = proc.stderr.readline()
            assert line, "the server exited before serving"
        url = line.split()[1]
        port = int(url.rsplit(":", 1)[1].split("/")[0])
        assert b"Body text." in get(port, "/articles/x/")[2]
        assert len(list(temp.iterdir())) == 1  # the temporary output folder
        proc.send_signal(stop)
        assert proc.wait(timeout=20) == 0
        assert "Traceback" not in proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
    assert list(temp.iterdir()) == []


def test_a_non_loopback_host_warns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from generator.cli import main, serve_cmd

    monkeypatch.setattr(serve_cmd, "_serve", lambda preview, open_browser: 0)
    source = make_source(tmp_path / "src")
    assert main(["serve", "--source", str(source), "--host", "0.0.0.0", "--port", "0"]) == 0
    assert "warning: serving on 0.0.0.0" in capsys.readouterr().err
