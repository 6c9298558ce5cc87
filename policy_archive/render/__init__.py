"""Rendering documents to files: pages, listing, dataset. Returns contents; ``output`` writes."""

from __future__ import annotations

from policy_archive.model import Document
from policy_archive.render.dataset import dataset_json
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


def render_archive(documents: list[Document]) -> dict[str, str]:
    """Every generated file, as relative path (POSIX) → text."""
    files: dict[str, str] = {}
    for doc in documents:
        files[f"documents/{doc.id}.md"] = document_page(doc)
    files["documents/index.md"] = documents_index(documents)
    files[DATASET] = dataset_json(documents)
    for pages in (bodies_pages, dates_pages, initiatives_pages, people_pages, cited_pages):
        files.update(pages(documents))
    # Read by Material's search (mkdocs.yml: plugins.search.jieba_dict_user) and the search hook.
    files[JIEBA_USER_DICTIONARY] = jieba_user_dictionary(documents)
    files[SEARCH_TERMS] = search_terms_json(documents)
    return files
