"""How plausible a decoding of a seed's bytes is: the scores ``ingest.decode`` decides by.

Bytes of Chinese text are often valid in several encodings: Big5 bytes read as GB18030
give rare characters, kana and private-use code points, GBK bytes can be valid UTF-8
(``强省`` as ``ǿʡ``). A decoding is scored by what its characters cost under a character
model of Chinese text (``data/han_frequency.yml``): a common Han character costs 7–10
bits, a rare one 17–18, a mark of running punctuation 5, kana or box drawing 20. ASCII
costs nothing (it reads the same in every encoding the archive detects). The mean cost
per non-ASCII character says whether a decoding is *plausible* (real text has a mean of
8–12.5 bits per line in the benchmark, wrong decodings 14.7 and more); the difference
of the totals of two decodings of the same bytes is how much more likely one is (a
log-likelihood ratio in bits), which is what ``MARGIN_BITS`` bounds.

Measured by ``benchmarks/encodings.py`` on short samples of real texts.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
import operator
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from policy_archive import datafiles
from policy_archive.text import HAN, LazyPattern

DATA_FILE = "han_frequency.yml"
# Mean cost per non-ASCII character above which a decoding is not Chinese text.
PLAUSIBLE_BITS = 13.5
# How much better (in bits, so 2**10 times as likely) one decoding must be than another
# before it is believed; below that the bytes are ambiguous.
MARGIN_BITS = 10.0
# A line the chosen encoding reads implausibly needs less: real lines are plausible in
# their own encoding (at most 12.5 bits a character in the benchmark), so the margin only
# keeps a line that reads badly every way from being blamed on one encoding.
LINE_MARGIN_BITS = 4.0

# Encodings tried when none is declared, in order of preference, and the family each is
# in: the Big5 variants differ in a few code points only, so they never make a seed
# ambiguous between themselves.
DETECTED = ("utf-8", "gb18030", "cp950", "big5hkscs")
LEGACY = DETECTED[1:]
FAMILY = {"utf-8": "UTF-8", "gb18030": "GB18030", "cp950": "Big5", "big5hkscs": "Big5"}

_HAN_RE = re.compile(f"[{HAN}]")
# Symbols Chinese text uses besides its running punctuation: Latin-1 signs, general
# punctuation, letterlike symbols (℃ №), number forms (Ⅳ), arrows, maths, enclosed
# numerals (①), geometric shapes (■ ★), CJK symbols, enclosed CJK (㈠), squared units,
# vertical forms, full-width forms. Box drawing, kana and half-width katakana are not here.
_SYMBOL_RE = LazyPattern(  # a character the cost model lacks: rare in a UTF-8 seed
    "[\u00a1-\u00bf\u00d7\u00f7\u2010-\u2027\u2030-\u205e\u2100-\u23ff\u2460-\u24ff"
    "\u25a0-\u27bf\u3000-\u303f\u3200-\u33ff\ufe30-\ufe4f\uff01-\uff60\uffe0-\uffee]"
)
_LINE_RE = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n|$)")
_TEXT_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")


@dataclass(frozen=True)
class Costs:
    han: dict[str, int]
    rare_han: int
    punctuation: frozenset[str]
    punctuation_bits: int
    pinyin: frozenset[str]
    pinyin_bits: int
    symbol: int
    other: int


@functools.cache
def costs() -> Costs:
    """The character model, read once from ``data/han_frequency.yml``."""
    name = DATA_FILE
    return Costs(
        han={ch: int(bits) for bits, chars in datafiles.require(name, "bits").items()
             for ch in chars},
        rare_han=int(datafiles.require(name, "rare_han")),
        punctuation=frozenset(datafiles.require(name, "punctuation", "chars")),
        punctuation_bits=int(datafiles.require(name, "punctuation", "bits")),
        pinyin=frozenset(datafiles.require(name, "pinyin", "chars")),
        pinyin_bits=int(datafiles.require(name, "pinyin", "bits")),
        symbol=int(datafiles.require(name, "symbol")),
        other=int(datafiles.require(name, "other")),
    )


# Each distinct character is costed once per process: a build reads the same few thousand.
@functools.lru_cache(maxsize=65536)
def char_cost(ch: str) -> int:
    """Bits a non-ASCII character costs in Chinese text (see the module doc).

    >>> [char_cost(c) for c in "会議，℃ǎい\ue000"]
    [8, 11, 5, 13, 13, 20, 20]
    """
    model = costs()
    bits = model.han.get(ch)
    if bits is not None:
        return bits
    if _HAN_RE.match(ch):
        return model.rare_han
    if ch in model.punctuation:
        return model.punctuation_bits
    if ch in model.pinyin:
        return model.pinyin_bits
    if _SYMBOL_RE.match(ch):
        return model.symbol
    return model.other


@dataclass(frozen=True)
class Reading:
    """One decoding of some bytes, with its cost."""

    encoding: str
    text: str
    bits: int  # total cost of the non-ASCII characters
    chars: int  # how many there are
    # The cost of each distinct character (ASCII: 0), for reading the text's lines.
    costs: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    @property
    def mean(self) -> float:
        return self.bits / self.chars if self.chars else 0.0

    @property
    def plausible(self) -> bool:
        return self.mean <= PLAUSIBLE_BITS

    @property
    def family(self) -> str:
        return FAMILY.get(self.encoding, self.encoding)


def read_as(raw: bytes, encoding: str) -> Reading | None:
    """The strict decoding of ``raw`` in ``encoding`` with its cost, or None if invalid.

    >>> read_as("强省".encode("gbk"), "utf-8")
    Reading(encoding='utf-8', text='ǿʡ', bits=40, chars=2)
    >>> read_as("强省".encode("gbk"), "gb18030").plausible
    True
    """
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        return None
    # Each distinct character is costed once (a seed of megabytes has a few thousand), and
    # summed in C: a loop over them was a tenth of reading a seed.
    counts = Counter(text)
    costs = dict(zip(counts, map(_cost, counts), strict=True))
    bits = sum(map(operator.mul, costs.values(), counts.values()))
    chars = sum(itertools.compress(counts.values(), costs.values()))
    return Reading(encoding, text, bits, chars, costs)


@functools.lru_cache(maxsize=65536)
def _cost(ch: str) -> int:
    """``char_cost``, and nothing for ASCII (cached: looked up from C, with no Python call
    for a character met before)."""
    return char_cost(ch) if ch >= "\x80" else 0


def readings(raw: bytes, encodings: tuple[str, ...] = DETECTED) -> list[Reading]:
    """The valid decodings of ``raw`` in ``encodings``, the best of each family only.

    Best is cheapest; on equal cost the earlier encoding.
    """
    best: dict[str, Reading] = {}
    for encoding in encodings:
        reading = read_as(raw, encoding)
        if reading is None:
            continue
        kept = best.get(reading.family)
        if kept is None or reading.bits < kept.bits:
            best[reading.family] = reading
    return list(best.values())


def lines(raw: bytes) -> Iterator[tuple[int, bytes]]:
    """(1-based number, bytes) of each line holding a non-ASCII byte; CRLF, CR, LF end lines.

    >>> list(lines("a\\r\\n会\\r议\\n".encode()))
    [(2, b'\\xe4\\xbc\\x9a\\r'), (3, b'\\xe8\\xae\\xae\\n')]
    """
    for number, match in enumerate(_LINE_RE.finditer(raw), 1):
        line = match.group()
        if line and not line.isascii():
            yield number, line


def line_read_otherwise(raw: bytes, encoding: str, whole: Reading | None = None
                        ) -> tuple[int, Reading] | None:
    r"""The first line that ``encoding`` reads wrongly while another family reads it well.

    Wrongly: not at all, or implausibly; well: plausibly, and ``LINE_MARGIN_BITS`` better.
    The encodings detected are ASCII-compatible and no multi-byte character holds a line-end
    byte, so each line decodes on its own as it does within the file.

    >>> big5, gbk = "會議指出，要堅決扛起。".encode("big5"), "会议强调，坚定信心。".encode("gbk")
    >>> number, reading = line_read_otherwise(gbk + b"\n" + big5 + b"\n", "gb18030")
    >>> number, reading.encoding, reading.text
    (2, 'cp950', '會議指出，要堅決扛起。\n')

    ``whole`` is ``read_as(raw, encoding)`` where the caller has it (not read again).
    """
    if whole is not None and whole.encoding == encoding:
        text, cost = whole.text, whole.costs
    else:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            text = None
        cost = _costs_of(text) if text is not None else None
    suspect = _suspects(cost) if cost is not None else None
    if text is not None and suspect is None:
        return None  # every character reads plausibly, so every line does
    text_lines = _TEXT_LINE_RE.finditer(text) if text is not None else None
    family = FAMILY.get(encoding, encoding)
    seen: set[bytes] = set()  # a line read once is not read again (repeated lines)
    for number, match in enumerate(_LINE_RE.finditer(raw), 1):
        line = match.group()
        text_line = next(text_lines).group() if text_lines is not None else None
        if line.isascii() or line in seen:
            continue
        seen.add(line)
        if suspect is not None and suspect.isdisjoint(text_line):
            continue
        if cost is not None and _plausible(text_line, cost):
            continue  # as read_as(line, encoding) would say, without decoding it again
        mine = read_as(line, encoding)
        if mine is not None and mine.plausible:
            continue
        others = [r for r in readings(line) if r.family != family and r.plausible]
        if not others:
            continue
        best = min(others, key=lambda r: r.bits)
        if mine is None or mine.bits - best.bits >= LINE_MARGIN_BITS:
            return number, best
    return None


# Characters costing no more than this are plausible whatever their line holds (costs are
# whole bits).
_CHEAP_BITS = math.floor(PLAUSIBLE_BITS)


@functools.cache
def _maybe_dear() -> re.Pattern[str]:
    """Every character that may cost more than ``_CHEAP_BITS``: all but ASCII and the
    listed characters that cost less. One class for every text, compiled once: it may
    hold cheap characters too (unlisted symbols), which ``plainly_utf8`` counts at their
    cost."""
    model = costs()
    cheap = sorted(ch for ch in {*model.han, *model.punctuation, *model.pinyin}
                   if char_cost(ch) <= _CHEAP_BITS)
    return re.compile("[^\\x00-\\x7f" + "".join(map(re.escape, cheap)) + "]")


def plainly_utf8(raw: bytes) -> str | None:
    """The text of ``raw`` when it is valid UTF-8 and every line of it plausible as UTF-8
    (so the whole is), shown from the few characters of the text that may cost more than
    ``_CHEAP_BITS`` without costing every character: then ``ingest.decode`` reads it as
    UTF-8 and finds no line read otherwise. None when that is not shown so: the long way
    (``read_as`` and ``line_read_otherwise``) decides. Costing every character, line by
    line, was most of reading a seed.

    >>> plainly_utf8("会议指出，要推进成渝地区双城经济圈建设。\\n".encode())
    '会议指出，要推进成渝地区双城经济圈建设。\\n'
    >>> plainly_utf8("强省".encode("gbk")) is None  # valid UTF-8 (ǿʡ), implausibly
    True
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    found = [(m.start(), _cost(m.group())) for m in _maybe_dear().finditer(text)]
    if not found:
        return text  # every character costs at most _CHEAP_BITS
    starts = [start for start, _ in found]
    # The cost beyond _CHEAP_BITS of the characters found, summed from the start.
    extra = list(itertools.accumulate((max(0, bits - _CHEAP_BITS) for _, bits in found),
                                      initial=0))
    for line in _TEXT_LINE_RE.finditer(text):
        start, end = line.span()
        dear = (extra[bisect.bisect_left(starts, end)]
                - extra[bisect.bisect_left(starts, start)])
        if not dear:
            continue
        # At most _CHEAP_BITS a character but for those found, which cost ``dear`` more;
        # a short line with a name in it may need its exact cost.
        chars = end - start - len(line.group().encode("ascii", "ignore"))
        if _CHEAP_BITS * chars + dear > PLAUSIBLE_BITS * chars and \
                sum(map(_cost, line.group())) > PLAUSIBLE_BITS * chars:
            return None
    return text


def _costs_of(text: str) -> dict[str, int]:
    """The cost of each distinct character of ``text`` (ASCII costs nothing)."""
    return {ch: _cost(ch) for ch in set(text)}


def _plausible(line: str, cost: dict[str, int]) -> bool:
    """``Reading.plausible`` for a line of a decoded text whose costs are ``cost``: summed
    in C, since most lines of a seed hold a character the model finds rare.

    >>> text = "会议\\n" + "\\u2500" * 3
    >>> [_plausible(line, _costs_of(text)) for line in text.split("\\n")]
    [True, False]
    """
    chars = len(line) - len(line.encode("ascii", "ignore"))
    return not chars or sum(map(cost.__getitem__, line)) / chars <= PLAUSIBLE_BITS


def _suspects(cost: dict[str, int]) -> frozenset[str] | None:
    """The characters that alone could make a line implausible (those costing more than
    ``PLAUSIBLE_BITS``), or None when there is none. A set, not a pattern: compiling a
    class of a few hundred characters for every seed cost more than the lines it spared."""
    expensive = frozenset(ch for ch, bits in cost.items() if bits > PLAUSIBLE_BITS)
    return expensive or None
