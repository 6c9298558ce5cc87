"""Conversion between simplified (zh-Hans) and traditional (zh-Hant) script.

One place for both directions, used by the pipeline (a traditional seed becomes
simplified canonical text) and by the MkDocs hook that writes the zh-Hant site.

Choices, on purpose:

- zh-Hant output uses OpenCC's ``s2tw``: characters in the standard forms readers of
  traditional script expect (為, 群, 眾), never vocabulary. ``s2t`` writes OpenCC's own
  forms (爲, 羣, 衆); ``s2twp`` rewrites official vocabulary (支持→支援, 项目→專案), which
  an archive of official texts must never do.
- Every converter makes a few phrase errors on these texts (帶頭髮展); the phrase fixes
  in ``data/script_phrase_fixes.yml`` repair them after conversion.
- Converters are built once per process: building one reads OpenCC's dictionaries.
- Text must be joined into paragraphs before conversion: a line break inside a word
  changes the phrase OpenCC sees (a 面 became 麵 in a trial).
"""

from __future__ import annotations

import functools
import re
from typing import Literal

from policy_archive import datafiles
from policy_archive.yamlfile import Index

Script = Literal["zh-Hans", "zh-Hant"]

_HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")

# Characters that no key of the dictionaries s2tw reads holds: OpenCC 1.4.2's keys hold Han
# characters and, in a few phrases, 〇, ·, -, capital letters and characters beyond the Basic
# Multilingual Plane, never ASCII spaces, digits, small letters or punctuation, nor CJK or
# full-width punctuation (scripts/opencc_separators.py lists every key and checks). OpenCC's
# phrases and the phrase fixes never reach across one, so it is converted as itself, and the
# text between two of them converts alone as it does in its page. NUL is left out: OpenCC
# stops there.
SEPARATOR = re.compile(
    "[\x01-\x2c\x2e-\x40\x5b-\x7f\u2010-\u2027\u3000-\u3004\u3008-\u3011\u3014-\u301f"
    "\uff01-\uff20\uff3b-\uff40\uff5b-\uff65]+")
# The OpenCC whose dictionaries were checked for SEPARATOR: with another, text is converted
# whole (``to_traditional_pieces`` declines) until the script has checked it.
SEPARATOR_CHECKED_WITH = "1.4.2"


@functools.cache
def _converter(config: str):
    import opencc  # imported late: hooks that never convert do not pay for it

    return opencc.OpenCC(config)


@functools.cache
def _converter_version() -> str:
    import opencc

    return opencc.__version__


@functools.cache
def phrase_fixes() -> tuple[tuple[str, str, str], ...]:
    """The (wrong, right, why) phrase fixes applied after s2tw conversion.

    A ``wrong`` is Han characters only (the file names its line if not): a fix then never
    reaches across a ``SEPARATOR``, so text cut there converts piece by piece as it does
    whole (``to_traditional_pieces``).
    """
    name = "script_phrase_fixes.yml"
    data = datafiles.load(name) or {}
    fixes = tuple((e["wrong"], e["right"], e["why"]) for e in data.get("to_traditional", []))
    for n, (wrong, _right, _why) in enumerate(fixes):
        if not (isinstance(wrong, str) and _HAN_RUN.fullmatch(wrong)):
            keys = ("to_traditional", Index(n), "wrong")
            raise datafiles.load_tree(name).error(
                keys, f"wrong {wrong!r} must be Han characters only (a fix stays inside a word)")
    return fixes


def to_simplified(text: str) -> str:
    """Convert traditional script to simplified (OpenCC ``tw2s``).

    ``tw2s`` rather than ``t2s``: in traditional script 著 also writes the particle 着
    (牽掛著, 沿著, 著力), and ``t2s`` keeps 著, which simplified script uses only for zhù
    (显著). ``tw2s`` converts characters only (``tw2sp`` would also convert vocabulary).

    >>> to_simplified("時刻牽掛著四川，著力打造，成效顯著")
    '时刻牵挂着四川，着力打造，成效显著'

    >>> to_simplified("會議指出,要堅決扛起建設國家戰略腹地這個重大使命")
    '会议指出,要坚决扛起建设国家战略腹地这个重大使命'
    """
    return _converter("tw2s").convert(text)


def to_traditional(text: str) -> str:
    """Convert simplified script to traditional characters (``s2tw`` + phrase fixes).

    Characters only, never vocabulary:

    >>> to_traditional("支持全局项目，为群众带头发展，更加注重")
    '支持全局項目，為群眾帶頭發展，更加注重'
    """
    converted = _converter("s2tw").convert(text)
    for wrong, right, _why in phrase_fixes():
        converted = converted.replace(wrong, right)
    return converted


def to_traditional_pieces(pieces: list[str]) -> list[str] | None:
    """``to_traditional`` of each piece of text cut at ``SEPARATOR``, in one conversion; None
    when a piece would change length (no conversion does today) or OpenCC is not the one
    ``SEPARATOR`` was checked with.

    >>> to_traditional_pieces(["带头发展", "", "关系"])
    ['帶頭發展', '', '關係']
    >>> to_traditional_pieces(["干部"]) == [to_traditional("干部")]
    True
    """
    if _converter_version() != SEPARATOR_CHECKED_WITH:
        return None
    # A line break is a separator: the pieces convert as they would alone.
    converted = to_traditional("\n".join(pieces)).split("\n")
    if list(map(len, converted)) != list(map(len, pieces)):
        return None
    return converted


# Han characters read to tell the scripts apart.
DETECTION_SAMPLE = 500


def detect_script(text: str) -> Script:
    """Say whether a text is written in simplified or traditional characters.

    Counts the Han characters each direction of conversion would change: a
    traditional text changes under t2s and hardly at all under s2t, and the
    reverse for a simplified one.

    >>> detect_script("會議指出，要堅決扛起")
    'zh-Hant'
    >>> detect_script("会议指出，要坚决扛起")
    'zh-Hans'
    """
    # A sample decides as well as the whole text and costs the same for any length.
    han = _han_sample(text)
    if not han:
        return "zh-Hans"
    simplified = to_simplified(han)
    if simplified == han:
        return "zh-Hans"  # t2s changes nothing (most texts): no character to count
    changed_by_t2s = sum(map(str.__ne__, han, simplified))  # zip's pairs, in C
    if changed_by_t2s == 0:
        return "zh-Hans"  # s2t cannot change fewer than none: spare its conversion
    changed_by_s2t = sum(map(str.__ne__, han, _converter("s2tw").convert(han)))
    return "zh-Hant" if changed_by_t2s > changed_by_s2t else "zh-Hans"


def _han_sample(text: str) -> str:
    """The first ``DETECTION_SAMPLE`` Han characters of ``text``, read no further.

    >>> _han_sample("甲a乙" + "丙" * 600) == "甲乙" + "丙" * 498
    True
    """
    runs: list[str] = []
    size = 0
    for run in _HAN_RUN.finditer(text):
        runs.append(run.group())
        size += len(runs[-1])
        if size >= DETECTION_SAMPLE:
            break
    return "".join(runs)[:DETECTION_SAMPLE]
