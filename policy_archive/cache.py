"""The build cache: what each seed and each page were made of, so a build redoes only what
changed.

A seed's documents depend only on its bytes, its corrections file, the data files and the
code (citations that link across seeds are resolved after the cache, over the whole
archive). So the key is the sha256 of exactly those (``seed_key``), and an archive that
grows by a few seeds a week, or gets one correction, redoes only the seeds that changed.
Render keys its work the same way: a document's page, dataset record and script pairs by
the seed key, the document's place and what else the page shows (``document_fingerprint``);
an index page by what it reads of the documents it lists (``index_digest``). A seed's
documents are stored in two entries: the fields every stage over the whole archive reads
(``LIGHT_FIELDS``) and the rest, read only when a field of it is used (``CachedDocument``),
so a build after one change does not read every document in full.

The cache is an index, ``snapshot.jsonl``, read whole at the start of a build, and pack
files holding the entries, read only where the build uses an entry (``BuildCache``): a build
after one change reads what it uses and writes what it made, not the whole cache. The index
is written whole at the end with only the entries the build used (nothing accumulates in
it; packs are merged once they hold more that no index names than what one does). Entries
are JSON or text, never pickle: loading the cache cannot run code, whoever wrote the file.
It lives outside the repository by default (``$XDG_CACHE_HOME/policy-archive``, else
``~/.cache/policy-archive``) so a pull request cannot bring entries of its own, and CI starts
from an empty one. An index of another format or code, an unreadable line, a missing pack,
an entry whose bytes fail their CRC-32 or a malformed entry is a miss, never an error: the
work is done again and the entry rewritten. An entry of text (a page, a record) whose CRC-32
matches is used as the bytes it holds, never decoded (``get_bytes``).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib
import json
import mmap
import os
import sys
import tempfile
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from pathlib import Path
from types import UnionType
from typing import Any, Union, get_args, get_origin, get_type_hints

from policy_archive.model import Document
from policy_archive.yamlfile import YamlTree, tree_from_json, tree_to_json

PACKAGE = Path(__file__).resolve().parent
# Bumped when the entry format changes (the code fingerprint covers everything else).
FORMAT = 4
# The libraries whose output ends up in a document, by module: another version, another key.
# Their own ``__version__`` (importlib.metadata would cost a build 20-30 ms of imports).
LIBRARIES = ("opencc", "yaml")


def default_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "policy-archive"


@functools.cache
def code_fingerprint() -> str:
    """sha256 of every file of the package that can change a document: code and data."""
    digest = hashlib.sha256(f"format {FORMAT} python {sys.version_info[:2]}".encode())
    for name in LIBRARIES:
        digest.update(f"{name} {importlib.import_module(name).__version__}\0".encode())
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".yml", ".yaml", ".json", ".txt"):
            digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def seed_key(name: str, seed_digest: str, corrections_digest: str | None) -> str:
    """The key of a seed's documents: its name (the documents' ids come from it), the
    sha256 of its bytes and of its corrections file's (``file_digest``), the code's.

    >>> seed_key("a.txt", "a1", None) == seed_key("a.txt", "a1", None)
    True
    >>> seed_key("a.txt", "a1", None) == seed_key("a.txt", "a1", file_digest(b""))
    False
    >>> seed_key("a.txt", "a1", None) == seed_key("b.txt", "a1", None)
    False
    """
    digest = hashlib.sha256(code_fingerprint().encode())
    digest.update(name.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(seed_digest.encode() + b"\0")
    digest.update(b"-" if corrections_digest is None else corrections_digest.encode())
    return digest.hexdigest()


def key_of(value: Any) -> str:
    """The sha256 of a JSON value: the key of work made of exactly that (a page of its
    inputs, an index of its documents' fingerprints).

    >>> key_of(["页", 1]) == key_of(["页", 1]) != key_of(["页", 2])
    True
    """
    text = json.dumps(value, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def file_digest(raw: bytes) -> str:
    """The sha256 of a file's bytes, as ``seed_key`` takes it (and ``seen.SeenFiles`` keeps
    it, so an unchanged seed is not read again)."""
    return hashlib.sha256(raw).hexdigest()


def _data_file_key(name: str, raw: bytes) -> str:
    """The key of a data file parsed: its name and bytes (the index is of one code already).

    >>> _data_file_key("a.yml", b"x: 1") == _data_file_key("a.yml", b"x: 2")
    False
    """
    return hashlib.sha256(name.encode() + b"\0" + raw).hexdigest()


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
        return list if inner is _same else (lambda v: list(map(inner, v)))
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            inner = _reader(args[0])
            return tuple if inner is _same else (lambda v: tuple(map(inner, v)))
        return tuple
    return _same


# --- documents read in two parts: what every global stage reads, and the rest -------------

# What the stages over the whole archive read of every document (ids, citation links,
# same-day neighbours, the registry, the listing): a document read from the cache holds
# these, and the rest of it is read only when something uses it (``CachedDocument``).
LIGHT_FIELDS = ("id", "title", "date", "date_end", "date_precision", "outlet", "seed",
                "seed_sha256", "article", "lines", "citations")
# What the index pages (render/indexes.py) read of a document besides its id and where its
# citations link: pages are keyed by these (``index_digest``), so a correction of anything
# else (an outlet, a reporter) renders no index page again. A test runs the index pages on
# documents holding only these.
INDEX_FIELDS = ("title", "date", "date_end", "date_precision", "paragraphs", "bodies",
                "people", "initiatives", "formulations", "citations")


@functools.cache
def rest_fields() -> tuple[str, ...]:
    """The fields of a document that are not ``LIGHT_FIELDS``, in the model's order."""
    return tuple(name for name in _field_names(Document) if name not in LIGHT_FIELDS)


