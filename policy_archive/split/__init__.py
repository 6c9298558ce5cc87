"""Split a repaired seed into articles, and find each article's headline block.

A printed page or a web page can hold several articles. The cues, read from the seed's
lines after the seed repair steps (so line numbers are the seed's own):

- a *dateline* (``四川日报讯``, ``本报讯（渝西都市报记者彭禹乔）``) at the start of a paragraph
  opens an article;
- a *headline line* carries no sentence punctuation and is not a numbered section heading;
  a run of them is a headline block;
- where the seed starts with a dateline and ends with a headline block, the page prints
  each headline block *after* its body (a newspaper page laid out in columns, seed 003);
  otherwise a headline block comes before its body;
- with no dateline, in a seed whose lines are whole paragraphs, a headline line between
  a sentence end and a paragraph starts a new document (the plenum communiqué and the
  decision printed after it, seed 004).

Where the automatic split is wrong, a corrections file can say where articles begin.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from policy_archive import datafiles
from policy_archive.clean.steps import PARAGRAPH_PER_LINE_WIDTH, is_section_heading
from policy_archive.model import Removal
from policy_archive.text import HAN, SENTENCE_PUNCT_RE, display_width, ends_sentence

Line = tuple[int, str]  # (1-based line number in the seed, text)

# Names under which the split records lines it sets aside (not body, not headline): they
# appear in a document's ``removed`` list and the nothing-lost check accounts for them.
SET_ASIDE_STEPS = ("set_aside_page_preamble", "set_aside_section_label")

# A headline line is at most this wide (em); longer lines without punctuation are text.
HEADLINE_MAX_WIDTH = 80


@dataclass
class ArticleSpan:
    """One article's lines in a seed: its headline block and its body, with line numbers."""

    first_line: int
    last_line: int
    headline: list[list[Line]] = field(default_factory=list)  # groups split by blank lines
    body: list[Line] = field(default_factory=list)  # blank lines kept as (n, "")
    set_aside: list[Removal] = field(default_factory=list)  # neither body nor headline
    byline: Line | None = None  # a credit line below the headline: 某某日报记者 张三 通讯员 李四

    def body_text(self) -> str:
        """The body lines as text, blank lines kept (the paragraph joiner reads them)."""
        return "\n".join(text for _, text in self.body)


def dateline_pattern() -> re.Pattern[str]:
    """The regular expression of a dateline, built from ``data/layout.yml``.

    Forms: ``四川日报讯``, ``本报讯（记者…）``, ``[本网讯]``, and an outlet with a place and a
    day: ``新华社北京9月21日电``, ``某某网11月22日讯`` (``电`` only with the day, so that a
    name such as ``国网四川电力`` is no dateline).

    >>> bool(dateline_pattern().match("本报讯（渝西都市报记者彭禹乔）6月")), bool(dateline_pattern().match("资讯显示"))
    (True, False)
    >>> [dateline_pattern().match(t).group() for t in ["中新网北京9月21日电20日", "[本网讯]为规范",
    ...                                                 "某某网消息（新闻联播）：3月1日"]]
    ['中新网北京9月21日电', '[本网讯]', '某某网消息（新闻联播）：']
    >>> dateline_pattern().match("国网四川电力公司召开会议") is None
    True
    """
    cue = datafiles.require("layout.yml", "dateline")
    own = "|".join(map(re.escape, cue["own_paper"]))
    suffixes = "|".join(map(re.escape, sorted(cue["outlet_suffixes"], key=len, reverse=True)))
    day = r"(?:\d{1,2}月)?\d{1,2}日"
    return re.compile(
        rf"^(?:[\[【](?P<bracketed>{own})讯[\]】]"
        rf"|(?P<outlet>{own}|[{HAN}]{{1,12}}?(?:{suffixes}))"
        rf"(?:[{HAN}]{{0,4}}?{day}(?:讯|訊|电|電)|讯|訊|消息))"
        rf"(?:（(?P<credit>[^（）\n]{{0,40}})）)?：?"
    )


def is_headline_line(text: str) -> bool:
    """A line that can be part of a printed headline.

    >>> is_headline_line("永川区委常委会召开会议"), is_headline_line("会议还研究了其他事项。")
    (True, False)
    """
    stripped = text.strip()
    return (
        bool(stripped)
        and not SENTENCE_PUNCT_RE.search(stripped)
        and not is_section_heading(stripped)
        and display_width(stripped) <= HEADLINE_MAX_WIDTH
    )


