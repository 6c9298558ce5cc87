"""Dates with evidence: what a report prints, and what its text proves when it prints no year.

A date is never guessed silently: every inferred part says which phrase of the text it
rests on (``date_evidence``), and a document with no evidence gets no date and a warning.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter
from dataclasses import dataclass

from policy_archive import datafiles
from policy_archive.extract.regex_hints import Literals, required_literals
from policy_archive.text import LazyPattern

# A span of days: 至29日, 至8月8日, －6日.
_RANGE = r"(?:[至到—–－~-](?:(?P<m2>\d{1,2})月)?(?P<d2>\d{1,2})日)?"
_FULL_DATE_RE = re.compile(rf"(?P<y>\d{{4}})年(?P<m>\d{{1,2}})月(?P<d>\d{{1,2}})日{_RANGE}")
# Not the month-day of a full date (2024年3月13日); 今年3月13日 is a month-day.
_MONTH_DAY_RE = re.compile(rf"(?<!\d)(?<!\d年)(?P<m>\d{{1,2}})月(?P<d>\d{{1,2}})日{_RANGE}")


@dataclass(frozen=True)
class Event:
    name: str
    aliases: tuple[str, ...]
    start: str
    end: str | None
    kind: str
    anniversary_aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Evidence:
    """One phrase of the text that points to a year, and why, in words a reader can check."""

    year: int
    phrase: str
    kind: str  # event | anniversary | current-year
    reason: str  # the check, in Chinese: 1949＋75＝2024, 2023年7月28日开幕, 文中写明年份

    def describe(self) -> str:
        """The phrase and its check, as shown in ``date_evidence``.

        >>> Evidence(2024, "新中国成立75周年", "anniversary", "1949＋75＝2024").describe()
        '新中国成立75周年（1949＋75＝2024）'
        """
        return f"{self.phrase}（{self.reason}）"


@dataclass(frozen=True)
class DocumentDate:
    date: str
    precision: str  # day | month | year
    date_end: str | None = None
    inferred: bool = False
    evidence: str | None = None


class NoDateEvidenceError(ValueError):
    """The text of a document proves no date; the build warns and names the document."""


# The tables of dated events: the archive's own (events.yml) and the national calendar.
EVENT_FILES = ("events.yml", "events_national.yml")


def events() -> list[Event]:
    """The dated events of ``data/events.yml`` and ``data/events_national.yml``."""
    return list(_events())


@functools.cache  # read for every document that needs a year
def _events() -> tuple[Event, ...]:
    out = []
    entries = [(name, e) for name in EVENT_FILES for e in datafiles.require(name, "events")]
    for file_name, entry in entries:
        if not entry.get("source"):
            # An event nobody can look up would make every date it gives unverifiable.
            msg = f"policy_archive/data/{file_name}: event '{entry.get('name')}' has no source"
            raise datafiles.DataFileError(msg)
        out.append(
            Event(
                name=entry["name"],
                aliases=tuple(entry.get("aliases", ())),
                start=str(entry["start"]),
                end=str(entry["end"]) if entry.get("end") else None,
                kind=entry["kind"],
                anniversary_aliases=tuple(entry.get("anniversary_of_aliases", ())),
            )
        )
    return tuple(out)


def _ymd(text: str) -> tuple[int, int, int]:
    parts = [int(p) for p in text.split("-")]
    return (parts[0], parts[1] if len(parts) > 1 else 7, parts[2] if len(parts) > 2 else 1)


_KIND_VERB = {"meeting": "召开", "campaign": "开展", "sports": "开幕"}


def chinese_date(text: str) -> str:
    """An ISO date or month as a Chinese reader writes it.

    >>> chinese_date("2023-07-28"), chinese_date("2024-04")
    ('2023年7月28日', '2024年4月')
    """
    parts = [int(p) for p in text.split("-")]
    out = f"{parts[0]}年{parts[1]}月" if len(parts) > 1 else f"{parts[0]}年"
    return out + (f"{parts[2]}日" if len(parts) > 2 else "")


def chinese_range(start: str, end: str | None) -> str:
    """A span of dates without repeating what start and end share.

    >>> chinese_range("2023-12-27", "2023-12-28"), chinese_range("2024-04", "2024-07")
    ('2023年12月27日至28日', '2024年4月至7月')
    >>> chinese_range("2023-07-28", "2023-08-08"), chinese_range("2024-05-27", None)
    ('2023年7月28日至8月8日', '2024年5月27日')
    """
    first = chinese_date(start)
    if not end or end == start:
        return first
    s, e = start.split("-"), end.split("-")
    if s[0] != e[0]:
        return f"{first}至{chinese_date(end)}"
    rest = chinese_date(end).split("年", 1)[1]
    if len(e) > 2 and len(s) > 2 and s[1] == e[1]:
        rest = f"{int(e[2])}日"
    return f"{first}至{rest}"


def event_when(event: Event) -> str:
    """When the event took place, with the verb of its kind: ``2023年7月28日开幕``.

    >>> event_when(Event("x", (), "2023-07-28", "2023-08-08", "sports"))
    '2023年7月28日开幕'
    >>> event_when(Event("x", (), "2023-12-27", "2023-12-28", "meeting"))
    '2023年12月27日至28日召开'
    """
    verb = _KIND_VERB.get(event.kind, "")
    if event.kind == "sports":
        return chinese_date(event.start) + verb
    return chinese_range(event.start, event.end) + verb


def _event_reason(event: Event, phrase: str) -> str:
    # The phrase alone (视察重庆重要讲话) does not always say which event it is; the name does.
    when = event_when(event)
    return when if phrase in event.name else f"{event.name}，{when}"


def _nearest_year(
    month: int, day: int, event_date: tuple[int, int, int],
    event_end: tuple[int, int, int] | None = None,
) -> int:
    """The year that puts month-day nearest to the event (reports follow events closely);
    a day within a long event (a campaign, a plan's first year) is nearest of all.

    >>> _nearest_year(11, 21, (2021, 1, 1), (2021, 12, 31)), _nearest_year(1, 5, (2021, 11, 8))
    (2021, 2022)
    """
    first = dt.date(*event_date)
    last = dt.date(*event_end) if event_end else first
    best = None
    for year in (event_date[0] - 1, event_date[0], event_date[0] + 1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:  # 2月29日 outside a leap year
            continue
        distance = 0 if first <= candidate <= last else min(
            abs((candidate - first).days), abs((candidate - last).days)
        )
        if best is None or distance < best[0]:
            best = (distance, year)
    if best is None:
        msg = f"no year has {month}月{day}日 near {first}"
        raise ValueError(msg)
    return best[1]


def _names_the_event(text: str, alias: str) -> bool:
    """The alias stands in the text other than as a starting point long past (…以来).

    >>> _names_the_event("党的十八届三中全会以来，改革全面推进", "十八届三中全会")
    False
    >>> _names_the_event("传达学习党的十九届六中全会精神", "十九届六中全会")
    True
    """
    if alias not in text:  # most aliases, most texts: no pattern to search with
        return False
    return any(
        not text.startswith("以来", m.end()) for m in re.finditer(re.escape(alias), text)
    )


@functools.cache
def _aliases() -> Literals:
    """Every event alias, to find those a text holds in one search (one substring test per
    alias per document was most of the cost of finding a year)."""
    return Literals(a for e in _events() for a in (*e.aliases, *e.anniversary_aliases))


def year_evidence(text: str, month: int | None = None, day: int | None = None) -> list[Evidence]:
    """Every phrase of the text that points to the year the report was written.

    >>> [e.describe() for e in year_evidence("今年是新中国成立75周年。", 3, 13)]
    ['新中国成立75周年（1949＋75＝2024）']
    >>> [e.describe() for e in year_evidence("在成都大运会开幕式前", 7, 29)]
    ['成都大运会（2023年7月28日开幕）']
    """
    found: list[Evidence] = []
    present = _aliases().in_text(text)
    for event in events():
        for alias in event.anniversary_aliases:
            if alias in present:
                y, m, d = _ymd(event.start)
                year = y + 1 if month is None else _nearest_year(month, day or 1, (y + 1, m, d))
                reason = f"{event.name}，{event_when(event)}；{y}＋1＝{y + 1}"
                found.append(Evidence(year, alias, "anniversary", reason))
        for alias in event.aliases:
            if alias in present and _names_the_event(text, alias) \
                    and alias not in event.anniversary_aliases:
                y, m, d = _ymd(event.start)
                end = _ymd(event.end) if event.end else None
                year = y if month is None else _nearest_year(month, day or 1, (y, m, d), end)
                found.append(Evidence(year, alias, "event", _event_reason(event, alias)))
                break
    for rule in datafiles.require("dates.yml", "anniversaries"):
        for match in re.finditer(rule["pattern"], text):
            base, count = rule["base_year"], int(match.group(1))
            reason = f"{base}＋{count}＝{base + count}"
            found.append(Evidence(base + count, match.group(), "anniversary", reason))
    for pattern in datafiles.require("dates.yml", "current_year_phrases"):
        for match in re.finditer(pattern, text):
            found.append(Evidence(int(match.group(1)), match.group(), "current-year", "文中写明年份"))
    return found


def _choose_year(evidence: list[Evidence]) -> tuple[int, list[Evidence]]:
    votes = Counter(e.year for e in evidence)
    year = max(votes, key=lambda y: (votes[y], y))
    return year, [e for e in evidence if e.year == year]


def _describe(evidence: list[Evidence]) -> str:
    seen: list[str] = []
    for e in evidence:
        if e.describe() not in seen:
            seen.append(e.describe())
    return "；".join(seen)


@dataclass(frozen=True)
class LeadDate:
    """The date phrase that dates the meeting in a lead sentence, and what kind it is."""

    kind: str  # full | month-day | day | relative | vague
    match: re.Match[str]


_DAY_RE = re.compile(r"(?<![\d月年])(?P<d>\d{1,2})日(?=[上下]午|晚|，|,|\s)")
_TIME_OF_DAY = r"(?:[上下]午|晚上?|凌晨|早上|中午)?"
_MEETING_VERB_RE = LazyPattern(r"[^，。；,;]{0,40}?(?:召开|举行|召開|舉行)")
# A date right after these opens the lead (start of the sentence, after a dateline or a byline).
_OPENERS = "讯訊电電）)]】|｜ \u3000"
_DATELINE_DATE_RE = LazyPattern(r"(?P<m>\d{1,2})月(?P<d>\d{1,2})日(?:电|電|讯|訊)")
_RELATIVE_DAYS = {"前天": 2, "昨天": 1, "昨日": 1, "今天": 0, "今日": 0}


def _first_sentence(paragraphs: list[str]) -> str:
    lead = paragraphs[0] if paragraphs else ""
    end = re.search(r"[。！？!?]", lead)
    return lead[: end.end()] if end else lead


def _opens_lead(sentence: str, start: int) -> bool:
    """At the start of the lead, after a dateline or a byline; 今年 before a date counts
    as nothing (今年3月13日 is the report's own year)."""
    before = sentence[:start]
    before = before[:-2] if before.endswith("今年") else before
    return not before or before[-1] in _OPENERS


# A clause with these words sets a date for later: 决定12月7日召开, 将于…召开, 定于….
_SCHEDULING_RE = re.compile(r"决定|将于|將於|定于|定於|拟于|擬於|计划|計劃|预计|預計|拟定|擬定")
# The meeting verb right after a date: 3月13日召开, 3月13日下午在成都举行.
_VERB_AFTER_DATE_RE = LazyPattern(
    rf"{_TIME_OF_DAY}(?:在[^，。；,;]{{0,20}}?)?(?:主持)?(?:召开|举行|召開|舉行)"
)


def _scheduled(sentence: str, start: int) -> bool:
    """The clause before a date sets it for a later meeting (决定, 将于, 定于 …)."""
    return bool(_SCHEDULING_RE.search(re.split(r"[。；;]", sentence[:start])[-1]))


def _attached_to_meeting(sentence: str, match: re.Match[str]) -> bool:
    """``于7月12日召开``, ``于2016年3月8日下午在图书馆召开``, ``常委会3月13日召开``: the date
    the meeting verb takes.

    Not a date set for a later meeting: ``将于``, ``定于``, ``拟于``, ``决定…召开``.

    >>> s = "省委常委会3月13日召开会议。"
    >>> _attached_to_meeting(s, _MONTH_DAY_RE.search(s))
    True
    >>> s = "会议决定，12月7日召开全会。"
    >>> _attached_to_meeting(s, _MONTH_DAY_RE.search(s))
    False
    """
    if _scheduled(sentence, match.start()):
        return False
    if sentence[: match.start()].endswith(("于", "於")):
        return bool(_MEETING_VERB_RE.match(sentence, match.end()))
    return bool(_VERB_AFTER_DATE_RE.match(sentence, match.end()))


def lead_date(sentence: str) -> LeadDate | None:
    """The phrase of a lead sentence that dates its meeting, or None.

    A date counts where it opens the lead (at its start or right after a dateline) or where
    the meeting verb takes it (``于…召开``); a dateline's own date (``5月8日电``), a date set
    for a later meeting and the date of a studied text do not.

    >>> lead_date("2024年3月13日上午，省委常委会召开会议。").kind
    'full'
    >>> lead_date("本报讯（记者某某）昨天下午，市委召开全体会议。").match.group()
    '昨天'
    >>> lead_date("某社北京5月8日电 7日下午，党组召开会议。").match.group()
    '7日'
    >>> lead_date("学院党委理论学习中心组于2016年3月8日下午在图书馆召开学习会议。").match.group()
    '2016年3月8日'
    >>> lead_date("会议决定12月7日召开全会。") is None  # a scheduled meeting
    True
    >>> lead_date("会议传达学习1月6日中央政治局常委会会议精神。") is None  # a studied meeting
    True
    """
    found: list[tuple[int, LeadDate]] = []
    for kind, pattern in (("full", _FULL_DATE_RE), ("month-day", _MONTH_DAY_RE), ("day", _DAY_RE)):
        for match in pattern.finditer(sentence):
            if sentence.startswith(("电", "電", "讯", "訊"), match.end()):
                continue  # the dateline's date: when the report was filed
            if _scheduled(sentence, match.start()):
                continue  # 全会决定 2022年2月23日召开…: a later meeting's date
            if _opens_lead(sentence, match.start()) or (
                kind != "day" and _attached_to_meeting(sentence, match)
            ):
                found.append((match.start(), LeadDate(kind, match)))
    vague = "|".join(map(re.escape, datafiles.require("dates.yml", "vague_dates")))
    words = rf"(?P<word>{'|'.join(_RELATIVE_DAYS)})|(?P<vague>{vague})"
    for match in re.finditer(words, sentence):
        if _opens_lead(sentence, match.start()):
            kind = "relative" if match.group("word") else "vague"
            found.append((match.start(), LeadDate(kind, match)))
    return min(found, key=lambda f: f[0])[1] if found else None


@dataclass(frozen=True)
class PageDate:
    """The publication date of the page an article stands on, with the chrome that says it."""

    date: dt.date
    evidence: str

    @classmethod
    def from_record(cls, record: dict[str, str | None] | None) -> PageDate | None:
        if not record or not record.get("date"):
            return None
        return cls(dt.date.fromisoformat(str(record["date"])), str(record.get("evidence") or ""))

    def describe(self) -> str:
        return f"页面发布日期“{self.evidence}”"


def _year_before(page: dt.date, month: int, day: int) -> int:
    """The year that puts month-day on or before the page's date (December → January)."""
    try:
        return page.year if dt.date(page.year, month, day) <= page else page.year - 1
    except ValueError:  # 2月29日 outside a leap year
        return page.year - 1


def date_document(
    paragraphs: list[str],
    sibling_dates: list[str] | None = None,
    published: dict[str, str | None] | None = None,
    dateline: str | None = None,
) -> DocumentDate:
    """Date a document from its paragraphs (simplified script), in order of strength.

    - a full date that opens the lead or that its meeting verb takes is printed evidence
      (``2022年11月28日至29日`` gives a range);
    - a month and day take their year from the page's publication date (``published``, read
      from its chrome), else from the evidence in the whole text (events, anniversaries, a
      year the text prints);
    - a day alone (``20日下午``) takes its month from the publication date or the dateline;
    - ``昨天``, ``前天`` count back from the publication date;
    - ``近日`` takes the month of the other reports in the same seed (``sibling_dates``);
    - a document that names the meeting which adopted it takes that meeting's dates.

    >>> date_document(["全会于2022年11月28日至29日在成都举行。"])  # doctest: +NORMALIZE_WHITESPACE
    DocumentDate(date='2022-11-28', precision='day', date_end='2022-11-29', inferred=False,
                 evidence=None)
    >>> d = date_document(["3月13日，省委常委会召开会议。", "今年是新中国成立75周年。"])
    >>> d.date, d.inferred, d.evidence
    ('2024-03-13', True, '新中国成立75周年（1949＋75＝2024）')
    >>> page = {"date": "2022-01-03", "evidence": "发布时间：2022-01-03"}
    >>> date_document(["12月30日，县委常委会召开会议。"], published=page).date
    '2021-12-30'

    A printed date that is no calendar date is no evidence (the build warns, it does not
    stop):

    >>> date_document(["全会于2022年2月28日至30日在成都举行。"])
    Traceback (most recent call last):
    ...
    policy_archive.extract.dates.NoDateEvidenceError: the date printed is not a calendar date (day is out of range for month)
    """
    try:
        return _date_document(paragraphs, sibling_dates, published, dateline)
    except NoDateEvidenceError:
        raise
    except ValueError as exc:  # dt.date() of a day the calendar has not (2月30日)
        msg = f"the date printed is not a calendar date ({exc})"
        raise NoDateEvidenceError(msg) from exc


def _date_document(paragraphs: list[str], sibling_dates: list[str] | None,
                   published: dict[str, str | None] | None,
                   dateline: str | None) -> DocumentDate:
    text = "\n".join(paragraphs)
    found = lead_date(_first_sentence(paragraphs))
    page = PageDate.from_record(published)

    if found and found.kind == "full":
        match = found.match
        return _from_match(match, int(match.group("y")), inferred=False, evidence=None)
    if found and found.kind == "month-day":
        return _month_day(found.match, text, page)
    if found and found.kind == "day":
        return _day_only(found.match, text, page, _dateline_date(dateline, paragraphs))
    if found and found.kind == "relative":
        word = found.match.group()
        if page is None:
            msg = f"{word}: the page prints no publication date to count from"
            raise NoDateEvidenceError(msg)
        day = page.date - dt.timedelta(days=_RELATIVE_DAYS[word])
        back = {0: "当天", 1: "前一天", 2: "前两天"}[_RELATIVE_DAYS[word]]
        evidence = f"{word}（{page.describe()}的{back}）"
        return DocumentDate(day.isoformat(), "day", None, True, evidence)

    for pattern, literals in _adopted_at():
        if literals and not any(literal in text for literal in literals):
            continue  # no literal that every match holds: no match, and no slow search
        adopted = pattern.search(text)
        if adopted:
            meeting = adopted.group("meeting")
            for event in events():
                if any(alias in meeting for alias in event.aliases) or event.name in meeting:
                    return DocumentDate(
                        date=event.start,
                        precision="day" if event.start.count("-") == 2 else "month",
                        date_end=event.end,
                        inferred=True,
                        evidence=f"{adopted.group()}（{event.name}，{event_when(event)}）",
                    )

    if found and found.kind == "vague":
        return _vague(found.match.group(), text, sibling_dates)
    msg = "the text prints no date and names no dated meeting that adopted it"
    raise NoDateEvidenceError(msg)


@functools.cache
def _adopted_at() -> tuple[tuple[LazyPattern, tuple[str, ...] | None], ...]:
    """The adopted-at patterns, each compiled when first searched, with the literals of
    which its matches hold one (进行了研究，作出如下决定): a pattern that opens with any run of
    characters is tried at every position of a text, and most texts hold none of them."""
    return tuple((LazyPattern(p), required_literals(p))
                 for p in datafiles.require("dates.yml", "adopted_at"))


def _month_day(match: re.Match[str], text: str, page: PageDate | None) -> DocumentDate:
    month, day = int(match.group("m")), int(match.group("d"))
    if page is not None:
        year = _year_before(page.date, month, day)
        return _from_match(match, year, inferred=True, evidence=page.describe())
    evidence = year_evidence(text, month, day)
    if not evidence:
        msg = f"the lead prints {match.group()} but no phrase of the text proves its year"
        raise NoDateEvidenceError(msg)
    year, used = _choose_year(evidence)
    return _from_match(match, year, inferred=True, evidence=_describe(used))


def _dateline_date(dateline: str | None, paragraphs: list[str]) -> re.Match[str] | None:
    """The month and day of a dateline (``北京5月8日电``), in the dateline or the lead."""
    for text in (dateline or "", _first_sentence(paragraphs)):
        match = _DATELINE_DATE_RE.search(text)
        if match:
            return match
    return None


def _day_only(
    match: re.Match[str], text: str, page: PageDate | None, filed: re.Match[str] | None
) -> DocumentDate:
    """``28日``: the month (and year) of the page or the dateline, the last such day before."""
    day = int(match.group("d"))
    if page is not None:
        ref_month, ref_day, why = page.date.month, page.date.day, page.describe()
    elif filed is not None:
        ref_month, ref_day, why = int(filed.group("m")), int(filed.group("d")), f"电头{filed.group()}"
    else:
        msg = f"the lead prints only {match.group()}, and no dateline or page date gives its month"
        raise NoDateEvidenceError(msg)
    month = ref_month if day <= ref_day else ref_month - 1 or 12
    if page is not None:
        year = page.date.year - (1 if month > page.date.month else 0)
        evidence = why
    else:
        evidence_found = year_evidence(text, month, day)
        if not evidence_found:
            msg = f"the lead prints only {match.group()}; {why} gives no year and the text none"
            raise NoDateEvidenceError(msg)
        year, used = _choose_year(evidence_found)
        evidence = f"{why}；{_describe(used)}"
    return DocumentDate(dt.date(year, month, day).isoformat(), "day", None, True, evidence)


def _vague(word: str, text: str, sibling_dates: list[str] | None) -> DocumentDate:
    if not sibling_dates:
        msg = f"{word} gives no day, and no other report of the seed is dated"
        raise NoDateEvidenceError(msg)
    months = Counter(d[:7] for d in sibling_dates)
    month = max(months, key=lambda m: (months[m], m))
    evidence = year_evidence(text)
    same_year = [e for e in evidence if e.year == int(month[:4])]
    if evidence and not same_year:
        msg = (f"{word}: the other reports of the seed are of {month}, "
               f"the text points to {evidence[0].year}")
        raise NoDateEvidenceError(msg)
    others = "、".join(chinese_date(d) for d in sorted(set(sibling_dates)))
    phrases = [f"{word}（同一来源文件中其他报道的日期为{others}）"]
    phrases += [e.describe() for e in same_year]
    return DocumentDate(month, "month", None, True, "；".join(phrases))


def _from_match(
    match: re.Match[str], year: int, *, inferred: bool, evidence: str | None
) -> DocumentDate:
    month, day = int(match.group("m")), int(match.group("d"))
    start = dt.date(year, month, day)
    end = None
    if match.group("d2"):
        end_month = int(match.group("m2") or month)
        end = dt.date(year, end_month, int(match.group("d2"))).isoformat()
    return DocumentDate(start.isoformat(), "day", end, inferred, evidence)
