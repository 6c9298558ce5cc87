"""Hold each page's HTML compressed between its conversion and its writing, and let go of
it once the page is written.

MkDocs converts every page before it writes any, and keeps each page's Markdown source and
HTML afterwards: a build holds the whole archive's pages (both scripts' with
mkdocs-static-i18n in one process), and still holds them while Pagefind
(hooks/search_index.py) indexes the site in another process. So once every hook has read a
converted page (``on_page_content``), its Markdown is dropped and its HTML kept as zlib
bytes (about a fifth of the text, a Chinese character being 2 bytes in a Python string and
3 in UTF-8 before compression); the HTML is given back just before the page is written
(``on_page_context``, before every hook and plugin that reads it) and dropped once it is
written. Nothing reads them in between: MkDocs checks anchors with the ids it collected while
converting, and the site's hooks keep what they need (URLs, metadata) themselves.
"""

from __future__ import annotations

import zlib
from typing import Any

from mkdocs.plugins import event_priority

# Fast compression: the page is given back within the build, and level 1 already takes
# most of the room.
LEVEL = 1
_HELD = "archive_compressed_content"


def hold(html: str) -> bytes:
    """The page's HTML as it is held until it is written.

    >>> give_back(hold("<p>会议</p>"))
    '<p>会议</p>'
    """
    return zlib.compress(html.encode("utf-8"), LEVEL)


def give_back(held: bytes) -> str:
    return zlib.decompress(held).decode("utf-8")


@event_priority(-1000)  # after every hook and plugin that reads the converted page
def on_page_content(html: str, *, page: Any, config: Any, files: Any) -> str:
    setattr(page, _HELD, hold(html))
    page.markdown = None
    return ""


@event_priority(1000)  # before every hook and plugin that reads the page to be written
def on_page_context(context: Any, *, page: Any, config: Any, nav: Any) -> Any:
    held = getattr(page, _HELD, None)
    if held is not None:
        page.content = give_back(held)
        delattr(page, _HELD)
    return context


@event_priority(-1000)  # after every hook and plugin that reads the finished page
def on_post_page(output: str, *, page: Any, config: Any) -> str:
    page.markdown = None
    page.content = None
    return output
