"""Permanent ids: a published URL keeps showing the same text, or the build stops."""

from __future__ import annotations

import dataclasses
import json

import pytest

from policy_archive.cli import main
from policy_archive.registry import (
    Entry,
    RegistryError,
    assign_ids,
    extend,
    load,
    redirects,
    registry_json,
)
from policy_archive.site_contract import PERMANENT_IDS
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def registry(built) -> list[Entry]:
    return extend([], built.documents)


def test_every_document_is_registered_once_in_id_order(built, registry):
    assert [e.id for e in registry] == sorted(d.id for d in built.documents)
    assert [e.added for e in registry] == list(range(1, len(built.documents) + 1))


def test_a_rebuild_keeps_the_registry_byte_identical(built, registry):
    assert registry_json(extend(registry, built.documents)) == registry_json(registry)


def test_a_new_document_is_added_after_the_published_ones(built, registry):
    older = [e for e in registry if e.id != built.documents[0].id]
    grown = extend(older, built.documents)
    assert grown[-1].id == built.documents[0].id
    assert grown[-1].added == max(e.added for e in older) + 1


def test_a_fix_or_a_moved_first_line_keeps_the_id(built, registry):
    doc = built.documents[1]
    moved = dataclasses.replace(doc, lines=(doc.lines[0] - 2, doc.lines[1]),
                                paragraphs=[*doc.paragraphs, "补"])
    assert extend(registry, [moved if d is doc else d for d in built.documents])


def test_an_id_renumbered_onto_other_lines_stops_the_build(built, registry):
    doc = built.documents[1]
    span = doc.lines[1] - doc.lines[0]
    other = dataclasses.replace(doc, lines=(doc.lines[1] + 1, doc.lines[1] + 1 + span))
    with pytest.raises(RegistryError, match=f"documents/{doc.id}/ was published for lines"):
        extend(registry, [other if d is doc else d for d in built.documents])


def test_an_id_from_another_seed_text_stops_the_build(built, registry):
    doc = built.documents[0]
    replaced = dataclasses.replace(doc, seed_sha256="0" * 64)
    with pytest.raises(RegistryError, match="another text"):
        extend(registry, [replaced, *built.documents[1:]])


def test_a_vanished_id_stops_the_build_unless_redirected(built, registry):
    gone, *rest = built.documents
    with pytest.raises(RegistryError, match=f"documents/{gone.id}/ was published and"):
        extend(registry, rest)
    target = rest[0].id
    recorded = [dataclasses.replace(e, redirect=target, reason="并入下一篇")
                if e.id == gone.id else e for e in registry]
    after = extend(recorded, rest)
    assert redirects(after) == {gone.id: target}
    assert gone.id in {e.id for e in after}  # never dropped


def test_a_redirect_must_name_a_document(built, registry):
    gone, *rest = built.documents
    recorded = [dataclasses.replace(e, redirect="nowhere-1", reason="x")
                if e.id == gone.id else e for e in registry]
    with pytest.raises(RegistryError, match="not a document"):
        extend(recorded, rest)


def test_the_build_reads_and_extends_the_registry_in_docs(tmp_path, capsys):
    docs = tmp_path / "docs"
    assert main(["--seeds", str(SEEDS), "--docs", str(docs), "-q"]) == 0
    path = docs / PERMANENT_IDS
    data = json.loads(path.read_text(encoding="utf-8"))
    first = data["documents"][0]
    first["seed_sha256"] = "f" * 64  # as if this id had been published for another seed text
    path.write_text(json.dumps(data), encoding="utf-8")
    assert main(["--seeds", str(SEEDS), "--docs", str(docs), "-q"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: docs/{PERMANENT_IDS}: documents/{first['id']}/"), err
    assert err.count("\n") == 1
    assert load(docs)[0].seed_sha256 == "f" * 64  # docs/ left as it was


def test_a_damaged_registry_is_one_line_naming_the_file(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / PERMANENT_IDS).write_text('{"documents": [{"id": "../x"}]}', encoding="utf-8")
    with pytest.raises(RegistryError, match=f"{PERMANENT_IDS}: not a registry"):
        load(tmp_path)


def test_an_inserted_article_leaves_the_published_ids_on_their_texts(built, registry):
    # A split correction cuts the second half of article 1 off as a new article 2: the
    # articles after it move one position down, their ids do not.
    stem = "003_965f9f73789f87fc"
    before = [d for d in built.documents if d.id.startswith(stem)]
    first, *rest = before
    middle = (first.lines[0] + first.lines[1]) // 2
    after = [dataclasses.replace(first, lines=(first.lines[0], middle)),
             dataclasses.replace(first, id=f"{stem}-2", article=2,
                                 lines=(middle + 1, first.lines[1]))]
    after += [dataclasses.replace(d, id=f"{stem}-{d.article + 1}", article=d.article + 1)
              for d in rest]
    assign_ids(after, registry)
    assert [d.id for d in after] == [first.id, f"{stem}-{len(before) + 2}",
                                     *(d.id for d in rest)]
    others = [d for d in built.documents if not d.id.startswith(stem)]
    grown = extend(registry, [*others, *after])
    assert grown[-1].id == f"{stem}-{len(before) + 2}"
    assert {e.id for e in registry} < {e.id for e in grown}
