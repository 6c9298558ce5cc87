"""Reading seeds: bytes → text, with the seed's name, sha256 and line endings made uniform.

Seeds are the untouched record of the source: the build reads them and never writes them.

How a seed's encoding is found (``decode``), in this order; the first rule that applies wins:

1. an ``encoding:`` declared in ``seeds/<stem>.corrections.yml`` (a person's word beats any
   guess); the seed must decode strictly with it;
2. a byte-order mark: UTF-8, UTF-16 LE or BE (UTF-32 marks are checked first, because the
   UTF-32 LE mark begins with the UTF-16 LE one);
3. NUL bytes without a byte-order mark: refused (a binary file, or UTF-16 without a mark);
4. strict UTF-8 (UTF-8 rarely decodes by accident, so a valid UTF-8 seed is UTF-8);
5. strict GB18030 (which covers GBK and GB2312) and strict Big5 (``cp950``, Windows' Big5,
   then ``big5hkscs``). Byte sequences can be valid in both, so each decoding that succeeds
   is scored by how *plausible* its text is: the share of its non-ASCII characters that are
   common Han characters (the 6,763 of GB2312 and the 5,401 frequently used characters of
   Big5, both read from Python's own codecs, so no data file or dependency is needed) or
   CJK punctuation. Big5 read as GB18030 gives many rare characters and private-use code
   points (a real Big5 seed scores 0.6 that way, 1.0 as Big5). The best score wins if it
   reaches ``PLAUSIBLE``; on a tie GB18030 wins (the seeds are mostly from mainland
   sources). Otherwise the seed is refused, and the message asks for a declared encoding.

After decoding, a seed holding control characters (other than tab, line feed, carriage
return and form feed) is refused as binary; CRLF and lone CR become LF, and a form feed (a
page break from PDF-to-text tools) becomes a space, so line numbers stay the editor's.
"""

from __future__ import annotations

import codecs
import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from policy_archive.text import CJK_PUNCT


class SeedError(ValueError):
    """A seed cannot be read; the message names the file (and the line where there is one)."""


# One seed is one printed page or web page; the largest real seed is 54 KB. The build keeps
# every document in memory (the listing and the dataset need them all), so a seed is capped
# well below what would exhaust memory; a longer source is split into several seeds.
MAX_SEED_BYTES = 4 * 1024 * 1024
# A folder of seeds is capped too. Memory grows with the seeds (benchmarks/build_limits.py:
# 1,000 seeds of 18 KB peak at 245 MiB, 10,000 at 1.2 GiB, in 3.5 minutes on 2 cores), so past
# the measured size the build refuses to start rather than exhaust a CI machine's memory.
MAX_SEEDS = 10_000

# Best plausibility score a legacy (non-UTF) decoding needs to be accepted.
PLAUSIBLE = 0.8

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_LEGACY = ("gb18030", "cp950", "big5hkscs")
# Controls that never stand in text: all of C0 but TAB, LF, FF, CR; DEL; and C1 (U+0080–
# U+009F), which in decoded text means a wrong conversion happened upstream.
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_GOOD_RE = re.compile(f"[{CJK_PUNCT}]")


@dataclass(frozen=True)
class Seed:
    path: Path
    name: str  # file name, e.g. 000_f73564b879444066.txt
    stem: str
    sha256: str
    text: str  # decoded, line endings as \n
    encoding: str


