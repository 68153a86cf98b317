"""One dense document's whole share of a build: processor seconds of ``briefing build`` of a
``briefing init`` site with the document, less the same build without it.

    PYTHONPATH=. python bench/document_share.py                          # footnote references
    PYTHONPATH=. python bench/document_share.py "cross-links" paragraphs 1 --runs 5

Arguments: a shape and a layout of ``bench/markdown_dense.py``, the size in MB, ``--runs N``.
Each build is ``briefing build --no-cache -j 1 -q`` in a new process, into an empty output
folder, the two sites taking turns; the processor time is the child's user and system time.
Prints the share of each run, its median and its worst, and the output's size.
"""

from __future__ import annotations

import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from markdown_dense import body_of  # noqa: E402 - the bench folder's own module


def _build_cpu(site: Path) -> float:
    """Processor seconds of one cold build of ``site`` in a new process."""
    out = site / "out"
    shutil.rmtree(out, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-m", "generator", "build", "--no-cache", "-j", "1", "-q",
                    "--source", str(site), "-o", str(out)], check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def _size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def main(argv: list[str]) -> None:
    """Measure and print the share (see the module's docstring)."""
    runs = 3
    if "--runs" in argv:
        at = argv.index("--runs")
        runs = int(argv[at + 1])
        argv = argv[:at] + argv[at + 2:]
    shape = argv[0] if argv else "footnote references"
    layout = argv[1] if len(argv) > 1 else "paragraphs"
    megabytes = float(argv[2]) if len(argv) > 2 else 1.0
    with tempfile.TemporaryDirectory() as temp:
        plain, dense = Path(temp) / "plain", Path(temp) / "dense"
        subprocess.run([sys.executable, "-m", "generator", "init", str(plain)], check=True,
                       stdout=subprocess.DEVNULL)
        shutil.copytree(plain, dense)
        body = body_of(shape, layout, int(megabytes * 1_000_000))
        (dense / "content" / "articles" / "dense.md").write_text(
            f"---\ntitle: Dense\ndate: 2024-01-01\nsource: Bench\n---\n\n{body}", encoding="utf-8")
        shares = []
        for _ in range(runs):
            shares.append(_build_cpu(dense) - _build_cpu(plain))
        print(f"{shape}, {layout}, {len(body.encode()) / 1e6:.2f} MB: share of a build "
              f"{statistics.median(shares):.2f} s of CPU (worst {max(shares):.2f}; runs "
              f"{', '.join(f'{s:.2f}' for s in shares)}); output {_size(dense / 'out') / 1e6:.1f} MB "
              f"against {_size(plain / 'out') / 1e6:.1f} MB")


if __name__ == "__main__":
    main(sys.argv[1:])
