"""Initiatives: the named strategies and slogans of ``data/initiatives.yml``, found in a text.

Matching is literal and longest first, so 双城经济圈 inside 成渝地区双城经济圈 is one mention,
and only lexicon forms count: a generic phrase never becomes an initiative. Formulations the
lexicon lacks are found by their shape (``formulations``) and listed for curators.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from policy_archive import datafiles, model


@dataclass(frozen=True)
class Initiative:
    slug: str
    name: str
    variants: tuple[str, ...]
    english: str
    description: str

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.name, *self.variants)


@dataclass(frozen=True)
class InitiativeMention:
    start: int
    end: int
    initiative: Initiative
    printed: str


@functools.cache
def initiatives() -> tuple[Initiative, ...]:
    """The lexicon, checked: unique slugs, no form claimed by two initiatives."""
    out = []
    for keys, entry in datafiles.entries("initiatives.yml", "initiatives"):
        def need(key: str, keys: tuple = keys, entry: dict = entry) -> str:
            return datafiles.field("initiatives.yml", keys, entry, key)

        out.append(
            Initiative(
                slug=entry["slug"],
                name=need("name"),
                variants=tuple(entry.get("variants") or ()),
                english=need("english"),
                description=need("description"),
            )
        )
    slugs = [i.slug for i in out]
    forms = [f for i in out for f in i.forms]
    if len(set(slugs)) != len(slugs) or len(set(forms)) != len(forms):
        msg = "policy_archive/data/initiatives.yml: duplicate slug or form"
        raise datafiles.DataFileError(msg)
    return tuple(out)


def initiative_by_slug(slug: str) -> Initiative | None:
    """The lexicon entry with this slug."""
    return next((i for i in initiatives() if i.slug == slug), None)


@functools.cache
def _matcher() -> tuple[re.Pattern[str], dict[str, Initiative]]:
    by_form = {f: i for i in initiatives() for f in i.forms}
    # Longest first: the regex alternation takes the first form that matches at a position.
    forms = sorted(by_form, key=lambda f: (-len(f), f))
    return re.compile("|".join(map(re.escape, forms))), by_form


def find_initiatives(text: str) -> list[InitiativeMention]:
    """Every lexicon initiative named in ``text``, in text order.

    >>> [m.initiative.name for m in find_initiatives("推动成渝地区双城经济圈建设，让双城经济圈群众受益")]
    ['成渝地区双城经济圈', '成渝地区双城经济圈']
    >>> find_initiatives("推进城乡融合发展，建设经济圈，发展新质量")
    []
    """
    pattern, by_form = _matcher()
    return [
        InitiativeMention(m.start(), m.end(), by_form[m.group()], m.group())
        for m in pattern.finditer(text)
    ]


def document_initiatives(paragraphs: list[str]) -> list[model.InitiativeMention]:
    """Each initiative named in the paragraphs once, with every place it is named.

    In order of first mention.

    >>> (m,) = document_initiatives(["打造“天府粮仓”。", "建设新时代更高水平“天府粮仓”"])
    >>> m.slug, m.paragraphs, m.spans[1]
    ('tianfu-granary', [1, 2], Span(paragraph=2, start=10, end=14))
    """
    spans: dict[str, list[model.Span]] = {}
    named: dict[str, Initiative] = {}
    for number, paragraph in enumerate(paragraphs, 1):
        for mention in find_initiatives(paragraph):
            named.setdefault(mention.initiative.slug, mention.initiative)
            spans.setdefault(mention.initiative.slug, []).append(
                model.Span(number, mention.start, mention.end))
    return [model.InitiativeMention(item.name, slug, tuple(spans[slug]))
            for slug, item in named.items()]
