"""Front matter is written by ``render.markdown.dump_yaml``: byte for byte what PyYAML writes.

``dump_yaml`` writes the plain values of front matter itself (PyYAML's representer was a
fifth of a page's cost) and leaves everything else to PyYAML; these tests hold it to
PyYAML's own output, on the real pages and on generated data.
"""

from __future__ import annotations

import re

import yaml
from hypothesis import given
from hypothesis import strategies as st

from policy_archive.render import markdown
from policy_archive.render.markdown import dump_yaml, front_matter


def pyyaml(data: object) -> str:
    return yaml.dump(data, Dumper=markdown._DUMPER, allow_unicode=True, sort_keys=False,
                     width=10_000)


def test_every_page_of_the_seeds_is_written_as_pyyaml_writes_it_without_pyyaml(built):
    for doc in built.documents:
        meta = front_matter(doc)
        lines: list[str] = []
        assert markdown._block(meta, "", lines, seen={id(meta)}), doc.id  # not left to PyYAML
        assert dump_yaml(meta) == pyyaml(meta), doc.id


# Characters that make PyYAML quote, escape or fold: indicators, spaces, line breaks,
# quotes, a byte-order mark, controls, characters beyond U+FFFD, and words of other types.
_CHARS = st.sampled_from([*"会议系統，。“”（）《》、 \u3000\u00a0\u2028\u0085\ufeff\x07\t\n",
                          *"-:#'\"[]{}!&*|>%@`?,.~=<+_/0123456789aynNoTF",
                          "\U00020000", "\ufffd", "\ue000"])
_WORDS = st.sampled_from(["null", "true", "No", "on", "~", "2024-03-13", "12", "1.5", "0x1F",
                          "1:20", "<<", "=", "---", "...", "- a", "a: b", "a #b", "p-1",
                          "121-208", "", " ", "成渝地区双城经济圈"])
_TEXT = st.one_of(_WORDS, st.text(_CHARS, max_size=12))
_SCALARS = st.one_of(_TEXT, st.none(), st.booleans(), st.integers(-10**6, 10**6),
                     st.floats(allow_nan=False))
_DATA = st.recursive(_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.one_of(_TEXT, st.none(), st.integers(0, 3)), inner, max_size=4)),
    max_leaves=12)


@given(st.dictionaries(_TEXT, _DATA, min_size=1, max_size=6))
def test_any_mapping_is_written_as_pyyaml_writes_it(data):
    assert dump_yaml(data) == pyyaml(data)


@given(_DATA)
def test_any_value_is_written_as_pyyaml_writes_it(data):
    assert dump_yaml(data) == pyyaml(data)


def test_a_list_met_twice_is_left_to_pyyaml_which_writes_an_alias():
    for shared in ([1, 2], [], {}):
        data = {"a": shared, "b": [shared]}
        assert "*id001" in dump_yaml(data)
        assert dump_yaml(data) == pyyaml(data)


def test_the_plain_classes_written_negated_hold_the_characters_pyyaml_writes_plain():
    # ``markdown._PLAIN`` is written as two negated classes (cheaper to compile); these are
    # the positive classes it replaced, held to it at every code point, first and later.
    readable = re.compile("[\\w\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]"
                          "[!-\"$-9;-~\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]*",
                          re.ASCII)
    for code in range(0x110000):
        ch = chr(code)
        for text in (ch, "a" + ch):
            assert bool(markdown._PLAIN.fullmatch(text)) == bool(readable.fullmatch(text)), code
