"""Size of the reader data files (previews.json, timeline.json) on the bench corpus.

    python bench/previews.py                 # 1,000 and 10,000 documents
    python bench/previews.py --sizes 1000

Generates each corpus with bench/make_corpus.py (seed 42) under bench/work/corpora/ (reused
when already there), builds it with ``--no-cache`` into bench/work/previews-<size>/, and
prints a Markdown table: pages previewed, bytes raw and gzipped, bytes per page.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from corpora import default_script, ensure  # noqa: E402


def measure(size: int, work: Path) -> list[tuple[str, int, int, int]]:
    """Build the corpus of ``size`` documents; the (file, records, raw, gzipped) of each data file."""
    corpus = ensure(default_script(REPO), work / "corpora", "briefing", size, log=False)
    out = work / f"previews-{size}"
    subprocess.run([sys.executable, "-m", "generator", "build", "-q", "--no-cache", "--source", str(corpus),
                    "--output", str(out)], check=True, cwd=REPO)
    rows = []
    for name, key in (("previews.json", "pages"), ("timeline.json", "events")):
        data = (out / name).read_bytes()
        rows.append((name, len(json.loads(data)[key]), len(data), len(gzip.compress(data, 9, mtime=0))))
    return rows


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="corpus sizes (documents)")
    parser.add_argument("--out", type=Path, default=HERE / "work", help="work folder")
    args = parser.parse_args()
    print("| documents | file | records | bytes | gzipped | bytes/record |")
    print("| ---: | --- | ---: | ---: | ---: | ---: |")
    for size in (int(s) for s in args.sizes.split(",")):
        for name, records, raw, packed in measure(size, args.out):
            print(f"| {size:,} | {name} | {records:,} | {raw:,} | {packed:,} | {raw / max(records, 1):.0f} |")


if __name__ == "__main__":
    main()
