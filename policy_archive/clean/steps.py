"""The repair steps: small pure ``str -> str`` functions, each with one job.

Two kinds, listed in order in ``policy_archive/clean/__init__.py``:

- *seed steps* keep the line structure (the same number of lines in and out; a removed
  line becomes empty), so the pipeline can tell which article each change fell in and
  errors can name a line of the seed;
- *article steps* run on one article's body once the seed is split.

None of them normalises Unicode (NFC/NFKC) or folds full-width forms to ASCII: both would
rewrite Chinese punctuation （，：“”） and compatibility ideographs.
"""

from __future__ import annotations

import functools
import itertools
import re
import statistics
import string
import unicodedata
from collections import Counter

from policy_archive import datafiles
from policy_archive.script import to_simplified
from policy_archive.text import (
    CJK_PUNCT,
    CJK_RE,
    HAN,
    HAN_RE,
    IDEOGRAPHIC_SPACE,
    SENTENCE_PUNCT_RE,
    LazyPattern,
    display_width,
    ends_sentence,
)


def _map_lines(text: str, fix_line) -> str:
    return "\n".join(fix_line(line) for line in text.split("\n"))


# ---------------------------------------------------------------------------------------------
# Seed steps (line-preserving)


_BOOKMARK_RE = re.compile(r"\[bookmark: ?[^\]\n]*\]")


def drop_docx_bookmarks(text: str) -> str:
    """Remove the ``[bookmark: …]`` markers a .docx → text conversion leaves behind.

    Only the bracketed bookmark goes; other square brackets are text.

    >>> drop_docx_bookmarks("[bookmark: _GoBack]省委常委会召开会议[注1]")
    '省委常委会召开会议[注1]'
    """
    return _BOOKMARK_RE.sub("", text)


def drop_invisible_characters(text: str) -> str:
    """Remove zero-width characters, soft hyphens and stray byte-order marks.

    They are invisible on the page but split words for search and for OpenCC.

    >>> drop_invisible_characters("新质\\u200b生产力\\u00ad")
    '新质生产力'
    """
    for ch in datafiles.require("artefacts.yml", "invisible_characters"):
        text = text.replace(ch, "")
    return text


@functools.lru_cache(maxsize=65536)
def chrome_key(line: str) -> str:
    """A line as chrome lists compare it: without white space, punctuation widened.

    Later steps close spaces and widen punctuation; comparing in this form makes a chrome
    line that those steps would tidy (``分 享 让 更 多 人 看 到``) match now, so that no later
    step can turn a kept line into a removable one (the repair must be idempotent).

    >>> chrome_key(" 【 打印本页 】\\u3000"), chrome_key("分享到:")
    ('【打印本页】', '分享到：')
    """
    return re.sub(r"\s+", "", line).translate(_WIDEN_ALWAYS)


def drop_web_footers(text: str) -> str:
    """Empty the lines that are only web chrome, such as ``分享讓更多人看到``.

    A footer phrase inside a sentence is text and stays.

    >>> drop_web_footers("会议强调。\\n分享讓更多人看到")
    '会议强调。\\n'
    >>> drop_web_footers("要把分享让更多人看到作为目标。")
    '要把分享让更多人看到作为目标。'
    >>> drop_web_footers("分 享 让 更 多 人 看 到")  # letter-spaced: would close up later
    ''
    """
    footers = {chrome_key(f) for f in datafiles.require("artefacts.yml", "web_footers")}
    return _map_lines(text, lambda line: "" if chrome_key(line) in footers else line)


# ---------------------------------------------------------------------------------------------
# Page chrome (cue lists in data/chrome.yml). Each step empties whole lines, except the few
# that cut a marked part off a line (glosses, table bars, junk, field labels); every removal is
# recorded with the step's name (clean.SeedRepair.removed), so nothing is lost unseen.

# A line that ends or holds a sentence is text, never chrome (a 。 or ？ anywhere in it).


def _cues(key: str) -> list[str]:
    return datafiles.require("chrome.yml", key)


def _drop_chrome_lines(text: str, is_chrome) -> str:
    """Empty each line whose chrome key ``is_chrome`` accepts (never a line holding a sentence)."""
    dropped = [number for number, key in _chrome_candidates(text) if is_chrome(key)]
    if not dropped:
        return text
    lines = text.split("\n")
    for number in dropped:
        lines[number] = ""
    return "\n".join(lines)


@functools.lru_cache(maxsize=4)
def _chrome_candidates(text: str) -> tuple[tuple[int, str], ...]:
    """(index, chrome key) of the lines of ``text`` that may be chrome: those holding no
    sentence. The chrome steps run one after another on the same text, which most of them
    leave unchanged, so the lines are read once for all of them."""
    out = []
    for number, line in enumerate(text.split("\n")):
        # A line holding a sentence is never chrome: checked on the raw line first, which
        # is cheap, since most lines of a seed are sentences (``in`` costs less than a
        # regular expression called for each line).
        if "。" in line or "？" in line:
            continue
        key = chrome_key(line)
        if key and "。" not in key and "？" not in key:
            out.append((number, key))
    return tuple(out)


def _searches(patterns: list[str]):
    """A test that any of the patterns is found in a chrome key."""
    return _any_of(tuple(patterns))