def pack_parts(doc: Document) -> tuple[list, list]:
    """A document packed as its light fields and the rest (``LIGHT_FIELDS``)."""
    return ([pack(getattr(doc, name)) for name in LIGHT_FIELDS],
            [pack(getattr(doc, name)) for name in rest_fields()])


def index_digest(light: list, rest: list) -> str:
    """The sha256 of what the index pages read of a document (``INDEX_FIELDS``), from the
    document packed (``pack_parts``: packing is most of the cost)."""
    packed = dict(zip(LIGHT_FIELDS, light, strict=True))
    packed.update(zip(rest_fields(), rest, strict=True))
    return key_of([packed[name] for name in INDEX_FIELDS])


def unpack_parts(light: Any, rest: Any) -> Document:
    """The inverse of ``pack_parts`` (``ValueError`` or ``TypeError`` if malformed).

    >>> from policy_archive.model import Document
    >>> doc = Document("s-1", "题", None, None, "printed", None, None, None, False, None, None,
    ...                [], None, "s.txt", "ab", 1, "zh-Hans", (1, 3), [], ["段"])
    >>> unpack_parts(*json.loads(json.dumps(pack_parts(doc)))) == doc
    True
    """
    values = {**_fields_reader(LIGHT_FIELDS)(light), **_fields_reader(rest_fields())(rest)}
    obj = object.__new__(Document)
    obj.__dict__.update((name, values[name]) for name in _field_names(Document))
    return obj


def unpack_light(light: Any, rest: Callable[[], dict[str, Any]]) -> Document:
    """A document of its light fields (``pack_parts``); ``rest()`` gives the others, read
    the first time one is used (``CachedDocument``)."""
    obj = object.__new__(CachedDocument)
    obj.__dict__.update(_fields_reader(LIGHT_FIELDS)(light))
    obj.__dict__[_REST] = rest
    return obj


def unpack_rest(rest: Any) -> dict[str, Any]:
    """The fields ``pack_parts`` packed as the rest of a document, by name."""
    return _fields_reader(rest_fields())(rest)


_REST = "_cache_rest"  # where a CachedDocument keeps the function that reads the rest


