"""Writing generated files into docs/: all or nothing, and never a hand-written page.

Everything is rendered in memory first, so an error in any seed leaves docs/ as it was.
Writing is atomic too: the new contents of each generated root (``GENERATED_ROOTS``, and
any other folder or top-level file the build generates) are assembled in a staging folder
``docs/.archive-build-*`` on the same file system, and only when every file is written are
the roots swapped in, each by one ``rename``. If anything fails before the swap, the staging
folder goes and docs/ is untouched; if a rename fails during the swap, the roots already
swapped are swapped back. (A dot folder: MkDocs never reads it, even if a killed build
leaves one behind; the next build removes it.)

The build records what it wrote in ``docs/data/manifest.json``. Inside a generated root,
files the previous manifest does not list (a page a person added) are carried over into
the new root, so they are never deleted; hand-written pages outside the roots
(``index.md``, ``about.md``, ``stylesheets/``) are never touched at all.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from policy_archive.render import GENERATED_ROOTS

MANIFEST = "data/manifest.json"
STAGING_PREFIX = ".archive-build-"


def read_manifest(docs: Path) -> list[str]:
    """Files the previous build wrote (relative POSIX paths), or none."""
    path = docs / MANIFEST
    if not path.is_file():
        return []
    return list(json.loads(path.read_text(encoding="utf-8"))["generated"])


def manifest_text(files: dict[str, str]) -> str:
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


def _root(rel: str) -> str:
    return rel.split("/", 1)[0]


def _write_file(path: Path, text: str) -> None:
    """Write one staged file (a function of its own so a test can make it fail)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def _stage(docs: Path, staging: Path, files: dict[str, str], old: set[str],
           roots: set[str]) -> int:
    """Write the new contents of every root into ``staging``; return how many files changed."""
    changed = 0
    for root in sorted(roots):
        current = docs / root
        if current.is_dir():
            # Carry over what the last build did not generate: a person put it there.
            for path in sorted(current.rglob("*")):
                rel = path.relative_to(docs).as_posix()
                if path.is_file() and rel not in old and rel not in files:
                    target = staging / rel
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path, target)
    for rel, text in sorted(files.items()):
        target, current = staging / rel, docs / rel
        if current.is_file() and current.read_text(encoding="utf-8") == text:
            # Unchanged: keep its bytes and modification time (live reload, rsync).
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(current, target)
            continue
        _write_file(target, text)
        changed += 1
    return changed


def _swap(docs: Path, staging: Path, roots: set[str]) -> None:
    """Move each staged root into docs/, the old one into ``staging/.old``; undo on failure."""
    old_dir = staging / ".old"
    old_dir.mkdir()
    done: list[str] = []
    try:
        for root in sorted(roots):
            if (docs / root).exists():
                (docs / root).rename(old_dir / root)
            done.append(root)
            if (staging / root).exists():
                (staging / root).rename(docs / root)
    except BaseException:
        for root in reversed(done):
            if (docs / root).exists() and not (staging / root).exists():
                (docs / root).rename(staging / root)
            if (old_dir / root).exists():
                (old_dir / root).rename(docs / root)
        raise


def remove_stale_staging(docs: Path) -> None:
    """Remove staging folders a killed build left behind (only ours, by their prefix)."""
    if docs.is_dir():
        for path in docs.glob(f"{STAGING_PREFIX}*"):
            shutil.rmtree(path, ignore_errors=True)


def write_docs(docs: Path, files: dict[str, str]) -> tuple[int, int]:
    """Write ``files`` under ``docs`` atomically; drop what the last build wrote and this one
    did not. Returns (files written or changed, files deleted)."""
    files = {**files, MANIFEST: manifest_text(files)}
    old = set(read_manifest(docs))
    stale = [rel for rel in sorted(old) if rel not in files and (docs / rel).is_file()]
    roots = {*GENERATED_ROOTS, *(_root(rel) for rel in files), *(_root(rel) for rel in old)}
    docs.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(docs)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=docs))
    try:
        written = _stage(docs, staging, files, old, roots)
        if written or stale:
            _swap(docs, staging, roots)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return written, len(stale)


def differences(docs: Path, files: dict[str, str]) -> list[str]:
    """What ``--check`` reports: generated files missing, different, or left over in docs/."""
    files = {**files, MANIFEST: manifest_text(files)}
    out = []
    for rel, text in sorted(files.items()):
        target = docs / rel
        if not target.is_file():
            out.append(f"missing: docs/{rel}")
        elif target.read_text(encoding="utf-8") != text:
            out.append(f"differs: docs/{rel}")
    for rel in read_manifest(docs):
        if rel not in files and (docs / rel).exists():
            out.append(f"left over: docs/{rel}")
    return out
