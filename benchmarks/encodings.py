#!/usr/bin/env python3
"""How often the seed-encoding detector (``policy_archive.ingest.decode``) is silently wrong.

Builds short samples at run time from real texts (the corpus in /work/shared/corpus/inputs
and this repository's seeds/; read here, never copied into the repository): windows of 8,
16, 32 and 64 characters, every line, and every whole text. Simplified texts are encoded in
GBK and GB18030, traditional ones in Big5 and Big5-HKSCS, and every text in UTF-8; each text is
also converted to the other script with OpenCC, so both scripts of every text are tried.
A sample the target codec cannot encode, or one without any non-ASCII character, is
skipped. Then each sample's bytes go through the detector, without a declared encoding:

- correct: the decoded text is the sample; or the detector chose the right family of
  encodings and the text differs only where the codecs of that family map a byte pair
  differently (Big5 A145 is U+2022 • in Python's big5 but U+2027 ‧ in cp950): counted
  apart as ``variant``;
- refused: the detector stops and asks for a declared encoding (acceptable);
- silently wrong: it returns another text (mojibake published; this must be 0).

A last group, ``mixed``, joins a Big5 line and a GBK line (in both orders): the only right
answer is a refusal, so a decoding of it counts as silently wrong.

    .venv/bin/python benchmarks/encodings.py                  # figures per encoding
    .venv/bin/python benchmarks/encodings.py --show 5         # and 5 examples of each failure
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policy_archive.ingest import SeedError, decode
from policy_archive.script import detect_script, to_simplified, to_traditional

CORPUS = Path("/work/shared/corpus/inputs")
WINDOWS = (8, 16, 32, 64)
# Codecs a text of each script is published in (besides UTF-8, tried for every text).
LEGACY = {"zh-Hans": ("gbk", "gb18030"), "zh-Hant": ("big5", "big5hkscs")}


def source_texts() -> list[tuple[str, str]]:
    """(label, text) for every real text, in both scripts."""
    paths = sorted(CORPUS.glob("*.txt")) + sorted((ROOT / "seeds").glob("*.txt"))
    out = []
    for path in paths:
        text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
        script = detect_script(text)
        other = to_simplified(text) if script == "zh-Hant" else to_traditional(text)
        out.append((path.name, text))
        out.append((f"{path.name}~converted", other))
    return out


def samples(text: str) -> Iterator[tuple[str, str]]:
    """(kind, sample): non-overlapping windows of each size, each line, the whole text."""
    for size in WINDOWS:
        for start in range(0, len(text) - size + 1, size):
            yield f"window {size}", text[start : start + size]
    for line in text.split("\n"):
        yield "line", line
    yield "whole text", text


def encodings_for(text: str) -> tuple[str, ...]:
    return ("utf-8", *LEGACY[detect_script(text)])


# The family of each encoding, to tell a variant mapping from a wrong decoding.
FAMILY = {"utf-8": "utf-8", "gbk": "gb", "gb18030": "gb", "big5": "big5", "cp950": "big5",
          "big5hkscs": "big5"}


def outcome(raw: bytes, expected: str, encoding: str) -> tuple[str, str]:
    """('correct' | 'variant' | 'refused' | 'silently wrong', what the detector said)."""
    try:
        text, used = decode(raw, "x.txt")
    except SeedError as exc:
        return "refused", str(exc)
    if text == expected:
        return "correct", used
    if FAMILY[used] == FAMILY[encoding] and text == raw.decode(used):
        return "variant", used
    return "silently wrong", f"{used}: {text[:40]!r}"


def mixed_samples(texts: list[tuple[str, str]]) -> Iterator[tuple[str, bytes]]:
    """A Big5 line and a GBK line joined, in both orders (whole lines, as a seed holds them)."""
    def lines(script: str, codec: str) -> list[bytes]:
        out = []
        for _, text in texts:
            if detect_script(text) != script:
                continue
            for line in text.split("\n"):
                if line.isascii():
                    continue
                try:
                    out.append(line.encode(codec))
                except UnicodeEncodeError:
                    continue
        return out

    big5, gbk = lines("zh-Hant", "big5"), lines("zh-Hans", "gbk")
    # Pair each Big5 line with one GBK line (cycled), so every Big5 line is tried.
    for b, g in zip(big5, itertools.cycle(gbk), strict=False):
        yield "big5 then gbk", b + b"\n" + g + b"\n"
        yield "gbk then big5", g + b"\n" + b + b"\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--show", type=int, default=0, metavar="N",
                   help="print N examples of each silently wrong group")
    args = p.parse_args(argv)

    texts = source_texts()
    counts: dict[tuple[str, str], Counter] = defaultdict(Counter)
    examples: dict[tuple[str, str], list[str]] = defaultdict(list)
    for label, text in texts:
        for encoding in encodings_for(text):
            for kind, sample in samples(text):
                if sample.isascii():
                    continue
                try:
                    raw = sample.encode(encoding)
                except UnicodeEncodeError:
                    continue
                result, said = outcome(raw, sample, encoding)
                counts[(encoding, kind)][result] += 1
                if result == "silently wrong":
                    examples[(encoding, kind)].append(f"{label}: {sample[:24]!r} → {said}")
    named_line = 0
    for kind, raw in mixed_samples(texts):
        try:
            decode(raw, "x.txt")
        except SeedError as exc:
            counts[("mixed", kind)]["refused"] += 1
            named_line += "mixed encodings" in str(exc)
        else:
            counts[("mixed", kind)]["silently wrong"] += 1
            examples[("mixed", kind)].append(repr(raw[:30]))

    print(f"{len(texts)} texts ({len(texts) // 2} real, each also converted to the other script)")
    print(f"{'encoding':<9} {'sample':<14} {'samples':>8} {'correct':>8} {'variant':>8} "
          f"{'refused':>8} {'silently wrong':>15}")
    totals: Counter = Counter()
    for (encoding, kind), c in sorted(counts.items()):
        n = sum(c.values())
        totals.update(c)
        print(f"{encoding:<9} {kind:<14} {n:>8} {c['correct']:>8} {c['variant']:>8} "
              f"{c['refused']:>8} {c['silently wrong']:>15}")
    print(f"{'all':<9} {'':<14} {sum(totals.values()):>8} {totals['correct']:>8} "
          f"{totals['variant']:>8} {totals['refused']:>8} {totals['silently wrong']:>15}")
    mixed = sum(c["refused"] for (encoding, _), c in counts.items() if encoding == "mixed")
    print(f"mixed: {named_line} of {mixed} refusals name the line (mixed encodings)")
    if args.show:
        for key, lines in sorted(examples.items()):
            print(f"\n{key[0]} {key[1]}: {len(lines)} silently wrong, e.g.")
            for line in lines[: args.show]:
                print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
