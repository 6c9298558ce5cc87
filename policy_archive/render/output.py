"""Writing generated files into docs/: all or nothing, and never a hand-written page.

Everything is rendered in memory first, so an error in any seed leaves docs/ as it was.
Then the whole new docs/ is assembled beside the old one, in ``.<docs>.build-kept`` in the
same parent folder: hand-written files and unchanged generated files are hard-linked
(same bytes, same modification time, no copy), changed and new files are written. That
folder is the tree the last build swapped out, kept for this: what it holds already linked
to docs/'s file stays, anything else in it goes first, so a build after one change touches
only what changed and removes no tree of thousands of files (the first build assembles in
a new ``.<docs>.build-*`` folder, which becomes the kept one). Only
when the tree is complete does it replace docs/, in one step: ``renameat2`` with
``RENAME_EXCHANGE`` swaps the two directories atomically, so a reader, ``mkdocs serve`` or
a build killed at any instant sees either the old docs/ or the new one, never a mix. Where
the kernel or file system cannot exchange, two renames are used, and a build that finds
docs/ missing and the old tree set aside puts it back before it starts (``recover``).
Other build folders a killed build left are removed by the next build.

The build records what it wrote in ``docs/data/manifest.json``. A file the previous
manifest lists and this build does not generate is stale and is left out of the new tree;
any other file is a person's and is carried over. The manifest is checked before it is
trusted: it may only name files inside the generated folders (``GENERATED_ROOTS``), so a
tampered manifest can neither delete a hand-written page nor reach outside docs/.

Only one build writes a docs/ at a time (an advisory lock on ``.<docs>.lock``); a second
one stops with a message instead of racing the first.
"""

from __future__ import annotations

import contextlib
import ctypes
import difflib
import errno
import fcntl
import json
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from policy_archive.ids import SEGMENT_PATTERN, ascii_repr
from policy_archive.seen import SeenFiles
from policy_archive.site_contract import GENERATED_ROOTS, MANIFEST

_GENERATED_PATH_RE = re.compile(
    rf"(?:{'|'.join(map(re.escape, GENERATED_ROOTS))})(?:/{SEGMENT_PATTERN})*"
    rf"/{SEGMENT_PATTERN}\.(?:md|json|txt)"
)


@dataclass(frozen=True)
class Unchanged:
    """A generated file docs/ holds already as this build makes it: the last build wrote or
    read it with the content this build would write, and its stat is the same since
    (``seen.SeenFiles.holds``). It is neither read nor written; its bytes are read from
    ``path`` only where something needs them."""

    path: str
    info: os.stat_result


# A generated file's content: its text, the UTF-8 bytes of its text (a file read from the
# build cache, which is never decoded where only its bytes are compared or written), or the
# file docs/ holds already (``Unchanged``).
Content = str | bytes | Unchanged


def content_bytes(content: Content) -> bytes:
    """The bytes a file of ``content`` holds.

    >>> content_bytes("页") == content_bytes("页".encode()) == b"\\xe9\\xa1\\xb5"
    True
    """
    if isinstance(content, Unchanged):
        return Path(content.path).read_bytes()
    return content if isinstance(content, bytes) else content.encode("utf-8")


def content_text(content: Content) -> str:
    """The text of ``content``."""
    return content if isinstance(content, str) else content_bytes(content).decode("utf-8")


class OutputError(ValueError):
    """docs/ cannot be written or read as the build needs; the message names the path."""


def check_generated_path(rel: str, source: str) -> str:
    """``rel`` if it may name a generated file: inside a generated folder, safe names only.

    >>> check_generated_path("documents/000_ab-1.md", "build")
    'documents/000_ab-1.md'
    >>> check_generated_path("../x", "docs/data/manifest.json")
    Traceback (most recent call last):
    ...
    policy_archive.render.output.OutputError: docs/data/manifest.json: '../x' is not a file inside the generated folders (documents, data, bodies, dates, initiatives, people, cited)
    """
    if not isinstance(rel, str) or not _GENERATED_PATH_RE.fullmatch(rel):
        folders = ", ".join(GENERATED_ROOTS)
        msg = (f"{source}: {ascii_repr(rel)} is not a file inside the generated folders "
               f"({folders})")
        raise OutputError(msg)
    return rel


