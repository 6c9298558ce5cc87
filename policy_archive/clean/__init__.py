"""The repair pipeline: one ordered registry of named steps, and provenance of what changed.

Seed steps run on the whole seed and keep its lines (so a change can be traced to the
article and line it fell in); article steps run on one article's body after the split.
``repair_seed`` and ``repair_article`` return the text with the names of the steps that
changed it; ``replay`` applies a list of names again (the tests check the replay agrees).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from policy_archive.clean import steps

Step = Callable[[str], str]

# The order matters, and no step may create work for an earlier one (the repair must be
# idempotent): invisible characters go first (one inside ``[book\u200bmark: …]`` hides the
# bookmark), then bookmarks, before anything reads the lines; chrome lines are compared
# without spaces and with punctuation widened (``steps.chrome_key``), so that closing
# spaces later cannot make a new one; spaces close before punctuation is widened (a space
# can stand next to a comma), and the space step counts a mark the widening will widen as
# Chinese; lines are joined before any script conversion (a break inside a word changes
# OpenCC's output).
SEED_STEPS: dict[str, Step] = {
    "drop_invisible_characters": steps.drop_invisible_characters,
    "drop_docx_bookmarks": steps.drop_docx_bookmarks,
    "drop_web_footers": steps.drop_web_footers,
    "drop_page_numbers": steps.drop_page_numbers,
    "strip_line_whitespace": steps.strip_line_whitespace,
    "close_letter_spacing": steps.close_letter_spacing,
    "close_spaces_in_chinese": steps.close_spaces_in_chinese,
    "use_fullwidth_punctuation": steps.use_fullwidth_punctuation,
}

ARTICLE_STEPS: dict[str, Step] = {
    "join_wrapped_lines": steps.join_wrapped_lines,
    "convert_to_simplified": steps.convert_to_simplified,
}

# Steps that remove text by rule (the nothing-lost check allows their removals, and only theirs).
REMOVING_STEPS = ("drop_docx_bookmarks", "drop_invisible_characters", "drop_web_footers",
                  "drop_page_numbers")

ALL_STEPS: dict[str, Step] = {**SEED_STEPS, **ARTICLE_STEPS}


@dataclass(frozen=True)
class SeedRepair:
    """A seed's text after the seed steps, with the lines each step changed (1-based)."""

    text: str
    changed_lines: dict[str, frozenset[int]]

    def steps_touching(self, first_line: int, last_line: int) -> list[str]:
        """Names of the seed steps that changed a line in ``first_line..last_line``."""
        return [
            name
            for name, lines in self.changed_lines.items()
            if any(first_line <= n <= last_line for n in lines)
        ]


def repair_seed(text: str) -> SeedRepair:
    """Run the seed steps in order, recording which lines each one changed.

    >>> r = repair_seed("[bookmark: _GoBack]标题\\n- 3 -")
    >>> r.text, sorted(r.changed_lines)
    ('标题\\n', ['drop_docx_bookmarks', 'drop_page_numbers'])
    """
    changed: dict[str, frozenset[int]] = {}
    for name, step in SEED_STEPS.items():
        fixed = step(text)
        if fixed != text:
            before, after = text.split("\n"), fixed.split("\n")
            if len(before) != len(after):
                msg = f"seed step {name} changed the number of lines ({len(before)} → {len(after)})"
                raise AssertionError(msg)
            changed[name] = frozenset(
                n for n, (a, b) in enumerate(zip(before, after, strict=True), 1) if a != b
            )
            text = fixed
    return SeedRepair(text, changed)


def repair_article(text: str, *, traditional: bool) -> tuple[str, list[str]]:
    """Run the article steps on one article body; return the text and the steps that changed it.

    ``convert_to_simplified`` runs only on traditional-script articles.

    >>> repair_article("會議指出，\\n要堅決扛起。", traditional=True)
    ('会议指出，要坚决扛起。', ['join_wrapped_lines', 'convert_to_simplified'])
    """
    applied: list[str] = []
    for name, step in ARTICLE_STEPS.items():
        if name == "convert_to_simplified" and not traditional:
            continue
        fixed = step(text)
        # A step counts as a change when the paragraphs differ, not the blank lines between
        # them: turning blank-separated paragraphs into one per line changes no text.
        if paragraphs(fixed) != paragraphs(text):
            applied.append(name)
        text = fixed
    return text, applied


def paragraphs(text: str) -> list[str]:
    """The non-blank lines of a text, stripped: what a reader sees as its paragraphs.

    >>> paragraphs("甲。\\n\\n  乙。\\n")
    ['甲。', '乙。']
    """
    return [line.strip() for line in text.split("\n") if line.strip()]


def replay(text: str, plan: list[str]) -> str:
    """Apply the named steps in the given order (the ``apply_plan`` of ftfy).

    >>> replay("审议 2024 年", ["close_spaces_in_chinese"])
    '审议2024年'
    """
    for name in plan:
        text = ALL_STEPS[name](text)
    return text
