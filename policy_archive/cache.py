"""The per-seed build cache: a seed's documents, keyed by everything they are made from.

A seed's documents depend only on its bytes, its corrections file, the data files and the
code (citations that link across seeds are resolved after the cache, over the whole
archive). So the key is the sha256 of exactly those, and an archive that grows by a few
seeds a week, or gets one correction, redoes only the seeds that changed.

Entries are JSON (``model.to_data``), never pickle: loading a cache entry cannot run code,
whoever wrote the file. The cache lives outside the repository by default
(``$XDG_CACHE_HOME/policy-archive``, else ``~/.cache/policy-archive``) so a pull request
cannot bring entries of its own, and CI starts from an empty one. An unreadable or
malformed entry is a miss, never an error: the seed is built again and the entry rewritten.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from policy_archive.model import Document, from_data, to_data

PACKAGE = Path(__file__).resolve().parent
# Bumped when the entry format changes (the code fingerprint covers everything else).
FORMAT = 1
LIBRARIES = ("OpenCC", "PyYAML", "jieba")


def default_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "policy-archive"


@functools.cache
def code_fingerprint() -> str:
    """sha256 of every file of the package that can change a document: code and data."""
    digest = hashlib.sha256(f"format {FORMAT} python {sys.version_info[:2]}".encode())
    # The libraries whose output ends up in a document: another version, another key.
    for name in LIBRARIES:
        digest.update(f"{name} {metadata.version(name)}\0".encode())
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".yml", ".yaml", ".json", ".txt"):
            digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def seed_key(name: str, seed_bytes: bytes, corrections_bytes: bytes | None) -> str:
    """The key of a seed's documents: its name (the documents' ids come from it), its bytes,
    its corrections file's, the code's.

    >>> seed_key("a.txt", b"a", None) == seed_key("a.txt", b"a", None)
    True
    >>> seed_key("a.txt", b"a", None) == seed_key("a.txt", b"a", b"")
    False
    >>> seed_key("a.txt", b"a", None) == seed_key("b.txt", b"a", None)
    False
    """
    digest = hashlib.sha256(code_fingerprint().encode())
    digest.update(name.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(hashlib.sha256(seed_bytes).digest())
    digest.update(b"-" if corrections_bytes is None else hashlib.sha256(corrections_bytes).digest())
    return digest.hexdigest()


class JsonCache:
    """JSON entries on disk, one file per key (two-level folders, as git does)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key[2:]}.json"

    def get(self, key: str) -> Any:
        """The entry, or None when it is missing or unreadable (a miss, never an error)."""
        try:
            return json.loads(self._path(key).read_bytes())
        except (OSError, ValueError):
            return None

    def put(self, key: str, payload: Any) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Written beside and renamed: a reader never sees half an entry.
            with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False) as handle:
                handle.write(json.dumps(payload, ensure_ascii=False).encode("utf-8"))
            Path(handle.name).replace(path)
        except OSError:
            pass  # a cache that cannot be written only makes the next build slower


class SeedCache(JsonCache):
    """A seed's documents and warnings, by ``seed_key``."""

    def get(self, key: str) -> tuple[list[Document], list[str]] | None:  # type: ignore[override]
        data = super().get(key)
        try:
            documents = [from_data(Document, d) for d in data["documents"]]
            return documents, [str(w) for w in data["warnings"]]
        except (KeyError, TypeError, ValueError):
            return None  # from another format, or damaged: build it again

    def put(self, key: str, documents: list[Document],  # type: ignore[override]
            warnings: list[str]) -> None:
        super().put(key, {"documents": [to_data(d) for d in documents], "warnings": warnings})


class Caches:
    """The build's caches under one folder: seeds (pipeline) and pages (render)."""

    def __init__(self, folder: Path) -> None:
        self.seeds = SeedCache(folder / "seeds")
        self.pages = JsonCache(folder / "pages")


def document_key(doc: Document, context: Sequence[str] = ()) -> str:
    """The key of what render makes of one document: the document itself, what else its
    page shows (``context``: its same-day neighbours' ids and titles) and the code."""
    digest = hashlib.sha256(code_fingerprint().encode())
    digest.update(json.dumps([to_data(doc), list(context)], ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()
