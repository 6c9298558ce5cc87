"""Command line of ``build_archive.py``: parse arguments, run the build, map errors to exit codes.

Exit status: 0 success, 1 an error in the input (one line on stderr naming the file), 2 a
usage error (argparse), 3 ``--check`` found docs/ out of date.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from policy_archive.datafiles import DataFileError
from policy_archive.ingest import SeedError
from policy_archive.pipeline import build_documents
from policy_archive.render import render_archive
from policy_archive.render.output import differences, write_docs

EXPECTED_ERRORS = (SeedError, DataFileError)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="build_archive.py",
        description="Repair the seed texts and write the archive's pages and dataset into docs/.",
    )
    p.add_argument("--seeds", type=Path, default=Path("seeds"),
                   help="folder of seed .txt files, never modified (default: seeds)")
    p.add_argument("--docs", type=Path, default=Path("docs"),
                   help="folder the pages and dataset are written into (default: docs)")
    p.add_argument("--check", action="store_true",
                   help="write nothing; exit 3 if docs/ differs from what the seeds produce")
    p.add_argument("-q", "--quiet", action="store_true", help="print only warnings and errors")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        result = build_documents(args.seeds)
        files = render_archive(result.documents)
    except EXPECTED_ERRORS as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.check:
        stale = differences(args.docs, files)
        for line in stale:
            print(line, file=sys.stderr)
        if stale:
            print(f"error: {args.docs} is out of date ({len(stale)} files); "
                  "run: python build_archive.py", file=sys.stderr)
            return 3
        if not args.quiet:
            print(f"{args.docs} is up to date ({len(files)} generated files)")
        return 0
    written, deleted = write_docs(args.docs, files)
    if not args.quiet:
        print(f"{len(result.documents)} documents; {written} files written, "
              f"{deleted} deleted in {args.docs}")
    return 0
