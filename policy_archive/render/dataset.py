"""The machine-readable dataset ``docs/data/documents.json``: the contract other tools read.

Field names are a public contract (``schema_version`` 1): add fields, never rename them.
"""

from __future__ import annotations

import json

from policy_archive.model import Document
from policy_archive.render.markdown import front_matter
from policy_archive.site_contract import SCHEMA_VERSION


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


def record_text(doc: Document) -> str:
    """One record as it stands in the dataset file (indented for its place in the list), so
    a record rendered once can be reused by the next build."""
    text = json.dumps(document_record(doc), ensure_ascii=False, indent=1)
    return "\n".join("  " + line for line in text.split("\n"))


def dataset_json(documents: list[Document], records: dict[str, str] | None = None) -> str:
    """The dataset as JSON text: documents in id order, keys in a fixed order, UTF-8.

    ``records`` holds record texts already rendered (``record_text``), by document id; the
    text is the same as ``json.dumps`` of the whole payload with ``indent=1``.
    """
    records = records or {}
    texts = [records.get(d.id) or record_text(d) for d in sorted(documents, key=lambda d: d.id)]
    if not texts:
        payload = {"schema_version": SCHEMA_VERSION, "documents": []}
        return json.dumps(payload, ensure_ascii=False, indent=1) + "\n"
    return (f'{{\n "schema_version": {SCHEMA_VERSION},\n "documents": [\n'
            + ",\n".join(texts) + "\n ]\n}\n")
