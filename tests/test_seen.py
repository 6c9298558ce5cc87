"""Files a build has seen (``policy_archive.seen``): a seed or a generated page whose stat
is the one the last build recorded is not read again; any change to it that moves its stat
(a write) is seen, and what a stat cannot show is left to ``--check``, which reads every
byte.
"""

from __future__ import annotations

import os
import shutil
import textwrap
import time
from pathlib import Path

from policy_archive import cli
from policy_archive.cache import BuildCache
from policy_archive.seen import RACY_NS, SeenFiles
from tests.conftest import SEEDS

S003 = "003_965f9f73789f87fc"
HOUR_NS = 3600 * 10**9


def aged(folder: Path) -> None:
    """Every file of ``folder`` modified an hour ago, as files of an earlier day are."""
    then = time.time_ns() - HOUR_NS
    for path in folder.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(then, then))


def saved(seen: SeenFiles) -> BuildCache:
    """The cache as the next build opens it, after ``seen`` and the cache are saved."""
    seen.save()
    seen.cache.save()
    return BuildCache(seen.cache.folder)


def test_a_file_is_known_while_its_stat_is_the_recorded_one(tmp_path):
    cache, folder = BuildCache(tmp_path / "cache"), tmp_path / "docs"
    folder.mkdir()
    page = folder / "a.md"
    page.write_text("甲", encoding="utf-8")
    aged(folder)
    first = SeenFiles(cache, folder)
    assert first.holds("a.md", "v1") is None  # nothing recorded yet
    first.record("a.md", os.lstat(page), "v1")
    second = SeenFiles(saved(first), folder)
    assert second.holds("a.md", "v1") is not None
    assert second.holds("a.md", "v2") is None  # another content is expected
    assert second.holds("b.md", "v1") is None
    page.write_text("乙", encoding="utf-8")  # same size, written now
    assert second.holds("a.md", "v1") is None
    assert second.known("a.md", os.lstat(page)) is None


def test_a_change_that_keeps_the_stat_is_not_seen_and_check_reads_every_byte(tmp_path):
    """The one thing a stat cannot show: a change of the same size written in place with the
    modification time set back. A build trusts the record; ``--check --no-cache`` does not."""
    seeds, docs = tmp_path / "seeds", tmp_path / "docs"
    shutil.copytree(SEEDS, seeds, ignore=shutil.ignore_patterns("*.md"))
    cached = ("-q", "--seeds", str(seeds), "--docs", str(docs), "--cache", str(tmp_path / "c"))
    assert cli.main([*cached]) == 0
    aged(docs)
    assert cli.main([*cached]) == 0  # records the aged stats
    page = docs / "documents" / f"{S003}-1.md"
    info = page.stat()
    text = page.read_text(encoding="utf-8")
    with page.open("r+", encoding="utf-8") as handle:  # in place: the same inode
        handle.write(text.replace("会议", "大会", 1)[: len(text)])
    os.utime(page, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert cli.main([*cached]) == 0
    assert "大会" in page.read_text(encoding="utf-8")
    assert cli.main([*cached[:5], "--check", "--no-cache"]) == 3


def test_a_page_edited_by_hand_is_written_again(tmp_path):
    seeds, docs = tmp_path / "seeds", tmp_path / "docs"
    shutil.copytree(SEEDS, seeds, ignore=shutil.ignore_patterns("*.md"))
    cached = ("-q", "--seeds", str(seeds), "--docs", str(docs), "--cache", str(tmp_path / "c"))
    assert cli.main([*cached]) == 0
    aged(docs)
    assert cli.main([*cached]) == 0
    page = docs / "documents" / f"{S003}-1.md"
    original = page.read_bytes()
    page.write_bytes(original.replace("会议".encode(), "大会".encode(), 1))  # same size
    assert cli.main([*cached]) == 0
    assert page.read_bytes() == original


def test_a_build_after_one_correction_reads_no_unchanged_page(tmp_path, monkeypatch):
    """Seeds and pages whose stat is the recorded one are neither read from the cache nor
    from docs/; the archive is still what a clean build writes."""
    seeds, docs = tmp_path / "seeds", tmp_path / "docs"
    shutil.copytree(SEEDS, seeds, ignore=shutil.ignore_patterns("*.md"))
    cached = ("-q", "--seeds", str(seeds), "--docs", str(docs), "--cache", str(tmp_path / "c"))
    aged(seeds)
    assert cli.main([*cached]) == 0
    aged(docs)
    assert cli.main([*cached]) == 0
    (seeds / f"{S003}.corrections.yml").write_text(textwrap.dedent("""
        articles:
          1:
            outlet: {value: 永川日报, reason: 测试}
        """), encoding="utf-8")
    read: list[str] = []
    real_get_bytes, real_open = BuildCache.get_bytes, os.open

    def get_bytes(self, kind, key):
        read.append(kind)
        return real_get_bytes(self, kind, key)

    def opened(path, *args, **kwargs):
        read.append(os.fspath(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(BuildCache, "get_bytes", get_bytes)
    monkeypatch.setattr(os, "open", opened)
    assert cli.main([*cached]) == 0
    monkeypatch.undo()
    pages = [p for p in read if p.startswith(f"{docs}/documents/") and p.endswith("-1.md")]
    assert pages == [f"{docs}/documents/{S003}-1.md"]  # the changed page only
    assert "page" not in read and "text" not in read  # records only: the dataset holds them
    opened_seeds = [p for p in read if p.startswith(f"{seeds}/")]
    # Listing the seeds opens each once to check it; only the changed files are read again.
    assert sorted({p for p in opened_seeds if opened_seeds.count(p) > 1}) == sorted(
        [f"{seeds}/{S003}.txt", f"{seeds}/{S003}.corrections.yml"])
    assert cli.main([*cached[:5], "--check", "--no-cache"]) == 0


def test_a_file_modified_within_a_tick_of_the_record_is_not_trusted(tmp_path):
    """A write in the same tick of the clock as the record could leave the stat as it was:
    such a file is left out of the record, and the next build reads it."""
    cache, folder = BuildCache(tmp_path / "cache"), tmp_path / "docs"
    folder.mkdir()
    page = folder / "a.md"
    page.write_text("甲", encoding="utf-8")
    soon = time.time_ns() + RACY_NS // 2  # as modified at the moment the record is made
    os.utime(page, ns=(soon, soon))
    seen = SeenFiles(cache, folder)
    seen.record("a.md", os.lstat(page), "v1")
    assert SeenFiles(saved(seen), folder).holds("a.md", "v1") is None


def test_a_damaged_record_is_no_record(tmp_path):
    cache, folder = BuildCache(tmp_path / "cache"), tmp_path / "docs"
    folder.mkdir()
    (folder / "a.md").write_text("甲", encoding="utf-8")
    aged(folder)
    info = os.lstat(folder / "a.md")
    good = [info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, "v1"]
    for damaged in (["a.md"], {"a.md": good[:4]}, {"a.md": [*good[:3], "9", "v1"]},
                    {"a.md": [*good[:4], 1]}, "x", None, {"a.md": good}):
        seen = SeenFiles(cache, folder)
        cache.put(SeenFiles.KIND, seen.key, damaged)
        cache.save()
        cache = BuildCache(cache.folder)
        held = SeenFiles(cache, folder).holds("a.md", "v1")
        assert (held is not None) == (damaged == {"a.md": good})
