"""Atomic output: a build that fails part way leaves docs/ exactly as it was, and no build
ever deletes a file a person put into docs/."""

from __future__ import annotations

import errno
import fcntl
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from policy_archive.cli import main
from policy_archive.render import output
from tests.conftest import ROOT, SEEDS


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


def leftovers(docs: Path) -> list[str]:
    """Build folders, set-aside trees or old staging a build left beside or inside docs/
    (but the tree a build keeps for the next one to assemble its docs/ in)."""
    beside = [p.name for p in docs.parent.iterdir() if p.name.startswith((".docs.build-",
                                                                          ".docs.old-"))
              and p != output._kept(docs)]
    return beside + [p.name for p in docs.glob(".archive-build-*")]


@pytest.mark.parametrize("fail_after", [0, 1, 2])
def test_failure_while_writing_leaves_docs_as_it_was(docs, monkeypatch, fail_after):
    before = snapshot(docs)
    real = output._write_file
    calls = {"n": 0}

    def failing(path: Path, text: str) -> None:
        if calls["n"] >= fail_after:
            raise OSError(errno.ENOSPC, "No space left on device (injected)", str(path))
        calls["n"] += 1
        real(path, text)

    monkeypatch.setattr(output, "_write_file", failing)
    with pytest.raises(output.OutputError, match="No space left on device"):
        output.write_docs(docs, SECOND)
    assert snapshot(docs) == before
    assert leftovers(docs) == []


# A build killed (SIGKILL-like: os._exit, no cleanup) at each step of the swap. The first
# two use the atomic exchange; the last three the two-rename fallback, killed before the
# first rename, between the two, and after both.
KILL_POINTS = {
    "before-exchange": "exchange",
    "after-exchange": "exchange-after",
    "fallback-before-first-rename": "rename-1",
    "fallback-between-renames": "rename-2",
    "fallback-after-renames": "rename-3",
}
KILLED_BUILD = """
import os, sys
from pathlib import Path
from policy_archive.render import output

point, docs = sys.argv[1], Path(sys.argv[2])
files = {"documents/a-1.md": "# 甲\\n", "documents/b-1.md": "# 乙（改）\\n",
         "documents/c-1.md": "# 丙\\n", "data/documents.json": "{\\"n\\": 2}\\n"}
real_exchange, real_rename, renames = output._exchange, Path.rename, []

def exchange(a, b):
    if point == "exchange":
        os._exit(137)
    if point.startswith("rename"):
        return False  # as on a file system that cannot exchange
    done = real_exchange(a, b)
    if point == "exchange-after":
        os._exit(137)
    return done

def rename(self, target):
    renames.append(self)
    if point == f"rename-{len(renames)}":
        os._exit(137)
    return real_rename(self, target)

output._exchange = exchange
Path.rename = rename
output.write_docs(docs, files)
if point == "rename-3":
    os._exit(137)
"""


@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_a_build_killed_at_any_step_of_the_swap_is_healed_by_the_next(docs, point):
    hand_written = {k: v for k, v in snapshot(docs).items() if k in HAND_WRITTEN}
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_BUILD, KILL_POINTS[point], str(docs)],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert killed.returncode == 137, killed.stderr
    # docs/ is always a whole tree, old or new: never missing, never mixed.
    documents = snapshot(docs) if docs.is_dir() else {}
    if point not in ("fallback-between-renames",):
        assert documents["documents/b-1.md"][0] in ("# 乙\n".encode(), "# 乙（改）\n".encode())
        new = documents["documents/b-1.md"][0] == "# 乙（改）\n".encode()
        assert ("documents/c-1.md" in documents) == new
        assert ("documents/index.md" in documents) == (not new)
    # The next build converges on exactly what a clean build gives.
    output.write_docs(docs, SECOND)
    assert output.differences(docs, SECOND) == []
    assert leftovers(docs) == []
    after = snapshot(docs)
    for rel, (data, _) in hand_written.items():
        assert after[rel][0] == data
    assert "documents/index.md" not in after


def test_success_swaps_in_new_pages_and_keeps_hand_written_ones(docs):
    (docs / ".archive-build-stale").mkdir()  # left inside docs/ by the earlier design
    (docs.parent / ".docs.build-stale").mkdir()  # left beside docs/ by a killed build
    before = snapshot(docs)
    assert output.write_docs(docs, SECOND) == (4, 1)  # b-1, c-1, dataset, manifest
    after = snapshot(docs)
    for kept in HAND_WRITTEN:
        assert after[kept] == before[kept]
    assert "documents/index.md" not in after
    assert after["documents/c-1.md"][0] == "# 丙\n".encode()
    # An unchanged page keeps its bytes and its modification time.
    assert after["documents/a-1.md"] == before["documents/a-1.md"]
    assert leftovers(docs) == []
    assert sorted(output.read_manifest(docs)) == sorted(p for p in after if p not in HAND_WRITTEN)


def test_nothing_changed_rewrites_nothing(docs):
    before = snapshot(docs)
    assert output.write_docs(docs, FIRST) == (0, 0)
    assert snapshot(docs) == before


def test_generated_files_stay_inside_the_generated_folders(docs):
    before = snapshot(docs)
    for rel in ("glossary.md", "index.md", "../x.md", "documents/a b.md", "documents/.x.md"):
        with pytest.raises(output.OutputError, match="not a file inside the generated folders"):
            output.write_docs(docs, {**FIRST, rel: "# x\n"})
    assert snapshot(docs) == before


