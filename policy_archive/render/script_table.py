"""The character table a search box uses to read a query typed in the other script.

Readers type whichever script their keyboard gives them, and each site's search index holds
one script. The search worker converts a query to the page's script character by
character with this table before searching. It is built from the archive's own text with
the archive's own converter (``policy_archive.script``: OpenCC ``s2tw`` plus the phrase
fixes), so it holds exactly the characters the site's pages can contain, and it is small.

Each direction maps a character typed in one script to its candidates in the other, most
frequent in the archive first. Traditional → simplified is one-to-one but for a handful of
characters; simplified → traditional has ambiguous ones (系 → 係, 繫 or 系; 征 → 徵 or 征),
where the worker searches every candidate. A character that is also written as itself in
the target script (干 stays 干 in 干部) keeps itself as a candidate.
"""

from __future__ import annotations

import json
import re
import sys
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable

from policy_archive.script import SEPARATOR, to_traditional, to_traditional_pieces
from policy_archive.site_contract import TRADITIONAL_LOCALE

_HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def aligned_pairs(lines: Iterable[str]) -> Counter[tuple[str, str]]:
    """How often each simplified character is written as each traditional one, in context.

    The conversion is character for character on the archive's text; a line it changes in
    length (none today) is left out rather than misaligned.

    >>> pairs = aligned_pairs(["联系群众", "关系", "系统"])
    >>> sorted(t for s, t in pairs if s == "系"), pairs["众", "眾"]
    (['係', '系', '繫'], 1)
    >>> aligned_pairs(["abc", ""])
    Counter()
    """
    lines = list(lines)
    return unpack_pairs(_packed(*_aligned("\n".join(lines), lines)))


def _aligned(text: str, lines: list[str] | None = None) -> tuple[str, str]:
    """``text`` (whose lines are ``lines``, if given) and its conversion, aligned character
    for character; characters that are not Han may be left in both (``_packed`` drops them)."""
    aligned = _aligned_by_piece(text)
    if aligned is None:
        aligned = _aligned_by_line(text.splitlines() if lines is None else lines)
    return aligned


def _aligned_by_piece(text: str) -> tuple[str, str] | None:
    """``text``'s pieces between separators and their conversion, each piece converted once
    however often the page repeats it (a title, a label, a name); None when a piece changes
    length.

    Exact: OpenCC and the phrase fixes never reach across a separator
    (``script.SEPARATOR``), so a piece converts alone as it does in its line, and the
    separators themselves are neither Han nor changed.

    >>> lines = ["title: 联系群众", "# 联系群众、关系", "SQL注入"]
    >>> _packed(*_aligned_by_piece(chr(10).join(lines))) == _packed(*_aligned_by_line(lines))
    True
    """
    pieces = SEPARATOR.split(text)
    distinct = list(dict.fromkeys(pieces))
    converted = to_traditional_pieces(distinct)
    if converted is None:
        return None
    target = dict(zip(distinct, converted, strict=True))
    return "".join(pieces), "".join(map(target.__getitem__, pieces))


def _aligned_by_line(lines: list[str]) -> tuple[str, str]:
    """The Han characters of ``lines`` and their conversion, a line the conversion changes
    in length left out."""
    # Lines without Han characters are converted too: they give no pair, and testing each
    # line for Han cost more than OpenCC spends on a line of ASCII.
    text = "\n".join(lines)
    # One conversion of all the lines: OpenCC's phrases and the phrase fixes never span a
    # line break, so each line converts as it would alone (checked: same number of lines).
    converted = to_traditional(text)
    targets = converted.split("\n")
    if len(targets) != len(lines):
        targets = [to_traditional(line) for line in lines]
        converted = "\n".join(targets)
    if list(map(len, targets)) != list(map(len, lines)):
        kept = [(line, target) for line, target in zip(lines, targets, strict=True)
                if len(line) == len(target)]
        text, converted = "\n".join(s for s, _ in kept), "\n".join(t for _, t in kept)
    runs = [run.span() for run in _HAN_RUN.finditer(text)]
    return ("".join(text[start:end] for start, end in runs),
            "".join(converted[start:end] for start, end in runs))


# A pair is counted as one 64-bit number, the simplified character's code point above the
# traditional one's: numbers are made and hashed at C speed (twice as fast as strings of two
# characters), and they sort as the pairs do. The text is laid out as such numbers in the
# machine's byte order, four bytes a character (UTF-32).
_UTF32 = "utf-32-le" if sys.byteorder == "little" else "utf-32-be"
_HIGH, _LOW = (4, 0) if sys.byteorder == "little" else (0, 4)
# The pairs kept: a simplified character in the Han ranges (``_HAN_RUN``).
_HAN_PAIRS = ((0x3400 << 32, 0xA000 << 32), (0xF900 << 32, 0xFB00 << 32))


def _packed(source: str, converted: str) -> Packed:
    """The pairs of the Han characters of ``source`` with those of ``converted`` at the same
    place, packed (``pack_pairs``).

    >>> _packed("关系a关心𫗧", "關係a關心餗")
    ['关心系', '關心係', [2, 1, 1]]
    """
    counts = Counter(memoryview(_interleaved(source, converted)).cast("Q"))
    ordered = sorted(counts)
    kept = [number for low, high in _HAN_PAIRS
            for number in ordered[bisect_left(ordered, low):bisect_left(ordered, high)]]
    layout = array("Q", kept).tobytes()
    return [_halves(layout, _HIGH), _halves(layout, _LOW), list(map(counts.__getitem__, kept))]


