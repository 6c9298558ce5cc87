"""Headline fields: kicker (引题), title, subtitle (副题) — printed, or inferred from the lead."""

from __future__ import annotations

import re
from dataclasses import dataclass

from policy_archive import datafiles
from policy_archive.text import IDEOGRAPHIC_SPACE

Line = tuple[int, str]

# An inferred title takes whole clauses of the lead sentence up to this many characters.
INFERRED_TITLE_MAX = 48
_LEAD_DATE_RE = re.compile(
    r"^(?:\d{4}年)?(?:\d{1,2}月)?(?:\d{1,2}日)?(?:[上下]午|晚|上旬|中旬|下旬)?，|^近日，|^日前，|^近期，"
)


@dataclass(frozen=True)
class Headline:
    title: str
    kicker: str | None
    subtitle: str | None
    source: str  # printed | inferred


def _matches(key: str, text: str) -> bool:
    return any(re.search(p, text) for p in datafiles.require("layout.yml", "headline_roles", key))


def printed_headline(groups: list[list[Line]]) -> Headline | None:
    """Give each line of a printed headline block its role.

    Three or more groups (set apart by blank lines) read kicker / title / subtitle; in a
    single group a first line reporting the meeting is the kicker and a last line saying
    who presided is the subtitle. Lines of the main title are joined with an ideographic
    space, the phrase break printed headlines use.

    >>> printed_headline([[(1, "永川区委常委会召开会议")], [(3, "深入学习"), (4, "研究部署")],
    ...                   [(6, "区委书记张智奎主持会议")]])
    Headline(title='深入学习\\u3000研究部署', kicker='永川区委常委会召开会议', subtitle='区委书记张智奎主持会议', source='printed')
    >>> printed_headline([[(1, "吃透精神实质"), (2, "永川区政府召开第58次常务会议\\u3000常晓勇主持")]]).subtitle
    '永川区政府召开第58次常务会议\\u3000常晓勇主持'
    """
    texts = [[t.strip() for _, t in g] for g in groups if g]
    if not texts:
        return None
    kicker = subtitle = None
    if len(texts) >= 3:
        kicker = IDEOGRAPHIC_SPACE.join(texts[0])
        subtitle = IDEOGRAPHIC_SPACE.join(texts[-1])
        main = [line for group in texts[1:-1] for line in group]
    else:
        main = [line for group in texts for line in group]
        if len(main) >= 2 and _matches("kicker", main[0]):
            kicker = main.pop(0)
        if len(main) >= 2 and _matches("subtitle", main[-1]):
            subtitle = main.pop()
    return Headline(IDEOGRAPHIC_SPACE.join(main), kicker, subtitle, "printed")


def inferred_headline(lead: str) -> Headline:
    """A title made from the lead sentence, for an article printed without a headline.

    Drops the opening date clause and keeps whole clauses, up to 48 characters (at least
    one clause), so the title says what the lead says and nothing else.

    >>> inferred_headline("3月13日，省委常委会召开（扩大）会议，专题传达学习全国两会精神，研究我省贯彻落实意见。省委书记主持。").title
    '省委常委会召开（扩大）会议，专题传达学习全国两会精神，研究我省贯彻落实意见'
    """
    sentence = re.split(r"[。！？]", lead, maxsplit=1)[0]
    sentence = _LEAD_DATE_RE.sub("", sentence)
    clauses = sentence.split("，")
    title = clauses[0]
    for clause in clauses[1:]:
        if len(title) + 1 + len(clause) > INFERRED_TITLE_MAX:
            break
        title += "，" + clause
    return Headline(title, None, None, "inferred")
