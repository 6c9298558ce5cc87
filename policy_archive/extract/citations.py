"""Cited documents: the titles a text prints in 《》, linked to the archive when it holds them."""

from __future__ import annotations

import hashlib
import re

_TITLE = re.compile(r"《([^《》\n]{2,200})》")
_SPACE = re.compile(r"[\s\u3000]+")


def normalise_title(title: str) -> str:
    """A title as compared with archive titles: no spaces or ideographic spaces.

    >>> normalise_title("牢记领袖嘱托　立足新的奋斗起点")
    '牢记领袖嘱托立足新的奋斗起点'
    """
    return _SPACE.sub("", title)


def find_citations(text: str) -> list[tuple[int, int, str]]:
    """(start, end, title) of each 《》 citation in ``text``; start and end include the 《》.

    >>> find_citations("审议了《甲规定》")
    [(3, 8, '甲规定')]
    """
    return [(m.start(), m.end(), m.group(1)) for m in _TITLE.finditer(text)]


def citation_slug(title: str) -> str:
    """The file name of a cited title's page (``cited/<slug>.md``): a short hash of the title.

    Like ``person_slug``: a Han file name would be percent-encoded in every URL and could be
    touched by the zh-Hant conversion of the site; a hash is ASCII and the same in both
    scripts. It hashes the cited title alone (normalised as archive titles are compared, so
    two spacings of one title share a page), never a display name: correcting the title of
    a citing or of the cited archive document leaves it unchanged; only a correction of the
    cited title itself, as printed in 《》, names another page.

    >>> citation_slug("甲规定") == citation_slug("甲 规定")
    True
    """
    return "c-" + hashlib.sha256(normalise_title(title).encode("utf-8")).hexdigest()[:8]


def cited_titles(texts: list[str]) -> list[str]:
    """Every 《》 title, once, in order of first citation.

    >>> cited_titles(["审议了《甲规定》《乙办法》", "认真贯彻《甲规定》"])
    ['甲规定', '乙办法']
    """
    out: list[str] = []
    for text in texts:
        for _, _, title in find_citations(text):
            if title not in out:
                out.append(title)
    return out


def link_citations(titles: list[str], archive: dict[str, str], own_id: str) -> list[dict[str, str]]:
    """``documents_cited``: ``{title}``, plus ``document`` (its id) when the archive has it.

    >>> link_citations(["甲", "乙"], {"甲": "001-1"}, "002-1")
    [{'title': '甲', 'document': '001-1'}, {'title': '乙'}]
    """
    out = []
    for title in titles:
        entry = {"title": title}
        found = archive.get(normalise_title(title))
        if found and found != own_id:
            entry["document"] = found
        out.append(entry)
    return out
