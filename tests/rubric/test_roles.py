"""The company's own role names (profile role table) count as the roles they are, and only as those (issue #12)."""

import importlib.util

import pytest

from course.answers.draft import Draft
from course.profile import CompanyProfile, role_specs
from course.rubric.concepts import Text, concept_matcher, lexicon, role_concepts, role_word, role_words
from course.rubric.score import company_roles, score_draft
from fixtures import ROOT

_spec = importlib.util.spec_from_file_location("rubric_agreement", ROOT / "bench" / "rubric_agreement.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def company(**names):
    return CompanyProfile(roles={key: {"name": name} for key, name in names.items()})


def draft(control, *statements):
    return Draft(control, statements=list(statements))


def test_every_role_of_the_profile_is_mapped_to_concepts_of_the_lexicon():
    table, _ = role_concepts()
    concepts, _ = lexicon()
    assert set(table) == {s.key for s in role_specs()}
    assert all(name in concepts for names in table.values() for name in names)
    assert table["ceo"] == ("top_management",) and table["ciso"] == ("security_officer",)
    assert table["it"] == ("it_staff",)


@pytest.mark.parametrize("spec", role_specs(), ids=lambda s: s.key)
def test_a_default_role_name_already_belongs_to_the_concepts_of_its_role(spec):
    """So a profile that keeps the defaults understands nothing new, and a renamed role keeps its meaning."""
    for name in role_concepts()[0][spec.key]:
        assert concept_matcher(name).search(Text.of(spec.name)), (spec.key, name)


@pytest.mark.parametrize("control, element, profile, sentence", [
    ("5.35", "report_to_top", company(ceo="オーナー"), "改善の結果は、毎年4月にオーナーに報告しなければならない。"),
    ("5.25", "escalation", company(ceo="大将"), "重大な事故は、直ちに大将に報告しなければならない。"),
    ("5.2", "security_officer", company(ciso="IT委員長"), "当社は、IT委員長を1名任命しなければならない。"),
    ("5.2", "security_officer", company(ciso="守り番"), "当社は、守り番を1名置かなければならない。"),
    ("5.36", "department_check", company(dept_head="グループ長"),
     "グループ長は、毎月、自分のグループで規程が守られているかを点検しなければならない。"),
    ("5.36", "department_check", CompanyProfile(roles={"manager": {"name": "班長"}}),
     "班長は、毎月、自分の班で規程が守られているかを点検しなければならない。"),
])
def test_the_companys_own_role_name_covers_the_element_only_with_the_profile(control, element, profile, sentence):
    assert element not in score_draft(draft(control, sentence)).covered
    assert element in score_draft(draft(control, sentence), profile=profile).covered


def test_a_holder_counts_when_it_is_a_title_not_a_person():
    sentence = "当社は、管理本部長を情報の守りの統括として置かなければならない。"
    title = CompanyProfile(roles={"ciso": {"name": "IT委員長", "holder": "管理本部長"}})
    person = CompanyProfile(roles={"ciso": {"name": "IT委員長", "holder": "佐藤一郎"}})
    assert "security_officer" in score_draft(draft("5.2", sentence), profile=title).covered
    for holder in ("佐藤一郎", "佐藤", "田中さん", "総務課の鈴木（兼任）", "鈴木部長"):
        assert role_word(holder, person_check=True) is None, holder
    assert role_word("総務課の担当者（兼任）", person_check=True) == role_word("総務課の担当者")
    assert "security_officer" not in score_draft(draft("5.2", "当社は、佐藤一郎を置かなければならない。"),
                                                 profile=person).covered


ORDINARY = ["担当", "担当者", "責任者", "管理者", "スタッフ", "社員", "長", "係", "部署", "リーダー"]


@pytest.mark.parametrize("word", ORDINARY)
def test_an_ordinary_word_is_not_taken_as_a_role_name(word):
    assert role_word(word) is None
    profile = CompanyProfile(it_staff=word, roles={spec.key: {"name": word, "holder": word} for spec in role_specs()})
    assert role_words(company_roles(profile)) == ()


def test_an_ordinary_role_name_makes_no_unrelated_sentence_cover_an_element():
    profile = CompanyProfile(roles={"ceo": {"name": "担当"}, "ciso": {"name": "担当"}, "it": {"name": "担当者"},
                                    "dept_head": {"name": "責任者"}, "manager": {"name": "担当"}})
    sentences = {
        ("5.2", "security_officer"): "当社は、担当を1名決めなければならない。",
        ("5.25", "escalation"): "重大な事故は、直ちに担当に報告しなければならない。",
        ("5.36", "department_check"): "担当者は、毎月、規程が守られているかを点検しなければならない。",
    }
    for (control, element), sentence in sentences.items():
        assert element not in score_draft(draft(control, sentence), profile=profile).covered, sentence


def test_ordinary_role_names_change_no_score_of_the_corpus():
    profile = CompanyProfile(it_staff="担当者", roles={spec.key: {"name": word, "holder": word}
                                                      for spec, word in zip(role_specs(), ORDINARY)})
    for split in bench.SPLITS:
        for control, case in bench.load(split):
            d = Draft.from_dict({**case["draft"], "control": control})
            assert score_draft(d, profile=profile).to_dict() == score_draft(d).to_dict(), case["id"]


def test_the_default_profile_changes_no_score_of_the_corpus():
    for split in bench.SPLITS:
        for control, case in bench.load(split):
            d = Draft.from_dict({**case["draft"], "control": control})
            assert score_draft(d, profile=CompanyProfile()).to_dict() == score_draft(d).to_dict(), case["id"]


def test_a_renamed_role_widens_only_its_own_concepts():
    profile = company(ceo="オーナー", ciso="IT委員長")
    words = dict(role_words(company_roles(profile)))
    assert "|IT|委員|長|" in words["security_officer"] and "|IT|委員|長|" not in words.get("top_management", ())
    sentence = "当社は、IT委員長に報告しなければならない。"
    assert "escalation" not in score_draft(draft("5.25", sentence), profile=profile).covered


def test_role_words_are_built_once_per_role_table():
    roles = company_roles(company(ceo="オーナー"))
    assert role_words(roles) is role_words(tuple(roles))
    assert company_roles(None) == () and role_words(()) == ()
