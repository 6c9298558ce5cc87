"""Writing generated files into docs/ without touching hand-written pages.

Everything is rendered in memory first, so an error in any seed leaves docs/ as it was.
The build records what it wrote in ``docs/data/manifest.json``; the next build deletes only
files listed there, so a page a person added is never deleted.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

MANIFEST = "data/manifest.json"


def read_manifest(docs: Path) -> list[str]:
    """Files the previous build wrote (relative POSIX paths), or none."""
    path = docs / MANIFEST
    if not path.is_file():
        return []
    return list(json.loads(path.read_text(encoding="utf-8"))["generated"])


def manifest_text(files: dict[str, str]) -> str:
    """The manifest of a set of generated files."""
    listed = sorted([*files, MANIFEST])
    return json.dumps({"generated": listed}, ensure_ascii=False, indent=1) + "\n"


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_docs(docs: Path, files: dict[str, str]) -> tuple[int, int]:
    """Write ``files`` under ``docs``; delete what the last build wrote and this one did not.

    Returns (files written or changed, files deleted).
    """
    files = {**files, MANIFEST: manifest_text(files)}
    stale = [p for p in read_manifest(docs) if p not in files]
    written = 0
    for rel, text in sorted(files.items()):
        target = docs / rel
        if target.is_file() and target.read_text(encoding="utf-8") == text:
            continue
        _write_atomically(target, text)
        written += 1
    for rel in stale:
        (docs / rel).unlink(missing_ok=True)
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
