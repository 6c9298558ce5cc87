"""Search terms of the lexicons' names, computed once, in both scripts, for the site to read.

A lexicon name (成渝地区双城经济圈) is one word in the search index (the jieba user
dictionary below keeps it whole), so a reader typing a part of it (经济圈) must still find
it: each name's parts are listed here, once, by jieba's stock dictionary. The initiative
pages show them (检索分词) and the search hook gives them to the index, both from
``docs/data/search_terms.json``, so the page and the index cannot disagree.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Iterable

from policy_archive.extract import bodies as bodies_lexicon
from policy_archive.extract import initiatives as initiatives_lexicon
from policy_archive.model import Document
from policy_archive.script import to_traditional
from policy_archive.site_contract import TRADITIONAL_LOCALE

# jieba takes a user word with a frequency above what its own dictionary gives the parts, so
# the whole name wins over a split (成渝地区双城经济圈, not 成渝/地区/双城/经济圈).
USER_WORD_FREQUENCY = 100_000


@functools.cache
def _tokenizer():  # type: ignore[no-untyped-def]
    import jieba  # a dependency of the site search already; loaded only when needed

    jieba.setLogLevel(logging.WARNING)
    return jieba.Tokenizer()  # the stock dictionary, not the archive's user dictionary


@functools.cache
def name_parts(term: str) -> tuple[str, ...]:
    """The words jieba's own dictionary cuts a name into, for searching by a part.

    Dictionary words only (no HMM guesses, which change with jieba's model). Characters the
    dictionary leaves single are joined with their single neighbours (新/质 → 新质: a reader
    types 新质, not 新), and a lone one is dropped. A name jieba does not cut has no parts.

    >>> name_parts("成渝地区双城经济圈")
    ('成渝', '地区', '双城', '经济圈')
    >>> name_parts("新质生产力")
    ('新质', '生产力')
    >>> name_parts("东数西算"), name_parts("乡村振兴")
    ((), ('乡村', '振兴'))
    """
    name = term.strip("“”")
    parts: list[str] = []
    singles = ""
    for word in [*_tokenizer().cut(name, HMM=False), ""]:
        word = word.strip("、，")
        if len(word) == 1:
            singles += word
            continue
        if len(singles) > 1:
            parts.append(singles)
        singles = ""
        if word:
            parts.append(word)
    parts = [p for p in dict.fromkeys(parts) if p != name]
    return tuple(parts) if len(parts) > 1 else ()


def _dictionary_words(documents: Iterable[Document]) -> dict[str, str]:
    """Every name the search should keep whole, with its jieba tag: bodies, initiatives,
    people. Only full forms: the short forms of bodies (省委) are ordinary words already."""
    words: dict[str, str] = {}
    for body in bodies_lexicon.bodies():
        for form in (body.name, *body.aliases):
            words.setdefault(form, "nt")
    for item in initiatives_lexicon.initiatives():
        for form in item.forms:
            # jieba words cannot hold punctuation: 四化同步、城乡融合、五区共兴 stays in parts.
            term = form.strip("“”")
            if term and all("\u4e00" <= ch <= "\u9fff" for ch in term):
                words.setdefault(term, "nz")
    for doc in documents:
        for person in doc.people:
            words.setdefault(person.name, "nr")
    return words


def jieba_user_dictionary(documents: list[Document]) -> str:
    """jieba user dictionary (``word freq tag`` lines), read by Material's search plugin."""
    words = _dictionary_words(documents)
    lines = [f"{word} {USER_WORD_FREQUENCY} {tag}" for word, tag in sorted(words.items())]
    return "\n".join(lines) + "\n"


def _traditional_parts(name: str, parts: tuple[str, ...]) -> tuple[str, tuple[str, ...]] | None:
    """The name and its parts in traditional script, cut where the simplified ones are.

    >>> _traditional_parts("新质生产力", ("新质", "生产力"))
    ('新質生產力', ('新質', '生產力'))
    """
    hant = to_traditional(name)
    if len(hant) != len(name):
        return None  # parts are cut by length; a conversion that changes it cannot map them
    out, start = [], 0
    for part in parts:
        out.append(hant[start : start + len(part)])
        start += len(part)
    return hant, tuple(out)


def search_terms(documents: list[Document]) -> dict[str, dict[str, list[str]]]:
    """Each name with its parts, per script: ``{"zh-Hans": {name: parts}, "zh-Hant": …}``."""
    simplified: dict[str, list[str]] = {}
    traditional: dict[str, list[str]] = {}
    for name in sorted(_dictionary_words(documents)):
        parts = name_parts(name)
        simplified[name] = list(parts)
        converted = _traditional_parts(name, parts)
        if converted:
            traditional[converted[0]] = list(converted[1])
    return {"zh-Hans": simplified, TRADITIONAL_LOCALE: traditional}


def search_terms_json(documents: list[Document]) -> str:
    return json.dumps(search_terms(documents), ensure_ascii=False, indent=1) + "\n"
