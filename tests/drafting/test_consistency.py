"""The consistency check over all drafts: the models agree for every profile; a planted contradiction is found and
named in Japanese with its controls and sentences; `course check-consistency DIR` over records and Markdown."""

import json
from dataclasses import replace

import pytest

from course.answers.store import AnswerStore
from course.catalog import catalog
from course.cli import main
from course.drafting.consistency import Frequency, check_drafts, frequency
from course.drafting.drafts import save_draft
from course.drafting.fit import model_draft
from course.drafting.markdown import draft_to_markdown
from course.profile import CompanyProfile, save_profile

PROFILES = {
    "plain": CompanyProfile(),
    "everything": CompanyProfile(company="株式会社みどり精機", telework="all", cloud=["Microsoft 365"],
                                 contractors=["IT保守のA社"], personal_data=True),
    "renamed": CompanyProfile.from_dict({
        "company": "有限会社あおば", "telework": "some", "cloud": ["会計クラウド"], "contractors": ["B社"],
        "it_staff": "業務課の田中",
        "roles": {"ciso": {"name": "情報管理責任者", "holder": "専務取締役"}, "it": {"name": "システム担当者"},
                  "manager": {"name": "上長"}},
        "calendar": {"review_month": 10, "access_review": {"every": "half", "month": 4},
                     "account_review": {"every": "quarter", "month": 6}, "request_lead_days": 3, "approval_days": 2}}),
    "one_person": CompanyProfile.from_dict({  # a company of 20: the president holds most roles
        "company": "株式会社こだま", "it_staff": "社長",
        "roles": {key: {"holder": "社長"} for key in ("ciso", "admin_head", "privacy", "dept_head", "manager")},
        "calendar": {"access_review": {"every": "year", "month": 4}, "account_review": {"every": "month", "month": 1}}}),
}


def models(profile):
    return {n: model_draft(n, profile) for n in catalog()}


@pytest.mark.parametrize("name", PROFILES)
def test_the_models_alone_agree_for_every_profile(name):
    report = check_drafts(models(PROFILES[name]).values(), PROFILES[name])
    assert report.ok, [f.message for f in report.findings]
    assert len(report.controls) == len(catalog()) and "食い違いは見つかりませんでした" in report.summary()


def edit_step(draft, index, **fields):
    steps = list(draft.steps)
    steps[index] = replace(steps[index], **fields)
    return replace(draft, steps=steps)


def edit_statement(draft, old, new):
    hits = [s for s in draft.statements if old in s]
    assert len(hits) == 1, (draft.control, old)
    return replace(draft, statements=[s.replace(old, new) for s in draft.statements])


def step_index(draft, text):
    return next(i for i, s in enumerate(draft.steps) if text in s.what)


# Each contradiction of issue #16, planted into the fitted models of the plain company.
PLANTED = {
    "access approver": ("5.18", lambda d: edit_step(d, step_index(d, "承認又は差し戻す"), who="IT担当者"),
                        "approver", "アカウント・アクセス権の承認", {"5.15", "5.18"}),
    "access review month": ("5.18", lambda d: edit_step(d, step_index(d, "部下の権限を確認"), when="毎年10月"),
                            "frequency", "アクセス権の見直し", {"5.15", "5.18"}),
    "ID request lead": ("5.16", lambda d: edit_step(d, 0, when="入社日・異動日の3営業日前まで"),
                        "period", "アカウント・アクセス権の申請の期限", {"5.15", "5.16"}),
    "software approver": ("5.32", lambda d: edit_statement(d, "情報セキュリティ責任者の許可", "IT担当者の許可"),
                          "approver", "ソフトウェアの利用の承認", {"5.10", "5.32"}),
    "account review": ("6.5", lambda d: edit_step(d, step_index(d, "従業員名簿と突き合わせ"), when="毎年4月"),
                       "frequency", "アカウントの棚卸し（名簿との照合）", {"5.16", "6.5"}),
    "approval deadline": ("5.15", lambda d: edit_step(d, step_index(d, "範囲かを確かめて承認"), when="申請を受けてから2営業日以内"),
                          "period", "アカウント・アクセス権の承認の期限", {"5.15", "5.18"}),
    "unknown role": ("5.15", lambda d: edit_statement(d, "情報セキュリティ責任者が承認", "システム管理者が承認"),
                     "unknown_role", "システム管理者", {"5.15"}),
}


@pytest.mark.parametrize("case", PLANTED)
def test_a_planted_contradiction_is_found_and_named(case):
    number, plant, kind, subject, controls = PLANTED[case]
    drafts = models(CompanyProfile())
    drafts[number] = plant(drafts[number])
    report = check_drafts(drafts.values())
    found = [f for f in report.findings if f.kind == kind and f.subject == subject]
    assert len(found) == 1, [f.message for f in report.findings]
    finding = found[0]
    assert {u.control for _, u in finding.places} >= controls
    assert all(f"{n} " in finding.message for n in controls)  # 「5.15 実施手順2「…」では…」
    assert "「" in finding.message and finding.message.endswith("。")
    if kind != "unknown_role":  # an unknown approver is also a different approver
        assert len(report.findings) == 1 and "1 件の食い違い" in report.summary()


