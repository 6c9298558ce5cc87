"""Dates with evidence: what a report prints, and what its text proves when it prints no year.

A date is never guessed silently: every inferred part says which phrase of the text it
rests on (``date_evidence``), and a document with no evidence gets no date and a warning.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from policy_archive import datafiles

_FULL_DATE_RE = re.compile(
    r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日(?:至(?:(?P<m2>\d{1,2})月)?(?P<d2>\d{1,2})日)?"
)
_MONTH_DAY_RE = re.compile(
    r"(?<![\d年])(?P<m>\d{1,2})月(?P<d>\d{1,2})日(?:至(?:(?P<m2>\d{1,2})月)?(?P<d2>\d{1,2})日)?"
)
# How far into the lead a date may stand and still be the report's own date.
LEAD_WINDOW = 60


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


def events() -> list[Event]:
    """The dated events of ``data/events.yml``."""
    out = []
    for entry in datafiles.require("events.yml", "events"):
        if not entry.get("source"):
            # An event nobody can look up would make every date it gives unverifiable.
            msg = f"policy_archive/data/events.yml: event '{entry.get('name')}' has no source"
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
    return out


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


def _nearest_year(month: int, day: int, event_date: tuple[int, int, int]) -> int:
    """The year that puts month-day nearest to the event (reports follow events closely)."""
    target = dt.date(*event_date)
    best = None
    for year in (event_date[0] - 1, event_date[0], event_date[0] + 1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:  # 2月29日 outside a leap year
            continue
        distance = abs((candidate - target).days)
        if best is None or distance < best[0]:
            best = (distance, year)
    if best is None:
        msg = f"no year has {month}月{day}日 near {target}"
        raise ValueError(msg)
    return best[1]


def year_evidence(text: str, month: int | None = None, day: int | None = None) -> list[Evidence]:
    """Every phrase of the text that points to the year the report was written.

    >>> [e.describe() for e in year_evidence("今年是新中国成立75周年。", 3, 13)]
    ['新中国成立75周年（1949＋75＝2024）']
    >>> [e.describe() for e in year_evidence("在成都大运会开幕式前", 7, 29)]
    ['成都大运会（2023年7月28日开幕）']
    """
    found: list[Evidence] = []
    for event in events():
        for alias in event.anniversary_aliases:
            if alias in text:
                y, m, d = _ymd(event.start)
                year = y + 1 if month is None else _nearest_year(month, day or 1, (y + 1, m, d))
                reason = f"{event.name}，{event_when(event)}；{y}＋1＝{y + 1}"
                found.append(Evidence(year, alias, "anniversary", reason))
        for alias in event.aliases:
            if alias in text and alias not in event.anniversary_aliases:
                y, m, d = _ymd(event.start)
                year = y if month is None else _nearest_year(month, day or 1, (y, m, d))
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


def date_document(paragraphs: list[str], sibling_dates: list[str] | None = None) -> DocumentDate:
    """Date a document from its paragraphs (simplified script, dateline removed).

    - a full date in the lead is printed evidence (``2022年11月28日至29日`` gives a range);
    - a month and day in the lead take their year from the evidence in the whole text;
    - ``近日`` takes the month of the other reports in the same seed (``sibling_dates``);
    - a document that names the meeting which adopted it takes that meeting's dates.

    >>> date_document(["全会于2022年11月28日至29日在成都举行。"])  # doctest: +NORMALIZE_WHITESPACE
    DocumentDate(date='2022-11-28', precision='day', date_end='2022-11-29', inferred=False,
                 evidence=None)
    >>> d = date_document(["3月13日，省委常委会召开会议。", "今年是新中国成立75周年。"])
    >>> d.date, d.inferred, d.evidence
    ('2024-03-13', True, '新中国成立75周年（1949＋75＝2024）')
    """
    text = "\n".join(paragraphs)
    lead = paragraphs[0][:LEAD_WINDOW] if paragraphs else ""

    full = _FULL_DATE_RE.search(lead)
    if full:
        return _from_match(full, int(full.group("y")), inferred=False, evidence=None)

    month_day = _MONTH_DAY_RE.search(lead)
    if month_day:
        month, day = int(month_day.group("m")), int(month_day.group("d"))
        evidence = year_evidence(text, month, day)
        if not evidence:
            msg = f"the lead prints {month_day.group()} but no phrase of the text proves its year"
            raise NoDateEvidenceError(msg)
        year, used = _choose_year(evidence)
        return _from_match(month_day, year, inferred=True, evidence=_describe(used))

    for pattern in datafiles.require("dates.yml", "adopted_at"):
        adopted = re.search(pattern, text)
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

    vague = [w for w in datafiles.require("dates.yml", "vague_dates") if lead.startswith(w)]
    if vague and sibling_dates:
        months = Counter(d[:7] for d in sibling_dates)
        month = max(months, key=lambda m: (months[m], m))
        evidence = year_evidence(text)
        same_year = [e for e in evidence if e.year == int(month[:4])]
        if evidence and not same_year:
            msg = (f"{vague[0]}: the other reports of the seed are of {month}, "
                   f"the text points to {evidence[0].year}")
            raise NoDateEvidenceError(msg)
        others = "、".join(chinese_date(d) for d in sorted(set(sibling_dates)))
        phrases = [f"{vague[0]}（同一来源文件中其他报道的日期为{others}）"]
        phrases += [e.describe() for e in same_year]
        return DocumentDate(month, "month", None, True, "；".join(phrases))

    msg = "the text prints no date and names no dated meeting that adopted it"
    raise NoDateEvidenceError(msg)


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
