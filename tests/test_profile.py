"""The company-profile form saves every change, restores itself, and handles bad input without losing anything."""

import json

from course.answers.store import AnswerStore
from course.profile import PROFILE_KEY, CompanyProfile, ProfileForm, load_profile, split_list


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