@functools.cache
def _any_of(patterns: tuple[str, ...]):
    """A test that any of the patterns is found in a key.

    >>> test = _any_of(("^甲", "乙$", "丙"))
    >>> [bool(test(key)) for key in ("甲子", "子甲", "子乙", "乙子", "子丙子")]
    [True, False, True, False, True]
    """
    compiled = [re.compile(p) for p in patterns]
    # One alternation finds a match exactly when one of the patterns does, in one call;
    # only patterns without groups or flags join one (a group number or a flag would
    # change meaning inside it). The patterns anchored at the start join another, tried
    # at the start only: in one alternation with the rest, the engine tried them at every
    # position of every key (most of the cost of the chrome steps).
    if all(p.groups == 0 and p.flags == re.UNICODE for p in compiled):
        anchored = tuple(p for p in patterns if _anchored_at_start(p))
        floating = tuple(p for p in patterns if p not in anchored)
        try:
            at_start = re.compile("|".join(f"(?:{p})" for p in anchored)).match
            anywhere = re.compile("|".join(f"(?:{p})" for p in floating)).search
        except re.error:
            pass
        else:
            if not anchored:
                return anywhere
            if not floating:
                return at_start
            return lambda key: at_start(key) is not None or anywhere(key) is not None
    return lambda key: any(p.search(key) for p in compiled)


def _anchored_at_start(pattern: str) -> bool:
    """Whether every match of the pattern starts where the text does (it opens with ``^``
    or ``\\A`` outside any alternation and has no flags), so ``match`` finds what ``search``
    does.

    >>> _anchored_at_start("^[•·]?位置："), _anchored_at_start("^甲|乙"), _anchored_at_start("甲^")
    (True, False, False)
    """
    from re import _constants, _parser

    try:
        parsed = _parser.parse(pattern)
    except re.error:
        return False
    if parsed.state.flags & ~_constants.SRE_FLAG_UNICODE or not parsed.data:
        return False
    op, av = parsed.data[0]
    return op is _constants.AT and av in (_constants.AT_BEGINNING,
                                          _constants.AT_BEGINNING_STRING)


def drop_breadcrumbs(text: str) -> str:
    """Empty breadcrumb lines: ``您的位置：首页>新闻``, ``当前位置：``, ``首页 > 资料中心``.

    Leaves alone a sentence that speaks of a position or a home page.

    >>> drop_breadcrumbs("您的位置：首页 > 要闻\\n会议召开。")
    '\\n会议召开。'
    >>> drop_breadcrumbs("要找准当前位置：一是抓落实。")
    '要找准当前位置：一是抓落实。'
    """
    return _drop_chrome_lines(text, _searches(_cues("breadcrumbs")))


@functools.cache  # built once per process: escaping the labels cost more than the search
def _metadata_bar_re() -> re.Pattern[str]:
    labels = "|".join(map(re.escape, sorted(_cues("metadata_labels"), key=len, reverse=True)))
    return re.compile(rf"^[\[【（]?(?:{labels})：|{_cues('metadata_after_date')}")


@functools.cache
def _metadata_labels() -> tuple[re.Pattern[str], frozenset[str]]:
    """Any label with its colon, strong or weak; and the strong labels."""
    labels = [*_cues("metadata_labels"), *_cues("metadata_weak_labels")]
    any_label = re.compile("|".join(re.escape(label) + "：" for label in labels))
    return any_label, frozenset(_cues("metadata_labels"))


def drop_metadata_bars(text: str) -> str:
    """Empty the lines of a page's metadata bar: ``来源：… 发布时间：… 浏览次数：``, ``日期：…``,
    ``作者：``, ``编辑：…``, ``[责任编辑：…]``, ``终审：…``.

    A line counts only when it opens with a label and a colon; a body sentence that mentions
    来源 or 编辑 stays, and so does any line that holds a sentence.

    >>> drop_metadata_bars("来源：县融媒体中心 | 发布时间： 2021-01-06 | 分享到：\\n会议召开。")
    '\\n会议召开。'
    >>> drop_metadata_bars("资金来源：财政拨款。")
    '资金来源：财政拨款。'
    >>> drop_metadata_bars("时间：2023-05-06 来源：县委办\\n时间：5月5日上午　地点：会议室")
    '\\n时间：5月5日上午　地点：会议室'
    """
    bar = _metadata_bar_re()
    any_label, strong = _metadata_labels()

    def is_bar(key: str) -> bool:
        if bar.search(key):
            return True
        found = any_label.findall(key)
        return len(found) >= 2 and any(f[:-1] in strong for f in found)

    return _drop_chrome_lines(text, is_bar)


@functools.cache
def _page_tools() -> re.Pattern[str]:
    tools = sorted({chrome_key(t) for t in _cues("page_tools")}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, tools)))


def _only_tools(key: str) -> bool:
    rest = _page_tools().sub("", key)
    return rest != key and not HAN_RE.search(rest)


def drop_page_tools(text: str) -> str:
    """Empty lines made only of page tools (``分享到``, ``【打印本页】``, ``关闭窗口``, ``用户登录``,
    ``上一篇 下一篇``, a language switcher), a QR-code prompt or a welcome banner.

    A sentence that speaks of sharing or printing keeps its line.

    >>> drop_page_tools("分享到： | 【打印本页】【关闭本页】 |\\n要分享经验做法")
    '\\n要分享经验做法'
    >>> drop_page_tools("扫码关注官方微信")
    ''
    """
    banners = _searches(_cues("page_tool_lines"))
    return _drop_chrome_lines(text, lambda key: _only_tools(key) or banners(key))


