"""Cited documents: the titles a text prints in 《》, linked to the archive when it holds them."""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace

from policy_archive import model

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


def document_citations(title: str, paragraphs: list[str]) -> list[model.Citation]:
    """Every title cited in the headline or the paragraphs, once, in order of first citation,
    with the places the paragraphs cite it (a title cited only in the headline has none).

    >>> found = document_citations("学习《甲规定》", ["审议了《乙办法》《甲规定》"])
    >>> [(c.title, c.spans) for c in found]
    [('甲规定', (Span(paragraph=1, start=8, end=13),)), ('乙办法', (Span(paragraph=1, start=3, end=8),))]
    """
    spans: dict[str, list[model.Span]] = {t: [] for t in cited_titles([title])}
    for number, paragraph in enumerate(paragraphs, 1):
        for start, end, cited in find_citations(paragraph):
            spans.setdefault(cited, []).append(model.Span(number, start, end))
    return [model.Citation(t, None, tuple(found)) for t, found in spans.items()]


def link_citations(citations: list[model.Citation], archive: dict[str, str],
                   own_id: str) -> list[model.Citation]:
    """The citations, each with ``document`` (its id) when the archive holds that title.

    >>> [c.document for c in link_citations([model.Citation("甲"), model.Citation("乙")],
    ...                                      {"甲": "001-1"}, "002-1")]
    ['001-1', None]
    """
    out = []
    for citation in citations:
        found = archive.get(normalise_title(citation.title))
        out.append(replace(citation, document=found if found and found != own_id else None))
    return out
