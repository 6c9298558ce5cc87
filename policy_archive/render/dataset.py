"""The machine-readable dataset ``docs/data/documents.json``: the contract other tools read.

Field names are a public contract (``schema_version`` 1): add fields, never rename them.
"""

from __future__ import annotations

import json

from policy_archive.model import Document
from policy_archive.render.markdown import front_matter
from policy_archive.render.output import Content, content_bytes
from policy_archive.site_contract import SCHEMA_VERSION


def document_record(doc: Document, matter: dict[str, object] | None = None) -> dict[str, object]:
    """One document as a dataset record: the front matter (``matter``, where the caller has
    it: left as it is) plus url and paragraphs."""
    record = front_matter(doc) if matter is None else dict(matter)
    record["url"] = doc.url
    record["paragraphs"] = list(doc.paragraphs)
    if doc.paragraphs_original is not None:
        record["paragraphs_original"] = list(doc.paragraphs_original)
    if doc.headline_original is not None:
        record["headline_original"] = dict(doc.headline_original)
    record["credit"] = doc.credit
    record["removed"] = [{"line": r.line, "text": r.text, "step": r.step} for r in doc.removed]
    return record


def record_text(doc: Document, matter: dict[str, object] | None = None) -> str:
    """One record as it stands in the dataset file (indented for its place in the list), so
    a record rendered once can be reused by the next build (``matter``: its front matter,
    where the caller has it)."""
    return indented_json(document_record(doc, matter), "  ")


def indented_json(value: object, indent: str = "") -> str:
    """``json.dumps(value, ensure_ascii=False, indent=1)`` with ``indent`` before each line.

    ``json`` writes indented text with its pure-Python encoder (its C one never indents);
    records hold only strings, numbers, booleans, None, lists and dicts with string keys,
    which are written here with the C string encoder. Anything else is left to ``json``.

    >>> print(indented_json({"id": "a-1", "n": [1, None, True], "e": {}, "t": "引“号”"}))
    {
     "id": "a-1",
     "n": [
      1,
      null,
      true
     ],
     "e": {},
     "t": "引“号”"
    }
    """
    out = [indent]
    if not _write(value, indent, out):
        text = json.dumps(value, ensure_ascii=False, indent=1)
        return "\n".join(indent + line for line in text.split("\n"))
    return "".join(out)


_encode_string = json.encoder.encode_basestring  # the C encoder where there is one
_CONSTANTS = {None: "null", True: "true", False: "false"}


def _write(value: object, indent: str, out: list[str]) -> bool:
    """Append ``value`` as ``indented_json`` writes it (its first line's indent written by
    the caller); False when it holds a value ``json`` is left to write."""
    kind = type(value)
    if kind is str:
        out.append(_encode_string(value))
    elif value is None or kind is bool:
        out.append(_CONSTANTS[value])
    elif kind is int:
        out.append(int.__repr__(value))
    elif kind is list or kind is dict:
        if not value:
            out.append("[]" if kind is list else "{}")
            return True
        inner = indent + " "
        if kind is list and set(map(type, value)) == {str}:  # paragraphs: one join
            out.append(f"[\n{inner}" + f",\n{inner}".join(map(_encode_string, value))
                       + f"\n{indent}]")
            return True
        out.append("[" if kind is list else "{")
        items = ((None, v) for v in value) if kind is list else value.items()
        for n, (key, item) in enumerate(items):
            out.append(",\n" if n else "\n")
            out.append(inner)
            if kind is dict:
                if type(key) is not str:
                    return False
                out.append(_encode_string(key))
                out.append(": ")
            if not _write(item, inner, out):
                return False
        out.append("\n" + indent + ("]" if kind is list else "}"))
    else:
        return False
    return True


def dataset_json(documents: list[Document],
                 records: dict[str, Content] | None = None) -> Content:
    """The dataset as JSON text: documents in id order, keys in a fixed order, UTF-8.

    ``records`` holds record texts already rendered (``record_text``), by document id; the
    text is the same as ``json.dumps`` of the whole payload with ``indent=1``. When one of
    them is given as its UTF-8 bytes (read from the build cache), the dataset is too: the
    records are joined as bytes, not decoded.
    """
    records = records or {}
    texts = [records.get(d.id) or record_text(d) for d in sorted(documents, key=lambda d: d.id)]
    if not texts:
        payload = {"schema_version": SCHEMA_VERSION, "documents": []}
        return json.dumps(payload, ensure_ascii=False, indent=1) + "\n"
    head = f'{{\n "schema_version": {SCHEMA_VERSION},\n "documents": [\n'
    tail = "\n ]\n}\n"
    if any(isinstance(text, bytes) for text in texts):
        # Head and tail joined to the first and last record: the dataset (tens of MB) is
        # copied once.
        parts = [content_bytes(text) for text in texts]
        parts[0] = head.encode() + parts[0]
        parts[-1] += tail.encode()
        return b",\n".join(parts)
    return head + ",\n".join(texts) + tail  # type: ignore[arg-type]