def drop_epaper_navigation(text: str) -> str:
    """Empty e-paper navigation lines: ``第A1版：要闻``, ``本文字数：516``.

    ``上一版``/``下一篇`` links are page tools (``drop_page_tools``). A sentence naming a page
    of a paper stays.

    >>> drop_epaper_navigation("第A1版：要闻 4下一版\\n本文字数：516")
    '\\n'
    >>> drop_epaper_navigation("第一版刊发了社论。")
    '第一版刊发了社论。'
    """
    return _drop_chrome_lines(text, _searches(_cues("epaper_navigation")))


def drop_original_title_lines(text: str) -> str:
    """Empty the ``原标题：…`` footer (and a footer cut off inside the word: ``原标``).

    A sentence about an original title stays.

    >>> drop_original_title_lines("会议召开。\\n原标题：省委常委会召开会议\\n原标")
    '会议召开。\\n\\n'
    >>> drop_original_title_lines("原标准继续执行")
    '原标准继续执行'
    """
    cues = _cues("original_title")
    labels = tuple(c + "：" for c in cues)
    longest = max(map(len, cues), default=0)

    def is_chrome(key: str) -> bool:
        # A cue can start with a key no longer than itself only.
        cut = 2 <= len(key) <= longest and any(c.startswith(key) for c in cues)
        return cut or key.startswith(labels)

    return _drop_chrome_lines(text, is_chrome)


def drop_site_footers(text: str) -> str:
    """Empty a site's footer lines: copyright, ICP licence, report hotline, sponsor.

    >>> drop_site_footers("版权所有：某某网 备案号：ICP备05026010号")
    ''
    >>> drop_site_footers("会议要求，严格依法保护版权。")
    '会议要求，严格依法保护版权。'
    """
    return _drop_chrome_lines(text, _searches(_cues("site_footers")))


def drop_mastheads(text: str) -> str:
    """Empty a line that is only a newspaper's name (``宁波日报``), printed on e-paper pages.

    A headline that ends in 报 (``听取工作汇报``) stays: only the endings listed count.

    >>> drop_mastheads("会议召开。\\n某某日报")
    '会议召开。\\n'
    >>> drop_mastheads("省委常委会听取工作汇报")
    '省委常委会听取工作汇报'
    """
    endings = tuple(_cues("masthead_endings"))
    # A key ending otherwise is no masthead (a key holds no line break for ``$`` to stand
    # before): most texts have none, and then the pattern is not compiled.
    return _drop_chrome_lines(
        text, lambda key: key.endswith(endings) and bool(_masthead_re().match(key)))


@functools.cache
def _masthead_re() -> re.Pattern[str]:
    endings = "|".join(map(re.escape, _cues("masthead_endings")))
    return re.compile(f"^[{HAN}]{{2,6}}(?:{endings})$")


def drop_date_stamps(text: str) -> str:
    """Empty a line that is only a posting date or page stamp: ``17.07.2017 10:20``,
    ``2023/02/01``, ``2022年02月19日 星期六``, ``• 12月21日``.

    A date inside a sentence stays, and so does a bare ``3月13日`` line, which may be a
    wrapped line of a printed column. The split reads the stamps a list page prints over its
    items from the repair record.

    >>> drop_date_stamps("17.07.2017  10:20\\n2022年02月19日 星期六\\n3月13日")
    '\\n\\n3月13日'
    >>> drop_date_stamps("2023年3月1日，会议召开。")
    '2023年3月1日，会议召开。'
    """
    return _drop_chrome_lines(text, _searches(_cues("date_stamps")))


_LONG_DIGITS_RE = re.compile(r"^\d{6,}$")
# A character of text: Chinese (CJK_RE) or an ASCII digit, searched with two patterns rather
# than one class of both, which would compile the Han ranges once more (2.5 ms at each start).
_ASCII_DIGIT_RE = re.compile("[0-9]")
_LATIN_WORD_RE = re.compile(r"^[A-Za-z]{1,12}$")


def _is_junk(key: str) -> bool:
    if _LONG_DIGITS_RE.match(key):
        return True
    if CJK_RE.search(key) or _ASCII_DIGIT_RE.search(key):
        return False
    # Emoji and other pictographs, a stray Latin word, a lone bar; not ASCII that spells
    # something (a Markdown rule |---|, a URL), which is text to keep literally.
    symbols = all(unicodedata.category(ch) in ("So", "Sk", "Cs") or ord(ch) > 0xFFFF
                  for ch in key)
    return symbols or bool(_LATIN_WORD_RE.match(key)) or key == "|"


def drop_junk_lines(text: str) -> str:
    """Empty a line that holds nothing of the text: emoji or other pictographs, a stray
    Latin word such as ``news``, a lone bar, or only a long string of digits.

    A line of Chinese punctuation alone stays (a wrapped column can leave ``”。`` on a line),
    and so do numbers with other text and ASCII that spells something (``|---|``).

    >>> drop_junk_lines("♤👫🦅\\nnews\\n”。\\n3020014501\\n（2021）\\n|---|")
    '\\n\\n”。\\n\\n（2021）\\n|---|'
    """
    return _drop_chrome_lines(text, _is_junk)


