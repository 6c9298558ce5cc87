"""Loading the data files in ``policy_archive/data/`` (lexicons, layout cues, artefacts).

Data files are read once per process. A malformed file raises ``DataFileError`` naming the
file and the key, so a contributor who edits a lexicon learns at once what is wrong.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

import yaml


class DataFileError(ValueError):
    """A data file in policy_archive/data is malformed."""


@functools.cache
def load(name: str) -> Any:
    """Parsed contents of ``policy_archive/data/<name>``.

    >>> "web_footers" in load("artefacts.yml")
    True
    """
    path = resources.files("policy_archive.data").joinpath(name)
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        msg = f"policy_archive/data/{name}: invalid YAML: {exc}"
        raise DataFileError(msg) from exc


def require(name: str, *keys: str) -> Any:
    """The value at ``keys`` in data file ``name``, or an error naming file and key."""
    value = load(name)
    for depth, key in enumerate(keys):
        if not isinstance(value, dict) or key not in value:
            where = ".".join(keys[: depth + 1])
            msg = f"policy_archive/data/{name}: missing key '{where}'"
            raise DataFileError(msg)
        value = value[key]
    return value
