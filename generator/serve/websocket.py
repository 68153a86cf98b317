"""The few parts of WebSocket (RFC 6455) the reload channel needs: handshake and server frames."""

from __future__ import annotations

import base64
import hashlib
import struct
from collections.abc import Callable
from urllib.parse import urlsplit

_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
TEXT, CLOSE, PING = 0x1, 0x8, 0x9


def accept_key(key: str) -> str:
    """The ``Sec-WebSocket-Accept`` answer to a client's ``Sec-WebSocket-Key``."""
    digest = hashlib.sha1((key.strip() + _GUID).encode("ascii")).digest()
    return base64.b64encode(digest).decode("ascii")


def valid_key(key: str | None) -> bool:
    """True for a key that is base64 of 16 bytes, as the protocol requires."""
    if not key:
        return False
    try:
        return len(base64.b64decode(key.strip(), validate=True)) == 16
    except ValueError:
        return False


def origin_allowed(origin: str | None, allowed_hosts: frozenset[str] | Callable[[str], bool]) -> bool:
    """True when a browser page from ``origin`` may connect (no Origin: not a browser page).

    WebSockets are not bound by the same-origin policy, so without this check any web page
    could open the channel to a local preview and read its build errors.
    """
    if origin is None:
        return True
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https"):
        return False
    netloc = parts.netloc.lower()
    return allowed_hosts(netloc) if callable(allowed_hosts) else netloc in allowed_hosts


def frame(payload: bytes, opcode: int = TEXT) -> bytes:
    """One unmasked, unfragmented server-to-client frame."""
    head = bytes([0x80 | opcode])
    size = len(payload)
    if size < 126:
        head += bytes([size])
    elif size < 65536:
        head += bytes([126]) + struct.pack("!H", size)
    else:
        head += bytes([127]) + struct.pack("!Q", size)
    return head + payload
