"""Datelines: ``四川日报讯``, ``本报讯（渝西都市报记者彭禹乔）`` → outlet and reporters."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from policy_archive import datafiles
from policy_archive.split import dateline_pattern
from policy_archive.text import SENTENCE_PUNCT_RE, LazyPattern


@dataclass(frozen=True)
class Dateline:
    text: str  # the dateline as printed, kept in the dataset (nothing of the source is lost)
    outlet: str | None
    reporters: list[str] = field(default_factory=list)


def split_dateline(paragraph: str) -> tuple[Dateline | None, str]:
    """Take the dateline off the front of an article's first paragraph.

    >>> split_dateline("本报讯（渝西都市报记者涂燕）6月12日，永川区召开会议。")
    (Dateline(text='本报讯（渝西都市报记者涂燕）', outlet='渝西都市报', reporters=['涂燕']), '6月12日，永川区召开会议。')
    >>> split_dateline("华西都市报讯（记者周家夷、张三）近日，两地印发。")[0].reporters
    ['周家夷', '张三']
    >>> split_dateline("会议指出，要抓落实。")
    (None, '会议指出，要抓落实。')
    >>> split_dateline("新华社北京9月21日电20日下午，会议召开。")
    (Dateline(text='新华社北京9月21日电', outlet='新华社', reporters=[]), '20日下午，会议召开。')
    """
    match = dateline_pattern().match(paragraph)
    if not match:
        return None, paragraph
    cue = datafiles.require("layout.yml", "dateline")
    outlet = match.group("outlet") or match.group("bracketed")
    reporters: list[str] = []
    credit = match.group("credit") or ""
    roles = "|".join(map(re.escape, cue["credit_roles"]))
    credit_match = re.match(rf"^(?P<outlet>.*?)(?:{roles})(?P<names>.*)$", credit)
    if credit_match:
        if credit_match.group("outlet"):
            outlet = credit_match.group("outlet") if outlet in cue["own_paper"] else outlet
        names = re.split(rf"[、，,/\s]|(?:{roles})", credit_match.group("names"))
        reporters = [n for n in names if n]
    if outlet in cue["own_paper"]:
        outlet = None  # 本报 without a credit naming the paper: the outlet is unknown
    return Dateline(match.group(), outlet, reporters), paragraph[match.end() :]


# A headline run into its dateline is at least this long, and the outlet's place name before
# its ending (日报, 网…) this long: a list page that runs them together gives no other cue.
RUN_IN_HEADLINE_MIN = 6
RUN_IN_PLACE_CHARS = 2


def split_run_in_headline(paragraph: str) -> tuple[str, Dateline, str] | None:
    """A headline run into the dateline on one line (list pages): headline, dateline, text.

    The headline holds no sentence punctuation; the dateline must carry a credit or a day.
    Where the outlet's name could start at several places, its place name is taken as two
    characters (``…等某某日报讯`` → ``某某日报``).

    >>> split_run_in_headline("市长主持召开常务会议研究预算等某某日报讯（记者/张三）12月24日下午，会议召开。")
    ('市长主持召开常务会议研究预算等', Dateline(text='某某日报讯（记者/张三）', outlet='某某日报', reporters=['张三']), '12月24日下午，会议召开。')
    >>> split_run_in_headline("会议指出，某某日报讯要办好。") is None
    True
    """
    pattern = dateline_pattern()
    suffixes = datafiles.require("layout.yml", "dateline", "outlet_suffixes")
    found = []
    for start in range(RUN_IN_HEADLINE_MIN, len(paragraph)):
        head = paragraph[:start]
        if SENTENCE_PUNCT_RE.search(head):
            break
        match = pattern.match(paragraph[start:])
        if match and (match.group("credit") is not None or re.search(r"\d日", match.group())):
            found.append(start)
    if not found:
        return None

    def place_length(start: int) -> int:
        outlet = pattern.match(paragraph[start:]).group("outlet") or ""
        ending = max((x for x in suffixes if outlet.endswith(x)), key=len, default="")
        return len(outlet) - len(ending)

    start = next((s for s in found if place_length(s) == RUN_IN_PLACE_CHARS), found[0])
    dateline, rest = split_dateline(paragraph[start:])
    return paragraph[:start], dateline, rest


def byline_dateline(line: str) -> Dateline:
    """A credit line printed below the headline, read as the article's dateline.

    >>> byline_dateline("某某日报·某某客户端记者\u3000张三\u3000通讯员\u3000李四")
    Dateline(text='某某日报·某某客户端记者\u3000张三\u3000通讯员\u3000李四', outlet='某某日报·某某客户端', reporters=['张三', '李四'])
    """
    cue = datafiles.require("layout.yml", "dateline")
    roles = "|".join(map(re.escape, cue["credit_roles"]))
    text = line.strip()
    parts = re.split(rf"(?:{roles})", text, maxsplit=1)
    outlet = parts[0].strip() or None
    names = re.split(rf"[、，,\s\u3000]|(?:{roles})", parts[1]) if len(parts) > 1 else []
    return Dateline(text, outlet, [n for n in names if n])


# A reporter credit after the last sentence: （记者 张三）, （张三 李四）, （办公室供稿）.
_CREDIT_RE = re.compile(r"（(?P<inner>[^（）。！？，；：\d]{2,24})）$")
_CREDIT_BEFORE_RE = LazyPattern(r"(?:^|[。！？”）])$")


def split_credit(paragraphs: list[str]) -> tuple[str | None, list[str]]:
    """Take a reporter credit off the end of the body: the last paragraph's closing
    ``（…）`` after a sentence end, or a last paragraph that is only such a credit.

    A closing bracket that belongs to the sentence (``（试行）。``) or holds a sentence stays.

    >>> split_credit(["会议召开。", "会议还研究了其他事项。（记者张三）"])
    ('（记者张三）', ['会议召开。', '会议还研究了其他事项。'])
    >>> split_credit(["会议召开。", "（党委办公室供稿）"])
    ('（党委办公室供稿）', ['会议召开。'])
    >>> split_credit(["审议通过《办法（试行）》。"])
    (None, ['审议通过《办法（试行）》。'])
    """
    if not paragraphs:
        return None, paragraphs
    last = paragraphs[-1]
    match = _CREDIT_RE.search(last)
    if not match or not _CREDIT_BEFORE_RE.search(last[: match.start()]):
        return None, paragraphs
    rest = last[: match.start()]
    return match.group(), [*paragraphs[:-1], rest] if rest else paragraphs[:-1]


def credit_reporters(credit: str) -> list[str]:
    """The names in a trailing credit, without role words; none for a credited office.

    >>> credit_reporters("（记者张三、李四）"), credit_reporters("（党委办公室供稿）")
    (['张三', '李四'], [])
    """
    cue = datafiles.require("layout.yml", "dateline")
    inner = credit.strip("（）")
    if any(word in inner for word in cue["credit_offices"]):
        return []
    roles = "|".join(map(re.escape, cue["credit_roles"]))
    return [n for n in re.split(rf"[、，,\s/]|(?:{roles})", inner) if n]
