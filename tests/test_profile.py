"""The company-profile form saves every change, restores itself, and handles bad input without losing anything."""

import json

import pytest

from course.answers.store import AnswerStore
from course.profile import PROFILE_KEY, CompanyProfile, ProfileForm, frequency_text, load_profile, split_list


def fill(form):
    form.company.value = "株式会社みどり精機"
    form.industry.value = "製造業"
    form.employees.value = "３５"  # full-width digits, as a Japanese IME often types them
    form.sites.value = "本社（大田区）"
    form.telework.value = "some"
    form.cloud.value = "Microsoft 365、会計クラウド"
    form.contractors.value = "IT保守のA社\n給与計算のB社"
    form.personal_data.value = True


def test_every_change_is_saved_and_read_back(tmp_path):
    store = AnswerStore(tmp_path / "answers")
    form = ProfileForm(store)
    fill(form)
    saved = json.loads(store.path(PROFILE_KEY).read_text(encoding="utf-8"))
    assert saved["kind"] == "profile" and saved["data"]["company"] == "株式会社みどり精機"
    profile = load_profile(store)
    assert profile.employees == 35
    assert profile.cloud == ["Microsoft 365", "会計クラウド"]
    assert profile.contractors == ["IT保守のA社", "給与計算のB社"]
    assert profile.traits == {"telework": True, "cloud": True, "contractors": True}
    assert profile.traits_text == "テレワーク、クラウドサービス、外部委託先"
    assert profile.name == "株式会社みどり精機"


def test_form_restores_its_values_when_run_again(tmp_path):
    store = AnswerStore(tmp_path / "answers")
    fill(ProfileForm(store))
    again = ProfileForm(AnswerStore(tmp_path / "answers"))  # a new kernel: a new store object, the same folder
    assert again.company.value == "株式会社みどり精機"
    assert again.employees.value == "35"
    assert again.telework.value == "some"
    assert again.personal_data.value is True
    assert "IT保守のA社" in again.contractors.value
    assert "前回の回答" in again.status.value


def test_bad_employee_number_keeps_previous_value_and_says_why(tmp_path):
    store = AnswerStore(tmp_path / "answers")
    form = ProfileForm(store)
    form.employees.value = "35"
    form.employees.value = "三十五人"
    assert load_profile(store).employees == 35
    assert "整数" in form.messages.outputs[-1]["text"]


def test_corrupt_profile_is_set_aside_and_form_opens_empty(tmp_path):
    answers = tmp_path / "answers"
    answers.mkdir()
    (answers / "company_profile.json").write_text("{not json", encoding="utf-8")
    form = ProfileForm(AnswerStore(answers))
    assert form.company.value == ""
    assert "退避" in form.messages.outputs[-1]["text"]
    aside = list(answers.glob("company_profile.json.unreadable-*"))
    assert len(aside) == 1 and aside[0].read_text(encoding="utf-8") == "{not json"


def test_empty_profile_defaults():
    p = CompanyProfile()
    assert p.name == "当社" and p.traits == {"telework": False, "cloud": False, "contractors": False}
    assert p.traits_text == "なし"


def test_tolerant_loading_of_wrong_types():
    p = CompanyProfile.from_dict({"company": 3, "employees": "many", "cloud": "M365", "telework": "sometimes",
                                  "unknown": 1})
    assert p == CompanyProfile()


def test_split_list_accepts_japanese_separators():
    assert split_list("A社、B社，C社, D社;E社\n\n") == ["A社", "B社", "C社", "D社", "E社"]


# -- role table and calendar (issue #16) -------------------------------------------------------------------------------

def test_a_profile_saved_before_the_role_table_loads_with_the_defaults(tmp_path):
    old = {"company": "株式会社みどり精機", "employees": 35, "telework": "some", "it_staff": "総務課の佐藤（兼任）"}
    store = AnswerStore(tmp_path / "answers")
    store.save(PROFILE_KEY, "profile", old)
    p = load_profile(store)
    assert p.role("ciso").name == "情報セキュリティ責任者" and p.role("ciso").holder == "総務部長"
    assert p.role("it").holder == "総務課の佐藤（兼任）", "the older it_staff field holds the IT role"
    assert p.placeholders()["cal.review"] == "年1回（4月）" and p.placeholders()["cal.account_review"] == "毎月末"
    assert p.to_dict() == {**CompanyProfile().to_dict(), **old}, "nothing new is stored while the defaults hold"


def test_roles_and_calendar_are_stored_as_changes_and_bad_values_fall_back():
    p = CompanyProfile.from_dict({
        "roles": {"ciso": {"name": " 情報管理責任者 ", "holder": "専務取締役"}, "manager": {"name": ""}, "nobody": {"name": "x"},
                  "it": "not a table"},
        "calendar": {"access_review": {"every": "half", "month": 4}, "review_month": 13, "approval_days": True,
                     "account_review": {"every": "daily", "month": 1}}})
    assert p.roles == {"ciso": {"name": "情報管理責任者", "holder": "専務取締役"}}
    assert p.calendar == {"access_review": {"every": "half", "month": 4}}
    values = p.placeholders()
    assert values["role.ciso"] == "情報管理責任者" and values["role.manager"] == "所属長"
    assert values["cal.access_review"] == "半年ごと（4月・10月）" and values["cal.review"] == "年1回（4月）"
    assert values["cal.approval"] == "3営業日以内" and values["cal.request_lead"] == "5営業日前"
    assert CompanyProfile.from_dict(p.to_dict()) == p


@pytest.mark.parametrize("every, month, text", [("month", 4, "毎月末"), ("year", 5, "毎年5月"),
                                                ("half", 10, "半年ごと（10月・4月）"),
                                                ("quarter", 11, "四半期ごと（11月・2月・5月・8月）")])
def test_frequency_text(every, month, text):
    assert frequency_text({"every": every, "month": month}) == text


def test_the_form_shows_and_saves_roles_and_calendar(tmp_path):
    store = AnswerStore(tmp_path / "answers")
    form = ProfileForm(store)
    assert form.role_holders["ciso"].placeholder == "例：総務部長" and form.role_names["ciso"].placeholder == "情報セキュリティ責任者"
    assert form.review_month.value == 4 and form.days["request_lead_days"].value == 5
    assert not store.path(PROFILE_KEY).exists(), "showing the defaults saves nothing"
    form.role_holders["ceo"].value = "代表取締役 山田"
    form.role_names["it"].value = "システム担当者"
    form.frequencies["access_review"][0].value = "half"
    form.days["approval_days"].value = 2
    saved = load_profile(store)
    assert saved.roles == {"ceo": {"holder": "代表取締役 山田"}, "it": {"name": "システム担当者"}}
    assert saved.calendar == {"access_review": {"every": "half", "month": 5}, "approval_days": 2}
    again = ProfileForm(AnswerStore(tmp_path / "answers"))
    assert again.role_holders["ceo"].value == "代表取締役 山田" and again.frequencies["access_review"][0].value == "half"
    assert again.days["approval_days"].value == 2 and again.role_names["ciso"].value == ""
