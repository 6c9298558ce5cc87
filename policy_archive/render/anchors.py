"""Paragraph anchors: how a reader, a citation and the dataset address a paragraph."""

from __future__ import annotations

import functools

from policy_archive.clean.steps import is_section_heading


def paragraph_anchors(paragraphs: list[str]) -> list[str]:
    """The anchor of each paragraph: body paragraphs ``p-1, p-2, …`` counted on their own,
    section headings ``s-1, s-2, …``, so a reader counting paragraphs by eye gets the number
    of the anchor.

    >>> paragraph_anchors(["会议指出……", "一、总体要求", "要……", "二、主要任务"])
    ['p-1', 's-1', 'p-2', 's-2']
    """
    return list(_anchors(tuple(paragraphs)))


@functools.lru_cache(maxsize=4096)
def _anchors(paragraphs: tuple[str, ...]) -> tuple[str, ...]:
    # Cached: index pages ask for the anchors of a document once per mention they quote.
    counts = {"p": 0, "s": 0}
    anchors = []
    for paragraph in paragraphs:
        kind = "s" if is_section_heading(paragraph) else "p"
        counts[kind] += 1
        anchors.append(f"{kind}-{counts[kind]}")
    return tuple(anchors)
