"""Document pages: YAML front matter and a Markdown body any Markdown site generator reads.

Source text is published as literal text, never as markup: body paragraphs are raw HTML
``<p>`` blocks (Markdown does not parse inside them) and every value, in a block, a
heading or a link, goes through ``render.escape.escape``; links are built by
``render.escape.url``. So ``<script>``, ``*``, ``[x](…)`` or ``{: …}`` in a seed stay
visible text.
"""

from __future__ import annotations

import functools
import re

import yaml

from policy_archive import datafiles
from policy_archive.extract.citations import citation_slug
from policy_archive.extract.people import person_slug
from policy_archive.model import Document, to_data
from policy_archive.render.anchors import paragraph_anchors
from policy_archive.render.citation import csl_record, first_sentence
from policy_archive.render.collation import collation_notes
from policy_archive.render.escape import escape, link, markdown_link, url
from policy_archive.site_contract import ROLE_LABELS


def front_matter(doc: Document) -> dict[str, object]:
    """The page's metadata, in a fixed key order (deterministic, readable diffs)."""
    meta: dict[str, object] = {
        "id": doc.id,
        "title": doc.title,
        "kicker": doc.kicker,
        "subtitle": doc.subtitle,
        "title_source": doc.title_source,
        "date": doc.date,
        "date_end": doc.date_end,
        "date_precision": doc.date_precision,
        "date_inferred": doc.date_inferred,
        "date_evidence": doc.date_evidence,
        "outlet": doc.outlet,
        "reporters": list(doc.reporters),
        "dateline": doc.dateline,
        "published": to_data(doc.published),
        "original_title": doc.original_title,
        "jurisdiction": doc.jurisdiction,
        "bodies": [{"name": b.name, "slug": b.slug, "role": b.role, "printed": b.printed,
                    "surface": b.surface} for b in doc.bodies],
        "people": [{k: v for k, v in to_data(p).items() if v is not None} for p in doc.people],
        "initiatives": [{"name": i.name, "slug": i.slug, "paragraphs": i.paragraphs}
                        for i in doc.initiatives],
        "documents_cited": [{"title": c.title, **({"document": c.document} if c.document else {})}
                            for c in doc.citations],
        "corrections": [note.record() for note in doc.corrections],
    }
    meta["source"] = {
        "seed": doc.seed,
        "sha256": doc.seed_sha256,
        "encoding": doc.seed_encoding,
        "article": doc.article,
        "script": doc.script,
        "lines": f"{doc.lines[0]}-{doc.lines[1]}",
    }
    meta["cleaning"] = list(doc.cleaning)
    meta["description"] = first_sentence(doc)
    meta["paragraph_anchors"] = paragraph_anchors(doc.paragraphs)
    meta["csl"] = csl_record(doc)
    return meta


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def dump_yaml(data: object) -> str:
    """YAML with readable Chinese, no line folding, keys in the order given.

    >>> print(dump_yaml({"title": "会议", "date": "2024-03-13", "tags": [], "n": [1, None]}), end="")
    title: 会议
    date: '2024-03-13'
    tags: []
    n:
    - 1
    - null
    """
    # Front matter is a few dozen keys of plain values, written for every page: written
    # here, as PyYAML writes them (``_block``), it costs a tenth of PyYAML's representer.
    # PyYAML writes whatever ``_block`` leaves to it (libyaml's dumper when PyYAML has it).
    lines: list[str] = []
    if type(data) is dict and data and _block(data, "", lines, seen={id(data)}):
        return "\n".join(lines) + "\n"
    return yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=10_000)


# A string PyYAML writes as it is (a plain scalar) in a block: printable characters (libyaml's
# test: no control character, line break, byte-order mark or character beyond U+FFFD) and no
# space, ``:`` or ``#`` (which may start a comment or a key), beginning with a letter, digit,
# ``_`` or a non-ASCII character (never an indicator such as ``-``, ``[``, ``'`` or ``*``).
# That is, as positive classes:
#   [\w\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]        (\w in ASCII)
#   [!-"$-9;-~\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]*
# written here as the same sets negated: ``re`` compiles a class by walking each code point
# of its ranges below U+10000 in Python, and the positive classes hold 63,000 of them (8 ms
# at each start, most of a build's compilation after one correction); their complements
# hold 2,200 (tests/test_front_matter_yaml.py checks every code point).
_NOT_PLAIN_ABOVE_ASCII = r"\x80-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff\U00010000-\U0010ffff"
_PLAIN = re.compile(rf"[^\x00-/:-@\[-^`{{-\x7f{_NOT_PLAIN_ABOVE_ASCII}]"
                    rf"[^\x00- #:\x7f{_NOT_PLAIN_ABOVE_ASCII}]*")
