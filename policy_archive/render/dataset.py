"""The machine-readable dataset ``docs/data/documents.json``: the contract other tools read.

Field names are a public contract (``schema_version`` 1): add fields, never rename them.
"""

from __future__ import annotations

import json

from policy_archive.pipeline import Document
from policy_archive.render.markdown import front_matter

SCHEMA_VERSION = 1


def document_record(doc: Document) -> dict[str, object]:
    """One document as a dataset record: the front matter plus url and paragraphs."""
    record = front_matter(doc)
    record["url"] = doc.url
    record["paragraphs"] = list(doc.paragraphs)
    if doc.paragraphs_original is not None:
        record["paragraphs_original"] = list(doc.paragraphs_original)
    if doc.headline_original is not None:
        record["headline_original"] = dict(doc.headline_original)
    record["credit"] = doc.credit
    record["removed"] = [{"line": r.line, "text": r.text, "step": r.step} for r in doc.removed]
    return record


def dataset_json(documents: list[Document]) -> str:
    """The dataset as JSON text: documents in id order, keys in a fixed order, UTF-8."""
    records = [document_record(d) for d in sorted(documents, key=lambda d: d.id)]
    payload = {"schema_version": SCHEMA_VERSION, "documents": records}
    return json.dumps(payload, ensure_ascii=False, indent=1) + "\n"
