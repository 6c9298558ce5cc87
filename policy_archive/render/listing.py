"""The list of all documents, newest first (``docs/documents/index.md``)."""

from __future__ import annotations

from collections import Counter

from policy_archive.model import Document
from policy_archive.render.escape import escape, markdown_link, url
from policy_archive.render.markdown import format_date

# Documents the listing shows itself; the rest are a click away in dates/.
NEWEST = 100


def newest_first(documents: list[Document]) -> list[Document]:
    """Documents by date, newest first; undated last; ties in id order (deterministic)."""
    dated = sorted((d for d in documents if d.date), key=lambda d: d.id)
    dated.sort(key=lambda d: d.date or "", reverse=True)
    return dated + sorted((d for d in documents if not d.date), key=lambda d: d.id)


def documents_index(documents: list[Document]) -> str:
    """Markdown of the listing page.

    Every document while there are few; past ``NEWEST`` the newest ``NEWEST`` and, above
    them, the years with their counts, each linking to its page in dates/ (which lists them
    all), so the page does not grow with the archive.
    """
    out = ["---", "title: 全部文件", "---", "", "# 全部文件", ""]
    newest = newest_first(documents)
    if len(newest) > NEWEST:
        years = Counter(d.date[:4] for d in newest if d.date)
        out += [f"共 {len(documents)} 篇。按年份：", ""]
        out += [f"- {markdown_link(f'{year}年', url('dates', year, up=1, page=True))}：{n} 篇"
                for year, n in sorted(years.items(), reverse=True)]
        undated = len(newest) - sum(years.values())
        if undated:
            out.append(f"- {markdown_link('日期不详', url('dates', 'index', up=1, page=True))}："
                       f"{undated} 篇")
        out += ["", f"## 最新 {NEWEST} 篇", ""]
        newest = newest[:NEWEST]
    else:
        out += [f"共 {len(documents)} 篇，按日期由新到旧排列。", ""]
    for doc in newest:
        date = format_date(doc.date, doc.date_precision)
        outlet = f" · {escape(doc.outlet)}" if doc.outlet else ""
        out.append(f"- {escape(date)} · {markdown_link(doc.title, url(doc.id, page=True))}{outlet}")
    return "\n".join(out) + "\n"
