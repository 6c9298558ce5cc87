"""Rendering documents to files: pages, listing, dataset. Returns contents; ``output`` writes."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from policy_archive.cache import (
    BuildCache,
    code_fingerprint,
    document_fingerprint,
    file_digest,
    key_of,
)
from policy_archive.model import Document
from policy_archive.pipeline import map_in_order
from policy_archive.registry import Entry, extend, registry_json
from policy_archive.render.dataset import dataset_json, record_text
from policy_archive.render.indexes import (
    Memo,
    bodies_pages,
    cited_pages,
    dates_pages,
    initiatives_pages,
    people_pages,
)
from policy_archive.render.listing import documents_index
from policy_archive.render.markdown import document_page, front_matter, same_day
from policy_archive.render.output import Content, Unchanged, content_text
from policy_archive.render.script_table import (
    aligned_pairs,
    pack_pairs,
    page_pairs,
    script_table_json,
    sum_packed,
    unpack_pairs,
)
from policy_archive.seen import SeenFiles
from policy_archive.site_contract import DATASET, PERMANENT_IDS, SCRIPT_TABLE

# A line of an index page that quotes a document (keyword in context).
QUOTED_LINE = '<p class="kwic">'

Neighbours = tuple[Document | None, Document | None]
IndexPages = Callable[[list[Document], Memo], dict[str, str]]
# The index pages, by family: each family is a function of the documents' index fields.
INDEX_FAMILIES: tuple[tuple[str, IndexPages], ...] = (
    ("bodies", bodies_pages), ("dates", dates_pages), ("initiatives", initiatives_pages),
    ("people", people_pages), ("cited", cited_pages))


def render_archive(documents: list[Document], published: Iterable[Entry] = (),
                   cache: BuildCache | None = None, origins: Sequence[str] = (),
                   jobs: int = 1, progress: bool = False, *,
                   digests: Sequence[str] = (), seen: SeenFiles | None = None
                   ) -> dict[str, Content]:
    """Every generated file, as relative path (POSIX) → text, or the UTF-8 bytes of the text
    for a file read from the cache (``output.write_docs`` compares and writes bytes: an
    unchanged page is never decoded).

    ``published`` is the registry of permanent ids the docs folder holds (``registry.load``);
    it comes back extended, or ``RegistryError`` names the published URL the build would break.
    A document's page, dataset record and script pairs depend on the document and its
    same-day neighbours alone: they are rendered on ``jobs`` processes and, with ``cache``
    and the documents' ``origins`` (``BuildResult.origins``), once per content
    (``document_fingerprint``). With the documents' ``digests`` (``BuildResult.digests``)
    too, an index page is rendered again only when what it reads of a document it lists
    changed (``indexes.Memo``), and a family of index pages none of whose documents changed
    so is taken whole from the cache without reading the documents (``_index_family``).
    The output is the same whatever the cache holds. With the cache, ``seen`` (docs/'s
    ``SeenFiles``) tells the files docs/ holds already as they would be made: those come
    back ``Unchanged``, not read (``_stored``).
    ``progress`` shows the document pages rendered on the terminal.
    """
    if cache is None:
        seen = None  # the identities of files are cache keys
    files: dict[str, Content] = {
        PERMANENT_IDS: _registry_text(extend(published, documents), cache, seen)}
    neighbours = same_day(documents)
    around = [neighbours.get(doc.id, (None, None)) for doc in documents]
    keys = ([document_fingerprint(origin, doc, _context(near))
             for origin, doc, near in zip(origins, documents, around, strict=True)]
            if cache is not None and origins else [])
    rendered: list[list | None] = (
        [_cached_document(cache, key, _page_path(doc), seen) for key, doc in zip(
            keys, documents, strict=True)]
        if cache is not None and keys else [None] * len(documents))
    missing = [n for n, entry in enumerate(rendered) if entry is None]
    fingerprints = (_index_fingerprints(documents, digests)
                    if cache is not None and digests else None)
    memo = Memo(cache, fingerprints)
    indexes: dict[str, Content] = {}
    family_keys: list[str] = []

    def index_pages() -> None:  # they need the documents, not their pages
        for name, pages in INDEX_FAMILIES:
            made, key = _index_family(name, pages, documents, memo, seen)
            indexes.update(made)
            family_keys.append(key)

    # Index pages are made here while the workers render the document pages.
    made = map_in_order(_render_document, [(documents[n], around[n]) for n in missing], jobs,
                        progress, "page", meanwhile=index_pages)
    for n, entry in zip(missing, made, strict=True):
        rendered[n] = entry
        if cache is not None and keys:
            _expect(seen, _page_path(documents[n]), "page", keys[n])
            cache.put_text("page", keys[n], entry[0])
            cache.put_text("record", keys[n], entry[1])
            cache.put("pairs", keys[n], entry[2])
    records: dict[str, Content] = {}
    for doc, entry in zip(documents, rendered, strict=True):
        assert entry is not None
        files[_page_path(doc)] = entry[0]
        records[doc.id] = entry[1]
    files["documents/index.md"] = documents_index(documents)
    files[DATASET] = dataset_json(documents, records)
    files.update(indexes)
    # The search box reads a query typed in either script through this table (search hook):
    # the pairs of every document page, and of the index pages only their own lines, each
    # once: the contexts they quote are document text, counted already.
    pairs = _document_pairs(rendered, keys, cache)
    pairs.update(_own_pairs(files, family_keys, cache))
    files[SCRIPT_TABLE] = script_table_json(pairs)
    return files


def _page_path(doc: Document) -> str:
    return f"documents/{doc.id}.md"


def _stored(cache: BuildCache, kind: str, key: str, rel: str,
            seen: SeenFiles | None) -> Content | None:
    """The file ``rel`` made of the cache entry (``kind``, ``key``): ``Unchanged`` when docs/
    holds it already as the last build saw it (``seen``; the entry is kept, not read), else
    the entry's bytes, or None when the entry is missing."""
    if seen is not None:
        _expect(seen, rel, kind, key)
        info = seen.holds(rel, f"{kind}:{key}")
        if info is not None and cache.keep(kind, key):
            return Unchanged(f"{os.fspath(seen.folder)}/{rel}", info)
    return cache.get_bytes(kind, key)