def _interleaved(source: str, converted: str) -> bytearray:
    """Each character of ``source`` with the one of ``converted`` at its place, as 64-bit
    numbers (``_packed``)."""
    high = source.encode(_UTF32, "surrogatepass")
    low = converted.encode(_UTF32, "surrogatepass")
    out = bytearray(2 * len(high))
    for byte in range(4):
        out[_HIGH + byte::8] = high[byte::4]
        out[_LOW + byte::8] = low[byte::4]
    return out


def _halves(layout: bytes, offset: int) -> str:
    """The characters in one half of each 64-bit number of ``layout`` (``_interleaved``)."""
    out = bytearray(len(layout) // 2)
    for byte in range(4):
        out[byte::4] = layout[offset + byte::8]
    return out.decode(_UTF32, "surrogatepass")


def _candidates(counts: Counter[str]) -> str:
    return "".join(sorted(counts, key=lambda c: (-counts[c], c)))


def script_tables(pairs: Counter[tuple[str, str]]) -> dict[str, dict[str, str]]:
    """For each site, typed character → its candidates in that site's script.

    >>> tables = script_tables(aligned_pairs(["联系群众", "关系", "关系", "系统", "皇后", "人民"]))
    >>> tables["zh-Hans"]["係"], tables["zh-Hans"]["眾"]
    ('系', '众')
    >>> tables["zh-Hant"]["系"], tables["zh-Hant"]["众"]
    ('係系繫', '眾')
    >>> "民" in tables["zh-Hant"], "后" in tables["zh-Hant"]  # written as themselves: no entry
    (False, False)
    """
    to_hans: dict[str, Counter[str]] = {}
    to_hant: dict[str, Counter[str]] = {}
    simplified_chars = {s for s, _ in pairs}
    for (s, t), n in pairs.items():
        to_hans.setdefault(t, Counter())[s] += n
        to_hant.setdefault(s, Counter())[t] += n
    hans = {}
    for t, counts in to_hans.items():
        if t in simplified_chars:  # 著 is also simplified (显著): keep it as a candidate
            counts[t] += 0 if t in counts else 1
        if set(counts) != {t}:
            hans[t] = _candidates(counts)
    hant = {s: _candidates(counts) for s, counts in to_hant.items() if set(counts) != {s}}
    return {"zh-Hans": dict(sorted(hans.items())), TRADITIONAL_LOCALE: dict(sorted(hant.items()))}


Packed = list  # [simplified characters, traditional characters, counts]: pairs as plain data


def page_pairs(text: str) -> Packed:
    """A page's aligned pairs as plain data, so the render cache can keep them with the page.

    >>> page_pairs("关系")
    ['关系', '關係', [1, 1]]
    """
    return _packed(*_aligned(text))


def pack_pairs(pairs: Counter[tuple[str, str]]) -> Packed:
    """``pairs`` as two aligned strings and their counts (compact in JSON, fast to read)."""
    ordered = sorted(pairs.items())
    return ["".join(s for (s, _), _ in ordered), "".join(t for (_, t), _ in ordered),
            [n for _, n in ordered]]


def unpack_pairs(packed: Packed) -> Counter[tuple[str, str]]:
    """The inverse of ``pack_pairs`` (``ValueError`` if malformed).

    >>> unpack_pairs(page_pairs("关系")) == aligned_pairs(["关系"])
    True
    """
    simplified, traditional, counts = packed
    if not (isinstance(simplified, str) and isinstance(traditional, str)
            and len(simplified) == len(traditional) == len(counts)
            and all(isinstance(n, int) for n in counts)):
        msg = "not packed pairs"
        raise ValueError(msg)
    return Counter(dict(zip(zip(simplified, traditional, strict=True), counts, strict=True)))


def sum_packed(packed: Iterable[Packed]) -> Counter[tuple[str, str]]:
    """The sum of pages' packed pairs, read in place (each page's ``page_pairs``, or a
    cached entry already checked: no ``unpack_pairs`` per page).

    >>> sum_packed([page_pairs("关系"), page_pairs("联系")]) == aligned_pairs(["关系", "联系"])
    True
    """
    # Summed by the pairs' numbers (``_packed``): a number is hashed faster than a tuple.
    total: dict[int, int] = {}
    get = total.get
    for simplified, traditional, counts in packed:
        if len(simplified) != len(traditional) or len(simplified) != len(counts):
            msg = "not packed pairs"
            raise ValueError(msg)
        for number, n in zip(memoryview(_interleaved(simplified, traditional)).cast("Q"),
                             counts, strict=True):
            total[number] = get(number, 0) + n
    numbers = sorted(total)
    layout = array("Q", numbers).tobytes()
    pairs = zip(_halves(layout, _HIGH), _halves(layout, _LOW), strict=True)
    return Counter(dict(zip(pairs, map(total.__getitem__, numbers), strict=True)))


def script_table_json(pairs: Counter[tuple[str, str]]) -> str:
    """The tables, as JSON, from the pairs of every text the site shows."""
    tables = script_tables(pairs)
    return json.dumps(tables, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"