def drop_repeated_headlines(text: str) -> str:
    """Empty a headline line printed again within the next three lines (web pages repeat the
    title above the text).

    Lines with sentence punctuation, short lines and a repeat further down stay: two articles
    on one page may carry the same headline.

    >>> drop_repeated_headlines("区人大常委会举行会议\\n日期：2004-03-30\\n区人大常委会举行会议 \\n正文。")
    '区人大常委会举行会议\\n日期：2004-03-30\\n\\n正文。'
    >>> drop_repeated_headlines("会议还研究了其他事项。\\n会议还研究了其他事项。")
    '会议还研究了其他事项。\\n会议还研究了其他事项。'
    """
    lines = text.split("\n")
    recent: list[str] = []
    for i, line in enumerate(lines):
        key = chrome_key(line)
        if not key:
            continue
        if key in recent and len(key) >= 4 and not SENTENCE_PUNCT_RE.search(key):
            lines[i] = ""
            continue
        recent = [*recent[-2:], key]
    return "\n".join(lines)


_TONE_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
# A Han character, spaces, a bracket, a syllable and its bracket. This pattern opens with the
# class of the characters a match starts with, and looks back for the Han character from
# there (two characters back): the engine scans for the class itself, and tries the rest
# nowhere else (a lookahead of the class, which changes no match either, still had it try
# each position). Spaces follow only a first space. Compiled when a text first holds a tone
# mark (``remove_pinyin_glosses``).
@functools.cache
def _gloss_re() -> re.Pattern[str]:
    return re.compile(
        rf"[ \u00a0\u3000（(](?<=[{HAN}].)(?:(?<=[（(])|(?<=[ \u00a0\u3000])[ \u00a0\u3000]*[（(])"
        rf"[ \u00a0]*([a-zü{_TONE_VOWELS}ńňǹḿ]{{1,7}})[ \u00a0]*[）)]"
    )


def remove_pinyin_glosses(text: str) -> str:
    """Remove a mirror site's pinyin gloss after a Han character: ``中国（guó）共产（chǎn）党``,
    ``會(huì )`` (with a stray space).

    Only a lower-case syllable with a tone mark counts. Leaves alone ``（一）``, ``(2021)``,
    ``（试行）``, ``(CPPCC)``, and a reading quoted on purpose (``“会”读作（huì）``).

    >>> remove_pinyin_glosses("中国（guó）共产（chǎn）党省委常委會(huì )")
    '中国共产党省委常委會'
    >>> remove_pinyin_glosses("（一）政协(CPPCC)（试行）(2021)，“會”讀作（huì）")
    '（一）政协(CPPCC)（试行）(2021)，“會”讀作（huì）'
    """
    if not any(vowel in text for vowel in _TONE_VOWELS):
        # Only a syllable with a tone mark goes (``fix``): a text without one, as most
        # are, stays as it is, without compiling the pattern (its Han lookbehind, 2 ms).
        return text
    cues = _cues("pinyin_mention_cues")

    def fix(match: re.Match[str]) -> str:
        syllable = match.group(1)
        mention = any(match.string.endswith(c, 0, match.start()) for c in cues)
        if mention or not any(v in _TONE_VOWELS for v in syllable):
            return match.group()
        return ""

    # To a fixed point: of two glosses in a row, the second follows a Han character only
    # once the first is gone (the step must be idempotent).
    previous = None
    while text != previous:
        previous, text = text, _gloss_re().sub(fix, text)
    return text


_PIPE_EDGE_RE = LazyPattern(r"^[ \t\u00a0\u3000]*\|[ \t\u00a0]*|[ \t\u00a0]*\|[ \t\u00a0\u3000]*$")


def strip_table_pipes(text: str) -> str:
    """Remove the table bar a copied web page leaves at one end of a line: ``标题 |``.

    Only a line with a single bar, at its start or end, counts: a row with several bars
    (``|甲|乙|``) is a table someone wrote, and a bar inside a line stays.

    >>> strip_table_pipes("十五届政协会议召开 |\\n|\\n甲|乙\\n|列一|列二|")
    '十五届政协会议召开\\n\\n甲|乙\\n|列一|列二|'
    """

    def fix(line: str) -> str:
        return _PIPE_EDGE_RE.sub("", line, count=1) if line.count("|") == 1 else line

    return _map_lines(text, fix) if "|" in text else text


# Forum anti-copy junk: five or more short runs of ASCII, at least two of them with a symbol.
_JUNK_TOKEN = r"[!-~]{1,2}"
_JUNK_RUN_RE = re.compile(
    rf"^[ \t\u00a0]*(?:{_JUNK_TOKEN}[ \t\u00a0]+){{4,}}{_JUNK_TOKEN}(?=[ \t\u00a0]|$)[ \t\u00a0]*"
    rf"|[ \t\u00a0]+{_JUNK_TOKEN}(?:[ \t\u00a0]+{_JUNK_TOKEN}){{4,}}[ \t\u00a0]*$"
)


