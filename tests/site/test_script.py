"""The zh-Hant conversion: characters only, never vocabulary, and every phrase fix earns its place.

Uses the real converter (the C++ OpenCC binding, see benchmarks/opencc_comparison.md).
"""

from __future__ import annotations

import importlib.util
from importlib import resources
from pathlib import Path

import pytest
import yaml

from policy_archive import script
from policy_archive.script import phrase_fixes, to_simplified, to_traditional

pytestmark = pytest.mark.site


def _fix_entries() -> list[dict]:
    text = (
        resources.files("policy_archive.data")
        .joinpath("script_phrase_fixes.yml")
        .read_text(encoding="utf-8")
    )
    return yaml.safe_load(text)["to_traditional"]


def _raw_s2tw(text: str) -> str:
    """OpenCC s2tw without the phrase fixes: what the fixes are checked against."""
    return script._converter("s2tw").convert(text)


def test_the_converter_is_the_cpp_opencc() -> None:
    """Both OpenCC packages install `opencc`; the reimplementation must not shadow the C++ one."""
    spec = importlib.util.find_spec("opencc")
    assert spec is not None and spec.origin is not None
    assert (Path(spec.origin).parent / "clib").is_dir(), spec.origin


@pytest.mark.parametrize("fix", _fix_entries(), ids=lambda f: f["wrong"])
def test_each_phrase_fix_is_needed_and_works(fix: dict) -> None:
    example = fix["example"]
    assert to_simplified(example) == example, "example must be simplified text"
    assert fix["wrong"] in _raw_s2tw(example), "the converter no longer needs this fix"
    converted = to_traditional(example)
    assert fix["wrong"] not in converted
    assert fix["right"] in converted
    # A fix only swaps characters: the corrected text still reads back to the source.
    assert to_simplified(fix["right"]) == to_simplified(fix["wrong"])
    assert fix["why"].strip()


def test_fixes_loaded_by_the_converter_match_the_file() -> None:
    assert [(w, r) for w, r, _ in phrase_fixes()] == [
        (f["wrong"], f["right"]) for f in _fix_entries()
    ]


@pytest.mark.parametrize(
    ("simplified", "traditional"),
    [
        # s2twp would write 支援, 專案, 資訊, 資料, 網路, 軟體: vocabulary must stay.
        ("支持", "支持"),
        ("全局", "全局"),
        ("项目", "項目"),
        ("信息化", "信息化"),
        ("数据", "數據"),
        ("网络", "網絡"),
        ("软件", "軟件"),
        ("质量", "質量"),
    ],
)
def test_vocabulary_is_never_converted(simplified: str, traditional: str) -> None:
    assert to_traditional(simplified) == traditional


def test_standard_forms_not_opencc_forms() -> None:
    """s2tw's 為群眾, never s2t's 爲羣衆."""
    assert to_traditional("为群众服务") == "為群眾服務"
    assert to_traditional("带头发展，更加注重") == "帶頭發展，更加注重"


def test_whole_corpus_converts_without_known_errors(documents: list[dict]) -> None:
    fixes = phrase_fixes()
    for doc in documents:
        for text in [doc["title"], *doc["paragraphs"]]:
            converted = to_traditional(text)
            assert len(converted) == len(text)  # character for character
            for wrong, _, _ in fixes:
                assert wrong not in converted, (doc["id"], wrong)
            assert not set("爲羣衆") & set(converted), doc["id"]


@pytest.mark.parametrize("name", ["index.md", "about.md"])
def test_hand_written_pages_convert_without_known_errors(project_root, name: str) -> None:
    """The pages a person wrote are converted by the same function as the documents."""
    text = (project_root / "docs" / name).read_text(encoding="utf-8")
    converted = to_traditional(text)
    for wrong, _, _ in phrase_fixes():
        assert wrong not in converted, wrong
    # The measure word 隻 (one animal, one hand) has no place in the archive's own pages.
    assert "隻" not in converted
    assert not set("爲羣衆") & set(converted)
