"""``serve --host 0.0.0.0``: other machines that reach the server by its address are answered;
foreign Host names (DNS rebinding) are still refused."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from test_serve_http import WS_KEY, Running, make_output

from generator.serve.client import SOCKET_PATH
from generator.serve.http import Served, is_local_address


def _reaches(address: str, port: int) -> bool:
    try:
        with socket.create_connection((address, port), timeout=2):
            return True
    except OSError:
        return False


def _lan_address() -> str | None:
    """The address this machine sends from (no packet is sent: a UDP socket is only connected)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed anywhere real
            address = probe.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def another_address(port: int) -> str:
    """An address of this machine that is not 127.0.0.1 and reaches a server bound to every
    interface: what reaching the machine's LAN address looks like to it. Linux routes all of
    127.0.0.0/8 to the loopback interface; macOS only 127.0.0.1, so there the LAN address is used."""
    for address in ("127.0.0.2", _lan_address()):
        if address and _reaches(address, port):
            return address
    pytest.fail("this machine has no address other than 127.0.0.1 that reaches a local server "
                "(no 127.0.0.2 on the loopback interface and no network interface)")


@pytest.fixture
def everywhere(tmp_path: Path):
    running = Running(Served(make_output(tmp_path)), host="0.0.0.0")
    running.other = another_address(running.port)
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
    other = everywhere.other
    status, body = _ask(other, everywhere.port, f"{other}:{everywhere.port}")
    assert status == 200 and b"Hello" in body


@pytest.mark.parametrize("host", ["evil.example:{port}", "192.0.2.99:{port}", "{other}:1", "{other}", "",
                                  "{other}.nip.io:{port}"])
def test_a_server_on_every_interface_still_refuses_foreign_hosts(everywhere, host):
    other = everywhere.other
    status, body = _ask(other, everywhere.port, host.format(port=everywhere.port, other=other))
    assert status == 403 and b"Hello" not in body


def test_live_reload_from_a_page_opened_by_the_machines_address_is_allowed(everywhere):
    port, other = everywhere.port, everywhere.other

    def handshake(origin: str) -> int:
        with socket.create_connection((other, port), timeout=5) as sock:
            sock.sendall((f"GET {SOCKET_PATH} HTTP/1.1\r\nHost: {other}:{port}\r\nUpgrade: websocket\r\n"
                          f"Connection: Upgrade\r\nSec-WebSocket-Key: {WS_KEY}\r\nSec-WebSocket-Version: 13\r\n"
                          f"Origin: {origin}\r\n\r\n").encode())
            return int(sock.makefile("rb").readline().split()[1])

    assert handshake(f"http://{other}:{port}") == 101
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
