"""Loading the data files in ``policy_archive/data/`` (lexicons, layout cues, artefacts).

Data files are read once per process. A malformed file raises ``DataFileError`` naming the
file and the key, so a contributor who edits a lexicon learns at once what is wrong.
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path
from typing import Any

from policy_archive.ids import SEGMENT_RULE, ascii_repr, is_segment
from policy_archive.yamlfile import Index, YamlTree, read_yaml


class DataFileError(ValueError):
    """A data file in policy_archive/data is malformed."""


@functools.cache
def load_tree(name: str) -> YamlTree:
    """``policy_archive/data/<name>`` parsed by the bounded reader, with each node's line.

    Lexicon loaders use it to name the line of a bad entry (``tree.error(keys, message)``).
    """
    path = Path(str(resources.files("policy_archive.data").joinpath(name)))
    return read_yaml(path, f"policy_archive/data/{name}", error_class=DataFileError)


def load(name: str) -> Any:
    """Parsed contents of ``policy_archive/data/<name>``.

    >>> "web_footers" in load("artefacts.yml")
    True
    """
    return load_tree(name).data


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


def entries(name: str, key: str) -> list[tuple[tuple[Any, ...], dict[str, Any]]]:
    """The entries of the list ``key`` in data file ``name``, each with its key path.

    Every entry must be a mapping with a ``slug`` that can name a page (``policy_archive.ids``):
    a lexicon slug becomes a URL, so a bad one stops the build with the file and line.

    >>> keys, entry = entries("bodies.yml", "bodies")[0]
    >>> keys[0], isinstance(entry["slug"], str)
    ('bodies', True)
    """
    tree = load_tree(name)
    out = []
    for i, entry in enumerate(require(name, key)):
        keys = (key, Index(i))
        if not isinstance(entry, dict):
            raise tree.error(keys, "each entry is a mapping of fields")
        if not is_segment(entry.get("slug")):
            slug = ascii_repr(entry.get("slug"))
            raise tree.error((*keys, "slug"), f"slug {slug} may hold only {SEGMENT_RULE}")
        out.append((keys, entry))
    return out


def field(name: str, keys: tuple[Any, ...], entry: dict[str, Any], key: str) -> Any:
    """A required field of an entry, or an error naming the file, line and field."""
    if key not in entry:
        raise load_tree(name).error(keys, f"missing field {key!r}")
    return entry[key]
