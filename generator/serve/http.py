"""The dev HTTP server: Host check, safe files, clean URLs, script injection, SSE and WebSocket."""

from __future__ import annotations

import ipaddress
import mimetypes
import os
import socket
import socketserver
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import BinaryIO
from urllib.parse import parse_qs

from generator.serve import websocket
from generator.serve.client import EVENTS_PATH, RELOAD_JS, SCRIPT_PATH, SOCKET_PATH, inject
from generator.serve.livereload import Hub, Message
from generator.serve.ranges import UNSATISFIABLE, parse_range
from generator.serve.urlmap import MAX_TARGET, resolve, split_target

#: Seconds an idle connection may stay silent before it is closed.
IDLE_TIMEOUT = 15.0
#: Seconds between keep-alive comments on an event stream (also how soon a gone client is noticed).
PING_EVERY = 10.0
#: Seconds a request for a missing file waits for a running build before answering 404.
BUILD_WAIT = 5.0
#: Bytes read and sent at a time when streaming a file.
CHUNK = 256 * 1024

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
}
_WILDCARDS = {"", "0.0.0.0", "::"}

_NOT_FOUND = b"<!doctype html><title>Not found</title><body><h1>Not found</h1></body>"


@dataclass
class Served:
    """What the server serves: the output folder, its URL prefix, the hub, and build state."""

    output: Path
    prefix: str = "/"
    hub: Hub = field(default_factory=Hub)
    idle: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self.set_prefix(self.prefix)

    def set_prefix(self, prefix: str) -> None:
        """Serve under ``prefix`` from now on (a base URL's path; ``/`` for the root)."""
        prefix = prefix if prefix.startswith("/") else "/" + prefix
        self.prefix = prefix if prefix.endswith("/") else prefix + "/"


def content_type(path: Path) -> str:
    """The Content-Type to send for a file."""
    known = _TYPES.get(path.suffix.lower())
    if known:
        return known
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


def allowed_hosts(host: str, port: int, extra: Iterable[str] = ()) -> frozenset[str]:
    """The ``Host`` header values accepted: loopback names and the served address, with port."""
    names = {"localhost", "127.0.0.1", "[::1]"}
    names.update(n.lower() for n in extra)
    bound = host.lower()
    if bound in _WILDCARDS:
        machine = socket.gethostname().lower()
        names.update((machine, f"{machine}.local"))  # the machine's own names on the network
    else:
        names.add(f"[{bound}]" if ":" in bound else bound)
    hosts = {f"{name}:{port}" for name in names}
    if port == 80:
        hosts |= names
    return frozenset(hosts)


def is_local_address(host: str, local: str, port: int) -> bool:
    """True when a ``Host`` header is, as an IP address, the address this connection reached
    (``local``) with the server's port: how a browser on another machine asks a server bound to
    every interface (``0.0.0.0``). A name is never matched here, so a page from a foreign name
    that resolves to this machine (DNS rebinding) stays refused."""
    if host.startswith("["):
        name, _, rest = host[1:].partition("]")
    elif host.count(":") == 1:
        name, rest = host.split(":")
        rest = ":" + rest
    else:
        name, rest = host, ""
    if rest != f":{port}" and not (rest == "" and port == 80):
        return False
    try:
        asked = ipaddress.ip_address(name)
        reached = ipaddress.ip_address(local.split("%", 1)[0])
    except ValueError:
        return False
    asked = getattr(asked, "ipv4_mapped", None) or asked
    reached = getattr(reached, "ipv4_mapped", None) or reached
    return asked == reached


