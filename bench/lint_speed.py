#!/usr/bin/env python3
"""Time the estimative-language lint per document, on the corpus of ``make_corpus.py``.

Three sets of documents, each linted ``--runs`` times (the best time of each document is kept):

- ``corpus``: the generated articles and notes as written (their prose has no likelihood
  words, so most are passed over after a quick look for the words the lint reads);
- ``estimative``: the same documents with a paragraph of estimative language added to each
  body ("likely (70%)", "it is possible that", "cannot be ruled out", a confidence statement),
  a likelihood term in the summary and, on notes, two ``key_judgments:``, so every document
  takes the full path and has findings;
- ``example``: the articles and notes of the repository's example briefing (``content/``).

Parsing the front matter is not timed: only :func:`generator.tradecraft.lint.lint_document`,
in CPU time (``time.process_time``: other processes on a shared machine do not inflate it) with
the garbage collector paused, as a build pauses it. Run it from anywhere::

    python bench/lint_speed.py                 # 1,000 documents, 5 runs
    python bench/lint_speed.py --docs 5000 --runs 3
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import make_corpus  # noqa: E402  (the project's own corpus generator, beside this script)

from generator.model.document import DocType, Document  # noqa: E402
from generator.model.frontmatter import normalise_text, parse_document  # noqa: E402
from generator.tradecraft.lint import lint_document  # noqa: E402
from generator.tradecraft.scales import ICD203, PHIA, Scale  # noqa: E402

PARAGRAPH = ("We assess that the move is likely (70%) to continue, and a reversal is unlikely. It is possible "
             "that the units return, and a withdrawal cannot be ruled out. We hold this judgment at moderate "
             "confidence.\n\n")
JUDGMENTS = ("key_judgments:\n  - The move will very likely continue into next month.\n"
             "  - text: A withdrawal is unlikely (30%).\n    confidence: moderate\n    likelihood: unlikely\n")


def load(files: list[Path], estimative: bool) -> list[tuple[Document, str]]:
    """Parse each article and note (front matter only), optionally with estimative language added."""
    out = []
    for path in files:
        kind = DocType.NOTE if path.parent.name == "notes" else DocType.ARTICLE
        text = normalise_text(path.read_bytes())
        if estimative:
            head, _, body = text[4:].partition("\n---\n")
            head = head.replace("\nsummary: ", "\nsummary: Very likely, ", 1)
            if kind is DocType.NOTE:
                head += "\n" + JUDGMENTS.rstrip("\n")
            first, _, rest = body.lstrip("\n").partition("\n\n")
            text = f"---\n{head}\n---\n\n{first}\n\n{PARAGRAPH}{rest}"
        doc, diags = parse_document(path.as_posix(), text, kind, path.stem)
        if doc is None or any(d.is_error for d in diags):
            sys.exit(f"lint_speed: {path.name} does not parse: {[str(d) for d in diags]}")
        out.append((doc, text))
    return out


def time_set(docs: list[tuple[Document, str]], scale: Scale, runs: int) -> tuple[list[float], int]:
    """Each document's best lint time in seconds, and how many warnings the set gave."""
    best = [float("inf")] * len(docs)
    clock = time.process_time
    gc.collect()
    gc.disable()
    try:
        return _runs(docs, scale, runs, best, clock)
    finally:
        gc.enable()


def _runs(docs: list[tuple[Document, str]], scale: Scale, runs: int, best: list[float],
          clock: Callable[[], float]) -> tuple[list[float], int]:
    warnings = 0
    for _ in range(runs):
        warnings = 0
        for index, (doc, text) in enumerate(docs):
            start = clock()
            found = lint_document(doc, text, scale)
            took = clock() - start
            warnings += len(found)
            if took < best[index]:
                best[index] = took
    return best, warnings


def row(name: str, scale: Scale, times: list[float], warnings: int) -> str:
    """One Markdown table row, in microseconds per document."""
    ordered = sorted(times)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (f"| {name} | {scale.key} | {len(times):,} | {warnings:,} | {statistics.fmean(times) * 1e6:.0f} | "
            f"{statistics.median(times) * 1e6:.0f} | {p99 * 1e6:.0f} | {ordered[-1] * 1e6:.0f} |")


def main(argv: list[str] | None = None) -> int:
    """Make a corpus in a temporary folder, then time the lint over each set."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=1000, help="documents in the corpus (default 1000)")
    parser.add_argument("--runs", type=int, default=5, help="runs per set; each document's best is kept")
    parser.add_argument("--seed", type=int, default=42, help="corpus seed (default 42)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="briefing-lint-bench-") as scratch:
        corpus = Path(scratch)
        make_corpus.write_corpus(corpus, args.docs, args.seed, "briefing")
        files = sorted([*corpus.glob("content/articles/*.md"), *corpus.glob("content/notes/*.md")])
        sets = {"corpus": load(files, False), "estimative": load(files, True)}
    example = sorted([*(HERE.parent / "content").glob("articles/*.md"), *(HERE.parent / "content").glob("notes/*.md")])
    sets["example"] = load(example, False)
    random.Random(args.seed).shuffle(sets["corpus"])  # no order that favours a warm cache
    print(f"Lint CPU time per document in microseconds (best of {args.runs} runs per document), "
          f"Python {sys.version.split()[0]}")
    print()
    print("| set | scale | documents | warnings | mean | median | p99 | max |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, docs in sets.items():
        for scale in (ICD203, PHIA):
            times, warnings = time_set(docs, scale, args.runs)
            print(row(name, scale, times, warnings))
    return 0


if __name__ == "__main__":
    sys.exit(main())
