"""Every control's model answer, fitted to any company, is a full-score draft by its own rubric — also when the
company renames its roles and the self-check is given its profile (issue #12)."""

import pytest

from course.catalog import catalog
from course.drafting.fit import model_draft
from course.profile import CompanyProfile, role_specs
from course.rubric.score import score_draft

TRAITS = dict(telework="all", cloud=["Microsoft 365"], contractors=["IT保守のA社"])
PROFILES = {
    "plain": CompanyProfile(),
    "everything": CompanyProfile(company="株式会社みどり精機", **TRAITS),
}
# Companies that call their roles by their own names (the fitted model then uses these names).
RENAMED = {
    "formal": CompanyProfile(company="株式会社あおば工業", roles={
        "ceo": {"name": "代表取締役", "holder": "代表取締役社長"},
        "ciso": {"name": "情報管理統括者", "holder": "管理本部長"},
        "it": {"name": "情報システム課員"},
        "admin_head": {"name": "管理本部長"}, "admin": {"name": "管理部員"}, "accounting": {"name": "経理課員"},
        "privacy": {"name": "個人情報保護責任者"},
        "dept_head": {"name": "本部長", "holder": "各本部の本部長"},
        "manager": {"name": "課長", "holder": "各課の課長"}}),
    "playful": CompanyProfile(company="ひだまり商店", **TRAITS, roles={
        "ceo": {"name": "オーナー"}, "ciso": {"name": "IT委員長"}, "it": {"name": "パソコン番"},
        "admin_head": {"name": "まとめ役長"}, "admin": {"name": "庶務係"}, "accounting": {"name": "お金番"},
        "privacy": {"name": "個人データ番"}, "dept_head": {"name": "チームリーダー"}, "manager": {"name": "班長"}}),
    "one_person": CompanyProfile(company="山田工房", it_staff="山田太郎", **TRAITS, roles={
        key: {"name": "店主", "holder": "山田太郎"} for key in ("ceo", "ciso", "admin_head", "privacy", "dept_head",
                                                              "manager")} | {"it": {"name": "店主"}}),
    "one_title": CompanyProfile(company="株式会社ちいさな窓", roles={
        "ceo": {"name": "代表"}, "ciso": {"name": "代表", "holder": "代表取締役"},
        "it": {"name": "代表", "holder": "代表取締役"}, "dept_head": {"name": "店長"}, "manager": {"name": "店長"}}),
}
NUMBERS = sorted(catalog(), key=lambda n: tuple(map(int, n.split("."))))


@pytest.mark.parametrize("number", NUMBERS)
@pytest.mark.parametrize("profile", PROFILES)
def test_model_answer_scores_full_marks(number, profile):
    control = catalog()[number]
    assert control.model is not None and control.rubric, f"{number} has no model answer or rubric"
    draft = model_draft(number, PROFILES[profile])
    for feedback in (score_draft(draft), score_draft(draft, profile=PROFILES[profile])):
        assert feedback.score == pytest.approx(1.0), (number, feedback.missing, feedback.messages)
    if profile == "everything":
        text = " ".join([draft.purpose, draft.scope, *draft.statements])
        assert "株式会社みどり精機" in text and "{company}" not in text


@pytest.mark.parametrize("number", NUMBERS)
@pytest.mark.parametrize("profile", RENAMED)
def test_model_answer_with_renamed_roles_scores_full_marks_with_the_profile(number, profile):
    company = RENAMED[profile]
    draft = model_draft(number, company)
    feedback = score_draft(draft, profile=company)
    assert feedback.score == pytest.approx(1.0), (number, profile, feedback.missing, feedback.messages)
    # the saved form of the profile (answers/company_profile.json's data) gives the same result
    assert score_draft(draft, profile=company.to_dict()).to_dict() == feedback.to_dict()


def test_the_renamed_profiles_rename_every_role_the_models_use():
    defaults = {s.name for s in role_specs()}
    for profile in RENAMED.values():
        changed = {r.key for r in profile.role_table() if r.name not in defaults}
        assert {"ceo", "ciso", "dept_head", "manager"} <= changed, profile.company


def test_without_the_profile_renamed_roles_are_not_understood():
    """The case the profile fixes: オーナー and IT委員長 are not the lexicon's words for those roles."""
    company = RENAMED["playful"]
    assert "escalation" in score_draft(model_draft("5.25", company)).missing
    assert "security_officer" in score_draft(model_draft("5.2", company)).missing
