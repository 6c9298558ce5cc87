"""Files a build has seen, by their stat: a file whose device, inode, size and modification
time are those it had when the last build read or wrote it still holds what it held then,
and is not read again. Git's index does the same for a working tree.

What a file held is a string its reader chooses: the sha256 of a seed's bytes, the identity
of a generated page (the cache entry it was written from). A build after one change then
stats the archive's files instead of reading them (at 1,000 seeds, 18 MB of seeds and 70 MB
of pages).

The stat cannot see a change made within the same tick of the file system's clock as the
file's last write, when the size stays the same: so, as git does, an entry is trusted only
when the file's modification time is older by more than a tick than the moment the record
was made (``RACY_NS``). A file changed after the record was made has a newer time, and a
file written just before it is read again by the next build, which records it anew.

The record lives in the build cache (outside the repository, like the rest of it): at worst
a damaged or forged record makes a build skip writing a page that is out of date, which
``build_archive.py --check`` (no cache, every byte compared) reports.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from policy_archive.cache import BuildCache

# Device, inode, size and modification time (ns) of a file.
Signature = tuple[int, int, int, int]

# A file's modification time must be older than the record by this much for the record to
# be trusted: a clock tick on file systems with fine timestamps (Linux takes the time of a
# write from a clock that ticks every 1 to 10 ms)...
RACY_NS = 20_000_000
# ... and on those that keep whole seconds (or two, FAT), two seconds.
RACY_COARSE_NS = 2_000_000_000


def signature(info: os.stat_result) -> Signature:
    """What the record compares of a file's stat.

    >>> info = os.stat(__file__)
    >>> signature(info) == (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)
    True
    """
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


def racy(mtime_ns: int, recorded_ns: int) -> bool:
    """Whether a file modified at ``mtime_ns`` could have changed unseen by a record made at
    ``recorded_ns`` (the same tick of a file system's clock).

    >>> racy(1_000_000_001, 1_000_000_001 + RACY_NS)
    True
    >>> racy(1_000_000_001, 1_000_000_002 + RACY_NS)
    False
    >>> racy(2_000_000_000, 3_000_000_000)  # whole seconds: a coarse clock
    True
    """
    tick = RACY_COARSE_NS if mtime_ns % 1_000_000_000 == 0 else RACY_NS
    return mtime_ns >= recorded_ns - tick


class SeenFiles:
    """What the files of ``folder`` held when the last build saw them, by name, and what
    this build sees (``record``), kept in ``cache`` for the next build (``save``)."""

    KIND = "seen"

    def __init__(self, cache: BuildCache | None, folder: Path) -> None:
        self.cache, self.folder = cache, folder
        self.key = hashlib.sha256(os.fsencode(folder.resolve())).hexdigest()
        self._before = _checked(cache.peek(self.KIND, self.key)) if cache is not None else {}
        self._now: dict[str, tuple[Signature, str]] = {}
        # What a generated file is expected to hold (``expect``), recorded once it does.
        self.expected: dict[str, str] = {}

    def known(self, name: str, info: os.stat_result) -> str | None:
        """What ``name`` held when last seen, if ``info`` (its stat now) says it still does."""
        entry = self._before.get(name)
        if entry is None or entry[0] != signature(info) or not stat.S_ISREG(info.st_mode):
            return None
        return entry[1]

    def holds(self, name: str, value: str) -> os.stat_result | None:
        """The stat of ``folder/name`` if it holds ``value`` as last seen (not a link: a
        generated file is never one), else None."""
        entry = self._before.get(name)
        if entry is None or entry[1] != value:
            return None
        try:
            info = os.lstat(f"{os.fspath(self.folder)}/{name}")
        except OSError:
            return None
        return info if self.known(name, info) == value else None

    def expect(self, name: str, value: str) -> None:
        """Note that this build makes ``name`` hold ``value``: the writer records it."""
        self.expected[name] = value

    def record(self, name: str, info: os.stat_result, value: str) -> None:
        """``name``, whose stat is ``info``, holds ``value`` (read or written just now)."""
        self._now[name] = (signature(info), value)

    def save(self) -> None:
        """Keep what this build saw for the next one; an entry whose file was modified too
        recently to be told from a later change is left out (``racy``)."""
        if self.cache is None:
            return
        now = time.time_ns()
        files = {name: [*sig, value] for name, (sig, value) in sorted(self._now.items())
                 if not racy(sig[3], now)}
        self.cache.put(self.KIND, self.key, files)


def _checked(data: Any) -> dict[str, tuple[Signature, str]]:
    """A record as ``save`` wrote it; anything else is no record (every file is read)."""
    if not isinstance(data, dict):
        return {}
    out = {}
    for name, entry in data.items():
        if (isinstance(entry, list) and len(entry) == 5
                and all(type(n) is int for n in entry[:4]) and isinstance(entry[4], str)):
            out[name] = ((entry[0], entry[1], entry[2], entry[3]), entry[4])
    return out