class CachedDocument(Document):
    """A document read from the cache that holds its ``LIGHT_FIELDS`` only. The first use of
    another field reads the rest (``unpack_light``'s ``rest``), after which it is a plain
    ``Document``: equal, printed, copied and pickled as the document built from the seed."""

    def __getattr__(self, name: str) -> Any:  # only for what the object does not hold
        if name.startswith("__") or _REST not in self.__dict__:
            raise AttributeError(name)
        materialise(self)
        return getattr(self, name)

    def __eq__(self, other: object) -> bool:
        materialise(self)
        if isinstance(other, Document):
            materialise(other)
        return self == other

    __hash__ = None  # type: ignore[assignment]  # as Document's: it is mutable

    def __reduce_ex__(self, protocol: Any) -> Any:
        materialise(self)
        return self.__reduce_ex__(protocol)


def materialise(doc: Document) -> None:
    """Read the rest of a ``CachedDocument`` (nothing for another document). A field set
    since the document was read (its id, its citations' links) keeps its new value."""
    if type(doc) is not CachedDocument:
        return
    values = doc.__dict__.pop(_REST)()
    for name in rest_fields():
        doc.__dict__.setdefault(name, values[name])
    doc.__class__ = Document


def _fields_converter(cls: type, names: tuple[str, ...]) -> Callable[[Any], list]:
    """A function converting, in place, the packed values of the fields ``names`` of
    ``cls`` (a list parsed for this call) into their types; ``ValueError`` if malformed."""
    hints = get_type_hints(cls)
    converted = [(n, r) for n, name in enumerate(names)
                 if (r := _reader(hints[name])) is not _same]
    count = len(names)
    malformed = f"not packed fields of {cls.__name__}"

    def convert(data: Any) -> list:
        if type(data) is not list or len(data) != count:
            raise ValueError(malformed)
        for n, r in converted:
            data[n] = r(data[n])
        return data

    return convert


@functools.cache
def _fields_reader(names: tuple[str, ...]) -> Callable[[Any], dict[str, Any]]:
    """A function turning packed values of the document fields ``names`` into a dict."""
    convert = _fields_converter(Document, names)
    return lambda data: dict(zip(names, convert(data), strict=True))


def _dataclass_reader(cls: type) -> _Reader:
    names = _field_names(cls)
    convert = _fields_converter(cls, names)
    make = object.__new__

    def read(data: Any) -> Any:
        # Filled as unpickling fills it: the fields were checked when the object was made.
        obj = make(cls)
        obj.__dict__.update(zip(names, convert(data), strict=True))
        return obj

    return read


# --- the snapshot ---------------------------------------------------------------------------


