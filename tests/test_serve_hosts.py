"""``serve --host 0.0.0.0``: other machines that reach the server by its address are answered;
foreign Host names (DNS rebinding) are still refused."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from test_serve_http import WS_KEY, Running, make_output

from generator.serve.client import SOCKET_PATH
from generator.serve.http import Served, is_local_address

#: Another loopback address: reaching it is what reaching the machine's LAN address looks like
#: to a server bound to every interface (the Host is an address that is not 127.0.0.1; Linux
#: routes all of 127.0.0.0/8 to the loopback interface).
OTHER = "127.0.0.2"


@pytest.fixture
def everywhere(tmp_path: Path):
    running = Running(Served(make_output(tmp_path)), host="0.0.0.0")
    yield running
    running.close()


def _ask(address: str, port: int, host: str, extra: str = "") -> tuple[int, bytes]:
    with socket.create_connection((address, port), timeout=5) as sock:
        sock.sendall(f"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n{extra}\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def test_a_server_on_every_interface_answers_a_machine_that_asks_for_its_address(everywhere):
    status, body = _ask(OTHER, everywhere.port, f"{OTHER}:{everywhere.port}")
    assert status == 200 and b"Hello" in body


@pytest.mark.parametrize("host", ["evil.example:{port}", "192.0.2.99:{port}", "{other}:1", "{other}", "",
                                  "{other}.nip.io:{port}"])
def test_a_server_on_every_interface_still_refuses_foreign_hosts(everywhere, host):
    status, body = _ask(OTHER, everywhere.port, host.format(port=everywhere.port, other=OTHER))
    assert status == 403 and b"Hello" not in body


def test_live_reload_from_a_page_opened_by_the_machines_address_is_allowed(everywhere):
    port = everywhere.port

    def handshake(origin: str) -> int:
        with socket.create_connection((OTHER, port), timeout=5) as sock:
            sock.sendall((f"GET {SOCKET_PATH} HTTP/1.1\r\nHost: {OTHER}:{port}\r\nUpgrade: websocket\r\n"
                          f"Connection: Upgrade\r\nSec-WebSocket-Key: {WS_KEY}\r\nSec-WebSocket-Version: 13\r\n"
                          f"Origin: {origin}\r\n\r\n").encode())
            return int(sock.makefile("rb").readline().split()[1])

    assert handshake(f"http://{OTHER}:{port}") == 101
    assert handshake(f"http://evil.example:{port}") == 403


def test_a_server_on_one_address_is_unchanged_for_loopback_names(tmp_path):
    running = Running(Served(make_output(tmp_path)))
    try:
        assert _ask("127.0.0.1", running.port, f"localhost:{running.port}")[0] == 200
        assert _ask("127.0.0.1", running.port, f"evil.example:{running.port}")[0] == 403
    finally:
        running.close()


def test_is_local_address_matches_only_the_reached_address_and_port():
    assert is_local_address("192.0.2.2:8000", "192.0.2.2", 8000)
    assert is_local_address("192.0.2.2:8000", "::ffff:192.0.2.2", 8000)
    assert is_local_address("[fd00::2]:8000", "fd00::2", 8000)
    assert is_local_address("[fe80::1]:8000", "fe80::1%eth0", 8000)
    assert is_local_address("192.0.2.2", "192.0.2.2", 80)
    assert not is_local_address("192.0.2.2", "192.0.2.2", 8000)
    assert not is_local_address("192.0.2.2:8001", "192.0.2.2", 8000)
    assert not is_local_address("192.0.2.3:8000", "192.0.2.2", 8000)
    assert not is_local_address("myhost.example:8000", "192.0.2.2", 8000)
    assert not is_local_address("[fd00::2:8000", "fd00::2", 8000)
