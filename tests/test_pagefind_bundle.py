"""hooks/pagefind_bundle.py: a site indexed by Pagefind in parts and merged holds what one
Pagefind run over the whole site holds, and ranks the same.

Real Pagefind (npm, ``make node``) on a small site written here: Chinese pages with
filters and titles in nested folders, a page Pagefind must leave out (no body marker), and
French pages whose accented words give Pagefind's word variants (a second language).
Bundles are compared decoded, page numbers replaced by the pages' URLs.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from policy_archive.site_contract import PAGEFIND_BIN
from tests.conftest import ROOT, load_hook, serve_folder

bundle = load_hook("pagefind_bundle")
PAGEFIND = ROOT / PAGEFIND_BIN
ROOTS = ("documents", "bodies")
pytestmark = pytest.mark.skipif(not PAGEFIND.is_file(), reason="Pagefind not installed: make node")

# Made-up sentences, several pages each, so words recur across parts.
SENTENCES = ("推动高质量发展取得新成效", "建设现代化产业体系", "深入实施乡村振兴战略",
             "加快建设国家战略腹地", "新能源汽车产业持续壮大", "成渝地区双城经济圈建设走深走实",
             "大运会筹备工作全面完成", "统筹发展和安全")


def _page(title: str, body: str, year: str, kind: str | None, lang: str = "zh") -> str:
    kind_filter = f'<span data-pagefind-filter="kind">{kind}</span>' if kind else ""
    return (f'<!doctype html><html lang="{lang}"><head><title>{title}</title></head><body>'
            f'<nav>导航不进索引</nav><article data-pagefind-body><h1>{title}</h1>{body}'
            f'<div hidden data-pagefind-ignore><span data-pagefind-meta="title">{title}</span>'
            f'<span data-pagefind-filter="year">{year}</span>{kind_filter}</div>'
            f"</article></body></html>")


def _write_site(site: Path) -> None:
    for number in range(14):
        paragraphs = "".join(
            f'<p id="p-{n}">{SENTENCES[(number + n) % len(SENTENCES)] * (1 + n % 3)}。</p>'
            for n in range(1 + number % 5))
        path = site / "documents" / f"d-{number:02d}" / "index.html"
        path.parent.mkdir(parents=True)
        path.write_text(_page(f"文件{number}号", paragraphs, str(2020 + number % 3), None),
                        encoding="utf-8")
    for name in ("bodies/index.html", "bodies/sc/index.html", "bodies/cq/index.html"):
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(_page(f"机构{len(name)}", "", "2021", "index"),
                                 encoding="utf-8")
    for number, text in enumerate(("Le café du matin", "Un résumé naïf du café", "cafe")):
        (site / "documents" / f"fr-{number}.html").write_text(
            _page(f"Page {number}", f"<p>{text}</p>", "2022", None, lang="fr"),
            encoding="utf-8")
    # A page without the body marker: Pagefind leaves it out of a run over the whole site.
    (site / "documents" / "list.html").write_text(
        '<html lang="zh"><body><p>文件列表</p></body></html>', encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("pagefind") / "site"
    _write_site(site)
    return site


@pytest.fixture(scope="module")
def one_run(site: Path) -> Path:
    """Pagefind's own bundle of the whole site, in one run."""
    out = site.parent / "one-run"
    subprocess.run([str(PAGEFIND), "--site", str(site), "--glob", "{documents,bodies}/**/*.html",
                    "--output-path", str(out), "--quiet"], check=True, capture_output=True)
    return out


def _in_parts(site: Path, pages: int) -> Path:
    out = site.parent / f"parts-{pages}"
    if not out.exists():
        bundle.index_in_parts(PAGEFIND, site, ROOTS, out, pages)
    return out


def _absolute(pages: list[list[Any]], urls: list[str]) -> dict[str, tuple]:
    """A word's pages by URL (page numbers are differences from the page before)."""
    found, number = {}, 0
    for step, locations, meta_locations in pages:
        number += step
        assert urls[number] not in found
        found[urls[number]] = (locations, meta_locations)
    return found


def describe(path: Path) -> dict[str, dict[str, Any]]:
    """What a bundle holds, per language, with pages named by URL instead of number."""
    entry = bundle.read_entry(path)
    described = {}
    for language in entry["languages"]:
        _meta_path, meta = bundle.read_meta(path, language, entry)
        fragments = [json.loads(bundle.read_payload(bundle.fragment_path(path, page[0])))
                     for page in meta[1]]
        urls = [fragment["url"] for fragment in fragments]
        words = {}
        for _first, _last, name in meta[2]:
            for word, pages, variants in bundle.read_item(path / "index" / f"{name}.pf_index")[0]:
                words[word] = (_absolute(pages, urls),
                               {variant: _absolute(found, urls) for variant, found in variants})
        filters = {}
        for _name, file_name in meta[3]:
            name, values = bundle.read_item(path / "filter" / f"{file_name}.pf_filter")
            filters[name] = {value: sorted(urls[page] for page in pages)
                             for value, pages in values}
        described[language] = {
            "pages": {url: (page[1], fragment)
                      for url, page, fragment in zip(urls, meta[1], fragments, strict=True)},
            "words": words, "filters": filters, "fields": meta[5], "sorts": meta[4],
            # Chunk boundaries (the hashes differ: page numbers do).
            "chunks": [(first, last) for first, last, _name in meta[2]],
            "page_count": entry["languages"][language]["page_count"],
        }
    return described


