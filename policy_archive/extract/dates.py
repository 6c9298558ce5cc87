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
    year: int
    phrase: str
    kind: str  # event | anniversary | current-year | adopted-at | sibling | printed

    def describe(self) -> str:
        return f"{self.phrase}（{self.kind} → {self.year}）"


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
    ['新中国成立75周年（anniversary → 2024）']
    >>> [e.year for e in year_evidence("在成都大运会开幕式前", 7, 29)]
    [2023]
    """
    found: list[Evidence] = []
    for event in events():
        for alias in event.anniversary_aliases:
            if alias in text:
                y, m, d = _ymd(event.start)
                year = y + 1 if month is None else _nearest_year(month, day or 1, (y + 1, m, d))
                found.append(Evidence(year, alias, "event"))
        for alias in event.aliases:
            if alias in text and alias not in event.anniversary_aliases:
                y, m, d = _ymd(event.start)
                year = y if month is None else _nearest_year(month, day or 1, (y, m, d))
                found.append(Evidence(year, alias, "event"))
                break
    for rule in datafiles.require("dates.yml", "anniversaries"):
        for match in re.finditer(rule["pattern"], text):
            found.append(Evidence(rule["base_year"] + int(match.group(1)), match.group(), "anniversary"))
    for pattern in datafiles.require("dates.yml", "current_year_phrases"):
        for match in re.finditer(pattern, text):
            found.append(Evidence(int(match.group(1)), match.group(), "current-year"))
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

    >>> date_document(["全会于2022年11月28日至29日在成都举行。"])
    DocumentDate(date='2022-11-28', precision='day', date_end='2022-11-29', inferred=False, evidence=None)
    >>> d = date_document(["3月13日，省委常委会召开会议。", "今年是新中国成立75周年。"])
    >>> d.date, d.inferred, d.evidence
    ('2024-03-13', True, '新中国成立75周年（anniversary → 2024）')
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
                        evidence=f"{adopted.group()}（adopted-at → {event.name}）",
                    )

    vague = [w for w in datafiles.require("dates.yml", "vague_dates") if lead.startswith(w)]
    if vague and sibling_dates:
        months = Counter(d[:7] for d in sibling_dates)
        month = max(months, key=lambda m: (months[m], m))
        evidence = year_evidence(text)
        same_year = [e for e in evidence if e.year == int(month[:4])]
        if evidence and not same_year:
            msg = f"{vague[0]}: the other reports of the seed are of {month}, the text points to {evidence[0].year}"
            raise NoDateEvidenceError(msg)
        phrases = [f"{vague[0]}，同一来源其他报道日期 {', '.join(sorted(set(sibling_dates)))}"]
        phrases += [e.describe() for e in same_year]
        return DocumentDate(month, "month", None, True, "；".join(phrases))

    msg = "the text prints no date and names no dated meeting that adopted it"
    raise NoDateEvidenceError(msg)


def _from_match(match: re.Match[str], year: int, *, inferred: bool, evidence: str | None) -> DocumentDate:
    month, day = int(match.group("m")), int(match.group("d"))
    start = dt.date(year, month, day)
    end = None
    if match.group("d2"):
        end_month = int(match.group("m2") or month)
        end = dt.date(year, end_month, int(match.group("d2"))).isoformat()
    return DocumentDate(start.isoformat(), "day", end, inferred, evidence)