def drop_anticopy_junk(text: str) -> str:
    """Remove the random ASCII a forum adds against copying (``召开 & K0 x& ^! M9 P2``), at
    either end of a line or as the whole line.

    A run counts with five or more tokens of one or two ASCII characters, two of them with a
    symbol; Latin words and numbers (``COVID 19 and GDP``) stay.

    >>> drop_anticopy_junk("会议召开 & K0 x& ^! M9 P2\\n) j$ M1 o( f- 会议指出")
    '会议召开\\n会议指出'
    >>> drop_anticopy_junk("A B C D E 五类")
    'A B C D E 五类'
    """

    def fix(match: re.Match[str]) -> str:
        symbols = sum(1 for t in match.group().split() if re.search(r"[^0-9A-Za-z]", t))
        return "" if symbols >= 2 else match.group()

    # Both forms of a run need a blank between tokens: a line without one is left as it is.
    return _map_lines(text, lambda line: _JUNK_RUN_RE.sub(fix, line)
                      if " " in line or "\t" in line or "\u00a0" in line else line)


def strip_end_marks(text: str) -> str:
    """Remove a report's end mark after the last sentence of a line: ``…事项。（完）``.

    Only after a sentence end and at the end of the line; ``（完）`` inside a sentence, or
    a word such as ``（完善）``, stays.

    >>> strip_end_marks("会议还研究了其他事项。（完）\\n要（完）成任务。（完善）")
    '会议还研究了其他事项。\\n要（完）成任务。（完善）'
    """
    if not any(mark in text for mark in _cues("end_marks")):
        return text  # most seeds: nothing to look for line by line
    marks = "|".join(map(re.escape, _cues("end_marks")))
    end_mark = re.compile(rf"(?<=[。！？”])[ \u00a0\u3000]*(?:{marks})[ \u00a0\u3000]*$")
    return _map_lines(text, lambda line: end_mark.sub("", line))


def strip_field_labels(text: str) -> str:
    """Remove a list page's field label before its text: ``会议摘要：1月31日下午，…``.

    A label inside a sentence stays.

    >>> strip_field_labels("会议摘要：1月6日，市政府召开会议。\\n本次会议摘要：略")
    '1月6日，市政府召开会议。\\n本次会议摘要：略'
    """
    if not any(label in text for label in _cues("field_labels")):
        return text  # most seeds: nothing to look for line by line
    labels = "|".join(map(re.escape, sorted(_cues("field_labels"), key=len, reverse=True)))
    # All of a repeated label at once (the step must be idempotent).
    label_re = re.compile(rf"^([ \t\u00a0\u3000]*)(?:(?:{labels})[ \u00a0]*[:：][ \u00a0]*)+")
    return _map_lines(text, lambda line: label_re.sub(r"\1", line))


_PAGE_NUMBER_RE = re.compile(r"^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页|\d{1,4}\s*/\s*\d{1,4})\s*$")


def drop_page_numbers(text: str) -> str:
    """Empty the lines that are printed page numbers: ``- 31 -``, ``第3页``, ``3/12``.

    A number inside a line of text stays.

    >>> drop_page_numbers("全会号召。\\n- 31 -\\n共有31人")
    '全会号召。\\n\\n共有31人'
    """
    return _map_lines(text, lambda line: "" if _PAGE_NUMBER_RE.match(line) else line)


_EDGE_SPACE = " \t\u00a0\u3000\r\f\v"


def strip_line_whitespace(text: str) -> str:
    """Remove white space at the ends of each line, but keep an indent of ideographic spaces.

    A leading U+3000 indent marks the start of a paragraph; ``join_wrapped_lines`` reads it
    and removes it, so it is structure, not noise, at this point.

    >>> strip_line_whitespace(" 四川日报讯 3月13日 \\n\\u3000\\u3000会议指出，\\t")
    '四川日报讯 3月13日\\n\\u3000\\u3000会议指出，'
    """

    def fix(line: str) -> str:
        if not line or (line[0] not in _EDGE_SPACE and line[-1] not in _EDGE_SPACE):
            return line  # nothing at either end to strip: most lines
        line = line.rstrip(" \t\u00a0\u3000\r\f\v")
        stripped = line.lstrip(" \t\u00a0\r\f\v")
        indent = len(stripped) - len(stripped.lstrip(IDEOGRAPHIC_SPACE))
        return stripped[:indent] + stripped[indent:].lstrip(" \t\u00a0\u3000")

    return _map_lines(text, fix)


_SPACE = "[ \u00a0]"
_LETTER_SPACED_TOKEN_RE = re.compile(f"[{HAN}{CJK_PUNCT}]")


def close_letter_spacing(text: str) -> str:
    """Close up lines set with a space between every character (letter-spaced headlines).

    A line counts as letter-spaced when it has at least four space-separated tokens and
    four in five of them are a single Chinese character or mark.

    >>> close_letter_spacing("深 入 学 习 贯 彻 习 近 平 总 书 记 重 要 讲 话 精 神")
    '深入学习贯彻习近平总书记重要讲话精神'
    >>> close_letter_spacing("记者 涂 燕")  # too few tokens: left to close_spaces_in_chinese
    '记者 涂 燕'
    """

    def fix(line: str) -> str:
        if " " not in line and "\u00a0" not in line:
            return line  # one token
        tokens = re.split(f"{_SPACE}+", line.strip(" \u00a0"))
        if len(tokens) < 4:
            return line
        single = sum(1 for t in tokens if len(t) == 1 and _LETTER_SPACED_TOKEN_RE.match(t))
        if single * 5 < len(tokens) * 4:
            return line
        indent = line[: len(line) - len(line.lstrip(" \u00a0"))]
        return indent + "".join(tokens)

    return _map_lines(text, fix)