class BuildCache:
    """Entries by kind and key: an index (``snapshot.jsonl``) of where each one lies in the
    pack files of ``folder``.

    A build reads the index whole (a line per entry: kind, key, pack, offset, length,
    CRC-32) and an entry's bytes only when it asks for it, so a build after one change reads
    the entries it uses, not the cache. The entries a build makes are written to a pack of
    their own; the new index names those and the entries it reused where they already lie,
    so a build writes what is new, not the cache again. Packs are merged into one when less
    than half of their bytes are still named, the small ones when there are ``MAX_PACKS``,
    and a pack no index names is deleted by the next build that saves.
    """

    NAME = "snapshot.jsonl"
    PACK_PREFIX = "pack-"
    MAX_PACKS = 8

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / self.NAME
        self._read: dict[tuple[str, str], _Location] | None = None
        self._packs: dict[str, bytes | mmap.mmap] = {}
        self._used: dict[tuple[str, str], _Location | bytes] = {}
        self._started = time.time()

    def _entries(self) -> dict[tuple[str, str], _Location]:
        if self._read is None:
            self._read = _read_index(self.path, _header())
            for pack in {where.pack for where in self._read.values()}:
                # Opened now: a pack deleted by another build later stays readable here.
                self._packs[pack] = _map(self.folder / pack)
        return self._read

    def _bytes(self, where: _Location | bytes) -> bytes | None:
        if isinstance(where, bytes):
            return where
        raw = self._packs.get(where.pack, b"")[where.offset : where.offset + where.length]
        return raw if len(raw) == where.length and zlib.crc32(raw) == where.crc else None

    def _raw(self, kind: str, key: str) -> tuple[_Location | bytes, bytes] | None:
        where = self._used.get((kind, key))
        if where is None:
            where = self._entries().get((kind, key))
        raw = None if where is None else self._bytes(where)
        return None if where is None or raw is None else (where, raw)

    def get(self, kind: str, key: str, check: Callable[[Any], Any] = _same) -> Any:
        """``check`` of the entry, or None when it is missing or ``check`` finds it malformed
        (raising ``ValueError``, ``TypeError``, ``KeyError`` or ``IndexError``)."""
        found = self._raw(kind, key)
        if found is None:
            return None
        try:
            value = check(json.loads(found[1]))
        except (ValueError, TypeError, KeyError, IndexError):
            return None
        self._used[kind, key] = found[0]
        return value

    def get_bytes(self, kind: str, key: str) -> bytes | None:
        """The UTF-8 bytes of an entry ``put_text`` stored, or None. Not decoded (a page
        written or compared as it is needs only its bytes): the CRC-32 the index holds is
        of the bytes ``put_text`` made, and the build never stores text that is not UTF-8
        (seeds and data files are decoded strictly)."""
        found = self._raw(kind, key)
        if found is None:
            return None
        self._used[kind, key] = found[0]
        return found[1]

    def keep(self, kind: str, key: str) -> bool:
        """Keep the entry, if there is one, for the next build without reading it; whether
        there is."""
        where = self._entries().get((kind, key))
        if where is not None:
            self._used.setdefault((kind, key), where)
        return where is not None

    def peek(self, kind: str, key: str) -> Any:
        """The entry as the last build left it (None if missing or unreadable), without
        keeping it for the next build."""
        where = self._entries().get((kind, key))
        raw = None if where is None else self._bytes(where)
        try:
            return None if raw is None else json.loads(raw)
        except ValueError:
            return None

    def put(self, kind: str, key: str, value: Any) -> None:
        self.put_text(kind, key, json.dumps(value, ensure_ascii=False))

    def put_text(self, kind: str, key: str, text: str) -> None:
        self.put_encoded(kind, key, text.encode("utf-8", "surrogatepass"))

    def put_encoded(self, kind: str, key: str, raw: bytes) -> None:
        """``put_text`` of the text whose UTF-8 is ``raw``."""
        where = self._entries().get((kind, key))
        # An entry made again the same (a sum over the archive that did not change) stays
        # where it is: the pack of this build holds only what is new.
        self._used[kind, key] = where if where is not None and self._bytes(where) == raw else raw

    def get_tree(self, name: str, raw: bytes, display: str,
                 error_class: type[ValueError]) -> YamlTree | None:
        """The data file ``name`` parsed, as it was when its bytes were ``raw`` (a
        ``datafiles.TreeStore``), or None."""
        return self.get("datafile", _data_file_key(name, raw),
                        lambda data: tree_from_json(data, display, error_class))

    def put_tree(self, name: str, raw: bytes, tree: YamlTree) -> None:
        try:
            value = tree_to_json(tree)
        except TypeError:
            return  # a value JSON cannot hold: the file is parsed again next time
        self.put("datafile", _data_file_key(name, raw), value)

    def save(self) -> None:
        """Write the new entries to a pack and the index of the entries this build used;
        nothing when they are those read."""
        if self._used == self._entries():
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            located = self._located(self._merging())
            # Written beside and renamed: a reader never sees half an index.
            with tempfile.NamedTemporaryFile("wb", dir=self.folder, delete=False) as handle:
                handle.write(_header().encode("utf-8") + b"\n")
                for (kind, key), where in located.items():
                    handle.write(f"{kind}\t{key}\t{where.line()}\n".encode())
            Path(handle.name).replace(self.path)
            self._delete_unnamed({where.pack for where in located.values()})
        except OSError:
            return  # a cache that cannot be written only makes the next build slower
        for pack in {where.pack for where in located.values()} - set(self._packs):
            self._packs[pack] = _map(self.folder / pack)
        self._read, self._used = located, dict(located)

    def _merging(self) -> set[str]:
        """The packs whose entries this build copies into its own: all of them when most of
        their bytes are no longer named, else, when there are too many, all but the
        largest (which holds most of the archive and stays as it is)."""
        kept = [where for where in self._used.values() if isinstance(where, _Location)]
        named = {where.pack for where in kept}
        sizes = {pack: len(self._packs.get(pack, b"")) for pack in named}
        if sum(sizes.values()) > 2 * sum(where.length for where in kept):
            return named
        if len(named) >= self.MAX_PACKS:
            return named - {max(sorted(named), key=sizes.__getitem__)}
        return set()

    def _located(self, merged: set[str]) -> dict[tuple[str, str], _Location]:
        """Every used entry's place: the new ones, and those of the ``merged`` packs,
        written to a pack of this build."""
        fresh = {name: where for name, where in self._used.items()
                 if isinstance(where, bytes) or where.pack in merged}
        out: dict[tuple[str, str], _Location] = {
            name: where for name, where in self._used.items()
            if isinstance(where, _Location) and name not in fresh}
        if not fresh:
            return out
        with tempfile.NamedTemporaryFile("wb", dir=self.folder, prefix=self.PACK_PREFIX,
                                         suffix=".bin", delete=False) as handle:
            pack, offset = Path(handle.name).name, 0
            for name, where in fresh.items():
                raw = self._bytes(where)
                if raw is None:
                    continue  # damaged since it was read: left out
                handle.write(raw + b"\n")
                out[name] = _Location(pack, offset, len(raw), zlib.crc32(raw))
                offset += len(raw) + 1
        return {name: out[name] for name in self._used if name in out}

    def _delete_unnamed(self, named: set[str]) -> None:
        """Packs no index names: those of earlier builds, and those a killed build left
        (older than this build, so a pack another build is writing now is left alone)."""
        for path in self.folder.glob(f"{self.PACK_PREFIX}*.bin"):
            with contextlib.suppress(OSError):
                if path.name not in named and path.stat().st_mtime < self._started:
                    path.unlink()


