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

import itertools
import re
import statistics
from collections import Counter

from policy_archive import datafiles
from policy_archive.script import to_simplified
from policy_archive.text import (
    CJK_PUNCT,
    HAN,
    IDEOGRAPHIC_SPACE,
    SENTENCE_PUNCT_RE,
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


_PAGE_NUMBER_RE = re.compile(r"^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页|\d{1,4}\s*/\s*\d{1,4})\s*$")


def drop_page_numbers(text: str) -> str:
    """Empty the lines that are printed page numbers: ``- 31 -``, ``第3页``, ``3/12``.

    A number inside a line of text stays.

    >>> drop_page_numbers("全会号召。\\n- 31 -\\n共有31人")
    '全会号召。\\n\\n共有31人'
    """
    return _map_lines(text, lambda line: "" if _PAGE_NUMBER_RE.match(line) else line)


def strip_line_whitespace(text: str) -> str:
    """Remove white space at the ends of each line, but keep an indent of ideographic spaces.

    A leading U+3000 indent marks the start of a paragraph; ``join_wrapped_lines`` reads it
    and removes it, so it is structure, not noise, at this point.

    >>> strip_line_whitespace(" 四川日报讯 3月13日 \\n\\u3000\\u3000会议指出，\\t")
    '四川日报讯 3月13日\\n\\u3000\\u3000会议指出，'
    """

    def fix(line: str) -> str:
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
        tokens = re.split(f"{_SPACE}+", line.strip(" \u00a0"))
        if len(tokens) < 4:
            return line
        single = sum(1 for t in tokens if len(t) == 1 and _LETTER_SPACED_TOKEN_RE.match(t))
        if single * 5 < len(tokens) * 4:
            return line
        indent = line[: len(line) - len(line.lstrip(" \u00a0"))]
        return indent + "".join(tokens)

    return _map_lines(text, fix)


_HAN_RUN_RE = re.compile(f"[{HAN}]+$")
_HAN_RUN_START_RE = re.compile(f"^[{HAN}]+")
_CJK_CHAR_RE = re.compile(f"[{HAN}{CJK_PUNCT}]")
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
            left_run = _HAN_RUN_RE.search("".join(out))
            right_run = _HAN_RUN_START_RE.search(body[match.end():])
            if left_run and right_run and len(left_run.group()) >= 2 and len(
                right_run.group()
            ) >= 2:
                out.append(IDEOGRAPHIC_SPACE)
    out.append(body[pos:])
    return indent + "".join(out)


_HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
_WIDEN_ALWAYS = str.maketrans({**_HALF_TO_FULL, "(": "（", ")": "）"})
_CJK_NEIGHBOUR = f"[{HAN}{CJK_PUNCT}]"
_HALF_PUNCT_RE = re.compile(
    f"(?<={_CJK_NEIGHBOUR})[,:;?!]|[,:;?!](?={_CJK_NEIGHBOUR})"
)
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
        widened = _HALF_PUNCT_RE.sub(lambda m: _HALF_TO_FULL[m.group()], widened)
        if widened == text:
            return text
        text = widened


# ---------------------------------------------------------------------------------------------
# Article steps


def _compiled(key: str) -> list[re.Pattern[str]]:
    return [re.compile(p) for p in datafiles.require("layout.yml", key)]


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
    return (
        display_width(stripped) <= 40
        and not SENTENCE_PUNCT_RE.search(stripped)
        and any(p.match(stripped) for p in _compiled("section_headings"))
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

    paragraphs: list[str] = [lines[content[0]].strip(" \u3000")]
    for k in range(1, len(content)):
        previous = lines[content[k - 1]].strip()
        raw = lines[content[k]]
        current = raw.strip(" \u3000")
        indented = raw.startswith(IDEOGRAPHIC_SPACE)
        blank_between = gaps[k - 1]
        breaks = indented or is_section_heading(previous) or is_section_heading(current)
        if not breaks and ends_sentence(previous):
            if blanks_mark_paragraphs:
                breaks = blank_between or _starts_paragraph(current)
            else:
                breaks = _starts_paragraph(current) or (
                    display_width(previous) <= column - SHORT_LINE_MARGIN
                )
        if breaks:
            paragraphs.append(current)
        else:
            joint = " " if re.search(r"[A-Za-z]$", paragraphs[-1]) and re.match(
                r"[A-Za-z]", current
            ) else ""
            paragraphs[-1] += joint + current
    return "\n".join(paragraphs)


def convert_to_simplified(text: str) -> str:
    """Convert a traditional-script text to simplified characters (OpenCC ``t2s``).

    The pipeline runs it only on articles detected as traditional script, after the lines
    are joined: a line break inside a word changes the conversion.

    >>> convert_to_simplified("牢記領袖囑托　立足新的奮斗起點")
    '牢记领袖嘱托\\u3000立足新的奋斗起点'
    """
    return to_simplified(text)
