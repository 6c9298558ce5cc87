"""Reading a YAML file people edit (corrections, lexicons): bounded, and with line numbers.

Corrections files arrive in pull requests from people the maintainers do not know, so the
reader bounds the work a file can cause before any of it is done:

- size: a file over ``MAX_BYTES`` is refused unread;
- anchors, aliases and explicit tags are refused outright. Nothing the archive reads needs them, and an
  alias is what a "billion laughs" file multiplies (a 429-byte file once ran for minutes
  and took gigabytes) and how ``&a [*a]`` builds a list that contains itself;
- nesting deeper than ``MAX_DEPTH`` is refused while composing, before Python's own
  recursion limit could be reached;
- every string must be text the archive may hold (``policy_archive.text.forbidden_character``:
  no control or bidi characters, whether typed or written as a ``"\\x1b"`` escape) and no
  lone surrogate (``"\\ud800"``), which cannot be written as UTF-8.

Each node keeps the line it was written on, so an error names ``file:line: key.path``.
PyYAML itself does the parsing; this module only composes with limits and records lines.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from policy_archive.text import forbidden_character

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 24


class YamlFileError(ValueError):
    """A YAML file is malformed or over a limit; the message names the file and line."""


class Index(int):
    """A sequence index in a key path (printed as ``[i]``, not ``.i``)."""


@dataclass(frozen=True)
class YamlTree:
    """A parsed file: the plain data plus the line of every node, by key path."""

    display: str  # the file as a contributor names it, e.g. seeds/x.corrections.yml
    data: Any
    lines: dict[tuple[Any, ...], int]
    error_class: type[ValueError] = YamlFileError

    def line(self, keys: tuple[Any, ...]) -> int:
        """The line of a node, or of its nearest ancestor that has one."""
        probe = keys
        while probe not in self.lines and probe:
            probe = probe[:-1]
        return self.lines.get(probe, 1)

    def where(self, keys: tuple[Any, ...]) -> str:
        """``file:line: dotted.path`` for a node.

        >>> import json
    >>> tree = YamlTree("x.yml", {"a": [1]}, {(): 1, ("a",): 2, ("a", Index(0)): 3})
        >>> tree.where(("a", Index(0)))
        'x.yml:3: a[0]'
        """
        dotted = ""
        for key in keys:
            dotted += f"[{key}]" if isinstance(key, Index) else ("." if dotted else "") + str(key)
        prefix = f"{self.display}:{self.line(keys)}"
        return f"{prefix}: {dotted}" if dotted else prefix

    def error(self, keys: tuple[Any, ...], message: str) -> ValueError:
        return self.error_class(f"{self.where(keys)}: {message}")


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader, composing with no anchors or aliases and a depth limit."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            msg = "anchors and aliases (& and *) are not allowed"
            raise yaml.composer.ComposerError(None, None, msg, event.start_mark)
        if getattr(event, "tag", None) is not None:
            msg = "tags (! and !!) are not allowed"
            raise yaml.composer.ComposerError(None, None, msg, event.start_mark)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            msg = f"nested deeper than {MAX_DEPTH} levels"
            raise yaml.composer.ComposerError(None, None, msg, event.start_mark)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def read_yaml(path: Path, display: str, *, error_class: type[ValueError] = YamlFileError,
              max_bytes: int = MAX_BYTES) -> YamlTree:
    """Parse ``path`` within the limits; every problem is ``error_class("file:line: …")``."""
    raw = read_yaml_bytes(path, display, error_class=error_class, max_bytes=max_bytes)
    return parse_yaml(raw, display, error_class=error_class)


def read_yaml_bytes(path: Path, display: str, *, error_class: type[ValueError] = YamlFileError,
                    max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of ``path`` if it is a regular file within the size limit."""

    def fail(line: int, message: str) -> ValueError:
        return error_class(f"{display}:{line}: {message}")

    if path.is_symlink() or (path.exists() and not path.is_file()):
        # A link could publish or parse any file of the machine (../.git/config).
        raise fail(1, "not a regular file (a symbolic link, a folder or a device)")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise fail(1, f"{size:,} bytes, over the limit of {max_bytes:,} for a YAML file")
        raw = path.read_bytes()
    except OSError as exc:
        raise fail(1, f"cannot be read: {exc.strerror or exc}") from exc
    return raw


