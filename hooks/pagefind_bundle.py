"""Pagefind 1.6 bundles read, written and merged, so a site is indexed in parts.

Why: Pagefind 1.6 holds every word occurrence of every page in memory until it writes its
index (about 1.2 MB per synthetic document: 11–12 GiB at 10,000 documents), whatever its
options. Run on parts of at most K pages, one part after the other, it holds one part's;
this module then merges the parts' bundles into ONE bundle in the format Pagefind itself
writes, which Pagefind's unchanged JavaScript and WebAssembly read: a reader downloads the
same files per query as from a bundle of one run.

The format, read from Pagefind's source (``pagefind/src/index``, ``pagefind/src/output``,
``pagefind_web``) and checked on the bundles Pagefind 1.6.0 writes (``tests/test_pagefind_
bundle.py`` compares a merged bundle with Pagefind's own, decoded):

- Every index file is gzip of ``pagefind_dcd`` + a CBOR item of definite-length arrays,
  named ``<language>_<hash>``: the first 7 hex digits of the SHA-1 of the CBOR bytes, one
  digit more while another file of its kind already has the name (Pagefind writes the
  digest's bytes in hex without padding: ``0x05`` is ``5``). The client fetches files by
  name and checks only the signature.
- ``pagefind.<language>_<10 digits>.pf_meta``: ``[version, pages, index chunks, filters,
  sorts, meta fields]``; a page is ``[fragment hash, word count, fragment group]``, a chunk
  ``[from, to, hash]`` (``from``/``to`` the shortest prefixes that tell neighbouring
  chunks apart), a filter ``[name, hash]``. BM25 reads the word counts (and their mean)
  from here, and a word's number of pages from its chunk: a merge of all pages scores a
  page as one run over the same pages does.
- ``index/*.pf_index``: ``[[word, pages, variants], …]`` sorted by word, a page being
  ``[page number, locations, meta-field locations]``, each page number written as its
  difference from the one before (locations are the page's own, with
  weight markers as negative numbers: copied as they are) and a variant (the word with its
  diacritics) ``[word, pages]``. A chunk ends once its pages' locations and meta-field
  locations (+1 per page) reach 20,000, so chunks weigh alike and ``hooks/search_index.py: heavy_chunks`` finds the heavy
  ones as before.
- ``filter/*.pf_filter``: ``[name, [[value, page numbers], …]]``, values sorted, page
  numbers as they are.
- ``fragment/*.pf_fragment``: a page's JSON (url, content, filters, meta, anchors), no
  page number in it: copied as they are.

Page numbers are the only thing a merge rewrites. Pagefind numbers pages in the order its
directory walk finds them; the merge numbers them by part, then by URL within a part, so
the same site gives a byte-identical bundle on any machine and file system.

The merge streams: it reads one index chunk per part at a time (a k-way merge by word) and
writes chunks as they fill, so its memory is a few chunks, the page list and the filters.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import hashlib
import heapq
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SIGNATURE = b"pagefind_dcd"
VERSION = "1.6.0"
# Pagefind's chunk_index: a chunk closes once its words' pages' locations and meta-field
# locations (+1 per page) reach this (found on Pagefind 1.6.0's bundles: every chunk ends at
# the word that reaches it; a word's variants are not counted, as far as bundles tell).
CHUNK_LOCATIONS = 20_000
SHORT_HASH = 7
ENTRY = "pagefind-entry.json"
# Pages per Pagefind run when indexing in parts: Pagefind takes about 1.2 MB per page of the
# synthetic archive, so a part of 500 pages keeps it near 0.6 GB whatever the archive's size.
PART_PAGES = 500
# The marker hooks/search_index.py puts on a page Pagefind should index. In a run of all
# pages, pages without it are left out because others have it; a part of pages that all
# lack it would be indexed whole, so parts hold only pages that have it.
_INDEXED = re.compile(rb"<[a-z][^>]*\sdata-pagefind-body[\s>=/]")
# A page of a word, ``[page number, locations, meta-field locations]``, matched as bytes:
# its number and the heads of its two arrays are read, the integers in them (a page's
# locations, millions in a large bundle) are skipped, never decoded one by one.
_UNSIGNED = rb"([\x00-\x17]|\x18.|\x19..|\x1a.{4}|\x1b.{8})"
_INTEGER = rb"(?:[\x00-\x17\x20-\x37]|[\x18\x38].|[\x19\x39]..|[\x1a\x3a].{4}|[\x1b\x3b].{8})"
_ARRAY = rb"([\x80-\x97]|\x98.|\x99..|\x9a.{4})"
_PAGE = re.compile(rb"\x83" + _UNSIGNED + _ARRAY + _INTEGER + rb"*" + _ARRAY + _INTEGER + rb"*",
                   re.DOTALL)


class BundleError(ValueError):
    """A bundle this module cannot read or merge; the message names the file."""


def decode(data: bytes, at: int = 0) -> tuple[Any, int]:
    """One CBOR item (RFC 8949: the definite-length kinds Pagefind writes) read from
    ``data`` at ``at``; the item and where the next one starts.

    >>> decode(bytes.fromhex("8363616263186480f6"))
    (['abc', 100, []], 8)
    >>> decode(bytes.fromhex("9f"))
    Traceback (most recent call last):
    ValueError: CBOR item 0x9f at 0: not one Pagefind writes
    """
    kind, size, at = _head(data, at)
    if kind == 0:
        return size, at
    if kind == 1:
        return -1 - size, at
    if kind in (2, 3):
        raw = data[at:at + size]
        return (raw.decode("utf-8") if kind == 3 else raw), at + size
    if kind in (4, 5):
        items = []
        for _ in range(size * (kind - 3)):
            item, at = decode(data, at)
            items.append(item)
        return (items if kind == 4 else dict(zip(items[::2], items[1::2], strict=True))), at
    if kind == 7:
        return {20: False, 21: True, 22: None}.get(size, size), at
    msg = f"CBOR item {data[at - 1]:#x} at {at - 1}: not one Pagefind writes"
    raise ValueError(msg)


def _head(data: bytes, at: int) -> tuple[int, int, int]:
    """The major type and argument of the CBOR item at ``at``, and where its content starts."""
    if at >= len(data):
        msg = f"CBOR data ends at {at}"
        raise ValueError(msg)
    head = data[at]
    kind, size = head >> 5, head & 31
    if size >= 24:
        if size > 27:
            msg = f"CBOR item {head:#x} at {at}: not one Pagefind writes"
            raise ValueError(msg)
        width = 1 << (size - 24)
        return kind, int.from_bytes(data[at + 1:at + 1 + width], "big"), at + 1 + width
    return kind, size, at + 1


def _encode_head(kind: int, size: int) -> bytes:
    """A CBOR head in its shortest form, as minicbor (Pagefind's encoder) writes it.

    >>> _encode_head(0, 23).hex(), _encode_head(0, 24).hex(), _encode_head(4, 70000).hex()
    ('17', '1818', '9a00011170')
    """
    if size < 24:
        return bytes([kind << 5 | size])
    for extra, width in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if size < 1 << (8 * width):
            return bytes([kind << 5 | extra]) + size.to_bytes(width, "big")
    msg = f"CBOR argument too large: {size}"
    raise ValueError(msg)


def encode(item: Any) -> bytes:
    """CBOR of an integer, a string or a list of them (definite lengths, shortest heads);
    ``bytes`` are taken as already encoded items.

    >>> encode(["abc", 100, [], -25]).hex()
    '84636162631864803818'
    >>> decode(encode(["国家", [[3, [-25, 7]]]]))[0]
    ['国家', [[3, [-25, 7]]]]
    """
    if isinstance(item, bytes):
        return item
    if isinstance(item, bool):
        return bytes([0xF5 if item else 0xF4])
    if isinstance(item, int):
        return _encode_head(0, item) if item >= 0 else _encode_head(1, -1 - item)
    if isinstance(item, str):
        raw = item.encode("utf-8")
        return _encode_head(3, len(raw)) + raw
    if isinstance(item, list):
        return _encode_head(4, len(item)) + b"".join(encode(part) for part in item)
    msg = f"cannot encode {type(item).__name__} as Pagefind CBOR"
    raise TypeError(msg)


def full_hash(data: bytes) -> str:
    """SHA-1 of ``data`` in hex as Pagefind writes it: each byte without padding.

    >>> full_hash(b"")[:16]  # SHA-1 da39a3ee5e6b4b0d…
    'da39a3ee5e6b4bd3'
    """
    return "".join(format(byte, "x") for byte in hashlib.sha1(data).digest())


def short_name(full: str, taken: dict[str, str], length: int) -> str:
    """The shortest name of at least ``length`` characters of ``full`` that ``taken`` does
    not hold for another file (Pagefind adds one digit at a time); recorded in ``taken``.

    >>> taken = {}
    >>> short_name("zh_abcdef12", taken, 9), short_name("zh_abcdef99", taken, 9)
    ('zh_abcdef', 'zh_abcdef9')
    >>> short_name("zh_abcdef12", taken, 9)
    'zh_abcdef'
    """
    name = full[:length]
    while taken.get(name, full) != full and len(name) < len(full):
        name = full[:len(name) + 1]
    taken[name] = full
    return name


def read_payload(path: Path) -> bytes:
    """What a Pagefind index file holds: gunzipped, without its signature."""
    try:
        data = gzip.decompress(path.read_bytes())
    except (OSError, EOFError) as error:
        msg = f"{path}: not a Pagefind index file ({error})"
        raise BundleError(msg) from error
    if not data.startswith(SIGNATURE):
        msg = f"{path}: no Pagefind signature"
        raise BundleError(msg)
    return data[len(SIGNATURE):]


def read_item(path: Path) -> Any:
    """The CBOR item of a Pagefind index file."""
    payload = read_payload(path)
    try:
        item, end = decode(payload)
    except (ValueError, IndexError, UnicodeDecodeError) as error:
        msg = f"{path}: damaged Pagefind data ({error})"
        raise BundleError(msg) from error
    if end != len(payload):
        msg = f"{path}: damaged Pagefind data ({len(payload) - end} bytes after its item)"
        raise BundleError(msg)
    return item


def write_payload(path: Path, payload: bytes) -> None:
    """Write an index file as Pagefind does: gzip (best, no time stamp) of signature and
    payload, so the same payload gives the same bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(SIGNATURE + payload, compresslevel=9, mtime=0))


