"""Wall time, CPU time and peak memory of a command with every process it starts.

``/usr/bin/time`` and ``getrusage`` report the largest single process; a site build is
MkDocs plus the Pagefind it starts while MkDocs still holds its pages, so the memory the
machine needs is their sum. This samples the sum of the resident memory of the command's
process tree (every 0.2 s, from /proc) while it runs.
"""

from __future__ import annotations

import os
import resource
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

SAMPLE_SECONDS = 0.2


@dataclass(frozen=True)
class Measured:
    wall: float  # seconds
    cpu: float  # user + system seconds of the command and all its children
    peak_mib: float  # largest sum of resident memory of the process tree at one time
    stdout: str
    stderr: str
    returncode: int


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += (task / "children").read_text(encoding="ascii").split()
        except OSError:
            continue
    return [int(child) for child in found]


def _resident_kib(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def tree_resident_kib(root: int) -> int:
    """Resident memory of a process and all its descendants, KiB."""
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += _resident_kib(pid)
        todo += _children(pid)
    return total


def measured(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Measured:
    """Run a command to its end, sampling its process tree's memory."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env or dict(os.environ),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0]

    def sample() -> None:
        while process.poll() is None:
            peak[0] = max(peak[0], tree_resident_kib(process.pid))
            time.sleep(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    wall = time.perf_counter() - start
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Measured(wall, cpu, peak[0] / 1024, stdout, stderr, process.returncode)
