"""Spans prescribed by a person (a corrections file's ``split``), built as split builds its own.

Split owns every way of cutting a seed into articles: the automatic split in ``__init__`` and
this one, which takes the start lines (and headline lines) a person wrote. Errors name the
entry that prescribed the span (``where``: ``file:line: key.path``).
"""

from __future__ import annotations

from dataclasses import dataclass

from policy_archive.split import ArticleSpan, dateline_pattern, is_headline_line


class SplitError(ValueError):
    """A prescribed split cannot be applied to the seed's text."""


@dataclass(frozen=True)
class PrescribedStart:
    start: int  # 1-based seed line where the article begins
    headline: list[int] | None  # its headline lines; None: the headline-like lines found
    where: str  # the entry that says so, for messages


def prescribed_spans(text: str, starts: list[PrescribedStart]) -> list[ArticleSpan]:
    """The article spans a person prescribed: each article from its start line to the line
    before the next start, its headline the lines named or, failing that, found."""
    lines = list(enumerate(text.split("\n"), 1))
    first = starts[0]
    stray = [n for n, t in lines[: first.start - 1] if t.strip()]
    if stray:
        msg = (f"{first.where}: lines {stray[0]}-{first.start - 1} before the first article "
               f"hold text; start the first article at line {stray[0]}")
        raise SplitError(msg)
    spans = []
    for i, entry in enumerate(starts):
        if entry.start > len(lines):
            msg = f"{entry.where}: line {entry.start} is past the end of the seed"
            raise SplitError(msg)
        end = starts[i + 1].start - 1 if i + 1 < len(starts) else len(lines)
        span_lines = lines[entry.start - 1 : end]
        if not any(t.strip() for _, t in span_lines):
            msg = f"{entry.where}: lines {entry.start}-{end} hold no text"
            raise SplitError(msg)
        if entry.headline is None:
            headline_numbers = _headline_lines([(n, t) for n, t in span_lines if t.strip()])
        else:
            headline_numbers = entry.headline
            for n in headline_numbers:
                if not entry.start <= n <= end:
                    msg = (f"{entry.where}: headline line {n} is outside this article "
                           f"(lines {entry.start}-{end})")
                    raise SplitError(msg)
        spans.append(_span(span_lines, entry.start, end, set(headline_numbers)))
    return spans


def _headline_lines(content: list[tuple[int, str]]) -> list[int]:
    """Headline lines of an article whose split entry names none: the headline-like lines at
    its start or, failing that, at its end (a page that prints the headline after the body).

    A dateline (本报讯（…）6月) has no sentence punctuation either, but it opens the body.
    """
    dateline = dateline_pattern()

    def heading(text: str) -> bool:
        return is_headline_line(text) and not dateline.match(text.strip())

    k = 0
    while k < len(content) - 1 and heading(content[k][1]):
        k += 1
    if k:
        return [n for n, _ in content[:k]]
    j = len(content)
    while j > 1 and heading(content[j - 1][1]):
        j -= 1
    return [n for n, _ in content[j:]]


def _span(span_lines: list[tuple[int, str]], first: int, end: int, head: set[int]) -> ArticleSpan:
    # Headline lines in groups: a blank line, or a gap, between two lines separates groups
    # (what printed_headline reads as kicker / title / subtitle).
    groups: list[list[tuple[int, str]]] = []
    for n, t in span_lines:
        if n not in head or not t.strip():
            continue
        if groups and groups[-1][-1][0] == n - 1:
            groups[-1].append((n, t))
        else:
            groups.append([(n, t)])
    body = [(n, t) for n, t in span_lines if n not in head]
    while body and not body[0][1].strip():
        body.pop(0)
    while body and not body[-1][1].strip():
        body.pop()
    return ArticleSpan(first, end, groups, body)
