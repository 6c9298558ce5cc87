#!/usr/bin/env python3
"""Time and peak memory of the build for many small seeds and for one large seed.

Prints one line per case: seeds, total bytes, exit status, wall time, peak RSS of the build
process (ru_maxrss of the child). Seeds are synthetic, made in a temporary folder from the
real seeds (each small seed is a real seed with a different name), so nothing large is
committed. Performance figures belong here, never in unit tests.

    .venv/bin/python benchmarks/build_limits.py            # 1, 100, 1000 seeds and a large seed
    .venv/bin/python benchmarks/build_limits.py 1 10000    # chosen folder sizes
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def make_small(folder: Path, count: int) -> int:
    folder.mkdir(parents=True)
    total = 0
    for n in range(count):
        data = SEEDS[n % len(SEEDS)].read_bytes()
        (folder / f"{n:05d}_bench.txt").write_bytes(data)
        total += len(data)
    return total


def make_large(folder: Path, size: int) -> int:
    folder.mkdir(parents=True)
    chunk = SEEDS[-1].read_bytes()  # the communiqué: long paragraphs
    with (folder / "00000_large.txt").open("wb") as handle:
        written = 0
        while written < size:
            handle.write(chunk)
            written += len(chunk)
    return written


def run(seeds: Path, docs: Path) -> tuple[int, float, float, str]:
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    proc = subprocess.run(
        [sys.executable, str(ROOT / "build_archive.py"), "--seeds", str(seeds),
         "--docs", str(docs), "-q"],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )
    elapsed = time.perf_counter() - start
    # ru_maxrss of children is the largest child so far (KiB on Linux); each case runs in a
    # fresh benchmark process when it matters (the largest cases run last).
    peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error")]
    return proc.returncode, elapsed, peak, (errors[0][:110] if errors else "")


def main(argv: list[str]) -> None:
    counts = [int(a) for a in argv] or [1, 100, 1000]
    print(f"{'case':>22} {'bytes':>12} {'exit':>4} {'seconds':>8} {'peak MiB':>9}  note")
    with tempfile.TemporaryDirectory(prefix="archive-bench-") as tmp:
        base = Path(tmp)
        cases = [(f"{c} small seeds", lambda f, c=c: make_small(f, c)) for c in counts]
        cases += [("3 MiB seed", lambda f: make_large(f, 3 * 2**20)),
                  ("50 MiB seed", lambda f: make_large(f, 50 * 2**20))]
        for k, (name, make) in enumerate(cases):
            seeds = base / f"seeds{k}"
            total = make(seeds)
            code, elapsed, peak, note = run(seeds, base / f"docs{k}")
            print(f"{name:>22} {total:>12,} {code:>4} {elapsed:>8.1f} {peak:>9.0f}  {note}",
                  flush=True)
    print(f"(python {sys.version.split()[0]}, {os.cpu_count()} cpus)")


if __name__ == "__main__":
    main(sys.argv[1:])
