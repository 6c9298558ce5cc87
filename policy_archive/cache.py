"""The build cache: what each seed and each page were made of, so a build redoes only what
changed.

A seed's documents depend only on its bytes, its corrections file, the data files and the
code (citations that link across seeds are resolved after the cache, over the whole
archive). So the key is the sha256 of exactly those (``seed_key``), and an archive that
grows by a few seeds a week, or gets one correction, redoes only the seeds that changed.
Render keys its work the same way: a document's page, dataset record and script pairs by
the seed key, the document's place and what else the page shows (``document_fingerprint``);
an index page by the fingerprints of the documents it lists.

The cache is one file, ``snapshot.jsonl``, read whole at the start of a build and written
whole at the end with only the entries the build used (nothing accumulates): one line of
JSON per entry after its kind and key, so the lines of unchanged entries are written back
as they were read, never encoded again. Entries are JSON, never pickle: loading the cache
cannot run code, whoever wrote the file. It lives outside the repository by default
(``$XDG_CACHE_HOME/policy-archive``, else ``~/.cache/policy-archive``) so a pull request
cannot bring entries of its own, and CI starts from an empty one. A file of another format
or code, an unreadable line or a malformed entry is a miss, never an error: the work is
done again and the entry rewritten.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import fields
from importlib import metadata
from pathlib import Path
from types import UnionType
from typing import Any, Union, get_args, get_origin, get_type_hints

from policy_archive.model import Document

PACKAGE = Path(__file__).resolve().parent
# Bumped when the entry format changes (the code fingerprint covers everything else).
FORMAT = 2
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


# --- documents as compact JSON: fields by position, read back by the model's type hints ----


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def pack(value: Any) -> Any:
    """A model object as JSON-ready data, a dataclass as the list of its fields in order.

    >>> from policy_archive.model import Span
    >>> pack([Span(1, 2, 6)])
    [[1, 2, 6]]
    """
    if hasattr(value, "__dataclass_fields__"):
        return [pack(getattr(value, name)) for name in _field_names(type(value))]
    if isinstance(value, list | tuple):
        return [pack(v) for v in value]
    if isinstance(value, dict):
        return {k: pack(v) for k, v in value.items()}
    return value


def unpack_document(data: Any) -> Document:
    """The inverse of ``pack`` for a document (``ValueError`` or ``TypeError`` if malformed).

    >>> from policy_archive.model import Document
    >>> doc = Document("s-1", "题", None, None, "printed", None, None, None, False, None, None,
    ...                [], None, "s.txt", "ab", 1, "zh-Hans", (1, 3), [], ["段"])
    >>> unpack_document(json.loads(json.dumps(pack(doc)))) == doc
    True
    """
    return _reader(Document)(data)


_Reader = Callable[[Any], Any]


def _same(value: Any) -> Any:
    return value


@functools.cache
def _reader(hint: Any) -> _Reader:
    """A function turning packed data back into ``hint``, made once per type."""
    if hasattr(hint, "__dataclass_fields__"):
        return _dataclass_reader(hint)
    origin, args = get_origin(hint), get_args(hint)
    if origin in (UnionType, Union):
        options = [a for a in args if a is not type(None)]
        if len(options) != 1:
            return _same
        inner = _reader(options[0])
        return _same if inner is _same else (lambda v: None if v is None else inner(v))
    if origin is list:
        inner = _reader(args[0])
        return list if inner is _same else (lambda v: [inner(x) for x in v])
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            inner = _reader(args[0])
            return tuple if inner is _same else (lambda v: tuple(inner(x) for x in v))
        return tuple
    return _same


def _dataclass_reader(cls: type) -> _Reader:
    hints = get_type_hints(cls)
    names = _field_names(cls)
    readers = [_reader(hints[name]) for name in names]
    converted = [(n, r) for n, r in enumerate(readers) if r is not _same]
    make = object.__new__

    def read(data: Any) -> Any:
        if not isinstance(data, list) or len(data) != len(names):
            msg = f"not a packed {cls.__name__}"
            raise ValueError(msg)
        values = list(data)
        for n, r in converted:
            values[n] = r(values[n])
        # Filled as unpickling fills it: the fields were checked when the object was made.
        obj = make(cls)
        obj.__dict__.update(zip(names, values, strict=True))
        return obj

    return read


# --- the snapshot ---------------------------------------------------------------------------


class BuildCache:
    """Entries by kind and key, read from and written back to one file in ``folder``."""

    NAME = "snapshot.jsonl"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / self.NAME
        self._read: dict[tuple[str, str], bytes] | None = None
        self._used: dict[tuple[str, str], bytes] = {}

    def _entries(self) -> dict[tuple[str, str], bytes]:
        if self._read is None:
            self._read = _read_snapshot(self.path, _header())
        return self._read

    def get(self, kind: str, key: str, check: Callable[[Any], Any] = _same) -> Any:
        """``check`` of the entry, or None when it is missing or ``check`` finds it malformed
        (raising ``ValueError``, ``TypeError``, ``KeyError`` or ``IndexError``)."""
        raw = self._entries().get((kind, key)) or self._used.get((kind, key))
        if raw is None:
            return None
        try:
            value = check(json.loads(raw))
        except (ValueError, TypeError, KeyError, IndexError):
            return None
        self._used[kind, key] = raw
        return value

    def peek(self, kind: str, key: str) -> Any:
        """The entry as the last build left it (None if missing or unreadable), without
        keeping it for the next build."""
        raw = self._entries().get((kind, key))
        try:
            return None if raw is None else json.loads(raw)
        except ValueError:
            return None

    def put(self, kind: str, key: str, value: Any) -> None:
        self._used[kind, key] = json.dumps(value, ensure_ascii=False).encode("utf-8",
                                                                           "surrogatepass")

    def save(self) -> None:
        """Write the entries this build used; nothing when they are those read."""
        if self._used == self._entries():
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            # Written beside and renamed: a reader never sees half a snapshot.
            with tempfile.NamedTemporaryFile("wb", dir=self.folder, delete=False) as handle:
                handle.write(_header().encode("utf-8") + b"\n")
                for (kind, key), raw in self._used.items():
                    handle.write(f"{kind}\t{key}\t".encode() + raw + b"\n")
            Path(handle.name).replace(self.path)
        except OSError:
            pass  # a cache that cannot be written only makes the next build slower
        self._read = dict(self._used)


def _header() -> str:
    return json.dumps({"format": FORMAT, "code": code_fingerprint()})


def _read_snapshot(path: Path, header: str) -> dict[tuple[str, str], bytes]:
    """The entries of a snapshot written by this code, or none. Entries stay bytes until
    used (``json.loads`` reads UTF-8; a damaged line is a miss then)."""
    try:
        lines = path.read_bytes().split(b"\n")
    except OSError:
        return {}
    if lines[0] != header.encode("utf-8"):
        return {}  # another format or another code: every entry would be a miss
    entries = {}
    for line in lines[1:]:
        kind, _, rest = line.partition(b"\t")
        key, _, raw = rest.partition(b"\t")
        if raw:
            entries[kind.decode("utf-8", "replace"), key.decode("utf-8", "replace")] = raw
    return entries


def document_fingerprint(origin: str, doc: Document, context: Iterable[str]) -> str:
    """The key of what render makes of one document: where it came from (``origin``: its
    seed's key and its place in the seed, which fix its content), what the whole archive
    changed in it (its id, the documents its citations link to) and what else its page
    shows (``context``: its same-day neighbours' ids and titles)."""
    linked = [c.document for c in doc.citations]
    parts = json.dumps([origin, doc.id, linked, list(context)], ensure_ascii=False)
    return hashlib.sha256(parts.encode("utf-8", "surrogatepass")).hexdigest()
