"""The check that a piece of work takes time linear in its input: the work on an input four
times larger takes well under eight times as long (quadratic work takes sixteen)."""

from __future__ import annotations

import time
from collections.abc import Callable


def assert_linear(make: Callable[[int], object], work: Callable[[object], object], small: int, big: int | None = None,
                  ) -> None:
    """``work(make(n))`` for ``n = small`` and ``big`` (four times ``small``): processor time,
    the best of three, once warmed on a tenth; the larger must take under 8 times as long."""
    big = big or 4 * small

    def took(n: int) -> float:
        given = make(n)
        start = time.process_time()
        work(given)
        return time.process_time() - start
    took(max(1, small // 10))
    fast, slow = min(took(small) for _ in range(3)), min(took(big) for _ in range(3))
    assert slow < 8 * fast + 0.05, (fast, slow)