def parse_yaml(raw: bytes, display: str, *,
               error_class: type[ValueError] = YamlFileError) -> YamlTree:
    """Parse the bytes of a YAML file (``read_yaml_bytes``) with the limits on its content."""

    def fail(line: int, message: str) -> ValueError:
        return error_class(f"{display}:{line}: {message}")

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise fail(line, "not valid UTF-8 (save the file as UTF-8)") from exc
    found = forbidden_character(text)
    if found:
        line, column, what = found
        raise fail(line, f"column {column}: {what} is not allowed")
    loader = _BoundedLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise fail(mark.line + 1 if mark else 1, f"invalid YAML: {exc.problem or exc}") from exc
    except yaml.YAMLError as exc:
        raise fail(1, f"invalid YAML: {exc}") from exc
    finally:
        loader.dispose()
    lines: dict[tuple[Any, ...], int] = {(): 1}
    data = {} if node is None else _construct(node, (), lines, fail)
    return YamlTree(display, data, lines, error_class)


def _construct(node: yaml.Node, keys: tuple[Any, ...], lines: dict, fail: Any) -> Any:
    """Plain Python data from a composed node, recording each node's 1-based line."""
    lines[keys] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            key = _scalar(key_node, fail)
            if isinstance(key, (dict, list)) or key_node.tag == "tag:yaml.org,2002:merge":
                raise fail(line, "keys must be plain names or numbers")
            if key in out:
                raise fail(line, f"duplicate key {key!r}")
            out[key] = _construct(value_node, (*keys, key), lines, fail)
            # An entry's line is its key's: where the contributor wrote "4:" or "title:".
            lines[(*keys, key)] = line
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(v, (*keys, Index(i)), lines, fail) for i, v in enumerate(node.value)]
    return _scalar(node, fail)


def _scalar(node: yaml.Node, fail: Any) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        return {} if isinstance(node, yaml.MappingNode) else []
    line = node.start_mark.line + 1
    try:
        value = yaml.constructor.SafeConstructor().construct_object(node, deep=True)
    except ValueError:
        # A date-like scalar that is no date (2024-02-30): keep the text, validation says why.
        value = node.value
    except yaml.MarkedYAMLError as exc:
        raise fail((exc.problem_mark or node.start_mark).line + 1, str(exc.problem)) from exc
    if isinstance(value, str):
        # Escapes ("\x1b", "\u202e", "\ud800") get past the check of the file's raw text.
        found = forbidden_character(value)
        if found:
            raise fail(line, f"{found[2]} is not allowed (written as an escape)")
        if any(0xD800 <= ord(ch) <= 0xDFFF for ch in value):
            raise fail(line, "a lone surrogate (\\ud800–\\udfff) is not text")
    return value


# --- a parsed file as JSON (the build cache keeps the data files parsed) -------------------


def tree_to_json(tree: YamlTree) -> dict[str, Any]:
    """``tree``'s data and lines as JSON-ready data that ``tree_from_json`` reads back with
    every type as it was (a mapping's keys, dates, sequence indexes in key paths).

    >>> import json
    >>> tree = YamlTree("x.yml", {"a": [1, 1.5, True, None], 4: "b"}, {(): 1, ("a", Index(0)): 2})
    >>> back = tree_from_json(json.loads(json.dumps(tree_to_json(tree))), "x.yml", ValueError)
    >>> repr(back.data) == repr(tree.data), back.lines == tree.lines, back.where(("a", Index(0)))
    (True, True, 'x.yml:2: a[0]')
    """
    lines = [[[_encode(key) for key in keys], line] for keys, line in tree.lines.items()]
    return {"data": _encode(tree.data), "lines": lines}


def tree_from_json(data: Any, display: str, error_class: type[ValueError]) -> YamlTree:
    """The inverse of ``tree_to_json``: ``ValueError`` or ``TypeError`` if ``data`` is not
    what it wrote."""
    lines = {tuple(_decode(key) for key in keys): int(line) for keys, line in data["lines"]}
    return YamlTree(display, _decode(data["data"]), lines, error_class)


def _encode(value: Any) -> Any:
    """JSON for what the reader builds: containers, dates and indexes tagged, the rest as it
    is (``TypeError`` for anything else)."""
    if isinstance(value, dict):
        return {"m": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if isinstance(value, list):
        return {"l": [_encode(v) for v in value]}
    if isinstance(value, datetime.datetime):
        return {"t": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"d": value.isoformat()}
    if isinstance(value, Index):
        return {"i": int(value)}
    if value is None or type(value) in (str, int, float, bool):
        return value
    msg = f"cannot keep a {type(value).__name__} as JSON"
    raise TypeError(msg)


def _decode(value: Any) -> Any:
    if not isinstance(value, dict):
        if isinstance(value, list):
            msg = "an untagged list"
            raise TypeError(msg)
        return value
    ((tag, inner),) = value.items()
    if tag == "m":
        return {_decode(k): _decode(v) for k, v in inner}
    if tag == "l":
        return [_decode(v) for v in inner]
    if tag == "t":
        return datetime.datetime.fromisoformat(inner)
    if tag == "d":
        return datetime.date.fromisoformat(inner)
    if tag == "i":
        return Index(inner)
    msg = f"unknown tag {tag!r}"
    raise ValueError(msg)
