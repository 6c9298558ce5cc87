"""People: names with their roles as printed, and no junk names from the seeds."""

from __future__ import annotations

from policy_archive.extract.people import find_people, person_slug


def test_title_before_name():
    assert find_people("省委书记王晓晖主持会议并讲话。") == [{"name": "王晓晖", "role": "省委书记"}]
    assert find_people("区委书记张智奎主持会议") == [{"name": "张智奎", "role": "区委书记"}]


def test_joined_titles_are_one_role_and_the_place_is_dropped():
    assert find_people("永川区委副书记、区长常晓勇主持召开会议") == [
        {"name": "常晓勇", "role": "区委副书记、区长"}
    ]


def test_list_of_names_after_a_list_role():
    found = find_people("区政府领导宋文、王寒峰、宋朝均、徐秀霞、李世红、漆远英、甘宇参加会议")
    assert [p["name"] for p in found] == ["宋文", "王寒峰", "宋朝均", "徐秀霞", "李世红", "漆远英", "甘宇"]
    assert {p["role"] for p in found} == {"区政府领导"}


def test_no_name_without_a_title_and_no_verb_as_a_name():
    assert find_people("区委常委出席。有关区领导列席。") == []
    assert find_people("习近平总书记在全国两会期间发表重要讲话") == []
    assert find_people("常晓勇出席") == []


SEED_PEOPLE = {
    "000_f73564b879444066-1": [("王晓晖", "省委书记")],
    "000_f73564b879444066-2": [("王晓晖", "省委书记")],
    "000_f73564b879444066-3": [],
    "001_57913b3c0947ebcd-1": [("王晓晖", "省委书记")],
    "002_9ab9940bbe7d05f2-1": [("王晓晖", "省委书记")],
    "003_965f9f73789f87fc-1": [("常晓勇", "区委副书记、区长")] + [
        (n, "区政府领导") for n in ["宋文", "王寒峰", "宋朝均", "徐秀霞", "李世红", "漆远英", "甘宇"]
    ],
    "003_965f9f73789f87fc-2": [("张智奎", "区委书记"), ("常晓勇", "区委副书记、区长"),
                               ("蔡焘", "区委副书记")],
    "003_965f9f73789f87fc-3": [("张智奎", "区委书记、区委外事工作委员会主任"),
                               ("常晓勇", "区委副书记、区长"), ("蔡焘", "区委副书记")],
    "004_f562871e1ea2871e-1": [("王晓晖", "省委书记")],
    "004_f562871e1ea2871e-2": [],
}


def test_seed_people_exactly(built):
    for doc in built.documents:
        got = [(p.name, p.role) for p in doc.people]
        assert got == SEED_PEOPLE[doc.id], doc.id


def test_person_slug_is_stable_ascii():
    assert person_slug("王晓晖") == person_slug("王晓晖")
    assert person_slug("王晓晖").isascii()
    assert person_slug("王晓晖") != person_slug("王晓辉")
