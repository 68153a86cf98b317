"""Data files a running builder signs by their bytes, and the term watch's changed-since set."""

from __future__ import annotations

from generator.render.datafiles import DataSig, data_digest
from generator.render.kept import TermWatch
from generator.state import sig_digest


def test_data_signature_equals_by_bytes_and_saves_the_one_shot_digest() -> None:
    """Equal bytes are equal signatures, other bytes are not, and the digest saved for one is
    the one a one-shot build saves for the same bytes (so a new process keeps the file)."""
    one, same, other = DataSig(b"abc" * 1000), DataSig(b"abc" * 1000), DataSig(b"abd" * 1000)
    assert one == same
    assert one != other
    assert one == data_digest(b"abc" * 1000)
    assert sig_digest(one) == sig_digest(data_digest(b"abc" * 1000))


class _Term:
    def __init__(self, name: str) -> None:
        self.name = name


def test_changed_since_names_only_the_terms_changed_after_a_generation() -> None:
    """A view made before a change is made again only when one of its own terms changed."""
    a, b = _Term("a"), _Term("b")
    watch = TermWatch()
    watch.advance([a, b], lambda t: t.name)
    made = watch.generation
    a.name = "a2"
    watch.advance([a, b], lambda t: t.name)
    assert watch.changed_since(made) == frozenset({id(a)})
    assert not watch.unchanged_since(made, (a, "text"))
    assert watch.unchanged_since(made, (b, "text"))
    assert watch.unchanged_since(watch.generation, (a,))