def _name(language: str, payload: bytes, taken: dict[str, str]) -> str:
    return short_name(f"{language}_{full_hash(payload)}", taken, len(language) + 1 + SHORT_HASH)


# --- Reading a part ------------------------------------------------------------------------


@dataclass
class Part:
    """One language of one part's bundle, with its pages numbered into the merged bundle."""

    bundle: Path
    meta: list[Any]
    # Old page number → page number in the merged bundle.
    renumber: list[int]

    @property
    def pages(self) -> list[list[Any]]:
        return self.meta[1]


def read_entry(bundle: Path) -> dict[str, Any]:
    path = bundle / ENTRY
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
        version, languages = entry["version"], entry["languages"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        msg = f"{path}: not a Pagefind entry file ({error})"
        raise BundleError(msg) from error
    if version != VERSION:
        msg = f"{path}: written by Pagefind {version}; this merge reads Pagefind {VERSION}"
        raise BundleError(msg)
    if not isinstance(languages, dict):
        msg = f"{path}: no languages"
        raise BundleError(msg)
    return entry


def read_meta(bundle: Path, language: str, entry: dict[str, Any]) -> tuple[Path, list[Any]]:
    path = bundle / f"pagefind.{entry['languages'][language]['hash']}.pf_meta"
    meta = read_item(path)
    shape = (isinstance(meta, list) and len(meta) == 6 and meta[0] == VERSION
             and all(isinstance(part, list) for part in meta[1:]))
    if not shape:
        msg = f"{path}: not the metadata of Pagefind {VERSION}"
        raise BundleError(msg)
    if meta[4]:
        msg = f"{path}: sort orders (data-pagefind-sort) are not merged"
        raise BundleError(msg)
    if any(not isinstance(page, list) or len(page) != 3 or page[2] for page in meta[1]):
        msg = f"{path}: pages in fragment groups are not merged"
        raise BundleError(msg)
    return path, meta


def fragment_path(bundle: Path, name: str) -> Path:
    return bundle / "fragment" / f"{name}.pf_fragment"


def _fragment(bundle: Path, name: str) -> tuple[str, bytes]:
    """The URL of a page and the JSON bytes of its fragment."""
    path = fragment_path(bundle, name)
    payload = read_payload(path)
    try:
        url = json.loads(payload)["url"]
    except (ValueError, KeyError, TypeError) as error:
        msg = f"{path}: not a Pagefind fragment ({error})"
        raise BundleError(msg) from error
    return str(url), payload


# --- Words -------------------------------------------------------------------------------

# A word of a part: (word, pages, variants, locations): a page is (page number in the merged
# bundle, its locations and meta-field locations as CBOR bytes), a variant (word, pages).
Pages = list[tuple[int, bytes]]
Word = tuple[str, Pages, list[tuple[str, Pages]], int]


def _expect_array(data: bytes, at: int, size: int | None = None) -> tuple[int, int]:
    kind, length, at = _head(data, at)
    if kind != 4 or (size is not None and length != size):
        msg = f"expected an array{'' if size is None else f' of {size}'} at {at}"
        raise ValueError(msg)
    return length, at


def _text(data: bytes, at: int) -> tuple[str, int]:
    kind, length, at = _head(data, at)
    if kind != 3:
        msg = f"expected a string at {at}"
        raise ValueError(msg)
    return data[at:at + length].decode("utf-8"), at + length


def _argument(head: bytes) -> int:
    """The argument of a CBOR head (a number, an array's length).

    >>> _argument(b"\\x83"), _argument(b"\\x18\\xc8"), _argument(b"\\x99\\x01\\x00")
    (3, 200, 256)
    """
    return head[0] & 31 if len(head) == 1 else int.from_bytes(head[1:], "big")


def _pages(data: bytes, at: int, renumber: list[int]) -> tuple[Pages, int, int]:
    """A word's pages renumbered, sorted by number; their size for chunking; the end.

    Pagefind 1.6 writes a word's page numbers as differences from the page before (the
    first one as it is), so a common word's list is small numbers.
    """
    count, at = _expect_array(data, at)
    pages, size, number = [], 0, 0
    for _ in range(count):
        page = _PAGE.match(data, at)
        if page is None:
            msg = f"expected a page at {at}"
            raise ValueError(msg)
        step, locations, meta_locations = page.groups()
        number += _argument(step)
        at = page.end()
        pages.append((renumber[number], data[page.end(1):at]))
        size += _argument(locations) + _argument(meta_locations) + 1
    pages.sort(key=lambda page: page[0])
    return pages, size, at


def _chunk_words(data: bytes, renumber: list[int]) -> Iterator[Word]:
    """The words of an index chunk's payload, pages renumbered (see ``Word``)."""
    _expect_array(data, 0, 1)
    count, at = _expect_array(data, 1)
    for _ in range(count):
        _length, at = _expect_array(data, at, 3)
        word, at = _text(data, at)
        pages, size, at = _pages(data, at, renumber)
        variant_count, at = _expect_array(data, at)
        variants = []
        for _ in range(variant_count):
            _length, at = _expect_array(data, at, 2)
            variant, at = _text(data, at)
            variant_pages, _size, at = _pages(data, at, renumber)
            variants.append((variant, variant_pages))
        yield word, pages, variants, size
    if at != len(data):
        msg = f"{len(data) - at} bytes after the last word"
        raise ValueError(msg)


def part_words(part: Part) -> Iterator[Word]:
    """The words of a part's bundle in order, one chunk in memory at a time."""
    previous = None
    for _first, _last, name in part.meta[2]:
        path = part.bundle / "index" / f"{name}.pf_index"
        try:
            for word in _chunk_words(read_payload(path), part.renumber):
                if previous is not None and word[0] <= previous:
                    msg = f"word {word[0]!r} out of order"
                    raise ValueError(msg)
                previous = word[0]
                yield word
        except (ValueError, IndexError, UnicodeDecodeError) as error:
            msg = f"{path}: damaged Pagefind index chunk ({error})"
            raise BundleError(msg) from error


def _encode_pages(pages: Pages) -> bytes:
    """Pages sorted by number, numbers written as differences (see ``_pages``).

    >>> decode(_encode_pages([(3, b"\\x80\\x80"), (10, b"\\x80\\x80")]))[0]
    [[3, [], []], [7, [], []]]
    """
    numbers = [0, *(number for number, _rest in pages)]
    return _encode_head(4, len(pages)) + b"".join(
        b"\x83" + _encode_head(0, number - before) + rest
        for (before, number), (_number, rest) in zip(itertools.pairwise(numbers), pages,
                                                    strict=True))


def merge_word(words: list[Word]) -> tuple[bytes, int]:
    """One word of several parts (in part order) as Pagefind encodes it, and its size.

    >>> loc = encode([5]) + encode([])
    >>> merged, size = merge_word([("国", [(2, loc)], [], 2), ("国", [(0, loc)], [], 2)])
    >>> decode(merged)[0], size  # pages 0 and 2, numbered by difference
    (['国', [[0, [5], []], [2, [5], []]], []], 4)
    >>> decode(merge_word([("国", [(2, loc)], [], 2), ("国", [(5, loc)], [], 2)])[0])[0]
    ['国', [[2, [5], []], [3, [5], []]], []]
    """
    word = words[0][0]
    pages = sorted((page for _w, part_pages, _v, _s in words for page in part_pages),
                   key=lambda page: page[0])
    variants: dict[str, Pages] = {}
    for _w, _p, part_variants, _s in words:
        for variant, variant_pages in part_variants:
            variants.setdefault(variant, []).extend(variant_pages)
    encoded_variants = _encode_head(4, len(variants)) + b"".join(
        b"\x82" + encode(variant) + _encode_pages(sorted(found, key=lambda page: page[0]))
        for variant, found in variants.items())
    size = sum(part_size for *_rest, part_size in words)
    return b"\x83" + encode(word) + _encode_pages(pages) + encoded_variants, size


def common_prefixes(last: str, first: str) -> tuple[str, str]:
    """Pagefind's names for the boundary of two neighbouring chunks: the shortest prefixes
    of the last word of one and the first word of the next that tell them apart.

    >>> common_prefixes("apple", "apricot"), common_prefixes("cath", "cathartic")
    (('app', 'apr'), ('cath', 'catha'))
    """
    common = 0
    for a, b in zip(first, last, strict=False):
        if a != b:
            break
        common += 1
    return last[:common + 1], first[:common + 1]


def merge_words(parts: list[Part], language: str, out: Path) -> list[list[str]]:
    """Merge the parts' word indexes into chunks written in ``out/index``; the chunks'
    ``[from, to, hash]`` for the metadata."""
    streams = [((word[0], index, word) for word in part_words(part))
               for index, part in enumerate(parts)]
    chunks: list[list[str]] = []
    taken: dict[str, str] = {}
    encoded: list[bytes] = []
    first = last = ""
    size = 0

    def close() -> None:
        payload = b"\x81" + _encode_head(4, len(encoded)) + b"".join(encoded)
        name = _name(language, payload, taken)
        write_payload(out / "index" / f"{name}.pf_index", payload)
        chunks.append([first, last, name])
        encoded.clear()

    group: list[Word] = []
    for word, _index, item in heapq.merge(*streams):
        if group and group[0][0] != word:
            data, word_size = merge_word(group)
            first = first if encoded else group[0][0]
            last = group[0][0]
            encoded.append(data)
            size += word_size
            if size >= CHUNK_LOCATIONS:
                close()
                size = 0
            group = []
        group.append(item)
    if group:
        data, _word_size = merge_word(group)
        first = first if encoded else group[0][0]
        last = group[0][0]
        encoded.append(data)
    if encoded:
        close()
    ranges = chunk_ranges([(first, last) for first, last, _name in chunks])
    return [[*bounds, name] for bounds, (_first, _last, name) in zip(ranges, chunks, strict=True)]


def chunk_ranges(words: list[tuple[str, str]]) -> list[list[str]]:
    """Pagefind's ``[from, to]`` of chunks holding the words ``first``–``last``: each
    boundary trimmed to ``common_prefixes``, but a ``to`` trimmed below its chunk's
    ``from`` stays the whole last word (Pagefind 1.6: a range like ``apple``–``app``
    loaded badly).

    >>> chunk_ranges([("ab", "au"), ("august", "author"), ("bbe", "bib")])
    [['ab', 'au'], ['aug', 'author'], ['b', 'bib']]
    """
    ranges = [[first, last] for first, last in words]
    for before, after in itertools.pairwise(ranges):
        last, after[0] = common_prefixes(before[1], after[0])
        before[1] = last if last >= before[0] else before[1]
    return ranges


# --- Filters -----------------------------------------------------------------------------


def merge_filters(parts: list[Part], language: str, out: Path) -> list[list[str]]:
    """Merge the parts' filter indexes (values sorted, pages renumbered and sorted) into
    ``out/filter``; the filters' ``[name, hash]`` for the metadata, sorted by name."""
    values: dict[str, dict[str, list[int]]] = {}
    for part in parts:
        for name, file_name in part.meta[3]:
            path = part.bundle / "filter" / f"{file_name}.pf_filter"
            item = read_item(path)
            try:
                filter_name, filter_values = item
                merged = values.setdefault(filter_name, {})
                for value, pages in filter_values:
                    merged.setdefault(value, []).extend(part.renumber[page] for page in pages)
            except (ValueError, TypeError, IndexError) as error:
                msg = f"{path}: not a Pagefind filter of {name!r} ({error})"
                raise BundleError(msg) from error
    taken: dict[str, str] = {}
    filters = []
    for name in sorted(values):
        payload = encode([name, [[value, sorted(pages)]
                                 for value, pages in sorted(values[name].items())]])
        file_name = _name(language, payload, taken)
        write_payload(out / "filter" / f"{file_name}.pf_filter", payload)
        filters.append([name, file_name])
    return filters


# --- Pages and the whole bundle ----------------------------------------------------------


def number_pages(parts_pages: list[tuple[Path, list[list[Any]]]]) -> Iterator[list[int]]:
    """For each part, its pages' numbers in the merged bundle: by part, then by URL."""
    offset = 0
    for bundle, pages in parts_pages:
        urls = [_fragment(bundle, page[0])[0] for page in pages]
        order = sorted(range(len(pages)), key=lambda number: (urls[number], number))
        renumber = [0] * len(pages)
        for rank, number in enumerate(order):
            renumber[number] = offset + rank
        offset += len(pages)
        yield renumber


def merge_pages(parts: list[Part], language: str, out: Path) -> list[list[Any]]:
    """Copy the fragments into ``out/fragment`` (renamed if two parts' pages share a name);
    the metadata's pages in the merged numbering."""
    numbered = sorted((part.renumber[number], part.bundle, page)
                      for part in parts for number, page in enumerate(part.pages))
    taken: dict[str, str] = {}
    pages = []
    for _number, source, (name, word_count, group) in numbered:
        _url, payload = _fragment(source, name)
        new_name = _name(language, payload, taken)
        target = fragment_path(out, new_name)
        if not target.exists():  # pages with the same fragment share its file, as in Pagefind
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(fragment_path(source, name), target)
        pages.append([new_name, word_count, group])
    return pages


def merge_language(bundles: list[Path], entries: list[dict[str, Any]], language: str,
                   out: Path) -> dict[str, Any]:
    """Merge one language of the bundles into ``out``; its entry in pagefind-entry.json."""
    metas = [(bundle, *read_meta(bundle, language, entry))
             for bundle, entry in zip(bundles, entries, strict=True)
             if language in entry["languages"]]
    fields = metas[0][2][5]
    for _bundle, path, meta in metas:
        if meta[5] != fields:
            msg = f"{path}: meta fields {meta[5]} differ from {fields} of another part"
            raise BundleError(msg)
    renumbers = number_pages([(bundle, meta[1]) for bundle, _path, meta in metas])
    parts = [Part(bundle, meta, renumber)
             for (bundle, _path, meta), renumber in zip(metas, renumbers, strict=True)]
    pages = merge_pages(parts, language, out)
    chunks = merge_words(parts, language, out)
    filters = merge_filters(parts, language, out)
    payload = encode([VERSION, pages, chunks, filters, [], fields])
    meta_hash = f"{language}_{full_hash(payload)[:len(language) + 1 + SHORT_HASH]}"
    write_payload(out / f"pagefind.{meta_hash}.pf_meta", payload)
    first = next(entry for entry in entries if language in entry["languages"])
    return {**first["languages"][language], "hash": meta_hash, "page_count": len(pages)}


def merge_bundles(bundles: list[Path], out: Path) -> None:
    """Merge Pagefind bundles of parts of a site (in page order) into one bundle ``out``.

    ``out`` must not exist. Pagefind's code files (JavaScript, WebAssembly) are copied from
    the parts; the index files are merged; pagefind-entry.json lists the merged languages.
    """
    entries = [read_entry(bundle) for bundle in bundles]
    out.mkdir(parents=True)
    languages = sorted({language for entry in entries for language in entry["languages"]})
    merged = {language: merge_language(bundles, entries, language, out)
              for language in languages}
    for bundle in bundles:
        for path in sorted(bundle.iterdir()):
            code = path.is_file() and path.suffix != ".pf_meta" and path.name != ENTRY
            if code and not (out / path.name).exists():
                shutil.copyfile(path, out / path.name)
    entry = {**entries[0], "languages": merged}
    (out / ENTRY).write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")),
                             encoding="utf-8")