@functools.cache
def common_han() -> frozenset[str]:
    """Han characters common in Chinese text: GB2312's 6,763 and Big5's 5,401 frequent ones.

    >>> "会" in common_han(), "會" in common_han(), "\u4e44" in common_han()
    (True, True, False)
    """
    chars: set[str] = set()
    for lead in range(0xB0, 0xF8):  # GB2312 levels 1 and 2: B0A1–F7FE
        for trail in range(0xA1, 0xFF):
            try:
                chars.add(bytes((lead, trail)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    for lead in range(0xA4, 0xC7):  # Big5 frequently used characters: A440–C67E
        for trail in (*range(0x40, 0x7F), *range(0xA1, 0xFF)):
            try:
                chars.add(bytes((lead, trail)).decode("big5"))
            except UnicodeDecodeError:
                continue
    return frozenset(chars)


def plausibility(text: str) -> float:
    """Share of the non-ASCII characters of ``text`` that are common Han or CJK punctuation.

    1.0 for a text with no non-ASCII character at all.

    >>> plausibility("会议指出，要坚决扛起。"), plausibility("abc")
    (1.0, 1.0)
    >>> round(plausibility("\ue000\u4e44会议"), 2)
    0.5
    """
    common = common_han()
    total = good = 0
    for ch in text:
        if ch < "\x80":
            continue
        total += 1
        good += ch in common or bool(_GOOD_RE.match(ch))
    return good / total if total else 1.0


def _line_of(raw: bytes, offset: int, unit: bytes = b"\n") -> int:
    """1-based line of a byte offset, counting CRLF, CR and LF as the build does.

    >>> _line_of(b"a\\r\\nb\\rc\\nd", 7)
    4
    """
    prefix = raw[:offset]
    if unit == b"\n":
        prefix = prefix.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return prefix.count(unit) + 1


def _declared_path(name: str) -> str:
    path = Path(name)
    return str(path.with_name(f"{path.stem}.corrections.yml"))


def decode(raw: bytes, name: str, declared: str | None = None) -> tuple[str, str]:
    """Decode a seed's bytes; return the text and the encoding used (see the module doc).

    >>> decode("会议".encode(), "x.txt")
    ('会议', 'utf-8')
    >>> decode("會議指出".encode("big5"), "x.txt")
    ('會議指出', 'cp950')
    >>> decode(codecs.BOM_UTF16_LE + "会议".encode("utf-16-le"), "x.txt")
    ('会议', 'utf-16-le')
    >>> decode(b"\\x81\\x30", "seeds/x.txt")
    Traceback (most recent call last):
    ...
    policy_archive.ingest.SeedError: seeds/x.txt is neither UTF-8 nor GB18030 (invalid UTF-8 on line 1); declare its encoding in seeds/x.corrections.yml
    """
    if declared:
        return _decode_declared(raw, name, declared), codecs.lookup(declared).name
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw[len(bom) :].decode(encoding), encoding
            except UnicodeDecodeError as exc:
                unit = "\n".encode(encoding)
                line = _line_of(raw[len(bom) :], exc.start, unit)
                msg = f"{name}:{line}: starts with a {encoding} byte-order mark but is not valid {encoding}"
                raise SeedError(msg) from exc
    if b"\x00" in raw:
        line = _line_of(raw, raw.index(b"\x00"))
        msg = (f"{name}:{line}: holds NUL bytes: a binary file, or UTF-16 without a byte-order "
               f"mark (declare its encoding in {_declared_path(name)})")
        raise SeedError(msg)
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_line = _line_of(raw, exc.start)
    candidates: list[tuple[float, int, str, str]] = []
    for rank, encoding in enumerate(_LEGACY):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        # Rank breaks ties: earlier in _LEGACY wins (max picks the highest -rank).
        candidates.append((plausibility(text), -rank, encoding, text))
    best = max(candidates, default=None)
    if best is None or best[0] < PLAUSIBLE:
        msg = (f"{name} is neither UTF-8 nor GB18030 (invalid UTF-8 on line {utf8_line}); "
               f"declare its encoding in {_declared_path(name)}")
        raise SeedError(msg)
    return best[3], best[2]


def _decode_declared(raw: bytes, name: str, declared: str) -> str:
    try:
        codecs.lookup(declared)
    except LookupError as exc:
        msg = f"{_declared_path(name)}: unknown encoding {declared!r} declared for {name}"
        raise SeedError(msg) from exc
    try:
        return raw.decode(declared)
    except UnicodeDecodeError as exc:
        line = _line_of(raw, exc.start)
        msg = f"{name}:{line}: not valid {declared} (declared in {_declared_path(name)})"
        raise SeedError(msg) from exc


def check_text(text: str, name: str) -> None:
    """Refuse decoded text holding control characters: it is binary, or wrongly converted.

    >>> check_text("a\\tb\\r\\n\\f", "x.txt")
    >>> check_text("a\\nb\\x01", "x.txt")
    Traceback (most recent call last):
    ...
    policy_archive.ingest.SeedError: x.txt:2: control character U+0001: a binary file, or text converted with the wrong encoding
    """
    match = _CONTROL_RE.search(text)
    if match:
        line = normalize_newlines(text[: match.start()]).count("\n") + 1
        msg = (f"{name}:{line}: control character U+{ord(match.group()):04X}: a binary file, "
               "or text converted with the wrong encoding")
        raise SeedError(msg)


def normalize_newlines(text: str) -> str:
    r"""CRLF and lone CR become LF; a form feed (page break) becomes a space.

    >>> normalize_newlines("a\r\nb\rc\fd")
    'a\nb\nc d'
    """
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", " ")


def declared_encoding(path: Path) -> str | None:
    """The encoding declared for a seed in its corrections file, if the corrections stage
    offers ``declared_encoding`` (it reads the ``encoding:`` key of the corrections file)."""
    try:
        from policy_archive.corrections import declared_encoding as declared
    except ImportError:
        return None
    return declared(path)


def read_seed(path: Path) -> Seed:
    """Read one seed file; refuse one larger than ``MAX_SEED_BYTES`` before reading it."""
    size = path.stat().st_size
    if size > MAX_SEED_BYTES:
        msg = (f"{path} is {size:,} bytes; a seed may hold at most {MAX_SEED_BYTES:,} bytes "
               f"({MAX_SEED_BYTES // 2**20} MiB): split the source into several seeds")
        raise SeedError(msg)
    raw = path.read_bytes()
    text, encoding = decode(raw, str(path), declared_encoding(path))
    check_text(text, str(path))
    return Seed(
        path=path,
        name=path.name,
        stem=path.stem,
        sha256=hashlib.sha256(raw).hexdigest(),
        text=normalize_newlines(text),
        encoding=encoding,
    )


def seed_paths(seeds_dir: Path) -> list[Path]:
    """The seed files of a folder (``*.txt``), in name order; at most ``MAX_SEEDS``."""
    if not seeds_dir.is_dir():
        msg = f"{seeds_dir}: no such folder of seeds"
        raise SeedError(msg)
    paths = sorted(p for p in seeds_dir.glob("*.txt") if p.is_file())
    if len(paths) > MAX_SEEDS:
        msg = (f"{seeds_dir} holds {len(paths):,} seeds; one build takes at most {MAX_SEEDS:,} "
               "(every document is kept in memory to write the listing and the dataset)")
        raise SeedError(msg)
    return paths
