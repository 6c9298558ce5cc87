"""Rendering documents to files: pages, listing, dataset. Returns contents; ``output`` writes."""

from __future__ import annotations

from policy_archive.cache import JsonCache, document_key
from policy_archive.model import Document
from policy_archive.render.dataset import dataset_json, record_text
from policy_archive.render.indexes import (
    bodies_pages,
    cited_pages,
    dates_pages,
    initiatives_pages,
    people_pages,
)
from policy_archive.render.listing import documents_index
from policy_archive.render.markdown import document_page
from policy_archive.render.search_terms import jieba_user_dictionary, search_terms_json
from policy_archive.site_contract import DATASET, JIEBA_USER_DICTIONARY, SEARCH_TERMS


def render_archive(documents: list[Document], cache: JsonCache | None = None) -> dict[str, str]:
    """Every generated file, as relative path (POSIX) → text.

    A document's page and dataset record depend on the document alone, so with ``cache``
    they are rendered once per content (``document_key``) and reused; the indexes, which
    depend on every document, are rendered each time.
    """
    files: dict[str, str] = {}
    records: dict[str, str] = {}
    for doc in documents:
        key = document_key(doc) if cache else ""
        hit = cache.get(key) if cache else None
        if isinstance(hit, list) and len(hit) == 2 and all(isinstance(t, str) for t in hit):
            page, record = hit
        else:
            page, record = document_page(doc), record_text(doc)
            if cache:
                cache.put(key, [page, record])
        files[f"documents/{doc.id}.md"] = page
        records[doc.id] = record
    files["documents/index.md"] = documents_index(documents)
    files[DATASET] = dataset_json(documents, records)
    for pages in (bodies_pages, dates_pages, initiatives_pages, people_pages, cited_pages):
        files.update(pages(documents))
    # Read by Material's search (mkdocs.yml: plugins.search.jieba_dict_user) and the search hook.
    files[JIEBA_USER_DICTIONARY] = jieba_user_dictionary(documents)
    files[SEARCH_TERMS] = search_terms_json(documents)
    return files
