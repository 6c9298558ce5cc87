#!/usr/bin/env python3
"""What the site search costs a reader and the build, at 10, 1,000 and 10,000 documents' seeds.

For each size: synthetic seeds are made from the real seeds/ (each a real seed with its
sentences shuffled within each paragraph and its dates moved, so documents differ and
spread over years), the pipeline writes docs/, MkDocs builds both scripts (the search hook
indexes each script with Pagefind in parts and merges them), and that indexing is run again
alone on the simplified site for its time and peak memory. Then the site is served under /REPO/ and headless Chromium
(Debian's, /usr/bin/chromium) types each query into the search box of a freshly loaded page
with an empty cache, and the script prints, per query:

- bytes downloaded from the key press to the first result shown (responses the browser had
  finished before the page showed it), counted as GitHub Pages
  serves them: Pagefind's index files as they are (already compressed), text files (the
  worker, its table, pagefind.js) gzip-compressed;
- milliseconds from the key press to the first result shown (by the browser's clock);
- bytes of everything the query fetched until nothing more came for 1.5 s: the text of
  the other results shown and the filters the facets count with.

Figures belong here, never in tests. 10,000 seeds take long on two cores: ask for them.

    .venv/bin/python benchmarks/search.py                  # 10 and 1,000 seeds
    .venv/bin/python benchmarks/search.py 10 1000 5000     # chosen sizes (5,000 → 10,000 documents)
    .venv/bin/python benchmarks/search.py 5000 --keep /tmp/big   # keep the project and site
    .venv/bin/python benchmarks/search.py --site /tmp/big/site -v  # measure a kept site again,
                                                            # listing what each query fetched
"""

from __future__ import annotations

import gzip
import json
import os
import random
import re
import sys
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from measure import measured

from policy_archive.site_contract import PAGEFIND_BIN
from tests.conftest import copy_project, serve_folder
from tests.site.conftest import CHROMIUM, CHROMIUM_ARGS

SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
QUERIES = ["大运会", "新能源", "國家戰略腹地", "常晓勇"]
PREFIX = "REPO"
TEXT_SUFFIXES = (".js", ".json", ".css", ".html")
_YEAR = re.compile(r"(?<![0-9])(20[12][0-9])年")
_DAY = re.compile(r"(?<![0-9])([1-9]|1[0-2])月([1-9]|[12][0-9]|3[01])日")


def shuffled(text: str, rng: random.Random) -> str:
    """A real seed's text with its sentences shuffled within each line and dates moved."""
    year = str(rng.randint(2016, 2025))
    lines = []
    for line in text.splitlines():
        sentences = re.findall(r"[^。]+。?", line)
        if len(sentences) > 2:
            head, rest = sentences[0], sentences[1:]
            rng.shuffle(rest)
            line = head + "".join(rest)
        lines.append(line)
    out = _YEAR.sub(f"{year}年", "\n".join(lines) + "\n")
    # 31-day months only: a moved date range ("6月12日至14日") must stay a real date.
    month, day = rng.choice((1, 3, 5, 7, 8, 10, 12)), rng.randint(1, 28)
    return _DAY.sub(f"{month}月{day}日", out)


def make_seeds(folder: Path, count: int) -> None:
    folder.mkdir(parents=True)
    for n in range(count):
        source = SEEDS[n % len(SEEDS)]
        text = source.read_text(encoding="utf-8")
        if n >= len(SEEDS):  # the real seeds first, as they are
            text = shuffled(text, random.Random(n))
        (folder / f"{n:05d}_{source.stem.split('_', 1)[1]}.txt").write_text(text, encoding="utf-8")


