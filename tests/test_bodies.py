"""Bodies: canonical names resolved from short forms by the document's jurisdiction."""

from __future__ import annotations

from policy_archive.extract.bodies import (
    bodies,
    body_roles,
    document_bodies,
    document_jurisdiction,
    find_mentions,
)


def names(mentions):
    return [m.body.name for m in mentions]


def test_short_form_resolves_by_the_documents_place():
    assert names(find_mentions("省委常委会召开会议", "四川省")) == ["中共四川省委常委会"]
    assert names(find_mentions("区委常委会召开会议", "重庆市永川区")) == ["中共重庆市永川区委常委会"]
    # 区委常委会 means nothing definite in a Sichuan report: no guess, the name as printed.
    [unplaced] = find_mentions("区委常委会召开会议", "四川省")
    assert (unplaced.name, unplaced.slug) == ("区委常委会", None)


def test_parent_place_short_forms_resolve_from_a_district():
    # 市委 in a Yongchuan report is Chongqing's.
    assert names(find_mentions("落实市委六届五次全会部署", "重庆市永川区")) == ["中国共产党重庆市委员会"]


def test_titles_are_not_bodies():
    assert find_mentions("省委书记王晓晖主持会议", "四川省") == []
    assert find_mentions("区政府领导宋文参加会议", "重庆市永川区") == []


def test_jurisdiction_from_outlet_and_text():
    assert document_jurisdiction("渝西都市报", "") == "重庆市永川区"
    assert document_jurisdiction("四川日报", "重庆") == "四川省"
    assert document_jurisdiction(None, "深入学习习近平总书记来川视察……四川……") == "四川省"
    assert document_jurisdiction(None, "没有地名") is None


def test_roles_held_issued_presided():
    held = body_roles(["永川区政府召开第58次常务会议"], "重庆市永川区")
    assert [(m.body.name, r) for m, r, _ in held] == [("重庆市永川区人民政府", "held")]
    issued = body_roles(["中共四川省委关于深入学习贯彻党的二十大精神的决定"], "四川省")
    assert [(m.body.name, r) for m, r, _ in issued] == [("中国共产党四川省委员会", "issued")]
    presided = body_roles(["全会由省委常委会主持。"], "四川省")
    assert [(m.body.name, r) for m, r, _ in presided] == [("中共四川省委常委会", "presided")]


def test_document_bodies_is_each_body_once_per_role():
    found = document_bodies("省委常委会召开会议", None, None,
                            ["3月13日，省委常委会召开会议。省委书记王晓晖主持会议。"], "四川省")
    assert found == [{"name": "中共四川省委常委会", "slug": "sc-party-standing-committee",
                      "role": "held", "printed": "省委常委会", "surface": "省委常委会召开会议"}]


SEED_BODIES = {
    "000_f73564b879444066-1": [("中共四川省委常委会", "held")],
    "000_f73564b879444066-2": [("中共四川省委常委会", "held")],
    "000_f73564b879444066-3": [("四川省卫生健康委员会", "issued"), ("重庆市卫生健康委员会", "issued")],
    "001_57913b3c0947ebcd-1": [("中共四川省委常委会", "held")],
    "002_9ab9940bbe7d05f2-1": [("中共四川省委常委会", "held")],
    "003_965f9f73789f87fc-1": [("重庆市永川区人民政府", "held")],
    "003_965f9f73789f87fc-2": [("中共重庆市永川区委常委会", "held")],
    "003_965f9f73789f87fc-3": [("中共重庆市永川区委外事工作委员会", "held")],
    "004_f562871e1ea2871e-1": [("中国共产党四川省委员会", "held"), ("中共四川省委常委会", "presided")],
    "004_f562871e1ea2871e-2": [("中国共产党四川省委员会", "issued")],
}


def test_seed_bodies(built):
    for doc in built.documents:
        got = [(b.name, b.role) for b in doc.bodies]
        assert got == SEED_BODIES[doc.id], doc.id
    places = {d.id: d.jurisdiction for d in built.documents}
    assert {p for i, p in places.items() if i.startswith("003")} == {"重庆市永川区"}
    assert {p for i, p in places.items() if not i.startswith("003")} == {"四川省"}


def test_lexicon_is_well_formed():
    slugs = {b.slug for b in bodies()}
    for body in bodies():
        assert body.level in {"national", "province", "city", "district"}
        assert body.english and body.name in body.aliases
        assert body.parent is None or body.parent in slugs
