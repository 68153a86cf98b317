"""Data files of the plan (feeds, the search index, ``timeline.json``, link previews, the
sitemap): made once per build, each signed by its bytes."""

from __future__ import annotations

import hashlib
from collections.abc import Callable


class DataSig:
    """The signature of a data file in a running builder: its bytes, equal to another
    :class:`DataSig` when the bytes are equal (a byte comparison costs a fraction of hashing
    megabytes of JSON on every save), and to a text digest when that is the digest of its
    bytes. Its ``repr`` is the digest's, so the digest saved for it across processes is the
    one a one-shot build saves."""

    __slots__ = ("data", "_hex")

    def __init__(self, data: bytes):
        self.data = data
        self._hex: str | None = None

    @property
    def hex(self) -> str:
        """The digest of the bytes (worked out once, when asked)."""
        if self._hex is None:
            self._hex = data_digest(self.data)
        return self._hex

    def __eq__(self, other: object) -> bool:
        if isinstance(other, DataSig):
            return self.data is other.data or self.data == other.data
        if isinstance(other, str):
            return self.hex == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.hex)

    def __repr__(self) -> str:
        return repr(self.hex)


def data_digest(data: bytes) -> str:
    """The signature of a data file in a one-shot build: the digest of its bytes."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class DataFile:
    """One data file (feed, search index, timeline data): made once per build, its signature
    its bytes (a running builder, :class:`DataSig`) or the digest of them."""

    __slots__ = ("make", "data", "keep", "digest")

    def __init__(self, make: Callable[[], bytes], keep: bool = False):
        self.make, self.keep = make, keep
        self.data: bytes | None = None
        self.digest: str | None = None  #: of the bytes rendered (a signature asked after the render)

    def bytes(self) -> bytes:
        """The file's bytes, made on first use and held until rendered."""
        if self.data is None:
            self.data = self.make()
        return self.data

    def signature(self) -> DataSig | str:
        """The file's signature: the digest of the bytes it rendered, else its bytes made now."""
        if self.digest is not None:
            return self.digest
        return DataSig(self.bytes()) if self.keep else data_digest(self.bytes())

    def render(self) -> bytes:
        """The file's bytes, let go here (noting their digest in a one-shot build)."""
        data, self.data = self.bytes(), None
        if not self.keep:  # signed after its render (a one-shot build): not made a second time
            self.digest = data_digest(data)
        return data