def read_manifest(docs: Path) -> list[str]:
    """Files the previous build wrote (relative POSIX paths, checked), or none."""
    path = docs / MANIFEST
    where = f"{docs.as_posix()}/{MANIFEST}"
    if not path.exists():
        return []
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
        listed = data["generated"]
        if not isinstance(listed, list):
            raise TypeError
    except (OSError, ValueError, TypeError, KeyError) as exc:
        msg = (f"{where}: not a manifest the build wrote ({type(exc).__name__}); restore it "
               "with git (git checkout -- docs) and build again")
        raise OutputError(msg) from exc
    return [check_generated_path(rel, where) for rel in listed]


def manifest_text(files: Mapping[str, Content]) -> str:
    """The manifest of a set of generated files.

    >>> print(manifest_text({"documents/a.md": ""}), end="")
    {
     "generated": [
      "data/manifest.json",
      "documents/a.md"
     ]
    }
    """
    listed = sorted([*files, MANIFEST])
    return json.dumps({"generated": listed}, ensure_ascii=False, indent=1) + "\n"


def _write_file(path: Path, content: Content) -> None:
    """Write one staged file (a function of its own so a test can make it fail)."""
    path.write_bytes(content_bytes(content))


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _hand_written(docs: Path, generated_before: set[str]) -> Iterator[tuple[str, Path]]:
    """Files of docs/ that no build generated (a person's), as (relative path, path)."""
    if not docs.is_dir():
        return
    files, links = [], []
    # Relative paths as text, sorted as pathlib sorts them (by component): pathlib objects
    # for the thousands of generated files cost more than listing them.
    folders = [(docs, ())]
    while folders:  # os.scandir: the type of each entry comes with the listing
        folder, parts = folders.pop()
        with os.scandir(folder) as listing:
            for entry in listing:
                if entry.is_symlink():
                    links.append(Path(entry.path))
                elif entry.is_dir():
                    folders.append((Path(entry.path), (*parts, entry.name)))
                elif entry.is_file():
                    files.append((*parts, entry.name))
    if links:
        # MkDocs would follow it and publish whatever it points at.
        msg = f"{ascii_repr(min(links).as_posix())}: a symbolic link; docs/ holds files only"
        raise OutputError(msg)
    for parts in sorted(files):
        rel = "/".join(parts)
        if rel not in generated_before:
            yield rel, docs.joinpath(*parts)


def _unchanged(docs: Path, files: dict[str, Content]) -> dict[str, os.stat_result]:
    """The generated files docs/ already holds byte for byte (a file edited by hand is
    not one of them: it is written again), each with its stat.

    A file known ``Unchanged`` is taken as it is. Any other is opened once, not following a
    link and not waiting on a pipe, and read only when its size is the new text's: a build
    after one change compares thousands of pages.
    """
    same = {}
    folder = os.fspath(docs)  # joined as text: pathlib costs more than reading a page
    for rel, content in files.items():
        if isinstance(content, Unchanged):
            same[rel] = content.info
            continue
        try:
            fd = os.open(f"{folder}/{rel}", _READ_FLAGS)  # POSIX only, as fcntl
        except OSError:
            continue  # missing, a link, or not readable: written
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(fd)
            raw = content_bytes(content)
            if (stat.S_ISREG(info.st_mode) and info.st_size == len(raw)
                    and handle.read() == raw):
                same[rel] = info
    return same


_READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK


def _stage(docs: Path, staging: Path, files: dict[str, Content],
           hand_written: list[tuple[str, Path]], unchanged: dict[str, os.stat_result]) -> int:
    """Make ``staging`` the complete new docs/; return how many files changed.

    ``staging`` is empty, or the tree the last build swapped out (``_kept``): what it holds
    already, a hard link to the file docs/ holds now, stays; everything else in it goes
    first, so a file written here is always a new one (never one docs/ shares).
    ``unchanged`` are the generated files docs/ holds already, with their stat.
    """
    linked: dict[str, str | Path] = {rel: path for rel, path in hand_written if rel not in files}
    folder = os.fspath(docs)  # joined as text: thousands of paths
    linked.update((rel, f"{folder}/{rel}") for rel in unchanged)
    written = sorted(rel for rel in files if rel not in unchanged)
    done = _clear(staging, linked, {rel.rpartition("/")[0] for rel in [*linked, *written]},
                  {rel: (info.st_dev, info.st_ino) for rel, info in unchanged.items()})
    made: set[str] = set()

    def place(rel: str) -> Path:
        """``staging/rel``, its folder made (each folder once: thousands of files share a
        few hundred folders)."""
        folder = rel.rpartition("/")[0]
        if folder not in made:
            (staging / folder).mkdir(parents=True, exist_ok=True)
            made.add(folder)
        return staging / rel

    for rel in sorted(set(linked) - done):
        # Same bytes and modification time (live reload), no copy.
        _link_or_copy(linked[rel], place(rel))
    for rel in written:
        _write_file(place(rel), files[rel])
    return len(written)


