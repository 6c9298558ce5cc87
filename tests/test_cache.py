"""The build cache and parallel build: faster, never different.

Every test compares against a build without cache on one process: the cache and the
workers may only change how long a build takes, never a byte of what it writes.
"""

from __future__ import annotations

import copy
import json
import pickle
import shutil
import textwrap
import zlib
from dataclasses import fields
from pathlib import Path

import pytest

from policy_archive import cache as cache_module
from policy_archive import cli, datafiles, pipeline
from policy_archive.cache import INDEX_FIELDS, BuildCache, CachedDocument
from policy_archive.model import Document
from policy_archive.render import INDEX_FAMILIES, indexes, render_archive
from policy_archive.render.dataset import dataset_json, document_record, record_text
from policy_archive.render.output import content_bytes, content_text
from policy_archive.site_contract import DATASET
from policy_archive.yamlfile import parse_yaml
from tests.conftest import SEEDS

S003 = "003_965f9f73789f87fc"


def copy_seeds(folder: Path, copies: int = 1) -> Path:
    folder.mkdir(parents=True)
    for n in range(copies):
        for seed in sorted(SEEDS.glob("*.txt")):
            shutil.copy(seed, folder / (seed.name if copies == 1 else f"{n:03d}_{seed.name}"))
    return folder


def build(seeds: Path, folder: Path | None = None, jobs: int = 1) -> dict[str, str]:
    """Every generated file, as text; with ``folder``, through the cache there, read and
    saved as a build of the command line does."""
    cache = BuildCache(folder) if folder else None
    result = pipeline.build_documents(seeds, cache=cache, jobs=jobs)
    files = render_archive(result.documents, (), cache, result.origins, jobs,
                           digests=result.digests)
    if cache:
        cache.save()
    return {path: content_text(content) for path, content in files.items()}


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
    caches = tmp_path / "cache"
    assert build(seeds, caches) == plain
    counted.clear()
    assert build(seeds, caches) == plain
    assert counted == []


def test_one_changed_seed_or_corrections_file_rebuilds_only_that_seed(tmp_path, counted):
    seeds = copy_seeds(tmp_path / "seeds")
    caches = tmp_path / "cache"
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


def rewrite_entries(caches: Path, damage) -> None:
    """The cache's entries replaced by ``damage(kind, key, raw)`` (None keeps one), in a
    pack of their own with a right index, so only their content is wrong."""
    index = caches / BuildCache.NAME
    header, *lines = index.read_text(encoding="utf-8").split("\n")
    out, pack = [header], bytearray()
    for line in filter(None, lines):
        kind, key, name, offset, length, _ = line.split("\t")
        raw = (caches / name).read_bytes()[int(offset) : int(offset) + int(length)]
        raw = damage(kind, key, raw) or raw
        out.append(f"{kind}\t{key}\tpack-damaged.bin\t{len(pack)}\t{len(raw)}\t"
                   f"{zlib.crc32(raw)}")
        pack += raw
    (caches / "pack-damaged.bin").write_bytes(bytes(pack))
    index.write_text("\n".join(out) + "\n", encoding="utf-8")


def drop_entries(caches: Path, kind: str) -> None:
    """The cache's entries of ``kind`` taken out of its index: they are misses."""
    index = caches / BuildCache.NAME
    lines = index.read_text(encoding="utf-8").split("\n")
    index.write_text("\n".join(line for line in lines if not line.startswith(f"{kind}\t")),
                     encoding="utf-8")


