"""The model answer fitted to the company: its name, and clauses only for companies with that trait."""

import re
from dataclasses import replace

import pytest

from course.catalog import ModelAnswer, ProfileClause, Step, catalog, get_control
from course.drafting.fit import NoModelError, has_model, merge_into, model_draft
from course.answers.draft import Draft, DraftStep
from course.profile import CompanyProfile

MODEL = ModelAnswer(
    purpose="{company}の秘密を守る。",
    scope="{company}の全員",
    statements=("{company}は誓約書を取らなければならない。", "書面を保管しなければならない。"),
    owner="総務部長",
    review="年1回",
    related=("{company}就業規則",),
    steps=(Step("総務", "{company}の誓約書を回収する", "入社日", "誓約書"),),
    profile_clauses=(
        ProfileClause("telework", "在宅勤務者は{company}の情報を家族に見せてはならない。",
                      Step("上長", "在宅の環境を確かめる", "開始前", "確認票")),
        ProfileClause("cloud", "クラウドの規約を確かめなければならない。"),
        ProfileClause("contractors", "委託先と契約を結ばなければならない。", Step("部門長", "契約する", "開始前", "契約書")),
    ),
)


@pytest.fixture
def control():
    return replace(get_control("6.6"), model=MODEL)


def test_company_name_replaces_the_placeholder(control):
    draft = model_draft(control, CompanyProfile(company="株式会社𠮷田髙﨑"))
    text = repr(draft)
    assert "{company}" not in text
    assert draft.purpose == "株式会社𠮷田髙﨑の秘密を守る。"
    assert draft.related == ["株式会社𠮷田髙﨑就業規則"]
    assert draft.steps[0].what == "株式会社𠮷田髙﨑の誓約書を回収する"


def test_default_profile_is_a_plain_company_called_tosha(control):
    draft = model_draft(control)
    assert draft.statements == ["当社は誓約書を取らなければならない。", "書面を保管しなければならない。"]
    assert len(draft.steps) == 1


@pytest.mark.parametrize("profile, extra_statements, extra_steps", [
    (CompanyProfile(telework="some"), ["在宅勤務者は当社の情報を家族に見せてはならない。"], ["上長"]),
    (CompanyProfile(cloud=["Microsoft 365"]), ["クラウドの規約を確かめなければならない。"], []),
    (CompanyProfile(contractors=["A社"]), ["委託先と契約を結ばなければならない。"], ["部門長"]),
    (CompanyProfile(telework="all", cloud=["x"], contractors=["y"]),
     ["在宅勤務者は当社の情報を家族に見せてはならない。", "クラウドの規約を確かめなければならない。",
      "委託先と契約を結ばなければならない。"], ["上長", "部門長"]),
])
def test_profile_clauses_only_for_companies_with_the_trait(control, profile, extra_statements, extra_steps):
    draft = model_draft(control, profile)
    assert draft.statements[2:] == extra_statements
    assert [s.who for s in draft.steps[1:]] == extra_steps


def test_braces_in_a_company_name_are_taken_literally(control):
    assert model_draft(control, CompanyProfile(company="{company}{0}社")).scope == "{company}{0}社の全員"


def test_control_without_a_model_is_refused_with_a_message(control):
    bare = replace(control, model=None)
    assert not has_model(bare)
    with pytest.raises(NoModelError, match="模範文例はまだ用意されていません"):
        model_draft(bare)


def test_catalog_models_fit_without_leftover_placeholders():
    with_models = [c for c in catalog().values() if c.model is not None]
    if not with_models:
        pytest.skip("no control in the catalog has a model answer yet")
    everything = CompanyProfile(company="みどり精機", telework="all", cloud=["x"], contractors=["y"])
    for c in with_models:
        draft = model_draft(c, everything)
        assert "{company}" not in repr(draft), c.number
        assert draft.control == c.number and draft.statements and draft.steps
        assert len(draft.statements) == len(c.model.statements) + len(c.model.profile_clauses)


def test_merge_keeps_what_the_learner_wrote_and_adds_the_rest(control):
    model = model_draft(control)
    mine = Draft("6.6", purpose="自分の目的", statements=["自分の条文", "", model.statements[1]],
                 steps=[DraftStep("自分", "作業", "いつ", "記録"), DraftStep()])
    merged = merge_into(mine, model)
    assert merged.purpose == "自分の目的"
    assert merged.scope == model.scope and merged.owner == model.owner
    assert merged.statements == ["自分の条文", model.statements[1], model.statements[0]]
    assert merged.steps == [DraftStep("自分", "作業", "いつ", "記録"), *model.steps]
    assert merge_into(merged, model) == merged  # inserting twice adds nothing more


def test_roles_and_calendar_of_the_profile_fill_the_placeholders(control):
    model = replace(MODEL, statements=("{role.ciso}は、{cal.access_review}、権限を見直さなければならない。",),
                    steps=(Step("{role.it}", "{role.ciso}の承認を得て設定する", "申請の{cal.request_lead}まで", "台帳"),))
    profile = CompanyProfile.from_dict({"it_staff": "佐藤", "roles": {"ciso": {"name": "情報管理責任者"}},
                                        "calendar": {"access_review": {"every": "half", "month": 4}, "request_lead_days": 3}})
    draft = model_draft(replace(control, model=model), profile)
    assert draft.statements[0] == "情報管理責任者は、半年ごと（4月・10月）、権限を見直さなければならない。"
    assert (draft.steps[0].who, draft.steps[0].what, draft.steps[0].when) == ("IT担当者", "情報管理責任者の承認を得て設定する",
                                                                              "申請の3営業日前まで")


def test_every_placeholder_in_the_catalog_is_known():
    known = set(CompanyProfile().placeholders())
    for c in catalog().values():
        if c.model is None:
            continue
        texts = [c.model.purpose, c.model.scope, *c.model.statements, c.model.owner, c.model.review, *c.model.related]
        texts += [getattr(s, f) for s in c.model.steps for f in ("who", "what", "when", "record")]
        for clause in c.model.profile_clauses:
            texts.append(clause.statement)
            if clause.step:
                texts += [getattr(clause.step, f) for f in ("who", "what", "when", "record")]
        used = {m for text in texts for m in re.findall(r"\{([^{}]+)\}", text)}
        assert used <= known, (c.number, used - known)
