"""Publication metadata from page chrome: when a page was published, whom it credits, 原标题.

Web and e-paper pages print around an article what the article itself does not say: the
publication date (``发布时间：2022-06-29 10:20``, ``2020年04月08日09:21来源：``, a bare stamp
``25.03.2019  08:40``, an e-paper issue date ``2021年06月05日 星期六``, a list page's
``2019/04/02`` over an item), the credited source (``来源：某某日报``) and the title of the
original (``原标题：…``). These functions read the RAW lines of a seed (before any repair
step, so half- and full-width colons and both scripts occur): the repair steps may drop these
lines from the body, the metadata they carry is kept here.

The date of a page is evidence for the year of a meeting the article dates only by month and
day, and the day of a ``昨天``; it is never the meeting's date itself.
Cues are in ``policy_archive/data/published.yml``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from policy_archive import datafiles
from policy_archive.text import HAN, LazyPattern

# Pinyin glosses of mirror sites: 發(fā)布 → 發布 (a stray space may stand before the bracket).
_GLOSS_RE = re.compile(r"[(（][a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹ ]{1,8}[)）]")
_TIME = r"(?:\s*(?P<time>\d{1,2}[:：]\d{2}(?:[:：]\d{2})?))?"
_DATE_FORMS = (
    r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)",
    r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日",
    r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?!\d)",  # day first: 25.03.2019
)
_WEEKDAY = r"\s*(?:星期|周|週)[一二三四五六日天]"


# Compiled when a line first holds six digits (``line_dates``): the chrome of many articles
# holds none, and a rebuild after one correction reads one seed.
@functools.cache
def _dates() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(rf"(?<!\d){form}{_TIME}") for form in _DATE_FORMS)


@functools.cache
def _whole_dates() -> tuple[re.Pattern[str], ...]:
    """A line that is only a date, perhaps with its weekday: a stamp or an issue date."""
    return tuple(re.compile(rf"{pattern.pattern}(?P<weekday>{_WEEKDAY})?")
                 for pattern in _dates())


# Every date read here has a year of four digits, a month and a day: six digits at least.
_DIGIT_RE = re.compile(r"\d")
DATE_DIGITS = 6

# How much a kind of chrome date says about the article (smaller is stronger): a labelled date
# is the article's own; a bare stamp or a list date stands by it; an issue date is the page's;
# a date in the page's address is where the site filed it.
KIND_RANK = {"labelled": 0, "stamp": 1, "issue": 2, "url": 3}
# An e-paper's issue line: a date with the page (第01版, 第A2版) or the weekday.
_ISSUE_RE = LazyPattern(rf"第\s*[A-Za-z]?\d+\s*版|{_WEEKDAY}")
# Brackets and bars a bare stamp may stand in: [ 2022-06-29 ], 【2022-06-29】, | 2022/06/29 |
_STAMP_FRAME = " \u3000[]【】()（）|｜"
_URL_RE = LazyPattern(r"https?://|www\.|\.s?html?\b")
# Dates in addresses: /2022-02/19/ (e-paper), /2024/12/17/, /2014/1206/, /2021-11-22/
_URL_DATES = tuple(
    LazyPattern(form)
    for form in (
        r"/(?P<y>\d{4})-(?P<m>\d{2})/(?P<d>\d{2})/",
        r"/(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})/",
        r"/(?P<y>\d{4})/(?P<m>\d{2})(?P<d>\d{2})/",
        r"/(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})/",
    )
)


@dataclass(frozen=True)
class Published:
    """A page's publication date, with the chrome text it was read from."""

    date: str  # YYYY-MM-DD
    time: str | None  # HH:MM or HH:MM:SS
    evidence: str  # the chrome as printed (pinyin glosses removed)
    kind: str  # labelled | stamp | issue | url

    def as_record(self) -> dict[str, str | None]:
        return {"date": self.date, "time": self.time, "evidence": self.evidence, "kind": self.kind}


def deglossed(line: str) -> str:
    """A raw line without pinyin glosses, so labels read as labels.

    >>> deglossed("發(fā)布時間:2019-05-12")
    '發布時間:2019-05-12'
    >>> deglossed("会议(扩大)召开")  # a Chinese bracket is no gloss
    '会议(扩大)召开'
    """
    if "(" not in line and "（" not in line:
        return line  # no bracket, no gloss: most lines, read for every article
    return _GLOSS_RE.sub("", line)


def _labels(key: str) -> str:
    words = sorted(datafiles.require("published.yml", key), key=len, reverse=True)
    return "|".join(map(re.escape, words))


