"""Cited documents: the titles a text prints in 《》, linked to the archive when it holds them."""

from __future__ import annotations

import re

_TITLE = re.compile(r"《([^《》\n]{2,200})》")
_SPACE = re.compile(r"[\s\u3000]+")


def normalise_title(title: str) -> str:
    """A title as compared with archive titles: no spaces or ideographic spaces.

    >>> normalise_title("牢记领袖嘱托　立足新的奋斗起点")
    '牢记领袖嘱托立足新的奋斗起点'
    """
    return _SPACE.sub("", title)


def cited_titles(texts: list[str]) -> list[str]:
    """Every 《》 title, once, in order of first citation.

    >>> cited_titles(["审议了《甲规定》《乙办法》", "认真贯彻《甲规定》"])
    ['甲规定', '乙办法']
    """
    out: list[str] = []
    for text in texts:
        for match in _TITLE.finditer(text):
            if match.group(1) not in out:
                out.append(match.group(1))
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
