"""The nothing-lost invariant: every Han character of a seed reaches its documents.

Repair steps join lines, close spaces and widen punctuation; none of them may drop or add a
Han character, except the named artefact rules in ``clean.REMOVING_STEPS`` (bookmarks,
invisible characters, web footers, page numbers). This module checks that, for every seed,
on every build:

- the *expected* text is the seed text less what the removing steps recorded they removed
  (``SeedRepair.removed``: line, text and step of each removal; seed steps keep lines, so
  its line numbers are the seed's), and less the lines the split set aside (a list page's
  preamble, a section label), which the documents carry in ``removed``;
- each document is compared with the lines of its span: the Han characters of its title,
  kicker, subtitle, dateline and paragraphs, as multisets, must equal those of its lines.
  For a traditional-script document the original-script fields are compared
  (``headline_original``, ``paragraphs_original``); its dateline exists only in simplified
  form, so dateline characters are compared after folding both sides to simplified, one
  character at a time. A title inferred from the lead sentence repeats text of the body, so
  it is not counted;
- lines that no document covers must hold no Han character.

It runs *before* the corrections' text fixes and field overrides: those are a person's
deliberate, reviewed edits, kept with their reasons in the corrections file beside the seed,
and may change characters on purpose. What this check guards is the automatic repair.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from policy_archive import clean
from policy_archive.ingest import SeedError
from policy_archive.split import SET_ASIDE_STEPS
from policy_archive.text import HAN, HAN_RE

if TYPE_CHECKING:
    from policy_archive.model import Document, Removal

_NOT_HAN_RE = re.compile(f"[^{HAN}]+")
SHOWN = 12  # lost characters quoted in an error message
# Who may take text out: the removing repair steps, and the split, which sets aside a list
# page's preamble and a section label above a headline (each recorded in ``removed``).
ALLOWED_REMOVERS = frozenset(clean.REMOVING_STEPS) | frozenset(SET_ASIDE_STEPS)


class LostTextError(SeedError):
    """The build would lose (or add) Han characters of a seed."""


@dataclass(frozen=True)
class Loss:
    """Han characters of a seed missing from (or added to) the documents of one span."""

    kind: str  # "lost" or "added"
    where: str  # the document id, or "no document" for lines outside every span
    line: int  # seed line of the first character (0 for added text: it has no seed line)
    chars: str  # the characters, in seed order

    def describe(self, seed_name: str) -> str:
        """One line for an error message.

        >>> Loss("lost", "x-1", 12, "会议").describe("seeds/x.txt")
        'seeds/x.txt:12: 2 Han characters lost from x-1, first: 会议'
        """
        shown = self.chars[:SHOWN] + ("…" if len(self.chars) > SHOWN else "")
        if self.kind == "added":
            return (f"{seed_name}: {len(self.chars)} Han characters in {self.where} that the "
                    f"seed does not hold: {shown}")
        return (f"{seed_name}:{self.line}: {len(self.chars)} Han characters lost from "
                f"{self.where}, first: {shown}")


def expected_text(seed_text: str, removals: Iterable[Removal]) -> str:
    """The seed text less what the recorded removals took out, line by line.

    Each removal names its line, so the line numbers stay the seed's; only its Han
    characters matter to the check, so they are taken out one by one, wherever they stand
    in the line.

    >>> text = "[bookmark: _GoBack]标题\\n- 3 -\\n分享到\\n正文 内容"
    >>> expected_text(text, clean.repair_seed(text).removed)
    '[bookmark: _GoBack]标题\\n- 3 -\\n\\n正文 内容'
    """
    lines = seed_text.split("\n")
    for removal in removals:
        if removal.step not in ALLOWED_REMOVERS:
            msg = f"line {removal.line}: {removal.step} may not remove text"
            raise ValueError(msg)
        taken = Counter(HAN_RE.findall(removal.text))
        kept = []
        for ch in lines[removal.line - 1]:
            if taken[ch] > 0:
                taken[ch] -= 1
            else:
                kept.append(ch)
        lines[removal.line - 1] = "".join(kept)
    return "\n".join(lines)


@functools.cache
def _fold(char: str) -> str:
    from policy_archive.script import to_simplified  # OpenCC loads only when needed

    return to_simplified(char)


def _han(texts: Iterable[str | None]) -> str:
    """The Han characters of the texts, in order (one string: a list of characters each a
    string of its own was most of the cost of this check)."""
    return _NOT_HAN_RE.sub("", "".join(text for text in texts if text))


def _published(doc: Document) -> tuple[str, str, str]:
    """A document's Han characters compared exactly, those compared folded, and those of
    its paragraphs (a part of the exact ones, for ``_same_characters``)."""
    original = doc.headline_original
    if original is not None:
        headline = [original.get("title"), original.get("kicker"), original.get("subtitle")]
    else:
        title = doc.title if doc.title_source != "inferred" else None
        headline = [title, doc.kicker, doc.subtitle]
    if doc.script == "zh-Hant":
        body = doc.paragraphs_original if doc.paragraphs_original is not None else doc.paragraphs
        return _han([*headline, *body]), _han([doc.dateline, doc.credit]), ""
    paragraphs = _han(doc.paragraphs)
    return _han([*headline, doc.dateline]) + paragraphs + _han([doc.credit]), "", paragraphs


def _same_characters(seed: str, published: str, part: str) -> bool:
    """Whether two strings hold the same characters, each as often, in any order.

    ``part`` is a run of ``published`` (a document's paragraphs) that usually stands whole
    in ``seed`` too, where only the headline lines stand elsewhere: then only what is
    around it is counted (counting thousands of characters was most of this check's cost).

    >>> _same_characters("副题标题正文", "标题副题正文", "正文"), _same_characters("甲乙", "乙丙", "乙")
    (True, False)
    """
    if len(seed) != len(published):
        return False
    at = seed.find(part) if part else -1
    if at >= 0:
        seed = seed[:at] + seed[at + len(part) :]
        published = published.replace(part, "", 1)
    return seed == published or Counter(seed) == Counter(published)


def _compare(where: str, lines: Sequence[tuple[int, str]], doc: Document | None) -> list[Loss]:
    exact, folded, paragraphs = _published(doc) if doc is not None else ("", "", "")
    if not folded:
        seed = _han(line for _, line in lines)
        if seed == exact or _same_characters(seed, exact, paragraphs):
            return []  # the same characters, as in almost every document: none lost or added
    have, have_folded = Counter(exact), Counter(_fold(ch) for ch in folded)
    lost: list[tuple[int, str]] = []
    for number, line in lines:
        for ch in HAN_RE.findall(line):
            if have[ch] > 0:
                have[ch] -= 1
            elif have_folded[_fold(ch)] > 0:
                have_folded[_fold(ch)] -= 1
            else:
                lost.append((number, ch))
    out = []
    if lost:
        out.append(Loss("lost", where, lost[0][0], "".join(ch for _, ch in lost)))
    # What is left over was published without standing in the seed, in published order.
    added = _left_over(exact, have, str) + _left_over(folded, have_folded, _fold)
    if added:
        out.append(Loss("added", where, 0, "".join(added)))
    return out


def _left_over(chars: str, left: Counter[str], key) -> list[str]:
    out = []
    for ch in chars:
        if left[key(ch)] > 0:
            left[key(ch)] -= 1
            out.append(ch)
    return out


def losses(seed_text: str, repair: clean.SeedRepair, documents: Sequence[Document]) -> list[Loss]:
    """Every loss (or addition) of Han characters between a seed and its documents.

    >>> from policy_archive.model import Document
    >>> text = "会议指出。\\n- 3 -\\n要抓落实。"
    >>> doc = Document("x-1", "会议指出", None, None, "inferred", None, None, None, False,
    ...                None, None, [], None, "x.txt", "", 1, "zh-Hans", (1, 3), [],
    ...                ["会议指出。", "要落实。"])
    >>> losses(text, clean.repair_seed(text), [doc])
    [Loss(kind='lost', where='x-1', line=3, chars='抓')]
    """
    set_aside = [r for doc in documents for r in doc.removed if r.step not in clean.SEED_STEPS]
    removals = [*repair.removed, *set_aside]
    lines = list(enumerate(expected_text(seed_text, removals).split("\n"), 1))
    out: list[Loss] = []
    covered: set[int] = set()
    for doc in documents:
        first, last = doc.lines
        covered.update(range(first, last + 1))
        out += _compare(doc.id, lines[first - 1 : last], doc)
    out += _compare("no document", [(n, t) for n, t in lines if n not in covered], None)
    return out


def check_seed(seed_path: Path, seed_text: str, repair: clean.SeedRepair,
               documents: Sequence[Document]) -> None:
    """Raise ``LostTextError`` naming the seed, line and characters if anything was lost."""
    found = losses(seed_text, repair, documents)
    if found:
        msg = "; ".join(loss.describe(str(seed_path)) for loss in found[:3])
        raise LostTextError(msg + " (a repair step must keep every character; see verify.py)")