@functools.cache
def _label_pattern(key: str) -> str:
    """A label of the list ``key`` of ``published.yml`` with its colon, not ending a Han word."""
    return rf"(?<![{HAN}])(?:{_labels(key)})\s*[:：]\s*"


@functools.cache
def _label_re(key: str) -> re.Pattern[str]:
    """``_label_pattern(key)`` compiled, each list when first searched: its Han class takes
    a millisecond or more to compile, and most articles' chrome holds no date with a label
    (a line is searched only with six digits), no source and no original title."""
    return re.compile(_label_pattern(key))


@functools.cache
def _source_words() -> re.Pattern[str]:
    """Any source label: a line without one (and without a gloss, which may split one:
    来(lái)源) holds none. The engine scans for these words by itself; the label pattern,
    which opens with a lookbehind, is tried at every position.

    >>> bool(_source_words().search("来源：某某日报")), bool(_source_words().search("会议召开"))
    (True, False)
    """
    return re.compile("|".join(map(re.escape, datafiles.require("published.yml",
                                                                 "source_labels"))))


def _date_at(text: str, pos: int = 0, *, anywhere: bool = False) -> re.Match[str] | None:
    """The first valid date starting at ``pos`` (or anywhere after it)."""
    found = []
    for pattern in _dates():
        match = pattern.search(text, pos) if anywhere else pattern.match(text, pos)
        if match and _valid(match):
            found.append(match)
    return min(found, key=lambda m: m.start()) if found else None


def _valid(match: re.Match[str]) -> bool:
    try:
        dt.date(int(match.group("y")), int(match.group("m")), int(match.group("d")))
    except ValueError:
        return False
    return True


def _published(match: re.Match[str], evidence: str, kind: str) -> Published:
    iso = dt.date(int(match.group("y")), int(match.group("m")), int(match.group("d")))
    time = match.groupdict().get("time")
    return Published(iso.isoformat(), time.replace("：", ":") if time else None, evidence, kind)


def line_dates(raw: str) -> list[Published]:
    """The publication dates one chrome line states, strongest kind first.

    >>> [p.date for p in line_dates("来源:某县融媒 | 作者:admin | 发布时间: 2019-04-09 | 35 次浏览")]
    ['2019-04-09']
    >>> line_dates("2020年04月08日09:21来源：人民网")[0].time
    '09:21'
    >>> line_dates("25.03.2019  08:40")[0]
    Published(date='2019-03-25', time='08:40', evidence='25.03.2019  08:40', kind='stamp')
    >>> line_dates("2021年06月05日 星期六")[0].kind
    'issue'
    >>> line_dates("某某日报 2019年10月10日 第01版")[0].date
    '2019-10-10'
    >>> line_dates("2021-12-30 16:05   来源：某市人民政府办公室")[0].evidence
    '2021-12-30 16:05   来源：某市人民政府办公室'
    >>> line_dates("会议时间：2024年3月1日")  # a meeting's time is no publication date
    []
    >>> line_dates("2024年3月13日上午，省委常委会召开会议。")  # nor is a date in a sentence
    []
    """
    if len(_DIGIT_RE.findall(raw)) < DATE_DIGITS:
        return []  # no date to read (removing glosses takes no digit away): most lines
    line = deglossed(raw).strip()
    out: list[Published] = []
    for label in _label_re("date_labels").finditer(line):
        match = _date_at(line, label.end())
        if match:
            out.append(_published(match, line[label.start() : match.end()].strip(), "labelled"))
    if not out:
        # A date beside a 来源 label: 2020年04月08日09:21来源：… or 来源:某网 2019-06-03 09:30
        for label in _label_re("source_labels").finditer(line):
            match = _date_at(line, anywhere=True)
            if match:
                value = _stop_words().search(line, label.end())
                value_end = value.start() if value and value.start() > label.end() else len(line)
                start = min(label.start(), match.start())
                end = max(value_end, match.end())
                out.append(_published(match, line[start:end].strip(), "labelled"))
                break
    bare = line.strip(_STAMP_FRAME)
    for pattern in _whole_dates():
        whole = pattern.fullmatch(bare)
        if whole and _valid(whole):
            kind = "issue" if whole.group("weekday") else "stamp"
            out.append(_published(whole, line, kind))
    if not out and _ISSUE_RE.search(line) and not re.search(r"[。，,；]", line):
        match = _date_at(line, anywhere=True)  # 某某日报 2019年10月10日 第01版
        if match:
            out.append(_published(match, line, "issue"))
    if _URL_RE.search(line):
        for pattern in _URL_DATES:
            match = pattern.search(line)
            if match and _valid(match):
                out.append(_published(match, line, "url"))
                break
    return out