_CJK_CHAR_RE = re.compile(f"[{HAN}{CJK_PUNCT}]")


@functools.cache  # compiled when first wanted: only a headline line with spaces in Chinese
def _han_runs() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A run of Han characters ending the text, and one starting it."""
    return re.compile(f"[{HAN}]+$"), re.compile(f"^[{HAN}]+")


_SPACES_RE = re.compile(f"{_SPACE}+")
# A credit in brackets of either width: the half-width ones are widened only later.
_CREDIT_RE = re.compile(r"([（(])([^（）()\n]*)([）)])")


def _is_headline_like(line: str) -> bool:
    # Printed headlines separate phrases with spaces and carry no sentence punctuation.
    return not SENTENCE_PUNCT_RE.search(line) and not re.search(r"[（）()【】、]", line)


def _close_credit(inner: str, roles: list[str]) -> str:
    # Inside a credit (记者 张三 李四 / 记者 涂 燕): a letter-spaced name closes up and two
    # names are kept apart with 、 so that they cannot merge into one.
    if not any(role in inner for role in roles) or not _SPACES_RE.search(inner):
        return inner
    tokens = _SPACES_RE.split(inner.strip(" \u00a0"))
    merged: list[str] = [tokens[0]]
    for token in tokens[1:]:
        if len(token) == 1 and len(merged) > 1 and len(merged[-1]) == 1:
            merged[-1] += token  # 涂 燕: a two-character name spaced to three characters' width
        else:
            merged.append(token)
    out = merged[0]
    for previous, token in itertools.pairwise(merged):
        after_role = any(previous.endswith(role) for role in roles)
        out += ("" if after_role else "、") + token
    return out


# A line at least this long (characters) holding spaces after sentence ends is several
# paragraphs a web page ran together (it printed each <p> as a space).
RUN_TOGETHER_MIN = 200
_SPACE_AFTER_SENTENCE_RE = LazyPattern(r"(?<=[。！？])([”’」』）)》]*)[ \u00a0]+(?=\S)")


def mark_run_together_paragraphs(text: str) -> str:
    """In a line of 200 characters or more, turn the spaces after a sentence end into an
    ideographic space: the paragraph break a web page collapsed, which the article step
    ``split_run_together_paragraphs`` restores (the space step would otherwise remove it).

    A shorter line, and a space inside a sentence, stay.

    >>> mark_run_together_paragraphs("会议召开。" * 40 + " 会议指出，要抓落实。")[-16:]
    '会议召开。\\u3000会议指出，要抓落实。'
    >>> mark_run_together_paragraphs("会议召开。 会议指出。")
    '会议召开。 会议指出。'
    """
    return _map_lines(text, lambda line: _SPACE_AFTER_SENTENCE_RE.sub(
        lambda m: m.group(1) + IDEOGRAPHIC_SPACE, line) if len(line) >= RUN_TOGETHER_MIN else line)


def close_spaces_in_chinese(text: str) -> str:
    """Remove spaces that stand inside Chinese text, keeping what they meant.

    - Between two characters of which one is Chinese, a space goes: ``审议 2024 年`` →
      ``审议2024年``; ``四川日报讯 3月13日`` → ``四川日报讯3月13日``.
    - In a credit (``记者 涂 燕``, ``记者 张三 李四``) a spaced-out name closes up and two
      names are separated by 、.
    - In a headline line (no sentence punctuation) a space between two phrases of two or more
      characters is a phrase break and becomes one ideographic space (U+3000).
    - Spaces between two Latin words or numbers stay (``COVID 19``).

    A half-width mark that ``use_fullwidth_punctuation`` will widen counts as Chinese, and
    the line is closed up to its fixed point: removing one space can bring a mark next to
    Chinese, which then widens and makes the next space a space inside Chinese. Whatever
    this step leaves, the widening step can no longer turn into work for it (idempotence).

    >>> close_spaces_in_chinese("审议 2024 年永川区外事工作要点")
    '审议2024年永川区外事工作要点'
    >>> close_spaces_in_chinese("本报讯（渝西都市报记者 涂 燕）6月")
    '本报讯（渝西都市报记者涂燕）6月'
    >>> close_spaces_in_chinese("吃透精神实质 把握重点任务")
    '吃透精神实质\\u3000把握重点任务'
    >>> close_spaces_in_chinese("COVID 19 疫情")
    'COVID 19疫情'
    >>> close_spaces_in_chinese("共 0 :。")
    '共0:。'
    >>> close_spaces_in_chinese("\\u3000\\u3000: 0。")  # the colon widens after the indent
    '\\u3000\\u3000:0。'
    """
    roles = datafiles.require("layout.yml", "dateline", "credit_roles")

    def fix(line: str) -> str:
        if " " not in line and "\u00a0" not in line:
            return line  # no space to close (_SPACES_RE)
        previous = None
        while line != previous:
            previous, line = line, _close_spaces_once(line, roles)
        return line

    return _map_lines(text, fix)


def _close_spaces_once(line: str, roles: list[str]) -> str:
    if not _SPACES_RE.search(line.strip(" \u00a0")):
        return line
    indent = line[: len(line) - len(line.lstrip(" \u00a0\u3000"))]
    body = line[len(indent):]
    body = _CREDIT_RE.sub(lambda m: m[1] + _close_credit(m[2], roles) + m[3], body)
    headline = _is_headline_like(body)
    # What each character will be once punctuation is widened (the widening keeps length);
    # read over the whole line, since an indent of U+3000 counts as Chinese for the widening.
    widened = use_fullwidth_punctuation(indent + body)[len(indent):]
    out: list[str] = []
    pos = 0
    for match in _SPACES_RE.finditer(body):
        out.append(body[pos : match.start()])
        pos = match.end()
        if match.start() == 0 or match.end() == len(body):
            continue  # a space at an edge goes (strip_line_whitespace left none, but be safe)
        before, after = widened[match.start() - 1], widened[match.end()]
        if not (_CJK_CHAR_RE.match(before) or _CJK_CHAR_RE.match(after)):
            out.append(match.group())  # between two Latin words or numbers: keep
            continue
        if headline:
            run_at_end, run_at_start = _han_runs()
            left_run = run_at_end.search("".join(out))
            right_run = run_at_start.search(body[match.end():])
            if left_run and right_run and len(left_run.group()) >= 2 and len(
                right_run.group()
            ) >= 2:
                out.append(IDEOGRAPHIC_SPACE)
    out.append(body[pos:])
    return indent + "".join(out)


_HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
_WIDEN_ALWAYS = str.maketrans({**_HALF_TO_FULL, "(": "（", ")": "）"})
# A half-width mark; it is widened when a Chinese character or mark stands next to it, which
# ``_widened_mark`` reads with _CJK_CHAR_RE: as lookarounds in this pattern, the class would
# be compiled twice more (2.7 ms at each start).
_HALF_PUNCT_RE = re.compile("[,:;?!]")


def _widened_mark(match: re.Match[str]) -> str:
    """A half-width mark (``_HALF_PUNCT_RE``) widened if Chinese stands before or after it."""
    at, whole = match.start(), match.string
    if (at > 0 and _CJK_CHAR_RE.match(whole, at - 1)) or _CJK_CHAR_RE.match(whole, at + 1):
        return _HALF_TO_FULL[match.group()]
    return match.group()


_PAREN_RE = re.compile(r"\(([^()\n]*)\)")


def use_fullwidth_punctuation(text: str) -> str:
    """Turn half-width ``, : ; ? ! ( )`` inside Chinese text into their full-width forms.

    A mark counts as inside Chinese text when a Chinese character or mark touches it;
    parentheses are converted as a pair when they touch or hold Chinese. Marks between
    digits or Latin letters stay (``10:30``, ``1,000``, ``f(x)``).

    >>> use_fullwidth_punctuation("會議指出,要堅決扛起(擴大)會議:一是")
    '會議指出，要堅決扛起（擴大）會議：一是'
    >>> use_fullwidth_punctuation("时间10:30, f(x) 与 1,000")
    '时间10:30, f(x) 与 1,000'
    >>> use_fullwidth_punctuation("0!!。((“))")
    '0！！。（（“））'
    """

    def paren(match: re.Match[str]) -> str:
        start, end = match.start(), match.end()
        whole = match.string
        touches = (start > 0 and _CJK_CHAR_RE.match(whole[start - 1])) or (
            end < len(whole) and _CJK_CHAR_RE.match(whole[end])
        )
        if touches or _CJK_CHAR_RE.search(match.group(1)):
            return "（" + match.group(1) + "）"
        return match.group()

    # To a fixed point: in ``0!!。`` or ``((“))`` only the mark touching Chinese is widened
    # at first, and the next one touches Chinese only then (the step must be idempotent).
    while True:
        widened = _PAREN_RE.sub(paren, text)
        widened = _HALF_PUNCT_RE.sub(_widened_mark, widened)
        if widened == text:
            return text
        text = widened


# ---------------------------------------------------------------------------------------------
# Article steps


@functools.cache
def _compiled(key: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in datafiles.require("layout.yml", key))


def _starts_paragraph(line: str) -> bool:
    return any(p.match(line) for p in _compiled("paragraph_openers"))


def is_section_heading(line: str) -> bool:
    """True for a short line that is a numbered section heading (一、… 第一章 …).

    >>> is_section_heading("一、坚定以党的二十大精神统揽新时代治蜀兴川全局")
    True
    >>> is_section_heading("一、坚定拥护，做到。")
    False
    """
    stripped = line.strip()
    # The heading patterns first: they match at the start, and most lines fail them there.
    return (
        any(p.match(stripped) for p in _compiled("section_headings"))
        and not SENTENCE_PUNCT_RE.search(stripped)
        and display_width(stripped) <= 40
    )


# Lines at least this wide (median, in em) are whole paragraphs, not a printed column.
PARAGRAPH_PER_LINE_WIDTH = 40
# A line that ends a sentence this much (em) short of the column ends its paragraph; a first
# line indented by two characters is only 2 em short, so it does not count.
SHORT_LINE_MARGIN = 2.5


def join_wrapped_lines(text: str) -> str:
    """Rejoin hard-wrapped lines into paragraphs, one paragraph per output line.

    Reads the layout of the text itself:

    - lines wider than a printed column (median over 40 em) are already paragraphs;
    - otherwise lines are joined with nothing between them (Chinese has no spaces between
      words), and a paragraph ends after a line that ends a sentence when the next line is
      indented with U+3000, or starts like a new paragraph (会议指出, 第一，), or the line is
      short of the column width; where blank lines mark paragraphs (some but not all line
      gaps are blank), a blank line after a sentence end is a paragraph break too. Where a
      blank line follows every line, blank lines mean nothing.

    >>> join_wrapped_lines("会议指出，今年全国两\\n会是在新\\n\\n中国成立75周年召开的。\\n\\n会议强调，要抓落实。")
    '会议指出，今年全国两会是在新中国成立75周年召开的。\\n会议强调，要抓落实。'
    """
    lines = text.split("\n")
    content = [i for i, line in enumerate(lines) if line.strip()]
    if not content:
        return ""
    widths = [display_width(lines[i].strip()) for i in content]
    if statistics.median(widths) > PARAGRAPH_PER_LINE_WIDTH:
        return "\n".join(lines[i].strip(" \u3000") for i in content)

    # Column width: the most common line width (a justified column makes most lines equal;
    # lines ending in a hanging comma or holding digits stray by half an em either way).
    counts = Counter(widths)
    column = max(counts, key=lambda w: (counts[w], w))
    gaps = [content[k + 1] - content[k] > 1 for k in range(len(content) - 1)]
    blank_every_line = bool(gaps) and sum(gaps) >= 0.8 * len(gaps)
    blanks_mark_paragraphs = any(gaps) and not blank_every_line

    # Each line is a heading or not once (is_section_heading strips the line itself).
    heading = [is_section_heading(lines[i]) for i in content]
    paragraphs: list[str] = [lines[content[0]].strip(" \u3000")]
    for k in range(1, len(content)):
        previous = lines[content[k - 1]].strip()
        raw = lines[content[k]]
        current = raw.strip(" \u3000")
        indented = raw.startswith(IDEOGRAPHIC_SPACE)
        blank_between = gaps[k - 1]
        breaks = indented or heading[k - 1] or heading[k]
        if not breaks and ends_sentence(previous):
            if blanks_mark_paragraphs:
                breaks = blank_between or _starts_paragraph(current)
            else:
                breaks = _starts_paragraph(current) or (
                    widths[k - 1] <= column - SHORT_LINE_MARGIN  # the previous line's width
                )
        if breaks:
            paragraphs.append(current)
        else:
            # Two Latin words meet: a space between them. Tested on the last and first
            # characters only (a search of the growing paragraph made this quadratic).
            latin = paragraphs[-1][-1] in _LATIN_LETTERS and current[0] in _LATIN_LETTERS
            paragraphs[-1] += (" " if latin else "") + current
    return "\n".join(paragraphs)


_LATIN_LETTERS = frozenset(string.ascii_letters)
_MARKED_BREAK_RE = LazyPattern(r"(?<=[。！？])([”’」』）)》]*)\u3000+(?=\S)")


def split_run_together_paragraphs(text: str) -> str:
    """Break a body that a web page printed as one long line back into paragraphs: where
    ``mark_run_together_paragraphs`` marked a collapsed break (an ideographic space after a
    sentence end), and, in a body of one line of at least 200 characters, before each
    paragraph opener (``会议指出``, ``会议强调``… from ``layout.yml``) after a sentence end.

    Where a text has several lines, its own breaks are the paragraphs, and an opener inside
    a paragraph stays there.

    >>> body = "10月21日，会议召开。" + "出席人员若干。" * 30 + "会议指出，要抓落实。会议强调，要守底线。"
    >>> [p[:4] for p in split_run_together_paragraphs(body).split("\\n")]
    ['10月2', '会议指出', '会议强调']
    >>> split_run_together_paragraphs("会议召开。会议指出，要抓落实。")
    '会议召开。会议指出，要抓落实。'
    >>> split_run_together_paragraphs("会议召开。\\u3000市长出席。")
    '会议召开。\\n市长出席。'
    """
    if "\u3000" in text:  # every marked break holds one
        text = _MARKED_BREAK_RE.sub(lambda m: m.group(1) + "\n", text)
    if "\n" in text.strip() or len(text) < RUN_TOGETHER_MIN:
        return text
    openers = "|".join(f"(?:{p})" for p in datafiles.require("layout.yml", "paragraph_openers"))
    return re.sub(rf"(?<=[。！？])(?=(?:{openers}))", "\n", text)


def convert_to_simplified(text: str) -> str:
    """Convert a traditional-script text to simplified characters (OpenCC ``t2s``).

    The pipeline runs it only on articles detected as traditional script, after the lines
    are joined: a line break inside a word changes the conversion.

    >>> convert_to_simplified("牢記領袖囑托　立足新的奮斗起點")
    '牢记领袖嘱托\\u3000立足新的奋斗起点'
    """
    return to_simplified(text)
