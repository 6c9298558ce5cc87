"""Reading seeds: bytes → text, with the seed's name, sha256 and line endings made uniform.

Seeds are the untouched record of the source: the build reads them and never writes them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path


class SeedError(ValueError):
    """A seed cannot be read; the message names the file (and the line where there is one)."""


@dataclass(frozen=True)
class Seed:
    path: Path
    name: str  # file name, e.g. 000_f73564b879444066.txt
    stem: str
    sha256: str
    text: str  # decoded, line endings as \n
    encoding: str


def decode(raw: bytes, name: str) -> tuple[str, str]:
    """Decode a seed's bytes; return the text and the encoding used.

    >>> decode("会议".encode(), "x.txt")
    ('会议', 'utf-8')
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8"), "utf-8-sig"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        msg = f"{name}:{line}: not valid UTF-8 (byte {exc.start})"
        raise SeedError(msg) from exc


def normalize_newlines(text: str) -> str:
    r"""CRLF and lone CR become LF.

    >>> normalize_newlines("a\r\nb\rc")
    'a\nb\nc'
    """
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_seed(path: Path) -> Seed:
    """Read one seed file."""
    raw = path.read_bytes()
    text, encoding = decode(raw, str(path))
    return Seed(
        path=path,
        name=path.name,
        stem=path.stem,
        sha256=hashlib.sha256(raw).hexdigest(),
        text=normalize_newlines(text),
        encoding=encoding,
    )


def seed_paths(seeds_dir: Path) -> list[Path]:
    """The seed files of a folder (``*.txt``), in name order."""
    if not seeds_dir.is_dir():
        msg = f"{seeds_dir}: no such folder of seeds"
        raise SeedError(msg)
    return sorted(p for p in seeds_dir.glob("*.txt") if p.is_file())
