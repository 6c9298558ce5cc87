"""CPU seconds of the render phase of a full build (``render_archive`` without a cache).

The seeds are built once; then the render phase runs ``--runs`` times and each run prints
its wall time and the CPU seconds of this process (index pages, dataset, script table)
and of the workers that render the document pages. On a shared machine CPU seconds vary
from run to run: compare the smallest of several runs, before and after a change.

    python benchmarks/render_phase.py --seeds /tmp/seeds -j 2 --runs 3
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from policy_archive.pipeline import build_documents
from policy_archive.render import render_archive


def _cpu() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, workers.ru_utime + workers.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=Path("seeds"))
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    documents = build_documents(args.seeds, cache=None, jobs=args.jobs).documents
    gc.disable()  # as the build does (cli._no_cycle_collection)
    for run in range(1, args.runs + 1):
        own, workers = _cpu()
        start = time.perf_counter()
        render_archive(documents, jobs=args.jobs)
        wall = time.perf_counter() - start
        own_after, workers_after = _cpu()
        parent, children = own_after - own, workers_after - workers
        print(f"run {run}: {len(documents)} documents, {wall:.2f} s wall, "
              f"{parent + children:.2f} CPU s ({parent:.2f} this process, "
              f"{children:.2f} workers)")


if __name__ == "__main__":
    main()
