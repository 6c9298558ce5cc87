"""The repair pipeline: one ordered registry of named steps, and provenance of what changed.

Seed steps run on the whole seed and keep its lines (so a change can be traced to the
article and line it fell in); article steps run on one article's body after the split.
``repair_seed`` and ``repair_article`` return the text with the names of the steps that
changed it; ``replay`` applies a list of names again (the tests check the replay agrees).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from policy_archive.clean import steps
from policy_archive.model import Removal

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
    # Parts of lines, while the marks are as printed (before the space and width steps
    # reshape the brackets around them); they run together to a fixed point (LINE_EDGE_STEPS).
    "remove_pinyin_glosses": steps.remove_pinyin_glosses,
    "drop_anticopy_junk": steps.drop_anticopy_junk,
    "strip_field_labels": steps.strip_field_labels,
    "strip_table_pipes": steps.strip_table_pipes,
    "strip_end_marks": steps.strip_end_marks,
    # Whole lines of chrome.
    "drop_web_footers": steps.drop_web_footers,
    "drop_page_numbers": steps.drop_page_numbers,
    "drop_breadcrumbs": steps.drop_breadcrumbs,
    "drop_metadata_bars": steps.drop_metadata_bars,
    "drop_page_tools": steps.drop_page_tools,
    "drop_epaper_navigation": steps.drop_epaper_navigation,
    "drop_original_title_lines": steps.drop_original_title_lines,
    "drop_site_footers": steps.drop_site_footers,
    "drop_mastheads": steps.drop_mastheads,
    "drop_date_stamps": steps.drop_date_stamps,
    "drop_junk_lines": steps.drop_junk_lines,
    # Last of the removals: it compares a line with the lines left above it.
    "drop_repeated_headlines": steps.drop_repeated_headlines,
    "strip_line_whitespace": steps.strip_line_whitespace,
    "close_letter_spacing": steps.close_letter_spacing,
    "mark_run_together_paragraphs": steps.mark_run_together_paragraphs,
    "close_spaces_in_chinese": steps.close_spaces_in_chinese,
    "use_fullwidth_punctuation": steps.use_fullwidth_punctuation,
}

ARTICLE_STEPS: dict[str, Step] = {
    "join_wrapped_lines": steps.join_wrapped_lines,
    "split_run_together_paragraphs": steps.split_run_together_paragraphs,
    "convert_to_simplified": steps.convert_to_simplified,
}

# Steps that remove text by rule (the nothing-lost check allows their removals, and only theirs).
REMOVING_STEPS = (
    "drop_invisible_characters", "drop_docx_bookmarks", "remove_pinyin_glosses",
    "drop_anticopy_junk", "strip_field_labels", "strip_table_pipes", "strip_end_marks",
    "drop_web_footers", "drop_page_numbers", "drop_breadcrumbs", "drop_metadata_bars", "drop_page_tools",
    "drop_epaper_navigation", "drop_original_title_lines", "drop_site_footers",
    "drop_mastheads", "drop_date_stamps", "drop_junk_lines", "drop_repeated_headlines",
)


def _removed_text(before: str, after: str) -> str:
    """What a step cut out of a line: the whole line when it emptied it, else the parts.

    Removing steps only delete, so ``after`` is a subsequence of ``before``; the parts are
    the characters left over when ``after`` is matched in order (any such match leaves the
    same characters in number, which is what the nothing-lost check counts).

    >>> _removed_text("会(huì)议", "会议"), _removed_text(" 分享到 ", "")
    ('(huì)', '分享到')
    >>> _removed_text("个 \\u200b个", "个 个")
    '\\u200b'
    """
    if not after.strip():
        return before.strip()
    parts: list[str] = []
    j = 0
    gap = False
    for ch in before:
        if j < len(after) and after[j] == ch:
            j += 1
            gap = False
        else:
            if parts and not gap:
                parts.append("…")
            parts.append(ch)
            gap = True
    return "".join(parts)


ALL_STEPS: dict[str, Step] = {**SEED_STEPS, **ARTICLE_STEPS}

# Steps that cut marks off a line. Removing one can bring another's mark to the edge of the
# line (a field label after anti-copy junk, a bar after a label, a gloss after a gloss), so
# they run together, round after round, until a round changes nothing: one repair reaches
# the fixed point, and a second changes nothing (issue 15). They stand together in SEED_STEPS.
LINE_EDGE_STEPS = ("remove_pinyin_glosses", "drop_anticopy_junk", "strip_field_labels",
                   "strip_table_pipes", "strip_end_marks")
_FIRST_EDGE = list(SEED_STEPS).index(LINE_EDGE_STEPS[0])
assert tuple(list(SEED_STEPS)[_FIRST_EDGE : _FIRST_EDGE + len(LINE_EDGE_STEPS)]) == LINE_EDGE_STEPS


def _apply_steps(text: str, names: list[str], on_change=None) -> str:
    """Apply the named steps in order, the line-edge steps among them to their fixed point;
    ``on_change(name, before, after)`` hears of every change.

    >>> _apply_steps("会议摘要: |会(huì)(huì)", list(LINE_EDGE_STEPS))
    '会'
    """
    i = 0
    while i < len(names):
        j = i + 1
        if names[i] in LINE_EDGE_STEPS:
            while j < len(names) and names[j] in LINE_EDGE_STEPS:
                j += 1
        while True:
            start = text
            for name in names[i:j]:
                fixed = ALL_STEPS[name](text)
                if on_change is not None and fixed != text:
                    on_change(name, text, fixed)
                text = fixed
            if j == i + 1 or text == start:
                break
        i = j
    return text


@dataclass(frozen=True)
class SeedRepair:
    """A seed's text after the seed steps, with the lines each step changed (1-based)."""

    text: str
    changed_lines: dict[str, frozenset[int]]
    removed: tuple[Removal, ...] = field(default=())

    def removed_between(self, first_line: int, last_line: int) -> list[Removal]:
        """The removals in lines ``first_line..last_line``, in line then step order."""
        return [r for r in self.removed if first_line <= r.line <= last_line]

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
    removed: list[Removal] = []

    def record(name: str, text: str, fixed: str) -> None:
        before, after = text.split("\n"), fixed.split("\n")
        if len(before) != len(after):
            msg = f"seed step {name} changed the number of lines ({len(before)} → {len(after)})"
            raise AssertionError(msg)
        lines = [n for n, (a, b) in enumerate(zip(before, after, strict=True), 1) if a != b]
        changed[name] = changed.get(name, frozenset()) | frozenset(lines)
        if name in REMOVING_STEPS:
            removed.extend(Removal(n, _removed_text(before[n - 1], after[n - 1]), name)
                           for n in lines)

    text = _apply_steps(text, list(SEED_STEPS), record)
    removed.sort(key=lambda r: r.line)  # stable: steps stay in order of work within a line
    # The registry's order, whatever the rounds of the line-edge steps.
    return SeedRepair(text, {k: changed[k] for k in SEED_STEPS if k in changed}, tuple(removed))


