#!/usr/bin/env python3
"""How the build scales: N synthetic seeds made from the real ones, built and rebuilt.

For each N it prints, per stage, wall and CPU seconds (of the child process and its
workers), peak memory, documents per second, and for the site the largest page and the
site's size:

- ``full``: ``build_archive.py`` with an empty cache, every core;
- ``one seed``: the same after a one-line correction to one seed (the cache holds the rest);
- ``unchanged``: the same again with nothing changed;
- ``new seed``: the same after one seed is added;
- ``site``: ``mkdocs build`` of both scripts with their Pagefind indexes (with ``--site``;
  slow at large N); its peak memory is MkDocs and Pagefind together.

The package's byte code is compiled first, as ``make docs`` does (where
``PYTHONDONTWRITEBYTECODE`` is set, every build would otherwise compile every module: about
0.1 s, a tenth of a build after one change).

Synthetic seeds are the real seeds with their dates moved (a different day, month and
year per copy) and their file names numbered, so the documents spread over the date
indexes as a real archive's would. Nothing is committed: everything is made in a
temporary folder. Figures belong here and in README, never in tests.

    .venv/bin/python benchmarks/scale.py 100 1000          # pipeline only
    .venv/bin/python benchmarks/scale.py 100 --site        # with the MkDocs build
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from measure import measured

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import copy_project

SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
DATE = re.compile(r"(20\d\d)年(\d{1,2})月(\d{1,2})日")


def make_seeds(folder: Path, count: int) -> None:
    """``count`` seeds: real ones with moved dates, named so they sort in creation order."""
    folder.mkdir(parents=True)
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    for n in range(count):
        year, month, day = 2015 + n % 10, 1 + n % 12, 1 + n % 28

        def move(match: re.Match[str], year: int = year, month: int = month,
                 day: int = day) -> str:
            return f"{year}年{month}月{day}日"

        text = DATE.sub(move, texts[n % len(texts)])
        (folder / f"{n:05d}_synthetic.txt").write_text(text, encoding="utf-8")


def run(command: list[str], cwd: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak memory (MiB, the sum over the command's process
    tree: MkDocs and the Pagefind it runs) of a command."""
    result = measured(command, cwd)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stderr[-2000:]}")
    return result.wall, result.cpu, result.peak_mib


def documents_in(docs: Path) -> int:
    return sum(1 for p in (docs / "documents").glob("*.md") if p.name != "index.md")


def largest(folder: Path, pattern: str) -> tuple[int, str]:
    sizes = [(p.stat().st_size, p.relative_to(folder).as_posix()) for p in folder.rglob(pattern)]
    return max(sizes) if sizes else (0, "")


def row(stage: str, seeds: int, docs: int, wall: float, cpu: float, rss: float,
        extra: str = "") -> None:
    rate = f"{docs / wall:7.0f}" if wall else "      -"
    print(f"| {seeds:>6} | {docs:>6} | {stage:<10} | {wall:8.1f} | {cpu:8.1f} | {rss:8.0f} | "
          f"{rate} | {extra} |", flush=True)


def bench(count: int, site: bool, work: Path) -> None:
    seeds, docs, cache = work / "seeds", work / "project" / "docs", work / "cache"
    make_seeds(seeds, count)
    # A scratch project: the real configuration, theme overrides, hooks and hand-written
    # pages around the new docs/ (as the site tests and benchmarks/search.py make it).
    project = copy_project(work / "project", "mkdocs.yml", "hooks", hand_written_docs=True)
    build = [sys.executable, str(ROOT / "build_archive.py"), "-q", "--seeds", str(seeds),
             "--docs", str(docs), "--cache", str(cache)]
    wall, cpu, rss = run(build, ROOT)
    n = documents_in(docs)
    size, page = largest(docs, "*.md")
    row("full", count, n, wall, cpu, rss, f"largest page {size / 1024:.0f} KB ({page})")
    # A one-line correction to one seed (seeds themselves are never edited: a changed seed is
    # another source, and the registry of permanent ids would ask where its documents went).
    (seeds / "00000_synthetic.corrections.yml").write_text(
        "articles:\n  1:\n    outlet: {value: 测试日报, reason: 基准测试}\n", encoding="utf-8")
    changed = run(build, ROOT)
    row("one seed", count, n, *changed, f"{wall / changed[0]:.1f}× faster than full")
    row("unchanged", count, n, *run(build, ROOT))
    # The archive grows: one seed more (its documents get new permanent ids).
    shutil.copy(seeds / "00000_synthetic.txt", seeds / f"{count:05d}_synthetic.txt")
    added = run(build, ROOT)
    row("new seed", count, documents_in(docs), *added, f"{wall / added[0]:.1f}× faster than full")
    if site:
        env_site = work / "site"
        command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f",
                   str(project / "mkdocs.yml"), "-d", str(env_site)]
        os.environ["NO_MKDOCS_2_WARNING"] = "1"
        wall, cpu, rss = run(command, project)
        size, page = largest(env_site, "*.html")
        total = sum(p.stat().st_size for p in env_site.rglob("*") if p.is_file())
        row("site", count, n, wall, cpu, rss,
            f"largest page {size / 1024:.0f} KB ({page}); site {total / 2**20:.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("counts", type=int, nargs="*", default=[100, 1000])
    parser.add_argument("--site", action="store_true", help="also build the MkDocs site")
    args = parser.parse_args()
    print("|  seeds |   docs | stage      |   wall s |    cpu s |  max MiB |  docs/s | |")
    print("| ---: | ---: | --- | ---: | ---: | ---: | ---: | --- |")
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "policy_archive")],
                   check=True)
    for count in args.counts:
        with tempfile.TemporaryDirectory() as work:
            bench(count, args.site, Path(work))


if __name__ == "__main__":
    main()
