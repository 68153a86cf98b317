"""The dev server over real sockets: Host check, traversal, clean URLs, injection, live-reload
channels (server-sent events, WebSocket)."""

from __future__ import annotations

import json
import os
import socket
import threading
from pathlib import Path

import pytest

from generator.serve import websocket
from generator.serve.client import EVENTS_PATH, SCRIPT_PATH, SOCKET_PATH, inject
from generator.serve.http import DevHTTPServer, Served, allowed_hosts
from generator.serve.urlmap import resolve

SECRET = b"TOPSECRET-do-not-serve"
PAGE = b"<!doctype html><html><head><title>x</title></head><body><p>Hello</p></body></html>"


def make_output(tmp_path: Path) -> Path:
    """An output folder with pages, assets, data files, and symlinks pointing out of it."""
    (tmp_path / "secret.txt").write_bytes(SECRET)
    out = tmp_path / "site"
    files = {
        "index.html": PAGE,
        "notes/x/index.html": PAGE.replace(b"Hello", b"Note X"),
        "static/style.css": b"body { color: black }\n",
        "feed.xml": b"<?xml version='1.0'?><feed><entry><content>&lt;/body&gt;</content></entry></feed>",
        "search-index.json": b'[{"body": "</body>"}]',
        "404.html": b"<html><body><h1>Lost</h1></body></html>",
        "evil.com/index.html": PAGE,
        "big.bin": os.urandom(4 * 1024 * 1024),
    }
    for rel, data in files.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data)
    (out / "leak.txt").symlink_to(tmp_path / "secret.txt")
    (out / "leakdir").symlink_to(tmp_path, target_is_directory=True)
    (out / "inside.css").symlink_to(out / "static" / "style.css")
    return out


class Running:
    """A DevHTTPServer on 127.0.0.1 with a free port, served from a thread."""

    def __init__(self, served: Served, host: str = "127.0.0.1") -> None:
        served.idle.set()
        self.served = served
        self.server = DevHTTPServer(host, 0, served)
        self.port = self.server.port
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def close(self) -> None:
        self.served.hub.close()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def output(tmp_path: Path) -> Path:
    return make_output(tmp_path)


@pytest.fixture
def server(output: Path):
    running = Running(Served(output))
    yield running
    running.close()


