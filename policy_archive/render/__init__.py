"""Rendering documents to files: pages, listing, dataset. Returns contents; ``output`` writes."""

from __future__ import annotations

from policy_archive.pipeline import Document
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
from policy_archive.render.script_table import script_table_json
from policy_archive.site_contract import DATASET, SCRIPT_TABLE


def render_archive(documents: list[Document]) -> dict[str, str]:
    """Every generated file, as relative path (POSIX) → text."""
    files: dict[str, str] = {}
    for doc in documents:
        files[f"documents/{doc.id}.md"] = document_page(doc)
    files["documents/index.md"] = documents_index(documents)
    files[DATASET] = dataset_json(documents)
    for pages in (bodies_pages, dates_pages, initiatives_pages, people_pages, cited_pages):
        files.update(pages(documents))
    # The search box reads a query typed in either script through this table (search hook).
    pages = [text for path, text in sorted(files.items()) if path.endswith(".md")]
    files[SCRIPT_TABLE] = script_table_json(pages)
    return files
