"""The dataset validates against schema/documents.schema.json."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from policy_archive.render.dataset import dataset_json

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "schema" / "documents.schema.json").read_text(encoding="utf-8"))


def test_schema_is_valid():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_built_dataset_validates(built):
    jsonschema.validate(json.loads(dataset_json(built.documents)), SCHEMA)


def test_committed_dataset_validates():
    data = json.loads((ROOT / "docs" / "data" / "documents.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA)


def test_schema_rejects_an_unknown_role():
    data = json.loads((ROOT / "docs" / "data" / "documents.json").read_text(encoding="utf-8"))
    data["documents"][0]["bodies"] = [{"name": "x", "slug": "x", "role": "x", "printed": "x"}]
    validator = jsonschema.Draft202012Validator(SCHEMA)
    assert not validator.is_valid(data)
