#!/usr/bin/env python3
"""Check ``policy_archive.script.SEPARATOR`` against every key of the installed OpenCC's s2tw.

A page's script pairs are converted piece by piece between separators
(``render.script_table``), which is exact only while no key of the dictionaries s2tw reads
holds a separator. This lists every key of those .ocd2 files and prints the characters
outside the Han ranges they hold and any key holding a separator. When it finds none, set
``SEPARATOR_CHECKED_WITH`` to the OpenCC version it printed. It reads the tries with
marisa-trie, which the project does not need: install it beside, not into, the project.

    .venv/bin/python -m pip install --target /tmp/marisa marisa-trie
    PYTHONPATH=/tmp/marisa .venv/bin/python scripts/opencc_separators.py
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import marisa_trie
import opencc

from policy_archive.script import SEPARATOR

HEADER = b"OPENCC_MARISA_0.2.5"  # an .ocd2 file: this, a marisa trie of keys, the values
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def keys(path: Path) -> list[str]:
    trie = marisa_trie.Trie()
    trie.frombytes(path.read_bytes()[len(HEADER):])
    return trie.keys()


def main() -> int:
    share = Path(opencc._opencc_share_dir)
    config = (share / "s2tw.json").read_text(encoding="utf-8")
    files = sorted({entry["file"] for entry in _dicts(json.loads(config))})
    crossing = []
    for name in files:
        found = keys(share / name)
        others = sorted({c for key in found for c in key if not HAN.match(c)})
        shown = "".join(c for c in others if ord(c) < 0x10000)
        print(f"{name}: {len(found)} keys; not Han: {shown!r} and "
              f"{sum(ord(c) >= 0x10000 for c in others)} beyond the BMP")
        crossing += [(name, key) for key in found if SEPARATOR.search(key)]
    for name, key in crossing:
        print(f"holds a separator: {name}: {key!r}")
    print(f"OpenCC {opencc.__version__}: {len(crossing)} keys holding a separator")
    return 1 if crossing else 0


def _dicts(node: object) -> list[dict]:
    """Every dictionary named in an OpenCC config, however deeply grouped."""
    if isinstance(node, dict):
        own = [node] if "file" in node else []
        return own + [d for value in node.values() for d in _dicts(value)]
    if isinstance(node, list):
        return [d for value in node for d in _dicts(value)]
    return []


if __name__ == "__main__":
    sys.exit(main())
