"""Rendering documents to files: pages, listing, dataset. Returns contents; ``output`` writes."""

from __future__ import annotations

from collections.abc import Iterable

from policy_archive.pipeline import Document
from policy_archive.registry import Entry, extend, registry_json
from policy_archive.render.dataset import dataset_json
from policy_archive.render.indexes import (
    bodies_pages,
    cited_pages,
    dates_pages,
    initiatives_pages,
    people_pages,
)
from policy_archive.render.listing import documents_index
from policy_archive.render.markdown import document_page, same_day
from policy_archive.render.search_terms import jieba_user_dictionary, search_terms_json
from policy_archive.site_contract import (
    DATASET,
    JIEBA_USER_DICTIONARY,
    PERMANENT_IDS,
    SEARCH_TERMS,
)


def render_archive(documents: list[Document], published: Iterable[Entry] = ()) -> dict[str, str]:
    """Every generated file, as relative path (POSIX) → text.

    ``published`` is the registry of permanent ids the docs folder holds (``registry.load``);
    it comes back extended, or ``RegistryError`` names the published URL the build would break.
    """
    files: dict[str, str] = {PERMANENT_IDS: registry_json(extend(published, documents))}
    neighbours = same_day(documents)
    for doc in documents:
        files[f"documents/{doc.id}.md"] = document_page(doc, neighbours.get(doc.id, (None, None)))
    files["documents/index.md"] = documents_index(documents)
    files[DATASET] = dataset_json(documents)
    for pages in (bodies_pages, dates_pages, initiatives_pages, people_pages, cited_pages):
        files.update(pages(documents))
    # Read by Material's search (mkdocs.yml: plugins.search.jieba_dict_user) and the search hook.
    files[JIEBA_USER_DICTIONARY] = jieba_user_dictionary(documents)
    files[SEARCH_TERMS] = search_terms_json(documents)
    return files
