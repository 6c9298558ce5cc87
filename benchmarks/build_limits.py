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
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "build_archive.py"), "--seeds", str(seeds),
             "--docs", str(docs), "-q"],
            stdout=subprocess.DEVNULL, stderr=err, cwd=ROOT,
        )
        # wait4 gives this child's own peak RSS (ru_maxrss, KiB on Linux).
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - start
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    errors = [line for line in stderr.splitlines() if line.startswith("error")]
    return proc.returncode, elapsed, usage.ru_maxrss / 1024, (errors[0][:110] if errors else "")


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