def _expect(seen: SeenFiles | None, rel: str, kind: str, key: str) -> None:
    """Note for the writer that ``rel`` holds the cache entry (``kind``, ``key``)."""
    if seen is not None:
        seen.expect(rel, f"{kind}:{key}")


def _registry_text(entries: list[Entry], cache: BuildCache | None,
                   seen: SeenFiles | None) -> Content:
    """``registry_json`` of ``entries``; with a cache, the last build's text when the entries
    are the same (the JSON encoder with indentation is pure Python)."""
    if cache is None:
        return registry_json(entries)
    key = key_of([code_fingerprint(), [[e.id, e.added, e.seed_sha256, list(e.lines), e.redirect,
                                      e.reason] for e in entries]])
    text = _stored(cache, "registry", key, PERMANENT_IDS, seen)
    if text is None:
        text = registry_json(entries)
        cache.put_text("registry", key, text)
    return text


def _index_fingerprints(documents: list[Document], digests: Sequence[str]) -> dict[str, str]:
    """Each document's index fingerprint, by id: what the index pages read of it (its
    ``cache.index_digest``), its id and where its citations link, and the code."""
    code = code_fingerprint()
    return {doc.id: key_of([code, digest, doc.id, [c.document for c in doc.citations]])
            for doc, digest in zip(documents, digests, strict=True)}


