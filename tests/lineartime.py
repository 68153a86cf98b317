"""The check that a piece of work takes time linear in its input: the work on an input four
times larger takes well under eight times as long (quadratic work takes sixteen)."""

from __future__ import annotations

import time
from collections.abc import Callable

#: Tries of each size at most (the best counts: a busy machine slows some of them).
TRIES = 3


def assert_linear(make: Callable[[int], object], work: Callable[[object], object], small: int, big: int | None = None,
                  ) -> None:
    """``work(make(n))`` for ``n = small`` and ``big`` (four times ``small``): processor time,
    the best of three for the small one, once warmed on a tenth; the larger must take under 8
    times as long, in one of up to three tries (the first that does ends the check)."""
    big = big or 4 * small
    made: dict[int, object] = {}

    def took(n: int) -> float:
        given = made.get(n)
        if given is None:
            given = make(n)
            if isinstance(given, str | bytes | tuple):  # the work cannot change it: made once
                made[n] = given
        start = time.process_time()
        work(given)
        return time.process_time() - start
    took(max(1, small // 10))
    fast = min(took(small) for _ in range(TRIES))
    slow = float("inf")
    for _ in range(TRIES):
        slow = min(slow, took(big))
        if slow < 8 * fast + 0.05:
            return
    raise AssertionError((fast, slow))
