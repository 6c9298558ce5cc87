"""Attacks on reading seeds: hostile file names, symbolic links, codec names, mixed encodings,
control and bidirectional characters (issue 8).

Every hostile case is made in ``tmp_path`` at run time beside one good seed and run through
the real command line. Each must end in exit status 1 with exactly one line on stderr that
names the offending file (made safe to print), no traceback, and docs/ neither created nor
changed. The negative cases (names and texts that must still build) sit beside them.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_archive import summary
from policy_archive.cli import main
from policy_archive.ingest import SeedError, decode
from policy_archive.script import to_traditional
from tests.conftest import ROOT

GOOD_NAME = "000_good.txt"
GOOD_TEXT = "四川日报讯 2024年3月13日，会议召开。会议指出，要坚决扛起使命。\n"
RULE = "seed file names may hold only ASCII letters, digits, '_' and '-'"

# (label, file name as bytes, the name as the message must show it)
HOSTILE_NAMES = [
    ("leading dot", b".hidden.txt", ".hidden.txt"),
    ("space", b"a b.txt", "a b.txt"),
    ("quotes and handler", b'q" autofocus onfocus="alert(1)" x.txt',
     'q" autofocus onfocus="alert(1)" x.txt'),
    ("markdown link and tag", b"900_a-1.md)<img src=x onerror=alert(1)>.txt",
     "900_a-1.md)<img src=x onerror=alert(1)>.txt"),
    ("hash", b"x#y.txt", "x#y.txt"),
    ("dot inside", b"x.y.txt", "x.y.txt"),
    ("leading dash", b"-x.txt", "-x.txt"),
    ("leading underscore", b"_x.txt", "_x.txt"),
    ("Han characters", "会议.txt".encode(), "\\u4f1a\\u8bae.txt"),
    ("not UTF-8", b"caf\xe9.txt", "caf\\xe9.txt"),
    ("escape sequence", b"x\x1b[31m.txt", "x\\x1b[31m.txt"),
    ("newline", b"x\ny.txt", "x\\ny.txt"),
    ("bidi override", "x\u202etxt.exe.txt".encode(), "x\\u202etxt.exe.txt"),
    ("backslash", b"x\\y.txt", "x\\\\y.txt"),
    ("stem of 101 characters", b"a" * 101 + b".txt", "a" * 101 + ".txt"),
    ("250 bytes", b"b" * 246 + b".txt", "b" * 246 + ".txt"),
]
VALID_NAMES = ["000_f73564b879444066.txt", "a-b_c.txt", "A.txt", "9.txt", "a" * 100 + ".txt"]


def _seeds(tmp_path: Path) -> Path:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / GOOD_NAME).write_text(GOOD_TEXT, encoding="utf-8")
    return seeds


def _snapshot(folder: Path) -> dict[str, str]:
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def good_docs(tmp_path_factory) -> Path:
    """docs/ as built from the good seed alone: what a refused build must leave untouched."""
    tmp = tmp_path_factory.mktemp("good")
    docs = tmp / "docs"
    assert main(["--seeds", str(_seeds(tmp)), "--docs", str(docs), "-q"]) == 0
    return docs


def _refused(seeds: Path, tmp_path: Path, capsys, good_docs: Path) -> str:
    """Run the build twice (no docs/ yet; a built docs/): exit 1, docs/ untouched both times.

    Returns the one line of stderr.
    """
    fresh = tmp_path / "fresh-docs"
    assert main(["--seeds", str(seeds), "--docs", str(fresh), "-q"]) == 1
    first = capsys.readouterr().err
    assert not fresh.exists()
    built = tmp_path / "built-docs"
    shutil.copytree(good_docs, built)
    before = _snapshot(built)
    assert main(["--seeds", str(seeds), "--docs", str(built), "-q"]) == 1
    second = capsys.readouterr().err
    assert _snapshot(built) == before
    assert first == second
    assert "Traceback" not in first
    assert first.count("\n") == 1 and first.endswith("\n")
    return first.rstrip("\n")


@pytest.mark.parametrize(("raw", "shown"), [c[1:] for c in HOSTILE_NAMES],
                         ids=[c[0] for c in HOSTILE_NAMES])
def test_hostile_seed_name_is_refused(tmp_path, capsys, good_docs, raw, shown):
    seeds = _seeds(tmp_path)
    with open(os.path.join(os.fsencode(seeds), raw), "wb") as handle:  # noqa: PTH123, PTH118
        handle.write(GOOD_TEXT.encode())
    err = _refused(seeds, tmp_path, capsys, good_docs)
    assert err == f"error: {seeds}/{shown}: {RULE}, start with a letter or digit, and have at " \
                  "most 100 characters before '.txt'; rename the file"


@pytest.mark.parametrize("raw", [b"caf\xe9.txt", b"x\x1b]0;owned\x07.txt"], ids=["latin-1", "osc"])
def test_hostile_name_through_the_real_script_in_a_c_locale(tmp_path, raw):
    # The real script, in a C locale (ASCII stdio): the message must still print, escaped.
    seeds, docs = _seeds(tmp_path), tmp_path / "docs"
    with open(os.path.join(os.fsencode(seeds), raw), "wb") as handle:  # noqa: PTH123, PTH118
        handle.write(GOOD_TEXT.encode())
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONIOENCODING": ""}
    done = subprocess.run([sys.executable, "build_archive.py", "-q", "--seeds", str(seeds),
                           "--docs", str(docs)], cwd=ROOT, capture_output=True, env=env,
                          check=False)
    assert done.returncode == 1
    err = done.stderr.decode("ascii")  # nothing but ASCII reaches the terminal
    assert err.startswith(f"error: {seeds}/") and RULE in err
    assert "Traceback" not in err and err.count("\n") == 1
    assert not docs.exists()


@pytest.mark.parametrize("name", VALID_NAMES)
def test_valid_seed_names_still_build(tmp_path, name):
    seeds, docs = _seeds(tmp_path), tmp_path / "docs"
    (seeds / name).write_text(GOOD_TEXT, encoding="utf-8")
    (seeds / "README.md").write_text("not a seed\n", encoding="utf-8")  # ignored, as before
    (seeds / ".gitkeep").write_bytes(b"")
    assert main(["--seeds", str(seeds), "--docs", str(docs), "-q"]) == 0
    assert (docs / "documents" / f"{name[: -len('.txt')]}-1.md").is_file()


def _symlink_to_outside_file(seeds: Path, name: str) -> None:
    secret = seeds.parent / "secret.txt"
    secret.write_text("[credential]\n\thelper = store\n", encoding="utf-8")
    (seeds / name).symlink_to(secret)


def _symlink_to_seed_inside(seeds: Path, name: str) -> None:
    (seeds / name).symlink_to(GOOD_NAME)


def _symlink_to_folder(seeds: Path, name: str) -> None:
    (seeds / name).symlink_to(seeds.parent, target_is_directory=True)


def _dangling_symlink(seeds: Path, name: str) -> None:
    (seeds / name).symlink_to(seeds / "nowhere")


def _folder(seeds: Path, name: str) -> None:
    (seeds / name).mkdir()


def _fifo(seeds: Path, name: str) -> None:
    os.mkfifo(seeds / name)  # opened without blocking: a build never waits on it


REGULAR_ONLY = "seeds and corrections files must be regular files in the seeds folder"
SYMLINK = f"is a symbolic link; {REGULAR_ONLY}"
NOT_REGULAR = f"is not a regular file; {REGULAR_ONLY}"
# (label, how the entry is made, its name, the message after "error: <seeds>/<name>: ")
FILE_CASES = [
    ("seed linked to a file outside", _symlink_to_outside_file, "passwd.txt", SYMLINK),
    ("seed linked to a seed inside", _symlink_to_seed_inside, "copy.txt", SYMLINK),
    ("seed linked to a folder", _symlink_to_folder, "up.txt", SYMLINK),
    ("seed linked to nothing", _dangling_symlink, "gone.txt", SYMLINK),
    ("seed is a folder", _folder, "folder.txt", NOT_REGULAR),
    ("seed is a pipe", _fifo, "pipe.txt", NOT_REGULAR),
    ("corrections linked outside", _symlink_to_outside_file, "000_good.corrections.yml",
     SYMLINK),
    ("corrections linked to nothing", _dangling_symlink, "000_good.corrections.yml", SYMLINK),
    ("corrections is a folder", _folder, "000_good.corrections.yml", NOT_REGULAR),
]


@pytest.mark.parametrize(("make", "name", "message"), [c[1:] for c in FILE_CASES],
                         ids=[c[0] for c in FILE_CASES])
def test_seed_or_corrections_file_that_is_not_a_regular_file(tmp_path, capsys, good_docs,
                                                              make, name, message):
    seeds = _seeds(tmp_path)
    make(seeds, name)
    err = _refused(seeds, tmp_path, capsys, good_docs)
    assert err == f"error: {seeds}/{name}: {message}"


def test_summary_refuses_a_symlinked_seed_and_prints_nothing_of_it(tmp_path, capsys, good_docs):
    seeds = _seeds(tmp_path)
    _symlink_to_outside_file(seeds, "passwd.txt")
    assert summary.main(["--base-file", str(good_docs), "--seeds", str(seeds)]) == 1
    out, err = capsys.readouterr()
    assert err == f"error: {seeds}/passwd.txt: {SYMLINK}\n"
    assert "credential" not in out + err


CODECS = ["hex", "base64", "rot13", "zlib", "uu", "bz2", "quopri", "punycode", "idna",
          "unicode_escape", "raw_unicode_escape", "undefined", "charmap", "utf-7", "latin-1",
          "mbcs", "gb-nonsense", "会议"]


@pytest.mark.parametrize("codec", CODECS)
def test_declared_encoding_that_is_not_a_text_encoding(tmp_path, capsys, good_docs, codec):
    seeds = _seeds(tmp_path)
    corrections = seeds / "000_good.corrections.yml"
    corrections.write_text(f"# declared by hand\nencoding: \"{codec}\"\n", encoding="utf-8")
    err = _refused(seeds, tmp_path, capsys, good_docs)
    assert err.startswith(f"error: {corrections}:2: encoding: {codec!a} is not a text encoding "
                          "the archive reads; use one of utf-8, ")


@pytest.mark.parametrize("codec", ["gbk", "GB18030", "utf8", "utf-8-sig", "cp936"])
def test_declared_text_encodings_still_read(tmp_path, codec):
    seeds, docs = _seeds(tmp_path), tmp_path / "docs"
    (seeds / GOOD_NAME).write_bytes(GOOD_TEXT.encode(codec))
    (seeds / "000_good.corrections.yml").write_text(f"encoding: {codec}\n", encoding="utf-8")
    assert main(["--seeds", str(seeds), "--docs", str(docs), "-q"]) == 0
    assert "要坚决扛起使命" in (docs / "documents/000_good-1.md").read_text(encoding="utf-8")


BIG5_LINE = "會議強調，要堅定不移推進改革，紮實做好各項工作。"
GBK_LINE = "会议指出，要坚决扛起建设国家战略腹地的重大使命。"
B, G = BIG5_LINE.encode("big5"), GBK_LINE.encode("gbk")
RARE_LINE = "会议指出，要推进成渝地区双城经济圈建设，做好大闸蟹产业工作。"
# The file is read in the encoding most of it is in; the error names the first line that
# encoding reads wrongly (the majority decides, so each case has a clear one).
MIXED = [
    ("one big5 line among gbk", b"\n".join([G, G, B, G]), 3),
    ("one gbk line among big5", b"\n".join([B, b"", B, G, B, B]), 4),
    ("a big5 line first", b"\n".join([B, G, G, G]), 1),
    ("utf-8 then gbk, CRLF", GBK_LINE.encode() + b"\r\n" + G + b"\r\n", 2),
    ("gb18030 with one big5 line", (GBK_LINE * 4).encode("gb18030") + b"\n" + B + b"\n" + G, 2),
    # Valid UTF-8 throughout, plausible as a whole and holding rare characters (渝 蟹), so
    # its lines are read one by one: the GBK line reads as the valid UTF-8 ǿʡǿʡ.
    ("gbk that is valid utf-8, in utf-8",
     b"\n".join([RARE_LINE.encode(), RARE_LINE.encode(), "强省强省".encode("gbk"),
                 RARE_LINE.encode()]), 3),
]


@pytest.mark.parametrize(("raw", "line"), [c[1:] for c in MIXED], ids=[c[0] for c in MIXED])
def test_mixed_encodings_are_refused_at_the_line(tmp_path, capsys, good_docs, raw, line):
    seeds = _seeds(tmp_path)
    (seeds / "mixed.txt").write_bytes(raw)
    err = _refused(seeds, tmp_path, capsys, good_docs)
    assert err.startswith(f"error: {seeds}/mixed.txt:{line}: mixed encodings: ")


def test_gbk_bytes_that_are_valid_utf8_read_as_gbk(tmp_path):
    # C7BF CAA1 is 强省 in GBK and the valid UTF-8 ǿʡ (Latin-extended and IPA letters).
    seeds, docs = _seeds(tmp_path), tmp_path / "docs"
    raw = "四川日报讯 2024年3月13日，会议召开，强省建设。\n".encode("gbk")
    (seeds / "gbk.txt").write_bytes(raw)
    assert raw.decode("utf-8", errors="ignore")  # parts are valid UTF-8
    assert "强省".encode("gbk").decode("utf-8") == "ǿʡ"
    assert main(["--seeds", str(seeds), "--docs", str(docs), "-q"]) == 0
    page = (docs / "documents/gbk-1.md").read_text(encoding="utf-8")
    assert "强省建设" in page and "ǿʡ" not in page


# (label, character, its description in the message)
FORBIDDEN = [
    ("right-to-left override", "\u202e", "bidirectional control U+202E"),
    ("left-to-right embedding", "\u202a", "bidirectional control U+202A"),
    ("first strong isolate", "\u2068", "bidirectional control U+2068"),
    ("right-to-left mark", "\u200f", "bidirectional control U+200F"),
    ("arabic letter mark", "\u061c", "bidirectional control U+061C"),
    ("next line", "\x85", "control character U+0085"),
    ("escape", "\x1b", "control character U+001B"),
    ("delete", "\x7f", "control character U+007F"),
]


@pytest.mark.parametrize(("char", "description"), [c[1:] for c in FORBIDDEN],
                         ids=[c[0] for c in FORBIDDEN])
def test_control_and_bidi_characters_in_a_seed(tmp_path, capsys, good_docs, char, description):
    seeds = _seeds(tmp_path)
    (seeds / "bidi.txt").write_text(f"会议召开。\r\n审议{char}通过。\n", encoding="utf-8")
    err = _refused(seeds, tmp_path, capsys, good_docs)
    assert err.startswith(f"error: {seeds}/bidi.txt:2:3: {description}: ")


def test_allowed_layout_characters_still_build(tmp_path):
    # Tab, form feed, CR, ideographic space and the zero-width joiner are text, not attacks.
    seeds, docs = _seeds(tmp_path), tmp_path / "docs"
    text = "四川日报讯 2024年3月13日，\t会议召开。\f\r\n\u3000\u3000会议指出，要坚决扛起使命。\n"
    (seeds / "layout.txt").write_text(text, encoding="utf-8")
    assert main(["--seeds", str(seeds), "--docs", str(docs), "-q"]) == 0


# Short phrases of the kind seeds hold (written for this test): each must read back exactly
# in its legacy encoding and in UTF-8, without a declaration; never as other characters.
SHORT_PHRASES = [
    "中文", "强省", "会议", "月日讯", "省委常委会", "听取工作汇报", "研究部署下一步工作",
    "会议强调，要狠抓落实。", "全面推进乡村振兴", "加快建设现代化产业体系", "切实保障和改善民生",
    "本报讯（记者 王明）", "第十四届人大常委会第八次会议", "要坚持稳中求进工作总基调",
    "审议通过《实施意见》", "区政府召开常务会议", "近日，县委召开专题会议", "优化营商环境",
]


@pytest.mark.parametrize("phrase", SHORT_PHRASES)
def test_short_text_reads_right_in_every_encoding(phrase):
    for text, encoding in ((phrase, "gbk"), (to_traditional(phrase), "big5"),
                           (phrase, "utf-8"), (to_traditional(phrase), "utf-8")):
        assert decode(text.encode(encoding), "x.txt")[0] == text, (text, encoding)


LEGACY_PIECES = [p.encode(c) for p in SHORT_PHRASES for c in ("gbk", "utf-8")] + [
    to_traditional(p).encode("big5") for p in SHORT_PHRASES]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.binary(max_size=40), st.sampled_from(LEGACY_PIECES),
                          st.sampled_from([b"\n", b"\r\n", b"\r", b" "])), max_size=12))
def test_any_bytes_decode_or_are_refused_with_a_seed_error(pieces):
    # No input ends in anything but text or one SeedError (never a traceback); and a
    # decoding, when there is one, is a strict decoding of the bytes in the encoding named.
    raw = b"".join(pieces)
    try:
        text, encoding = decode(raw, "x.txt")
    except SeedError as exc:
        assert str(exc).startswith("x.txt") and "\n" not in str(exc)
    else:
        assert text == raw.decode(encoding).removeprefix("\ufeff")  # a BOM is not text