def _index_family(name: str, pages: IndexPages, documents: list[Document],
                  memo: Memo, seen: SeenFiles | None = None) -> tuple[dict[str, Content], str]:
    """The pages of one family of indexes. With a cache, the family is keyed by its
    documents' index fingerprints in order: when none changed, its files come from the
    last build as bytes (each text an entry of its own, by its sha256, so an unchanged page
    is stored once) and the entries its pages were made of are kept for a later build;
    otherwise its pages are made through ``memo``, page by page. A page docs/ holds already
    (``seen``) is not read."""
    cache = memo.cache
    if cache is None:
        return pages(documents, memo), ""
    # The code too: with no documents, the pages are a function of the code alone.
    key = key_of([name, code_fingerprint(), [memo.fingerprints[doc.id] for doc in documents]])
    kept = cache.get("indexes", key, _checked_family)
    if kept is not None:
        found = {path: _stored(cache, "text", text_key, path, seen)
                 for path, text_key in kept[0].items()}
        if all(entry is not None for entry in found.values()):
            for kind, used in kept[1]:
                cache.keep(kind, used)
            return found, key  # type: ignore[return-value]
    memo.used.clear()
    files: dict[str, Content] = dict(pages(documents, memo))
    names = {}
    for path, text in files.items():
        raw = text.encode("utf-8", "surrogatepass")  # type: ignore[union-attr]
        names[path] = file_digest(raw)
        _expect(seen, path, "text", names[path])
        # Named by its content: an entry of that name holds it already (if damaged since,
        # it is a miss next time).
        if not cache.keep("text", names[path]):
            cache.put_encoded("text", names[path], raw)
    cache.put("indexes", key, [names, memo.used])
    return files, key


def _checked_family(entry: Any) -> tuple[dict[str, str], list[list[str]]]:
    names, used = entry
    if not (isinstance(names, dict) and all(isinstance(k, str) and isinstance(v, str)
                                            for k, v in names.items())
            and all(isinstance(kind, str) and isinstance(key, str) for kind, key in used)):
        msg = "not a family of index pages"
        raise TypeError(msg)
    return names, used


def _context(around: Neighbours) -> list[str]:
    return [f"{d.id}\n{d.title}" if d else "" for d in around]


def _render_document(item: tuple[Document, Neighbours]) -> list:
    """[page, dataset record, packed script pairs] of one document (it runs in a worker)."""
    doc, around = item
    matter = front_matter(doc)  # the page's and the record's
    page = document_page(doc, around, matter)
    return [page, record_text(doc, matter), page_pairs(page)]


def _cached_document(cache: BuildCache, key: str, rel: str,
                     seen: SeenFiles | None) -> list | None:
    """[page, dataset record, None] of a document rendered before, as their UTF-8 bytes
    (its script pairs are read only where they are needed: ``_document_pairs``), the page
    ``Unchanged`` when docs/ holds it already (``seen``), or None."""
    record = cache.get_bytes("record", key)
    page = _stored(cache, "page", key, rel, seen) if record is not None else None
    return None if page is None else [page, record, None]


def _checked_pairs(packed: Any) -> list:
    """A cached document's packed script pairs, their shape checked, so summing them cannot
    fail."""
    simplified, traditional, counts = packed
    # The sum of integers only is an integer (a float makes it one, a string fails).
    if not (isinstance(simplified, str) and isinstance(traditional, str)
            and isinstance(counts, list) and len(simplified) == len(traditional) == len(counts)
            and isinstance(sum(counts), int)):
        msg = "not packed script pairs"
        raise TypeError(msg)
    return packed


