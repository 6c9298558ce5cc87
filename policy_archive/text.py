"""Character classes and measures shared by the cleaning, splitting and extraction stages."""

from __future__ import annotations

import re
from typing import Any


class LazyPattern:
    """A regular expression compiled when first used, for a module's pattern that a build
    may not need (a rare branch, a form few texts hold): every pattern compiled at import
    adds to each start of the program, such as a rebuild after one correction, used or not.

    It is used as the compiled pattern is; each attribute (``search``, ``sub``…) is the
    compiled pattern's, looked up once and kept, so that later calls cost what a call of
    the compiled pattern's method costs.

    >>> digits = LazyPattern("[0-9]+")
    >>> "search" in vars(digits)
    False
    >>> digits.search("第12次").group(), digits.pattern, "search" in vars(digits)
    ('12', '[0-9]+', True)
    """

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._written = (pattern, flags)

    def _text(self) -> str:
        """The text compiled (a subclass may make it on first use too)."""
        return self._written[0]

    def __getattr__(self, name: str) -> Any:
        # Called only for a name the instance does not hold yet: the first use of each.
        if name.startswith("__"):
            raise AttributeError(name)  # copy, pickle and the like probe for these
        compiled = self.__dict__.get("_compiled")
        if compiled is None:
            compiled = self.__dict__["_compiled"] = re.compile(self._text(), self._written[1])
        value = getattr(compiled, name)
        setattr(self, name, value)
        return value


# Han ideographs (unified, extension A, compatibility) — the characters the archive must never lose.
HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Full-width punctuation and symbols used in Chinese text.
CJK_PUNCT = r"\u3000-\u303f\uff00-\uffef\u2014\u2018\u2019\u201c\u201d\u2026\u00b7"
HAN_RE = re.compile(f"[{HAN}]")
CJK_RE = re.compile(f"[{HAN}{CJK_PUNCT}]")

# Marks that end a sentence, optionally followed by closing quotes or brackets.
SENTENCE_END_RE = re.compile(r"[。！？!?…][”’」』）)》]*$")
# Punctuation that only stands inside running text (never in a printed headline line).
SENTENCE_PUNCT_RE = re.compile(r"[，。；！？：,;?!]")

IDEOGRAPHIC_SPACE = "\u3000"
# Characters half an em wide in a printed column: below the CJK blocks, except the quotes,
# dashes and dots Chinese type sets full width: [^\u2e80-\U0010ffff“”‘’—…·], written as the
# ranges between those marks (· — ‘’ “” …) because ``re`` compiles a class by walking each
# code point of its ranges below U+10000: 11,900 here, 53,000 for the negated class (about
# 3.5 ms saved at each start; tests/test_text.py checks every code point).
_NARROW_RE = re.compile("[\x00-\xb6\xb8-\u2013\u2015-\u2017\u201a\u201b\u201e-\u2025\u2027-\u2e7f]")

# Characters no text of the archive may hold, whether it comes from a seed, a corrections
# file or a lexicon: C0 controls but TAB, LF, CR and FF; DEL; the C1 controls (NEL among
# them), which in decoded text mean a wrong conversion upstream; and the bidirectional
# controls, which make a headline display in another order than it reads and is searched.
_FORBIDDEN = {
    **{chr(c): "control character" for c in [*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20)]},
    **{chr(c): "control character" for c in range(0x7F, 0xA0)},
    **{chr(c): "bidirectional control"
       for c in [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]},
}
FORBIDDEN_RE = re.compile("[" + "".join(re.escape(ch) for ch in _FORBIDDEN) + "]")


def forbidden_character(text: str) -> tuple[int, int, str] | None:
    r"""The first character no archive text may hold: (line, column, description), 1-based.

    Line breaks are counted as an editor counts them (LF, CRLF or a lone CR), so the line
    number is the one a contributor sees.

    >>> forbidden_character("会议\n审议\u202e通过")
    (2, 3, 'bidirectional control U+202E')
    >>> forbidden_character("a\r\nb\x85")
    (2, 2, 'control character U+0085')
    >>> forbidden_character("制表\t符、换页\f和全角空格\u3000都可以") is None
    True
    """
    match = FORBIDDEN_RE.search(text)
    if match is None:
        return None
    before = text[: match.start()].replace("\r\n", "\n").replace("\r", "\n")
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    char = match.group()
    return line, column, f"{_FORBIDDEN[char]} U+{ord(char):04X}"


def display_width(line: str) -> float:
    """Width of a line in em: a Han character or full-width mark is 1, ASCII is 1/2.

    Printed columns are justified to a fixed width in em, so this is what tells a full
    (wrapped) line from a short one that ends a paragraph.

    >>> display_width("第58次")
    3.0
    """
    # Counted by one regular expression: this runs for every line of every seed.
    return len(line) - 0.5 * len(_NARROW_RE.findall(line))


def ends_sentence(line: str) -> bool:
    """True when a line ends with a sentence-final mark (。！？, maybe then a closing quote).

    >>> ends_sentence("确保实现“半年进”“双过半”。"), ends_sentence("努力在发展新质生产")
    (True, False)
    """
    return bool(SENTENCE_END_RE.search(line.rstrip()))


def han_characters(text: str) -> str:
    """The Han characters of a text, in order (what the nothing-lost check counts).

    >>> han_characters("审议2024年《规定》")
    '审议年规定'
    """
    return "".join(HAN_RE.findall(text))
