"""Compare the two Python OpenCC packages on this archive's own text.

Both ``OpenCC`` (the C++ library's binding) and ``opencc-python-reimplemented`` install the
import name ``opencc`` and overwrite each other's files, so each is installed into its own
temporary venv and this script runs itself there as a worker (``--worker``) that converts
the corpus and reports outputs and timings as JSON. The parent then compares the outputs
character by character and prints a Markdown report (benchmarks/opencc_comparison.md is
this script's output).

Corpus: every seed text (seeds/*.txt, 5 files) in both directions (s2tw, t2s), and the
paragraphs the site actually converts to zh-Hant (docs/data/documents.json, s2tw) when the
pipeline has written them.

    python benchmarks/compare_opencc.py > benchmarks/opencc_comparison.md
"""

from __future__ import annotations

import argparse
import collections
import json
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = {
    "OpenCC (C++)": "OpenCC==1.4.2",
    "opencc-python-reimplemented": "opencc-python-reimplemented==0.1.7",
}
CONFIGS = ("s2tw", "t2s")
REPEAT = 5  # conversions are timed REPEAT times and the best run is kept


def corpus() -> dict[str, list[str]]:
    """Named lists of texts; each text is converted as one string, as the pipeline does."""
    texts = {
        "seeds": [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    }
    dataset = ROOT / "docs" / "data" / "documents.json"
    if dataset.is_file():
        docs = json.loads(dataset.read_text(encoding="utf-8"))["documents"]
        texts["paragraphs"] = [p for d in docs for p in d["paragraphs"]]
    return texts


def worker() -> None:
    """Convert the corpus with whichever ``opencc`` this interpreter imports."""
    t0 = time.perf_counter()
    import opencc

    converters = {c: opencc.OpenCC(c) for c in CONFIGS}
    init = time.perf_counter() - t0
    result: dict[str, object] = {"init_seconds": init, "module": opencc.__file__, "runs": {}}
    for name, texts in corpus().items():
        for config in CONFIGS:
            if name == "paragraphs" and config != "s2tw":
                continue  # paragraphs are canonical zh-Hans: only s2tw is ever applied
            best = float("inf")
            for _ in range(REPEAT):
                start = time.perf_counter()
                out = [converters[config].convert(t) for t in texts]
                best = min(best, time.perf_counter() - start)
            result["runs"][f"{name}:{config}"] = {
                "seconds": best,
                "chars": sum(map(len, texts)),
                "output": out,
            }
    json.dump(result, sys.stdout, ensure_ascii=False)


def run_in_venv(requirement: str, where: Path) -> dict:
    """Install one package into a fresh venv and run the worker there."""
    venv.create(where, with_pip=True)
    python = where / "bin" / "python"
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", requirement],
        check=True,
    )
    out = subprocess.run(
        [python, __file__, "--worker"], check=True, capture_output=True, text=True, cwd=ROOT
    )
    return json.loads(out.stdout)


def diff_chars(a: list[str], b: list[str]) -> tuple[collections.Counter, dict]:
    """Count (char_a, char_b) pairs where two outputs of equal length differ.

    Also returns a few contexts (the first output around the character) per pair.
    """
    pairs: collections.Counter = collections.Counter()
    contexts: dict = collections.defaultdict(set)
    for x, y in zip(a, b, strict=True):
        if len(x) != len(y):
            pairs[("<length>", f"{len(x)} vs {len(y)}")] += 1
            continue
        for i, (p, q) in enumerate(zip(x, y, strict=True)):
            if p != q:
                pairs[(p, q)] += 1
                contexts[(p, q)].add(x[max(0, i - 3) : i + 4].replace("\n", "/"))
    return pairs, contexts


def changed_by(inputs: list[str], outputs: list[str]) -> int:
    return sum(
        p != q for x, y in zip(inputs, outputs, strict=True) for p, q in zip(x, y, strict=False)
    )


def report(results: dict[str, dict]) -> str:
    names = list(results)
    a, b = (results[n] for n in names)
    texts = corpus()
    lines = [
        "# OpenCC packages compared on this archive's text",
        "",
        "Written by `python benchmarks/compare_opencc.py` (each package in its own temporary",
        "venv: both install the import name `opencc`). Times are the best of"
        f" {REPEAT} runs on this machine (2 cores), converters built once.",
        "",
        "| run | characters | "
        + " | ".join(f"{n}: changed / seconds" for n in names)
        + " | characters where the two differ |",
        "| --- | ---: | " + " | ".join("---:" for _ in names) + " | ---: |",
    ]
    details = []
    for run in a["runs"]:
        corpus_name = run.split(":")[0]
        ra, rb = a["runs"][run], b["runs"][run]
        pairs, contexts = diff_chars(ra["output"], rb["output"])
        cells = [
            f"{changed_by(texts[corpus_name], r['output'])} / {r['seconds']:.4f}" for r in (ra, rb)
        ]
        lines.append(f"| {run} | {ra['chars']} | {' | '.join(cells)} | {sum(pairs.values())} |")
        if pairs:
            shown = ", ".join(
                f"{p}→{q} ×{n} ({' '.join(sorted(contexts[(p, q)])[:6])})"
                for (p, q), n in pairs.most_common(40)
            )
            details.append(f"- **{run}** ({names[0]} → {names[1]}): {shown}")
    lines += [
        "",
        "Building the two converters (s2tw, t2s): "
        + ", ".join(f"{n} {results[n]['init_seconds']:.3f} s" for n in names)
        + ".",
        "",
        "## Characters that differ",
        "",
        *(details or ["None."]),
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker()
        return
    with tempfile.TemporaryDirectory(prefix="opencc-compare-") as tmp:
        results = {
            name: run_in_venv(req, Path(tmp) / f"venv{i}")
            for i, (name, req) in enumerate(PACKAGES.items())
        }
    sys.stdout.write(report(results))


if __name__ == "__main__":
    main()