def _document_pairs(rendered: list[list | None], keys: list[str],
                    cache: BuildCache | None) -> Counter[tuple[str, str]]:
    """The pairs of every document page, summed. With a cache, the last build's sum is
    corrected by the pages that left and came (a changed seed costs its own pages); the
    pairs of a page come from the cache, or from its text when the cache lacks them."""

    def pairs_of(n: int) -> list:
        entry = rendered[n]
        assert entry is not None
        if entry[2] is None and cache is not None and keys:
            entry[2] = cache.get("pairs", keys[n], _checked_pairs)
        if entry[2] is None:
            entry[2] = page_pairs(content_text(entry[0]))
            if cache is not None and keys:
                cache.put("pairs", keys[n], entry[2])
        return entry[2]

    state = cache.peek("pairs", "documents") if cache is not None and keys else None
    total: Counter[tuple[str, str]] | None = None
    if isinstance(state, list) and len(state) == 2:
        before, now = Counter(state[0]), Counter(keys)
        came = now - before
        position = {key: n for n, key in enumerate(keys) if key in came}
        total = _corrected(state[1], before - now, came, cache,
                           lambda key: pairs_of(position[key]))
    if total is None:
        total = sum_packed(pairs_of(n) for n in range(len(rendered)))
    if cache is not None and keys:
        for n, key in enumerate(keys):
            if rendered[n][2] is None:  # type: ignore[index]
                cache.keep("pairs", key)  # for the build that takes this page out
        cache.put("pairs", "documents", [sorted(keys), pack_pairs(total)])
    return total


def _corrected(packed_total: Any, gone: Counter[str], came: Counter[str], cache: BuildCache,
               pairs_of: Callable[[str], list]) -> Counter[tuple[str, str]] | None:
    """The last build's total with the pages that left taken out and those that came added;
    None when an entry it needs is missing (the caller sums everything)."""
    try:
        total = unpack_pairs(packed_total)
        for key, times in gone.items():
            entry = cache.peek("pairs", key)
            if entry is None:
                return None
            for pair, n in unpack_pairs(_checked_pairs(entry)).items():
                total[pair] -= n * times
        for key, times in came.items():
            for pair, n in unpack_pairs(pairs_of(key)).items():
                total[pair] += n * times
    except (ValueError, TypeError, KeyError, IndexError):
        return None
    if any(n < 0 for n in total.values()):
        return None
    return +total


def _own_pairs(files: dict[str, Content], family_keys: list[str],
               cache: BuildCache | None) -> Counter[tuple[str, str]]:
    """The pairs of the index pages' own lines. With a cache, they are the last build's
    when the families of index pages are those it made (``_index_family``: their keys
    are the same); else only the lines that are new since the last build are converted
    (and those that went are taken out)."""
    if cache is not None and all(family_keys):
        kept = cache.peek("pairs", "index-families")
        if (isinstance(kept, list) and len(kept) == 2 and kept[0] == family_keys
                and isinstance(total := _unpacked_total(kept[1]), Counter)):
            cache.keep("pairs", "index-families")
            cache.keep("pairs", "index-lines")
            return total
    lines = {line for path, text in files.items()
             if path.endswith(".md") and not path.startswith("documents/")
             for line in content_text(text).splitlines() if not line.startswith(QUOTED_LINE)}
    total = _lines_pairs(lines, cache)
    if cache is not None and all(family_keys):
        cache.put("pairs", "index-families", [family_keys, pack_pairs(total)])
    return total


def _unpacked_total(packed: Any) -> Counter[tuple[str, str]] | None:
    """Packed pairs as a count, or None when malformed or a count is not positive."""
    try:
        total = unpack_pairs(packed)
    except (ValueError, TypeError):
        return None
    return total if all(isinstance(n, int) and n > 0 for n in total.values()) else None


def _lines_pairs(lines: set[str], cache: BuildCache | None) -> Counter[tuple[str, str]]:
    """The pairs of ``lines``; with a cache, only the lines that are new since the last
    build are converted (and those that went are taken out)."""
    state = cache.peek("pairs", "index-lines") if cache is not None else None
    total: Counter[tuple[str, str]] | None = None
    if isinstance(state, list) and len(state) == 2 and isinstance(state[0], list):
        before = set(state[0])
        try:
            total = unpack_pairs(state[1])
            total.subtract(aligned_pairs(sorted(before - lines)))
            total.update(aligned_pairs(sorted(lines - before)))
        except (ValueError, TypeError):
            total = None
        if total is not None and any(n < 0 for n in total.values()):
            total = None
    total = +total if total is not None else aligned_pairs(sorted(lines))
    if cache is not None:
        cache.put("pairs", "index-lines", [sorted(lines), pack_pairs(total)])
    return total
