"""Rendering documents to files: pages, listing, dataset. Returns contents; ``output`` writes."""

from __future__ import annotations

from collections.abc import Iterable

from policy_archive.cache import JsonCache, document_key
from policy_archive.model import Document
from policy_archive.registry import Entry, extend, registry_json
from policy_archive.render.dataset import dataset_json, record_text
from policy_archive.render.indexes import (
    bodies_pages,
    cited_pages,
    dates_pages,
    initiatives_pages,
    people_pages,
)
from policy_archive.render.listing import documents_index
from policy_archive.render.markdown import document_page, same_day
from policy_archive.render.script_table import page_pairs, script_table_json
from policy_archive.site_contract import DATASET, PERMANENT_IDS, SCRIPT_TABLE

# A line of an index page that quotes a document (keyword in context).
QUOTED_LINE = '<p class="kwic">'


def render_archive(documents: list[Document], published: Iterable[Entry] = (),
                   cache: JsonCache | None = None) -> dict[str, str]:
    """Every generated file, as relative path (POSIX) → text.

    ``published`` is the registry of permanent ids the docs folder holds (``registry.load``);
    it comes back extended, or ``RegistryError`` names the published URL the build would break.
    A document's page and dataset record depend on the document and its same-day neighbours
    alone, so with ``cache`` they are rendered once per content (``document_key``) and reused;
    the indexes, which depend on every document, are rendered each time.
    """
    files: dict[str, str] = {PERMANENT_IDS: registry_json(extend(published, documents))}
    records: dict[str, str] = {}
    pairs: list[list] = []  # characters of each page in both scripts (the search's table)
    neighbours = same_day(documents)
    for doc in documents:
        around = neighbours.get(doc.id, (None, None))
        context = [f"{d.id}\n{d.title}" if d else "" for d in around]
        key = document_key(doc, context) if cache else ""
        hit = cache.get(key) if cache else None
        if (isinstance(hit, list) and len(hit) == 3 and isinstance(hit[0], str)
                and isinstance(hit[1], str) and isinstance(hit[2], list)):
            page, record, page_table = hit
        else:
            page, record = document_page(doc, around), record_text(doc)
            page_table = page_pairs(page)
            if cache:
                cache.put(key, [page, record, page_table])
        pairs += page_table
        files[f"documents/{doc.id}.md"] = page
        records[doc.id] = record
    files["documents/index.md"] = documents_index(documents)
    files[DATASET] = dataset_json(documents, records)
    for pages in (bodies_pages, dates_pages, initiatives_pages, people_pages, cited_pages):
        files.update(pages(documents))
    # The search box reads a query typed in either script through this table (search hook).
    # Document pages are counted once per content (the render cache keeps each page's
    # pairs); of the index pages only their own lines, each once: the contexts they quote
    # are document text, counted already.
    own_lines = sorted({line for path, text in files.items()
                        if path.endswith(".md") and not path.startswith("documents/")
                        for line in text.splitlines() if not line.startswith(QUOTED_LINE)})
    files[SCRIPT_TABLE] = script_table_json(own_lines, pairs)
    return files
