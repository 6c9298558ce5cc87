"""Each repair step on its own (tests/cases/repair_cases.yml), and the registry's contracts."""

from __future__ import annotations

import inspect
import re

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_archive import clean, datafiles
from policy_archive.clean import steps
from policy_archive.text import CJK_PUNCT, HAN
from tests.conftest import ROOT

CASES = yaml.safe_load((ROOT / "tests/cases/repair_cases.yml").read_text(encoding="utf-8"))


def _run(step: str, text: str) -> str:
    if step == "seed":
        return clean.repair_seed(text).text
    return clean.ALL_STEPS[step](text)


@pytest.mark.parametrize("case", CASES, ids=[c["label"] for c in CASES])
def test_case(case):
    assert _run(case["step"], case["original"]) == case["fixed"]
    if case["kind"] == "negative":
        assert case["original"] == case["fixed"], "a negative case must expect no change"


@pytest.mark.parametrize("case", CASES, ids=[c["label"] for c in CASES])
def test_steps_are_idempotent_on_cases(case):
    once = _run(case["step"], case["original"])
    assert _run(case["step"], once) == once


def test_every_step_is_documented_with_an_example_and_a_label():
    labels = datafiles.load("steps.yml")
    for name, step in clean.ALL_STEPS.items():
        doc = inspect.getdoc(step) or ""
        assert ">>> " in doc, f"{name} has no docstring example"
        assert name in labels, f"{name} has no label in policy_archive/data/steps.yml"
    assert set(labels) == set(clean.ALL_STEPS), "steps.yml labels a step that does not exist"


def test_every_step_has_a_case():
    tested = {c["step"] for c in CASES}
    untested = set(clean.ALL_STEPS) - tested - {"convert_to_simplified", "drop_invisible_characters"}
    assert not untested, untested


_LINE = st.text(
    alphabet=st.sampled_from(list("会议指出要抓落实新质生产力，。、“”（）《》 \u3000,:;()?!-1234567890abc")),
    max_size=30,
)


@given(st.lists(_LINE, max_size=12))
def test_seed_steps_keep_the_number_of_lines(lines):
    text = "\n".join(lines)
    assert len(clean.repair_seed(text).text.split("\n")) == len(lines) or not lines


@given(st.lists(_LINE, max_size=12))
def test_replay_gives_the_same_text(lines):
    text = "\n".join(lines)
    repaired = clean.repair_seed(text)
    plan = list(repaired.changed_lines)
    assert clean.replay(text, plan) == repaired.text


@pytest.mark.parametrize("key", ["breadcrumbs", "page_tool_lines", "epaper_navigation",
                                 "site_footers", "date_stamps"])
def test_chrome_patterns_find_in_one_test_what_each_finds(key):
    from policy_archive.clean.steps import _any_of

    patterns = datafiles.require("chrome.yml", key)
    # Characters the chrome patterns name, and others.
    alphabet = "您的当前位置：首页>＞»/›•·2024-01-05年月日12：30星期一ICP备版权所有©Copyright主办单位第A版要闻会议。"

    @settings(max_examples=200, deadline=None)
    @given(st.text(alphabet=alphabet, max_size=24))
    def check(text):
        assert bool(_any_of(tuple(patterns))(text)) == any(re.search(p, text) for p in patterns)

    check()


GLOSS_AS_WRITTEN = (  # the pattern as it reads: a Han character before, spaces, a bracket …
    rf"(?<=[{HAN}])[ \u00a0\u3000]*[（(][ \u00a0]*"
    rf"([a-zü{steps._TONE_VOWELS}ńňǹḿ]{{1,7}})[ \u00a0]*[）)]")
# A half-width mark with Chinese before or after it (``_widened_mark`` reads the neighbours).
_CJK_NEIGHBOUR = f"[{HAN}{CJK_PUNCT}]"
HALF_PUNCT_AS_WRITTEN = rf"(?<={_CJK_NEIGHBOUR})[,:;?!]|[,:;?!](?={_CJK_NEIGHBOUR})"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="会議a1 \u00a0\u3000（(）)huìguóHUI,:;?!，\n", max_size=16))
def test_gloss_and_punctuation_patterns_match_as_written(text):
    def spans(pattern):
        return [(m.span(), m.groups()) for m in re.finditer(pattern, text)]
    assert spans(steps._gloss_re()) == spans(GLOSS_AS_WRITTEN)
    assert steps._HALF_PUNCT_RE.sub(steps._widened_mark, text) == re.sub(
        HALF_PUNCT_AS_WRITTEN, lambda m: steps._HALF_TO_FULL[m.group()], text)
