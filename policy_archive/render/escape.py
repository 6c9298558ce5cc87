"""The one place where values become page text and links.

Everything the archive publishes comes from people it does not know: seed texts, file
names, corrections, lexicon entries. So every value written into a page, whatever field it
came from, goes through ``escape``, and every link target is built by ``url`` from names
that ``policy_archive.ids`` has checked. Nothing else in the render stage or the site hooks
writes a value into HTML or Markdown by itself.

``escape`` writes every character that HTML, Markdown (with attr_list, tables, footnotes)
or a template engine could read as syntax as a numeric character reference. The result is
safe in all the places a page puts text: HTML element content, a quoted attribute value,
Markdown link text, a heading, a table cell, the front-matter values the theme prints. It
costs a few bytes on ASCII punctuation, which Chinese running text has little of; one rule
for every context is worth more than the bytes, because a value never has to be escaped
"for where it goes" by someone who guessed the context wrong.
"""

from __future__ import annotations

import functools
import json
import re
from urllib.parse import quote

from policy_archive.ids import check_segment

# Characters HTML, Markdown or Jinja may read as syntax. "&" too, so that text such as
# "&lt;" stays visible as written instead of becoming "<".
_SPECIALS = re.compile(r"[\\`*_{}\[\]()#+\-.!|<>&~^=:$%'\"@/]")


def escape(value: object) -> str:
    """Text written so that HTML and Markdown both show it literally.

    >>> escape("标题[x](javascript:alert(1)) {: .a}")
    '标题&#91;x&#93;&#40;javascript&#58;alert&#40;1&#41;&#41; &#123;&#58; &#46;a&#125;'
    >>> escape('<img src=x onerror=alert(1)> {{ x }} "q"')
    '&#60;img src&#61;x onerror&#61;alert&#40;1&#41;&#62; &#123;&#123; x &#125;&#125; &#34;q&#34;'
    >>> escape("中共四川省委十二届五次全会。")
    '中共四川省委十二届五次全会。'
    """
    return _SPECIALS.sub(lambda m: f"&#{ord(m.group())};", str(value))


def url(*segments: object, up: int = 0, page: bool = False, fragment: str | None = None) -> str:
    """A relative link target built from checked names, the only way links are made.

    ``up`` climbs that many folders first; ``page=True`` names a Markdown source
    (``documents/<id>.md``, which MkDocs checks and rewrites per language), otherwise the
    target is the page's directory URL (``../../bodies/<slug>/``). ``fragment`` is an
    anchor such as ``p-3``. Every segment and the fragment must match
    ``policy_archive.ids.SEGMENT_RE``, or the build stops: a name that reaches this point
    unchecked is a bug, never something to publish.

    >>> url("documents", "000_ab-2", page=True)
    'documents/000_ab-2.md'
    >>> url("documents", "000_ab-2", up=2, fragment="p-3")
    '../../documents/000_ab-2/#p-3'
    >>> url(fragment="p-3")
    '#p-3'
    >>> url("documents", "a)<img src=x>", page=True)
    Traceback (most recent call last):
    ...
    policy_archive.ids.UnsafeNameError: link segment 'a)<img src=x>' may hold only ASCII letters, digits, '_' and '-', starting with a letter or digit, at most 120 characters
    """
    return _url(tuple(map(str, segments)), up, page, fragment)


# Index pages link the same documents and paragraphs many times over (a page per term and
# year): each target is checked and quoted once. A refused name raises, and is not cached.
@functools.lru_cache(maxsize=1 << 16)
def _url(segments: tuple[str, ...], up: int, page: bool, fragment: str | None) -> str:
    parts = [quote(check_segment(s, "link segment"), safe="") for s in segments]
    path = "../" * up + "/".join(parts)
    if parts:
        path += ".md" if page else "/"
    if fragment is not None:
        path += "#" + check_segment(fragment, "link fragment")
    return path


def link(label: object, target: str) -> str:
    """An HTML link to ``target`` (from ``url``) showing ``label`` as text.

    >>> link("《甲规定》", url("cited", "c-1a2b3c4d", up=2))
    '<a href="../../cited/c-1a2b3c4d/">《甲规定》</a>'
    """
    return f'<a href="{_attribute(target)}">{escape(label)}</a>'


def markdown_link(label: object, target: str) -> str:
    """A Markdown link to a page source (``url(..., page=True)``), so MkDocs checks it.

    >>> markdown_link("标题[一]", url("documents", "a-1", page=True))
    '[标题&#91;一&#93;](documents/a-1.md)'
    """
    return f"[{escape(label)}]({_attribute(target)})"


_NOT_IN_TARGET = re.compile(r"[^A-Za-z0-9._/#%-]")


def _attribute(target: str) -> str:
    # Targets come from url(), so only "." "/" "#" "-" "_" and alphanumerics are possible;
    # anything else would be a bug, and is escaped rather than trusted.
    if _NOT_IN_TARGET.search(target) is None:  # every target but a buggy one: as it is
        return target
    return _NOT_IN_TARGET.sub(lambda m: f"&#{ord(m.group())};", target)


# What could end a <script> element or an HTML comment inside it, or a JavaScript string.
_SCRIPT_SPECIALS = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
                    "\u2029": "\\u2029"}


def json_script(value: object) -> str:
    r"""JSON for the inside of a ``<script type="application/ld+json">`` element: no value can
    close the element, open a comment or break out of a string.

    >>> print(json_script({"name": "</script><script>alert(1)</script>"}))
    {"name": "\u003c/script\u003e\u003cscript\u003ealert(1)\u003c/script\u003e"}
    >>> json_script({"name": "会议"})
    '{"name": "会议"}'
    """
    text = json.dumps(value, ensure_ascii=False)
    return re.sub("[<>&\u2028\u2029]", lambda m: _SCRIPT_SPECIALS[m.group()], text)