def _clear(staging: Path, linked: dict[str, str | Path], folders: set[str],
           identities: Mapping[str, tuple[int, int]]) -> set[str]:
    """Take out of ``staging`` all but the files already linked to their source in
    ``linked`` (returned) and the folders of the new tree (``folders`` and their parents).
    A source's device and inode may be known already (``identities``): the file is then
    recognised from its folder's listing, without a system call per file."""
    keep = {""}
    for folder in folders:
        while folder not in keep:
            keep.add(folder)
            folder = folder.rpartition("/")[0]
    done: set[str] = set()
    pending = [(staging, "")]
    while pending:
        folder, prefix = pending.pop()
        device = folder.stat().st_dev  # of its files too (a mount point is a folder)
        with os.scandir(folder) as listing:
            for entry in listing:
                rel = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    if rel in keep:
                        pending.append((Path(entry.path), rel + "/"))
                    else:
                        shutil.rmtree(entry.path)
                    continue
                source = linked.get(rel)
                if source is not None and entry.is_file(follow_symlinks=False):
                    known = identities.get(rel)
                    if known is not None and known == (device, entry.inode()):
                        done.add(rel)
                        continue
                    with contextlib.suppress(OSError):
                        if known is None and os.path.samestat(entry.stat(follow_symlinks=False),
                                                              Path(source).stat()):
                            done.add(rel)
                            continue
                Path(entry.path).unlink()
    return done


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories in one atomic step; False where the system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(a))


def _aside_prefix(docs: Path) -> str:
    return f".{docs.name}.old-"


def _build_prefix(docs: Path) -> str:
    return f".{docs.name}.build-"


def _kept(docs: Path) -> Path:
    """Where the tree a build swapped out stays, for the next build to assemble its new
    docs/ in: its files are hard links to docs/'s, so a build after one change writes and
    links only what changed (and removes no tree of thousands of files)."""
    return docs.parent / f"{_build_prefix(docs)}kept"


def recover(docs: Path) -> None:
    """Undo what a killed build left: a set-aside docs/ is put back, build folders go."""
    parent = docs.parent
    if not parent.is_dir():
        return
    aside = sorted(parent.glob(_aside_prefix(docs) + "*"))
    if not docs.exists() and aside:
        aside[-1].rename(docs)  # killed between the two renames of the fallback swap
        aside = aside[:-1]
    kept = _kept(docs)
    if kept.is_symlink() or (kept.exists() and not kept.is_dir()):
        kept.unlink()
    for leftover in [*aside, *parent.glob(_build_prefix(docs) + "*")]:
        if leftover != kept:
            shutil.rmtree(leftover, ignore_errors=True)
    # Staging folders of the earlier design lived inside docs/.
    if docs.is_dir():
        for leftover in docs.glob(".archive-build-*"):
            shutil.rmtree(leftover, ignore_errors=True)


def _replace(docs: Path, staging: Path) -> None:
    """Put the staged tree in docs/'s place; the old tree ends up at ``staging``."""
    if not docs.exists():
        staging.rename(docs)
        return
    if _exchange(staging, docs):
        return
    aside = Path(tempfile.mkdtemp(prefix=_aside_prefix(docs), dir=docs.parent))
    aside.rmdir()
    docs.rename(aside)
    staging.rename(docs)
    aside.rename(staging)


