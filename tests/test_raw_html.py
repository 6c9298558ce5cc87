"""hooks/raw_html.py: a page converted with its HTML blocks set aside is the page Markdown
would have written (the site's own Markdown extensions from mkdocs.yml)."""

from __future__ import annotations

import markdown
import pytest
from mkdocs.config import load_config

from tests.conftest import ROOT, load_hook

raw_html = load_hook("raw_html")
CONFIG = load_config(str(ROOT / "mkdocs.yml"))


def convert(text: str) -> str:
    md = markdown.Markdown(extensions=CONFIG["markdown_extensions"],
                           extension_configs=CONFIG["mdx_configs"])
    return md.convert(text)


DOCUMENT = """# 会议召开 <span class="doc-badge" title="推断">推断标题</span>

<dl class="doc-meta">
<dt>日期</dt><dd>2024年3月13日<br><span class="doc-evidence">依据：x</span></dd>
<dt>机构</dt><dd><a href="../../bodies/a/">省委</a>（召开）</dd>
</dl>

<p id="p-1" class="doc-p" data-n="1">会议指出，“十四五”&#60;规划&#62;。</p>

## 小标题 {#s-1}

<p id="p-2" class="doc-p" data-n="2">第二段 *不是强调* [不是链接](x.md)</p>"""

CONTEXTS = """# 提法 · 2022年

[返回](../f-1.md)

- 2022年1月23日 · [公报](../../documents/a-1.md)

<p class="kwic"><a href="../../../documents/a-1/#p-9">第9段</a><br>…<mark>平安四川</mark>…</p>

- 2022年3月3日 · [公报](../../documents/b-1.md)

<p class="kwic"><a href="../../../documents/b-1/#p-9">第9段</a><br>…</p>
"""

# Blocks Markdown reads differently from a block of their own: inside an element or a
# comment open across blank lines. The placeholder is then not a paragraph of its own and
# the hook converts the page as it was.
OPEN_ACROSS_BLANK_LINES = [
    '<div class="x">\n\n<p>甲</p>\n\n</div>',
    "<!--\n\n<p>注释里</p>\n\n-->\n\n<p>乙</p>",
]


SAME_DAY = DOCUMENT + """

<div class="doc-sameday" markdown>

同日文件 · 下一篇：[公报&#91;一&#93;](b-1.md)

</div>

<p>读作 Markdown 里的 HTML</p>
"""


@pytest.mark.parametrize("text", [DOCUMENT, CONTEXTS, SAME_DAY, f"\n{DOCUMENT}\n", "<p>只有一段</p>", "<p>甲</p>\n\n\n\n<p>乙</p>  "])
def test_same_html_as_markdown(text: str) -> None:
    aside, blocks = raw_html.set_aside(text)
    assert blocks, "the example has blocks to set aside"
    assert raw_html.put_back(convert(aside), blocks) == convert(text)


def test_ids_of_blocks_set_aside_are_anchors() -> None:
    assert raw_html.anchor_ids(raw_html.set_aside(DOCUMENT)[1]) == {"p-1", "p-2"}


@pytest.mark.parametrize("text", OPEN_ACROSS_BLANK_LINES)
def test_block_read_inside_another_is_noticed(text: str) -> None:
    aside, blocks = raw_html.set_aside(text)
    assert blocks
    assert raw_html.put_back(convert(aside), blocks) is None


@pytest.mark.parametrize("text", [
    "```html\n\n<p>代码</p>\n\n```",
    '<div markdown>\n\n<p>*读作 Markdown*</p>\n\n</div>',
    "<p>\t制表符</p>",
    "    <p>缩进：代码</p>",
    "<p>甲</p>\n<p>乙</p>",
])
def test_left_to_markdown(text: str) -> None:
    assert raw_html.set_aside(text) == (text, [])


LISTS = """# 机构 · 2024年

[返回：机构](../a.md)

- 2024年1月6日 · [公报&#91;一&#93;](../../documents/a-1.md) · 召开
- 2024年1月10日 · [People&#39;s 公报](../../documents/b-1.md) · 召开、发布

另有 2 篇：

- [2023年](2023.md)：共 3 篇（1月 2 篇，3月 1 篇）
- [日期不详](undated.md)：1 篇

<p class="kwic"><a href="../../../documents/a-1/#p-9">第9段</a><br>…</p>

- 2022年3月3日 · [公报](../../documents/b-1.md)

<p class="kwic">…</p>
"""


def as_written(target: str) -> str:
    """Plain Markdown leaves a link's target as written (MkDocs rewrites it)."""
    return target


@pytest.mark.parametrize("text", [LISTS, CONTEXTS, "- [甲](a.md)", "题\n\n- [甲](a.md)\n- 乙\n"])
def test_lists_written_as_markdown_writes_them(text: str) -> None:
    aside, blocks = raw_html.set_aside(text, as_written)
    assert any(block.startswith("<ul>") for block in blocks)
    assert raw_html.put_back(convert(aside), blocks) == convert(text)


@pytest.mark.parametrize("text", [
    "- [甲](a.md)\n\n- [乙](b.md)",  # one loose list
    "- [甲](a.md)\n\n    缩进：属于上一项",
    "- 甲 *强调*", "- [甲](a.md#p-1)", "- [甲](a.md \"题\")", "-  甲", "- 甲 ", "- 甲  乙",
    "- [甲](https://example.org/a.md)", "- 甲\n段落续行", "* [甲](a.md)", "- 甲&amp乙",
])
def test_lists_left_to_markdown(text: str) -> None:
    aside, blocks = raw_html.set_aside(text, as_written)
    assert not any(block.startswith("<ul>") for block in blocks)
    assert aside == text


def test_a_link_to_no_page_is_left_to_markdown() -> None:
    assert raw_html.set_aside("- [甲](gone.md)", lambda target: None) == ("- [甲](gone.md)", [])
