"""Character classes of ``policy_archive.text`` written for cheap compilation, held to the
readable classes they replace."""

from __future__ import annotations

import re

from policy_archive import text


def test_narrow_characters_are_those_below_the_cjk_blocks_but_full_width_marks():
    readable = re.compile("[^\u2e80-\U0010ffff“”‘’—…·]")
    for code in range(0x110000):
        ch = chr(code)
        assert bool(text._NARROW_RE.match(ch)) == bool(readable.match(ch)), code
