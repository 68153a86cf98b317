"""What a publish will change: the pure diff of the built site against the target's state."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Plan:
    """Every path of the site and of the target, sorted into what happens to it.

    ``uploads`` are new on the target, ``replaces`` differ from it, ``unchanged`` match it;
    ``deletes`` are on the target but not in the site (only with ``--delete``), ``stale`` are
    such files that are kept, and ``protected`` are target files kept on purpose (a git
    branch's ``CNAME``). ``sizes`` maps every site path to its size in bytes.
    """

    uploads: tuple[str, ...] = ()
    replaces: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    deletes: tuple[str, ...] = ()
    stale: tuple[str, ...] = ()
    protected: tuple[str, ...] = ()
    sizes: Mapping[str, int] = field(default_factory=dict)

    @property
    def sends(self) -> tuple[str, ...]:
        """Paths whose bytes go to the target (new and changed), in publish order."""
        return tuple(path for phase in publish_phases(self.uploads + self.replaces) for path in phase)

    @property
    def bytes_to_send(self) -> int:
        """Total size of the files that will be sent."""
        return sum(self.sizes.get(path, 0) for path in self.uploads + self.replaces)

    @property
    def changes_nothing(self) -> bool:
        """True when the target already matches the site."""
        return not (self.uploads or self.replaces or self.deletes)


def make_plan(
    local: Mapping[str, str],
    remote: Mapping[str, str | None],
    sizes: Mapping[str, int],
    *,
    delete: bool = False,
    protected: Collection[str] = (),
) -> Plan:
    """Compare fingerprints of the site's files (``local``) with the target's (``remote``).

    A fingerprint is any text that changes when a file's published form changes (a content
    hash, plus headers for a bucket); ``None`` on the remote side means "unknown", which is
    treated as different. Paths in ``protected`` that exist only on the target are kept.
    """
    uploads, replaces, unchanged = [], [], []
    for path in sorted(local):
        if path not in remote:
            uploads.append(path)
        elif remote[path] is None or remote[path] != local[path]:
            replaces.append(path)
        else:
            unchanged.append(path)
    extra = sorted(set(remote) - set(local))
    kept = [path for path in extra if path in protected]
    gone = [path for path in extra if path not in protected]
    return Plan(
        uploads=tuple(uploads),
        replaces=tuple(replaces),
        unchanged=tuple(unchanged),
        deletes=tuple(gone) if delete else (),
        stale=() if delete else tuple(gone),
        protected=tuple(kept),
        sizes=dict(sizes),
    )


def _rank(path: str) -> int:
    """Publish order: plain assets, then pages, then data that lists pages, then the home page."""
    name = path.rsplit("/", 1)[-1].lower()
    if path == "index.html":
        return 3
    if name.endswith((".html", ".htm")):
        return 1
    if name.endswith((".xml", ".json", ".txt", ".webmanifest")):
        return 2
    return 0


def publish_phases(paths: Iterable[str]) -> list[list[str]]:
    """Group paths into phases to send one after the other, so a reader who arrives midway
    finds the assets a new page needs already in place and the home page updated last.

    Within a phase, deeper pages come first, then by path; empty phases are dropped.
    """
    phases: list[list[str]] = [[], [], [], []]
    for path in paths:
        phases[_rank(path)].append(path)
    return [sorted(phase, key=lambda p: (-p.count("/"), p)) for phase in phases if phase]


def find_conflicts(local: Iterable[str], remaining: Iterable[str]) -> list[tuple[str, str]]:
    """Pairs ``(site path, target path)`` where one is a folder of the other.

    A folder target or a git tree cannot hold both ``a`` as a file and ``a/b``; ``remaining``
    is what stays on the target besides the site (stale or protected files).
    """
    local_set = set(local)
    local_dirs = {path.rsplit("/", i)[0] for path in local_set for i in range(1, path.count("/") + 1)}
    conflicts = []
    for other in sorted(set(remaining) - local_set):
        if other in local_dirs:
            conflicts.append((_first_under(local_set, other), other))
            continue
        parts = other.split("/")
        for depth in range(1, len(parts)):
            parent = "/".join(parts[:depth])
            if parent in local_set:
                conflicts.append((parent, other))
                break
    return conflicts


def _first_under(paths: set[str], folder: str) -> str:
    return min(path for path in paths if path.startswith(folder + "/"))
