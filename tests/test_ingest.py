"""Reading seeds in whatever encoding and line endings they come in, or refusing them clearly."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest
import yaml

from policy_archive import ingest
from policy_archive.cli import main
from policy_archive.ingest import SeedError, decode, read_seed
from tests.conftest import SEEDS

SIMPLIFIED = SEEDS / "000_f73564b879444066.txt"
TRADITIONAL = SEEDS / "002_9ab9940bbe7d05f2.txt"


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("encoding", "prefix", "recorded"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", codecs.BOM_UTF8, "utf-8-sig"),
        ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16-le"),
        ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16-be"),
        ("utf-32-le", codecs.BOM_UTF32_LE, "utf-32-le"),
        ("gb18030", b"", "gb18030"),
        ("gbk", b"", "gb18030"),  # GBK is a subset of GB18030
    ],
)
def test_simplified_seed_in_any_encoding_reads_the_same(tmp_path, encoding, prefix, recorded):
    path = tmp_path / "s.txt"
    path.write_bytes(prefix + _text(SIMPLIFIED).encode(encoding))
    seed = read_seed(path)
    assert seed.text == read_seed(SIMPLIFIED).text
    assert seed.encoding == recorded


@pytest.mark.parametrize("encoding", ["big5", "cp950", "gb18030"])
def test_traditional_seed_in_big5_or_gb18030(tmp_path, encoding):
    path = tmp_path / "t.txt"
    path.write_bytes(_text(TRADITIONAL).encode(encoding))
    assert read_seed(path).text == read_seed(TRADITIONAL).text


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_cr_line_endings(tmp_path, newline):
    path = tmp_path / "n.txt"
    path.write_bytes(_text(SIMPLIFIED).replace("\n", newline).encode())
    assert read_seed(path).text == read_seed(SIMPLIFIED).text


def test_big5_versus_gb18030_prefers_common_characters():
    # These bytes are valid in both encodings: as Big5 they are 會議指出 (common), as
    # GB18030 they are rare characters; the reverse holds for the GB18030 text.
    big5 = "會議指出，要堅決扛起。".encode("big5")
    assert big5.decode("gb18030")  # decodes, but to implausible text
    assert decode(big5, "x.txt") == ("會議指出，要堅決扛起。", "cp950")
    gb = "会议指出，要坚决扛起。".encode("gb18030")
    assert decode(gb, "x.txt") == ("会议指出，要坚决扛起。", "gb18030")


def test_declared_encoding_wins(tmp_path, monkeypatch):
    # Latin-1 text would be refused by detection; the corrections file's word is taken.
    path = tmp_path / "d.txt"
    path.write_bytes("会议".encode("utf-16-le"))  # UTF-16 without a byte-order mark
    monkeypatch.setattr(ingest, "declared_encoding", lambda p: "utf-16-le")
    seed = read_seed(path)
    assert (seed.text, seed.encoding) == ("会议", "utf-16-le")


def test_declared_encoding_that_does_not_fit(tmp_path, monkeypatch):
    path = tmp_path / "d.txt"
    path.write_bytes(b"abc\n\xff\xfe\xfd")
    monkeypatch.setattr(ingest, "declared_encoding", lambda p: "utf-8")
    with pytest.raises(SeedError, match=r"d\.txt:2: not valid utf-8 \(declared in .*d\.corrections\.yml\)"):
        read_seed(path)


BROKEN = {
    "nul.txt": (b"\xe4\xbc\x9a\xe8\xae\xae\n\x00\x01\x02",
                "nul.txt:2: holds NUL bytes: a binary file, or UTF-16 without a byte-order mark"),
    "png.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
                "png.txt:3: holds NUL bytes"),
    "latin.txt": ("Résumé of the meeting\nna\u00efve caf\u00e9".encode("latin-1"),
                  "latin.txt is neither UTF-8 nor GB18030 (invalid UTF-8 on line 1); declare "
                  "its encoding in {dir}/latin.corrections.yml"),
    "control.txt": ("会议\n召开\x07。".encode(),
                    "control.txt:2:3: control character U+0007"),
    "badbom.txt": (codecs.BOM_UTF16_LE + b"\x00\xd8",
                   "badbom.txt:1: starts with a utf-16-le byte-order mark but is not valid"),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_seed_stops_the_build_and_writes_nothing(tmp_path, capsys, name):
    seeds, docs = tmp_path / "seeds", tmp_path / "docs"
    seeds.mkdir()
    (seeds / "000_good.txt").write_text("四川日报讯 2024年3月13日，会议召开。\n", encoding="utf-8")
    raw, message = BROKEN[name]
    (seeds / name).write_bytes(raw)
    assert main(["--seeds", str(seeds), "--docs", str(docs)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: {seeds}/")
    assert message.format(dir=seeds) in err
    assert not docs.exists()


def test_seed_over_the_size_limit_is_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "MAX_SEED_BYTES", 1024)
    path = tmp_path / "big.txt"
    path.write_bytes("会议召开。\n".encode() * 100)
    with pytest.raises(SeedError) as caught:
        read_seed(path)
    assert str(caught.value) == (f"{path} is 1,600 bytes; a seed may hold at most 1,024 bytes "
                                 "(0 MiB): split the source into several seeds")


def test_too_many_seeds_is_refused(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(ingest, "MAX_SEEDS", 2)
    for n in range(3):
        (tmp_path / f"{n}.txt").write_text("会议。", encoding="utf-8")
    assert main(["--seeds", str(tmp_path), "--docs", str(tmp_path / "docs")]) == 1
    assert capsys.readouterr().err == (
        f"error: {tmp_path} holds 3 seeds; one build takes at most 2 (every document is kept "
        "in memory to write the listing and the dataset)\n"
    )


def test_encoding_is_recorded_in_front_matter_and_dataset(tmp_path):
    seeds, docs = tmp_path / "seeds", tmp_path / "docs"
    seeds.mkdir()
    (seeds / "a.txt").write_bytes(_text(SIMPLIFIED).encode("gb18030"))
    (seeds / "b.txt").write_bytes(codecs.BOM_UTF16_BE + _text(SIMPLIFIED).encode("utf-16-be"))
    assert main(["--seeds", str(seeds), "--docs", str(docs), "-q"]) == 0
    page = (docs / "documents/a-1.md").read_text(encoding="utf-8")
    meta = yaml.safe_load(page.split("---\n")[1])
    assert meta["source"]["encoding"] == "gb18030"
    records = json.loads((docs / "data/documents.json").read_text(encoding="utf-8"))["documents"]
    assert {r["source"]["encoding"] for r in records} == {"gb18030", "utf-16-be"}
    # Same text, so the same documents apart from the source fields.
    a = [r["paragraphs"] for r in records if r["source"]["seed"] == "a.txt"]
    b = [r["paragraphs"] for r in records if r["source"]["seed"] == "b.txt"]
    assert a == b
