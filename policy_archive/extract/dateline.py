"""Datelines: ``四川日报讯``, ``本报讯（渝西都市报记者彭禹乔）`` → outlet and reporters."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from policy_archive import datafiles
from policy_archive.split import dateline_pattern


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
    """
    match = dateline_pattern().match(paragraph)
    if not match:
        return None, paragraph
    cue = datafiles.require("layout.yml", "dateline")
    outlet = match.group("outlet")
    reporters: list[str] = []
    credit = match.group("credit") or ""
    roles = "|".join(map(re.escape, cue["credit_roles"]))
    credit_match = re.match(rf"^(?P<outlet>.*?)(?:{roles})(?P<names>.*)$", credit)
    if credit_match:
        if credit_match.group("outlet"):
            outlet = credit_match.group("outlet") if outlet in cue["own_paper"] else outlet
        names = re.split(rf"[、，,\s]|(?:{roles})", credit_match.group("names"))
        reporters = [n for n in names if n]
    if outlet in cue["own_paper"]:
        outlet = None  # 本报 without a credit naming the paper: the outlet is unknown
    return Dateline(match.group(), outlet, reporters), paragraph[match.end() :]
