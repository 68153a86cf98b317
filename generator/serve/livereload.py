"""The live-reload hub: connected browsers and the reload, css and error messages sent to them."""

from __future__ import annotations

import json
import queue
import secrets
import threading
from dataclasses import dataclass, field
from typing import Any

#: Server-Sent Event names. ``build-error`` is not ``error``: that name is EventSource's own.
HELLO, RELOAD, CSS, BUILD_ERROR, BUILD_OK = "hello", "reload", "css", "build-error", "build-ok"
#: Sent to the browsers showing pages written ahead of a rebuild (``render/early.py``).
PAGES = "pages"


@dataclass(frozen=True)
class Message:
    """One Server-Sent Event: its name and a JSON payload."""

    event: str
    data: dict[str, Any] = field(default_factory=dict)

    def encode(self) -> bytes:
        """The event in the ``text/event-stream`` wire format."""
        payload = json.dumps(self.data, sort_keys=True, separators=(",", ":"))
        return f"event: {self.event}\ndata: {payload}\n\n".encode()

    def as_json(self) -> bytes:
        """The event as one JSON object ``{"event": ..., "data": ...}`` (a WebSocket message)."""
        message = {"event": self.event, "data": self.data}
        return json.dumps(message, sort_keys=True, separators=(",", ":")).encode()


class Subscription:
    """One connected browser's queue of messages, and the page it shows (its URL path, as
    the browser gave it; ``None`` when not given)."""

    def __init__(self, page: str | None = None) -> None:
        self._queue: queue.SimpleQueue[Message | None] = queue.SimpleQueue()
        self.closed = False
        self.page = page

    def put(self, message: Message | None) -> None:
        """Queue a message (None closes the subscription)."""
        self._queue.put(message)

    def get(self, timeout: float | None = None) -> Message | None:
        """The next message; None after ``timeout`` seconds or once closed (see ``closed``)."""
        if self.closed:
            return None
        try:
            message = self._queue.get(timeout=timeout)
        except queue.Empty:
            return None
        if message is None:
            self.closed = True
        return message


class Hub:
    """Broadcasts build outcomes to every connected browser.

    Each served page carries the ``build_id`` it was served with; a browser that connects
    first receives a ``hello`` with the current id and any current build errors, so a page
    that missed a reload (served just before a rebuild) reloads, and an open error shows.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subs: set[Subscription] = set()
        self._token = secrets.token_hex(4)
        self._generation = 0
        self._errors: list[str] = []
        self._closed = False

    @property
    def build_id(self) -> str:
        """Identifies the output now served; changes after every rebuild that changed it."""
        return f"{self._token}-{self._generation}"

    @property
    def errors(self) -> list[str]:
        """The messages of the failing build, or [] when the last build was good."""
        with self._lock:
            return list(self._errors)

    @property
    def client_count(self) -> int:
        """How many browsers are connected."""
        with self._lock:
            return len(self._subs)

    def open_pages(self) -> set[str]:
        """The URL paths of the pages connected browsers show."""
        with self._lock:
            return {sub.page for sub in self._subs if sub.page}

    def subscribe(self, page: str | None = None) -> Subscription:
        """Connect a browser showing ``page`` (a URL path); its first message is ``hello``."""
        sub = Subscription(page)
        with self._lock:
            sub.put(Message(HELLO, {"build": self.build_id, "errors": list(self._errors)}))
            if self._closed:
                sub.put(None)
            else:
                self._subs.add(sub)
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        """Forget a browser that went away."""
        with self._lock:
            self._subs.discard(sub)

    def reload(self) -> None:
        """The output changed: every page reloads (and loses any error overlay)."""
        with self._lock:
            self._generation += 1
            self._errors = []
            self._broadcast(Message(RELOAD, {"build": self.build_id}))

    def pages_updated(self, pages: set[str]) -> None:
        """These pages (URL paths) were written ahead of a rebuild: the browsers showing them
        update now (the rebuild's own message follows when it ends)."""
        with self._lock:
            message = Message(PAGES, {"pages": sorted(pages)})
            for sub in self._subs:
                if sub.page in pages:
                    sub.put(message)

    def css(self, paths: list[str]) -> None:
        """Only stylesheets changed: pages refresh their styles without reloading."""
        with self._lock:
            self._generation += 1
            self._errors = []
            self._broadcast(Message(CSS, {"build": self.build_id, "paths": sorted(paths)}))

    def error(self, messages: list[str]) -> None:
        """The build failed: every page shows an overlay listing ``messages``."""
        with self._lock:
            self._errors = list(messages)
            self._broadcast(Message(BUILD_ERROR, {"errors": list(messages)}))

    def ok(self) -> None:
        """A good build changed nothing: clear any overlay."""
        with self._lock:
            if self._errors:
                self._errors = []
                self._broadcast(Message(BUILD_OK, {"build": self.build_id}))

    def close(self) -> None:
        """Disconnect every browser (server shutdown)."""
        with self._lock:
            self._closed = True
            for sub in self._subs:
                sub.put(None)
            self._subs.clear()

    def _broadcast(self, message: Message) -> None:
        for sub in self._subs:
            sub.put(message)
