"""Related documents, ranked by shared actors, locations and tags."""

from __future__ import annotations

from collections import Counter

from generator.graph.taxonomy import Taxonomies
from generator.model.document import Document

WEIGHTS = {"actors": 3, "locations": 2, "tags": 1}
#: Only the most recent documents of a very common term are candidates: a term shared with
#: thousands of documents says little about relatedness, and this bounds the work per page.
PER_TERM = 40


class RelatedIndex:
    """Ranks the documents sharing weighted terms with a document; newest wins ties."""

    def __init__(self, docs: list[Document], taxonomies: Taxonomies, limit: int,
                 memo: dict[str, tuple[tuple, list[str]]] | None = None, rank: dict[str, int] | None = None,
                 by_path: dict[str, Document] | None = None):
        self.limit = limit
        self.taxonomies = taxonomies
        #: path -> (candidate key, result paths); kept by a running builder between builds, so
        #: only documents whose candidates changed are ranked again.
        self.memo = memo if memo is not None else {}
        self._term_keys: dict[str, int] = {}
        self._term_ranks: dict[str, list[int]] = {}
        self._order: list[str] | None = None
        #: Whether results are kept in :attr:`memo` (off for a build that is the last one).
        self.remember = True
        if rank is None:
            ordered = sorted(docs, key=lambda d: (-(d.when.sort_key[0]) if d.when else 0.0, d.path))
            rank = {doc.path: i for i, doc in enumerate(ordered)}
        #: Recency order used to break ties; reusable while no date and no document set changed.
        self.rank = rank
        self.by_path = by_path if by_path is not None else {doc.path: doc for doc in docs}

    def related(self, doc: Document) -> list[Document]:
        """Up to ``limit`` documents that share the most weighted terms with ``doc``."""
        if self.limit <= 0:
            return []
        if not self.remember:
            return self._rank(doc)
        key = self._key(doc)
        cached = self.memo.get(doc.path)
        if cached is not None and cached[0] == key:
            return [self.by_path[p] for p in cached[1]]
        result = self._rank(doc)
        self.memo[doc.path] = (key, [d.path for d in result])
        return result

    def prepare(self, *, remember: bool = True) -> None:
        """Work out now what ranking any document needs (every term's candidates, the recency
        order), so that forked render workers inherit it, read-only, rather than each make its
        own: making it touches every document, and each page a worker touches is copied for
        it. ``remember=False``: results are not kept for a later build (nor keyed for it)."""
        self.remember = remember
        rank = self.rank
        for kind in WEIGHTS:
            for term in self.taxonomies.terms.get(kind, {}).values():
                if term.id not in self._term_ranks:
                    self._term_ranks[term.id] = [rank[d.path] for d in term.docs[:PER_TERM]]
        self._recency_order()

    def _recency_order(self) -> list[str]:
        order = self._order
        if order is None:
            order = self._order = [""] * len(self.rank)
            for path, i in self.rank.items():
                order[i] = path
        return order

    def _key(self, doc: Document) -> tuple:
        parts = []
        for kind, terms in self.taxonomies.of_doc.get(doc.path, {}).items():
            for term in terms:
                value = self._term_keys.get(term.id)
                if value is None:
                    value = self._term_keys[term.id] = hash(tuple(
                        (d.path, d.when.sort_key if d.when else None) for d in term.docs[:PER_TERM]))
                parts.append((kind, term.id, value))
        return (self.limit, tuple(parts))

    def _rank(self, doc: Document) -> list[Document]:
        """Score the candidates by weighted shared terms; the best ``limit``, newest first on ties.

        Candidates are counted by recency rank, and each gets one integer key, ``rank - score *
        n``, so a plain sort of integers orders them by score, then recency.
        """
        pool: list[int] = []
        terms = self.taxonomies.of_doc.get(doc.path, {})
        for kind, weight in WEIGHTS.items():
            for term in terms.get(kind, ()):
                ranks = self._term_ranks.get(term.id)
                if ranks is None:
                    rank = self.rank
                    ranks = self._term_ranks[term.id] = [rank[d.path] for d in term.docs[:PER_TERM]]
                pool.extend(ranks * weight if weight > 1 else ranks)
        if not pool:
            return []
        scores = Counter(pool)
        scores.pop(self.rank.get(doc.path, -1), None)
        n = len(self.rank)
        best = sorted([rank - score * n for rank, score in scores.items()])[: self.limit]
        order = self._recency_order()
        return [self.by_path[order[key % n]] for key in best]