def timed(command: list[str], cwd: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak memory (MiB, summed over the process tree)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = measured(command, cwd, env)
    if result.returncode != 0:
        sys.exit(f"error: {' '.join(command)} failed:\n{result.stderr[-2000:]}")
    return result.wall, result.cpu, result.peak_mib


def served_bytes(site: Path, url: str) -> int:
    """Bytes of one response as GitHub Pages sends it (gzip for text types)."""
    path = unquote(urlsplit(url).path).removeprefix(f"/{PREFIX}/")
    file = site / path
    if file.is_dir():
        file = file / "index.html"
    if not file.is_file():
        return 0
    data = file.read_bytes()
    return len(gzip.compress(data, 6)) if file.suffix in TEXT_SUFFIXES else len(data)


# Run in the page before the query is typed: tells this script (a binding, so in order with
# the network events it has heard of) when the first result is in the list, and records the
# browser's clock at the key press and then.
_WATCH = """() => {
  window.__pressed = null;
  window.__firstResult = null;
  document.addEventListener('keydown', () => { window.__pressed ??= Date.now(); }, true);
  new MutationObserver((_, observer) => {
    if (document.querySelector('.md-search-result__item')) {
      window.__firstResult = Date.now();
      observer.disconnect();
      window.__firstResultShown();
    }
  }).observe(document.body, {childList: true, subtree: true});
}"""
QUIET_SECONDS = 1.5


def wait_until_quiet(page, fetched: list) -> None:
    """Wait until the page has fetched nothing new for QUIET_SECONDS (the worker's later
    answers: the other results' text, the facets' filters)."""
    seen = -1
    while seen != len(fetched):
        seen = len(fetched)
        page.wait_for_timeout(QUIET_SECONDS * 1000)


def measure_queries(site: Path, verbose: bool = False) -> list[tuple[str, int, float, int, int]]:
    """Per query: bytes before the first result, milliseconds to it, results shown, and bytes
    of everything the query fetched (the rest of the results' text, the facets' filters)."""
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        (Path(folder) / PREFIX).symlink_to(site, target_is_directory=True)
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        with serve_folder(Path(folder)) as url:
            for query in QUERIES:
                context = browser.new_context()  # an empty cache for every query
                context.route(lambda u: not u.startswith("http://127.0.0.1"),
                              lambda route: route.abort())
                page = context.new_page()
                fetched: list[str] = []
                before_first: list[int] = []
                page.expose_function("__firstResultShown",
                                     lambda into=before_first, f=fetched: into.append(len(f)))
                page.goto(f"{url}{PREFIX}/")
                page.wait_for_load_state("networkidle")
                page.on("requestfinished", lambda request, into=fetched: into.append(request.url))
                box = page.locator("input.md-search__input")
                box.click()
                box.fill(query)
                page.evaluate(_WATCH)
                box.press("End")
                page.wait_for_function("() => window.__firstResult !== null", timeout=600_000)
                wait_until_quiet(page, fetched)
                first, pressed = page.evaluate("[window.__firstResult, window.__pressed]")
                count = before_first[0]
                before = sum(served_bytes(site, u) for u in fetched[:count])
                everything = sum(served_bytes(site, u) for u in fetched)
                results = page.locator(".md-search-result__item").count()
                if verbose:
                    for i, u in enumerate(fetched):
                        mark = " " if i < count else "+"
                        print(f"    {query} {mark} {served_bytes(site, u) / 1e3:8.1f} KB "
                              f"{urlsplit(u).path}")
                rows.append((query, before, first - pressed, results, everything))
                context.close()
        browser.close()
    return rows


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def report_queries(site: Path, verbose: bool) -> None:
    table = gzip.compress((site / "search" / "worker.json").read_bytes(), 6)
    print(f"  character table + filters (search/worker.json): {len(table) / 1e3:.1f} KB gzip")
    print("  query        bytes before first result   time to first result   results"
          "   bytes in all")
    for query, total, ms, results, everything in measure_queries(site, verbose):
        print(f"  {query:<12} {total / 1e3:>16.0f} KB {ms:>20.0f} ms {results:>9}"
              f" {everything / 1e3:>11.0f} KB")
    if verbose:
        print("  (+: arrived after the first result)")


def run(count: int, keep: Path | None, verbose: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = keep or Path(tmp)
        project = copy_project(work / "project", "mkdocs.yml", "hooks", hand_written_docs=True)
        seeds = work / "seeds"
        make_seeds(seeds, count)
        python = str(ROOT / ".venv" / "bin" / "python")
        t_docs, _, _ = timed([python, str(ROOT / "build_archive.py"), "--seeds", str(seeds),
                              "--docs", str(project / "docs"), "-q"], ROOT)
        documents = len(json.loads((project / "docs/data/documents.json").read_text(
            encoding="utf-8"))["documents"])
        site = project / "site"
        t_site, cpu_site, rss_site = timed(
            [python, "-m", "mkdocs", "build", "-q", "-d", str(site)], project)
        # The indexing of the simplified site alone, as the search hook runs it (Pagefind on
        # parts of 500 pages, merged by hooks/pagefind_bundle.py), for its time and memory.
        roots = "documents,bodies,dates,people,initiatives,cited"
        t_index, cpu_index, rss_index = timed(
            [python, str(ROOT / "hooks" / "pagefind_bundle.py"), str(ROOT / PAGEFIND_BIN),
             str(site), str(work / "pf"), "--roots", roots], project)
        pages = len(list(site.glob("*/*/index.html")))
        print(f"\n{count} seeds → {documents} documents, {pages} pages per script")
        print(f"  pipeline {t_docs:.1f} s; mkdocs build (both scripts, Pagefind included) "
              f"{t_site:.1f} s wall, {cpu_site:.1f} s CPU, peak {rss_site:.0f} MiB")
        print(f"  Pagefind in parts + merge, one script: {t_index:.1f} s wall, {cpu_index:.1f} s CPU, "
              f"peak {rss_index:.0f} MiB; "
              f"bundle {folder_bytes(site / 'pagefind') / 1e6:.1f} MB on disk")
        report_queries(site, verbose)


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, help="numbers of seeds (default 10 1000)")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    parser.add_argument("--site", type=Path, help="only measure the queries on a built site")
    parser.add_argument("-v", "--verbose", action="store_true", help="list what queries fetch")
    args = parser.parse_args(argv)
    if not (ROOT / PAGEFIND_BIN).is_file():
        sys.exit(f"error: {PAGEFIND_BIN} not found; run `make node`")
    if args.site:
        print(f"\n{args.site}")
        report_queries(args.site, args.verbose)
        return 0
    for count in args.sizes or [10, 1000]:
        run(count, args.keep, args.verbose)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
