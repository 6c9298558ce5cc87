"""Command line of ``build_archive.py``: parse arguments, run the build, map errors to exit codes.

Exit status: 0 success, 1 an error in the input (one line on stderr naming the file), 2 a
usage error (argparse), 3 ``--check`` found docs/ out of date.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from policy_archive import summary
from policy_archive.cache import BuildCache, default_folder
from policy_archive.errors import EXPECTED_ERRORS
from policy_archive.pipeline import build_documents, cached_notes
from policy_archive.registry import load
from policy_archive.render import render_archive
from policy_archive.render.candidates import candidates_yaml
from policy_archive.render.output import Content, differences, write_docs
from policy_archive.seen import SeenFiles

# Lines of unified diff --check shows per differing file.
CHECK_DIFF_LINES = 40


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
    p.add_argument("--dry-run", action="store_true",
                   help="write nothing; list the files a build would create, update or delete")
    p.add_argument("--summary", metavar="REV",
                   help="write nothing; print a Markdown summary of what the working tree changes "
                        "against docs/data/documents.json at git revision REV (for pull requests)")
    p.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                   help="processes that build seeds (default: one per core; output is the same)")
    p.add_argument("--cache", type=Path, default=None, metavar="DIR",
                   help="folder of the per-seed cache (default: $XDG_CACHE_HOME/policy-archive)")
    p.add_argument("--no-cache", action="store_true",
                   help="build every seed again, neither reading nor writing the cache")
    p.add_argument("--candidates", action="store_true",
                   help="write nothing; print the formulations found by shape that the lexicon "
                        "lacks, most mentioned first, as entries to paste into initiatives.yml")
    p.add_argument("-q", "--quiet", action="store_true",
                   help="print only warnings and errors (no progress bar)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.summary is not None:
        return summary.main(["--base", args.summary, "--seeds", str(args.seeds),
                             "--docs", str(args.docs)])
    try:
        with _no_cycle_collection():
            return _build(args)
    except EXPECTED_ERRORS as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """The build makes millions of objects (the archive's documents, read from the cache)
    that live until it ends and hold no reference cycles: the cycle collector would only
    scan them again and again, a quarter of a build after one change. Reference counting
    still frees everything else; workers collect as usual (``pipeline.map_in_order``)."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _build(args: argparse.Namespace) -> int:
    cache = None if args.no_cache else BuildCache(args.cache or default_folder())
    progress = not args.quiet and sys.stderr.isatty()
    jobs = max(1, args.jobs)
    published = load(args.docs)
    result = build_documents(args.seeds, cache=cache, jobs=jobs, progress=progress,
                             published=published)
    if args.candidates:
        print(candidates_yaml(result.documents), end="")
        return 0
    # What docs/ held when the last build wrote it: files it still holds are not read again.
    # Not for --check and --dry-run, which compare every byte.
    seen = (SeenFiles(cache, args.docs) if cache is not None and not (args.check or args.dry_run)
            else None)
    files = render_archive(result.documents, published, cache, result.origins, jobs, progress,
                           digests=result.digests, seen=seen)
    # For curators: phrases the lexicons might want; the build never adds them itself.
    notes = cached_notes(result, cache, shown=not args.quiet)
    if cache is not None and seen is None:
        cache.save()
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    if args.dry_run:
        return _dry_run(args.docs, files, quiet=args.quiet)
    if args.check:
        stale = differences(args.docs, files, diff_lines=CHECK_DIFF_LINES)
        for line in stale:
            print(line, file=sys.stderr)
        if stale:
            count = sum(line.startswith(("missing:", "differs:", "left over:", "symbolic link:"))
                        for line in stale)
            print(f"error: {args.docs} is out of date ({count} files); "
                  "run: python build_archive.py", file=sys.stderr)
            return 3
        if not args.quiet:
            print(f"{args.docs} is up to date ({len(files)} generated files)")
        return 0
    try:
        written, deleted = write_docs(args.docs, files, seen)
    finally:
        if cache is not None:
            if seen is not None:
                seen.save()  # what it recorded: nothing when docs/ could not be written
            cache.save()
    if not args.quiet:
        print(f"{len(result.documents)} documents; {written} files written, "
              f"{deleted} deleted in {args.docs}")
    return 0


# What --dry-run says for each kind of difference --check reports.
_DRY_RUN_VERBS = {"missing": "would create", "differs": "would update", "left over": "would delete"}


def _dry_run(docs: Path, files: dict[str, Content], *, quiet: bool) -> int:
    """List what a build would change in ``docs`` without touching it (exit 0 either way)."""
    changes = differences(docs, files)
    for line in changes:
        kind, _, path = line.partition(": ")
        print(f"{_DRY_RUN_VERBS.get(kind, kind)}: {path}")
    if not quiet:
        print(f"dry run: {len(changes)} of {len(files) + 1} generated files would change in {docs}")
    return 0