# --- Indexing a site in parts --------------------------------------------------------------


def page_url(path: str) -> str:
    """The URL Pagefind gives the page at ``path`` (relative to the site).

    >>> page_url("cited/index.html"), page_url("cited/c-1/index.html"), page_url("a.html")
    ('/cited/', '/cited/c-1/', '/a.html')
    """
    return "/" + path.removesuffix("index.html")


def indexed_pages(site: Path, roots: Iterable[str]) -> list[str]:
    """The pages of ``site`` under ``roots`` that carry Pagefind's body marker, as paths
    relative to ``site`` in the order of their URLs: the order the merge numbers pages in,
    so the bundle is the same however many pages a part holds."""
    pages = set()
    for root in roots:
        for path in (site / root).glob("**/*.html"):
            with path.open("rb") as file:
                if _INDEXED.search(file.read()):
                    pages.add(path.relative_to(site).as_posix())
    return sorted(pages, key=lambda page: (page_url(page), page))


def split(pages: list[str], size: int) -> list[list[str]]:
    """Consecutive parts of at most ``size`` pages.

    >>> split(["a", "b", "c"], 2), split([], 2)
    ([['a', 'b'], ['c']], [])
    """
    return [pages[start:start + size] for start in range(0, len(pages), size)]


# A file to lock around each Pagefind run, where another process indexes another language
# at the same time and memory is short (hooks/parallel_languages.py names it, with
# extra.search_one_indexing_at_a_time): one Pagefind at a time, since Pagefind takes the
# memory, while a merge (a few MiB) runs beside the other's parts.
LOCK_ENV = "ARCHIVE_PAGEFIND_LOCK"