@pytest.mark.parametrize(("manifest", "message"), [
    ('{"generated": ["index.md"]}', "'index.md' is not a file inside the generated folders"),
    ('{"generated": ["../x"]}', "'../x' is not a file inside the generated folders"),
    ('{"generated": ["documents/../../etc/passwd"]}', "is not a file inside the generated"),
    ('{"generated": "documents/a-1.md"}', "not a manifest the build wrote"),
    ("not json at all", "not a manifest the build wrote"),
    (b"\xff\xfe garbage", "not a manifest the build wrote"),
])
def test_a_tampered_manifest_is_refused_and_deletes_nothing(docs, manifest, message):
    path = docs / output.MANIFEST
    path.write_bytes(manifest if isinstance(manifest, bytes) else manifest.encode())
    before = snapshot(docs)
    with pytest.raises(output.OutputError, match=re.escape(message)):
        output.write_docs(docs, SECOND)
    with pytest.raises(output.OutputError, match=re.escape(message)):
        output.differences(docs, SECOND)
    assert snapshot(docs) == before
    assert (docs / "index.md").is_file()


def test_a_symlink_in_docs_is_refused(docs):
    (docs / "about.md").symlink_to("/etc/passwd")  # hand-written part: --check reports it
    assert output.differences(docs, FIRST)[-1] == f"symbolic link: '{docs.as_posix()}/about.md'"
    (docs / "about.md").unlink()
    (docs / "documents/secret.md").symlink_to("/etc/passwd")
    with pytest.raises(output.OutputError, match="a symbolic link"):
        output.write_docs(docs, SECOND)
    assert (docs / "documents/b-1.md").read_text(encoding="utf-8") == "# 乙\n"


def test_a_second_build_at_the_same_time_is_refused(docs):
    with (docs.parent / ".docs.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        with pytest.raises(output.OutputError, match="another build is writing it"):
            output.write_docs(docs, SECOND)
    output.write_docs(docs, SECOND)  # the lock is gone with the first build
    assert output.differences(docs, SECOND) == []


def test_check_shows_what_differs_as_a_diff_and_survives_bytes_that_are_not_utf8(docs):
    (docs / "documents/b-1.md").write_bytes(b"# \xff\xfe\n")
    report = output.differences(docs, FIRST, diff_lines=10)
    assert report[0] == "differs: docs/documents/b-1.md"
    assert "+# 乙" in report


def test_bad_input_writes_nothing(docs, tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    before = snapshot(docs)
    (seeds / "zzz.txt").write_bytes(b"\x00binary")
    assert main(["--seeds", str(seeds), "--docs", str(docs), "-q"]) == 1
    assert snapshot(docs) == before



def test_the_kept_tree_is_reused_and_whatever_it_holds_the_new_docs_is_exact(docs):
    kept = output._kept(docs)
    assert output.write_docs(docs, SECOND) == (4, 1)
    assert kept.is_dir()  # the tree swapped out: the first build's
    # Whatever happened to it since (a person, a killed build), the next docs/ is exact.
    (kept / "documents" / "extra.md").write_text("# 多余\n", encoding="utf-8")
    (kept / "documents" / "a-1.md").unlink()
    (kept / "documents" / "a-1.md").mkdir()  # a folder where a file goes
    (kept / "stray").symlink_to("/etc/passwd")
    (kept / "data" / "documents.json").write_text("garbage\n", encoding="utf-8")
    (docs / "documents" / "c-1.md").write_text("# 手改\n", encoding="utf-8")  # a hand edit
    before = snapshot(docs)
    assert output.write_docs(docs, FIRST) == (4, 1)  # b-1, a-1's index, dataset, manifest
    after = snapshot(docs)
    assert output.differences(docs, FIRST) == []
    assert "documents/c-1.md" not in after and "documents/extra.md" not in after
    assert not (docs / "stray").exists()
    for kept_file in HAND_WRITTEN:
        assert after[kept_file] == before[kept_file]
    # An unchanged page is the same file: same bytes, same modification time.
    assert after["documents/a-1.md"] == before["documents/a-1.md"]
    assert (docs / "documents" / "a-1.md").stat().st_ino == (
        kept / "documents" / "a-1.md").stat().st_ino
    assert leftovers(docs) == []


def test_a_kept_tree_that_is_a_file_or_a_link_is_not_followed(docs, tmp_path):
    kept = output._kept(docs)
    shutil.rmtree(kept, ignore_errors=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("x\n", encoding="utf-8")
    kept.symlink_to(elsewhere)
    assert output.write_docs(docs, SECOND) == (4, 1)
    assert (elsewhere / "keep.txt").read_text(encoding="utf-8") == "x\n"
    assert output.differences(docs, SECOND) == []


def test_a_generated_file_edited_by_hand_to_the_same_size_or_made_a_pipe_is_written_again(docs):
    page = docs / "documents" / "a-1.md"
    mtime = page.stat().st_mtime_ns
    page.write_text("# 丁\n", encoding="utf-8")  # same size in bytes, other bytes
    os.utime(page, ns=(mtime, mtime))  # and the modification time put back
    (docs / "documents" / "b-1.md").unlink()
    os.mkfifo(docs / "documents" / "b-1.md")  # read as a file, it would never end
    assert output.write_docs(docs, FIRST) == (2, 0)
    assert output.differences(docs, FIRST) == []
    assert page.read_text(encoding="utf-8") == "# 甲\n"