def raw(port: int, request: bytes, timeout: float = 5.0) -> tuple[int, dict[str, str], bytes]:
    """Send exact bytes, read the whole answer (the server closes), parse it roughly."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(request)
        chunks = []
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    data = b"".join(chunks)
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body


def get(port: int, target: str, host: str | None = None) -> tuple[int, dict[str, str], bytes]:
    host = host if host is not None else f"127.0.0.1:{port}"
    request = f"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    return raw(port, request.encode("latin-1"))


def still_serving(port: int) -> bool:
    return get(port, "/")[0] == 200


# -- path safety ------------------------------------------------------------------------------

TRAVERSALS = [
    "/../secret.txt",
    "/notes/../../secret.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E/secret.txt",
    "/.%2e/secret.txt",
    "/notes/%2e%2e/%2e%2e/secret.txt",
    "/..%2fsecret.txt",
    "/%2e%2e%2fsecret.txt",
    "/notes%2f..%2f..%2fsecret.txt",
    "/..\\secret.txt",
    "/%5c..%5csecret.txt",
    "/%252e%252e/secret.txt",
    "/%252e%252e%252fsecret.txt",
    "/%25252e%25252e/secret.txt",
    "/%c0%ae%c0%ae/secret.txt",
    "/leak.txt",
    "/leakdir/secret.txt",
    "/leakdir/",
    "secret.txt",
    "http://127.0.0.1/../secret.txt",
    "/%00/../secret.txt",
]


@pytest.mark.parametrize("target", TRAVERSALS)
def test_traversal_is_refused(server: Running, target: str) -> None:
    status, _, body = get(server.port, target)
    assert status in (400, 403, 404)
    assert SECRET not in body


def test_absolute_path_request_stays_inside(server: Running, tmp_path: Path) -> None:
    status, _, body = get(server.port, "/" + str(tmp_path / "secret.txt"))
    assert status == 404 and SECRET not in body


def test_symlink_inside_the_folder_is_served(server: Running) -> None:
    status, _, body = get(server.port, "/inside.css")
    assert status == 200 and body.startswith(b"body")


def test_resolve_unit_cases(output: Path) -> None:
    assert resolve("/", output).file == (output / "index.html").resolve()
    assert resolve("/notes/x/", output).file == (output / "notes/x/index.html").resolve()
    assert resolve("/notes/x", output).location == "/notes/x/"
    assert resolve("/notes/x?a=1", output).location == "/notes/x/?a=1"
    assert resolve("/nope/", output).status == 404
    assert resolve("/feed.xml/", output).status == 404
    assert resolve("/" + "a" * 5000, output).status == 414
    assert resolve("/x", output.parent / "missing").status == 404


# -- clean URLs, redirects, 404 -----------------------------------------------------------------


def test_clean_urls(server: Running) -> None:
    status, headers, body = get(server.port, "/notes/x/")
    assert status == 200 and b"Note X" in body
    assert headers["content-type"].startswith("text/html")


def test_folder_without_slash_redirects_relative_safe(server: Running) -> None:
    status, headers, _ = get(server.port, "/notes/x")
    assert status == 301 and headers["location"] == "/notes/x/"
    status, headers, _ = get(server.port, "//evil.com")
    assert status == 301 and headers["location"] == "/evil.com/"
    assert not headers["location"].startswith("//")
    status, headers, _ = get(server.port, "///evil.com?x=1")
    assert status == 301 and headers["location"] == "/evil.com/?x=1"


def test_missing_serves_the_site_404_page(server: Running) -> None:
    status, headers, body = get(server.port, "/no/such/page/")
    assert status == 404 and b"Lost" in body and SCRIPT_PATH.encode() in body
    assert headers["content-type"].startswith("text/html")


def test_missing_without_404_page(server: Running, output: Path) -> None:
    (output / "404.html").unlink()
    status, _, body = get(server.port, "/no/such/")
    assert status == 404 and SCRIPT_PATH.encode() in body


def test_sub_path_prefix(output: Path) -> None:
    running = Running(Served(output, "/briefs/"))
    try:
        status, _, body = get(running.port, "/briefs/notes/x/")
        assert status == 200 and b"Note X" in body
        status, headers, _ = get(running.port, "/")
        assert status == 302 and headers["location"] == "/briefs/"
        status, headers, _ = get(running.port, "/briefs")
        assert status == 301 and headers["location"] == "/briefs/"
        assert get(running.port, "/notes/x/")[0] == 404
        assert get(running.port, "/briefs/../secret.txt")[0] == 403
    finally:
        running.close()


# -- injection ----------------------------------------------------------------------------------


def test_script_injected_into_html_only(server: Running, output: Path) -> None:
    status, _, body = get(server.port, "/")
    assert status == 200
    assert body == inject(PAGE, server.served.hub.build_id)
    assert body.index(SCRIPT_PATH.encode()) < body.index(b"</body>")
    for rel in ("feed.xml", "search-index.json", "static/style.css"):
        status, _, body = get(server.port, "/" + rel)
        assert status == 200 and body == (output / rel).read_bytes()
    # nothing was written into the output folder
    assert not any(SCRIPT_PATH.encode() in p.read_bytes() for p in output.rglob("*") if p.is_file())


def test_inject_without_body_tag() -> None:
    assert inject(b"<p>x", "b-1").startswith(b"<p>x<script")


def test_reload_script_is_served(server: Running) -> None:
    status, headers, body = get(server.port, SCRIPT_PATH)
    assert status == 200 and headers["content-type"].startswith("text/javascript")
    assert b"WebSocket" in body and b"EventSource" in body
    assert b"textContent" in body and b"innerHTML" not in body
    assert b'"role", "alert"' in body


def test_head_has_no_body(server: Running) -> None:
    request = f"HEAD / HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nConnection: close\r\n\r\n"
    status, headers, body = raw(server.port, request.encode())
    assert status == 200 and body == b"" and int(headers["content-length"]) > 0


# -- Host header (DNS rebinding) ----------------------------------------------------------------


@pytest.mark.parametrize("host", ["evil.example:{port}", "127.0.0.1", "127.0.0.1:1", "", "x"])
def test_foreign_host_is_rejected(server: Running, host: str) -> None:
    status, _, body = get(server.port, "/", host=host.format(port=server.port))
    assert status == 403 and b"Hello" not in body


def test_missing_host_is_rejected(server: Running) -> None:
    status, _, _ = raw(server.port, b"GET / HTTP/1.0\r\n\r\n")
    assert status == 403


@pytest.mark.parametrize(
    "host", ["localhost:{port}", "127.0.0.1:{port}", "[::1]:{port}", "LOCALHOST:{port}"]
)
def test_loopback_hosts_are_accepted(server: Running, host: str) -> None:
    assert get(server.port, "/", host=host.format(port=server.port))[0] == 200


def test_host_check_covers_the_event_stream(server: Running) -> None:
    status, _, body = get(server.port, EVENTS_PATH, host="evil.example")
    assert status == 403 and b"hello" not in body


def test_allowed_hosts_include_the_host_value() -> None:
    hosts = allowed_hosts("192.0.2.7", 8000)
    assert "192.0.2.7:8000" in hosts and "localhost:8000" in hosts
    assert "192.0.2.7" not in hosts
    assert "[fe80::1]:9000" in allowed_hosts("fe80::1", 9000)
    assert "localhost" in allowed_hosts("127.0.0.1", 80)


# -- server-sent events -------------------------------------------------------------------------


def read_event(sock_file) -> tuple[str, str]:
    """Read one named event from an event stream (skipping comments and retry lines)."""
    name = data = ""
    while True:
        line = sock_file.readline().decode()
        if line == "":
            raise EOFError
        line = line.rstrip("\n")
        if line.startswith("event: "):
            name = line[7:]
        elif line.startswith("data: "):
            data = line[6:]
        elif line == "" and name:
            return name, data


def open_events(port: int):
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock.sendall(f"GET {EVENTS_PATH} HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n".encode())
    stream = sock.makefile("rb")
    assert b"200" in stream.readline()
    while stream.readline() not in (b"\r\n", b""):
        pass
    return sock, stream


def test_event_stream_says_hello_then_reload_and_error(server: Running) -> None:
    hub = server.served.hub
    sock, stream = open_events(server.port)
    try:
        name, data = read_event(stream)
        assert name == "hello" and hub.build_id in data
        hub.error(["content/a.md:3: title: missing <b>"])
        assert read_event(stream) == (
            "build-error",
            '{"errors":["content/a.md:3: title: missing <b>"]}',
        )
        hub.reload()
        name, data = read_event(stream)
        assert name == "reload" and hub.build_id in data
        hub.css(["static/style.css"])
        assert read_event(stream)[0] == "css"
    finally:
        sock.close()


def test_new_client_sees_the_current_error(server: Running) -> None:
    server.served.hub.error(["content/a.md:1: broken"])
    sock, stream = open_events(server.port)
    try:
        name, data = read_event(stream)
        assert name == "hello" and "content/a.md:1: broken" in data
    finally:
        sock.close()


# -- WebSocket ----------------------------------------------------------------------------------

WS_KEY = "dGhlIHNhbXBsZSBub25jZQ=="  # the RFC 6455 example


def test_websocket_helpers() -> None:
    assert websocket.accept_key(WS_KEY) == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
    assert not websocket.valid_key("short") and not websocket.valid_key(None)
    for size, head in ((125, 2), (126, 4), (70000, 10)):
        framed = websocket.frame(b"x" * size)
        assert framed[0] == 0x81 and len(framed) == size + head
    hosts = allowed_hosts("127.0.0.1", 8000)
    assert websocket.origin_allowed("http://localhost:8000", hosts)
    assert websocket.origin_allowed(None, hosts)
    assert not websocket.origin_allowed("http://evil.example", hosts)
    assert not websocket.origin_allowed("http://localhost:8001", hosts)


def open_socket(port: int, origin: str | None = None, key: str = WS_KEY):
    """Do a WebSocket handshake; returns the socket, its reader and the status."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    lines = [
        f"GET {SOCKET_PATH} HTTP/1.1",
        f"Host: localhost:{port}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {key}",
        "Sec-WebSocket-Version: 13",
    ]
    if origin:
        lines.append(f"Origin: {origin}")
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    stream = sock.makefile("rb")
    status = int(stream.readline().split()[1])
    headers = {}
    while (line := stream.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode().partition(":")
        headers[name.strip().lower()] = value.strip()
    return sock, stream, status, headers


def read_frame(stream) -> tuple[int, bytes]:
    first, second = stream.read(2)
    size = second & 0x7F
    if size == 126:
        size = int.from_bytes(stream.read(2), "big")
    elif size == 127:
        size = int.from_bytes(stream.read(8), "big")
    return first & 0x0F, stream.read(size)


def test_websocket_says_hello_then_reload(server: Running) -> None:
    hub = server.served.hub
    sock, stream, status, headers = open_socket(server.port, f"http://localhost:{server.port}")
    try:
        assert status == 101 and headers["sec-websocket-accept"] == websocket.accept_key(WS_KEY)
        opcode, payload = read_frame(stream)
        assert opcode == websocket.TEXT
        assert json.loads(payload) == {
            "event": "hello",
            "data": {"build": hub.build_id, "errors": []},
        }
        hub.error(["content/a.md:2: <x>"])
        assert json.loads(read_frame(stream)[1])["data"] == {"errors": ["content/a.md:2: <x>"]}
        hub.reload()
        assert json.loads(read_frame(stream)[1])["event"] == "reload"
    finally:
        sock.close()


def test_websocket_from_a_foreign_page_is_refused(server: Running) -> None:
    sock, _, status, _ = open_socket(server.port, "http://evil.example")
    sock.close()
    assert status == 403
    sock, _, status, _ = open_socket(server.port, key="not-a-key")
    sock.close()
    assert status == 400
    assert still_serving(server.port)
