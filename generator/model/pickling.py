"""How the content model's value classes are pickled: as a call of the class with its fields."""

from __future__ import annotations

import dataclasses
from operator import attrgetter
from typing import TypeVar

_T = TypeVar("_T")


def pickled_as_call(cls: type[_T]) -> type[_T]:
    """Pickle a dataclass as a call of the class with its fields, in order.

    ``dataclasses`` pickles an object as its class's ``__new__`` followed by its state: a dict of
    its fields (set field by field, for a slotted class, after looking the fields up again for
    every object). A resumed build loads some 200,000 of them at 10,000 documents (links,
    places, sources, dates, timeline entries, documents), and a call loads each in about half
    the time. Only a class whose fields are all set by ``__init__`` and that has no
    ``__post_init__`` may be pickled so: the call then gives back the object it was. What an
    object keeps beyond its fields (a ``cached_property``'s value) is worked out again when asked.
    """
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    if not fields or any(not f.init for f in fields) or hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__}: pickled as a call only with every field set by __init__ "
                        "and no __post_init__")
    names = [f.name for f in fields]
    fields_of = attrgetter(*names)
    if len(names) == 1:
        def __reduce__(self: _T) -> tuple:
            return (cls, (fields_of(self),))
    else:
        def __reduce__(self: _T) -> tuple:
            return (cls, fields_of(self))

    cls.__reduce__ = __reduce__  # type: ignore[assignment, method-assign]
    return cls