def test_a_damaged_cache_entry_is_a_miss(tmp_path, counted):
    seeds = copy_seeds(tmp_path / "seeds")
    caches = tmp_path / "cache"
    plain = build(seeds, caches)
    # Entries of text (pages, records, index pages, the registry) are used as the bytes
    # they hold once their CRC-32 matches (``BuildCache.get_bytes``): any bytes are a text.
    damaged = {"seed": b'[[[1]], ["w"]]', "pairs": b'["a", "bc", [1]]',
               "index": b'["page", {"a": 1}]', "rest": b'[[1]]',
               "indexes": b'[{"a.md": 1}, []]',
               "datafile": b'{"data": {"m": [[{"l": []}, 1]]}, "lines": []}'}
    states = b'[["x"], ["a", "bc", [1]]]'  # the sums of pairs, keyed by a name
    rewrite_entries(caches, lambda kind, key, raw: states if kind == "pairs" and len(key) < 64
                    else damaged.get(kind))
    counted.clear()
    assert build(seeds, caches) == plain
    assert len(counted) == len(list(seeds.glob("*.txt")))


def test_entries_whose_bytes_changed_or_whose_pack_is_gone_are_misses(tmp_path, counted):
    seeds = copy_seeds(tmp_path / "seeds")
    caches = tmp_path / "cache"
    plain = build(seeds, caches)
    (pack,) = caches.glob("pack-*.bin")
    data = bytearray(pack.read_bytes())
    data[: len(data) // 2] = b"x" * (len(data) // 2)  # same length, other bytes: CRC fails
    pack.write_bytes(bytes(data))
    counted.clear()
    assert build(seeds, caches) == plain
    assert counted  # the entries in the first half were made again
    for pack in caches.glob("pack-*.bin"):
        pack.unlink()
    counted.clear()
    assert build(seeds, caches) == plain
    assert len(counted) == len(list(seeds.glob("*.txt")))
    (caches / BuildCache.NAME).write_bytes(b"\x00 not an index\n\tpack-../x\t0\t1\t2\n")
    assert build(seeds, caches) == plain


def test_a_build_writes_only_its_new_entries_and_packs_do_not_pile_up(tmp_path, counted):
    seeds = copy_seeds(tmp_path / "seeds")
    caches = tmp_path / "cache"
    build(seeds, caches)
    (first,) = caches.glob("pack-*.bin")
    size = first.stat().st_size
    path = seeds / f"{S003}.txt"
    for n in range(BuildCache.MAX_PACKS + 2):
        path.write_text(path.read_text(encoding="utf-8").replace("主持", "主持" * 2, 1),
                        encoding="utf-8")
        assert build(seeds, caches) == build(seeds)
        packs = list(caches.glob("pack-*.bin"))
        if n == 0:  # the first pack is still named, the change went into a small one
            assert first in packs
            assert max(p.stat().st_size for p in packs if p != first) < size / 2
        assert len(packs) <= BuildCache.MAX_PACKS
    plain = build(seeds)
    counted.clear()
    assert build(seeds, caches) == plain  # every entry still found, merged or not
    assert counted == []


def test_two_processes_give_the_same_archive(tmp_path):
    # Enough seeds that the work is shared between processes (MIN_ITEMS_PER_JOB).
    copies = pipeline.MIN_ITEMS_PER_JOB * 2 // 5 + 2
    seeds = copy_seeds(tmp_path / "seeds", copies)
    assert len(list(seeds.glob("*.txt"))) >= pipeline.MIN_ITEMS_PER_JOB * 2
    plain = build(seeds, jobs=1)
    assert build(seeds, jobs=2) == plain
    assert build(seeds, tmp_path / "cache", jobs=2) == plain  # pages rendered in workers too


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
    # Records given as the bytes the cache holds: the same text, as bytes, for any number.
    for documents in (built.documents, built.documents[:1]):
        records = {d.id: record_text(d).encode() for d in documents}
        assert dataset_json(documents, records) == dataset_json(documents).encode()


def test_a_snapshot_of_other_code_is_not_read(tmp_path, counted):
    seeds = copy_seeds(tmp_path / "seeds")
    caches = tmp_path / "cache"
    plain = build(seeds, caches)
    snapshot = caches / BuildCache.NAME
    header, rest = snapshot.read_text(encoding="utf-8").split("\n", 1)
    snapshot.write_text(header.replace('"code": "', '"code": "0') + "\n" + rest,
                        encoding="utf-8")
    counted.clear()
    assert build(seeds, caches) == plain
    assert len(counted) == len(list(seeds.glob("*.txt")))


def _build_cli(seeds: Path, docs: Path, *options: str) -> int:
    # A later -j in ``options`` wins.
    return cli.main(["-q", "-j", "1", "--seeds", str(seeds), "--docs", str(docs), *options])


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_incremental_build_writes_what_a_clean_build_writes(tmp_path, counted, jobs):
    """After each change, a build from the cache gives docs/ byte for byte what a build
    without cache gives (``--check --no-cache`` agrees), and redoes only the changed seed
    (in this process, with one job or two: one seed is too few to share)."""
    seeds, docs = copy_seeds(tmp_path / "seeds"), tmp_path / "docs"
    cached = ("--cache", str(tmp_path / "cache"), "-j", jobs)
    assert _build_cli(seeds, docs, *cached) == 0
    (seeds / f"{S003}.corrections.yml").write_text(textwrap.dedent("""
        articles:
          1:
            outlet: {value: 永川日报, reason: 测试}
        """), encoding="utf-8")
    added = seeds / f"{S003}_copy.txt"
    removed = sorted(p for p in seeds.glob("*.txt") if p.name != f"{S003}.txt")[0]

    def add_seed() -> None:
        shutil.copy(seeds / f"{S003}.txt", added)

    def remove_seed() -> None:
        removed.unlink()
        # A published id keeps resolving: its entry says where the text went (registry.py).
        registry = docs / "data" / "permanent_ids.json"
        data = json.loads(registry.read_text(encoding="utf-8"))
        for entry in data["documents"]:
            if entry["id"].rsplit("-", 1)[0] == removed.stem:
                entry.update(redirect=f"{S003}-1", reason="测试")
        registry.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n",
                            encoding="utf-8")

    for change, rebuilt in ((lambda: None, [f"{S003}.txt"]), (add_seed, [added.name]),
                            (remove_seed, [])):
        change()
        counted.clear()
        assert _build_cli(seeds, docs, *cached) == 0
        assert counted == rebuilt
        assert _build_cli(seeds, docs, "--check", "--no-cache") == 0
    assert "outlet: 永川日报" in (docs / "documents" / f"{S003}-1.md").read_text(encoding="utf-8")
    assert (docs / "documents" / f"{added.stem}-1.md").is_file()
    assert not (docs / "documents" / f"{removed.stem}-1.md").exists()