def repair_article(text: str, *, traditional: bool) -> tuple[str, list[str]]:
    """Run the article steps on one article body; return the text and the steps that changed it.

    ``convert_to_simplified`` runs only on traditional-script articles.

    >>> repair_article("會議指出，\\n要堅決扛起。", traditional=True)
    ('会议指出，要坚决扛起。', ['join_wrapped_lines', 'convert_to_simplified'])
    """
    applied: list[str] = []
    before = paragraphs(text)
    for name, step in ARTICLE_STEPS.items():
        if name == "convert_to_simplified" and not traditional:
            continue
        fixed = step(text)
        if fixed == text:
            continue
        # A step counts as a change when the paragraphs differ, not the blank lines between
        # them: turning blank-separated paragraphs into one per line changes no text.
        after = paragraphs(fixed)
        if after != before:
            applied.append(name)
        text, before = fixed, after
    return text, applied


def paragraphs(text: str) -> list[str]:
    """The non-blank lines of a text, stripped: what a reader sees as its paragraphs.

    >>> paragraphs("甲。\\n\\n  乙。\\n")
    ['甲。', '乙。']
    """
    return [line.strip() for line in text.split("\n") if line.strip()]


def replay(text: str, plan: list[str]) -> str:
    """Apply the named steps in the given order (the ``apply_plan`` of ftfy); the line-edge
    steps among them run to their fixed point, as in ``repair_seed``.

    >>> replay("审议 2024 年", ["close_spaces_in_chinese"])
    '审议2024年'
    """
    return _apply_steps(text, plan)
