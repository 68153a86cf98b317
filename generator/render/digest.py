"""Digests of the exact values handed to templates: equal digests mean equal template input.

A page's signature is the digest of the very view its template receives (and of the template
files it reaches), so whether a page must be rendered again never depends on a list of its
inputs kept apart from the code that makes the view: whatever a view holds is in its digest,
whatever a template reads of it. See ``docs/decisions/dependency-tracking.md``.

Views are plain data (dicts, lists, text, numbers, dates, ``Markup``) plus the URL helpers of
:class:`~generator.render.views.Urls`, which are digested with the state they read (base path,
asset names). The digest is a hash of a pickle of the view: pickling follows every value the
template could reach, fails loudly on a value it cannot serialise (a view must never hand a
template something the digest cannot see), and writes equal data as equal bytes, however its
objects are shared (without the pickle's memo: ``generator/canonical.py``). Sets are
written in their iteration order, which differs between processes (string hashes are salted
per process): a set in a view makes its digest differ when nothing did, so every such page is
rendered again by the next process (never wrongly kept). Views hold sorted lists or tuples
instead; ``tests/test_view_digests.py`` checks that digests are equal across processes.
"""

from __future__ import annotations

import hashlib
import pickle
from typing import Any

from generator.canonical import canonical_pickle


def view_digest(view: Any) -> str:
    """A digest of everything ``view`` holds (see the module's docstring)."""
    try:
        data = canonical_pickle(view)
    except (pickle.PicklingError, TypeError, AttributeError, ValueError) as exc:
        raise TypeError(f"a template view holds a value its digest cannot see: {exc}") from exc
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _shared_view_digest(digest: str) -> str:
    """What a pickled :class:`SharedView` stands for (never unpickled: pickles are only digested)."""
    return digest


class SharedView(dict):
    """A view many pages hold (a document's card, a timeline entry), made once and never
    changed: its digest is worked out once, and a page's digest holds it in its place."""

    __slots__ = ("_digest",)

    def _read_only(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("a shared view is never changed once made; copy it with dict(view)")

    __setitem__ = __delitem__ = update = pop = popitem = clear = setdefault = _read_only  # type: ignore[assignment]

    def digest(self) -> str:
        """The digest of everything this view holds."""
        try:
            return self._digest
        except AttributeError:
            self._digest: str = view_digest(dict(self))
            return self._digest

    def __reduce_ex__(self, protocol: Any) -> tuple:
        return (_shared_view_digest, (self.digest(),))


class SharedList(list):
    """A list of views many builds hold unchanged (a month of the timeline, a confidence
    level's cards), never changed once made: its digest is worked out once, and a page's
    digest holds it in its place."""

    __slots__ = ("_digest",)

    def _read_only(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("a shared list is never changed once made; copy it with list(items)")

    __setitem__ = __delitem__ = __iadd__ = __imul__ = _read_only  # type: ignore[assignment]
    append = extend = insert = remove = pop = clear = sort = reverse = _read_only  # type: ignore[assignment]

    def digest(self) -> str:
        """The digest of everything this list holds."""
        try:
            return self._digest
        except AttributeError:
            self._digest: str = view_digest(list(self))
            return self._digest

    def __reduce_ex__(self, protocol: Any) -> tuple:
        return (_shared_view_digest, (self.digest(),))
