"""Rendering documents to files: pages, listing, dataset. Returns contents; ``output`` writes."""

from __future__ import annotations

from policy_archive.pipeline import Document
from policy_archive.render.dataset import dataset_json
from policy_archive.render.indexes import (
    bodies_pages,
    cited_pages,
    dates_pages,
    initiatives_pages,
    jieba_user_dictionary,
    people_pages,
)
from policy_archive.render.listing import documents_index
from policy_archive.render.markdown import document_page

# Folders of docs/ the build owns. Hand-written pages live anywhere else.
GENERATED_ROOTS = ("documents", "data", "bodies", "dates", "initiatives", "people", "cited")


def render_archive(documents: list[Document]) -> dict[str, str]:
    """Every generated file, as relative path (POSIX) → text."""
    files: dict[str, str] = {}
    for doc in documents:
        files[f"documents/{doc.id}.md"] = document_page(doc)
    files["documents/index.md"] = documents_index(documents)
    files["data/documents.json"] = dataset_json(documents)
    for pages in (bodies_pages, dates_pages, initiatives_pages, people_pages, cited_pages):
        files.update(pages(documents))
    # Read by Material's search (mkdocs.yml: plugins.search.jieba_dict_user).
    files["data/jieba_userdict.txt"] = jieba_user_dictionary(documents)
    return files