def test_two_roles_held_by_one_person_are_not_a_contradiction():
    profile = CompanyProfile()  # 情報セキュリティ責任者 is held by the 総務部長 in the defaults
    drafts = models(profile)
    drafts["5.18"] = edit_statement(drafts["5.18"], "情報セキュリティ責任者の承認", "総務部長の承認")
    assert check_drafts(drafts.values(), profile).ok
    other = CompanyProfile.from_dict({"roles": {"ciso": {"holder": "取締役"}}})
    report = check_drafts(drafts.values(), other)
    assert [f.subject for f in report.findings] == ["アカウント・アクセス権の承認"]


def test_a_lower_bound_agrees_with_a_more_frequent_review():
    drafts = models(CompanyProfile())
    drafts["5.16"] = edit_statement(drafts["5.16"], "毎月末、", "少なくとも年1回、")
    assert check_drafts(drafts.values()).ok


def test_a_role_renamed_in_the_profile_must_be_written_that_way():
    profile = PROFILES["renamed"]
    drafts = models(profile)
    drafts["5.23"] = model_draft("5.23")  # still says 情報セキュリティ責任者 and IT担当者
    report = check_drafts(drafts.values(), profile)
    assert {f.subject for f in report.findings if f.kind == "unknown_role"} == {"情報セキュリティ責任者", "IT担当者"}
    assert all("00_start の役割表" in f.message for f in report.findings if f.kind == "unknown_role")


@pytest.mark.parametrize("text, expected", [
    ("毎月末", Frequency("month")), ("毎年10月", Frequency("year", (10,))), ("年1回（4月）及び組織変更時", Frequency("year", (4,))),
    ("半年ごと（4月・10月）", Frequency("half", (4, 10))), ("四半期ごと", Frequency("quarter")),
    ("少なくとも年１回", Frequency("year", (), True)), ("年に1回以上", Frequency("year", (), True)),
    ("申請を受けたとき", None),
])
def test_frequencies_are_read_from_japanese(text, expected):
    assert frequency(text) == expected


def test_different_months_of_a_yearly_review_disagree_but_one_without_month_agrees():
    assert not Frequency("year", (4,)).agrees(Frequency("year", (10,)))
    assert Frequency("year", ()).agrees(Frequency("year", (10,)))
    assert not Frequency("month").agrees(Frequency("year", (4,)))
    assert Frequency("year", (), True).agrees(Frequency("month")) and Frequency("month").agrees(Frequency("year", (), True))
    assert not Frequency("month", (), True).agrees(Frequency("year", (4,)))


# -- the command ---------------------------------------------------------------------------------------------------

def run(capsys, *argv):
    code = main(list(map(str, argv)))
    out, err = capsys.readouterr()
    return code, out, err


def test_command_over_answer_records_with_the_profile(tmp_path, capsys):
    store = AnswerStore(tmp_path / "answers")
    profile = PROFILES["renamed"]
    save_profile(profile, store)
    for number in ("5.15", "5.16", "5.18", "6.5"):
        save_draft(model_draft(number, profile), store)
    code, out, err = run(capsys, "check-consistency", store.root)
    assert code == 0 and "4 件の管理策" in out and "食い違いは見つかりませんでした" in out, err


def test_command_over_markdown_drafts_prints_json_and_exits_1(tmp_path, capsys):
    drafts = models(CompanyProfile())
    drafts["5.18"] = PLANTED["access review month"][1](drafts["5.18"])
    for number in ("5.15", "5.18"):
        (tmp_path / f"{number}.md").write_text(draft_to_markdown(drafts[number]), encoding="utf-8")
    (tmp_path / "notes.md").write_text("関係のないメモ", encoding="utf-8")
    code, out, err = run(capsys, "check-consistency", tmp_path, "--json")
    result = json.loads(out)
    assert code == 1 and result["ok"] is False and result["controls"] == ["5.15", "5.18"]
    assert [f["kind"] for f in result["findings"]] == ["frequency"]
    assert {p["control"] for p in result["findings"][0]["places"]} == {"5.15", "5.18"}
    assert "毎年10月" in result["findings"][0]["message"]


def test_command_refuses_a_missing_folder_and_two_files_of_one_control(tmp_path, capsys):
    code, out, err = run(capsys, "check-consistency", tmp_path / "none")
    assert code == 1 and "見つかりません" in err
    (tmp_path / "6.6.md").write_text(draft_to_markdown(model_draft("6.6")), encoding="utf-8")
    (tmp_path / "6.6.json").write_text(json.dumps(model_draft("6.6").to_dict(), ensure_ascii=False), encoding="utf-8")
    code, out, err = run(capsys, "check-consistency", tmp_path)
    assert code == 1 and "二つあります" in err