@contextlib.contextmanager
def _exclusive(docs: Path) -> Iterator[None]:
    lock_path = docs.parent / f".{docs.name}.lock"
    with lock_path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            msg = f"{docs.as_posix()}: another build is writing it; wait for it to finish"
            raise OutputError(msg) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_docs(docs: Path, files: dict[str, Content],
               seen: SeenFiles | None = None) -> tuple[int, int]:
    """Write ``files`` as docs/'s generated files, atomically; drop what the last build
    wrote and this one did not. Returns (files written or changed, files deleted).

    The new tree is assembled in the one the last build swapped out (``_kept``), which
    stays beside docs/ for the next build. ``seen`` (docs/'s, as render used it) records
    what each file it expects now holds, for the next build.
    """
    for rel in files:
        check_generated_path(rel, "build")
    files = {**files, MANIFEST: manifest_text(files)}
    try:
        docs.parent.mkdir(parents=True, exist_ok=True)
        with _exclusive(docs):
            recover(docs)
            old = set(read_manifest(docs)) if docs.is_dir() else set()
            stale = [rel for rel in sorted(old) if rel not in files and (docs / rel).is_file()]
            hand_written = list(_hand_written(docs, old))  # refuses a symbolic link first
            unchanged = _unchanged(docs, files) if docs.is_dir() else {}
            written = 0
            if stale or len(unchanged) != len(files):
                written = _assemble(docs, files, hand_written, unchanged)
            if seen is not None:
                _record(docs, seen, unchanged)
    except OSError as exc:
        where = exc.filename if isinstance(exc.filename, str) else docs.as_posix()
        msg = f"{where}: cannot write the archive: {exc.strerror or exc}; docs/ is unchanged"
        raise OutputError(msg) from exc
    return written, len(stale)


def _record(docs: Path, seen: SeenFiles, unchanged: dict[str, os.stat_result]) -> None:
    """Record in ``seen`` the stat of each file whose content it expects: known from the
    comparison for an unchanged file (a hard link keeps it), taken now for one written."""
    folder = os.fspath(docs)
    for rel, value in seen.expected.items():
        info = unchanged.get(rel)
        seen.record(rel, info if info is not None else os.lstat(f"{folder}/{rel}"), value)


def _assemble(docs: Path, files: dict[str, Content], hand_written: list[tuple[str, Path]],
              unchanged: dict[str, os.stat_result]) -> int:
    """Assemble the new docs/ beside it and swap it in; the old tree is kept."""
    kept = _kept(docs)
    staging = (kept if kept.is_dir() else
               Path(tempfile.mkdtemp(prefix=_build_prefix(docs), dir=docs.parent)))
    # mkdtemp makes a private folder; the new docs/ keeps the old one's permissions.
    staging.chmod(docs.stat().st_mode & 0o7777 if docs.is_dir() else 0o755)
    try:
        written = _stage(docs, staging, files, hand_written, unchanged)
        _replace(docs, staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if staging.is_dir() and staging != kept:
        staging.rename(kept)
    return written


def differences(docs: Path, files: dict[str, Content], *, diff_lines: int = 0) -> list[str]:
    """What ``--check`` reports: generated files missing, different, or left over in docs/.

    With ``diff_lines``, a differing text file is followed by a unified diff of at most
    that many lines, so a contributor sees what differs and not only where.
    """
    files = {**files, MANIFEST: manifest_text(files)}
    out = []
    for rel, content in sorted(files.items()):
        target = docs / rel
        if not target.is_file() or target.is_symlink():
            out.append(f"missing: docs/{rel}")
            continue
        current = target.read_bytes()
        if current == content_bytes(content):
            continue
        out.append(f"differs: docs/{rel}")
        if diff_lines:
            old = current.decode("utf-8", errors="replace").splitlines()
            new = content_text(content).splitlines()
            diff = difflib.unified_diff(old, new, f"docs/{rel} (in docs/)",
                                        f"docs/{rel} (from the seeds)", lineterm="", n=1)
            shown = list(diff)
            out += shown[:diff_lines]
            if len(shown) > diff_lines:
                out.append(f"… {len(shown) - diff_lines} more diff lines")
    for rel in read_manifest(docs):
        if rel not in files and (docs / rel).exists():
            out.append(f"left over: docs/{rel}")
    # A link anywhere in docs/, hand-written part included, would make MkDocs publish
    # whatever it points at: --check fails on it as the build does.
    if docs.is_dir():
        out += [f"symbolic link: {ascii_repr(p.as_posix())}" for p in sorted(docs.rglob("*"))
                if p.is_symlink()]
    return out
