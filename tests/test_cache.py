"""The build cache and parallel build: faster, never different.

Every test compares against a build without cache on one process: the cache and the
workers may only change how long a build takes, never a byte of what it writes.
"""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import pytest

from policy_archive import pipeline
from policy_archive.cache import Caches
from policy_archive.render import render_archive
from policy_archive.render.dataset import dataset_json, document_record
from tests.conftest import SEEDS

S003 = "003_965f9f73789f87fc"


def copy_seeds(folder: Path, copies: int = 1) -> Path:
    folder.mkdir(parents=True)
    for n in range(copies):
        for seed in sorted(SEEDS.glob("*.txt")):
            shutil.copy(seed, folder / (seed.name if copies == 1 else f"{n:03d}_{seed.name}"))
    return folder


def build(seeds: Path, caches: Caches | None = None, jobs: int = 1) -> dict[str, str]:
    result = pipeline.build_documents(seeds, cache=caches.seeds if caches else None, jobs=jobs)
    return render_archive(result.documents, (), caches.pages if caches else None)


@pytest.fixture
def counted(monkeypatch) -> list[str]:
    """The seeds processed (not taken from the cache), in order."""
    processed: list[str] = []
    real = pipeline.process_seed

    def process(seed, warnings):
        processed.append(seed.name)
        return real(seed, warnings)

    monkeypatch.setattr(pipeline, "process_seed", process)
    return processed


def test_a_cached_build_is_the_same_and_processes_nothing(tmp_path, counted):
    seeds = copy_seeds(tmp_path / "seeds")
    plain = build(seeds)
    caches = Caches(tmp_path / "cache")
    assert build(seeds, caches) == plain
    counted.clear()
    assert build(seeds, caches) == plain
    assert counted == []


def test_one_changed_seed_or_corrections_file_rebuilds_only_that_seed(tmp_path, counted):
    seeds = copy_seeds(tmp_path / "seeds")
    caches = Caches(tmp_path / "cache")
    build(seeds, caches)
    path = seeds / f"{S003}.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("常晓勇主持", "常晓勇同志主持"),
                    encoding="utf-8")
    counted.clear()
    assert build(seeds, caches) == build(seeds)
    assert counted[0] == f"{S003}.txt"
    (seeds / f"{S003}.corrections.yml").write_text(textwrap.dedent("""
        articles:
          1:
            outlet: {value: 永川日报, reason: 测试}
        """), encoding="utf-8")
    counted.clear()
    cached = build(seeds, caches)
    assert counted == [f"{S003}.txt"]
    assert cached == build(seeds)
    assert "outlet: 永川日报" in cached[f"documents/{S003}-1.md"]


def test_a_damaged_cache_entry_is_a_miss(tmp_path, counted):
    seeds = copy_seeds(tmp_path / "seeds")
    caches = Caches(tmp_path / "cache")
    plain = build(seeds, caches)
    for entry in (tmp_path / "cache").rglob("*.json"):
        entry.write_bytes(b'{"documents": [{"id": 1}], "warnings"' if "seeds" in entry.parts
                          else b'["only one"]')
    counted.clear()
    assert build(seeds, caches) == plain
    assert len(counted) == len(list(seeds.glob("*.txt")))


def test_two_processes_give_the_same_archive(tmp_path):
    # Enough seeds that the work is shared between processes (MIN_ITEMS_PER_JOB).
    copies = pipeline.MIN_ITEMS_PER_JOB * 2 // 5 + 2
    seeds = copy_seeds(tmp_path / "seeds", copies)
    assert len(list(seeds.glob("*.txt"))) >= pipeline.MIN_ITEMS_PER_JOB * 2
    assert build(seeds, jobs=2) == build(seeds, jobs=1)


def test_a_bad_seed_stops_a_parallel_build_with_its_message(tmp_path):
    seeds = copy_seeds(tmp_path / "seeds", pipeline.MIN_ITEMS_PER_JOB)
    (seeds / "999_bad.txt").write_bytes(b"\x00\x01binary")
    with pytest.raises(pipeline.SeedError, match=r"999_bad\.txt:1: holds NUL bytes"):
        pipeline.build_documents(seeds, jobs=2)


def test_the_dataset_from_cached_records_is_json_dumps_of_the_whole(built):
    expected = json.dumps({"schema_version": 1, "documents": [
        document_record(d) for d in sorted(built.documents, key=lambda d: d.id)]},
        ensure_ascii=False, indent=1) + "\n"
    assert dataset_json(built.documents) == expected
    assert dataset_json([]) == '{\n "schema_version": 1,\n "documents": []\n}\n'
