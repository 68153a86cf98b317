"""The dev server stays up: malformed requests, long URLs, clients that hang up or idle, twenty
clients at once, keep-alive."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from pathlib import Path

import pytest
from test_serve_http import (
    Running,
    get,
    make_output,
    open_events,
    open_socket,
    raw,
    read_event,
    read_frame,
    still_serving,
)

from generator.serve import http as serve_http
from generator.serve.http import Served


@pytest.fixture
def output(tmp_path: Path) -> Path:
    return make_output(tmp_path)


@pytest.fixture
def server(output: Path):
    running = Running(Served(output))
    yield running
    running.close()


def test_malformed_request_lines(server: Running) -> None:
    for request in (
        b"GARBAGE\r\n\r\n",
        b"GET\r\n\r\n",
        b"GET / HTTP/9.9\r\n\r\n",
        b"\x00\xff\r\n\r\n",
    ):
        try:
            status, _, _ = raw(server.port, request)
            assert status >= 400
        except (IndexError, ValueError):
            pass  # the server closed without an answer: also fine
    assert still_serving(server.port)


def test_very_long_urls(server: Running) -> None:
    assert get(server.port, "/" + "a" * 8000)[0] == 414
    assert get(server.port, "/" + "a" * 70000)[0] == 414
    assert still_serving(server.port)


def test_client_disconnecting_mid_response(server: Running) -> None:
    for _ in range(5):
        sock = socket.create_connection(("127.0.0.1", server.port), timeout=5)
        sock.sendall(f"GET /big.bin HTTP/1.1\r\nHost: localhost:{server.port}\r\n\r\n".encode())
        sock.recv(1000)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        sock.close()
    assert still_serving(server.port)


def test_idle_connections_time_out(output: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(serve_http.DevRequestHandler, "timeout", 0.5)
    running = Running(Served(output))
    try:
        idle = [socket.create_connection(("127.0.0.1", running.port), timeout=5) for _ in range(5)]
        assert still_serving(running.port)
        started = time.monotonic()
        for sock in idle:
            assert sock.recv(100) == b""  # the server hung up on the silent client
            sock.close()
        assert time.monotonic() - started < 4
        assert still_serving(running.port)
    finally:
        running.close()


def test_twenty_clients_at_once(server: Running) -> None:
    streams = [open_events(server.port) for _ in range(10)]
    sockets = [open_socket(server.port)[:2] for _ in range(10)]
    results: list[int] = []
    lock = threading.Lock()

    def fetch() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        for path in ("/", "/notes/x/", "/static/style.css", "/feed.xml"):
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            with lock:
                results.append(response.status)
        conn.close()

    threads = [threading.Thread(target=fetch) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert results == [200] * 80
    server.served.hub.reload()
    for sock, stream in streams:
        assert read_event(stream)[0] == "hello"
        assert read_event(stream)[0] == "reload"
        sock.close()
    for sock, stream in sockets:
        assert json.loads(read_frame(stream)[1])["event"] == "hello"
        assert json.loads(read_frame(stream)[1])["event"] == "reload"
        sock.close()


def test_keep_alive_serves_several_requests(server: Running) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    for _ in range(3):
        conn.request("GET", "/notes/x/")
        response = conn.getresponse()
        assert response.status == 200 and b"Note X" in response.read()
    conn.close()
