"""The 校勘记 (collation notes) section of a document page.

A corrected page must say what was corrected, from what, to what and why, or a reader could
not tell the archive's wording from the source's. Each note of ``doc.corrections``
(written by ``policy_archive.corrections``) becomes one item, with before → after and the
reason and evidence the contributor gave.
"""

from __future__ import annotations

from typing import Any

from policy_archive.corrections import SUFFIX
from policy_archive.model import CorrectionNote, Document
from policy_archive.render.anchors import paragraph_anchors
from policy_archive.render.escape import escape, link, url

# The Chinese label the 校勘记 shows for each field a correction may change.
FIELD_LABELS = {
    "title": "标题",
    "kicker": "引题",
    "subtitle": "副题",
    "title_source": "标题来源",
    "date": "日期",
    "date_end": "结束日期",
    "date_precision": "日期精度",
    "date_inferred": "日期为推断",
    "date_evidence": "日期依据",
    "outlet": "媒体",
    "reporters": "记者",
    "dateline": "电头",
    "bodies": "机构",
    "initiatives": "举措",
    "lines": "原始行",
}
_VALUE_LABELS = {
    "title_source": {"printed": "原文标题", "inferred": "推断标题", "corrected": "校订标题"},
    "date_precision": {"day": "日", "month": "月", "year": "年"},
}
_FIX_LABELS = {"text": "正文", "original": "繁体原文"}


def _value(field: str | None, value: Any) -> str:
    if value is None or value == [] or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return escape("、".join(str(v) for v in value))
    if field == "lines":  # {"lines": [first, last], "headline": [n, …]} (corrections.apply)
        first, last = value["lines"]
        text = f"第 {first}–{last} 行"
        if "headline" in value:
            headline = "、".join(map(str, value["headline"]))
            text += f"，标题在第 {headline} 行" if headline else "，无标题行"
        return escape(text)
    return escape(_VALUE_LABELS.get(field or "", {}).get(value, str(value)))


def _paragraph_link(anchors: list[str], number: int) -> str:
    """A link to the paragraph at 1-based position ``number`` of the dataset's list, shown
    with the number a reader sees beside it (a heading by its anchor)."""
    anchor = anchors[number - 1] if 0 < number <= len(anchors) else f"p-{number}"
    return link(anchor.removeprefix("p-"), url(fragment=anchor))


def _where(note: CorrectionNote, anchors: list[str]) -> str:
    if note.fix is None:
        return escape(FIELD_LABELS.get(note.field or "", note.field))
    label = escape(_FIX_LABELS.get(note.fix, note.fix))
    links = "、".join(_paragraph_link(anchors, n) for n in note.paragraphs)
    return f"{label}第 {links} 段" if links else label


def collation_notes(doc: Document) -> list[str]:
    """Markdown lines of the 校勘记 section, or none when nothing was corrected."""
    notes = doc.corrections
    if not notes:
        return []
    stem = doc.seed.rsplit(".", 1)[0]
    out = [
        "## 校勘记 {#corrections}",
        "",
        f'<p class="doc-corrections-intro">以下各处按校订文件 <code>{escape(f"seeds/{stem}{SUFFIX}")}'
        "</code> 改正，列出改正前后的文字和理由。</p>",
        "",
        '<ol class="doc-corrections">',
    ]
    anchors = paragraph_anchors(doc.paragraphs)
    for note in notes:
        if note.fix is not None and note.after == "":
            change = f"<del>{_value(None, note.before)}</del> → 删去"
        else:
            change = (f"<del>{_value(note.field, note.before)}</del> → "
                      f"<ins>{_value(note.field, note.after)}</ins>")
        if note.count != 1:
            change += escape(f"（共 {note.count} 处）")
        item = f"<li><strong>{_where(note, anchors)}</strong>：{change}<br>理由：{escape(note.reason)}"
        if note.evidence:
            item += f"<br>依据：{escape(note.evidence)}"
        out.append(item + "</li>")
    out += ["</ol>", ""]
    return out
