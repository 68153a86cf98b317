"""One planned output: where it goes, the signature of its inputs (worked out on demand), how to make it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


class Deferred:
    """A signature worked out when it is first asked for (see :attr:`Output.signature`)."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[], Any]):
        self.make = make


@dataclass
class Output:
    """One file of the site: where it goes, what it was made from, how to make it."""

    path: str
    #: The signature, or a :class:`Deferred` that works it out.
    sig: Any
    render: Callable[[], bytes]
    sources: tuple[str, ...] = ()
    #: Rendered in the builder's own process (its render updates state kept between builds).
    local: bool = False
    #: Makes, ahead of the list pages, the partials they show of this output's document; a
    #: render worker runs it after the page, so the lists rendered later find them made.
    prefetch: Callable[[], None] | None = None
    #: Planned by a resumed build for a page the graph update does not reach: it shows what it
    #: showed in the build resumed from (``generator/resume.py``).
    carried: bool = False

    @property
    def signature(self) -> Any:
        """What the output shows of its inputs: equal signatures mean equal bytes.

        Worked out on first use: a build that compares or saves signatures asks for each in
        this process, one that only saves them asks in the process that renders the output,
        and a one-shot build without a cache never asks (it has nothing to compare them with).
        """
        sig = self.sig
        if type(sig) is Deferred:
            sig = self.sig = sig.make()
        return sig