@dataclass(frozen=True)
class _Location:
    pack: str
    offset: int
    length: int
    crc: int

    def line(self) -> str:
        return f"{self.pack}\t{self.offset}\t{self.length}\t{self.crc}"


def _map(path: Path) -> bytes | mmap.mmap:
    """A pack's bytes, mapped (nothing is read until an entry is), or none if unreadable."""
    try:
        with path.open("rb") as handle:
            return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):  # missing, or empty (mmap refuses a file of 0 bytes)
        return b""


def _header() -> str:
    return json.dumps({"format": FORMAT, "code": code_fingerprint()})


def _read_index(path: Path, header: str) -> dict[tuple[str, str], _Location]:
    """The entries of an index written by this code, or none; a malformed line is skipped
    (its entry is a miss)."""
    try:
        lines = path.read_bytes().decode("utf-8", "replace").split("\n")
    except OSError:
        return {}
    if lines[0] != header:
        return {}  # another format or another code: every entry would be a miss
    entries = {}
    for line in lines[1:]:
        parts = line.split("\t")
        if len(parts) != 6 or not parts[2].startswith(BuildCache.PACK_PREFIX) or "/" in parts[2]:
            continue
        try:
            offset, length, crc = int(parts[3]), int(parts[4]), int(parts[5])
        except ValueError:
            continue
        entries[parts[0], parts[1]] = _Location(parts[2], offset, length, crc)
    return entries


def document_fingerprint(origin: str, doc: Document, context: Iterable[str]) -> str:
    """The key of what render makes of one document: where it came from (``origin``: its
    seed's key and its place in the seed, which fix its content), what the whole archive
    changed in it (its id, the documents its citations link to) and what else its page
    shows (``context``: its same-day neighbours' ids and titles)."""
    return key_of([origin, doc.id, [c.document for c in doc.citations], list(context)])
