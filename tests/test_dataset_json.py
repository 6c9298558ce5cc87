"""Dataset records are written by ``render.dataset.indented_json``: byte for byte what
``json.dumps(..., ensure_ascii=False, indent=1)`` writes, at the C string encoder's speed."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from policy_archive.render import dataset
from policy_archive.render.dataset import document_record, indented_json


def by_json(value: object, indent: str = "") -> str:
    text = json.dumps(value, ensure_ascii=False, indent=1)
    return "\n".join(indent + line for line in text.split("\n"))


def test_every_record_of_the_seeds_is_written_as_json_writes_it_without_json(built):
    for doc in built.documents:
        record = document_record(doc)
        assert dataset._write(record, "  ", []), doc.id  # not left to json
        assert indented_json(record, "  ") == by_json(record, "  "), doc.id


_TEXT = st.text(st.sampled_from([*"会议“”\"\\/\n\t\x00\x1f\u2028 a1", "\U0001f600", "\ud800"]),
                max_size=8)
_DATA = st.recursive(
    st.one_of(_TEXT, st.none(), st.booleans(), st.integers(), st.floats()),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.one_of(_TEXT, st.integers(0, 3)), inner,
                                            max_size=4)),
    max_leaves=12)


@given(_DATA, st.sampled_from(["", "  "]))
def test_any_value_is_written_as_json_writes_it(value, indent):
    assert indented_json(value, indent) == by_json(value, indent)
