"""Atomic output: a build that fails part way leaves docs/ exactly as it was, and no build
ever deletes a file a person put into docs/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from policy_archive.cli import main
from policy_archive.render import output
from tests.conftest import SEEDS


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``root`` with its bytes and modification time (ns)."""
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


FIRST = {
    "documents/a-1.md": "# 甲\n",
    "documents/b-1.md": "# 乙\n",
    "documents/index.md": "# 全部文件\n",
    "data/documents.json": "{}\n",
}
SECOND = {  # b-1 changed, a-1 unchanged, c-1 new, index dropped
    "documents/a-1.md": "# 甲\n",
    "documents/b-1.md": "# 乙（改）\n",
    "documents/c-1.md": "# 丙\n",
    "data/documents.json": "{\"n\": 2}\n",
}
HAND_WRITTEN = ("index.md", "stylesheets/archive.css", "documents/notes.md", "data/README.txt")


@pytest.fixture
def docs(tmp_path) -> Path:
    """A docs/ with hand-written pages and a first build in it."""
    docs = tmp_path / "docs"
    (docs / "stylesheets").mkdir(parents=True)
    (docs / "index.md").write_text("# 首页\n", encoding="utf-8")
    (docs / "stylesheets/archive.css").write_text("body{}\n", encoding="utf-8")
    assert output.write_docs(docs, FIRST) == (len(FIRST) + 1, 0)  # + the manifest
    # A person adds files inside the generated folders too.
    (docs / "documents/notes.md").write_text("# 笔记\n", encoding="utf-8")
    (docs / "data/README.txt").write_text("about the data\n", encoding="utf-8")
    return docs


@pytest.mark.parametrize("fail_after", [0, 1, 2])
def test_failure_while_writing_leaves_docs_as_it_was(docs, monkeypatch, fail_after):
    before = snapshot(docs)
    real = output._write_file
    calls = {"n": 0}

    def failing(path: Path, text: str) -> None:
        if calls["n"] >= fail_after:
            msg = "disk full (injected)"
            raise OSError(msg)
        calls["n"] += 1
        real(path, text)

    monkeypatch.setattr(output, "_write_file", failing)
    with pytest.raises(OSError, match="injected"):
        output.write_docs(docs, SECOND)
    assert snapshot(docs) == before
    assert not list(docs.glob(".archive-build-*"))


def test_failure_during_the_swap_is_rolled_back(docs, monkeypatch):
    before = snapshot(docs)
    real_rename = Path.rename

    failed = []

    def rename(self: Path, target):
        # The roots swap in name order: data goes in, then documents fails (once: the
        # rollback's own rename back must work).
        if Path(target) == docs / "documents" and not failed:
            failed.append(self)
            msg = "rename failed (injected)"
            raise OSError(msg)
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(OSError, match="injected"):
        output.write_docs(docs, SECOND)
    monkeypatch.undo()
    assert snapshot(docs) == before
    assert not list(docs.glob(".archive-build-*"))


def test_success_swaps_in_new_pages_and_keeps_hand_written_ones(docs):
    (docs / ".archive-build-stale").mkdir()  # left by a killed build
    before = snapshot(docs)
    assert output.write_docs(docs, SECOND) == (4, 1)  # b-1, c-1, dataset, manifest
    after = snapshot(docs)
    for kept in HAND_WRITTEN:
        assert after[kept] == before[kept]
    assert "documents/index.md" not in after
    assert after["documents/c-1.md"][0] == "# 丙\n".encode()
    # An unchanged page keeps its bytes and its modification time.
    assert after["documents/a-1.md"] == before["documents/a-1.md"]
    assert not list(docs.glob(".archive-build-*"))
    assert sorted(output.read_manifest(docs)) == sorted(p for p in after if p not in HAND_WRITTEN)


def test_nothing_changed_rewrites_nothing(docs):
    before = snapshot(docs)
    assert output.write_docs(docs, FIRST) == (0, 0)
    assert snapshot(docs) == before


def test_other_generated_roots_are_swapped_too(docs, monkeypatch):
    # Another stage may add a generated root (GENERATED_ROOTS) or a top-level page.
    files = {**FIRST, "initiatives/x.md": "# 倡议\n", "glossary.md": "# 术语\n"}
    output.write_docs(docs, files)
    assert (docs / "initiatives/x.md").is_file() and (docs / "glossary.md").is_file()
    output.write_docs(docs, FIRST)
    assert not (docs / "initiatives").exists() and not (docs / "glossary.md").exists()
    assert (docs / "index.md").is_file()


def test_bad_input_writes_nothing(docs, tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    before = snapshot(docs)
    (seeds / "zzz.txt").write_bytes(b"\x00binary")
    assert main(["--seeds", str(seeds), "--docs", str(docs), "-q"]) == 1
    assert snapshot(docs) == before