# PyYAML quotes a string that would read back as another type (null, true, 12, 2024-03-13);
# only a string beginning with one of these can (``yaml.resolver``'s first characters).
_RESOLVED_FROM = frozenset("yYnNtTfFoO-+0123456789.<~=!&*")
_RESOLVER = yaml.resolver.Resolver()
_STR_TAG = "tag:yaml.org,2002:str"


def _scalar(value: object) -> str | None:
    """A scalar as PyYAML writes it in a block, or None to leave it to PyYAML.

    >>> [_scalar(v) for v in ("会议", "null", "2024-03-13", "p-1", True, None, 12, "a b", 1.5)]
    ['会议', "'null'", "'2024-03-13'", 'p-1', 'true', 'null', '12', None, None]
    """
    if type(value) is str:  # exact types: PyYAML refuses subclasses (its safe representer)
        if not _PLAIN.fullmatch(value):
            return None
        if value[0] in _RESOLVED_FROM and _RESOLVER.resolve(
                yaml.ScalarNode, value, (True, False)) != _STR_TAG:
            return f"'{value}'"  # no quote, space or line break in it (``_PLAIN``)
        return value
    if value is None:
        return "null"
    if type(value) is bool:
        return "true" if value else "false"
    if type(value) is int:
        return str(value)
    return None


# Keys are the fixed field names of the front matter (``id``, ``title``, ``name``…), the same
# on every page: each is written once per process.
_key_scalar = functools.lru_cache(maxsize=1024)(_scalar)


def _block(data: dict | list, indent: str, lines: list[str], first: str | None = None, *,
           seen: set[int]) -> bool:
    """Append the lines of a block mapping or sequence to ``lines`` as PyYAML writes it
    (default style, indent 2, a mapping's sequences not indented); ``first`` prefixes its
    first line (``- `` of an item that holds it). False when a key or value is one PyYAML
    is left to write, or a list or mapping met twice (PyYAML writes an alias: ``seen``
    holds the ids of those met)."""
    sequence = type(data) is list
    items = enumerate(data) if sequence else data.items()
    for key, value in items:
        if sequence:
            head = "- "
        else:
            key_text = _key_scalar(key) if type(key) is str and len(key) < 100 else None
            if key_text is None:
                return False
            head = f"{key_text}:"
        lead = indent if first is None else first
        first = None
        if type(value) in (dict, list):
            if id(value) in seen:
                return False
            seen.add(id(value))
            if not value:
                lines.append(f"{lead}{head}{'' if sequence else ' '}"
                             f"{'[]' if type(value) is list else '{}'}")
                continue
            if sequence:  # an item: its block starts on the item's line
                if not _block(value, indent + "  ", lines, lead + head, seen=seen):
                    return False
                continue
            lines.append(f"{lead}{head}")
            inner = indent if type(value) is list else indent + "  "
            if not _block(value, inner, lines, seen=seen):
                return False
            continue
        text = _scalar(value)
        if text is None:
            return False
        lines.append(f"{lead}{head}{'' if sequence else ' '}{text}")
    return True


# What a badge means, shown on hover (and read out by screen readers).
BADGE_TITLES = {
    "date": "原文未写明完整日期，由整理程序根据下列依据推断",
    "inferred": "原文没有标题，此标题由整理程序根据正文拟定",
    "corrected": "标题经人工校订，见文末校勘记",
}

_PRECISION_FORMAT = {"day": "{y}年{m}月{d}日", "month": "{y}年{m}月", "year": "{y}年"}


@functools.lru_cache(maxsize=1 << 14)  # index pages date each document once per term
def format_date(date: str | None, precision: str | None) -> str:
    """A date as a Chinese reader writes it.

    >>> format_date("2024-03-13", "day"), format_date("2024-03", "month")
    ('2024年3月13日', '2024年3月')
    """
    if not date or not precision:
        return "未知"
    parts = [int(p) for p in date.split("-")] + [0, 0]
    return _PRECISION_FORMAT[precision].format(y=parts[0], m=parts[1], d=parts[2])