def _group(lines: list[Line]) -> list[list[Line]]:
    """Split headline lines into groups wherever a blank line stood between them."""
    groups: list[list[Line]] = []
    for number, text in lines:
        if groups and number == groups[-1][-1][0] + 1:
            groups[-1].append((number, text))
        else:
            groups.append([(number, text)])
    return groups


def split_seed(text: str, posting_dates: frozenset[int] = frozenset()) -> list[ArticleSpan]:
    """Split a repaired seed into article spans covering all of its lines.

    ``posting_dates`` are the lines the repair emptied as date stamps; where two or more of
    them each stand over an item with text, the page is a list page (``_split_list_page``).

    >>> spans = split_seed("四川日报讯3月13日，会议召开。\\n\\n四川日报讯3月14日，又召开。")
    >>> [(s.first_line, s.last_line) for s in spans]
    [(1, 2), (3, 3)]
    """
    lines: list[Line] = list(enumerate(text.split("\n"), 1))
    content = [(n, t) for n, t in lines if t.strip()]
    if not content:
        return []
    last = len(lines)
    list_page = _split_list_page(lines, content, sorted(posting_dates), last)
    if list_page:
        return list_page
    dateline = dateline_pattern()

    def previous_content(k: int) -> str | None:
        return content[k - 1][1] if k > 0 else None

    datelines = [
        k
        for k, (_, t) in enumerate(content)
        if dateline.match(t.strip())
        and (k == 0 or ends_sentence(previous_content(k)) or is_headline_line(previous_content(k)))
    ]

    def trailing_headline_run(items: list[Line]) -> int:
        """Index in ``items`` where the run of headline lines at its end begins."""
        start = len(items)
        while start > 0 and is_headline_line(items[start - 1][1]):
            start -= 1
        return start

    wide = statistics.median(display_width(t) for _, t in content) > PARAGRAPH_PER_LINE_WIDTH
    if datelines:
        # Only a printed column puts headlines after the body; on a web page (a paragraph per
        # line) a last line without punctuation is a cut-off sentence, not a headline.
        if (datelines[0] == 0 and not wide
                and trailing_headline_run(content) < len(content)):
            return _split_headline_after_body(lines, content, datelines, last)
        return _split_headline_before_body(lines, content, datelines, last)

    starts = [0]
    if wide:
        for k in range(1, len(content) - 1):
            if (
                is_headline_line(content[k][1])
                and ends_sentence(content[k - 1][1])
                and not is_headline_line(content[k + 1][1])
            ):
                starts.append(k)
    spans = []
    for i, k in enumerate(starts):
        first = 1 if i == 0 else content[k][0]
        end = last if i + 1 == len(starts) else content[starts[i + 1]][0] - 1
        head_end = k
        while head_end < len(content) and is_headline_line(content[head_end][1]):
            head_end += 1
        headline = content[k:head_end]
        if not wide and headline:
            # In a printed column, a line without punctuation may just be a wrapped line:
            # it is a headline only when a blank line sets it apart from the body.
            after = headline[-1][0] + 1
            if after > last or lines[after - 1][1].strip():
                headline = []
        spans.append(_span(lines, first, end, headline, "headline-before-body"))
    return spans


def is_byline(text: str) -> bool:
    """A line that only credits reporters: a credit role followed by a name, no sentence.

    >>> is_byline("某某日报·某某客户端记者\u3000张三\u3000通讯员\u3000李四"), is_byline("记者节座谈会召开")
    (True, False)
    """
    roles = "|".join(map(re.escape, datafiles.require("layout.yml", "dateline", "credit_roles")))
    stripped = text.strip()
    return (display_width(stripped) <= 40 and not SENTENCE_PUNCT_RE.search(stripped)
            and bool(re.search(rf"(?:{roles})[\s\u3000]*[{HAN}]{{2,4}}(?:[\s\u3000、]|$)",
                               stripped)))


def is_section_label(group: list[Line]) -> bool:
    """A web page's section name above a headline (``新闻中心``, ``党建领航``): one short line
    that reports no meeting (cues in ``data/layout.yml``, ``section_label``).

    >>> is_section_label([(1, "新闻中心")]), is_section_label([(1, "省委全会召开")])
    (True, False)
    """
    cue = datafiles.require("layout.yml", "section_label")
    text = group[0][1].strip() if len(group) == 1 else ""
    return (0 < len(text) <= cue["max_chars"]
            and not any(word in text for word in cue["meeting_words"]))