def find_published(
    before: Sequence[str], after: Sequence[str] = (), earlier: Sequence[str] = ()
) -> Published | None:
    """The page's publication date for an article: the strongest date of the chrome above
    its lead in its own span (nearest first), else of the lines ``earlier`` than its span
    back to the previous article's lead (a list page's date over an item may fall in the
    previous span), else of the lines after its lead (first first).

    Lines are raw and in page order. A labelled date beats an issue banner within a region:
    a site may print today's date in its banner (2024年05月08日 星期三) over a page of 2019.

    >>> find_published(["2024年05月08日 星期三", "市委常委会召开扩大会议", "发布日期:2019-02-11"]).date
    '2019-02-11'
    >>> find_published(["会议地点：某地"], earlier=["2019/04/02", "会议摘要：……。", "2019/03/20"]).date
    '2019-03-20'
    >>> find_published(["2019年06月01日 星期六"], earlier=["发布时间：2019-05-30"]).date
    '2019-06-01'
    >>> find_published(["会议还研究了其他事项。"], ["发布时间：2022-06-29 10:20"]).time
    '10:20'
    >>> find_published(["会议还研究了其他事项。"]) is None
    True
    """
    for region in (list(reversed(before)), list(reversed(earlier)), list(after)):
        found = [p for line in region for p in line_dates(line)]
        if found:
            return min(found, key=lambda p: KIND_RANK[p.kind])  # stable: nearest of the strongest
    return None


def _stop_words() -> re.Pattern[str]:
    date_label, source_label, original = map(
        _label_pattern, ("date_labels", "source_labels", "original_title_labels"))
    return re.compile(rf"\s|[|｜【】\[\]]|{date_label}|{source_label}|{original}|\d{{4}}[-/年.]")


def credited_source(before: Sequence[str], after: Sequence[str] = ()) -> str | None:
    """The source a page credits (``来源：某某日报``), else a masthead line (``某某日报``).

    >>> credited_source(["来源:某县融媒 | 作者:admin | 发布时间: 2019-04-09"])
    '某县融媒'
    >>> credited_source(["当前位置：某网 > 要闻     来源:某某客户端 2019-06-03 09:30:12"])
    '某某客户端'
    >>> credited_source(["正文……。"], ["上一篇  下一篇", "某某日报"])
    '某某日报'
    >>> credited_source(["来源：本站"]) is None
    True
    >>> credited_source(["【发布时间：2022-03-04】【来源：某市政府办公室】"])
    '某市政府办公室'
    >>> credited_source(["某某日报 2019年10月10日 第01版", "区委常委会召开会议"])
    '某某日报'
    >>> credited_source(["会议强调，要办好日报"]) is None
    True
    """
    source_word = _source_words()
    refused = set(datafiles.require("published.yml", "not_a_source"))
    for line in [*reversed(before), *after]:
        if source_word.search(line) is None and "(" not in line and "（" not in line:
            continue  # no label, nor a gloss that may split one: most lines of an article
        line = deglossed(line).strip()
        for label in _label_re("source_labels").finditer(line):
            rest = line[label.end() :]
            stop = _stop_words().search(rest)
            value = rest[: stop.start()] if stop else rest
            if value and value not in refused and len(value) <= 20:
                return value
    suffixes = "|".join(map(re.escape, datafiles.require("published.yml", "masthead_suffixes")))
    masthead = re.compile(rf"[{HAN}]{{0,8}}(?:{suffixes})")
    for line in [*after, *reversed(before)]:
        line = deglossed(line).strip()
        if masthead.fullmatch(line):
            return line
        name = masthead.match(line)  # 某某日报 2019年10月10日 第01版
        if name and _ISSUE_RE.search(line) and line_dates(line):
            return name.group()
    return None


def original_title(lines: Sequence[str]) -> str | None:
    """The title of the original printed after ``原标题：`` (a repost names its source title).

    >>> original_title(["（某某 某某）", "原标题：某党组召开会议"])
    '某党组召开会议'
    >>> original_title(["原标"]) is None
    True
    """
    for line in lines:
        if ":" not in line and "：" not in line:
            continue  # the label ends in a colon: a line without one holds none
        line = deglossed(line).strip()
        label = _label_re("original_title_labels").search(line)
        if label and line[label.end() :].strip(" |｜"):
            return line[label.end() :].strip(" |｜")
    return None