DATA = Path(datafiles.__file__).parent / "data"


def test_every_data_file_comes_back_from_the_cache_as_it_was_parsed(tmp_path):
    cache = BuildCache(tmp_path)
    parsed = {}
    for path in sorted(DATA.glob("*.yml")):
        raw = path.read_bytes()
        parsed[path.name] = raw, parse_yaml(raw, path.name, error_class=datafiles.DataFileError)
        cache.put_tree(path.name, raw, parsed[path.name][1])
    cache.save()
    again = BuildCache(tmp_path)
    for name, (raw, tree) in parsed.items():
        kept = again.get_tree(name, raw, name, datafiles.DataFileError)
        assert kept is not None
        # repr tells 1 from 1.0 and True, and a date from its text; lines keep their indexes.
        assert repr(kept.data) == repr(tree.data)
        assert [(k, [type(p) for p in k], n) for k, n in kept.lines.items()] == \
            [(k, [type(p) for p in k], n) for k, n in tree.lines.items()]
        assert kept.error(next(reversed(tree.lines)), "x").args == \
            tree.error(next(reversed(tree.lines)), "x").args
    # Other bytes of the same size are another key: a changed file is never taken as kept.
    name, (raw, _) = next(iter(parsed.items()))
    assert again.get_tree(name, raw[:-1] + b"#", name, ValueError) is None