def _span(lines: list[Line], first: int, end: int, headline: list[Line], layout: str) -> ArticleSpan:
    in_headline = {n for n, _ in headline}
    body = [(n, t) for n, t in lines[first - 1 : end] if n not in in_headline]
    # Leading and trailing blank lines are not part of the body.
    while body and not body[0][1].strip():
        body.pop(0)
    while body and not body[-1][1].strip():
        body.pop()
    groups = _group(headline)
    byline = None
    if groups and layout == "headline-before-body" and is_byline(groups[-1][-1][1]):
        byline = groups[-1].pop()
        groups = [g for g in groups if g]
    set_aside = []
    if len(groups) >= 2 and layout == "headline-before-body" and is_section_label(groups[0]):
        (number, text), = groups.pop(0)
        set_aside.append(Removal(number, text.strip(), "set_aside_section_label"))
    return ArticleSpan(first, end, groups, body, set_aside, byline)


def _split_list_page(
    lines: list[Line], content: list[Line], dates: list[int], last: int
) -> list[ArticleSpan]:
    """A list page: a posting date over each item, each item a headline and a short text.

    Each date opens an item running to the next date; the lines above the first date (the
    page's preamble: section name, introduction, links) are set aside. It is a list page only
    when at least two dates each stand over text with sentence punctuation; otherwise ``[]``.

    >>> page = "栏目说明。\\n\\n某区政府第2次常务会议\\n\\n5月1日，会议召开，研究工作。\\n\\n4月1日，会议召开。"
    >>> spans = split_seed(page, frozenset({2, 6}))
    >>> [(s.first_line, s.last_line, [t for g in s.headline for _, t in g]) for s in spans]
    [(1, 5, ['某区政府第2次常务会议']), (6, 7, [])]
    >>> [r.text for r in spans[0].set_aside]
    ['栏目说明。']
    """
    items = [[(n, t) for n, t in content if d < n < (dates[i + 1] if i + 1 < len(dates) else last + 1)]
             for i, d in enumerate(dates)]
    if len(dates) < 2 or not all(any(SENTENCE_PUNCT_RE.search(t) for _, t in item) for item in items):
        return []
    spans = []
    for i, (date, item) in enumerate(zip(dates, items, strict=True)):
        head = 0
        while head < len(item) - 1 and is_headline_line(item[head][1]):
            head += 1
        first = 1 if i == 0 else date
        end = dates[i + 1] - 1 if i + 1 < len(dates) else last
        span = _span(lines, first, end, item[:head], "headline-before-body")
        if i == 0:
            preamble = [(n, t) for n, t in span.body if n < date and t.strip()]
            span.body = [(n, t) for n, t in span.body if n > date]
            span.set_aside += [Removal(n, t.strip(), "set_aside_page_preamble") for n, t in preamble]
        spans.append(span)
    return spans


def _split_headline_after_body(
    lines: list[Line], content: list[Line], datelines: list[int], last: int
) -> list[ArticleSpan]:
    spans = []
    for i, k in enumerate(datelines):
        stop = datelines[i + 1] if i + 1 < len(datelines) else len(content)
        segment = content[k:stop]
        head_start = len(segment)
        while head_start > 1 and is_headline_line(segment[head_start - 1][1]):
            head_start -= 1
        first = 1 if i == 0 else content[k][0]
        end = last if i + 1 == len(datelines) else content[stop][0] - 1
        spans.append(_span(lines, first, end, segment[head_start:], "headline-after-body"))
    return spans


def _split_headline_before_body(
    lines: list[Line], content: list[Line], datelines: list[int], last: int
) -> list[ArticleSpan]:
    starts: list[int] = []
    for i, k in enumerate(datelines):
        start = k
        floor = datelines[i - 1] + 1 if i > 0 else 0
        while start > floor and is_headline_line(content[start - 1][1]):
            start -= 1
        starts.append(start)
    spans = []
    for i, start in enumerate(starts):
        first = 1 if i == 0 else content[start][0]
        end = last if i + 1 == len(starts) else content[starts[i + 1]][0] - 1
        headline = content[start : datelines[i]]
        if i == 0:
            # Lines before the first dateline: a headline block if they look like one.
            lead = content[: datelines[0]]
            headline = lead if all(is_headline_line(t) for _, t in lead) else headline
        spans.append(_span(lines, first, end, headline, "headline-before-body"))
    return spans