def format_date_range(start: str, end: str, precision: str | None) -> str:
    """A span of dates as a Chinese reader writes it, without repeating year or month.

    >>> format_date_range("2022-11-28", "2022-11-29", "day")
    '2022年11月28日至29日'
    >>> format_date_range("2023-07-28", "2023-08-08", "day")
    '2023年7月28日至8月8日'
    >>> format_date_range("2023-12-30", "2024-01-02", "day")
    '2023年12月30日至2024年1月2日'
    """
    first = format_date(start, precision)
    last = format_date(end, precision)
    if precision == "day" and start[:4] == end[:4]:
        last = last[last.index("年") + 1 :]
        if start[:7] == end[:7]:
            last = last[last.index("月") + 1 :]
    return f"{first}至{last}"


def _meta_rows(doc: Document) -> list[tuple[str, str]]:
    date = escape(format_date(doc.date, doc.date_precision))
    if doc.date_end:
        date = escape(format_date_range(doc.date or "", doc.date_end, doc.date_precision))
    if doc.date_inferred:
        date += f' <span class="doc-badge" title="{BADGE_TITLES["date"]}">推断</span>'
        if doc.date_evidence:
            date += f'<br><span class="doc-evidence">依据：{escape(doc.date_evidence)}</span>'
    rows = [("日期", date)]
    if doc.outlet or doc.reporters:
        who = escape(doc.outlet or "")
        if doc.reporters:
            who += (" · " if who else "") + "记者 " + escape("、".join(doc.reporters))
        rows.append(("来源", who))
    if doc.dateline:
        rows.append(("电头", escape(doc.dateline)))
    if doc.published:
        when = format_date(doc.published.date, "day")
        if doc.published.time:
            when += f" {doc.published.time}"
        evidence = f'<br><span class="doc-evidence">据页面：{escape(doc.published.evidence)}</span>'
        rows.append(("发布", escape(when) + evidence))
    if doc.original_title:
        rows.append(("原标题", escape(doc.original_title)))
    rows += _crossref_rows(doc)
    script = "繁体原文，已转为简体" if doc.script == "zh-Hant" else "简体原文"
    rows.append(
        (
            "原始文件",
            f"<code>{escape(doc.seed)}</code> 第 {doc.article} 篇"
            f"（第 {doc.lines[0]}–{doc.lines[1]} 行，{script}）<br>"
            f'<span class="doc-sha">sha256 <code>{escape(doc.seed_sha256)}</code></span>',
        )
    )
    return rows


def _crossref_rows(doc: Document) -> list[tuple[str, str]]:
    """机构, 人物, 提法, 引用文件: each entry a link to its index page (and cited document)."""
    rows = []
    # A body outside the lexicon has no index page: its name stands unlinked.
    bodies = [
        (link(b.name, url("bodies", b.slug, up=2)) if b.slug else escape(b.name))
        + escape(f"（{ROLE_LABELS.get(b.role, b.role)}）")
        for b in doc.bodies
    ]
    if bodies:
        rows.append(("机构", "；".join(bodies)))
    people = [
        link(p.name, url("people", person_slug(p.name), up=2))
        + escape(f"（{p.role}）" if p.role else "")
        for p in doc.people
    ]
    if people:
        rows.append(("人物", "、".join(people)))
    initiatives = [link(i.name, url("initiatives", i.slug, up=2)) for i in doc.initiatives]
    if initiatives:
        rows.append(("提法", "、".join(initiatives)))
    # Found by shape, not yet in the lexicon: their pages say so.
    found = [link(f.name, url("initiatives", f.slug, up=2)) for f in doc.formulations]
    if found:
        rows.append(("提法（未收录词表）", "、".join(found)))
    # Each title links to its cited/ page; one the archive holds also to its full text.
    cited = [
        link(f"《{c.title}》", url("cited", citation_slug(c.title), up=2))
        + ("（" + link("本站全文", url(c.document, up=1)) + "）" if c.document else "")
        for c in doc.citations
    ]
    if cited:
        rows.append(("引用文件", "".join(cited)))
    return rows


