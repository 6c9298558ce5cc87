"""Loading the data files in ``policy_archive/data/`` (lexicons, layout cues, artefacts).

Data files are read once per process. A malformed file raises ``DataFileError`` naming the
file and the key, so a contributor who edits a lexicon learns at once what is wrong.

Parsing them all takes a sixth of a second of pure-Python YAML, more than a build after one
change spends on its seed: a build keeps them parsed in its cache (``load_all`` with a
``TreeStore``), keyed by their bytes.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any, Protocol

from policy_archive.ids import SEGMENT_RULE, ascii_repr, is_segment
from policy_archive.yamlfile import Index, YamlTree, parse_yaml, read_yaml_bytes


class DataFileError(ValueError):
    """A data file in policy_archive/data is malformed."""


class TreeStore(Protocol):
    """Where parsed data files are kept between builds (the build cache)."""

    def get_tree(self, name: str, raw: bytes, display: str,
                 error_class: type[ValueError]) -> YamlTree | None: ...

    def put_tree(self, name: str, raw: bytes, tree: YamlTree) -> None: ...


# Each file read in this process: its bytes and what they parsed to.
_trees: dict[str, tuple[bytes, YamlTree]] = {}


def _folder() -> Path:
    # A namespace package: its files() is a MultiplexedPath, a file inside it a real one.
    return Path(str(resources.files("policy_archive.data").joinpath("layout.yml"))).parent


def _read(name: str, store: TreeStore | None) -> tuple[bytes, YamlTree]:
    display = f"policy_archive/data/{name}"
    raw = read_yaml_bytes(_folder() / name, display, error_class=DataFileError)
    tree = None if store is None else store.get_tree(name, raw, display, DataFileError)
    if tree is None:
        tree = parse_yaml(raw, display, error_class=DataFileError)
        if store is not None:
            store.put_tree(name, raw, tree)
    return raw, tree


def load_tree(name: str) -> YamlTree:
    """``policy_archive/data/<name>`` parsed by the bounded reader, with each node's line.

    Lexicon loaders use it to name the line of a bad entry (``tree.error(keys, message)``).
    """
    if name not in _trees:
        _trees[name] = _read(name, None)
    return _trees[name][1]


def load_all(store: TreeStore) -> None:
    """Every data file, from ``store`` where it holds the file's bytes parsed, the others
    parsed and put there. A build calls it before it forks its workers, who then start
    with them; a file this process already read is put again, so the store keeps it."""
    for path in sorted(_folder().glob("*.yml")):
        if path.name in _trees:
            store.put_tree(path.name, *_trees[path.name])
        else:
            _trees[path.name] = _read(path.name, store)


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