@pytest.mark.parametrize("damage", [
    b'{"data": {"m": [[{"l": []}, 1]]}, "lines": []}',  # a list as a mapping key
    b'{"data": {"x": 1, "y": 2}, "lines": []}',  # not one tag
    b'{"data": {"d": "not a date"}, "lines": []}',
    b'{"data": 1, "lines": [[[{"i": "a"}], 1]]}',
    b'{"data": 1}',
    b'[1, 2]',
    b'\xff',
])
def test_a_damaged_data_file_entry_is_a_miss(tmp_path, damage):
    raw = (DATA / "layout.yml").read_bytes()
    cache = BuildCache(tmp_path)
    cache.put_tree("layout.yml", raw, parse_yaml(raw, "layout.yml"))
    cache.save()
    rewrite_entries(tmp_path, lambda kind, key, entry: damage)
    assert BuildCache(tmp_path).get_tree("layout.yml", raw, "layout.yml", ValueError) is None


class _IndexFieldsOnly(Document):
    """A document whose fields beyond its id and ``INDEX_FIELDS`` cannot be read."""

    def __getattribute__(self, name: str):
        if name in _NOT_INDEX_FIELDS:
            msg = f"the index pages read {name}, not in cache.INDEX_FIELDS"
            raise AssertionError(msg)
        return super().__getattribute__(name)


_NOT_INDEX_FIELDS = {f.name for f in fields(Document)} - {"id", *INDEX_FIELDS}


def test_the_index_pages_read_of_a_document_only_its_index_fields(built, monkeypatch):
    """Index pages are keyed by ``INDEX_FIELDS`` (``cache.index_digest``): a field they read
    beyond those would leave a page stale after a correction of that field."""
    # Small pages, so that year pages and their parts are made too.
    monkeypatch.setattr(indexes, "SPLIT_AT", 2)
    monkeypatch.setattr(indexes, "PART_SIZE", 2)
    limited = []
    for doc in built.documents:
        only = object.__new__(_IndexFieldsOnly)
        only.__dict__.update(doc.__dict__)
        limited.append(only)
    for _, pages in INDEX_FAMILIES:
        assert pages(limited, indexes.Memo()) == pages(built.documents, indexes.Memo())
    assert any(doc.date for doc in built.documents)  # the documents hold what pages show


def test_a_build_after_one_correction_reads_no_unchanged_document_in_full(tmp_path,
                                                                         monkeypatch):
    """The global stages read every document's light fields only (``cache.LIGHT_FIELDS``)."""
    seeds = copy_seeds(tmp_path / "seeds")
    caches = tmp_path / "cache"
    build(seeds, caches)
    (seeds / f"{S003}.corrections.yml").write_text(textwrap.dedent("""
        articles:
          1:
            outlet: {value: 永川日报, reason: 测试}
        """), encoding="utf-8")
    read: list[str] = []
    real = cache_module.materialise

    def counting(doc: Document) -> None:
        if type(doc) is CachedDocument:
            read.append(doc.id)
        real(doc)

    monkeypatch.setattr(cache_module, "materialise", counting)
    assert build(seeds, caches) == build(seeds)
    assert read == []
    # A page that is not in the cache is made from the whole document.
    drop_entries(caches, "page")
    files = build(seeds, caches)
    assert files == build(seeds)
    pages = [p for p in files if p.startswith("documents/") and p != "documents/index.md"]
    assert sorted(read) == sorted(p.removeprefix("documents/").removesuffix(".md")
                                  for p in pages)


@pytest.mark.parametrize("damage", [b"[[1]]", b"\xff", None])
def test_a_damaged_or_missing_rest_of_a_seed_is_built_again(tmp_path, counted, damage):
    """The rest of a cached document is read only where used; when its entry is damaged or
    gone by then, its seed is built again, and the output is the same."""
    seeds = copy_seeds(tmp_path / "seeds")
    caches = tmp_path / "cache"
    plain = build(seeds, caches)
    # Every document page must be made again: each needs its document in full.
    rewrite_entries(caches, lambda kind, key, raw: damage if kind == "rest" else None)
    drop_entries(caches, "page")
    if damage is None:
        drop_entries(caches, "rest")
    counted.clear()
    assert build(seeds, caches) == plain
    assert sorted(counted) == sorted(p.name for p in seeds.glob("*.txt"))
    counted.clear()
    assert build(seeds, caches) == plain  # the rest made again was stored
    assert counted == []


