#!/usr/bin/env python3
"""Build the shared corpus of real texts into a scratch folder and print the scorer's line.

The corpus (other people's texts with gold annotations, never copied into this repository)
lives beside the project, in ``../shared/corpus`` by default:

    .venv/bin/python benchmarks/corpus.py                     # ../shared/corpus
    .venv/bin/python benchmarks/corpus.py /work/shared/corpus --misses
    CORPUS=/work/shared/corpus make corpus

It runs ``build_archive.py --seeds <corpus>/inputs --docs <scratch>`` and then the corpus's
own ``score.py <scratch>/data/documents.json <corpus>/gold_articles.yaml``, and prints the
summary line (with ``--misses``, the scorer's ``miss:`` lines before it). Exit status: the
build's or the scorer's if either fails, else 0. A benchmark prints figures; it asserts
nothing.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "corpus", nargs="?", type=Path,
        default=Path(os.environ.get("CORPUS", DEFAULT_CORPUS)),
        help="corpus folder holding inputs/, gold_articles.yaml and score.py "
             "(default: $CORPUS, else ../shared/corpus)",
    )
    parser.add_argument("--misses", action="store_true", help="also print the scorer's misses")
    parser.add_argument("--keep", type=Path, help="build into this folder and keep it")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    corpus = args.corpus.resolve()
    for needed in ("inputs", "gold_articles.yaml", "score.py"):
        if not (corpus / needed).exists():
            print(f"error: {corpus / needed} not found (pass the corpus folder)", file=sys.stderr)
            return 1
    with tempfile.TemporaryDirectory(prefix="corpus-docs-") as scratch:
        docs = args.keep.resolve() if args.keep else Path(scratch) / "docs"
        build = subprocess.run(
            [sys.executable, str(ROOT / "build_archive.py"), "--seeds", str(corpus / "inputs"),
             "--docs", str(docs), "-q"],
            cwd=ROOT, check=False,
        )
        if build.returncode != 0:
            return build.returncode
        score = subprocess.run(
            [sys.executable, str(corpus / "score.py"), str(docs / "data" / "documents.json"),
             str(corpus / "gold_articles.yaml"), *([] if args.misses else ["--quiet"])],
            cwd=ROOT, check=False,
        )
        return score.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
