"""Join the lines of a paragraph between Chinese characters in hand-written pages.

A person wraps long Markdown lines; Markdown keeps the line break inside the paragraph and a
browser shows it as a space, so "问题。\\n整理" reads "问题。 整理". Between two Chinese
characters (Han or full-width punctuation) the break is removed; a break before a line that
starts a block (list item, heading, quote, table row, fence) and anything inside a fenced
code block stays.
"""

from __future__ import annotations

import re
from typing import Any

from mkdocs.plugins import event_priority

_CJK = r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’《》]"
_SOFT_BREAK = re.compile(rf"(?<={_CJK})\n(?={_CJK})")
_FENCE = re.compile(r"^(```|~~~)", re.MULTILINE)


def join_cjk_lines(markdown: str) -> str:
    """The Markdown with line breaks between Chinese characters removed.

    >>> join_cjk_lines("整理程序修复这些问题。\\n整理记录列出每一步。")
    '整理程序修复这些问题。整理记录列出每一步。'
    >>> join_cjk_lines("## 标题\\n正文")  # a heading is a line of its own
    '## 标题\\n正文'
    >>> join_cjk_lines("English line\\nnext line；\\n- 列表")
    'English line\\nnext line；\\n- 列表'
    >>> join_cjk_lines("```\\n代码\\n第二行\\n```")
    '```\\n代码\\n第二行\\n```'
    """
    parts = _FENCE.split(markdown)
    out = []
    inside = False
    for part in parts:
        if part in ("```", "~~~"):
            inside = not inside
            out.append(part)
            continue
        out.append(part if inside else _join(part))
    return "".join(out)


_BLOCK_START = re.compile(r"\s*(?:[-*+]\s|\d+[.)]\s|#|\||<|```|~~~)")


def _continuation(previous: str, line: str) -> str | None:
    """What ``line`` adds to ``previous`` when it continues its paragraph, else None."""
    if previous.lstrip().startswith(("#", "|", "<")) or _BLOCK_START.match(line):
        return None
    if previous.startswith(">"):  # a quotation continues on a line of its own "> "
        if not line.startswith(">"):
            return None
        line = line[1:]
    line = line.lstrip()
    if previous and line and _SOFT_BREAK.search(previous[-1] + "\n" + line[0]):
        return line
    return None


def _join(text: str) -> str:
    r"""
    >>> _join("- 第一项，\n  续行。\n- 第二项")
    '- 第一项，续行。\n- 第二项'
    >>> _join("> 《甲》，\n> 《乙》。")
    '> 《甲》，《乙》。'
    """
    lines = text.split("\n")
    joined = [lines[0]]
    for line in lines[1:]:
        rest = _continuation(joined[-1], line)
        if rest is None:
            joined.append(line)
        else:
            joined[-1] += rest
    return "\n".join(joined)


@event_priority(60)  # before the other hooks read or convert the page
def on_page_markdown(markdown: str, *, page: Any, config: Any, files: Any) -> str:
    return join_cjk_lines(markdown)