@pytest.mark.parametrize("pages", [3, 7, 1000])
def test_merged_parts_hold_what_one_run_holds(site: Path, one_run: Path, pages: int) -> None:
    merged = describe(_in_parts(site, pages))
    single = describe(one_run)
    assert set(merged) == set(single) == {"zh", "fr"}
    for language, expected in single.items():
        for key, value in expected.items():
            assert merged[language][key] == value, (language, key)
    assert "/documents/list.html" not in single["zh"]["pages"]
    # The French words carry variants, whose page numbers are merged too.
    assert single["fr"]["words"]["caf"][1]["café"]
    assert len(single["zh"]["pages"]) == 17 and single["zh"]["filters"]["kind"]


def test_the_bundle_is_the_same_for_any_part_size(site: Path) -> None:
    def files(path: Path) -> dict[str, bytes]:
        return {p.relative_to(path).as_posix(): p.read_bytes()
                for p in sorted(path.rglob("*")) if p.is_file()}

    three = files(_in_parts(site, 3))
    assert three == files(_in_parts(site, 7)) == files(_in_parts(site, 1000))
    again = site.parent / "again"
    bundle.index_in_parts(PAGEFIND, site, ROOTS, again, 3)
    assert files(again) == three


_SEARCH = """
const [pagefindJs, base, ...queries] = process.argv.slice(2);
const pagefind = await import(pagefindJs);
await pagefind.options({ basePath: base });
await pagefind.init();
const out = {};
for (const query of queries) {
  const found = await pagefind.search(query);
  out[query] = [];
  for (const result of found.results) {
    const data = await result.data();
    out[query].push([data.url, Math.round(result.score * 1e6) / 1e6]);
  }
}
console.log(JSON.stringify(out));
"""


def _ranked(folder: Path, name: str, queries: list[str]) -> dict[str, list]:
    """Pagefind's own client (pagefind.js and its WebAssembly, in Node) searching a bundle."""
    script = folder / "search.mjs"
    script.write_text(_SEARCH, encoding="utf-8")
    with serve_folder(folder) as url:
        result = subprocess.run(
            ["node", str(script), (folder / name / "pagefind.js").as_uri(), f"{url}{name}/",
             *queries], capture_output=True, text=True, check=True, timeout=60)
    return json.loads(result.stdout)


@pytest.mark.skipif(shutil.which("node") is None, reason="no Node")
def test_the_merged_bundle_ranks_as_one_run_does(site: Path, one_run: Path) -> None:
    queries = ["建设", "战略腹地", "大运会", "产业 发展", "新能源"]
    folder = site.parent
    _in_parts(site, 3)
    single = _ranked(folder, one_run.name, queries)
    merged = _ranked(folder, "parts-3", queries)
    for query in queries:
        assert single[query], query
        # Same pages with the same BM25 scores; pages of equal score in URL order here.
        assert sorted(merged[query], key=lambda r: (-r[1], r[0])) == \
            sorted(single[query], key=lambda r: (-r[1], r[0])), query
        assert [score for _url, score in merged[query]] == \
            [score for _url, score in single[query]], query


def _damage(path: Path, data: bytes) -> None:
    path.write_bytes(gzip.compress(data))


def test_a_damaged_bundle_stops_with_the_file_named(site: Path, tmp_path: Path) -> None:
    part = tmp_path / "part"
    shutil.copytree(_in_parts(site, 1000), part)
    chunk = sorted((part / "index").iterdir())[0]
    _damage(chunk, bundle.SIGNATURE + b"\x81\x9f")
    with pytest.raises(bundle.BundleError, match=f"{chunk}: damaged Pagefind index chunk"):
        bundle.merge_bundles([part], tmp_path / "out")
    _damage(chunk, b"not pagefind")
    with pytest.raises(bundle.BundleError, match=f"{chunk}: no Pagefind signature"):
        bundle.merge_bundles([part], tmp_path / "out2")
    entry = part / bundle.ENTRY
    entry.write_text(entry.read_text(encoding="utf-8").replace(bundle.VERSION, "9.9.9"),
                     encoding="utf-8")
    with pytest.raises(bundle.BundleError, match=f"{entry}: written by Pagefind 9.9.9"):
        bundle.merge_bundles([part], tmp_path / "out3")


