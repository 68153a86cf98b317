"""Pickles that depend on values only, for digests and keys.

A plain pickle writes a value met twice in one pickle once, then refers back to it, so its bytes
say which of the values are the same object: two equal views whose keys or texts are shared in
one process (literals of the code) and separate in another (unpickled from a cache) pickle
differently. Pickled without that memo, equal plain data (text, numbers, tuples, lists, dicts
in their order, dates) gives equal bytes in every process, however its objects are shared.
"""

from __future__ import annotations

import io
import pickle
from typing import Any


def canonical_pickle(value: Any) -> bytes:
    """``value`` pickled (protocol 5) without the memo: the same bytes for equal plain data,
    whatever objects it is made of. A value that holds itself cannot be pickled this way
    (``ValueError``)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    try:
        pickler.fast = True  # no memo: nothing refers back to an object met before
    except AttributeError:  # a Python without it: digests that differ only render a page again
        return pickle.dumps(value, protocol=5)
    pickler.dump(value)
    return buffer.getvalue()
