"""The list of all documents, newest first (``docs/documents/index.md``)."""

from __future__ import annotations

from policy_archive.model import Document
from policy_archive.render.escape import escape, markdown_link, url
from policy_archive.render.markdown import format_date


def newest_first(documents: list[Document]) -> list[Document]:
    """Documents by date, newest first; undated last; ties in id order (deterministic)."""
    dated = sorted((d for d in documents if d.date), key=lambda d: d.id)
    dated.sort(key=lambda d: d.date or "", reverse=True)
    return dated + sorted((d for d in documents if not d.date), key=lambda d: d.id)


def documents_index(documents: list[Document]) -> str:
    """Markdown of the listing page."""
    out = ["---", "title: 全部文件", "---", "", "# 全部文件", "",
           f"共 {len(documents)} 篇，按日期由新到旧排列。", ""]
    for doc in newest_first(documents):
        date = format_date(doc.date, doc.date_precision)
        outlet = f" · {escape(doc.outlet)}" if doc.outlet else ""
        out.append(f"- {escape(date)} · {markdown_link(doc.title, url(doc.id, page=True))}{outlet}")
    return "\n".join(out) + "\n"