def test_the_search_hook_reads_every_language_s_chunks_and_refuses_another_version(
        one_run: Path, tmp_path: Path) -> None:
    from mkdocs.exceptions import PluginError

    hook = load_hook("search_index")
    entry = bundle.read_entry(one_run)
    expected = sorted(name for language in entry["languages"]
                      for _first, _last, name in bundle.read_meta(one_run, language, entry)[1][2])
    assert len(entry["languages"]) == 2  # zh and fr
    chunks = hook.index_chunks(one_run)
    assert sorted(path.stem for _first, _last, path in chunks) == expected
    assert all(path.is_file() for _first, _last, path in chunks)
    other = tmp_path / "other"
    shutil.copytree(one_run, other)
    (other / bundle.ENTRY).write_text((other / bundle.ENTRY).read_text(
        encoding="utf-8").replace(bundle.VERSION, "9.9.9"), encoding="utf-8")
    with pytest.raises(PluginError, match=r"written by Pagefind 9\.9\.9"):
        hook.index_chunks(other)


def test_the_command_reports_a_failure_in_one_line(site: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "no-pagefind"
    status = bundle.main([str(missing), str(site), str(tmp_path / "out"), "--roots", "documents",
                          "--part-pages", "5"])
    assert status == 1
    error = capsys.readouterr().err
    assert error.startswith("error: ") and str(missing) in error and "\n" not in error.strip()


def _config(part_pages: int) -> SimpleNamespace:
    """What the search hook reads of MkDocs' configuration to start an indexing run."""
    return SimpleNamespace(config_file_path=str(ROOT / "mkdocs.yml"),
                           extra={"search_part_pages": part_pages})


def test_the_hook_indexes_in_parts_beside_the_build(site: Path, tmp_path: Path) -> None:
    hook = load_hook("search_index")
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    (copy / "search").mkdir()  # on_post_build makes it for the worker
    run = hook.start_pagefind(_config(4), copy, "zh-Hans", {})
    run.finish()
    assert describe(copy / hook.BUNDLE) == describe(_in_parts(site, 3))
    config = json.loads((copy / hook.WORKER_CONFIG).read_text(encoding="utf-8"))
    assert config["lang"] == "zh-Hans" and isinstance(config["heavy"], list)
    assert not (copy / hook.BUNDLE / "pagefind-ui.js").exists()


def _locked_elsewhere(path: Path) -> bool:
    """Whether another holder has the lock file (as the other build process would)."""
    import fcntl

    with path.open("ab") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        return False


def test_each_pagefind_part_runs_under_the_lock(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two processes indexing one language each (hooks/parallel_languages.py) never run two
    Pagefinds at once: each part's Pagefind runs while the lock they share is held (a
    Pagefind that looks for the lock finds it taken), and the lock is free after."""
    lock = tmp_path / "languages.lock"
    monkeypatch.setenv(bundle.LOCK_ENV, str(lock))
    seen = tmp_path / "seen"
    pagefind = tmp_path / "pagefind"
    pagefind.write_text(
        f"#!{sys.executable}\n"
        "import fcntl, sys\n"
        f"with open({str(lock)!r}, 'ab') as handle:\n"
        "    try:\n"
        "        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)\n"
        "        seen = 'free'\n"
        "    except BlockingIOError:\n"
        "        seen = 'held'\n"
        f"open({str(seen)!r}, 'a').write(seen + '\\n')\n", encoding="utf-8")
    pagefind.chmod(0o755)
    pages = bundle.indexed_pages(site, ["documents"])[:2]
    bundle.run_part(pagefind, site, pages, tmp_path / "work", tmp_path / "out")
    bundle.run_part(pagefind, site, pages, tmp_path / "work", tmp_path / "out")
    assert seen.read_text(encoding="utf-8").split() == ["held", "held"]
    assert not _locked_elsewhere(lock)


def test_a_failed_build_stops_the_indexing_and_its_pagefind(site: Path, tmp_path: Path) -> None:
    hook = load_hook("search_index")
    run = hook.start_pagefind(_config(1), site, "zh-Hans", {})
    hook._running.append(run)
    hook.on_build_error(RuntimeError("a later page failed"))
    assert not hook._running and run.process.returncode is not None
    with pytest.raises(ProcessLookupError):  # nothing of its process group is left
        os.killpg(run.process.pid, 0)


def test_part_pages_must_be_a_whole_number(monkeypatch: pytest.MonkeyPatch) -> None:
    hook = load_hook("search_index")
    monkeypatch.delenv("SEARCH_PART_PAGES", raising=False)
    assert hook.part_pages(SimpleNamespace(extra={})) == bundle.PART_PAGES
    monkeypatch.setenv("SEARCH_PART_PAGES", "20")
    assert hook.part_pages(SimpleNamespace(extra={})) == 20
    with pytest.raises(hook.PluginError, match="search_part_pages must be a whole number"):
        hook.part_pages(SimpleNamespace(extra={"search_part_pages": "many"}))


def test_a_site_without_marked_pages_stops_the_indexing(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "site"
    (site / "documents").mkdir(parents=True)
    (site / "documents" / "list.html").write_text("<html><body><p>列表</p></body></html>",
                                                  encoding="utf-8")
    status = bundle.main([str(PAGEFIND), str(site), str(tmp_path / "out"), "--roots",
                          "documents"])
    assert status == 1
    assert "is marked for Pagefind (data-pagefind-body)" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