class DevRequestHandler(BaseHTTPRequestHandler):
    """Answers one connection's requests (GET and HEAD only)."""

    server: DevHTTPServer
    protocol_version = "HTTP/1.1"
    timeout = IDLE_TIMEOUT
    disable_nagle_algorithm = True  # small answers go out at once, not after a delayed ACK
    server_version = "briefing-serve"
    sys_version = ""

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet: the terminal is for build output."""

    def do_GET(self) -> None:
        """Serve a file, a reserved endpoint, a redirect or an error."""
        self._respond(head=False)

    def do_HEAD(self) -> None:
        """As GET, without the body."""
        self._respond(head=True)

    # -- dispatch ---------------------------------------------------------------------------

    def _host_allowed(self, host: str) -> bool:
        """Whether this server answers for ``host`` (a ``Host`` value or an origin's netloc)."""
        if host in self.server.allowed_hosts:
            return True
        try:
            local = str(self.connection.getsockname()[0])
        except (OSError, IndexError):
            return False
        return is_local_address(host, local, self.server.port)

    def _respond(self, head: bool) -> None:
        host = (self.headers.get("Host") or "").strip().lower()
        if not self._host_allowed(host):
            self._plain(403, "Blocked: this server does not answer for that Host.\n", head)
            return
        path, _ = split_target(self.path)
        if path == SCRIPT_PATH:
            self._send(200, RELOAD_JS.encode(), "text/javascript; charset=utf-8", head)
            return
        if path in (EVENTS_PATH, SOCKET_PATH):
            if head:
                self._plain(405, "Method not allowed\n", head)
            elif path == EVENTS_PATH:
                self._events()
            else:
                self._websocket()
            return
        served = self.server.served
        result = resolve(self.path, served.output, served.prefix)
        if result.status == 404 and not served.idle.is_set():
            served.idle.wait(BUILD_WAIT)  # the output may be mid-swap: answer after the build
            result = resolve(self.path, served.output, served.prefix)
        if result.location is not None:
            self._redirect(result.status, result.location, head)
        elif result.file is not None:
            self._file(result.file, head)
        elif result.status == 404:
            self._not_found(head)
        else:
            self._plain(result.status, result.reason + "\n", head)

    # -- answers ----------------------------------------------------------------------------

    def _file(self, file: Path, head: bool) -> None:
        kind = content_type(file)
        try:
            handle = open(file, "rb")  # noqa: SIM115 - closed below, after streaming
        except OSError:  # replaced by a build between resolving and opening
            self.server.served.idle.wait(BUILD_WAIT)
            try:
                handle = open(file, "rb")  # noqa: SIM115
            except OSError:
                self._not_found(head)
                return
        with handle:
            if kind.startswith("text/html"):  # pages get the reload script: read whole
                self._send(200, inject(handle.read(), self.server.served.hub.build_id), kind, head)
                return
            self._stream_file(handle, kind, head)

    def _stream_file(self, handle: BinaryIO, kind: str, head: bool) -> None:
        """Send an open file, or the byte range the request asks for, a chunk at a time."""
        size = os.fstat(handle.fileno()).st_size
        wanted = None if self.headers.get("If-Range") else parse_range(self.headers.get("Range"), size)
        if wanted is UNSATISFIABLE:
            body = b"Range not satisfiable\n"
            self.send_response(416)
            self._common_headers("text/plain; charset=utf-8", len(body))
            self.send_header("Content-Range", f"bytes */{size}")
            self.end_headers()
            if not head:
                self.wfile.write(body)
            return
        start, length = (wanted.start, wanted.length) if wanted is not None else (0, size)
        self.send_response(206 if wanted is not None else 200)
        self._common_headers(kind, length)
        self.send_header("Accept-Ranges", "bytes")
        if wanted is not None:
            self.send_header("Content-Range", wanted.content_range())
        self.end_headers()
        if head:
            return
        handle.seek(start)
        while length > 0:
            chunk = handle.read(min(CHUNK, length))
            if not chunk:  # the file shrank while being sent: the length promised cannot be kept
                self.close_connection = True
                return
            self.wfile.write(chunk)
            length -= len(chunk)

    def _not_found(self, head: bool) -> None:
        served = self.server.served
        page = served.output / "404.html"
        try:
            root = served.output.resolve(strict=True)
            real = page.resolve(strict=True)
            body = real.read_bytes() if root in real.parents else _NOT_FOUND
        except (OSError, RuntimeError):
            body = _NOT_FOUND
        self._send(404, inject(body, served.hub.build_id), "text/html; charset=utf-8", head)

    def _redirect(self, status: int, location: str, head: bool) -> None:
        body = b"Moved\n"
        self.send_response(status)
        self.send_header("Location", location)
        self._common_headers("text/plain; charset=utf-8", len(body))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _plain(self, status: int, text: str, head: bool) -> None:
        self._send(status, text.encode(), "text/plain; charset=utf-8", head)

    def _send(self, status: int, body: bytes, kind: str, head: bool) -> None:
        self.send_response(status)
        self._common_headers(kind, len(body))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _common_headers(self, kind: str, length: int) -> None:
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(length))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")

    def _events(self) -> None:
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(b"retry: 500\n\n")
        self._stream(lambda m: m.encode(), b": ping\n\n")

    def _websocket(self) -> None:
        self.close_connection = True
        key = self.headers.get("Sec-WebSocket-Key")
        upgrade = (self.headers.get("Upgrade") or "").lower()
        if upgrade != "websocket" or not websocket.valid_key(key):
            self._plain(400, "Expected a WebSocket handshake\n", False)
            return
        if not websocket.origin_allowed(self.headers.get("Origin"), self._host_allowed):
            self._plain(403, "Blocked: this page's origin may not listen here.\n", False)
            return
        self.send_response(101)
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.send_header("Sec-WebSocket-Accept", websocket.accept_key(str(key)))
        self.end_headers()
        self._stream(lambda m: websocket.frame(m.as_json()), websocket.frame(b"", websocket.PING))

    def _stream(self, encode: Callable[[Message], bytes], ping: bytes) -> None:
        """Send hub messages until the hub closes or the browser goes away."""
        hub = self.server.served.hub
        page = parse_qs(split_target(self.path)[1]).get("page", [""])[0]
        sub = hub.subscribe(page[:MAX_TARGET] if page.startswith("/") else None)
        try:
            while True:
                message = sub.get(timeout=PING_EVERY)
                if sub.closed:
                    break
                self.wfile.write(encode(message) if message else ping)
        except OSError:  # the browser went away
            pass
        finally:
            hub.unsubscribe(sub)


class DevHTTPServer(ThreadingHTTPServer):
    """A threaded HTTP server for one output folder; one thread per connection."""

    daemon_threads = True
    block_on_close = False
    request_queue_size = 64

    def __init__(self, host: str, port: int, served: Served, extra_hosts: Iterable[str] = ()):
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.served = served
        super().__init__((host, port), DevRequestHandler)
        self.allowed_hosts = allowed_hosts(host, self.port, extra_hosts)

    @property
    def port(self) -> int:
        """The port actually bound (useful with port 0)."""
        return int(self.server_address[1])

    def server_bind(self) -> None:
        """Bind without the reverse DNS lookup the standard HTTPServer does."""
        socketserver.TCPServer.server_bind(self)
        self.server_name = str(self.server_address[0])
        self.server_port = self.port

    def handle_error(self, request: object, client_address: object) -> None:
        """Ignore clients that vanish or time out; report anything else briefly."""
        exc = sys.exc_info()[1]
        if isinstance(exc, OSError):
            return
        print(f"serve: error answering {client_address}: {exc!r}", file=sys.stderr)