def same_day(documents: list[Document]) -> dict[str, tuple[Document | None, Document | None]]:
    """Each document's previous and next document of the same day (in id order: the order
    of the page they were printed on), for documents dated to the day.

    >>> from policy_archive.model import Document
    >>> def doc(i, date):
    ...     return Document(i, i, None, None, "printed", date, None, "day", False, None, None,
    ...                     [], None, "s.txt", "", 1, "zh-Hans", (1, 1), [], [])
    >>> pairs = same_day([doc("a-2", "2024-03-13"), doc("a-1", "2024-03-13"), doc("b-1", None)])
    >>> {k: tuple(d and d.id for d in v) for k, v in pairs.items()}
    {'a-1': (None, 'a-2'), 'a-2': ('a-1', None)}
    """
    days: dict[str, list[Document]] = {}
    for doc in sorted(documents, key=lambda d: d.id):
        if doc.date and doc.date_precision == "day":
            days.setdefault(doc.date, []).append(doc)
    out: dict[str, tuple[Document | None, Document | None]] = {}
    for group in days.values():
        if len(group) < 2:
            continue
        for n, doc in enumerate(group):
            out[doc.id] = (group[n - 1] if n else None,
                           group[n + 1] if n + 1 < len(group) else None)
    return out


def _same_day_links(neighbours: tuple[Document | None, Document | None]) -> list[str]:
    parts = [f"{label}：{markdown_link(other.title, url(other.id, page=True))}"
             for label, other in zip(("上一篇", "下一篇"), neighbours, strict=True) if other]
    return ['<div class="doc-sameday" markdown>', "", "同日文件 · " + " · ".join(parts), "",
            "</div>", ""]


def document_page(doc: Document,
                  neighbours: tuple[Document | None, Document | None] = (None, None),
                  matter: dict[str, object] | None = None) -> str:
    """The Markdown page of one document; ``neighbours`` are the documents before and after
    it on the same day (``same_day``); ``matter`` its ``front_matter``, where the caller has
    it."""
    matter = front_matter(doc) if matter is None else matter
    out = ["---", dump_yaml(matter).rstrip("\n"), "---", ""]
    if doc.kicker:
        out += [f'<p class="doc-kicker">{escape(doc.kicker)}</p>', ""]
    badge = {
        "inferred": f' <span class="doc-badge" title="{BADGE_TITLES["inferred"]}">推断标题</span>',
        "corrected": f' <a class="doc-badge" href="#corrections" title="{BADGE_TITLES["corrected"]}">'
                     "校订标题</a>",
    }.get(doc.title_source, "")
    out += [f"# {escape(doc.title)}{badge}", ""]
    if doc.subtitle:
        out += [f'<p class="doc-subtitle">{escape(doc.subtitle)}</p>', ""]
    out.append('<dl class="doc-meta">')
    for term, value in _meta_rows(doc):
        out.append(f"<dt>{term}</dt><dd>{value}</dd>")
    out += ["</dl>", ""]
    # Body paragraphs are #p-N and section headings #s-N (paragraph_anchors); the dataset
    # holds the same list, so a citation and a dataset record point at the same text.
    for anchor, paragraph in zip(paragraph_anchors(doc.paragraphs), doc.paragraphs, strict=True):
        if anchor.startswith("s-"):
            out += [f"## {escape(paragraph)} {{#{anchor} .doc-section}}", ""]
        else:
            number = anchor.removeprefix("p-")
            out += [f'<p id="{anchor}" class="doc-p" data-n="{number}">{escape(paragraph)}</p>', ""]
    out += collation_notes(doc)
    out += _provenance(doc)
    if any(neighbours):
        out += _same_day_links(neighbours)
    return "\n".join(out).rstrip("\n") + "\n"


def _provenance(doc: Document) -> list[str]:
    labels = datafiles.load("steps.yml")
    out = ["## 整理记录 {#provenance}", ""]
    if not doc.cleaning:
        out += ["<p>原文未经修补。</p>", ""]
        return out
    out.append('<ul class="doc-provenance">')
    for step in doc.cleaning:
        out.append(f"<li><code>{escape(step)}</code>：{escape(labels[step])}</li>")
    out += ["</ul>", ""]
    return out