@contextlib.contextmanager
def pagefind_lock() -> Iterator[None]:
    """Hold the lock ``LOCK_ENV`` names, if it names one."""
    path = os.environ.get(LOCK_ENV)
    if not path:
        yield
        return
    import fcntl  # only where fork is, as the other process is: not on Windows

    with Path(path).open("ab") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        yield


def run_part(pagefind: Path, site: Path, pages: list[str], work: Path, out: Path) -> None:
    """Pagefind on some pages of ``site``: a folder of links to them, laid out as in the
    site (so URLs are the same), indexed into ``out``."""
    shutil.rmtree(work, ignore_errors=True)
    for page in pages:
        link = work / page
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to((site / page).resolve())
    try:
        with pagefind_lock():
            result = subprocess.run([str(pagefind), "--site", str(work), "--output-path",
                                     str(out), "--quiet"], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.PIPE, check=False)
    except OSError as error:
        msg = f"cannot run {pagefind}: {error.strerror}"
        raise BundleError(msg) from error
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if result.returncode != 0:
        msg = f"pagefind failed on {len(pages)} pages from {pages[0]}: " \
              f"{result.stderr.decode('utf-8', 'replace').strip()}"
        raise BundleError(msg)


def index_in_parts(pagefind: Path, site: Path, roots: Iterable[str], out: Path,
                   part_pages: int = PART_PAGES) -> int:
    """Index the pages of ``site`` under ``roots`` with Pagefind, ``part_pages`` at a time
    one part after the other, and merge the parts into the bundle ``out`` (replaced);
    the number of parts."""
    roots = list(roots)
    parts = split(indexed_pages(site, roots), part_pages)
    if not parts:
        msg = f"no page of {site} under {', '.join(roots)} is marked for Pagefind " \
              "(data-pagefind-body)"
        raise BundleError(msg)
    with tempfile.TemporaryDirectory(prefix="pagefind-parts-") as temporary:
        work = Path(temporary)
        bundles = []
        for number, pages in enumerate(parts):
            bundles.append(work / f"part-{number}")
            run_part(pagefind, site, pages, work / "site", bundles[-1])
        shutil.rmtree(out, ignore_errors=True)
        merge_bundles(bundles, out)
    return len(parts)


def main(argv: list[str] | None = None) -> int:
    """``python hooks/pagefind_bundle.py PAGEFIND SITE OUT --roots a,b --part-pages K``:
    what hooks/search_index.py runs beside the next language's build."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("pagefind", type=Path)
    parser.add_argument("site", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--roots", required=True, help="folders of the site to index, a,b,…")
    parser.add_argument("--part-pages", type=int, default=PART_PAGES)
    args = parser.parse_args(argv)
    if args.part_pages < 1:
        parser.error("--part-pages must be at least 1")
    try:
        index_in_parts(args.pagefind, args.site, args.roots.split(","), args.out,
                       args.part_pages)
    except BundleError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