def test_a_cached_document_is_equal_copied_and_pickled_as_the_built_one(tmp_path, built):
    caches = tmp_path / "cache"
    build(SEEDS, caches)
    cache = BuildCache(caches)
    result = pipeline.build_documents(SEEDS, cache=cache)
    assert all(type(doc) is CachedDocument for doc in result.documents)
    first = result.documents[0]
    assert pickle.loads(pickle.dumps(first)) == built.documents[0]
    assert type(first) is Document  # read in full by pickling
    assert copy.deepcopy(result.documents[1]) == built.documents[1]
    assert result.documents[2:] == built.documents[2:]
    assert repr(result.documents) == repr(built.documents)


def test_files_read_from_the_cache_are_given_as_the_bytes_of_their_texts(tmp_path):
    seeds = copy_seeds(tmp_path / "seeds")
    build(seeds, tmp_path / "cache")
    cache = BuildCache(tmp_path / "cache")
    result = pipeline.build_documents(seeds, cache=cache)
    files = render_archive(result.documents, (), cache, result.origins, digests=result.digests)
    plain = build(seeds)
    encoded = {path for path, content in files.items() if isinstance(content, bytes)}
    assert any(p.startswith("documents/") for p in encoded)
    assert any(p.startswith("initiatives/") for p in encoded)
    assert DATASET in encoded
    assert {path: content_bytes(content) for path, content in files.items()} == {
        path: text.encode("utf-8") for path, text in plain.items()}


def test_documents_read_in_full_by_forked_workers_give_the_same_archive(tmp_path):
    """Pages of cached documents rendered on two processes: each worker reads the rest of
    the documents it renders (or builds their seed again when that entry is damaged)."""
    copies = pipeline.MIN_ITEMS_PER_JOB * 2 // 5 + 2
    seeds = copy_seeds(tmp_path / "seeds", copies)
    caches = tmp_path / "cache"
    plain = build(seeds, caches, jobs=2)
    damaged = iter(range(1 << 30))
    # Every page made again; the rest of every other seed damaged.
    rewrite_entries(caches, lambda kind, key, raw: b"\xff" if (
        kind == "rest" and next(damaged) % 2) else None)
    drop_entries(caches, "page")
    assert build(seeds, caches, jobs=2) == plain
    assert build(seeds, caches, jobs=2) == plain


def _notes(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("note:")]


def test_curator_notes_from_the_cache_are_those_of_a_clean_build(tmp_path, capsys,
                                                                 monkeypatch):
    """The notes a build prints (not with -q) read every document's formulations: after a
    change none of the index pages reads, they come from the cache, as a clean build
    prints them, and no unchanged document is read in full."""
    seeds, docs = copy_seeds(tmp_path / "seeds"), tmp_path / "docs"
    cached = ["-j", "1", "--seeds", str(seeds), "--docs", str(docs),
              "--cache", str(tmp_path / "cache")]
    assert cli.main(cached) == 0
    (seeds / f"{S003}.corrections.yml").write_text(textwrap.dedent("""
        articles:
          1:
            outlet: {value: 永川日报, reason: 测试}
        """), encoding="utf-8")
    assert cli.main([*cached, "-q"]) == 0  # the notes are kept, not made
    capsys.readouterr()
    read: list[str] = []
    real = cache_module.materialise
    monkeypatch.setattr(cache_module, "materialise", lambda doc: (
        read.append(doc.id) if type(doc) is CachedDocument else None, real(doc)))
    assert cli.main(cached) == 0
    notes = _notes(capsys.readouterr().err)
    assert read == []
    assert cli.main([*cached[:6], "--no-cache", "--check"]) == 0
    assert notes == _notes(capsys.readouterr().err)
    assert notes
